-- F: GET /api/food_log/summary over a year (365 days), for random users with a food log.
local common = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local tokens, users, path
setup = common.setup
function init(args)
  math.randomseed(os.time() + wrk.thread:get("thread_id"))
  tokens = common.lines("tokens.txt")
  users = common.number("BENCH_CGM_USERS", 100)
  path = "/api/food_log/summary?from=" .. os.getenv("BENCH_FROM_1Y") .. "&to=" .. os.getenv("BENCH_TODAY")
end
function request()
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. tokens[math.random(users)] })
end
done = common.done
