-- wrk script of the benchmark runner (bench/run.py).
-- Reads the server-side headers that bench/wsgi.py adds to every response (Server-Timing, X-Bench-Queries),
-- counts status codes and deferred answers (a Retry-After on a 2xx), and prints one JSON line prefixed with
-- "BENCH_JSON " when the run is done:
-- client latency percentiles (microseconds) and server app/db time percentiles (milliseconds).

local threads = {}

setup = function(thread)
  table.insert(threads, thread)
end

init = function(args)
  app_ms, db_ms, queries, statuses = {}, {}, {}, {}
  -- Answers that defer their content (a Retry-After on a 2xx: statistics being counted in the background).
  deferred = 0
  -- Arguments (wrk ... -- <seed|-> [<paths file|-> [<think ms> <think cap ms> <random seed>]]):
  -- * a seed: every request gets its own pair of year bounds that every entry satisfies (year_min 1900-1989,
  --   year_max 2030-2200: 15,390 pairs), a valid filter set the statistics cache has not seen, so the page is
  --   measured on its uncached path with the same rows (bench/run.py: Scenario.bust_cache; the cache ignores
  --   parameters it does not validate, such as "?_=1"); "-" for none.
  -- * a file of paths, one a line: the requests rotate over them (bench/run.py: Scenario.rotate), so a
  --   scenario is many searches, filters or depths and no per-process cache stays warm on one URL. A line may
  --   carry a cookie after a tab ("<path>\t<cookie>"): that request is sent with it (bench/concurrency.py: one
  --   reviewer on the CJA and DGCP inboxes, each with its own account's session). "-" for none.
  -- * a think time in ms (bench/concurrency.py), its cap and a random seed: before every request, the first
  --   included (wrk's thread_main marks every connection "delayed", so 50 clients do not all start at once), a
  --   connection waits an exponential time of that mean, capped below gunicorn's keep-alive so that the server
  --   never closes an idle connection under wrk. wrk starts a request's clock after the wait: the latency
  --   percentiles do not include the think time.
  bust, counter = tonumber(args[1]), 0
  paths, path_headers = nil, nil
  if args[2] and args[2] ~= "-" then
    paths, path_headers = {}, {}
    for line in io.lines(args[2]) do
      if #line > 0 then
        local path, cookie = string.match(line, "^([^\t]+)\t(.+)$")
        path = path or line
        paths[#paths + 1] = path
        if cookie then
          local h = {}
          for name, value in pairs(wrk.headers) do h[name] = value end
          h["Cookie"] = cookie
          path_headers[#paths] = h
        end
      end
    end
    if #paths == 0 then paths = nil end
  end
  local think_ms, think_cap_ms = tonumber(args[3]), tonumber(args[4])
  if think_ms then
    math.randomseed(tonumber(args[5]) or 1)
    -- Defined here, not at load time: wrk asks whether the script has delay() after init().
    delay = function()
      return math.floor(math.min(-think_ms * math.log(1 - math.random()), think_cap_ms or math.huge))
    end
  end
end

request = function()
  local path = wrk.path
  local index = nil
  if paths then
    index = counter % #paths + 1
    path = paths[index]
  end
  if bust then
    local n = (bust + counter) % 15390
    local separator = string.find(path, "?", 1, true) and "&" or "?"
    path = path .. separator .. "year_min=" .. (1900 + n % 90) .. "&year_max=" .. (2030 + math.floor(n / 90))
  end
  counter = counter + 1
  if paths or bust then
    return wrk.format(nil, path, index and path_headers[index] or nil)
  end
  return wrk.request()
end

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status < 300 and headers["Retry-After"] then deferred = deferred + 1 end
  local timing = headers["Server-Timing"]
  if timing then
    local app = string.match(timing, "app;dur=([%d%.]+)")
    local db = string.match(timing, "db;dur=([%d%.]+)")
    if app then app_ms[#app_ms + 1] = tonumber(app) end
    if db then db_ms[#db_ms + 1] = tonumber(db) end
  end
  local count = headers["X-Bench-Queries"]
  if count then queries[#queries + 1] = tonumber(count) end
end

local function percentile(sorted, p)
  if #sorted == 0 then return -1 end
  local index = math.max(1, math.ceil(#sorted * p / 100))
  return sorted[index]
end

local function gather(name)
  local all = {}
  for _, thread in ipairs(threads) do
    local values = thread:get(name)
    if values then
      for _, v in ipairs(values) do all[#all + 1] = v end
    end
  end
  table.sort(all)
  return all
end

done = function(summary, latency, requests)
  local app, db, q = gather("app_ms"), gather("db_ms"), gather("queries")
  local codes, deferred_total = {}, 0
  for _, thread in ipairs(threads) do
    deferred_total = deferred_total + (thread:get("deferred") or 0)
    for code, n in pairs(thread:get("statuses") or {}) do
      codes[#codes + 1] = string.format('"%d": %d', code, n)
    end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"statuses": {%s}, "deferred": %d, ' ..
    '"latency_us": {"min": %d, "mean": %.1f, "stdev": %.1f, "max": %d, ' ..
    '"p50": %d, "p75": %d, "p90": %d, "p95": %d, "p99": %d}, ' ..
    '"server_ms": {"samples": %d, "p50": %.3f, "p90": %.3f, "p95": %.3f, "p99": %.3f, "max": %.3f}, ' ..
    '"db_ms": {"p50": %.3f, "p95": %.3f}, ' ..
    '"queries": {"min": %d, "max": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    table.concat(codes, ", "), deferred_total,
    latency.min, latency.mean, latency.stdev, latency.max,
    latency:percentile(50), latency:percentile(75), latency:percentile(90),
    latency:percentile(95), latency:percentile(99),
    #app, percentile(app, 50), percentile(app, 90), percentile(app, 95), percentile(app, 99),
    percentile(app, 100),
    percentile(db, 50), percentile(db, 95),
    q[1] or -1, q[#q] or -1))
end
