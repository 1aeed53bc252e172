using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Sensors;
using Tweeling.Storage.Sqlite;

namespace Tweeling.Benchmarks;

/// <summary>
/// The <c>mqtt-ingest</c> and <c>http-ingest</c> verbs: observations into the real server (tweeling.dll
/// <c>serve --no-demo</c>, a separate process, as it runs in production) at full speed from concurrent
/// clients, counting only what the server acknowledged — a QoS 1 PUBACK or an HTTP 201, each sent only once
/// the observations are durable. In the same run, the same number of rows through a raw bulk insert into a
/// bare SQLite table and through the store's own batched append: the limits the protocols are measured against.
/// </summary>
internal static class IngestBenchmark
{
    /// <summary>The HTTP modes: one SensorThings <c>CreateObservations</c> request per dataArray of many observations, or one POST per observation.</summary>
    public static readonly string[] HttpModes = ["dataarray", "single"];

    /// <summary>The batch size of the store's own append in the same run, as in the <c>sensor-store</c> verb.</summary>
    private const int StoreBatch = 10_000;

    private static readonly NtsGeometryServices s_geometry = new(PrecisionModel.Floating.Value, Crs.RdNewSrid);
    private static readonly DateTimeOffset s_t0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The floor row of <c>mqtt-ingest</c>: MQTTnet's broker alone in a process of its own (<see cref="MqttFloorBroker"/>).</summary>
    private const string FloorRow = "server-side floor: MQTTnet broker alone in its own process (the server's broker options, runtime configuration and payload parser), PUBACK at once, nothing stored";

    /// <summary>The MQTT load generators: raw sockets with pre-encoded MQTT 3.1.1 packets, or MQTTnet's own client over MQTT 5.</summary>
    public static readonly string[] MqttGenerators = ["light", "mqttnet"];

    /// <summary>
    /// <paramref name="clients"/> MQTT connections, one observation per message: with the <c>light</c> generator
    /// (<see cref="LightMqttPublisher"/>) at QoS <paramref name="qos"/>, with <paramref name="window"/> PUBLISHes in
    /// flight (QoS 1) or in each burst before a PINGREQ (QoS 0); with <c>mqttnet</c>, MQTTnet clients over MQTT 5 at
    /// QoS 1, <paramref name="window"/> in flight each (a new one as soon as one is acknowledged).
    /// </summary>
    public static async Task<int> RunMqttAsync(string generator, int qos, int clients, int window, int warmupSeconds, int durationSeconds, long rawObservations, string work, CancellationToken ct)
    {
        if (!MqttGenerators.Contains(generator, StringComparer.Ordinal) || qos is not (0 or 1) || (generator == "mqttnet" && qos != 1))
        {
            Console.Error.WriteLine($"--generator must be one of {string.Join(", ", MqttGenerators)} and --qos 0 or 1 (mqttnet: 1 only); got '{generator}', {qos}.");
            return 2;
        }

        Console.WriteLine($"# mqtt-ingest --generator {generator} --qos {qos} --clients {clients} --window {window} --warmup {warmupSeconds} --duration {durationSeconds} --raw-observations {rawObservations}");
        return await RunAsync(work, mqtt: true, rawObservations, sameBatches: null, async (server, datastreams) =>
        {
            Func<int, Process?, Task<IngestResult>> publish = generator == "light"
                ? (port, process) => PublishLightAsync(port, qos, clients, window, warmupSeconds, durationSeconds, process, datastreams, ct)
                : (port, process) => PublishAsync(port, clients, window, warmupSeconds, durationSeconds, process, datastreams, ct);
            var result = await publish(server.MqttPort, server.Process);
            var row = generator == "light"
                ? $"MQTT 3.1.1 QoS {qos}, light generator (raw sockets), one observation per PUBLISH, {clients} clients × {window} {(qos == 1 ? "in flight" : "per PINGREQ")}"
                : $"MQTT 5 QoS 1, MQTTnet clients, one observation per PUBLISH, {clients} clients × {window} in flight";

            // The server-side floor: the same load against MQTTnet alone in a process of its own, parsing each payload
            // with the server's parser and acknowledging it without storing it — what MQTT costs the server before
            // anything Tweeling does with an observation (MqttFloorBroker).
            var (floor, floorPort) = await MqttFloorBroker.StartAsync(datastreams[0], ct);
            IngestResult floorResult;
            try
            {
                floorResult = await publish(floorPort, floor);
            }
            catch
            {
                MqttFloorBroker.Stop(floor);
                throw;
            }

            if (!MqttFloorBroker.Stop(floor))
            {
                throw new IngestFailedException("the floor broker did not end cleanly or could not parse every payload (its messages are above)");
            }

            return new LoadRows(row, result, [(FloorRow, floorResult)]);
        });
    }

    /// <summary>
    /// <paramref name="clients"/> light publishers (<see cref="LightMqttPublisher"/>) to <paramref name="port"/>, each on
    /// one of the Datastreams in turn; <paramref name="server"/> is the broker's process when it has one of its own.
    /// </summary>
    private static async Task<IngestResult> PublishLightAsync(int port, int qos, int clients, int window, int warmupSeconds, int durationSeconds, Process? server, long[] datastreams, CancellationToken ct)
    {
        var broker = new IPEndPoint(IPAddress.Loopback, port);
        var publishers = new List<LightMqttPublisher>(clients);
        try
        {
            for (var i = 0; i < clients; i++)
            {
                publishers.Add(await LightMqttPublisher.ConnectAsync(broker, "bench", s_token, datastreams[i % datastreams.Length], qos, window, i, ct));
            }

            var load = new LoadWindow();
            var loops = publishers.Select(publisher => Task.Run(async () =>
            {
                try
                {
                    await publisher.RunAsync(load, ct);
                }
                catch (Exception e) when (e is IOException or SocketException)
                {
                    load.Stop();
                    throw new IngestFailedException("a light MQTT publisher failed: " + e.Message);
                }
            })).ToArray();
            return await MeasureAsync(load, loops, warmupSeconds, durationSeconds, server);
        }
        finally
        {
            foreach (var publisher in publishers)
            {
                publisher.Dispose();
            }
        }
    }

    /// <summary>
    /// <paramref name="clients"/> MQTT 5 connections to <paramref name="port"/>, each with <paramref name="window"/> QoS 1
    /// PUBLISHes in flight, one observation per message; <paramref name="server"/> is the broker's process when it has one of its own.
    /// </summary>
    private static async Task<IngestResult> PublishAsync(int port, int clients, int window, int warmupSeconds, int durationSeconds, Process? server, long[] datastreams, CancellationToken ct)
    {
        var connections = new IMqttClient[clients];
        try
        {
            for (var i = 0; i < clients; i++)
            {
                connections[i] = new MqttClientFactory().CreateMqttClient();
                await connections[i].ConnectAsync(
                    new MqttClientOptionsBuilder()
                        .WithTcpServer(IPAddress.Loopback.ToString(), port)
                        .WithProtocolVersion(MqttProtocolVersion.V500)
                        .WithClientId($"bench-{i}")
                        .WithCredentials("bench", s_token)
                        .WithCleanSession()
                        .Build(),
                    ct);
            }

            return await DriveAsync(clients * window, warmupSeconds, durationSeconds, server, async (worker, sequence) =>
            {
                var datastream = datastreams[worker % datastreams.Length];
                var message = new MqttApplicationMessageBuilder()
                    .WithTopic($"v1.1/Datastreams({datastream})/Observations")
                    .WithPayload(ObservationJson(sequence, worker))
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .Build();
                var published = await connections[worker / window].PublishAsync(message, ct);
                return published.IsSuccess
                    ? 1
                    : throw new IngestFailedException($"the broker refused a PUBLISH: {published.ReasonCode} {published.ReasonString}");
            });
        }
        finally
        {
            foreach (var connection in connections.Where(c => c is not null))
            {
                connection.Dispose();
            }
        }
    }

    /// <summary>
    /// <paramref name="clients"/> HTTP connections, each sending its next request when the previous is answered:
    /// <c>POST /sta/v1.1/CreateObservations</c> with a dataArray of <paramref name="batch"/> observations
    /// (<paramref name="mode"/> <c>dataarray</c>), or <c>POST /sta/v1.1/Datastreams(id)/Observations</c> with one (<c>single</c>).
    /// </summary>
    public static async Task<int> RunHttpAsync(string mode, int clients, int batch, int warmupSeconds, int durationSeconds, long rawObservations, string work, CancellationToken ct)
    {
        if (!HttpModes.Contains(mode, StringComparer.Ordinal))
        {
            Console.Error.WriteLine($"--mode must be one of {string.Join(", ", HttpModes)}; got '{mode}'.");
            return 2;
        }

        var perRequest = mode == "single" ? 1 : batch;
        Console.WriteLine($"# http-ingest --mode {mode} --clients {clients}{(mode == "single" ? "" : $" --batch {batch}")} --warmup {warmupSeconds} --duration {durationSeconds} --raw-observations {rawObservations}");
        return await RunAsync(work, mqtt: false, rawObservations, sameBatches: (perRequest, clients), async (server, datastreams) =>
        {
            using var http = new HttpClient(new SocketsHttpHandler
            {
                MaxConnectionsPerServer = clients,
                PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
                AutomaticDecompression = DecompressionMethods.None,
                UseProxy = false,
            })
            { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", s_token);

            var result = await DriveAsync(clients, warmupSeconds, durationSeconds, server.Process, async (worker, sequence) =>
            {
                var datastream = datastreams[worker % datastreams.Length];
                var (path, body) = mode == "single"
                    ? ($"/sta/v1.1/Datastreams({datastream})/Observations", ObservationJson(sequence, worker))
                    : ("/sta/v1.1/CreateObservations", DataArrayJson(datastream, sequence * batch, batch, worker));
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync(new Uri(path, UriKind.Relative), content, ct);
                var answer = await response.Content.ReadAsByteArrayAsync(ct);
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    throw new IngestFailedException(
                        $"POST {path} answered {(int)response.StatusCode} {response.StatusCode}, not 201 Created: {Encoding.UTF8.GetString(answer.AsSpan(0, Math.Min(answer.Length, 500)))}");
                }

                if (mode != "single")
                {
                    RequireSelfLinks(answer, batch);
                }

                return perRequest;
            });
            var what = mode == "single"
                ? $"HTTP POST Datastreams(id)/Observations, one observation per request, {clients} clients"
                : $"HTTP POST CreateObservations, dataArray of {batch:N0} per request, {clients} clients";
            return new LoadRows(what, result, []);
        });
    }

    private delegate NewObservation Make(long i);

    /// <summary>The common frame: store, server, load, limits, the report, and the check that every acknowledged observation is stored.</summary>
    private static async Task<int> RunAsync(string work, bool mqtt, long rawObservations, (int Size, int Clients)? sameBatches, Func<ServerUnderLoad, long[], Task<LoadRows>> load)
    {
#if DEBUG
        Console.WriteLine("WARNING: built in Debug; run with -c Release for numbers worth reporting.");
#endif
        Console.WriteLine(Machine.Describe());
        Directory.CreateDirectory(work);
        var storePath = Path.Combine(work, "ingest.db");
        ImportBenchmark.DeleteDatabase(storePath);
        long[] datastreams;
        await using (var store = await SqliteTwinStore.OpenAsync(storePath, s_geometry, CancellationToken.None))
        {
            datastreams = await SensorStoreBenchmark.CreateDatastreamsAsync(store.Sensors, CancellationToken.None);

            // Writing takes a role that may write: the clients sign in as a sensor partner with an API token.
            var account = Tweeling.Domain.Identity.Account.Create("bench", "medewerker", null, DateTimeOffset.UtcNow);
            await store.Identity.AddAccountAsync(account, CancellationToken.None);
            (var token, s_token) = Tweeling.Domain.Identity.ApiToken.Create(account.Id, "ingest benchmark", DateTimeOffset.UtcNow, null);
            await store.Identity.AddTokenAsync(token, Tweeling.Domain.Identity.ApiToken.HashOf(s_token), CancellationToken.None);
        }

        SqliteConnection.ClearAllPools();
        var port = BenchServer.FreePort();
        var mqttPort = mqtt ? BenchServer.FreePort() : 0;
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        LoadRows rows;
        string peak;
        using (var process = BenchServer.StartServer(storePath, baseAddress, mqttPort))
        {
            try
            {
                using (var health = new HttpClient { BaseAddress = baseAddress })
                {
                    await BenchServer.WaitUntilHealthyAsync(health, process, CancellationToken.None);
                }

                rows = await load(new ServerUnderLoad(process, baseAddress, mqttPort), datastreams);
                peak = BenchServer.PeakResident(process.Id);
            }
            catch (IngestFailedException e)
            {
                Console.Error.WriteLine("FAILED: " + e.Message);
                return 1;
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync(CancellationToken.None);
                }
            }
        }

        var stored = CountStored(storePath);
        ImportBenchmark.DeleteDatabase(storePath);

        Make make = i => new(datastreams[(int)(i % datastreams.Length)], SensorTime.At(s_t0.AddMilliseconds(i)), i % 1000 / 10.0);
        var raw = rawObservations / SensorStoreBenchmark.RawInsert(Path.Combine(work, "raw.db"), rawObservations, i => make(i));
        var batched = await StoreAppendAsync(Path.Combine(work, "batched.db"), rawObservations, make);
        double? same = sameBatches is { } b ? await StoreAppendSameBatchesAsync(Path.Combine(work, "same.db"), rawObservations, b.Size, b.Clients) : null;

        Console.WriteLine();
        Console.WriteLine("| ingest path | acknowledged obs (measured) | obs/s | p50 ms | p99 ms | max ms | server CPU s | bench CPU s | load after |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        var result = rows.Result;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {rows.What} | {result.Acknowledged:N0} in {result.Elapsed.TotalSeconds:F1} s | **{result.Throughput:N0}** | {result.Percentile(0.50):F2} | {result.Percentile(0.99):F2} | {result.Max:F1} | {result.ServerCpu.TotalSeconds:F1} | {result.BenchCpu.TotalSeconds:F1} | {result.LoadAfter} |"));
        foreach (var (what, reference) in rows.References)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {what} | {reference.Acknowledged:N0} in {reference.Elapsed.TotalSeconds:F1} s | {reference.Throughput:N0} | {reference.Percentile(0.50):F2} | {reference.Percentile(0.99):F2} | {reference.Max:F1} | {reference.ServerCpu.TotalSeconds:F1} | {reference.BenchCpu.TotalSeconds:F1} | {reference.LoadAfter} |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| limit: raw bulk insert, bare 3-column table, one transaction, {rawObservations:N0} rows | {rawObservations:N0} | {raw:N0} | – | – | – | – | – | |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| limit: store AppendAsync, batches of {StoreBatch:N0}, durable each, {rawObservations:N0} rows | {rawObservations:N0} | {batched:N0} | – | – | – | – | – | |"));
        if (same is { } sameRate)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| limit: store AppendAsync, the protocol's batches ({sameBatches!.Value.Size:N0} rows of one datastream, {sameBatches.Value.Clients} concurrent appenders, durable each), {rawObservations:N0} rows | {rawObservations:N0} | {sameRate:N0} | – | – | – | – | – | |"));
        }

        Console.WriteLine();
        WriteCpuPerObservation(result, mqtt);
        foreach (var (what, reference) in rows.References)
        {
            WriteFloor(what.Split(':')[0], reference, result);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratio (same run): protocol / raw bare table = {result.Throughput / raw:P0}; protocol / store batches of {StoreBatch:N0} = {result.Throughput / batched:P0}{(same is { } r ? $"; protocol / store, same batches = {result.Throughput / r:P0}" : "")}"));
        var target = mqtt ? 50_000 : 100_000;
        // "A raw bulk insert into the same store" (issue 3) is the store's own durable bulk append: the same tables,
        // keys, latest values and rollups, with no protocol. The faster of its two batchings is the limit; the bare
        // table (no key, no index, nothing kept current) is SQLite's floor and is reported above as a reference only.
        var storeRaw = Math.Max(batched, same ?? 0);
        var met = result.Throughput >= target && (mqtt || result.Throughput >= storeRaw / 2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"target: {(mqtt ? "≥ 50,000 obs/s" : $"≥ 100,000 obs/s and ≥ 50 % of the store's raw bulk append ({storeRaw:N0} obs/s)")}: {(met ? "met" : "NOT met")}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"check: {stored:N0} observations stored ≥ {result.AcknowledgedInAll:N0} acknowledged in all (warm-up included): {(stored >= result.AcknowledgedInAll ? "ok" : "LOST ACKNOWLEDGED OBSERVATIONS")}"));
        Console.WriteLine($"server peak resident memory (VmHWM): {peak}");
        Console.WriteLine("closed loop: each in-flight slot sends its next request when the previous is acknowledged; clients and server share the machine's cores.");
        return stored >= result.AcknowledgedInAll ? 0 : 1;
    }

    /// <summary>
    /// The server's CPU per acknowledged observation in the measured window, split by its threads: the tiered-compilation
    /// JIT (start-up work that stops once the hot code is compiled optimised; a short warm-up leaves much of it in the
    /// window), the GC, and the rest — receiving, the protocol (MQTTnet's broker and its PUBACK sends, or Kestrel), parsing,
    /// the group commit with its SQLite append (rows, latest value, rollups, audit record, durable commit) and the live bus.
    /// Then the generator's (this process's) CPU per observation, which the server does not pay.
    /// </summary>
    private static void WriteCpuPerObservation(IngestResult result, bool mqtt)
    {
        var server = result.PerObservation(result.ServerCpu);
        var line = result.ServerThreads is { } threads
            ? string.Create(CultureInfo.InvariantCulture,
                $"server CPU per acknowledged observation: **{server:F1} µs** = JIT (tiered-compilation thread) {result.PerObservation(threads.Jit):F1} + GC threads {result.PerObservation(threads.Gc):F1} + the rest {result.PerObservation(result.ServerCpu - threads.Jit - threads.Gc):F1}; without the JIT **{result.PerObservation(result.ServerCpu - threads.Jit):F1} µs**")
            : string.Create(CultureInfo.InvariantCulture, $"server CPU per acknowledged observation: **{server:F1} µs** (its threads could not be read)");
        Console.WriteLine(line);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"generator CPU per acknowledged observation (this process, not the server's): {result.PerObservation(result.BenchCpu):F1} µs"));
        if (mqtt)
        {
            // Two cores of its own give the server 2 × 10⁶ µs of CPU a second; 50,000 obs/s leaves 40 µs for each.
            Console.WriteLine("server budget for ≥ 50,000 obs/s on two cores of its own: ≤ 40 µs per observation");
        }
    }

    /// <summary>
    /// The broker's CPU per acknowledged message in a reference run (<paramref name="floor"/>), split as the server's is,
    /// and what remains of the server's figure in <paramref name="server"/> above it: the part of the server's CPU that
    /// is Tweeling's own (sign-in and rate checks, the interceptor, the group commit into SQLite, rollups, the live bus)
    /// rather than the broker's. Both at whatever rate each run reached, so the difference is indicative.
    /// </summary>
    private static void WriteFloor(string what, IngestResult floor, IngestResult server)
    {
        var broker = floor.PerObservation(floor.ServerCpu);
        var split = floor.ServerThreads is { } threads
            ? string.Create(CultureInfo.InvariantCulture,
                $" = JIT {floor.PerObservation(threads.Jit):F1} + GC {floor.PerObservation(threads.Gc):F1} + the rest {floor.PerObservation(floor.ServerCpu - threads.Jit - threads.Gc):F1}")
            : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}, CPU of the broker's process per acknowledged message: **{broker:F1} µs**{split}; generator {floor.PerObservation(floor.BenchCpu):F1} µs"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"our share (the server's CPU per observation above the {what}): {server.PerObservation(server.ServerCpu) - broker:F1} µs"));
    }

    /// <summary>
    /// Runs <paramref name="workers"/> closed loops of <paramref name="send"/> (which returns how many observations
    /// were acknowledged) for the warm-up, then measures for the duration; an <see cref="IngestFailedException"/> ends the run.
    /// </summary>
    private static Task<IngestResult> DriveAsync(int workers, int warmupSeconds, int durationSeconds, Process? server, Func<int, long, Task<int>> send)
    {
        var load = new LoadWindow();
        var loops = Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            var mine = load.NewLatencyList();
            for (long sequence = 0; !load.Stopping; sequence++)
            {
                var start = Stopwatch.GetTimestamp();
                int acknowledged;
                try
                {
                    acknowledged = await send(worker, sequence);
                }
                catch
                {
                    // One failure ends the run: the other loops stop too, so the failure is reported at once.
                    load.Stop();
                    throw;
                }

                load.Acknowledged(acknowledged, Stopwatch.GetElapsedTime(start).TotalMilliseconds, mine);
            }
        })).ToArray();
        return MeasureAsync(load, loops, warmupSeconds, durationSeconds, server);
    }

    /// <summary>
    /// Lets <paramref name="loops"/> warm up, then measures for the duration (acknowledged observations, latencies,
    /// CPU of <paramref name="server"/> and of this process), then stops them and waits for them to end.
    /// </summary>
    private static async Task<IngestResult> MeasureAsync(LoadWindow load, Task[] loops, int warmupSeconds, int durationSeconds, Process? server)
    {
        var running = Task.WhenAll(loops);
        if (await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(warmupSeconds))) == running)
        {
            await running;
        }

        server?.Refresh();
        var serverCpu = server?.TotalProcessorTime ?? TimeSpan.Zero;
        var benchCpu = Process.GetCurrentProcess().TotalProcessorTime;
        await using var threads = server is null ? null : ThreadCpu.Start(server.Id);
        var clock = Stopwatch.StartNew();
        load.StartMeasuring();
        await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(durationSeconds)));
        load.StopMeasuring();
        var elapsed = clock.Elapsed;
        var acknowledgedInWindow = load.Measured;
        server?.Refresh();
        serverCpu = (server?.TotalProcessorTime ?? TimeSpan.Zero) - serverCpu;
        benchCpu = Process.GetCurrentProcess().TotalProcessorTime - benchCpu;
        var split = threads is null ? null : await threads.StopAsync();
        var loadAfter = Machine.LoadAverage();
        load.Stop();
        await running;
        return new IngestResult(acknowledgedInWindow, load.All, elapsed, load.SortedLatencies(), serverCpu, benchCpu, loadAfter, split);
    }

    /// <summary>One observation as an MQTT payload or HTTP body: a distinct phenomenon time per worker and sequence.</summary>
    private static byte[] ObservationJson(long sequence, int worker) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $"{{\"phenomenonTime\":\"{s_t0.AddMilliseconds(sequence).AddTicks(worker):yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'}\",\"result\":{sequence % 1000 / 10.0}}}"));

    /// <summary>A CreateObservations body (OGC 18-088 §14.4): one Datastream, <paramref name="count"/> rows of phenomenonTime and result.</summary>
    private static byte[] DataArrayJson(long datastream, long first, int count, int worker)
    {
        var json = new StringBuilder(64 + (count * 48));
        json.Append(CultureInfo.InvariantCulture, $"[{{\"Datastream\":{{\"@iot.id\":{datastream}}},\"components\":[\"phenomenonTime\",\"result\"],\"dataArray@iot.count\":{count},\"dataArray\":[");
        for (var i = 0; i < count; i++)
        {
            var sequence = first + i;
            json.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : ",")}[\"{s_t0.AddMilliseconds(sequence).AddTicks(worker):yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'}\",{sequence % 1000 / 10.0}]");
        }

        return Encoding.UTF8.GetBytes(json.Append("]}]").ToString());
    }

    /// <summary>The CreateObservations answer is an array with one selfLink per row (or "error" for a row that failed, which the benchmark counts as a failure).</summary>
    private static void RequireSelfLinks(byte[] answer, int expected)
    {
        using var document = JsonDocument.Parse(answer);
        var links = document.RootElement;
        if (links.ValueKind != JsonValueKind.Array || links.GetArrayLength() != expected
            || links.EnumerateArray().Any(l => l.ValueKind != JsonValueKind.String || !l.GetString()!.Contains("/Observations(", StringComparison.Ordinal)))
        {
            throw new IngestFailedException($"CreateObservations answered 201 but not with {expected} Observation selfLinks: {Encoding.UTF8.GetString(answer.AsSpan(0, Math.Min(answer.Length, 500)))}");
        }
    }

    /// <summary>The same rows through the store's own durable append in batches: what the protocols add overhead to.</summary>
    private static async Task<double> StoreAppendAsync(string path, long count, Make make)
    {
        ImportBenchmark.DeleteDatabase(path);
        double seconds;
        await using (var store = await SqliteTwinStore.OpenAsync(path, s_geometry, CancellationToken.None))
        {
            var datastreams = await SensorStoreBenchmark.CreateDatastreamsAsync(store.Sensors, CancellationToken.None);
            var clock = Stopwatch.StartNew();
            var batch = new List<NewObservation>(StoreBatch);
            for (long i = 0; i < count; i++)
            {
                var o = make(i);
                batch.Add(o with { DatastreamId = datastreams[(int)(i % datastreams.Length)] });
                if (batch.Count == StoreBatch || i == count - 1)
                {
                    await store.Sensors.AppendAsync(batch, CancellationToken.None);
                    batch.Clear();
                }
            }

            seconds = clock.Elapsed.TotalSeconds;
        }

        SqliteConnection.ClearAllPools();
        ImportBenchmark.DeleteDatabase(path);
        return count / seconds;
    }

    /// <summary>
    /// The store's own bulk path with the protocol's batches and concurrency but no HTTP: <paramref name="clients"/>
    /// concurrent loops, each appending <paramref name="size"/> rows of one Datastream per durable
    /// <see cref="Tweeling.Domain.Ports.IObservationStore.AppendAsync(System.Collections.Generic.IReadOnlyList{Tweeling.Domain.Sensors.NewObservation}, System.Threading.CancellationToken)"/>, as each CreateObservations request does.
    /// </summary>
    private static async Task<double> StoreAppendSameBatchesAsync(string path, long count, int size, int clients)
    {
        ImportBenchmark.DeleteDatabase(path);
        double seconds;
        await using (var store = await SqliteTwinStore.OpenAsync(path, s_geometry, CancellationToken.None))
        {
            var datastreams = await SensorStoreBenchmark.CreateDatastreamsAsync(store.Sensors, CancellationToken.None);
            var batches = (count + size - 1) / size;
            long next = -1;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, clients).Select(worker => Task.Run(async () =>
            {
                for (var b = Interlocked.Increment(ref next); b < batches; b = Interlocked.Increment(ref next))
                {
                    var datastream = datastreams[worker % datastreams.Length];
                    var rows = (int)Math.Min(size, count - (b * size));
                    var batch = new NewObservation[rows];
                    for (var i = 0; i < rows; i++)
                    {
                        var sequence = (b * size) + i;
                        batch[i] = new NewObservation(datastream, SensorTime.At(s_t0.AddMilliseconds(sequence)), sequence % 1000 / 10.0);
                    }

                    await store.Sensors.AppendAsync(batch, CancellationToken.None);
                }
            })));
            seconds = clock.Elapsed.TotalSeconds;
        }

        SqliteConnection.ClearAllPools();
        ImportBenchmark.DeleteDatabase(path);
        return count / seconds;
    }

    private static long CountStored(string storePath)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = storePath, Pooling = false }.ToString());
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM sta_observations";
        return (long)count.ExecuteScalar()!;
    }

    /// <summary>The API token of the benchmark's account (user name <c>bench</c>), made with the store of each run.</summary>
    private static string s_token = string.Empty;

    private sealed record ServerUnderLoad(Process Process, Uri BaseAddress, int MqttPort);

    /// <summary>The measured row and reference rows measured after it in the same run.</summary>
    private sealed record LoadRows(string What, IngestResult Result, IReadOnlyList<(string What, IngestResult Result)> References);

    /// <summary>The server refused or mis-answered an ingest request: the run stops and says why.</summary>
    private sealed class IngestFailedException(string message) : Exception(message);

    /// <summary>What one ingest run measured; <see cref="Latencies"/> are milliseconds per request, sorted;
    /// <see cref="ServerThreads"/> is the server's JIT and GC share of <see cref="ServerCpu"/>, where its threads could be read.</summary>
    private sealed record IngestResult(long Acknowledged, long AcknowledgedInAll, TimeSpan Elapsed, double[] Latencies, TimeSpan ServerCpu, TimeSpan BenchCpu, string LoadAfter, ThreadCpuSplit? ServerThreads)
    {
        /// <summary>Microseconds of CPU per acknowledged observation in the measured window.</summary>
        public double PerObservation(TimeSpan cpu) => Acknowledged == 0 ? double.NaN : cpu.TotalMicroseconds / Acknowledged;

        public double Throughput => Acknowledged / Elapsed.TotalSeconds;

        public double Percentile(double q) => Latencies.Length == 0 ? double.NaN : Latencies[Math.Max(0, (int)Math.Ceiling(q * Latencies.Length) - 1)];

        public double Max => Latencies.Length == 0 ? double.NaN : Latencies[^1];
    }
}
