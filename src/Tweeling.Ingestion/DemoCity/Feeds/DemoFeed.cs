using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;

namespace Tweeling.Ingestion.DemoCity.Feeds;

/// <summary>
/// Keeps the demo city's simulated sensors live: appends, for every Thing that is a demo sensor, the
/// readings on its grid after its latest observation and before now. Because readings are a function of
/// (seed, sensor, time) and sit on whole intervals since the epoch, a catch-up after a pause or a
/// restart gives exactly the readings a feed that never stopped would have given.
/// </summary>
public static class DemoFeed
{
    /// <summary>Things and Datastreams read per page while looking for demo sensors.</summary>
    private const int PageSize = 1_000;

    /// <summary>Appends the due readings up to (not including) <paramref name="now"/>; returns how many.</summary>
    public static async Task<long> CatchUpAsync(ISensorStore sensors, IObservationStore observations, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var datastreams = (await AllAsync<Datastream>(sensors, cancellationToken).ConfigureAwait(false)).ToLookup(d => d.ThingId);
        var streams = new List<(DemoDatastream Stream, int Seed)>();
        foreach (var thing in await AllAsync<Thing>(sensors, cancellationToken).ConfigureAwait(false))
        {
            if (!datastreams.Contains(thing.Id))
            {
                continue;
            }

            var locationIds = await sensors.ThingLocationsAsync(thing.Id, cancellationToken).ConfigureAwait(false);
            if (locationIds.Count == 0 ||
                await sensors.FindAsync<Location>(locationIds[0], cancellationToken).ConfigureAwait(false) is not { } location ||
                DemoSensorProperties.Read(thing, location) is not var (sensor, seed))
            {
                continue;
            }

            streams.AddRange(datastreams[thing.Id].Select(d => (new DemoDatastream(sensor, d.Id), seed)));
        }

        if (streams.Count == 0)
        {
            return 0;
        }

        var latest = (await observations.LatestAsync([.. streams.Select(s => s.Stream.DatastreamId)], cancellationToken).ConfigureAwait(false))
            .ToDictionary(o => o.DatastreamId);
        long appended = 0;
        foreach (var bySeed in streams.GroupBy(s => s.Seed))
        {
            // After the latest reading (one tick later, so it is not written twice), or one interval back
            // for a stream that has none yet.
            var due = bySeed.Select(s => (s.Stream, latest.TryGetValue(s.Stream.DatastreamId, out var last)
                ? last.PhenomenonTime.Start.AddTicks(1)
                : now - s.Stream.Sensor.Interval)).ToList();
            appended += await DemoSensorWriter.AppendReadingsAsync(due, new SignalModel(bySeed.Key), now, observations, null, cancellationToken).ConfigureAwait(false);
        }

        return appended;
    }

    private static async Task<List<T>> AllAsync<T>(ISensorStore sensors, CancellationToken cancellationToken)
        where T : class, ISensorEntity
    {
        var all = new List<T>();
        while (true)
        {
            var page = await sensors.ListAsync<T>(all.Count == 0 ? 0 : all[^1].Id, PageSize, cancellationToken).ConfigureAwait(false);
            all.AddRange(page);
            if (page.Count < PageSize)
            {
                return all;
            }
        }
    }
}
