-- GET /logo/ultimate/power.png?size=256 with a new seed on every request: never cached, so every
-- request is a real raster render through the render queue. PNG_PATH sets another path, to which
-- the seed is appended (bench/png_vs_dicebear.sh).
dofile(os.getenv("WRK_LIB") .. "/report.lua")
local report_setup = setup
local threads_made = 0
local counter = 0
local path = os.getenv("PNG_PATH") or "/logo/ultimate/power.png?size=256&seed="

function setup(thread)
  threads_made = threads_made + 1
  thread:set("id", threads_made)
  report_setup(thread)
end

request = function()
  counter = counter + 1
  return wrk.format("GET", path .. (id * 100000000 + counter))
end
