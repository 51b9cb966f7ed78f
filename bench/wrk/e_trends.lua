-- E: GET /api/pin_dexcom/trends over the last 90 days, for random users with CGM data.
local common = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local tokens, users, path
setup = common.setup
function init(args)
  math.randomseed(os.time() + wrk.thread:get("thread_id"))
  tokens = common.lines("tokens.txt")
  users = common.number("BENCH_CGM_USERS", 100)
  path = "/api/pin_dexcom/trends?from=" .. os.getenv("BENCH_FROM_90D") .. "&to=" .. os.getenv("BENCH_TODAY")
end
function request()
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. tokens[math.random(users)] })
end
done = common.done
