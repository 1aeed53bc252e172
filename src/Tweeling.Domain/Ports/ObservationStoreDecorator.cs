using Tweeling.Domain.Audit;
using Tweeling.Domain.Sensors;

namespace Tweeling.Domain.Ports;

/// <summary>
/// An observation store that adds something to every append of the store it wraps — derive a FeatureOfInterest,
/// add an audit record, judge thresholds and publish — and passes every read through unchanged. A subclass says
/// only what it adds to <see cref="AppendAsync(IReadOnlyList{NewObservation}, IReadOnlyList{AuditEntry}, CancellationToken)"/>.
/// </summary>
public abstract class ObservationStoreDecorator(IObservationStore inner) : IObservationStore
{
    /// <summary>The store this one adds to.</summary>
    protected IObservationStore Inner { get; } = inner;

    /// <inheritdoc/>
    public Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewObservation> observations, CancellationToken cancellationToken) =>
        AppendAsync(observations, [], cancellationToken);

    /// <inheritdoc/>
    public abstract Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewObservation> observations, IReadOnlyList<AuditEntry> audit, CancellationToken cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<Observation>> LatestAsync(IReadOnlyCollection<long> datastreamIds, CancellationToken cancellationToken) =>
        Inner.LatestAsync(datastreamIds, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<RollupBucket>> RollupAsync(long datastreamId, RollupGranularity granularity, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        Inner.RollupAsync(datastreamId, granularity, from, to, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyDictionary<long, IReadOnlyList<RollupBucket>>> RollupsAsync(
        IReadOnlyCollection<long> datastreamIds, RollupGranularity granularity, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        Inner.RollupsAsync(datastreamIds, granularity, from, to, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<Observation>> ObservationsAsync(long datastreamId, DateTimeOffset? from, DateTimeOffset? to, int limit, int offset, TimeOrder order, CancellationToken cancellationToken) =>
        Inner.ObservationsAsync(datastreamId, from, to, limit, offset, order, cancellationToken);

    /// <inheritdoc/>
    public Task<bool> DeleteObservationAsync(long id, CancellationToken cancellationToken) => Inner.DeleteObservationAsync(id, cancellationToken);

    /// <inheritdoc/>
    public Task<Observation?> FindObservationAsync(long id, CancellationToken cancellationToken) => Inner.FindObservationAsync(id, cancellationToken);

    /// <inheritdoc/>
    public Task<long> PruneAsync(DateTimeOffset olderThan, CancellationToken cancellationToken) => Inner.PruneAsync(olderThan, cancellationToken);
}
