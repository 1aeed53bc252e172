using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Governance.Access;
using Tweeling.Governance.Audit;
using Tweeling.Governance.Identity;
using Tweeling.Server.Features.Live;
using Tweeling.Server.Features.SensorThings;

namespace Tweeling.Server.Hosting;

/// <summary>
/// The embedded MQTT broker (MQTTnet), so one process is enough for sensor traffic: SensorThings'
/// MQTT extension and partners' devices publish to it on port 1883 by default. It listens on the
/// same address as the web server's first URL (loopback by default, IPv4 and IPv6; <see cref="ListenAddresses"/>);
/// <c>serve --mqtt-port 0</c>
/// turns it off, for a deployment that uses an external MQTT 3.1.1/5 broker.
/// </summary>
/// <remarks>
/// A PUBLISH of an Observation to <c>v1.1/Observations</c>, <c>v1.1/Datastreams(id)/Observations</c>,
/// <c>v1.1/FeaturesOfInterest(id)/Observations</c> or <c>v1.1/MultiDatastreams(id)/Observations</c> (linked to the topic's entity)
/// (SensorThings "create observations via MQTT") is stored before the broker acknowledges it: MQTTnet
/// sends the PUBACK of a QoS 1 message after this interceptor returns, and the append returns only when
/// the observation is durable; one without a FeatureOfInterest gets the one derived from its Thing's Location,
/// as an HTTP POST does (<see cref="DerivedFeatureCache"/>). A payload that is not an Observation is not stored nor relayed; MQTT 5
/// clients get the reason in the PUBACK, MQTT 3.1.1 has no way to say it. Such a PUBLISH is not relayed
/// as it was sent: subscribers of those topics receive the stored entity instead (receive updates). A
/// PUBLISH to any other <c>v1.1/</c> topic is refused, since only the server's updates go there.
/// <para>
/// SensorThings "receive updates via MQTT": a client that SUBSCRIBEs to an entity set, an entity, a property,
/// a navigation set or a <c>?$select=</c> topic gets each create or update once committed (from the
/// <see cref="ObservationBus"/> and the <see cref="EntityChangeBus"/>; an Observation's update, like any other
/// entity's, comes from the latter and is open when its Datastream is), written by <see cref="MqttUpdates"/>.
/// A delete sends nothing: §14.2 notifies of created and updated entities only.
/// Updates are published to every subscriber alike, so only what <c>publiek</c> may read (open sensor data) is published.
/// </para>
/// <para>
/// Persistent sessions: a client that connects without a clean session (MQTT 3.1.1 clean session 0, MQTT 5 a
/// session expiry interval above 0) keeps its subscriptions while it is away, and the QoS 1 updates sent in
/// the meantime wait for it (up to <see cref="MaxPendingMessages"/>, the oldest dropped first). A session ends
/// when its expiry interval has passed, and at the latest after <see cref="MaxSessionExpiry"/> away (also a
/// 3.1.1 session, which has no interval). A persistent session and its subscriptions are stored
/// (<see cref="IMqttSessionStore"/>) and restored when the server starts again, with what is left of its expiry,
/// so a restart does not end it; the update messages that were waiting in it when the server stopped are lost.
/// </para>
/// </remarks>
internal sealed partial class MqttBroker(
    MqttBrokerSettings settings,
    IObservationStore observations,
    ISensorStore sensors,
    DerivedFeatureCache derivedFeatures,
    ObservationBus observationBus,
    EntityChangeBus entityBus,
    ReadAccess access,
    SensorAccess sensorAccess,
    IMqttSessionStore sessionStore,
    CrsTransformer crs,
    TimeProvider time,
    SignIn signIn,
    MqttConnectionLimits connectionLimits,
    MqttPublishRate publishRate,
    ILogger<MqttBroker> logger) : IHostedService, IAsyncDisposable
{
    /// <summary>The sender of the update messages the server injects; no client may take this id.</summary>
    private const string UpdatesSender = "tweeling-updates";

    /// <summary>The update messages kept per client, connected or away, before the oldest are dropped.</summary>
    public const int MaxPendingMessages = 10_000;

    /// <summary>The longest a session is kept for a client that is away, whatever it asked for.</summary>
    public static readonly TimeSpan MaxSessionExpiry = TimeSpan.FromDays(1);

    private readonly MqttSubscriptions _subscriptions = new();

    /// <summary>
    /// The latest connection (a number that only grows) of each client id whose session exists, so that the
    /// expiry timer of an earlier absence sees that the client came back.
    /// </summary>
    private readonly ConcurrentDictionary<string, long> _connections = new(StringComparer.Ordinal);
    private long _connectionCount;

    /// <summary>The session expiry interval (seconds) each client id asked for in its latest CONNECT (MQTT 5; 0 over 3.1.1).</summary>
    private readonly ConcurrentDictionary<string, uint> _requestedExpiry = new(StringComparer.Ordinal);

    /// <summary>
    /// What a validated CONNECT decided, until the client is connected: who signed in, whether it starts clean, and
    /// how long its session persists (<c>null</c>: not at all).
    /// </summary>
    private readonly ConcurrentDictionary<string, (Caller Caller, bool CleanStart, TimeSpan? Persists)> _connecting = new(StringComparer.Ordinal);
    /// <summary>
    /// The restoring connection of each stored session, until the broker has seen it end: the next session's restore
    /// waits for it, because the connection's place under the limits is freed only then (a broker that allows one
    /// connection would otherwise refuse the next restore).
    /// </summary>
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _restoring = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private MqttServer? _server;
    private Task _updates = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var (ipv4, ipv6) = ListenAddresses(settings.Address);
        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(ipv4)
            .WithDefaultEndpointBoundIPV6Address(ipv6)
            .WithDefaultEndpointPort(settings.Port)
            .WithPersistentSessions()
            .WithMaxPendingMessagesPerClient(MaxPendingMessages)
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(options);
        _server.ValidatingConnectionAsync += connection => connectionLimits.ValidateAsync(connection, async () =>
        {
            await AssignClientIdentifier(connection);
            await SignInAsync(connection);
        });
        _server.InterceptingPublishAsync += CreateObservationAsync;
        _server.ClientSubscribedTopicAsync += async e =>
        {
            _subscriptions.Subscribed(e.ClientId, e.TopicFilter.Topic);
            await StoreSessionAsync(e.ClientId, ct => sessionStore.SubscribedAsync(e.ClientId, e.TopicFilter.Topic, (int)e.TopicFilter.QualityOfServiceLevel, ct));
        };
        _server.ClientUnsubscribedTopicAsync += async e =>
        {
            _subscriptions.Unsubscribed(e.ClientId, e.TopicFilter);
            await StoreSessionAsync(e.ClientId, ct => sessionStore.UnsubscribedAsync(e.ClientId, e.TopicFilter, ct));
        };
        _server.ClientConnectedAsync += async e =>
        {
            _connections[e.ClientId] = Interlocked.Increment(ref _connectionCount);
            if (_connecting.TryRemove(e.ClientId, out var connect))
            {
                // MQTTnet keeps the items of a session it resumes, not those of the new CONNECT: the caller is who signed in now.
                e.SessionItems[typeof(Caller)] = connect.Caller;
                await StoreSessionAsync(e.ClientId, async ct =>
                {
                    if (connect.CleanStart)
                    {
                        await sessionStore.SessionEndedAsync(e.ClientId, ct);
                    }

                    if (connect.Persists is { } expiry)
                    {
                        await sessionStore.SessionStartedAsync(e.ClientId, expiry, ct);
                    }
                });
            }
        };
        _server.ClientDisconnectedAsync += async e =>
        {
            connectionLimits.Disconnected(e);
            publishRate.Disconnected(e.ClientId);
            if (_restoring.TryRemove(e.ClientId, out var restored))
            {
                restored.TrySetResult();
            }

            // MQTTnet deletes a session that does not persist before this event (SessionDeletedAsync); one that persists is left to expire.
            if (_connections.TryGetValue(e.ClientId, out var connection))
            {
                _ = ExpireSessionAsync(e.ClientId, connection, Expiry(_requestedExpiry.GetValueOrDefault(e.ClientId)), _stopping.Token);
                await StoreSessionAsync(e.ClientId, ct => sessionStore.SessionAwayAsync(e.ClientId, time.GetUtcNow(), ct));
            }
        };
        _server.SessionDeletedAsync += async e =>
        {
            _connections.TryRemove(e.Id, out _);
            _requestedExpiry.TryRemove(e.Id, out _);
            _subscriptions.SessionEnded(e.Id);
            await StoreSessionAsync(e.Id, ct => sessionStore.SessionEndedAsync(e.Id, ct));
        };
        await _server.StartAsync();
        await RestoreSessionsAsync(cancellationToken);
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
                    entityChanges, s => s.Reader, (change, ct) => change.Entity switch
                    {
                        Domain.Sensors.Observation updated => IsOpenAsync(SensorEntitySet.Datastreams, updated.DatastreamId, ct),
                        Domain.Sensors.MultiObservation multi => IsOpenAsync(SensorEntitySet.MultiDatastreams, multi.MultiDatastreamId, ct),
                        var other => IsOpenAsync(EntitySet.Of(other).Key, other.Id, ct),
                    },
                    updates.ForChange, _stopping.Token),
                CancellationToken.None));
        Log.Listening(logger, string.Join(" and ", new[] { ipv4, ipv6 }.Where(a => !a.Equals(IPAddress.None)).Select(a => new IPEndPoint(a, settings.Port).ToString())));
    }

    /// <summary>
    /// The IPv4 and IPv6 addresses the broker listens on for <paramref name="address"/> (<see cref="IPAddress.None"/>:
    /// that family not at all). MQTTnet listens on every IPv6 address unless told otherwise, which put a broker meant for
    /// loopback on the network: now an address is only itself, IPv4 loopback with IPv6 loopback (a client that resolves
    /// <c>localhost</c> to <c>::1</c> still connects), and either family's any address means every address of both.
    /// </summary>
    internal static (IPAddress IPv4, IPAddress IPv6) ListenAddresses(IPAddress address) => address switch
    {
        _ when address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) => (IPAddress.Any, IPAddress.IPv6Any),
        _ when address.Equals(IPAddress.Loopback) || address.Equals(IPAddress.IPv6Loopback) => (IPAddress.Loopback, IPAddress.IPv6Loopback),
        { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } => (IPAddress.None, address),
        _ => (address, IPAddress.None),
    };

    /// <summary>
    /// Keeps the stored copy of a session current. A store that fails is logged and does not fail the client's
    /// CONNECT, SUBSCRIBE or disconnect: the live session is right, only a restart would miss the change.
    /// </summary>
    private async Task StoreSessionAsync(string clientId, Func<CancellationToken, Task> write)
    {
        try
        {
            await write(CancellationToken.None);
        }
        catch (Exception e)
        {
            Log.SessionNotStored(logger, clientId, e);
        }
    }

    /// <summary>How long a session stays while its client is away: the interval it asked for (seconds; 0 over 3.1.1), at most <see cref="MaxSessionExpiry"/>.</summary>
    private static TimeSpan Expiry(uint requested) =>
        requested == 0 ? MaxSessionExpiry : TimeSpan.FromSeconds(Math.Min(requested, MaxSessionExpiry.TotalSeconds));

    /// <summary>
    /// Makes the stored persistent sessions again, as their clients left them: MQTTnet cannot load sessions, so a
    /// client of the broker's own connects with each client id (MQTT 5, no clean start, the expiry that is left),
    /// subscribes to the stored topic filters and goes away — from then on the session is like any other that waits
    /// for its client. A session whose expiry passed while the server was down is ended instead.
    /// </summary>
    /// <summary>How long a restore waits for the broker to see its connection end (normally within milliseconds).</summary>
    private static readonly TimeSpan s_restoreDisconnectWait = TimeSpan.FromSeconds(10);

    private async Task RestoreSessionsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var address = settings.Address.Equals(IPAddress.Any) ? IPAddress.Loopback
            : settings.Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback
            : settings.Address;
        foreach (var session in await sessionStore.SessionsAsync(cancellationToken))
        {
            // A client still connected when the server went down (a crash leaves no time away) is away since this start.
            var left = session.AwaySince is { } since ? session.Expiry - (now - since) : session.Expiry;
            if (left < TimeSpan.FromSeconds(1) || session.Subscriptions.Count == 0)
            {
                await sessionStore.SessionEndedAsync(session.ClientId, cancellationToken);
                continue;
            }

            var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _restoring[session.ClientId] = ended;
            try
            {
                using var client = new MqttClientFactory().CreateMqttClient();
                await client.ConnectAsync(
                    new MqttClientOptionsBuilder()
                        .WithEndPoint(new IPEndPoint(address, settings.Port))
                        .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
                        .WithClientId(session.ClientId)
                        .WithCleanStart(false)
                        .WithSessionExpiryInterval((uint)left.TotalSeconds)
                        .Build(),
                    cancellationToken);
                var subscribe = new MqttClientSubscribeOptionsBuilder();
                foreach (var (filter, qos) in session.Subscriptions)
                {
                    subscribe.WithTopicFilter(f => f.WithTopic(filter).WithQualityOfServiceLevel((MqttQualityOfServiceLevel)qos));
                }

                await client.SubscribeAsync(subscribe.Build(), cancellationToken);
                await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), cancellationToken);
                await ended.Task.WaitAsync(s_restoreDisconnectWait, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One session that cannot be restored must not keep the broker from starting; its client subscribes afresh.
                Log.SessionNotRestored(logger, session.ClientId, e);
            }
            finally
            {
                _restoring.TryRemove(session.ClientId, out _);
            }
        }
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
    /// Ends the session of <paramref name="clientId"/> once it has been away for <paramref name="expiry"/>, unless
    /// it connected again meanwhile (its connection count moved on from <paramref name="connection"/>).
    /// </summary>
    private async Task ExpireSessionAsync(string clientId, long connection, TimeSpan expiry, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(expiry, time, stopping);
            if (_connections.GetValueOrDefault(clientId) != connection)
            {
                return;
            }

            foreach (var session in await _server!.GetSessionsAsync())
            {
                if (session.Id == clientId)
                {
                    await session.DeleteAsync();
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // the broker stops, and its sessions with it
        }
        catch (Exception e)
        {
            // Nothing awaits this task: what fails is logged, and the session stays until the next restart.
            Log.SessionNotExpired(logger, clientId, e);
        }
    }

    /// <summary>
    /// MQTT 5 lets a client connect with an empty client id (§3.1.3.1), and then the server assigns one;
    /// mosquitto_pub and mosquitto_sub do exactly that. MQTTnet refuses an empty id over MQTT 3.1.1, which
    /// cannot tell the client the id it got (3.1.1 §3.1.3.1 allows refusing it). A clean start ends what the
    /// client's previous session subscribed to.
    /// </summary>
    private Task AssignClientIdentifier(ValidatingConnectionEventArgs connection)
    {
        if (connection.ClientId == UpdatesSender)
        {
            connection.ReasonCode = MqttConnectReasonCode.ClientIdentifierNotValid;
            return Task.CompletedTask;
        }

        if (string.IsNullOrEmpty(connection.ClientId))
        {
            connection.AssignedClientIdentifier = "tweeling-" + Guid.NewGuid().ToString("N");
        }
        else if (connection.CleanSession == true)
        {
            _subscriptions.SessionEnded(connection.ClientId);
        }

        // Only an interval is kept (none reads as 0): a refused connection, such as a 3.1.1 one without an id, leaves nothing behind.
        var clientId = connection.AssignedClientIdentifier ?? connection.ClientId;
        if (connection.SessionExpiryInterval > 0)
        {
            _requestedExpiry[clientId] = connection.SessionExpiryInterval;
        }
        else
        {
            _requestedExpiry.TryRemove(clientId, out _);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// A CONNECT with a user name signs in as that local account: the password is one of its API tokens or
    /// its password. Wrong credentials are refused (reason code 0x86, "bad user name or password", in MQTT 5;
    /// return code 4 in 3.1.1). A CONNECT without a user name is anonymous: it may subscribe to the updates,
    /// and may not publish (see <see cref="MayPublish"/>).
    /// </summary>
    private async Task SignInAsync(ValidatingConnectionEventArgs connection)
    {
        if (connection.ReasonCode != MqttConnectReasonCode.Success)
        {
            return;
        }

        var caller = Caller.Anonymous;
        if (!string.IsNullOrEmpty(connection.UserName))
        {
            if (await signIn.WithUserNameAndSecretAsync(connection.UserName, connection.Password ?? string.Empty, CancellationToken.None) is not { } signedIn)
            {
                connection.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
                Log.SignInRefused(logger, connection.ClientId);
                return;
            }

            caller = signedIn;
        }

        connection.SessionItems[typeof(Caller)] = caller;

        // MQTT 5 keeps a session when it asks for an expiry interval (§3.1.2.11.2), 3.1.1 when it does not ask for a clean session (§3.1.2.4).
        TimeSpan? persists = connection.ProtocolVersion == MQTTnet.Formatter.MqttProtocolVersion.V500
            ? connection.SessionExpiryInterval > 0 ? Expiry(connection.SessionExpiryInterval) : null
            : connection.CleanSession == true ? null : MaxSessionExpiry;
        if (connection.ProtocolVersion == MQTTnet.Formatter.MqttProtocolVersion.V500 || !string.IsNullOrEmpty(connection.ClientId))
        {
            // (MQTTnet refuses a 3.1.1 CONNECT without a client id after this: nothing is remembered for it.)
            _connecting[connection.AssignedClientIdentifier ?? connection.ClientId] = (caller, connection.CleanSession == true, persists);
        }
    }

    /// <summary>
    /// Only a client signed in with a role that may write (<see cref="WriteAccess"/>) publishes: Observations it
    /// creates are the city's data, and a broker that relays anyone's messages would be an open relay.
    /// </summary>
    private static bool MayPublish(InterceptingPublishEventArgs publish) =>
        publish.SessionItems[typeof(Caller)] is Caller caller && WriteAccess.MayWrite(caller);

    private async Task CreateObservationAsync(InterceptingPublishEventArgs publish)
    {
        const string Version = "v1.1/";
        var topic = publish.ApplicationMessage.Topic;
        if (publish.ClientId == UpdatesSender)
        {
            return;
        }

        if (publishRate.Count(publish.ClientId) is { Admitted: false } rate)
        {
            publish.ProcessPublish = false;
            publish.Response.ReasonCode = MqttPubAckReasonCode.QuotaExceeded;
            publish.Response.ReasonString = $"A client may publish at most {publishRate.PerSecond} messages a second; this one was not stored.";
            if (rate.FirstRefused)
            {
                Log.PublishRateExceeded(logger, publish.ClientId, publishRate.PerSecond);
            }

            return;
        }

        if (!MayPublish(publish))
        {
            publish.ProcessPublish = false;
            publish.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            publish.Response.ReasonString = "Publishing needs sign-in with a role that may write (medewerker, datasteward or beheerder): connect with the account's user name and an API token as password.";
            Log.PublishNotAuthorized(logger, topic, publish.ClientId);
            return;
        }

        if (!topic.StartsWith(Version, StringComparison.Ordinal))
        {
            return;
        }

        if (Observations.TryMultiDatastreamTarget(topic[Version.Length..], out var multiDatastreamId))
        {
            await CreateMultiObservationAsync(publish, multiDatastreamId);
            return;
        }

        if (!Observations.TryObservationTarget(topic[Version.Length..], out var datastreamId, out var featureId))
        {
            // The other SensorThings topics carry what the server committed; a client's message there would pass for it.
            publish.ProcessPublish = false;
            publish.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            publish.Response.ReasonString = "Only Observations can be created over MQTT (v1.1/Observations, v1.1/Datastreams(id)/Observations, v1.1/FeaturesOfInterest(id)/Observations, v1.1/MultiDatastreams(id)/Observations); the other v1.1 topics carry the server's updates.";
            Log.PublishRefused(logger, topic, publish.ClientId);
            return;
        }

        // A payload read in one piece is parsed where it lies; only one split across reads is copied first.
        var payload = publish.ApplicationMessage.Payload;
        var (observation, error) = Observations.ParseBody(payload.IsSingleSegment ? payload.First : payload.ToArray(), datastreamId, time.GetUtcNow(), featureId);
        if (observation is not null)
        {
            try
            {
                // Without a FeatureOfInterest it gets the one derived from its Thing's Location, as over HTTP.
                // Recorded as the signed-in client; group commit folds one client's PUBLISHes to one Datastream into one record.
                var caller = (Caller)publish.SessionItems[typeof(Caller)]!;
                var record = AuditEntries.For(caller, time.GetUtcNow(), "create", $"MQTT PUBLISH {topic} -> Datastreams({observation.DatastreamId})", 1, "observations");
                await derivedFeatures.AppendAsync(observations, [observation], [record], publish.CancellationToken);

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

    /// <summary>
    /// Creates an Observation of MultiDatastream <paramref name="multiDatastreamId"/> from a PUBLISH to
    /// <c>v1.1/MultiDatastreams(id)/Observations</c> (<see cref="Observations.CreateMultiObservationAsync"/>), durable before
    /// the PUBACK, which refuses it with the reason when it does not fit.
    /// </summary>
    private async Task CreateMultiObservationAsync(InterceptingPublishEventArgs publish, long multiDatastreamId)
    {
        var topic = publish.ApplicationMessage.Topic;
        publish.ProcessPublish = false;
        var error = await Observations.CreateMultiObservationAsync(
            sensors,
            publish.ApplicationMessage.Payload,
            multiDatastreamId,
            (Caller)publish.SessionItems[typeof(Caller)]!,
            id => $"MQTT PUBLISH {topic} -> Observations({id.ToString(CultureInfo.InvariantCulture)})",
            time,
            publish.CancellationToken);
        if (error is not null)
        {
            publish.Response.ReasonCode = MqttPubAckReasonCode.PayloadFormatInvalid;
            publish.Response.ReasonString = error;
            Log.ObservationRefused(logger, topic, publish.ClientId);
        }
    }

    /// <summary>The client ids whose sessions the broker keeps, connected or away.</summary>
    public async Task<IReadOnlyList<string>> SessionIdsAsync() =>
        _server is null ? [] : [.. (await _server.GetSessionsAsync()).Select(s => s.Id)];

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
        /// <summary>Every endpoint the broker listens on (<see cref="ListenAddresses"/>): an IPv4 and an IPv6 one for loopback or any address.</summary>
        [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "MQTT broker listening on {Endpoints}")]
        public static partial void Listening(ILogger logger, string endpoints);

        // The payload is not logged: it may hold data of a partner's sensor that is not open.
        [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "MQTT PUBLISH to {Topic} by client {ClientId} is not a valid Observation; not stored")]
        public static partial void ObservationRefused(ILogger logger, string topic, string clientId);

        [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "MQTT PUBLISH to {Topic} by client {ClientId} refused: only the server publishes there")]
        public static partial void PublishRefused(ILogger logger, string topic, string clientId);

        [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "The expired MQTT session of client {ClientId} could not be ended")]
        public static partial void SessionNotExpired(ILogger logger, string clientId, Exception exception);

        [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "MQTT CONNECT of client {ClientId} refused: the user name and password were not accepted")]
        public static partial void SignInRefused(ILogger logger, string clientId);

        [LoggerMessage(EventId = 1008, Level = LogLevel.Warning, Message = "MQTT PUBLISH to {Topic} by client {ClientId} refused: the client may not write")]
        public static partial void PublishNotAuthorized(ILogger logger, string topic, string clientId);

        [LoggerMessage(EventId = 1018, Level = LogLevel.Warning, Message = "MQTT client {ClientId} publishes more than {PerSecond} messages a second; the rest of this second is dropped")]
        public static partial void PublishRateExceeded(ILogger logger, string clientId, int perSecond);

        [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "The MQTT session of client {ClientId} could not be stored; a restart would not restore this change")]
        public static partial void SessionNotStored(ILogger logger, string clientId, Exception exception);

        [LoggerMessage(EventId = 1009, Level = LogLevel.Warning, Message = "The stored MQTT session of client {ClientId} could not be restored")]
        public static partial void SessionNotRestored(ILogger logger, string clientId, Exception exception);

        [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "MQTT update messages of a committed change could not be sent")]
        public static partial void UpdateNotSent(ILogger logger, Exception exception);
    }
}

/// <summary>
/// How the server speaks SensorThings' MQTT extension (OGC 18-088 §14): what the service root announces in
/// <c>serverSettings</c>, for both "create observations via MQTT" and "receive updates via MQTT".
/// </summary>
/// <param name="ServiceRoot">The SensorThings service root that the selfLinks of update messages start with.</param>
internal abstract record MqttSettings(string ServiceRoot)
{
    /// <summary>The <c>mqtt://host:port</c> URL at which a client that sent <paramref name="request"/> reaches the MQTT service.</summary>
    public abstract string Endpoint(HttpRequest request);
}

/// <summary>Where the embedded MQTT broker listens.</summary>
/// <param name="Address">The address to bind.</param>
/// <param name="Port">The TCP port (1883 by default).</param>
/// <param name="ServiceRoot">The SensorThings service root that the selfLinks of update messages start with.</param>
internal sealed record MqttBrokerSettings(IPAddress Address, int Port, string ServiceRoot) : MqttSettings(ServiceRoot)
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

    /// <summary>
    /// The host the client used for HTTP with the broker's port: the broker listens on the web server's address,
    /// so the name that reached the one reaches the other (also when the server listens on every address).
    /// </summary>
    public override string Endpoint(HttpRequest request) =>
        string.Create(CultureInfo.InvariantCulture, $"mqtt://{request.Host.Host}:{Port}");
}
