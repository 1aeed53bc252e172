using Tweeling.Domain.Audit;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;

namespace Tweeling.Server.Hosting;

/// <summary>
/// An observation store whose every append carries the audit record that <paramref name="record"/> makes of
/// it, committed in the append's own transaction: for a writer that appends through code it does not own
/// (the demo feed appends through <c>DemoFeed.CatchUpAsync</c>), so its appends are recorded as every other
/// change is. Reads go straight to <paramref name="inner"/>.
/// </summary>
internal sealed class AuditedAppends(IObservationStore inner, Func<IReadOnlyList<NewObservation>, AuditEntry> record) : IObservationStore
{
    public Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewObservation> observations, CancellationToken cancellationToken) =>
        AppendAsync(observations, [], cancellationToken);

    public Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewObservation> observations, IReadOnlyList<AuditEntry> audit, CancellationToken cancellationToken) =>
        inner.AppendAsync(observations, [.. audit, record(observations)], cancellationToken);

    public Task<IReadOnlyList<Observation>> LatestAsync(IReadOnlyCollection<long> datastreamIds, CancellationToken cancellationToken) =>
        inner.LatestAsync(datastreamIds, cancellationToken);

    public Task<IReadOnlyList<RollupBucket>> RollupAsync(long datastreamId, RollupGranularity granularity, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        inner.RollupAsync(datastreamId, granularity, from, to, cancellationToken);

    public Task<IReadOnlyDictionary<long, IReadOnlyList<RollupBucket>>> RollupsAsync(
        IReadOnlyCollection<long> datastreamIds, RollupGranularity granularity, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        inner.RollupsAsync(datastreamIds, granularity, from, to, cancellationToken);

    public Task<IReadOnlyList<Observation>> ObservationsAsync(long datastreamId, DateTimeOffset? from, DateTimeOffset? to, int limit, int offset, TimeOrder order, CancellationToken cancellationToken) =>
        inner.ObservationsAsync(datastreamId, from, to, limit, offset, order, cancellationToken);

    public Task<bool> DeleteObservationAsync(long id, CancellationToken cancellationToken) => inner.DeleteObservationAsync(id, cancellationToken);

    public Task<Observation?> FindObservationAsync(long id, CancellationToken cancellationToken) => inner.FindObservationAsync(id, cancellationToken);

    public Task<long> PruneAsync(DateTimeOffset olderThan, CancellationToken cancellationToken) => inner.PruneAsync(olderThan, cancellationToken);
}
