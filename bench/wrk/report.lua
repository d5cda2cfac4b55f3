-- Shared by the scenario scripts: counts non-2xx/304 responses per thread and prints one JSON
-- line with throughput, latency percentiles and errors when wrk is done.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  errors = 0
  statuses = {}
end

function response(status, headers, body)
  if status ~= 200 and status ~= 304 then
    errors = errors + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local errors_total = 0
  for _, thread in ipairs(threads) do
    errors_total = errors_total + thread:get("errors")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"requests":%d,"seconds":%.2f,"rps":%.1f,"p50_ms":%.3f,"p99_ms":%.3f,"p999_ms":%.3f,"max_ms":%.3f,"errors":%d,"socket_errors":%d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
    latency.max / 1000, errors_total,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
