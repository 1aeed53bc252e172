using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Tweeling.Storage.Sqlite;
using Tweeling.TestSupport;

namespace Tweeling.Server.Tests.Cli;

/// <summary>
/// No acknowledged observation is lost (issue 3, item 9): the real <c>tweeling serve</c> takes observations
/// at full speed from concurrent HTTP (one per POST and dataArray <c>CreateObservations</c>) and MQTT QoS 1 clients, is killed with SIGKILL at a random moment,
/// and restarted on the same store, which must hold every observation a 201 or a PUBACK acknowledged.
/// </summary>
/// <remarks>
/// SIGKILL ends the process without any shutdown code, so what survives is exactly what SQLite had handed
/// to the operating system. An acknowledgement sent before the commit (a PUBACK before the append
/// returns, a group answered before its transaction) is lost this way within a few rounds: at full speed
/// the kill nearly always falls while hundreds of observations are in flight. A power loss (what
/// <c>synchronous = FULL</c> guards against as well) cannot be simulated by killing a process; the page
/// cache survives it.
/// </remarks>
public sealed class CrashRecoveryTests : IDisposable
{
    private const int Rounds = 10;
    private const int HttpClients = 3;
    private const int MqttClients = 3;
    private const int DataArrayClients = 2;

    /// <summary>Rows in each <c>CreateObservations</c> request of a dataArray client.</summary>
    private const int DataArrayRows = 25;

    /// <summary>QoS 1 PUBLISHes in flight per MQTT client.</summary>
    private const int MqttWindow = 4;

    private static readonly NtsGeometryServices s_geometryServices = new(PrecisionModel.Floating.Value, Crs.Crs84Srid);
    private static readonly DateTimeOffset s_t0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _work = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Every_acknowledged_observation_survives_a_sigkill_mid_ingest_and_a_restart()
    {
        var store = _work.File("twin.db");
        var (datastreams, user, token) = await CreateDatastreamsAsync(store, HttpClients + MqttClients + DataArrayClients);
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var acknowledgedInAll = 0;
        var dataArrayAcknowledged = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var port = FreePorts.Next();
            var mqttPort = FreePorts.Next();
            var acknowledged = new ConcurrentBag<Acknowledged>();
            using (var server = await StartServeAsync(store, port, mqttPort))
            {
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
                var clients = Enumerable.Range(0, HttpClients)
                    .Select(c => HttpClientAsync(port, token, datastreams[c], ValueBase(round, c), acknowledged, stop.Token))
                    .Concat(Enumerable.Range(HttpClients, MqttClients).Select(c => MqttClientAsync(mqttPort, user, token, datastreams[c], ValueBase(round, c), acknowledged, stop.Token)))
                    .Concat(Enumerable.Range(HttpClients + MqttClients, DataArrayClients).Select(c => DataArrayClientAsync(port, token, datastreams[c], ValueBase(round, c), acknowledged, stop.Token)))
                    .ToArray();

                // Kill once ingest is well under way: 300 to 1,500 ms after the first acknowledgement.
                while (acknowledged.IsEmpty && clients.All(c => !c.IsCompleted))
                {
                    await Task.Delay(10, Ct);
                }

                await Task.Delay(random.Next(300, 1500), Ct);
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync(Ct);
                await stop.CancelAsync();
                await Task.WhenAll(clients);
            }

            Assert.True(acknowledged.Count > 0, $"round {round}: nothing was acknowledged before the kill (seed {seed})");
            acknowledgedInAll += acknowledged.Count;
            dataArrayAcknowledged += acknowledged.Count(a => Array.IndexOf(datastreams, a.Datastream) >= HttpClients + MqttClients);

            // The restarted server recovers the store; then every acknowledged observation must be in it.
            using var restarted = await StartServeAsync(store, FreePorts.Next(), 0);
            await AssertAllStoredAsync(store, datastreams, acknowledged, $"round {round} (seed {seed})");
            restarted.Kill(entireProcessTree: true);
            await restarted.WaitForExitAsync(Ct);
        }

        Assert.True(acknowledgedInAll > Rounds * 100, $"only {acknowledgedInAll} observations were acknowledged in {Rounds} rounds: not full-speed ingest");
        Assert.True(dataArrayAcknowledged > 0, $"no CreateObservations request was acknowledged in {Rounds} rounds: that path was not tested");
    }

    /// <summary>A distinct range of result values per round and client, so each acknowledged value names one observation.</summary>
    private static double ValueBase(int round, int client) => (round * 100 + client) * 1_000_000.0;

    /// <summary>One HTTP client: POSTs one observation after another, recording the id and value of each 201.</summary>
    private static async Task HttpClientAsync(int port, string token, long datastream, double valueBase, ConcurrentBag<Acknowledged> acknowledged, CancellationToken stop)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var value = valueBase + i;
            using var body = new StringContent(ObservationJson(i, value), Encoding.UTF8, "application/json");
            try
            {
                using var response = await http.PostAsync(new Uri($"/sta/v1.1/Datastreams({datastream})/Observations", UriKind.Relative), body, stop);
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                var location = response.Headers.Location!.ToString();
                var id = long.Parse(location[(location.LastIndexOf('(') + 1)..^1], CultureInfo.InvariantCulture);
                acknowledged.Add(new Acknowledged(datastream, value, id));
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                return; // the server was killed: what was not answered was not acknowledged
            }
        }
    }

    /// <summary>
    /// One dataArray client: POSTs <c>CreateObservations</c> of <see cref="DataArrayRows"/> rows one after another,
    /// recording every row of each 201 with the id of its selfLink (the answer lists them in the rows' order).
    /// </summary>
    private static async Task DataArrayClientAsync(int port, string token, long datastream, double valueBase, ConcurrentBag<Acknowledged> acknowledged, CancellationToken stop)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        for (var first = 0; !stop.IsCancellationRequested; first += DataArrayRows)
        {
            var rows = string.Join(",", Enumerable.Range(first, DataArrayRows).Select(i => string.Create(CultureInfo.InvariantCulture,
                $"""["{s_t0.AddMilliseconds(i):yyyy-MM-dd'T'HH:mm:ss.fff'Z'}",{valueBase + i}]""")));
            using var body = new StringContent(
                $$"""[{"Datastream":{"@iot.id":{{datastream}}},"components":["phenomenonTime","result"],"dataArray":[{{rows}}]}]""", Encoding.UTF8, "application/json");
            try
            {
                using var response = await http.PostAsync(new Uri("/sta/v1.1/CreateObservations", UriKind.Relative), body, stop);
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                using var links = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(stop));
                var row = first;
                foreach (var link in links.RootElement.EnumerateArray().Select(l => l.GetString()!))
                {
                    acknowledged.Add(new Acknowledged(datastream, valueBase + row++, long.Parse(link[(link.LastIndexOf('(') + 1)..^1], CultureInfo.InvariantCulture)));
                }

                Assert.Equal(first + DataArrayRows, row);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
            {
                return; // the server was killed: a request not answered (or whose answer was cut off) was not acknowledged
            }
        }
    }

    /// <summary>One MQTT 5 client with <see cref="MqttWindow"/> QoS 1 PUBLISHes in flight, recording the value of each one PUBACKed.</summary>
    private static async Task MqttClientAsync(int mqttPort, string user, string token, long datastream, double valueBase, ConcurrentBag<Acknowledged> acknowledged, CancellationToken stop)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        try
        {
            await client.ConnectAsync(
                new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", mqttPort).WithProtocolVersion(MqttProtocolVersion.V500).WithClientId($"crash-{valueBase}").WithCredentials(user, token).Build(),
                stop);
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
        {
            return; // killed before this client connected
        }

        await Task.WhenAll(Enumerable.Range(0, MqttWindow).Select(async slot =>
        {
            for (var i = slot; !stop.IsCancellationRequested; i += MqttWindow)
            {
                var value = valueBase + i;
                var message = new MqttApplicationMessageBuilder()
                    .WithTopic($"v1.1/Datastreams({datastream})/Observations")
                    .WithPayload(ObservationJson(i, value))
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .Build();
                try
                {
                    var result = await client.PublishAsync(message, stop);
                    Assert.True(result.IsSuccess, $"PUBLISH refused: {result.ReasonCode} {result.ReasonString}");
                    acknowledged.Add(new Acknowledged(datastream, value, null));
                }
                catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
                {
                    return;
                }
            }
        }));
    }

    private static string ObservationJson(int sequence, double value) => string.Create(CultureInfo.InvariantCulture,
        $$"""{"phenomenonTime": "{{s_t0.AddMilliseconds(sequence):yyyy-MM-dd'T'HH:mm:ss.fff'Z'}}", "result": {{value}}}""");

    /// <summary>Reads the store file beside the restarted server: every HTTP-acknowledged id with its value, every PUBACKed value.</summary>
    private static async Task AssertAllStoredAsync(string path, long[] datastreams, IReadOnlyCollection<Acknowledged> acknowledged, string round)
    {
        await using var store = await SqliteTwinStore.OpenAsync(path, s_geometryServices, Ct);
        var stored = new HashSet<(long Datastream, double Value)>();
        foreach (var datastream in datastreams)
        {
            foreach (var o in await store.Sensors.ObservationsAsync(datastream, null, null, int.MaxValue, 0, TimeOrder.OldestFirst, Ct))
            {
                stored.Add((o.DatastreamId, o.Result!.Value));
            }
        }

        var lost = acknowledged.Where(a => !stored.Contains((a.Datastream, a.Value))).ToList();
        Assert.True(lost.Count == 0, $"{round}: {lost.Count} of {acknowledged.Count} acknowledged observations are not stored, e.g. value {lost.FirstOrDefault()?.Value} of Datastream {lost.FirstOrDefault()?.Datastream}");
        foreach (var a in acknowledged.Where(a => a.Id is not null))
        {
            var observation = await store.Sensors.FindObservationAsync(a.Id!.Value, Ct);
            Assert.True(observation is not null && observation.Result == a.Value && observation.DatastreamId == a.Datastream, $"{round}: Observation {a.Id} is not the one acknowledged (value {a.Value})");
        }
    }

    /// <summary>Creates the Datastreams, and the account with an API token whose clients write to them.</summary>
    private static async Task<(long[] Datastreams, string User, string Token)> CreateDatastreamsAsync(string path, int count)
    {
        await using var store = await SqliteTwinStore.OpenAsync(path, s_geometryServices, Ct);
        var inserted = await store.Sensors.CreateThingAsync(
            new ThingInsert(
                new Thing(0, "Crash test station", "full-speed ingest"),
                [],
                [.. Enumerable.Range(0, count).Select(i => new DatastreamInsert(
                    new Datastream(0, $"stream {i}", "crash test", new UnitOfMeasurement("degree Celsius", "°C", "http://qudt.org/vocab/unit/DEG_C"),
                        "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement", 0, 0, 0),
                    Link<Sensor>.Create(new Sensor(0, $"sensor {i}", "a sensor", "text/html", "https://example.org/sensor")),
                    Link<ObservedProperty>.Create(new ObservedProperty(0, "temperature", "https://example.org/def/temperature", "air temperature"))))],
                s_t0),
            Ct);
        var (user, token) = await TwinServer.AccountWithTokenAsync(store, "medewerker");
        return ([.. inserted.DatastreamIds], user, token);
    }

    /// <summary>Starts <c>serve --no-demo</c> on <paramref name="store"/> and waits until it is healthy.</summary>
    private async Task<Process> StartServeAsync(string store, int port, int mqttPort)
    {
        var start = TweelingProcess.StartInfo(
            _work.Path, "--store", store, "serve", "--no-demo", "--urls", $"http://127.0.0.1:{port}", "--mqtt-port", mqttPort.ToString(CultureInfo.InvariantCulture));

        // Full-speed ingest from one loopback address is far above the per-address rate limit for people.
        start.Environment["Tweeling__Limits__AnonymousPerMinute"] = "10000000";
        start.Environment["Tweeling__Limits__AnonymousBurst"] = "10000000";
        var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var client = new HttpClient();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                lock (output)
                {
                    Assert.Fail($"serve exited with {process.ExitCode}: {output}");
                }
            }

            try
            {
                using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"), Ct);
                if (response.IsSuccessStatusCode)
                {
                    return process;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100, Ct);
        }

        process.Kill(entireProcessTree: true);
        throw new TimeoutException("serve did not become healthy within 60 s");
    }

    /// <summary>An observation the server acknowledged: its Datastream and value, and its id when the answer gave one (HTTP).</summary>
    private sealed record Acknowledged(long Datastream, double Value, long? Id);
}
