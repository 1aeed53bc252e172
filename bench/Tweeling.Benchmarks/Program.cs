using System.CommandLine;
using Tweeling.Benchmarks;

// Verbs: `import` (demo city generation and store write, against a raw SQLite insert) and
// `ogc-bbox` (OGC API bbox reads under concurrent load, against /healthz), `sensor-store` (time-series
// ingest against a raw insert, and the latest/rollup reads), `mqtt-ingest` and `http-ingest` (observations
// into the running server, acknowledged once durable, against a raw insert), `sta-read` (SensorThings reads
// on the demo sensors' history under concurrent load, against /healthz), `sta-profile` (where the time of each
// of those reads goes, on one thread without HTTP), `tiles` (vector tiles of the panden under concurrent load,
// against PostGIS ST_AsMVT on the same data), `bereikbaarheid` (distance from every dwelling to the nearest
// facility of 10 kinds, against pgRouting on the same graph), `model-cpu` (CPU per impact model at scale 1,
// against the 2 s budget of a full run), `scenario` (a full run of every impact model on the demo city and
// one-edit re-runs, against the 2 s and 500 ms targets). See docs/benchmarks.md.
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

var window = new Option<int>("--window") { Description = "QoS 1 PUBLISHes in flight per MQTT client.", DefaultValueFactory = _ => 20 };
var rawObservations = new Option<long>("--raw-observations") { Description = "Rows for the raw-insert and store-batch limits measured in the same run.", DefaultValueFactory = _ => 1_000_000 };
var generator = new Option<string>("--generator") { Description = "light: raw sockets with pre-encoded MQTT 3.1.1 packets; mqttnet: MQTTnet's client over MQTT 5.", DefaultValueFactory = _ => "light" };
var qos = new Option<int>("--qos") { Description = "1: counted when PUBACKed; 0: counted when the PINGREQ after each --window PUBLISHes is answered (light generator only).", DefaultValueFactory = _ => 1 };
var mqttIngest = new Command("mqtt-ingest", "Observations over MQTT into the running server (one per PUBLISH), counted when PUBACKed (QoS 1); against the MQTTnet broker alone and a raw bulk insert.")
{
    generator, qos, clients, window, duration, warmup, rawObservations, work,
};
mqttIngest.SetAction((r, ct) => IngestBenchmark.RunMqttAsync(r.GetValue(generator)!, r.GetValue(qos), r.GetValue(clients), r.GetValue(window), r.GetValue(warmup), r.GetValue(duration), r.GetValue(rawObservations), r.GetValue(work)!, ct));

// mqtt-ingest starts this program again with this hidden verb for its server-side floor (MqttFloorBroker).
var floorPort = new Option<int>("--port") { Description = "Loopback port of the floor broker.", Required = true };
var floorDatastream = new Option<long>("--datastream") { Description = "The Datastream each payload is parsed for.", Required = true };
var mqttFloorBroker = new Command(MqttFloorBroker.Verb, "MQTTnet's broker alone with the server's payload parser, until standard input closes (started by mqtt-ingest).")
{
    floorPort, floorDatastream,
};
mqttFloorBroker.Hidden = true;
mqttFloorBroker.SetAction((r, _) => MqttFloorBroker.RunAsync(r.GetValue(floorPort), r.GetValue(floorDatastream)));

var mode = new Option<string>("--mode") { Description = "dataarray: POST CreateObservations with --batch rows; single: POST one Observation per request.", DefaultValueFactory = _ => "dataarray" };
var batch = new Option<int>("--batch") { Description = "Observations per CreateObservations request (dataarray mode).", DefaultValueFactory = _ => 1_000 };
var httpIngest = new Command("http-ingest", "Observations over HTTP into the running server, counted when answered 201; against a raw bulk insert.")
{
    mode, batch, clients, duration, warmup, rawObservations, work,
};
httpIngest.SetAction((r, ct) => IngestBenchmark.RunHttpAsync(r.GetValue(mode)!, r.GetValue(clients), r.GetValue(batch), r.GetValue(warmup), r.GetValue(duration), r.GetValue(rawObservations), r.GetValue(work)!, ct));

var historyDays = new Option<int>("--history-days") { Description = "Days of simulated sensor history in the demo store.", DefaultValueFactory = _ => 30 };
var staRead = new Command("sta-read", "SensorThings reads (a realistic mix) on the demo city with its sensor history, at concurrent clients, from this program's generator and from wrk (bench/sta-read.sh installs it); against /healthz.")
{
    clients, historyDays, duration, warmup, work,
};
staRead.SetAction((r, ct) => StaReadBenchmark.RunAsync(r.GetValue(clients), r.GetValue(historyDays), r.GetValue(warmup), r.GetValue(duration), r.GetValue(work)!, ct));

var postgres = new Option<string?>("--postgres") { Description = "Npgsql connection string of a PostGIS database to compare ST_AsMVT with (its table panden is replaced)." };
var tiles = new Command("tiles", "Vector tiles of the panden at z14–z16 at concurrent clients: every tile once (no cache), then random tiles; in the same run PostGIS ST_AsMVT on the same data.")
{
    clients, duration, warmup, postgres, work,
};
tiles.SetAction((r, ct) => TilesBenchmark.RunAsync(r.GetValue(clients), r.GetValue(warmup), r.GetValue(duration), r.GetValue(postgres), r.GetValue(work)!, ct));

var profileStore = new Option<string>("--store") { Description = "A store filled by tweeling demo --history-days (read only).", Required = true };
var iterations = new Option<int>("--iterations") { Description = "Reads of each kind measured (as many again warm up first).", DefaultValueFactory = _ => 2000 };
var staProfile = new Command("sta-profile", "Where the time of each sta-read read goes (store queries against the handler's own work), on one thread without HTTP.")
{
    profileStore, iterations,
};
staProfile.SetAction((r, ct) => StaProfile.RunAsync(r.GetValue(profileStore)!, r.GetValue(iterations), ct));

var pgRouting = new Option<string?>("--postgres") { Description = "Npgsql connection string of a PostgreSQL database with pgRouting to compare with (its bereikbaarheid_* tables are replaced)." };
var modelRuns = new Option<int>("--runs") { Description = "Measured passes of each engine after one unmeasured pass; the median is reported.", DefaultValueFactory = _ => 5 };
var bereikbaarheid = new Command("bereikbaarheid", "Walking and cycling distance from every dwelling to the nearest facility of 10 kinds: the accessibility model against pgRouting on the same graph, with a check that the distances agree.")
{
    scale, modelRuns, pgRouting,
};
bereikbaarheid.SetAction((r, ct) => AccessibilityBenchmark.RunAsync(r.GetValue(scale), r.GetValue(modelRuns), r.GetValue(pgRouting), ct));

var cpuRuns = new Option<int>("--runs") { Description = "Measured runs per model (after one that compiles); the median is reported.", DefaultValueFactory = _ => 5 };
var onlyModel = new Option<string?>("--model") { Description = "Only this model: groen, geluid, hitte or verkeer." };
var modelCpu = new Command("model-cpu", "CPU per impact model (green, noise, heat, traffic) at scale 1, each on its own; against the 2 s budget of a full run.")
{
    cpuRuns, onlyModel,
};
modelCpu.SetAction((r, ct) => ModelCpuBenchmark.RunAsync(r.GetValue(cpuRuns), r.GetValue(onlyModel), ct));


var edits = new Option<int>("--edits") { Description = "One-edit re-runs measured; the p95 is reported (0: no scenario runs, only the read and the full runs).", DefaultValueFactory = _ => 20 };
var keptStore = new Option<string?>("--store") { Description = "A store file kept between runs: seeded at --scale when missing, otherwise read as it is; never deleted." };
var checkWarmStart = new Option<bool>("--check-warm-start") { Description = "After the edits, run verkeer in full on the last edit's inputs and print the warm start's error against it (docs/models/verkeer.md 3a)." };
var noRehearsal = new Option<bool>("--no-rehearsal") { Description = "Time the edits without the server's start-up rehearsal of a throw-away scenario's edits (as before scenario-jit18)." };
var jitLog = new Option<string?>("--jit-log") { Description = "A file to list every method the JIT compiled in each phase (read, full runs, first run, each edit), with its tier and compile time." };
var scenario = new Command("scenario", "Every impact model on the demo city: the baseline read, full runs on a fresh graph (per model), and one-edit re-runs (p95).")
{
    scale, runs, edits, work, keptStore, checkWarmStart, noRehearsal, jitLog,
};
scenario.SetAction((r, ct) => ScenarioBenchmark.RunAsync(r.GetValue(scale), r.GetValue(runs), r.GetValue(edits), r.GetValue(work)!, r.GetValue(keptStore), r.GetValue(checkWarmStart), !r.GetValue(noRehearsal), r.GetValue(jitLog), ct));

var lvRuns = new Option<int>("--runs") { Description = "Runs of leefbaarheid alone; the median is reported.", DefaultValueFactory = _ => 9 };
var leefbaarheid = new Command("leefbaarheid", "leefbaarheid's full run alone on the demo city's baseline, the graph run once for its inputs.")
{
    scale, lvRuns, work, keptStore,
};
leefbaarheid.SetAction((r, ct) => LiveabilityProfile.RunAsync(r.GetValue(scale), r.GetValue(lvRuns), r.GetValue(work)!, r.GetValue(keptStore), ct));

var root = new RootCommand("Tweeling benchmarks: results go to stdout; see docs/benchmarks.md.") { import, ogcBbox, sensorStore, mqttIngest, httpIngest, staRead, staProfile, tiles, bereikbaarheid, modelCpu, scenario, leefbaarheid, mqttFloorBroker };
return await root.Parse(args).InvokeAsync();
