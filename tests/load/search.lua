-- wrk script: provider search as patients use it, rotating through realistic queries.
--
--   wrk -t2 -c64 -d10s --latency -s tests/load/search.lua http://127.0.0.1:8080
--
-- done() prints one parseable line:
--   search result: requests=N duration_s=S rps=R p50_ms=A p95_ms=B p99_ms=C max_ms=D non2xx=E socket_errors=F

local queries = {
  "/v1/providers?limit=20",
  "/v1/providers?specialty=anxiety&limit=20",
  "/v1/providers?specialty=depression&language=ar&limit=20",
  "/v1/providers?language=en&max_price_cents=15000&limit=20",
  "/v1/providers?q=trauma&limit=20",
  "/v1/providers?specialty=couples&language=en&max_price_cents=20000&limit=20",
  "/v1/providers?q=child&language=ar&limit=20",
  "/v1/providers?specialty=addiction&limit=20",
  "/v1/providers?q=anxiety&max_price_cents=10000&limit=20",
  "/v1/providers?specialty=trauma&language=en&limit=20",
  "/v1/providers?q=depression&language=en&limit=20",
  "/v1/providers?specialty=child&max_price_cents=25000&limit=20",
}

local counter = 0

-- Each thread starts at a different query so the mix is even from the first request.
function setup(thread)
  counter = counter + 1
  thread:set("start", counter)
end

function init(args)
  index = start or 0
end

function request()
  index = index % #queries + 1
  return wrk.format("GET", queries[index], { ["Accept"] = "application/json" })
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  io.write(string.format(
    "search result: requests=%d duration_s=%.3f rps=%.1f p50_ms=%.3f p95_ms=%.3f p99_ms=%.3f max_ms=%.3f non2xx=%d socket_errors=%d\n",
    summary.requests,
    seconds,
    summary.requests / seconds,
    latency:percentile(50) / 1000,
    latency:percentile(95) / 1000,
    latency:percentile(99) / 1000,
    latency.max / 1000,
    errors.status,
    errors.connect + errors.read + errors.write + errors.timeout
  ))
end
