using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using MQTTnet.Formatter;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Tweeling.Server.Hosting;
using Tweeling.Server.Tests.SensorThings.Api;
using Tweeling.TestSupport;

namespace Tweeling.Server.Tests.SensorThings.Mqtt;

/// <summary>
/// SensorThings over an external MQTT broker (<c>serve --mqtt-broker</c>): a real Debian mosquitto on a free
/// port, started here as a child process; devices (mosquitto_pub) and subscribers (mosquitto_sub) speak to it,
/// and the server is its client, over MQTT 5 or 3.1.1 (<see cref="MqttExternalBroker5Tests"/>, <see cref="MqttExternalBroker311Tests"/>).
/// </summary>
public abstract class MqttExternalBrokerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset s_t0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();
    private readonly List<Process> _processes = [];
    private Process? _broker;
    private MqttTwin? _twin;
    private HttpClient? _http;
    private int _brokerPort;
    private long _datastream;
    private WeatherMulti? _weather;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Http => _http ?? throw new InvalidOperationException("not started");

    private MqttTwin Twin => _twin ?? throw new InvalidOperationException("not started");

    /// <summary>The MQTT version the server speaks to the broker.</summary>
    protected abstract MqttProtocolVersion Protocol { get; }

    public async ValueTask InitializeAsync()
    {
        _brokerPort = FreePorts.Next();
        StartBroker();
        _twin = await MqttTwin.OpenAsync(Ct);
        var inserted = await _twin.Store.Sensors.CreateThingAsync(
            new ThingInsert(
                new Thing(0, "Meetpunt Singel", "water level"),
                [Link<Location>.Create(new Location(0, "Singel", "the canal", "application/geo+json", TwinHost.GeometryServices.CreateGeometryFactory(Tweeling.Domain.Geo.Crs.Crs84Srid).CreatePoint(new NetTopologySuite.Geometries.Coordinate(4.66, 51.81))))],
                [new DatastreamInsert(
                    new Datastream(0, "waterstand", "water level", new UnitOfMeasurement("centimetre", "cm", "http://qudt.org/vocab/unit/CentiM"),
                        "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement", 0, 0, 0),
                    Link<Sensor>.Create(new Sensor(0, "peilschaal", "a gauge", "text/html", "https://example.org/gauge")),
                    Link<ObservedProperty>.Create(new ObservedProperty(0, "waterstand", "https://example.org/def/water-level", "water level")))],
                s_t0),
            Ct);
        _datastream = inserted.DatastreamIds[0];
        _weather = await SensorSeed.WeatherMultiDatastreamAsync(_twin.Store, "Haven", dataset: null);

        var url = $"http://127.0.0.1:{FreePorts.Next()}";
        var (settings, error) = MqttClientSettings.Parse($"mqtt://127.0.0.1:{_brokerPort}", url + "/sta/v1.1");
        Assert.Null(error);
        await _twin.StartAsync(url, new FakeTimeProvider(s_t0), settings! with { Protocol = Protocol }, settings: null, Ct);
        _http = await TwinServer.SignedInClientAsync(_twin.Store, new Uri(url), "medewerker");
        await WaitUntilSubscribedAsync();
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        _http?.Dispose();
        if (_twin is not null)
        {
            await _twin.DisposeAsync();
        }

        foreach (var process in _processes)
        {
            Kill(process);
        }

        _directory.Dispose();
    }

    [Fact]
    public async Task An_observation_published_to_the_external_broker_is_stored_and_its_subscribers_get_the_stored_entity()
    {
        var subscriber = await SubscribeAsync($"v1.1/Datastreams({_datastream})/Observations");
        await PublishAsync($"v1.1/Datastreams({_datastream})/Observations", """{"result": 42, "phenomenonTime": "2026-01-01T08:00:00Z"}""", "mqttv311");

        var id = await WaitForObservationAsync(42);
        var stored = await GetAsync($"/sta/v1.1/Observations({id})");

        // The broker relays the device's PUBLISH as sent; the server's update is the entity as the HTTP API writes it.
        Assert.Equal(stored, await subscriber.NextAsync(line => line.Contains("@iot.id", StringComparison.Ordinal)));

        // Without a FeatureOfInterest it got the one derived from the Thing's Location, as over HTTP.
        Assert.Contains("\"name\":\"Singel\"", await GetAsync($"/sta/v1.1/Observations({id})/FeatureOfInterest"), StringComparison.Ordinal);

        // A payload that is no Observation is not stored, and the server goes on.
        await PublishAsync("v1.1/Observations", """{"result": 1}""", "mqttv5");
        await PublishAsync("v1.1/Observations", $$$"""{"result": 43, "Datastream": {"@iot.id": {{{_datastream}}}}}""", "mqttv5");
        await WaitForObservationAsync(43);
        Assert.Equal(2, (await Twin.Store.Sensors.ObservationsAsync(_datastream, null, null, 10, 0, TimeOrder.OldestFirst, Ct)).Count);
    }

    [Fact]
    public async Task An_observation_of_a_multi_datastream_published_to_the_external_broker_is_stored_once_and_its_subscribers_get_the_stored_entity()
    {
        var multi = _weather!.Multi;
        var topic = $"v1.1/MultiDatastreams({multi})/Observations";
        var subscriber = await SubscribeAsync(topic);
        await PublishAsync(topic, """{"result": [11.5,80], "phenomenonTime": "2026-01-01T08:00:00Z"}""", "mqttv311");

        var first = (await WaitForMultiObservationsAsync(multi, 1))[0];
        Assert.Equal("[11.5,80]", first.Result.GetRawText());
        var stored = await GetAsync($"/sta/v1.1/Observations({first.Id})");
        Assert.Equal(stored, await subscriber.NextAsync(line => line.Contains("@iot.id", StringComparison.Ordinal)));
        Assert.Contains("\"name\":\"Plek Haven\"", await GetAsync($"/sta/v1.1/Observations({first.Id})/FeatureOfInterest"), StringComparison.Ordinal);

        // A result that does not fit is not stored, and the server goes on; the server's own update message (which a 3.1.1
        // broker sends back to it) was not taken for a second Observation.
        await PublishAsync(topic, """{"result": [1]}""", "mqttv5");
        await PublishAsync(topic, """{"result": [2,3]}""", "mqttv5");
        var both = await WaitForMultiObservationsAsync(multi, 2);
        Assert.Equal(["[11.5,80]", "[2,3]"], both.Select(o => o.Result.GetRawText()));

        // Recorded as the broker's, as a Datastream's Observations from it are.
        var records = new List<Tweeling.Domain.Audit.AuditRecord>();
        await foreach (var record in Twin.Store.Audit.ReadAsync(new Tweeling.Domain.Audit.AuditFilter(Action: "create"), Ct))
        {
            records.Add(record);
        }

        Assert.Equal(
            Enumerable.Repeat(("mqtt-broker", $"MQTT mqtt://127.0.0.1:{_brokerPort} -> MultiDatastreams({multi})", 1L), 2),
            records.Select(r => (r.Entry.Subject!, r.Entry.Resource, r.Entry.ResultSize)));
    }

    [Fact]
    public async Task Updates_of_other_entities_reach_their_topics_on_the_external_broker_and_the_service_root_names_it()
    {
        var thing = (await Twin.Store.Sensors.ListAsync<Thing>(0, 1, Ct)).Single().Id;
        var subscriber = await SubscribeAsync($"v1.1/Things({thing})/name");
        using var request = new HttpRequestMessage(HttpMethod.Patch, new Uri($"/sta/v1.1/Things({thing})", UriKind.Relative))
        {
            Content = new StringContent("""{"name":"Meetpunt Haven"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        using (var response = await Http.SendAsync(request, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal("""{"name":"Meetpunt Haven"}""", await subscriber.NextAsync(_ => true));

        using var root = JsonDocument.Parse(await GetAsync("/sta/v1.1"));
        var endpoints = root.RootElement.GetProperty("serverSettings")
            .GetProperty("http://www.opengis.net/spec/iot_sensing/1.1/req/create-observations-via-mqtt/observations-creation").GetProperty("endpoints");
        Assert.Equal([$"mqtt://127.0.0.1:{_brokerPort}"], endpoints.EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task The_server_reconnects_when_the_broker_comes_back()
    {
        Kill(_broker!);
        var client = Twin.Services.GetServices<IHostedService>().OfType<MqttBrokerClient>().Single();
        await WaitUntilAsync(() => Task.FromResult(!client.IsSubscribed), "the server did not notice that the broker went away");

        StartBroker();
        await WaitUntilSubscribedAsync();
        await PublishAsync($"v1.1/Datastreams({_datastream})/Observations", """{"result": 7}""", "mqttv5");
        await WaitForObservationAsync(7);
    }

    /// <summary>Starts mosquitto on the test's port with a generated configuration: loopback only, anonymous, nothing persisted.</summary>
    private void StartBroker()
    {
        var config = _directory.File("mosquitto.conf");
        File.WriteAllText(config, string.Create(CultureInfo.InvariantCulture, $"listener {_brokerPort} 127.0.0.1\nallow_anonymous true\npersistence false\n"));
        _broker = Process.Start(new ProcessStartInfo(File.Exists("/usr/sbin/mosquitto") ? "/usr/sbin/mosquitto" : "mosquitto", ["-c", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("mosquitto did not start; is the Debian package mosquitto installed?");
        _processes.Add(_broker);
    }

    private async Task WaitUntilSubscribedAsync()
    {
        var client = Twin.Services.GetServices<IHostedService>().OfType<MqttBrokerClient>().Single();
        await WaitUntilAsync(() => Task.FromResult(client.IsSubscribed), "the server did not connect to the external broker");
    }

    private async Task PublishAsync(string topic, string payload, string version)
    {
        using var publisher = Process.Start("mosquitto_pub", ["-h", "127.0.0.1", "-p", $"{_brokerPort}", "-V", version, "-i", $"device-{Guid.NewGuid():N}"[..20], "-q", "1", "-t", topic, "-m", payload])!;
        await publisher.WaitForExitAsync(Ct);
        Assert.Equal(0, publisher.ExitCode);
    }

    /// <summary>The id of the stored Observation with <paramref name="result"/>, once the server has stored it.</summary>
    private async Task<long> WaitForObservationAsync(double result)
    {
        long id = 0;
        await WaitUntilAsync(
            async () =>
            {
                var found = (await Twin.Store.Sensors.ObservationsAsync(_datastream, null, null, 100, 0, TimeOrder.OldestFirst, Ct)).FirstOrDefault(o => o.Result == result);
                id = found?.Id ?? 0;
                return found is not null;
            },
            $"the Observation with result {result} was not stored");
        return id;
    }

    /// <summary>The Observations of MultiDatastream <paramref name="multi"/> once there are <paramref name="count"/>; more fail the test.</summary>
    private async Task<IReadOnlyList<MultiObservation>> WaitForMultiObservationsAsync(long multi, int count)
    {
        IReadOnlyList<MultiObservation> found = [];
        await WaitUntilAsync(
            async () => (found = await Twin.Store.Sensors.MultiObservationsAsync(multi, 0, 100, Ct)).Count >= count,
            $"{count} Observations of MultiDatastream {multi} were not stored");

        // Wait a little longer: a message stored twice (the server's own update taken for a create) would show now.
        await Task.Delay(TimeSpan.FromMilliseconds(500), Ct);
        found = await Twin.Store.Sensors.MultiObservationsAsync(multi, 0, 100, Ct);
        Assert.Equal(count, found.Count);
        return found;
    }

    private async Task<string> GetAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    /// <summary>mosquitto_sub on the external broker, once its subscription stands (a probe topic of its own comes through).</summary>
    private async Task<Lines> SubscribeAsync(string topic)
    {
        var ready = $"tweeling-test/ready/{Guid.NewGuid():N}";
        var subscriber = Process.Start(new ProcessStartInfo("mosquitto_sub", ["-h", "127.0.0.1", "-p", $"{_brokerPort}", "-V", "mqttv5", "-q", "1", "-t", topic, "-t", ready, "-W", "30"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        _processes.Add(subscriber);
        var lines = new Lines(subscriber);
        await WaitUntilAsync(
            async () =>
            {
                await PublishAsync(ready, "ready", "mqttv311");
                return await lines.TryNextAsync(TimeSpan.FromMilliseconds(300)) == "ready";
            },
            $"mosquitto_sub did not subscribe to {topic}");
        return lines;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string failure)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), failure + " within 30 s");
            await Task.Delay(TimeSpan.FromMilliseconds(100), Ct);
        }
    }

    private static void Kill(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
        }
    }

    /// <summary>The lines (message payloads) a mosquitto_sub prints.</summary>
    private sealed class Lines(Process process)
    {
        private Task<string?>? _pending;

        /// <summary>The next message that <paramref name="wanted"/> accepts, skipping probes and others, within 20 s.</summary>
        public async Task<string> NextAsync(Func<string, bool> wanted)
        {
            while (true)
            {
                var line = await TryNextAsync(TimeSpan.FromSeconds(20)) ?? throw new TimeoutException("no wanted MQTT message within 20 s");
                if (line != "ready" && wanted(line))
                {
                    return line;
                }
            }
        }

        public async Task<string?> TryNextAsync(TimeSpan wait)
        {
            _pending ??= process.StandardOutput.ReadLineAsync(Ct).AsTask();
            if (await Task.WhenAny(_pending, Task.Delay(wait, Ct)) != _pending)
            {
                return null;
            }

            var line = await _pending;
            _pending = null;
            return line ?? throw new InvalidOperationException("mosquitto_sub exited");
        }
    }
}

/// <summary>The server speaks MQTT 5 to the external broker ("no local": its own updates do not come back).</summary>
public sealed class MqttExternalBroker5Tests : MqttExternalBrokerTests
{
    protected override MqttProtocolVersion Protocol => MqttProtocolVersion.V500;
}

/// <summary>The server speaks MQTT 3.1.1 to the external broker, as with a broker of 3.1.1 only: its own updates come back and are recognised.</summary>
public sealed class MqttExternalBroker311Tests : MqttExternalBrokerTests
{
    protected override MqttProtocolVersion Protocol => MqttProtocolVersion.V311;
}
