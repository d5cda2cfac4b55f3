-- POST /generate with the original clients' body (serenity, 200 px, simple).
dofile(os.getenv("WRK_LIB") .. "/report.lua")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"variant":"serenity","size":200,"generator_type":"simple"}'
