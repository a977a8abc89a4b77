-- wrk script for bench/dossiers.py: one request shape per run, read from environment-free
-- arguments: wrk -s bench/wrk.lua URL -- MODE FILE RUNID
--   MODE "post": POST the JSON body in FILE with a fresh Idempotency-Key per request
--   MODE "get":  GET each path listed in FILE (one per line), round robin; a line
--                "PATH<TAB>ADDRESS" is sent with "X-Forwarded-For: ADDRESS" (a client behind
--                the reverse proxy)
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  mode, file, run = args[1], args[2], args[3]
  n = 0
  local f = assert(io.open(file, "r"))
  if mode == "post" then
    body = f:read("*a")
  else
    paths, headers = {}, {}
    for line in f:lines() do
      local path, address = line:match("^([^\t]*)\t?(.*)$")
      paths[#paths + 1] = path
      if address ~= "" then headers[#paths] = {["X-Forwarded-For"] = address} end
    end
  end
  f:close()
end

function request()
  n = n + 1
  if mode == "post" then
    wrk.headers["Idempotency-Key"] = run .. "-" .. tid .. "-" .. n
    return wrk.format("POST", nil, nil, body)
  end
  local i = (n * 7919 + tid) % #paths + 1
  return wrk.format("GET", paths[i], headers[i])
end

function done(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %.3f %.3f %d\n", summary.requests,
    summary.duration, summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, 0))
end
