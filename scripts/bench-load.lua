-- wrk script for scripts/bench-load: counts responses outside 2xx, rotates participant ids when
-- given, and appends one JSON line per run to the file named in its arguments.
--   wrk ... -s scripts/bench-load.lua URL -- LABEL OUT_FILE [PATH_PREFIX ID,ID,...]
local threads = {}
-- init() runs in each thread; done() runs in the main state and reads them from a thread.

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  label, out, prefix = args[1], args[2], args[3]
  ids = {}
  if args[4] then
    for id in string.gmatch(args[4], "[^,]+") do table.insert(ids, id) end
  end
  non2xx = 0
  n = 0
end

function request()
  if #ids > 0 then
    n = n + 1
    return wrk.format(nil, prefix .. ids[(n % #ids) + 1])
  end
  return wrk.format()
end

function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end

function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + (t:get("non2xx") or 0) end
  local label, out = threads[1]:get("label"), threads[1]:get("out")
  local e = summary.errors
  local f = assert(io.open(out, "a"))
  f:write(string.format(
    '{"label":"%s","requests":%d,"seconds":%.3f,"rps":%.1f,"mean_us":%.1f,"p50_us":%d,"p99_us":%d,"non2xx":%d,"socket_errors":%d}\n',
    label, summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency.mean, latency:percentile(50), latency:percentile(99), bad,
    e.connect + e.read + e.write + e.timeout))
  f:close()
end
