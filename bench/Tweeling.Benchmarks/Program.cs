using System.CommandLine;
using Tweeling.Benchmarks;

// Verbs: `import` (demo city generation and store write, against a raw SQLite insert) and
// `ogc-bbox` (OGC API bbox reads under concurrent load, against /healthz), `sensor-store` (time-series
// ingest against a raw insert, and the latest/rollup reads). See docs/benchmarks.md.
var scale = new Option<int>("--scale") { Description = "Demo city scale (1 is Dordrecht-size).", DefaultValueFactory = _ => 1 };
var runs = new Option<int>("--runs") { Description = "Import runs; the median is reported.", DefaultValueFactory = _ => 3 };
var duration = new Option<int>("--duration") { Description = "Measured seconds per endpoint, after warm-up.", DefaultValueFactory = _ => 20 };
var warmup = new Option<int>("--warmup") { Description = "Warm-up seconds per endpoint (not measured).", DefaultValueFactory = _ => 5 };
var clients = new Option<int>("--clients") { Description = "Concurrent clients (one connection each).", DefaultValueFactory = _ => 50 };
var work = new Option<string>("--work") { Description = "Directory for store files (deleted afterwards).", DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "tweeling-bench") };

var import = new Command("import", "Generate the demo city and write it into a fresh SQLite store; compare with a raw bulk insert.")
{
    scale, runs, work,
};
import.SetAction((r, ct) => ImportBenchmark.RunAsync(r.GetValue(scale), r.GetValue(runs), r.GetValue(work)!, ct));

var ogcBbox = new Command("ogc-bbox", "Load /ogc/collections/panden/items with random small bboxes; compare with /healthz.")
{
    clients, duration, warmup, work,
};
ogcBbox.SetAction((r, ct) => OgcBboxBenchmark.RunAsync(r.GetValue(clients), r.GetValue(warmup), r.GetValue(duration), r.GetValue(work)!, ct));

var observations = new Option<long>("--observations") { Description = "Observations to ingest into the time-series store.", DefaultValueFactory = _ => 10_000_000 };
var sensorStore = new Command("sensor-store", "Ingest into the time-series store against a raw bulk insert; then latest-of-every-datastream and 30-day hourly means.")
{
    observations, work,
};
sensorStore.SetAction((r, ct) => SensorStoreBenchmark.RunAsync(r.GetValue(observations), r.GetValue(work)!, ct));

var root = new RootCommand("Tweeling benchmarks: results go to stdout; see docs/benchmarks.md.") { import, ogcBbox, sensorStore };
return await root.Parse(args).InvokeAsync();
