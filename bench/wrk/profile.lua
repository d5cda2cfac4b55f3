-- The original's Artillery scenario mix, by weight: health 20, variants 15, generators 15,
-- generate serenity/simple 25, power/advanced 15, mystery/ultimate at 500 px 10.
dofile(os.getenv("WRK_LIB") .. "/report.lua")
local scenarios = {}
local function add(weight, method, path, body)
  for _ = 1, weight do
    table.insert(scenarios, { method = method, path = path, body = body })
  end
end
add(20, "GET", "/health")
add(15, "GET", "/variants")
add(15, "GET", "/generators")
add(25, "POST", "/generate", '{"variant":"serenity","size":200,"generator_type":"simple"}')
add(15, "POST", "/generate", '{"variant":"power","size":200,"generator_type":"advanced"}')
add(10, "POST", "/generate", '{"variant":"mystery","size":500,"generator_type":"ultimate"}')
local headers = { ["Content-Type"] = "application/json" }

request = function()
  local s = scenarios[math.random(#scenarios)]
  return wrk.format(s.method, s.path, s.body and headers or nil, s.body)
end
