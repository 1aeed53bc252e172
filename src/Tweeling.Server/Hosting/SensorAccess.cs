using System.Collections.Concurrent;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Tweeling.Domain.Sensors.Query;
using Tweeling.Server.Features.Live;

namespace Tweeling.Server.Hosting;

/// <summary>
/// Applies a <see cref="SensorVisibility"/> (from <see cref="ReadAccess"/>) outside a store query: for the streams
/// that pass single observations, alerts and thresholds (live events, MQTT, <c>/api/v1/alarmen</c>), whether the
/// caller may read a Datastream or an entity.
/// </summary>
/// <remarks>
/// The Thing of each Datastream is cached, because live events ask for every observation; a committed change of
/// any entity (<see cref="EntityChangeBus.Generation"/>) empties the cache, so a Thing moved to another dataset is
/// judged by its new dataset from the next event on.
/// </remarks>
internal sealed class SensorAccess(ISensorStore sensors, EntityChangeBus changes)
{
    private readonly ConcurrentDictionary<long, Thing?> _thingOfDatastream = new();
    private long _generation = -1;

    /// <summary>Whether the entity of <paramref name="set"/> with <paramref name="id"/> exists and is visible.</summary>
    public async Task<bool> SeesAsync(SensorVisibility visibility, SensorEntitySet set, long id, CancellationToken cancellationToken)
    {
        var byId = new BinaryExpression(BinaryOperator.Eq, new PropertyPath("id"), new IntegerLiteral(id));
        var page = await sensors.QueryAsync(new SensorQuery(set, null, byId, [], 1, 0, false, DateTimeOffset.UnixEpoch, visibility), cancellationToken).ConfigureAwait(false);
        return page.Entities.Count == 1;
    }

    /// <summary>Whether Datastream <paramref name="datastreamId"/> exists and its Thing is visible.</summary>
    public async ValueTask<bool> SeesDatastreamAsync(SensorVisibility visibility, long datastreamId, CancellationToken cancellationToken)
    {
        var generation = changes.Generation;
        if (Interlocked.Exchange(ref _generation, generation) != generation)
        {
            _thingOfDatastream.Clear();
        }

        if (!_thingOfDatastream.TryGetValue(datastreamId, out var thing))
        {
            thing = await sensors.FindAsync<Datastream>(datastreamId, cancellationToken).ConfigureAwait(false) is { } datastream
                ? await sensors.FindAsync<Thing>(datastream.ThingId, cancellationToken).ConfigureAwait(false)
                : null;
            // Kept only when no change was committed meanwhile: the Thing read may already be the old one.
            if (changes.Generation == generation)
            {
                _thingOfDatastream[datastreamId] = thing;
            }
        }

        return thing is not null && visibility.Sees(thing);
    }

    /// <summary>The ids of every Datastream the visibility shows, ascending.</summary>
    public async Task<IReadOnlyList<long>> VisibleDatastreamsAsync(SensorVisibility visibility, CancellationToken cancellationToken)
    {
        var page = await sensors.QueryAsync(new SensorQuery(SensorEntitySet.Datastreams, null, null, [], int.MaxValue, 0, false, DateTimeOffset.UnixEpoch, visibility), cancellationToken)
            .ConfigureAwait(false);
        return [.. page.Entities.Select(e => e.Id)];
    }
}
