-- Shared by every scenario: reads the data the runner prepared (BENCH_DATA), and prints one JSON
-- line of results in done(). Each wrk thread has its own Lua state; setup() numbers the threads
-- so writers use disjoint game sessions.
local M = {}
M.dir = os.getenv("BENCH_DATA") or "."

function M.lines(name)
  local out = {}
  local f = assert(io.open(M.dir .. "/" .. name, "r"), "cannot read " .. M.dir .. "/" .. name)
  for line in f:lines() do
    if #line > 0 then out[#out + 1] = line end
  end
  f:close()
  return out
end

function M.number(name, default)
  local v = tonumber(os.getenv(name) or "")
  if v == nil then return default end
  return v
end

local threads = {}
local counter = 0
function M.setup(thread)
  thread:set("thread_id", counter)
  thread:set("thread_count", M.number("BENCH_WRK_THREADS", 2))
  counter = counter + 1
  table.insert(threads, thread)
end

function M.done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"mean_us":%.1f,' ..
    '"connect_errors":%d,"read_errors":%d,"write_errors":%d,"timeouts":%d,"status_errors":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.mean, e.connect, e.read, e.write, e.timeout, e.status))
end

-- Fresh game sessions for writes: session first + k belongs to token user (k % users) + 1, so
-- request k of thread t (k = t, t + T, t + 2T, ...) posts on its own session with its owner's
-- token, and no session is scored twice.
function M.session_writer(tokens)
  local meta = M.lines("sessions.txt")[1]
  local first, users, count = meta:match("(%d+) (%d+) (%d+)")
  first, users, count = tonumber(first), tonumber(users), tonumber(count)
  local k = wrk.thread:get("thread_id")
  local step = wrk.thread:get("thread_count")
  return function()
    if k >= count then error("out of fresh game sessions: seed more (BENCH_SESSIONS)") end
    local body = string.format('{"game":"racing","session_id":%d,"score":%d}', first + k,
                               100 + math.random(0, 8800))
    local token = tokens[(k % users) + 1]
    k = k + step
    return wrk.format("POST", "/api/scores", {
      ["Authorization"] = "Bearer " .. token,
      ["Content-Type"] = "application/json",
    }, body)
  end
end

return M
