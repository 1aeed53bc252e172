using MQTTnet;
using MQTTnet.Protocol;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Sensors;
using Tweeling.Server.Features.Live;
using Tweeling.Server.Features.SensorThings;

namespace Tweeling.Server.Hosting;

/// <summary>
/// SensorThings "receive updates via MQTT" (OGC 18-088 §14.2): the messages a committed create or update
/// sends to its topics — <c>v1.1/{EntitySet}</c> and <c>v1.1/{EntitySet}({id})/{NavigationSet}</c> for a new
/// or a changed entity (the sets it is in), and also <c>v1.1/{EntitySet}({id})</c> and
/// <c>v1.1/{EntitySet}({id})/{property}</c> for a changed one, each also with <c>?$select=a,b</c> — as JSON
/// exactly as the HTTP API writes the entity (or the property, or the selection).
/// </summary>
/// <remarks>
/// The embedded broker writes only topics that a client subscribes to: <see cref="MqttSubscriptions"/> knows
/// them, so ingest pays nothing for updates nobody listens to. An external broker does not say who subscribes,
/// so there every topic without a query is written (<see cref="EveryTopic"/>).
/// </remarks>
internal sealed class MqttUpdates(IMqttUpdateTargets subscriptions, string serviceRoot, CrsTransformer crs)
{
    private const string Version = "v1.1/";

    /// <summary>The messages for a new Observation: its entity set, and the Observations of its Datastream and its FeatureOfInterest.</summary>
    public IEnumerable<MqttApplicationMessage> ForObservation(Observation observation) =>
        InSets(EntitySet.Observations, observation);

    /// <summary>The messages for a committed create or update of another entity.</summary>
    public IEnumerable<MqttApplicationMessage> ForChange(EntityChange change)
    {
        var set = EntitySet.Of(change.Entity);
        return change.Previous is null
            ? InSets(set, change.Entity)
            : InSets(set, change.Entity).Concat(Updated(set, change.Entity, change.Previous));
    }

    /// <summary>
    /// The messages to the entity set and the navigation sets that <paramref name="entity"/> is in: a subscriber
    /// of <c>v1.1/Things</c> gets a new Thing and also the new state of a Thing that a PATCH or PUT changed.
    /// </summary>
    private IEnumerable<MqttApplicationMessage> InSets(EntitySet set, ISensorEntity entity)
    {
        if (subscriptions.IsEmpty)
        {
            yield break;
        }

        foreach (var topic in ParentsOf(entity).Select(p => $"{Version}{p}/{set.Name}").Prepend(Version + set.Name))
        {
            foreach (var (target, select) in subscriptions.Targets(topic))
            {
                yield return Message(target, Write(set, entity, select));
            }
        }
    }

    /// <summary>The messages of a changed entity to its own topic and to the topics of the properties that changed.</summary>
    private IEnumerable<MqttApplicationMessage> Updated(EntitySet set, ISensorEntity entity, ISensorEntity previous)
    {
        if (subscriptions.IsEmpty)
        {
            yield break;
        }

        var self = $"{Version}{set.Name}({entity.Id})";
        foreach (var (target, select) in subscriptions.Targets(self))
        {
            yield return Message(target, Write(set, entity, select));
        }

        // A property topic gets a message only when that property changed; the message is what GET …/{property} answers.
        foreach (var property in set.Properties)
        {
            var targets = subscriptions.Targets($"{self}/{property}").ToList();
            if (targets.Count == 0)
            {
                continue;
            }

            var now = Write(set, entity, [property]);
            if (now.AsSpan().SequenceEqual(Write(set, previous, [property])))
            {
                continue;
            }

            foreach (var (target, _) in targets)
            {
                yield return Message(target, now);
            }
        }
    }

    /// <summary>The entities whose navigation set an entity is in: <c>Datastreams(7)</c> for an Observation of Datastream 7.</summary>
    private static IEnumerable<string> ParentsOf(ISensorEntity entity) => entity switch
    {
        Observation o => o.FeatureOfInterestId is { } feature ? [$"Datastreams({o.DatastreamId})", $"FeaturesOfInterest({feature})"] : [$"Datastreams({o.DatastreamId})"],
        MultiObservation o => o.FeatureOfInterestId is { } feature ? [$"MultiDatastreams({o.MultiDatastreamId})", $"FeaturesOfInterest({feature})"] : [$"MultiDatastreams({o.MultiDatastreamId})"],
        Datastream d => [$"Things({d.ThingId})", $"Sensors({d.SensorId})", $"ObservedProperties({d.ObservedPropertyId})"],
        HistoricalLocation h => [$"Things({h.ThingId})", .. h.LocationIds.Select(l => $"Locations({l})")],
        MultiDatastream m => [$"Things({m.ThingId})", $"Sensors({m.SensorId})", .. m.ObservedPropertyIds.Select(p => $"ObservedProperties({p})")],
        _ => [],
    };

    private byte[] Write(EntitySet set, ISensorEntity entity, IReadOnlyList<string> select) =>
        StaApi.Json(json => new EntityJson(json, serviceRoot, select, crs).Write(set, entity)).Body.ToArray();

    /// <summary>QoS 1, so that a subscriber that asks for at-least-once gets it; one that asks for QoS 0 gets QoS 0.</summary>
    private static MqttApplicationMessage Message(string topic, byte[] payload) => new MqttApplicationMessageBuilder()
        .WithTopic(topic)
        .WithPayload(payload)
        .WithContentType("application/json")
        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
        .Build();
}

/// <summary>Which topics an update is written to, and with which <c>$select</c>.</summary>
internal interface IMqttUpdateTargets
{
    /// <summary>Whether no update is written at all (then no message is built).</summary>
    bool IsEmpty { get; }

    /// <summary>Where an update of <paramref name="topic"/> (without a query) goes, each with the members to write (none: the whole entity).</summary>
    IEnumerable<(string Topic, IReadOnlyList<string> Select)> Targets(string topic);
}

/// <summary>
/// Every update topic without a query, for an external broker, which does not tell who subscribes to what:
/// a <c>?$select=</c> topic cannot be served there, since no one says which selections are wanted.
/// </summary>
internal sealed class EveryTopic : IMqttUpdateTargets
{
    public bool IsEmpty => false;

    public IEnumerable<(string Topic, IReadOnlyList<string> Select)> Targets(string topic) => [(topic, [])];
}

/// <summary>
/// The topic filters that the clients' sessions subscribe to, so the broker writes update messages only for
/// topics someone listens to. Wildcard filters (<c>v1.1/#</c>) count for plain topics; a <c>?$select=</c>
/// topic is matched literally, as MQTT matches any topic without wildcards.
/// </summary>
internal sealed class MqttSubscriptions : IMqttUpdateTargets
{
    private const string SelectQuery = "?$select=";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, HashSet<string>> _byClient = new(StringComparer.Ordinal);
    private volatile string[] _filters = [];

    /// <summary>Whether no client subscribes to anything (then no update message is ever built).</summary>
    public bool IsEmpty => _filters.Length == 0;

    public void Subscribed(string clientId, string filter) => Change(clientId, filters => filters.Add(filter));

    public void Unsubscribed(string clientId, string filter) => Change(clientId, filters => filters.Remove(filter));

    /// <summary>
    /// The session of <paramref name="clientId"/> ended (a clean session at disconnect, an expired persistent one,
    /// or a clean start): its subscriptions go. A client that is away with a persistent session keeps them, so its
    /// updates are still written and wait in the session.
    /// </summary>
    public void SessionEnded(string clientId)
    {
        lock (_gate)
        {
            if (_byClient.Remove(clientId))
            {
                Rebuild();
            }
        }
    }

    /// <summary>
    /// Where an update of <paramref name="topic"/> (without a query) goes: the topic itself, with the whole
    /// entity, when a filter matches it; and every subscribed <c>{topic}?$select=a,b</c>, with those members.
    /// </summary>
    public IEnumerable<(string Topic, IReadOnlyList<string> Select)> Targets(string topic)
    {
        var plain = false;
        foreach (var filter in _filters)
        {
            if (filter.Length > topic.Length + SelectQuery.Length && filter.StartsWith(topic, StringComparison.Ordinal)
                && filter.AsSpan(topic.Length).StartsWith(SelectQuery, StringComparison.Ordinal))
            {
                yield return (filter, filter[(topic.Length + SelectQuery.Length)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            }
            else if (!plain && MqttTopicFilterComparer.Compare(topic, filter) == MqttTopicFilterCompareResult.IsMatch)
            {
                plain = true;
            }
        }

        if (plain)
        {
            yield return (topic, []);
        }
    }

    private void Change(string clientId, Func<HashSet<string>, bool> change)
    {
        lock (_gate)
        {
            if (!_byClient.TryGetValue(clientId, out var filters))
            {
                _byClient[clientId] = filters = new HashSet<string>(StringComparer.Ordinal);
            }

            if (change(filters))
            {
                Rebuild();
            }
        }
    }

    private void Rebuild() => _filters = [.. _byClient.Values.SelectMany(f => f).Distinct(StringComparer.Ordinal)];
}
