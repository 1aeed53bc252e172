using System.Buffers;
using System.Net;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Governance.Access;
using Tweeling.Server.Features.Live;
using Tweeling.Server.Features.SensorThings;

namespace Tweeling.Server.Hosting;

/// <summary>
/// The embedded MQTT broker (MQTTnet), so one process is enough for sensor traffic: SensorThings'
/// MQTT extension and partners' devices publish to it on port 1883 by default. It listens on the
/// same address as the web server's first URL (loopback by default); <c>serve --mqtt-port 0</c>
/// turns it off, for a deployment that uses an external MQTT 3.1.1/5 broker.
/// </summary>
/// <remarks>
/// A PUBLISH of an Observation to <c>v1.1/Observations</c> or <c>v1.1/Datastreams(id)/Observations</c>
/// (SensorThings "create observations via MQTT") is stored before the broker acknowledges it: MQTTnet
/// sends the PUBACK of a QoS 1 message after this interceptor returns, and the append returns only when
/// the observation is durable. A payload that is not an Observation is not stored nor relayed; MQTT 5
/// clients get the reason in the PUBACK, MQTT 3.1.1 has no way to say it. Such a PUBLISH is not relayed
/// as it was sent: subscribers of those topics receive the stored entity instead (receive updates). A
/// PUBLISH to any other <c>v1.1/</c> topic is refused, since only the server's updates go there.
/// <para>
/// SensorThings "receive updates via MQTT": a client that SUBSCRIBEs to an entity set, an entity, a property,
/// a navigation set or a <c>?$select=</c> topic gets each create or update once committed (from the
/// <see cref="ObservationBus"/> and the <see cref="EntityChangeBus"/>), written by <see cref="MqttUpdates"/>.
/// Subscribers do not sign in yet, so all of them count as <c>publiek</c>: only open sensor data is published.
/// </para>
/// </remarks>
internal sealed partial class MqttBroker(
    MqttBrokerSettings settings,
    IObservationStore observations,
    ObservationBus observationBus,
    EntityChangeBus entityBus,
    ReadAccess access,
    SensorAccess sensorAccess,
    CrsTransformer crs,
    TimeProvider time,
    ILogger<MqttBroker> logger) : IHostedService, IAsyncDisposable
{
    /// <summary>The sender of the update messages the server injects; no client may take this id.</summary>
    private const string UpdatesSender = "tweeling-updates";

    private readonly MqttSubscriptions _subscriptions = new();
    private readonly CancellationTokenSource _stopping = new();
    private MqttServer? _server;
    private Task _updates = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(settings.Address)
            .WithDefaultEndpointPort(settings.Port)
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(options);
        _server.ValidatingConnectionAsync += AssignClientIdentifier;
        _server.InterceptingPublishAsync += CreateObservationAsync;
        _server.ClientSubscribedTopicAsync += e =>
        {
            _subscriptions.Subscribed(e.ClientId, e.TopicFilter.Topic);
            return Task.CompletedTask;
        };
        _server.ClientUnsubscribedTopicAsync += e =>
        {
            _subscriptions.Unsubscribed(e.ClientId, e.TopicFilter);
            return Task.CompletedTask;
        };
        _server.ClientDisconnectedAsync += e =>
        {
            _subscriptions.Disconnected(e.ClientId);
            return Task.CompletedTask;
        };
        await _server.StartAsync();
        var updates = new MqttUpdates(_subscriptions, settings.ServiceRoot, crs);

        // Subscribed before StartAsync returns, so that no change committed after the start is missed.
        var observationChanges = observationBus.Subscribe();
        var entityChanges = entityBus.Subscribe();
        _updates = Task.WhenAll(
            Task.Run(
                () => PublishUpdatesAsync(
                    observationChanges, s => s.Reader, (item, ct) => item.Observation is { } o ? IsOpenAsync(SensorEntitySet.Datastreams, o.DatastreamId, ct) : Task.FromResult(false),
                    item => item.Observation is { } observation ? updates.ForObservation(observation) : [], _stopping.Token),
                CancellationToken.None),
            Task.Run(
                () => PublishUpdatesAsync(
                    entityChanges, s => s.Reader, (change, ct) => IsOpenAsync(EntitySet.All.First(e => e.EntityType == change.Entity.GetType().Name).Key, change.Entity.Id, ct),
                    updates.ForChange, _stopping.Token),
                CancellationToken.None));
        Log.Listening(logger, settings.Address.ToString(), settings.Port);
    }

    /// <summary>
    /// Whether the entity may go to every subscriber. The broker does not know who subscribes (clients do not sign in
    /// over MQTT yet), so every subscriber counts as <c>publiek</c> and gets open sensor data only. Asked only while
    /// someone subscribes, so ingest without subscribers pays nothing.
    /// </summary>
    private async Task<bool> IsOpenAsync(SensorEntitySet set, long id, CancellationToken cancellationToken)
    {
        var visibility = await access.SensorVisibilityAsync(Caller.Anonymous, cancellationToken);
        return set == SensorEntitySet.Datastreams
            ? await sensorAccess.SeesDatastreamAsync(visibility, id, cancellationToken)
            : await sensorAccess.SeesAsync(visibility, set, id, cancellationToken);
    }

    /// <summary>Injects the update messages of every committed change that <paramref name="isOpen"/> lets out, until the broker stops.</summary>
    private async Task PublishUpdatesAsync<TSubscription, TChange>(
        TSubscription subscription,
        Func<TSubscription, ChannelReader<TChange>> reader,
        Func<TChange, CancellationToken, Task<bool>> isOpen,
        Func<TChange, IEnumerable<MqttApplicationMessage>> messages,
        CancellationToken stopping)
        where TSubscription : IDisposable
    {
        using (subscription)
        {
            try
            {
                await foreach (var change in reader(subscription).ReadAllAsync(stopping))
                {
                    try
                    {
                        if (_subscriptions.IsEmpty || !await isOpen(change, stopping))
                        {
                            continue;
                        }

                        foreach (var message in messages(change))
                        {
                            await _server!.InjectApplicationMessage(new InjectedMqttApplicationMessage(message) { SenderClientId = UpdatesSender }, stopping);
                        }
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // One update that cannot be written or sent must not end the updates of everything after it.
                        Log.UpdateNotSent(logger, e);
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // the broker stops
            }
        }
    }

    /// <summary>
    /// MQTT lets a client connect with an empty client id (3.1.1 §3.1.3.1 with a clean session, 5.0
    /// §3.1.3.1), and then the server assigns one; mosquitto_pub and mosquitto_sub do exactly that.
    /// </summary>
    private static Task AssignClientIdentifier(ValidatingConnectionEventArgs connection)
    {
        if (connection.ClientId == UpdatesSender)
        {
            connection.ReasonCode = MqttConnectReasonCode.ClientIdentifierNotValid;
        }
        else if (string.IsNullOrEmpty(connection.ClientId))
        {
            connection.AssignedClientIdentifier = "tweeling-" + Guid.NewGuid().ToString("N");
        }

        return Task.CompletedTask;
    }

    private async Task CreateObservationAsync(InterceptingPublishEventArgs publish)
    {
        const string Version = "v1.1/";
        var topic = publish.ApplicationMessage.Topic;
        if (publish.ClientId == UpdatesSender || !topic.StartsWith(Version, StringComparison.Ordinal))
        {
            return;
        }

        if (!Observations.TryObservationTarget(topic[Version.Length..], out var datastreamId))
        {
            // The other SensorThings topics carry what the server committed; a client's message there would pass for it.
            publish.ProcessPublish = false;
            publish.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            publish.Response.ReasonString = "Only Observations can be created over MQTT (v1.1/Observations, v1.1/Datastreams(id)/Observations); the other v1.1 topics carry the server's updates.";
            Log.PublishRefused(logger, topic, publish.ClientId);
            return;
        }

        var (observation, error) = Observations.ParseBody(publish.ApplicationMessage.Payload.ToArray(), datastreamId, time.GetUtcNow());
        if (observation is not null)
        {
            try
            {
                await observations.AppendAsync([observation], publish.CancellationToken);

                // Subscribers get the stored Observation from the bus, not the payload as it was sent.
                publish.ProcessPublish = false;
                return;
            }
            catch (SensorLinkException e)
            {
                error = e.Message;
            }
        }

        publish.ProcessPublish = false;
        publish.Response.ReasonCode = MqttPubAckReasonCode.PayloadFormatInvalid;
        publish.Response.ReasonString = error;
        Log.ObservationRefused(logger, topic, publish.ClientId);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _updates;
        if (_server is not null)
        {
            await _server.StopAsync();
        }
    }

    public ValueTask DisposeAsync()
    {
        _server?.Dispose();
        _stopping.Dispose();
        return ValueTask.CompletedTask;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "MQTT broker listening on {Address}:{Port}")]
        public static partial void Listening(ILogger logger, string address, int port);

        // The payload is not logged: it may hold data of a partner's sensor that is not open.
        [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "MQTT PUBLISH to {Topic} by client {ClientId} is not a valid Observation; not stored")]
        public static partial void ObservationRefused(ILogger logger, string topic, string clientId);

        [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "MQTT PUBLISH to {Topic} by client {ClientId} refused: only the server publishes there")]
        public static partial void PublishRefused(ILogger logger, string topic, string clientId);

        [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "MQTT update messages of a committed change could not be sent")]
        public static partial void UpdateNotSent(ILogger logger, Exception exception);
    }
}

/// <summary>Where the embedded MQTT broker listens.</summary>
/// <param name="Address">The address to bind.</param>
/// <param name="Port">The TCP port (1883 by default).</param>
/// <param name="ServiceRoot">The SensorThings service root that the selfLinks of update messages start with.</param>
internal sealed record MqttBrokerSettings(IPAddress Address, int Port, string ServiceRoot)
{
    /// <summary>The MQTT port IANA assigns (without TLS).</summary>
    public const int DefaultPort = 1883;

    /// <summary>The broker beside a web server listening at <paramref name="url"/>: the same address, <paramref name="port"/>.</summary>
    public static MqttBrokerSettings Beside(Uri url, int port) => new(
        url.Host switch
        {
            "localhost" => IPAddress.Loopback,
            "*" or "+" or "0.0.0.0" => IPAddress.Any,
            var host when IPAddress.TryParse(host.Trim('[', ']'), out var address) => address,
            _ => IPAddress.Any,
        },
        port,
        url.GetLeftPart(UriPartial.Authority) + StaApi.Prefix);
}
