using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using MQTTnet.Server;
using Tweeling.Benchmarks;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Tweeling.Server.Features.SensorThings;
using Tweeling.Server.Hosting;
using Tweeling.Storage.Sqlite;
using Tweeling.TestSupport;

namespace Tweeling.Server.Tests.SensorThings.Mqtt;

/// <summary>
/// The benchmark's light MQTT 3.1.1 generator (bench/Tweeling.Benchmarks/MqttWire.cs and LightMqttPublisher.cs,
/// compiled into this project) writes packets that two independent implementations read as meant: MQTTnet's broker
/// (the one the server embeds) and Debian's mosquitto broker with mosquitto_sub; and every observation it counts as
/// acknowledged by the real server is in the store.
/// </summary>
public sealed class LightMqttPublisherTests : IDisposable
{
    private static readonly DateTimeOffset s_t0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();
    private readonly List<Process> _processes = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        foreach (var process in _processes.Where(p => !p.HasExited))
        {
            process.Kill();
            process.WaitForExit();
        }

        _directory.Dispose();
    }

    /// <summary>The remaining-length examples of MQTT 3.1.1 §2.2.3, Table 2.4: the bounds of 1 to 4 bytes.</summary>
    [Theory]
    [InlineData(0, new byte[] { 0x00 })]
    [InlineData(127, new byte[] { 0x7F })]
    [InlineData(128, new byte[] { 0x80, 0x01 })]
    [InlineData(16_383, new byte[] { 0xFF, 0x7F })]
    [InlineData(16_384, new byte[] { 0x80, 0x80, 0x01 })]
    [InlineData(2_097_151, new byte[] { 0xFF, 0xFF, 0x7F })]
    [InlineData(2_097_152, new byte[] { 0x80, 0x80, 0x80, 0x01 })]
    [InlineData(268_435_455, new byte[] { 0xFF, 0xFF, 0xFF, 0x7F })]
    public void The_remaining_length_is_encoded_as_the_specification_tabulates(int length, byte[] expected) =>
        Assert.Equal([MqttWire.Publish, .. expected], MqttWire.FixedHeader(MqttWire.Publish, length));

    [Fact]
    public void A_qos_1_publish_is_laid_out_as_section_3_3_says()
    {
        var packet = MqttWire.PublishPacket("a/b", "xy"u8, qos: 1, packetId: 0x1234);

        // 0x32: PUBLISH, QoS 1; remaining length 2 + 3 + 2 + 2 = 9; topic length 3, "a/b"; packet id; payload.
        Assert.Equal(new byte[] { 0x32, 9, 0, 3, (byte)'a', (byte)'/', (byte)'b', 0x12, 0x34, (byte)'x', (byte)'y' }, packet);
        Assert.Equal(7, MqttWire.PacketIdOffset(packet));
        Assert.Throws<ArgumentOutOfRangeException>(() => MqttWire.PublishPacket("a/b", "xy"u8, qos: 1, packetId: 0));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public async Task MQTTnets_broker_reads_the_connect_and_every_publish_and_acknowledges_what_it_counted(int qos)
    {
        var port = FreePorts.Next();
        var connects = new ConcurrentQueue<(string ClientId, string UserName, string Password, MqttProtocolVersion Version)>();
        var publishes = new ConcurrentQueue<(string Topic, byte[] Payload, MqttQualityOfServiceLevel Qos)>();
        using var broker = new MqttServerFactory().CreateMqttServer(new MqttServerOptionsBuilder()
            .WithDefaultEndpoint().WithDefaultEndpointBoundIPAddress(IPAddress.Loopback).WithDefaultEndpointPort(port).Build());
        broker.ValidatingConnectionAsync += c =>
        {
            connects.Enqueue((c.ClientId, c.UserName, c.Password, c.ProtocolVersion));
            return Task.CompletedTask;
        };
        broker.InterceptingPublishAsync += p =>
        {
            publishes.Enqueue((p.ApplicationMessage.Topic, p.ApplicationMessage.Payload.ToArray(), p.ApplicationMessage.QualityOfServiceLevel));
            p.ProcessPublish = false;
            return Task.CompletedTask;
        };
        await broker.StartAsync();

        var load = await PublishAsync(new IPEndPoint(IPAddress.Loopback, port), "sensorpartner", "geheim-token", datastream: 42, qos, window: 8, atLeast: 500);
        await broker.StopAsync();

        Assert.Equal([("light-7", "sensorpartner", "geheim-token", MqttProtocolVersion.V311)], connects);

        // Everything counted was read by the broker (QoS 1: each PUBACK; QoS 0: the PINGRESP after each burst).
        Assert.True(publishes.Count >= load.All, $"{load.All} counted, {publishes.Count} read by MQTTnet");
        Assert.All(publishes, p =>
        {
            Assert.Equal("v1.1/Datastreams(42)/Observations", p.Topic);
            Assert.Equal((MqttQualityOfServiceLevel)qos, p.Qos);
            var (observation, error) = Observations.ParseBody(p.Payload, 42, s_t0);
            Assert.True(observation is not null, error);
            Assert.Equal(0.7, observation.Result);
        });

        // Each PUBLISH carries a phenomenonTime of its own: 1 ms apart, from 2026-01-01, plus the worker's 7 ticks.
        var times = publishes.Select(p => Observations.ParseBody(p.Payload, 42, s_t0).Observation!.PhenomenonTime.Start).ToArray();
        Assert.Equal(times.Length, times.Distinct().Count());
        Assert.Equal(s_t0.AddTicks(7), times.Min());
    }

    [Fact]
    public async Task Mosquitto_acknowledges_every_publish_and_mosquitto_sub_receives_the_payloads_as_sent()
    {
        var port = FreePorts.Next();
        var config = _directory.File("mosquitto.conf");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n"), Ct);
        _processes.Add(Process.Start(new ProcessStartInfo(File.Exists("/usr/sbin/mosquitto") ? "/usr/sbin/mosquitto" : "mosquitto", ["-c", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("mosquitto did not start; is the Debian package mosquitto installed?"));
        await WaitForPortAsync(port);

        const int Expected = 200;
        // -d: mosquitto_sub also writes its protocol steps to stdout, among them the SUBACK that the publisher waits for.
        // It flushes stdout only after a message, so into a pipe the SUBACK line would wait for the first message:
        // stdbuf (coreutils) makes its stdout line-buffered.
        const string Topic = "v1.1/Datastreams(5)/Observations";
        var subscriber = Process.Start(new ProcessStartInfo("stdbuf", ["-oL", "mosquitto_sub", "-h", "127.0.0.1", "-p", $"{port}", "-V", "mqttv311", "-q", "1", "-t", Topic, "-C", $"{Expected}", "-v", "-d", "-W", "60"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        _processes.Add(subscriber);
        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = ReadLinesAsync(subscriber.StandardOutput, subscribed);

        // mosquitto_sub must stand before the first PUBLISH: mosquitto keeps no messages for a topic nobody subscribed to.
        // A fixed wait for it lost the first messages when the process started slowly; the SUBACK is the condition.
        await subscribed.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var load = await PublishAsync(new IPEndPoint(IPAddress.Loopback, port), "partner", "secret", datastream: 5, qos: 1, window: 4, atLeast: Expected);
        await subscriber.WaitForExitAsync(Ct);

        Assert.True(load.All >= Expected);
        var lines = (await output).Where(l => l.StartsWith(Topic + " ", StringComparison.Ordinal)).ToList();
        Assert.Equal(Expected, lines.Count);
        Assert.All(lines, line =>
        {
            Assert.StartsWith("v1.1/Datastreams(5)/Observations {\"phenomenonTime\":\"2026-01-01T00:00:00.", line, StringComparison.Ordinal);
            Assert.EndsWith("Z\",\"result\":0.7}", line, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Every_observation_the_real_server_acknowledged_is_in_its_store()
    {
        await using var store = await SqliteTwinStore.OpenAsync(_directory.File("twin.db"), TwinHost.GeometryServices, Ct);
        var inserted = await store.Sensors.CreateThingAsync(
            new ThingInsert(
                new Thing(0, "Luchtmeetpunt", "NO2"),
                [],
                [new DatastreamInsert(
                    new Datastream(0, "NO2", "nitrogen dioxide", new UnitOfMeasurement("microgram per cubic metre", "µg/m³", "http://qudt.org/vocab/unit/MicroGM-PER-M3"),
                        "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement", 0, 0, 0),
                    Link<Sensor>.Create(new Sensor(0, "NO2 sensor", "an electrochemical cell", "text/html", "https://example.org/sensor")),
                    Link<ObservedProperty>.Create(new ObservedProperty(0, "NO2", "https://example.org/def/no2", "nitrogen dioxide")))],
                s_t0),
            Ct);
        var datastream = inserted.DatastreamIds.Single();
        var url = $"http://127.0.0.1:{FreePorts.Next()}";
        var mqttPort = FreePorts.Next();
        await using var app = TwinHost.Build(store, url, TimeProvider.System, MqttBrokerSettings.Beside(new Uri(url), mqttPort), demoFeed: false, settings: TwinServer.OpenUnlabelledSensors);
        await app.StartAsync(Ct);
        var (user, token) = await TwinServer.AccountWithTokenAsync(store, "medewerker");

        var load = await PublishAsync(new IPEndPoint(IPAddress.Loopback, mqttPort), user, token, datastream, qos: 1, window: 4, atLeast: 300);
        await app.StopAsync(CancellationToken.None);

        var stored = await store.Sensors.ObservationsAsync(datastream, null, null, 100_000, 0, TimeOrder.OldestFirst, Ct);
        Assert.True(stored.Count >= load.All, $"{load.All} acknowledged, {stored.Count} stored");
        Assert.True(load.All >= 300);
    }

    /// <summary>One light publisher (worker 7) until at least <paramref name="atLeast"/> observations are counted; then it stops and drains.</summary>
    private static async Task<LoadWindow> PublishAsync(IPEndPoint broker, string userName, string password, long datastream, int qos, int window, int atLeast)
    {
        var load = new LoadWindow();
        using var publisher = await LightMqttPublisher.ConnectAsync(broker, userName, password, datastream, qos, window, worker: 7, Ct);
        var running = publisher.RunAsync(load, Ct);
        var clock = Stopwatch.StartNew();
        while (load.All < atLeast && !running.IsCompleted)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"only {load.All} of {atLeast} counted within 60 s");
            await Task.Delay(TimeSpan.FromMilliseconds(20), Ct);
        }

        load.Stop();
        await running;
        return load;
    }

    /// <summary>Every line <paramref name="reader"/> gives until it ends; <paramref name="subscribed"/> completes at mosquitto_sub's SUBACK line.</summary>
    private static async Task<List<string>> ReadLinesAsync(StreamReader reader, TaskCompletionSource subscribed)
    {
        var lines = new List<string>();
        while (await reader.ReadLineAsync(Ct) is { } line)
        {
            lines.Add(line);
            if (line.Contains("received SUBACK", StringComparison.Ordinal))
            {
                subscribed.TrySetResult();
            }
        }

        return lines;
    }

    private static async Task WaitForPortAsync(int port)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port, Ct);
                return;
            }
            catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), Ct);
            }
        }
    }

}
