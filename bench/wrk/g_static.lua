-- G: nginx serving a static file the size of A's response (the ceiling on this machine).
local common = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
wrk.method = "GET"
wrk.path = "/a.json"
setup = common.setup
done = common.done
