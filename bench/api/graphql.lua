-- wrk script: POSTs one GraphQL body (BENCH_BODY) to /graphql, cycling through the bearer tokens in BENCH_TOKENS
-- (one a line; each request is authenticated against the database) and a matching X-Forwarded-For, so a
-- per-token or per-address rate limit (alatar's 20/s per credential, 50/s per address) never fires.
-- Counts non-200 answers and answers carrying GraphQL "errors"; done() prints one JSON line starting "BENCH ".
local body = os.getenv("BENCH_BODY")
local token_file = os.getenv("BENCH_TOKENS")
local requests = {}
local next_index = 1
bad_status = 0  -- globals: done() reads them per thread (thread:get)
gql_errors = 0
local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_no", thread_count)
  table.insert(threads, thread)
end

function init(args)
  local n = 0
  for token in io.lines(token_file) do
    n = n + 1
    local xff = string.format("10.%d.%d.%d", math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
    requests[n] = wrk.format("POST", "/graphql", {
      ["Content-Type"] = "application/json",
      ["Accept"] = "application/json",
      ["Authorization"] = "Bearer " .. token,
      ["X-Forwarded-For"] = xff,
    }, body)
  end
  next_index = ((thread_no or 1) * 997) % n + 1
end

function request()
  local r = requests[next_index]
  next_index = next_index % #requests + 1
  return r
end

function response(status, headers, resp_body)
  if status ~= 200 then
    bad_status = bad_status + 1
  elseif string.find(resp_body, '"errors"', 1, true) then
    gql_errors = gql_errors + 1
  end
end

function done(summary, latency, reqs)
  local bad, gerr = 0, 0
  for _, t in ipairs(threads) do
    bad = bad + t:get("bad_status")
    gerr = gerr + t:get("gql_errors")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"duration_us":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"bad_status":%d,"graphql_errors":%d,"socket_errors":%d,"timeouts":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, bad, gerr, e.connect + e.read + e.write, e.timeout))
end
