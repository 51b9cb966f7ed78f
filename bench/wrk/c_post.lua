-- C: POST /api/scores, each on a fresh session of its own user (plausibility, rank, events).
local common = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local next_write
setup = common.setup
function init(args)
  math.randomseed(os.time() + wrk.thread:get("thread_id"))
  next_write = common.session_writer(common.lines("tokens.txt"))
end
function request() return next_write() end
done = common.done
