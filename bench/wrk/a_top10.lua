-- A: the public all-time top 10 of the racing game.
local common = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
wrk.method = "GET"
wrk.path = "/api/scores?game=racing"
setup = common.setup
done = common.done
