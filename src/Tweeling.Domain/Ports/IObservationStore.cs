using Tweeling.Domain.Audit;
using Tweeling.Domain.Sensors;

namespace Tweeling.Domain.Ports;

/// <summary>
/// The time-series store for SensorThings Observations: durable batched appends, with the latest
/// observation of every Datastream and hourly and daily rollups kept current at ingest.
/// </summary>
public interface IObservationStore
{
    /// <summary>
    /// Appends <paramref name="observations"/> in one transaction and returns their new ids, in order,
    /// only once they are durable (committed and on disk: a crash or power loss after the return loses none).
    /// Each Datastream's <see cref="Datastream.PhenomenonTime"/> and <see cref="Datastream.ResultTime"/> widen
    /// to span every observation ever appended to it (they do not shrink on deletes or retention).
    /// When one names a Datastream or FeatureOfInterest that does not exist, nothing of the batch is stored
    /// and <see cref="SensorLinkException"/> is thrown.
    /// </summary>
    Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewObservation> observations, CancellationToken cancellationToken) =>
        AppendAsync(observations, [], cancellationToken);

    /// <summary>
    /// <see cref="AppendAsync(IReadOnlyList{NewObservation}, CancellationToken)"/>, with <paramref name="audit"/> —
    /// the records of who appended them (<see cref="IAuditLog"/>) — appended to the audit log in the same
    /// transaction: the records are exactly as durable as the observations, and stored only when they are.
    /// </summary>
    Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewObservation> observations, IReadOnlyList<AuditEntry> audit, CancellationToken cancellationToken);

    /// <summary>
    /// The latest observation of each of <paramref name="datastreamIds"/> — the one with the greatest
    /// phenomenon time (its start; the later-appended on a tie), regardless of arrival order — ordered by
    /// Datastream id. Datastreams without observations are absent. Kept at ingest; survives <see cref="PruneAsync"/>.
    /// </summary>
    Task<IReadOnlyList<Observation>> LatestAsync(IReadOnlyCollection<long> datastreamIds, CancellationToken cancellationToken);

    /// <summary>
    /// The count, minimum, maximum and mean of the numeric results of Datastream <paramref name="datastreamId"/>
    /// per UTC hour or day whose start lies in [<paramref name="from"/>, <paramref name="to"/>), ascending; empty
    /// buckets are absent. An observation falls in the bucket of its phenomenon time (its start). Kept at
    /// ingest, so raw observations are never read, and kept when <see cref="PruneAsync"/> removes them.
    /// </summary>
    Task<IReadOnlyList<RollupBucket>> RollupAsync(long datastreamId, RollupGranularity granularity, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="RollupAsync"/> for each of <paramref name="datastreamIds"/> at once (a dashboard's hourly means
    /// of many sensors): the buckets per Datastream id; Datastreams without buckets in the range are absent.
    /// </summary>
    /// <remarks>The default asks <see cref="RollupAsync"/> per Datastream; a store that can read them in one go overrides it.</remarks>
    async Task<IReadOnlyDictionary<long, IReadOnlyList<RollupBucket>>> RollupsAsync(
        IReadOnlyCollection<long> datastreamIds, RollupGranularity granularity, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var rollups = new Dictionary<long, IReadOnlyList<RollupBucket>>();
        foreach (var datastreamId in datastreamIds.Distinct())
        {
            if (await RollupAsync(datastreamId, granularity, from, to, cancellationToken).ConfigureAwait(false) is { Count: > 0 } buckets)
            {
                rollups[datastreamId] = buckets;
            }
        }

        return rollups;
    }

    /// <summary>
    /// Observations of Datastream <paramref name="datastreamId"/> whose phenomenon time (start) lies in
    /// [<paramref name="from"/>, <paramref name="to"/>) (either end open when <c>null</c>), in
    /// <paramref name="order"/> of phenomenon time then id, skipping <paramref name="offset"/> and returning at
    /// most <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<Observation>> ObservationsAsync(long datastreamId, DateTimeOffset? from, DateTimeOffset? to, int limit, int offset, TimeOrder order, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the observation with <paramref name="id"/> and corrects the latest observation and the rollups
    /// it was part of. Returns whether it existed (a pruned observation no longer does).
    /// </summary>
    Task<bool> DeleteObservationAsync(long id, CancellationToken cancellationToken);

    /// <summary>The observation with <paramref name="id"/>, or <c>null</c> (also when pruned).</summary>
    Task<Observation?> FindObservationAsync(long id, CancellationToken cancellationToken);

    /// <summary>
    /// Retention: deletes the raw observations whose phenomenon time (start) lies before
    /// <paramref name="olderThan"/>; rollups and latest observations stay. Returns how many were deleted.
    /// </summary>
    Task<long> PruneAsync(DateTimeOffset olderThan, CancellationToken cancellationToken);
}

/// <summary>The size of a rollup bucket; buckets are aligned to UTC.</summary>
public enum RollupGranularity
{
    /// <summary>One UTC hour.</summary>
    Hour = 0,

    /// <summary>One UTC day.</summary>
    Day = 1,
}

/// <summary>The order of a time-series read.</summary>
public enum TimeOrder
{
    /// <summary>Ascending phenomenon time.</summary>
    OldestFirst,

    /// <summary>Descending phenomenon time.</summary>
    NewestFirst,
}

/// <summary>The numeric results of one Datastream in one bucket.</summary>
/// <param name="Start">The bucket's start (UTC).</param>
/// <param name="Count">How many numeric results fell in it.</param>
/// <param name="Min">The smallest.</param>
/// <param name="Max">The largest.</param>
/// <param name="Mean">Their arithmetic mean.</param>
public sealed record RollupBucket(DateTimeOffset Start, long Count, double Min, double Max, double Mean);
