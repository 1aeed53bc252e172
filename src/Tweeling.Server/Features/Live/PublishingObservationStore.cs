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
    : ObservationStoreDecorator(inner)
{
    public override async Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewObservation> observations, IReadOnlyList<AuditEntry> audit, CancellationToken cancellationToken)
    {
        IReadOnlyList<long> ids;
        IReadOnlyList<Alert> changes;
        try
        {
            (ids, changes) = await monitor.AppendAsync(Inner, observations, audit, cancellationToken);
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

    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Observations were stored, but the alerts they raise or clear could not be; thresholds are reloaded from the store")]
        public static partial void AlertsFailed(ILogger logger, Exception exception);
    }
}
