using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Tweeling.Domain.Audit;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Tweeling.Governance.Access;
using Tweeling.Governance.Audit;
using Tweeling.Server.Features.Live;
using Tweeling.Server.Features.SensorThings;

namespace Tweeling.Server.Hosting;

/// <summary>
/// SensorThings' MQTT extension through an external MQTT broker (the server speaks MQTT 5 to it, or 3.1.1 if asked; devices either) (<c>serve --mqtt-broker mqtt://host:port</c>)
/// instead of the embedded one: the server is a client of that broker. It subscribes with QoS 1 to the create
/// topics (<c>v1.1/Observations</c>, <c>v1.1/+/Observations</c>, of which it takes <c>Datastreams(id)/Observations</c>,
/// <c>FeaturesOfInterest(id)/Observations</c> and <c>MultiDatastreams(id)/Observations</c>)
/// and stores each Observation, as the embedded broker does, and it publishes every committed create and update to the
/// receive-updates topics.
/// </summary>
/// <remarks>
/// <para>
/// Guarantees, honestly: the broker acknowledges a device's PUBLISH when <em>it</em> has the message, before the
/// server has stored anything, so a device learns nothing of a payload the server refuses (the server logs it).
/// Between broker and server delivery is at least once: the server's session persists (clean start off, expiry
/// <see cref="SessionExpiry"/>), and it acknowledges each message only once the Observation is durable, so
/// messages that arrive while the server is down or restarting wait at the broker and a message whose storing
/// was cut off is sent again (and may then be stored twice).
/// </para>
/// <para>
/// Receive updates: the broker does not say who subscribes to what, so every create and update is published
/// to all its topics without a query — the entity set, the navigation sets it joins, the entity, each changed
/// property — with QoS 1. That costs one PUBLISH per topic (three for an Observation) whether or not anyone
/// listens, and <c>?$select=</c> topics are not served. Updates committed while the broker is unreachable are
/// not sent later. The broker also relays a device's own PUBLISH to the create topic's other subscribers as
/// sent, beside the stored entity the server publishes. The server subscribes with "no local", so it does not
/// receive its own update messages as creates; over MQTT 3.1.1, which has no "no local", they do come back and
/// are recognised by their selfLink and dropped.
/// </para>
/// </remarks>
internal sealed partial class MqttBrokerClient(
    MqttClientSettings settings,
    IObservationStore observations,
    ISensorStore sensors,
    DerivedFeatureCache derivedFeatures,
    ObservationBus observationBus,
    EntityChangeBus entityBus,
    CrsTransformer crs,
    TimeProvider time,
    ILogger<MqttBrokerClient> logger) : IHostedService, IAsyncDisposable
{
    /// <summary>How long the broker keeps the server's session (and the messages for it) while the server is down.</summary>
    public static readonly TimeSpan SessionExpiry = TimeSpan.FromDays(1);

    /// <summary>The longest wait between two attempts to reach the broker (the first is after one second, doubling).</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>Received messages stored in one append, and the most waiting to be stored (the broker holds the rest).</summary>
    private const int BatchSize = 1_000;

    private const string Version = "v1.1/";

    /// <summary>Who an external broker's Observations are recorded as: the broker, writing as a medewerker (as a sensor partner does).</summary>
    private static readonly Caller s_broker = new(Role.Medewerker, Subject: "mqtt-broker");

    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly Channel<MqttApplicationMessageReceivedEventArgs> _received = Channel.CreateBounded<MqttApplicationMessageReceivedEventArgs>(
        new BoundedChannelOptions(BatchSize) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource _disconnected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _running = Task.CompletedTask;
    private volatile bool _subscribed;

    /// <summary>Whether the server is connected to the broker and subscribed to the create topics.</summary>
    public bool IsSubscribed => _subscribed && _client.IsConnected;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _client.ApplicationMessageReceivedAsync += async e =>
        {
            // Acknowledged by StoreAsync once durable; the broker keeps it until then.
            e.AutoAcknowledge = false;
            await _received.Writer.WriteAsync(e, _stopping.Token);
        };
        _client.DisconnectedAsync += e =>
        {
            _disconnected.TrySetResult();
            return Task.CompletedTask;
        };

        var updates = new MqttUpdates(new EveryTopic(), settings.ServiceRoot, crs);

        // Subscribed before StartAsync returns, so that no change committed after the start is missed.
        var observationChanges = observationBus.Subscribe();
        var entityChanges = entityBus.Subscribe();
        var stopping = _stopping.Token;
        _running = Task.WhenAll(
            Task.Run(() => ConnectAsync(stopping), CancellationToken.None),
            Task.Run(() => StoreAsync(stopping), CancellationToken.None),
            Task.Run(() => PublishAsync(observationChanges, observationChanges.Reader, item => item.Observation is { } observation ? updates.ForObservation(observation) : [], stopping), CancellationToken.None),
            Task.Run(() => PublishAsync(entityChanges, entityChanges.Reader, updates.ForChange, stopping), CancellationToken.None));

        // The broker may be down at start: the server runs anyway and keeps trying, as after a lost connection.
        return Task.CompletedTask;
    }

    /// <summary>Keeps a connection to the broker: connects and subscribes, waits until it is lost, and tries again with backoff.</summary>
    private async Task ConnectAsync(CancellationToken stopping)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                _disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var connected = await _client.ConnectAsync(ConnectOptions(settings.Protocol), stopping);
                if (connected.ResultCode != MqttClientConnectResultCode.Success)
                {
                    throw new MqttCommunicationException($"the broker refused the connection ({connected.ResultCode})");
                }

                await _client.SubscribeAsync(Subscriptions(settings.Protocol), stopping);
                _subscribed = true;
                Log.Connected(logger, settings.BrokerUrl);
                backoff = TimeSpan.FromSeconds(1);
                await _disconnected.Task.WaitAsync(stopping);
                _subscribed = false;
                Log.ConnectionLost(logger, settings.BrokerUrl);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.ConnectFailed(logger, settings.BrokerUrl, backoff.TotalSeconds, e.Message);
            }

            try
            {
                // The wall clock, not the server's TimeProvider: reaching a broker again is about real time passing.
                await Task.Delay(backoff, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    /// <summary>A persistent session: the broker keeps the server's subscriptions, and the messages for them, while it is away.</summary>
    private MqttClientOptions ConnectOptions(MqttProtocolVersion protocol)
    {
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(settings.Host, settings.Port)
            .WithProtocolVersion(protocol)
            .WithClientId(settings.ClientId);
        return protocol == MqttProtocolVersion.V500
            ? options.WithCleanStart(false).WithSessionExpiryInterval((uint)SessionExpiry.TotalSeconds).Build()
            : options.WithCleanSession(false).Build();
    }

    /// <summary>
    /// The create topics with QoS 1; over MQTT 5 with "no local", so that the server's own update messages on
    /// those topics do not come back to it (over 3.1.1 they do, and <see cref="Parse"/> recognises them).
    /// </summary>
    private static MqttClientSubscribeOptions Subscriptions(MqttProtocolVersion protocol) => new MqttClientSubscribeOptionsBuilder()
        .WithTopicFilter(f => f.WithTopic(Version + "Observations").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithNoLocal(protocol == MqttProtocolVersion.V500))
        .WithTopicFilter(f => f.WithTopic(Version + "+/Observations").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithNoLocal(protocol == MqttProtocolVersion.V500))
        .Build();

    /// <summary>
    /// Stores the received Observations: those of Datastreams that are waiting in one append (a group of durable
    /// commits' worth), each of a MultiDatastream in a write unit of its own (<see cref="CreateMultiObservationsAsync"/>),
    /// then acknowledges each message in the order received, as MQTT asks (MQTT 5 §4.6).
    /// </summary>
    private async Task StoreAsync(CancellationToken stopping)
    {
        var batch = new List<MqttApplicationMessageReceivedEventArgs>(BatchSize);
        try
        {
            while (await _received.Reader.WaitToReadAsync(stopping))
            {
                batch.Clear();
                while (batch.Count < BatchSize && _received.Reader.TryRead(out var message))
                {
                    batch.Add(message);
                }

                var parsed = new List<NewObservation>(batch.Count);
                var ofMultiDatastreams = new List<(MqttApplicationMessage Message, long MultiDatastreamId)>();
                foreach (var message in batch)
                {
                    if (MultiDatastreamOf(message.ApplicationMessage.Topic) is { } multiDatastreamId)
                    {
                        // The server's own update messages on that topic come back over MQTT 3.1.1: not Observations to create.
                        if (!IsOwnUpdate(message.ApplicationMessage.Payload.ToArray()))
                        {
                            ofMultiDatastreams.Add((message.ApplicationMessage, multiDatastreamId));
                        }
                    }
                    else if (Parse(message) is { } observation)
                    {
                        parsed.Add(observation);
                    }
                }

                try
                {
                    await AppendAsync(parsed, stopping);
                    await CreateMultiObservationsAsync(ofMultiDatastreams, stopping);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Not acknowledged: the broker sends the batch again after the next reconnect.
                    Log.StoreFailed(logger, e);
                    continue;
                }

                foreach (var message in batch)
                {
                    try
                    {
                        await message.AcknowledgeAsync(stopping);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // The connection is gone; the broker sends the message again (it is then stored twice).
                        Log.AcknowledgeFailed(logger, e.Message);
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // the server stops; unacknowledged messages stay with the broker
        }
    }

    /// <summary>Appends <paramref name="batch"/> at once; when one of them names a missing entity, each on its own, so only that one is refused.</summary>
    private async Task AppendAsync(List<NewObservation> batch, CancellationToken stopping)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await derivedFeatures.AppendAsync(observations, batch, AuditOf(batch), stopping);
        }
        catch (SensorLinkException) when (batch.Count > 1)
        {
            foreach (var observation in batch)
            {
                await AppendAsync([observation], stopping);
            }
        }
        catch (SensorLinkException e)
        {
            Log.ObservationRefused(logger, e.Message);
        }
    }

    /// <summary>
    /// Creates the Observations of MultiDatastreams in <paramref name="messages"/>, each as the embedded broker does
    /// (<see cref="Observations.CreateMultiObservationAsync"/>), recorded as the broker's to <c>MultiDatastreams(id)</c>. One
    /// that does not fit is logged and dropped, as a Datastream's is; a store failure throws, so the batch is not acknowledged.
    /// </summary>
    private async Task CreateMultiObservationsAsync(List<(MqttApplicationMessage Message, long MultiDatastreamId)> messages, CancellationToken stopping)
    {
        foreach (var (message, multiDatastreamId) in messages)
        {
            var error = await Observations.CreateMultiObservationAsync(
                sensors,
                message.Payload,
                multiDatastreamId,
                s_broker,
                _ => string.Create(CultureInfo.InvariantCulture, $"MQTT {settings.BrokerUrl} -> MultiDatastreams({multiDatastreamId})"),
                time,
                stopping);
            if (error is not null)
            {
                Log.ObservationRefused(logger, NoObservation(message.Topic));
            }
        }
    }

    /// <summary>The MultiDatastream a message on <c>v1.1/MultiDatastreams(id)/Observations</c> creates an Observation of, or <c>null</c> for another topic.</summary>
    private static long? MultiDatastreamOf(string topic) =>
        topic.StartsWith(Version, StringComparison.Ordinal) && Observations.TryMultiDatastreamTarget(topic[Version.Length..], out var multiDatastreamId)
            ? multiDatastreamId
            : null;

    /// <summary>
    /// The audit records of a stored batch, one per Datastream. The devices signed in at the broker, not here,
    /// so the records name the broker as the subject, in the role the server's own sensor writes have.
    /// </summary>
    private List<AuditEntry> AuditOf(List<NewObservation> batch)
    {
        var now = time.GetUtcNow();
        return [.. batch.GroupBy(o => o.DatastreamId).Select(g => AuditEntries.For(
            s_broker, now, "create", $"MQTT {settings.BrokerUrl} -> Datastreams({g.Key})", g.Count(), "observations"))];
    }

    /// <summary>The Observation a create message carries, or <c>null</c> (logged) when it is not one or not on a create topic.</summary>
    private NewObservation? Parse(MqttApplicationMessageReceivedEventArgs message)
    {
        var topic = message.ApplicationMessage.Topic;
        if (!topic.StartsWith(Version, StringComparison.Ordinal) || !Observations.TryObservationTarget(topic[Version.Length..], out var datastreamId, out var featureId))
        {
            // v1.1/+/Observations also matches what is no create topic, such as Things(1)/Observations.
            Log.ObservationRefused(logger, $"'{topic}' is not a topic to create Observations on");
            return null;
        }

        var payload = message.ApplicationMessage.Payload.ToArray();
        if (IsOwnUpdate(payload))
        {
            return null;
        }

        var (observation, _) = Observations.ParseBody(payload, datastreamId, time.GetUtcNow(), featureId);
        if (observation is null)
        {
            Log.ObservationRefused(logger, NoObservation(topic));
        }

        return observation;
    }

    /// <summary>
    /// The logged reason for a payload that is no valid Observation: the topic only (ids), never the parser's message, which
    /// quotes the payload's values (a time that does not parse, say) and so may hold data of a partner's sensor.
    /// </summary>
    private static string NoObservation(string topic) => $"the payload on '{topic}' is not a valid Observation";

    /// <summary>
    /// Whether <paramref name="payload"/> is one of the server's own update messages (an entity with a selfLink
    /// below this service root), which an MQTT 3.1.1 broker sends back to it: not an Observation to create.
    /// </summary>
    private bool IsOwnUpdate(byte[] payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("@iot.selfLink", out var selfLink)
                && selfLink.ValueKind == JsonValueKind.String
                && selfLink.GetString()!.StartsWith(settings.ServiceRoot + "/", StringComparison.Ordinal);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Publishes the update messages of every committed change while connected, until the server stops.</summary>
    private async Task PublishAsync<TChange>(IDisposable subscription, ChannelReader<TChange> reader, Func<TChange, IEnumerable<MqttApplicationMessage>> messages, CancellationToken stopping)
    {
        using (subscription)
        {
            try
            {
                await foreach (var change in reader.ReadAllAsync(stopping))
                {
                    try
                    {
                        foreach (var message in messages(change))
                        {
                            if (_client.IsConnected)
                            {
                                await _client.PublishAsync(settings.Protocol == MqttProtocolVersion.V500 ? message : WithoutMqtt5Properties(message), stopping);
                            }
                        }
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // One update that cannot be sent (the connection just dropped) must not end the updates after it.
                        Log.UpdateNotSent(logger, e.Message);
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // the server stops
            }
        }
    }

    /// <summary>The message without what only MQTT 5 carries (its content type), which MQTTnet cannot send over 3.1.1.</summary>
    private static MqttApplicationMessage WithoutMqtt5Properties(MqttApplicationMessage message) => new MqttApplicationMessageBuilder()
        .WithTopic(message.Topic)
        .WithPayload(message.Payload)
        .WithQualityOfServiceLevel(message.QualityOfServiceLevel)
        .Build();

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _running;
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), cancellationToken);
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        _stopping.Dispose();
        return ValueTask.CompletedTask;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "Connected to the MQTT broker {Broker}")]
        public static partial void Connected(ILogger logger, string broker);

        [LoggerMessage(EventId = 1012, Level = LogLevel.Warning, Message = "Lost the connection to the MQTT broker {Broker}; reconnecting")]
        public static partial void ConnectionLost(ILogger logger, string broker);

        [LoggerMessage(EventId = 1013, Level = LogLevel.Warning, Message = "Cannot reach the MQTT broker {Broker} ({Reason}); trying again in {Seconds} s")]
        public static partial void ConnectFailed(ILogger logger, string broker, double seconds, string reason);

        // The payload is not logged: it may hold data of a partner's sensor that is not open.
        [LoggerMessage(EventId = 1014, Level = LogLevel.Warning, Message = "An MQTT message from the broker was not stored: {Reason}")]
        public static partial void ObservationRefused(ILogger logger, string reason);

        [LoggerMessage(EventId = 1015, Level = LogLevel.Error, Message = "Observations received over MQTT could not be stored; the broker will send them again")]
        public static partial void StoreFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 1016, Level = LogLevel.Warning, Message = "A stored MQTT message could not be acknowledged ({Reason}); the broker will send it again")]
        public static partial void AcknowledgeFailed(ILogger logger, string reason);

        [LoggerMessage(EventId = 1017, Level = LogLevel.Warning, Message = "MQTT update messages of a committed change could not be sent: {Reason}")]
        public static partial void UpdateNotSent(ILogger logger, string reason);
    }
}

/// <summary>The external MQTT broker the server is a client of.</summary>
/// <param name="Host">The broker's host name or address.</param>
/// <param name="Port">Its TCP port (1883 when the URL has none).</param>
/// <param name="ServiceRoot">The SensorThings service root that the selfLinks of update messages start with.</param>
/// <param name="ClientId">The server's client id at the broker: its session, and the messages waiting in it, belong to this id.</param>
/// <param name="Protocol">The MQTT version the server speaks to the broker: 5, or 3.1.1 for a broker without MQTT 5.</param>
internal sealed record MqttClientSettings(string Host, int Port, string ServiceRoot, string ClientId = "tweeling", MqttProtocolVersion Protocol = MqttProtocolVersion.V500)
    : MqttSettings(ServiceRoot)
{
    /// <summary>The broker's URL, <c>mqtt://host:port</c>.</summary>
    public string BrokerUrl => string.Create(CultureInfo.InvariantCulture, $"mqtt://{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}");

    /// <summary>The MQTT versions the server can speak to an external broker, as <c>--mqtt-broker-protocol</c> names them.</summary>
    public static readonly IReadOnlyDictionary<string, MqttProtocolVersion> Protocols = new Dictionary<string, MqttProtocolVersion>(StringComparer.Ordinal)
    {
        ["5"] = MqttProtocolVersion.V500,
        ["3.1.1"] = MqttProtocolVersion.V311,
    };

    /// <summary>The external broker at <paramref name="url"/> (<c>mqtt://host[:port]</c>), or the reason it is not one.</summary>
    public static (MqttClientSettings? Settings, string? Error) Parse(string url, string serviceRoot)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != "mqtt" || uri.Host.Length == 0 || uri.AbsolutePath is not ("" or "/") || uri.Query.Length > 0)
        {
            return (null, $"--mqtt-broker must be an MQTT URL such as mqtt://broker.example.nl:1883 (no path); got '{url}'.");
        }

        // The URL is not repeated here: it holds a password.
        return uri.UserInfo.Length > 0
            ? (null, "--mqtt-broker must be an MQTT URL such as mqtt://broker.example.nl:1883 without credentials: the server connects to the broker anonymously.")
            : (new MqttClientSettings(uri.Host.Trim('[', ']'), uri.Port > 0 ? uri.Port : MqttBrokerSettings.DefaultPort, serviceRoot), null);
    }

    /// <summary>The broker's own URL: clients connect to it, not to this server.</summary>
    public override string Endpoint(HttpRequest request) => BrokerUrl;
}
