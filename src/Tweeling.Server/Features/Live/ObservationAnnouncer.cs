using Tweeling.Domain.Alerts;
using Tweeling.Domain.Sensors;

namespace Tweeling.Server.Features.Live;

/// <summary>
/// Announces the Observations a SensorThings write unit committed, appended or updated: judges them against the
/// thresholds, then publishes them and the alert changes they caused on the live bus — what
/// <see cref="PublishingObservationStore"/> does for plain appends, for writes that append or change Observations inside
/// their own transaction.
/// </summary>
internal sealed partial class ObservationAnnouncer(ObservationBus bus, AlertMonitor monitor, ILogger<ObservationAnnouncer> logger)
{
    /// <summary>
    /// Judges <paramref name="appended"/> and <paramref name="changed"/> (stored Observations the unit changed) together,
    /// then publishes them: a changed one as <see cref="LiveItem.Changed"/>, because MQTT subscribers get changes from the
    /// entity change bus and must not be sent them twice.
    /// </summary>
    public async Task AnnounceAsync(IReadOnlyList<Observation> appended, IReadOnlyList<Observation> changed, CancellationToken cancellationToken)
    {
        IReadOnlyList<Observation> committed = changed.Count == 0 ? appended : [.. appended, .. changed];
        if (committed.Count == 0)
        {
            return;
        }

        IReadOnlyList<Alert> changes;
        try
        {
            changes = await monitor.JudgeCommittedAsync(committed, cancellationToken);
        }
        catch (AlertEvaluationException e)
        {
            Log.AlertsFailed(logger, e.InnerException!);
            changes = [];
        }

        bus.Publish(appended);
        bus.PublishChanged(changed);
        bus.Publish(changes);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "A write unit's observations were stored, but the alerts they raise or clear could not be; thresholds are reloaded from the store")]
        public static partial void AlertsFailed(ILogger logger, Exception exception);
    }
}
