-- wrk script for bench/writes: replays the raw, pre-signed HTTP requests of $REPLAY_FILE (NUL-separated), each
-- once; with $REPLAY_THREADS threads, thread k sends every k-th request. Started by bench/wrk.ts (wrkReplay).
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local n = tonumber(os.getenv("REPLAY_THREADS"))
  local f = assert(io.open(os.getenv("REPLAY_FILE"), "rb"))
  local data = f:read("*a")
  f:close()
  reqs = {}
  local i = 0
  for r in string.gmatch(data, "([^%z]+)") do
    if i % n == id then reqs[#reqs + 1] = r end
    i = i + 1
  end
  pos = 0
  wrapped = 0
end

function request()
  pos = pos + 1
  if pos > #reqs then
    -- Out of fresh requests: sending one again would not be a new registration, so count it as a failure.
    pos = 1
    wrapped = wrapped + 1
  end
  return reqs[pos]
end

function done(summary, latency, requests)
  local unsent = 0
  for _, t in ipairs(threads) do unsent = unsent + t:get("wrapped") end
  local e = summary.errors
  -- The line bench/wrk.ts reads (times in microseconds).
  io.write(string.format('WRK {"requests":%d,"us":%d,"non2xx":%d,"errors":%d,"p50":%d,"p99":%d,"max":%d,"unsent":%d}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max, unsent))
end
