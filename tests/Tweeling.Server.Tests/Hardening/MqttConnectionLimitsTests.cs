using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using MQTTnet;
using MQTTnet.Formatter;
using Tweeling.Domain.Ports;
using Tweeling.Server.Hosting;
using Tweeling.Server.Tests.SensorThings.Api;

namespace Tweeling.Server.Tests.Hardening;

/// <summary>
/// The embedded broker's connection limits with real MQTTnet clients over TCP: per client address (a second loopback
/// address, 127.0.0.2, stands for another client) and in all, refused in the CONNACK with the MQTT 5 reason codes;
/// a closed connection frees its place, a refused sign-in takes none; PUBLISHes over a client's rate are dropped.
/// </summary>
public sealed class MqttConnectionLimitsTests : IAsyncDisposable
{
    private readonly List<IMqttClient> _clients = [];
    private MqttTwin? _twin;
    private FakeTimeProvider _time = new(TwinServer.Now);
    private int _port;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MqttTwin Twin => _twin ?? throw new InvalidOperationException("not started");

    [Fact]
    public async Task An_address_over_its_share_is_refused_with_quota_exceeded_while_another_address_connects()
    {
        await StartAsync(perAddress: 2, total: 100);
        var (first, _) = await ConnectAsync();
        await ConnectAsync();

        var (_, refused) = await ConnectAsync();
        var (_, refused311) = await ConnectAsync(MqttProtocolVersion.V311);
        var (_, otherAddress) = await ConnectAsync(from: IPAddress.Parse("127.0.0.2"));

        Assert.Equal(MqttClientConnectResultCode.QuotaExceeded, refused.ResultCode);
        Assert.Contains("close one first", refused.ReasonString, StringComparison.Ordinal);
        Assert.NotEqual(MqttClientConnectResultCode.Success, refused311.ResultCode);
        Assert.Equal(MqttClientConnectResultCode.Success, otherAddress.ResultCode);

        // Closing one frees its place for the next connection from the same address.
        await first.DisconnectAsync(cancellationToken: Ct);
        await WaitUntilAsync(() => Limits.Open(IPAddress.Loopback).FromAddress == 1);
        Assert.Equal(MqttClientConnectResultCode.Success, (await ConnectAsync()).Result.ResultCode);
    }

    [Fact]
    public async Task A_full_broker_refuses_with_server_busy()
    {
        await StartAsync(perAddress: 100, total: 2);
        await ConnectAsync();
        await ConnectAsync(from: IPAddress.Parse("127.0.0.2"));

        var (_, refused) = await ConnectAsync(from: IPAddress.Parse("127.0.0.3"));

        Assert.Equal(MqttClientConnectResultCode.ServerBusy, refused.ResultCode);
        Assert.Equal((2, 1), Limits.Open(IPAddress.Loopback));
    }

    [Fact]
    public async Task A_refused_sign_in_takes_no_place()
    {
        await StartAsync(perAddress: 1, total: 100);
        var (user, _) = await TwinServer.AccountWithTokenAsync(Twin.Store, "medewerker");

        var (_, badPassword) = await ConnectAsync(credentials: (user, "not the token"));
        var (_, anonymous) = await ConnectAsync();

        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, badPassword.ResultCode);
        Assert.Equal(MqttClientConnectResultCode.Success, anonymous.ResultCode);
    }

    [Fact]
    public async Task Publishes_over_the_per_client_rate_are_dropped_with_quota_exceeded_until_the_next_second()
    {
        await StartAsync(perAddress: 100, total: 100, publishesPerSecond: 5);
        var datastream = (await SensorSeed.WeatherStationAsync(Twin.Store)).DatastreamIds[0];
        var (user, token) = await TwinServer.AccountWithTokenAsync(Twin.Store, "medewerker");
        var (client, connected) = await ConnectAsync(credentials: (user, token));
        var (other, _) = await ConnectAsync(credentials: (user, token));
        Assert.Equal(MqttClientConnectResultCode.Success, connected.ResultCode);

        // The server's clock stands still: every PUBLISH falls in one second.
        var answers = new List<MqttClientPublishReasonCode>();
        for (var i = 0; i < 8; i++)
        {
            answers.Add((await client.PublishAsync(Observation(datastream, i), Ct)).ReasonCode);
        }

        Assert.Equal([.. Enumerable.Repeat(MqttClientPublishReasonCode.Success, 5), .. Enumerable.Repeat(MqttClientPublishReasonCode.QuotaExceeded, 3)], answers);
        Assert.Equal(MqttClientPublishReasonCode.Success, (await other.PublishAsync(Observation(datastream, 10), Ct)).ReasonCode);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(MqttClientPublishReasonCode.Success, (await client.PublishAsync(Observation(datastream, 11), Ct)).ReasonCode);

        // Stored: the five admitted, the other client's one and the one of the next second; none of the dropped.
        var stored = await Twin.Services.GetRequiredService<IObservationStore>().ObservationsAsync(datastream, null, null, 100, 0, TimeOrder.OldestFirst, Ct);
        Assert.Equal([0.0, 1, 2, 3, 4, 10, 11], stored.Select(o => o.Result ?? double.NaN).Order());
    }

    /// <summary>
    /// Restoring the stored sessions at start is not exempt from the limits: the broker's own client connects from
    /// loopback, anonymously, like any client. It holds one place at a time (connect, subscribe, disconnect), so a
    /// broker that allows a single connection still restores every stored session and is left with its place free.
    /// </summary>
    [Fact]
    public async Task Stored_sessions_are_restored_one_connection_at_a_time_so_more_than_the_limits_allow_all_come_back()
    {
        string[] stored = ["kade-1", "kade-2", "kade-3"];
        await StartAsync(perAddress: 1, total: 1, seed: async sessions =>
        {
            foreach (var clientId in stored)
            {
                await sessions.SessionStartedAsync(clientId, TimeSpan.FromHours(1), Ct);
                await sessions.SubscribedAsync(clientId, "v1.1/Observations", 1, Ct);
            }
        });

        var broker = Twin.Services.GetServices<IHostedService>().OfType<MqttBroker>().Single();
        Assert.Equal(stored, (await broker.SessionIdsAsync()).Order(StringComparer.Ordinal));
        await WaitUntilAsync(() => Limits.Open(IPAddress.Loopback) == (0, 0));
        Assert.Equal(MqttClientConnectResultCode.Success, (await ConnectAsync()).Result.ResultCode);
    }

    private static MqttApplicationMessage Observation(long datastream, int minute) => new MqttApplicationMessageBuilder()
        .WithTopic($"v1.1/Datastreams({datastream})/Observations")
        .WithPayload($$"""{"result": {{minute}}, "phenomenonTime": "2025-03-01T11:{{minute:00}}:00Z"}""")
        .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce)
        .Build();

    private MqttConnectionLimits Limits => Twin.Services.GetRequiredService<MqttConnectionLimits>();

    private async Task StartAsync(int perAddress, int total, int publishesPerSecond = 1_000, Func<IMqttSessionStore, Task>? seed = null)
    {
        _twin = await MqttTwin.OpenAsync(Ct);
        if (seed is not null)
        {
            await seed(_twin.Store.MqttSessions);
        }

        _port = FreePorts.Next();
        var url = $"http://127.0.0.1:{FreePorts.Next()}";
        var settings = new Dictionary<string, string?>(TwinServer.OpenUnlabelledSensors)
        {
            ["Tweeling:Mqtt:ConnectionsPerAddress"] = $"{perAddress}",
            ["Tweeling:Mqtt:MaxConnections"] = $"{total}",
            ["Tweeling:Mqtt:PublishesPerSecond"] = $"{publishesPerSecond}",
        };
        await _twin.StartAsync(url, _time, MqttBrokerSettings.Beside(new Uri(url), _port), settings, Ct);
    }

    /// <summary>Connects a new client; MQTTnet 5 returns a refusing CONNACK as the result rather than throwing.</summary>
    private async Task<(IMqttClient Client, MqttClientConnectResult Result)> ConnectAsync(MqttProtocolVersion version = MqttProtocolVersion.V500, IPAddress? from = null, (string User, string Secret)? credentials = null)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        _clients.Add(client);
        var options = new MqttClientOptionsBuilder()
            .WithEndPoint(new IPEndPoint(IPAddress.Loopback, _port))
            .WithTcpServer(tcp => tcp.LocalEndpoint = new IPEndPoint(from ?? IPAddress.Loopback, 0))
            .WithProtocolVersion(version)
            .WithClientId("grens-" + Guid.NewGuid().ToString("N"));
        if (credentials is { } c)
        {
            options.WithCredentials(c.User, c.Secret);
        }

        return (client, await client.ConnectAsync(options.Build(), Ct));
    }

    /// <summary>
    /// Waits for <paramref name="condition"/> (a connection the broker has yet to count or to release), bounded by 30 s of
    /// real time rather than by 100 polls (5 s), which is short for a machine shared at a load of 100.
    /// </summary>
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50, Ct);
        }

        Assert.True(condition(), $"the condition did not hold within {clock.Elapsed.TotalSeconds:F0} s");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        if (_twin is not null)
        {
            await _twin.DisposeAsync();
        }
    }
}
