-- B: GET /api/scores/me for random signed-in players (ranks anywhere in the table).
local common = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local tokens
setup = common.setup
function init(args)
  tokens = common.lines("tokens.txt")
  math.randomseed(os.time() + wrk.thread:get("thread_id"))
end
function request()
  return wrk.format("GET", "/api/scores/me?game=racing", {
    ["Authorization"] = "Bearer " .. tokens[math.random(#tokens)],
  })
end
done = common.done
