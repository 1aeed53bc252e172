namespace Tweeling.Domain.Ports;

/// <summary>
/// The persistent MQTT sessions of the embedded broker — which client ids keep a session, how long it may
/// stay while the client is away, and what it subscribes to — kept durably so that a restart of the server
/// does not end them (MQTT 3.1.1 §3.1.2.4, MQTT 5 §3.1.2.11.2). Clean sessions are never stored.
/// </summary>
/// <remarks>
/// Only the subscriptions are kept: update messages that wait in a session for its client when the server
/// stops are not, so they are lost with the restart (the session itself and its subscriptions survive).
/// </remarks>
public interface IMqttSessionStore
{
    /// <summary>
    /// A client connected with a persistent session that may stay <paramref name="expiry"/> while it is away:
    /// it is stored (marked present), with the subscriptions it had, or none when it is new.
    /// </summary>
    Task SessionStartedAsync(string clientId, TimeSpan expiry, CancellationToken cancellationToken);

    /// <summary>The client of a stored session went away at <paramref name="since"/>; its expiry counts from then.</summary>
    Task SessionAwayAsync(string clientId, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>The session ended (expired, or a clean start): it and its subscriptions are gone.</summary>
    Task SessionEndedAsync(string clientId, CancellationToken cancellationToken);

    /// <summary>A stored session subscribed to <paramref name="topicFilter"/> at QoS <paramref name="qualityOfService"/> (0–2); nothing for a session that is not stored.</summary>
    Task SubscribedAsync(string clientId, string topicFilter, int qualityOfService, CancellationToken cancellationToken);

    /// <summary>A stored session no longer subscribes to <paramref name="topicFilter"/>.</summary>
    Task UnsubscribedAsync(string clientId, string topicFilter, CancellationToken cancellationToken);

    /// <summary>Every stored session with its subscriptions, by client id.</summary>
    Task<IReadOnlyList<StoredMqttSession>> SessionsAsync(CancellationToken cancellationToken);
}

/// <summary>A persistent MQTT session as stored.</summary>
/// <param name="ClientId">The MQTT client id.</param>
/// <param name="Expiry">How long the session stays while its client is away.</param>
/// <param name="AwaySince">When its client went away; <c>null</c> when it was connected as the server stopped.</param>
/// <param name="Subscriptions">Its topic filters with their QoS (0–2).</param>
public sealed record StoredMqttSession(string ClientId, TimeSpan Expiry, DateTimeOffset? AwaySince, IReadOnlyList<(string TopicFilter, int QualityOfService)> Subscriptions);
