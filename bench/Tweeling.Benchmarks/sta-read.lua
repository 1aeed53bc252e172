-- The sta-read loads for wrk (Debian package wrk 4.1), run by StaReadBenchmark beside its own .NET load generator;
-- see docs/adr/0005-wrk-load-generator.md.
--
-- Arguments after wrk's `--`:
--   healthz                  GET /healthz; a checked answer must be 200 with the 7-byte body "Healthy".
--   mix IDS START MINUTES ENTITY_MIN ENTITY_MAX PAGE_MAX THINGS_BYTES
--                            the read mix of StaReadBenchmark, each read a quarter of the requests, picked at random
--                            per request: IDS are the Datastream ids (comma-separated), START the start of the stored
--                            history (Unix seconds, UTC) and MINUTES its length, from which a random six-hour window
--                            is drawn as the .NET generator draws it. The other four are the size classes of the
--                            answers (body bytes), read by the benchmark from the server just before this run.
--
-- With STA_READ_CHECK_ANSWERS=1 in the environment every answer is checked: status 200, and a body of the kind and size
-- class its first self link says it is. That makes wrk keep each body and hand it to response(), which cost wrk 0.078
-- against 0.050 ms of CPU per request of the mix (four interleaved pairs, load 33-58), so StaReadBenchmark checks every
-- answer of each warm-up run and measures without the check; wrk itself counts every non-2xx answer, socket error and
-- timeout in both. done() ends wrk with exit code 1 after any of these, so the benchmark fails the run.

local check_every_answer = os.getenv("STA_READ_CHECK_ANSWERS") == "1"
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("seed", 1000 + #threads)
end

local mode
local paths
local ids
local history_start, history_minutes
local entity_min, entity_max, page_max, things_bytes

-- Counted per thread, read by done() through thread:get.
healthy, entities, pages, things, bad_status, bad_kind, bad_size, body_bytes = 0, 0, 0, 0, 0, 0, 0, 0

function init(args)
  mode = args[1]
  math.randomseed(seed)
  if mode == "healthz" then
    return
  end

  if mode ~= "mix" or #args ~= 8 then
    error("sta-read.lua: expected `healthz` or `mix IDS START MINUTES ENTITY_MIN ENTITY_MAX PAGE_MAX THINGS_BYTES`")
  end

  ids = {}
  for id in string.gmatch(args[2], "%d+") do
    table.insert(ids, id)
  end

  history_start = tonumber(args[3])
  history_minutes = tonumber(args[4])
  entity_min, entity_max = tonumber(args[5]), tonumber(args[6])
  page_max, things_bytes = tonumber(args[7]), tonumber(args[8])
end

local function datastream()
  return ids[math.random(#ids)]
end

local function utc(seconds)
  return os.date("!%Y-%m-%dT%H:%M:%SZ", seconds)
end

-- The same four reads, with the same query strings, as StaReadBenchmark's `reads` (spaces sent as %20, as .NET's Uri
-- sends them).
local reads = {
  function()
    return "/sta/v1.1/Datastreams(" .. datastream() .. ")/Observations?$top=100&$orderby=phenomenonTime%20desc"
  end,
  function()
    return "/sta/v1.1/Things?$expand=Datastreams"
  end,
  function()
    -- A random six hours of the history, as a chart of one sensor asks for it.
    local start = history_start + 60 * (math.random(history_minutes - 360) - 1)
    return "/sta/v1.1/Datastreams(" .. datastream() .. ")/Observations?$filter=phenomenonTime%20ge%20" .. utc(start)
      .. "%20and%20phenomenonTime%20lt%20" .. utc(start + 6 * 3600)
  end,
  function()
    return "/sta/v1.1/Datastreams(" .. datastream() .. ")"
  end,
}

function request()
  if mode == "healthz" then
    return wrk.format("GET", "/healthz")
  end

  return wrk.format("GET", reads[math.random(#reads)]())
end

-- The kind of a SensorThings answer from its opening: an entity starts with its own id and self link; a collection
-- starts with its value array (after @iot.nextLink when there is a next page), whose first member's self link names
-- the entity set. An empty page (a window without Observations) has no member to tell.
local function kind(body)
  local opening = string.sub(body, 1, 400)
  if string.find(opening, '^{"@iot.id":%d+,"@iot.selfLink":"[^"]*/Datastreams%(%d+%)"') then
    return "entity"
  end

  if not string.find(opening, '"value":%[') then
    return nil
  end

  if string.find(opening, '"value":%[%]') or string.find(opening, '/Observations%(%d+%)"') then
    return "page"
  end

  if string.find(opening, '/Things%(%d+%)"') then
    return "things"
  end

  return nil
end

local function check(status, headers, body)
  body_bytes = body_bytes + #body
  if status ~= 200 then
    bad_status = bad_status + 1
    return
  end

  if mode == "healthz" then
    if body == "Healthy" then
      healthy = healthy + 1
    else
      bad_size = bad_size + 1
    end
    return
  end

  local size = #body
  local what = kind(body)
  if what == "entity" then
    if size >= entity_min and size <= entity_max then entities = entities + 1 else bad_size = bad_size + 1 end
  elseif what == "page" then
    if size <= page_max then pages = pages + 1 else bad_size = bad_size + 1 end
  elseif what == "things" then
    if size == things_bytes then things = things + 1 else bad_size = bad_size + 1 end
  else
    bad_kind = bad_kind + 1
  end
end

if check_every_answer then
  response = check
end

function done(summary, latency, requests)
  local total = {}
  for _, name in ipairs({ "healthy", "entities", "pages", "things", "bad_status", "bad_kind", "bad_size", "body_bytes" }) do
    total[name] = 0
    for _, thread in ipairs(threads) do
      total[name] = total[name] + thread:get(name)
    end
  end

  local errors = summary.errors
  -- One line for StaReadBenchmark to parse; latencies in microseconds as wrk records them.
  io.write(string.format(
    "sta-read-wrk: checked=%d requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d bytes=%d body_bytes=%d "
      .. "connect_errors=%d read_errors=%d write_errors=%d timeouts=%d non_2xx=%d "
      .. "healthy=%d entities=%d pages=%d things=%d bad_status=%d bad_kind=%d bad_size=%d\n",
    check_every_answer and 1 or 0, summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, summary.bytes, total.body_bytes, errors.connect, errors.read, errors.write, errors.timeout, errors.status,
    total.healthy, total.entities, total.pages, total.things, total.bad_status, total.bad_kind, total.bad_size))
  io.flush()

  local failed = errors.connect + errors.read + errors.write + errors.timeout + errors.status
    + total.bad_status + total.bad_kind + total.bad_size
  local passed = total.healthy + total.entities + total.pages + total.things
  if check_every_answer and passed + failed < summary.requests then
    -- An answer response() never saw would be one not checked.
    failed = failed + summary.requests - passed
  end
  if failed > 0 then
    io.stderr:write(string.format("sta-read.lua: %d failed or unexpected answers; the run does not count\n", failed))
    os.exit(1)
  end
end
