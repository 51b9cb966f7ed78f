-- D: 90 % reads (half A, half B) and 10 % writes (C).
local common = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local tokens, next_write, top10
setup = common.setup
function init(args)
  math.randomseed(os.time() + wrk.thread:get("thread_id"))
  tokens = common.lines("tokens.txt")
  next_write = common.session_writer(tokens)
  top10 = wrk.format("GET", "/api/scores?game=racing")
end
function request()
  local r = math.random(100)
  if r <= 10 then return next_write() end
  if r <= 55 then return top10 end
  return wrk.format("GET", "/api/scores/me?game=racing", {
    ["Authorization"] = "Bearer " .. tokens[math.random(#tokens)],
  })
end
done = common.done
