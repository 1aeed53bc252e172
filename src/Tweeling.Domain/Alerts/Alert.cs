namespace Tweeling.Domain.Alerts;

/// <summary>The observation that raised or cleared an alert.</summary>
/// <param name="ObservationId">The SensorThings Observation id.</param>
/// <param name="Time">Its phenomenon time (the start, for an interval).</param>
/// <param name="Result">Its numeric result, in the Datastream's unit.</param>
public sealed record AlertObservation(long ObservationId, DateTimeOffset Time, double Result);

/// <summary>
/// One alert: the episode from the observation that crossed a threshold to the one that returned past its
/// clear value. The threshold's name and severity are copied in, so the history still reads when the
/// threshold is later removed.
/// </summary>
/// <param name="Id">The id; 0 for an alert not stored yet.</param>
/// <param name="ThresholdId">The threshold that raised it.</param>
/// <param name="DatastreamId">The Datastream the threshold judges.</param>
/// <param name="ThresholdName">The threshold's name.</param>
/// <param name="Severity">The threshold's severity.</param>
/// <param name="Raising">The observation that crossed the threshold.</param>
/// <param name="RaisedAt">When the platform raised it (server time; the observation may be older).</param>
/// <param name="Clearing">The observation that cleared it; <c>null</c> while open, and when it was closed because its threshold was removed.</param>
/// <param name="ClearedAt">When the platform cleared it; <c>null</c> while open.</param>
public sealed record Alert(
    long Id,
    long ThresholdId,
    long DatastreamId,
    string ThresholdName,
    AlertSeverity Severity,
    AlertObservation Raising,
    DateTimeOffset RaisedAt,
    AlertObservation? Clearing = null,
    DateTimeOffset? ClearedAt = null)
{
    /// <summary>Whether the episode is still going on.</summary>
    public bool IsOpen => ClearedAt is null;
}

/// <summary>Which alerts a history read returns; see <see cref="Ports.IAlertStore.ListAlertsAsync"/>.</summary>
/// <param name="Limit">At most this many (at least 1).</param>
/// <param name="Offset">Skipping this many of the newest first.</param>
/// <param name="DatastreamId">Only alerts of this Datastream.</param>
/// <param name="ThresholdId">Only alerts of this threshold.</param>
/// <param name="From">Only episodes still open at or after this time (cleared at or after it by observation time, or open).</param>
/// <param name="To">Only episodes raised before this time (by observation time).</param>
/// <param name="OpenOnly">Only alerts that are still open.</param>
/// <param name="Datastreams">
/// Only alerts of these Datastreams — the ones the caller may read — applied before paging; <c>null</c> for all.
/// </param>
public sealed record AlertQuery(
    int Limit,
    int Offset = 0,
    long? DatastreamId = null,
    long? ThresholdId = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    bool OpenOnly = false,
    IReadOnlyCollection<long>? Datastreams = null);

/// <summary>A threshold with what evaluation needs to continue after a restart.</summary>
/// <param name="Threshold">The threshold.</param>
/// <param name="OpenAlert">Its open alert, or <c>null</c>.</param>
/// <param name="LastChange">The observation time of its last raise or clear, or <c>null</c> when it never raised an alert.</param>
public sealed record ThresholdState(Threshold Threshold, Alert? OpenAlert, DateTimeOffset? LastChange);
