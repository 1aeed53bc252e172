using Tweeling.Domain.Alerts;
using Tweeling.Domain.Audit;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;

namespace Tweeling.Server.Features.Live;

/// <summary>
/// The observation store as the server uses it: every append that succeeds — over HTTP, MQTT or from the
/// demo feed — is judged against its Datastreams' thresholds (<see cref="AlertMonitor"/>), and the
/// observations and the alerts they raised or cleared are published on the <see cref="ObservationBus"/>
/// after they are durable, so live clients never see an observation or alert that a crash could still take back.
/// </summary>
/// <remarks>
/// An alert that cannot be stored does not undo or fail the append (the observations are durable by then):
/// it is logged, and the monitor reloads its state from the store, so a result still past the threshold
/// raises the alert with the next observation.
/// </remarks>
internal sealed partial class PublishingObservationStore(IObservationStore inner, ObservationBus bus, AlertMonitor monitor, ILogger<PublishingObservationStore> logger)
    : IObservationStore
{
    public Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewObservation> observations, CancellationToken cancellationToken) =>
        AppendAsync(observations, [], cancellationToken);

    public async Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewObservation> observations, IReadOnlyList<AuditEntry> audit, CancellationToken cancellationToken)
    {
        IReadOnlyList<long> ids;
        IReadOnlyList<Alert> changes;
        try
        {
            (ids, changes) = await monitor.AppendAsync(inner, observations, audit, cancellationToken);
        }
        catch (AlertEvaluationException e)
        {
            Log.AlertsFailed(logger, e.InnerException!);
            (ids, changes) = (e.Ids, []);
        }

        bus.Publish([.. observations.Select((o, i) => new Observation(
            ids[i], o.DatastreamId, o.FeatureOfInterestId, o.PhenomenonTime, o.ResultTime, o.Result, o.ResultJson, o.ResultQuality, o.ValidTime, o.Parameters))]);
        bus.Publish(changes);
        return ids;
    }

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

    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Observations were stored, but the alerts they raise or clear could not be; thresholds are reloaded from the store")]
        public static partial void AlertsFailed(ILogger logger, Exception exception);
    }
}
