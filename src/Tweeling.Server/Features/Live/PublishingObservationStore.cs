using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;

namespace Tweeling.Server.Features.Live;

/// <summary>
/// The observation store as the server uses it: every append that succeeds — over HTTP, MQTT or from the
/// demo feed — is published on the <see cref="ObservationBus"/> after it is durable, so live clients
/// never see an observation that a crash could still take back.
/// </summary>
internal sealed class PublishingObservationStore(IObservationStore inner, ObservationBus bus) : IObservationStore
{
    public async Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewObservation> observations, CancellationToken cancellationToken)
    {
        var ids = await inner.AppendAsync(observations, cancellationToken);
        bus.Publish([.. observations.Select((o, i) => new Observation(
            ids[i], o.DatastreamId, o.FeatureOfInterestId, o.PhenomenonTime, o.ResultTime, o.Result, o.ResultJson, o.ResultQuality, o.ValidTime, o.Parameters))]);
        return ids;
    }

    public Task<IReadOnlyList<Observation>> LatestAsync(IReadOnlyCollection<long> datastreamIds, CancellationToken cancellationToken) =>
        inner.LatestAsync(datastreamIds, cancellationToken);

    public Task<IReadOnlyList<RollupBucket>> RollupAsync(long datastreamId, RollupGranularity granularity, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        inner.RollupAsync(datastreamId, granularity, from, to, cancellationToken);

    public Task<IReadOnlyList<Observation>> ObservationsAsync(long datastreamId, DateTimeOffset? from, DateTimeOffset? to, int limit, int offset, TimeOrder order, CancellationToken cancellationToken) =>
        inner.ObservationsAsync(datastreamId, from, to, limit, offset, order, cancellationToken);

    public Task<bool> DeleteObservationAsync(long id, CancellationToken cancellationToken) => inner.DeleteObservationAsync(id, cancellationToken);

    public Task<Observation?> FindObservationAsync(long id, CancellationToken cancellationToken) => inner.FindObservationAsync(id, cancellationToken);

    public Task<long> PruneAsync(DateTimeOffset olderThan, CancellationToken cancellationToken) => inner.PruneAsync(olderThan, cancellationToken);
}
