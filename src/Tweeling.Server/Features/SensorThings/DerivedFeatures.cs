using System.Collections.Concurrent;
using Tweeling.Domain.Audit;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Tweeling.Server.Features.Live;

namespace Tweeling.Server.Features.SensorThings;

/// <summary>
/// The FeatureOfInterest of an Observation created without one (OGC 18-088 §10.2, integrity constraints of
/// an Observation): the one the store derives from the Location of its Datastream's Thing
/// (<see cref="ISensorWriter.DerivedFeatureOfInterestAsync"/>). Every way of creating Observations fills it
/// here — HTTP POST, <c>$batch</c> and a CreateObservations that needs a feature not known yet inside their write
/// unit, other CreateObservations and MQTT PUBLISH through <see cref="DerivedFeatureCache"/> — so they cannot disagree.
/// </summary>
internal static class DerivedFeatures
{
    /// <summary>
    /// <paramref name="observations"/> with every missing FeatureOfInterest set to the one derived for its
    /// Datastream (left <c>null</c> when its Thing has no Location). <paramref name="derive"/> is asked once
    /// per Datastream that needs it, so a batch of one Datastream costs one look-up; the list is returned
    /// as is when every Observation names its FeatureOfInterest.
    /// </summary>
    public static async Task<IReadOnlyList<NewObservation>> FillAsync(
        IReadOnlyList<NewObservation> observations, Func<long, CancellationToken, Task<long?>> derive, CancellationToken cancellationToken)
    {
        Dictionary<long, long?>? derived = null;
        NewObservation[]? filled = null;
        for (var i = 0; i < observations.Count; i++)
        {
            var observation = observations[i];
            if (observation.FeatureOfInterestId is not null)
            {
                continue;
            }

            derived ??= [];
            if (!derived.TryGetValue(observation.DatastreamId, out var feature))
            {
                derived[observation.DatastreamId] = feature = await derive(observation.DatastreamId, cancellationToken);
            }

            if (feature is not null)
            {
                filled ??= [.. observations];
                filled[i] = observation with { FeatureOfInterestId = feature };
            }
        }

        return filled ?? observations;
    }
}

/// <summary>
/// The derived FeatureOfInterest of each Datastream, remembered between MQTT PUBLISHes: MQTT appends go
/// through the group-committed observation store, not a write unit, and asking the store in a write unit of
/// its own for every message would queue each one behind the write lock. A Datastream costs one write unit
/// the first time (which creates the feature if needed) and nothing after that.
/// </summary>
/// <remarks>
/// An entry is valid while <see cref="SensorModelRevision"/> has not moved since it was looked up: any
/// committed create, update or delete of an entity other than an Observation, and any move of a Thing, makes
/// every entry stale, so a Thing that moves, a Datastream given another Thing or a deleted feature is seen
/// by the next Observation. Only writes through this server count: another process writing the same store
/// file while the server runs is not seen (nothing in Tweeling does that).
/// A feature made by the look-up is committed before the append, so an MQTT PUBLISH whose append then fails in
/// the store leaves it behind. That is allowed: it is the feature of its Location, the one every later Observation
/// of a Datastream of that Thing gets, made once per Location (<c>sta_location_features</c>), not data of the
/// failed message. CreateObservations, which answers its caller that nothing was stored, does not leave it: it
/// uses <see cref="FillFromKnown"/> and derives a feature not known yet inside its write unit.
/// </remarks>
internal sealed class DerivedFeatureCache(ISensorStore sensors, SensorModelRevision revision)
{
    private readonly ConcurrentDictionary<long, (long Revision, long? Feature)> _byDatastream = new();

    /// <summary>
    /// Appends <paramref name="observations"/> to <paramref name="store"/> with their derived FeaturesOfInterest
    /// filled in (<see cref="DerivedFeatures.FillAsync"/>). When the append names an entity that is gone and the
    /// model changed meanwhile (the derived feature was deleted between look-up and append), it is tried once
    /// more with fresh look-ups; otherwise the <see cref="SensorLinkException"/> stands. <paramref name="audit"/>
    /// records who appended them, committed with them.
    /// </summary>
    public async Task<IReadOnlyList<long>> AppendAsync(IObservationStore store, IReadOnlyList<NewObservation> observations, IReadOnlyList<AuditEntry> audit, CancellationToken cancellationToken)
    {
        var seen = revision.Current;
        try
        {
            return await store.AppendAsync(await DerivedFeatures.FillAsync(observations, FeatureOfInterestAsync, cancellationToken), audit, cancellationToken);
        }
        catch (SensorLinkException) when (revision.Current != seen)
        {
            return await store.AppendAsync(await DerivedFeatures.FillAsync(observations, FeatureOfInterestAsync, cancellationToken), audit, cancellationToken);
        }
    }

    /// <summary>
    /// <paramref name="observations"/> with every missing FeatureOfInterest filled in from the entries that are valid now,
    /// without asking the store; <c>null</c> when a Datastream that needs one has no valid entry, so that looking it up
    /// might create the feature. A caller that must not leave a feature behind when its append fails (CreateObservations)
    /// then derives it inside its own write unit instead.
    /// </summary>
    public IReadOnlyList<NewObservation>? FillFromKnown(IReadOnlyList<NewObservation> observations)
    {
        var current = revision.Current;
        NewObservation[]? filled = null;
        for (var i = 0; i < observations.Count; i++)
        {
            var observation = observations[i];
            if (observation.FeatureOfInterestId is not null)
            {
                continue;
            }

            if (!_byDatastream.TryGetValue(observation.DatastreamId, out var entry) || entry.Revision != current)
            {
                return null;
            }

            if (entry.Feature is not null)
            {
                filled ??= [.. observations];
                filled[i] = observation with { FeatureOfInterestId = entry.Feature };
            }
        }

        return filled ?? observations;
    }

    /// <summary>The derived FeatureOfInterest of <paramref name="datastreamId"/> (<c>null</c> when its Thing has no Location).</summary>
    public async Task<long?> FeatureOfInterestAsync(long datastreamId, CancellationToken cancellationToken)
    {
        // Read before the look-up: a change committed during it leaves the entry stale, never a stale entry valid.
        var current = revision.Current;
        if (_byDatastream.TryGetValue(datastreamId, out var entry) && entry.Revision == current)
        {
            return entry.Feature;
        }

        var feature = (await sensors.WriteAsync((writer, ct) => writer.DerivedFeatureOfInterestAsync(datastreamId, ct), cancellationToken))?.Id;
        _byDatastream[datastreamId] = (current, feature);
        return feature;
    }
}

/// <summary>
/// An observation store whose appends fill in missing FeaturesOfInterest through <see cref="DerivedFeatureCache"/>,
/// for writers that know nothing of SensorThings' integrity rules — the demo city's simulated sensors — so their
/// Observations have a FeatureOfInterest as those created over HTTP or MQTT do. Everything else passes through.
/// </summary>
internal sealed class FeatureDerivingObservationStore(IObservationStore inner, DerivedFeatureCache features) : ObservationStoreDecorator(inner)
{
    public override Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewObservation> observations, IReadOnlyList<AuditEntry> audit, CancellationToken cancellationToken) =>
        features.AppendAsync(Inner, observations, audit, cancellationToken);
}
