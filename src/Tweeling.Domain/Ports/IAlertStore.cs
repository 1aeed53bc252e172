using Tweeling.Domain.Alerts;

namespace Tweeling.Domain.Ports;

/// <summary>
/// Thresholds on Datastreams and the durable history of the alerts they raised. Every method is one
/// all-or-nothing unit.
/// </summary>
public interface IAlertStore
{
    /// <summary>
    /// Adds <paramref name="threshold"/> (its id is ignored) and returns it with its new id. Fails with
    /// <see cref="SensorLinkException"/> when its Datastream does not exist.
    /// </summary>
    Task<Threshold> AddThresholdAsync(Threshold threshold, CancellationToken cancellationToken);

    /// <summary>The threshold with <paramref name="id"/>, or <c>null</c>.</summary>
    Task<Threshold?> FindThresholdAsync(long id, CancellationToken cancellationToken);

    /// <summary>Every threshold, or those of Datastream <paramref name="datastreamId"/>, by ascending id.</summary>
    Task<IReadOnlyList<Threshold>> ListThresholdsAsync(long? datastreamId, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the threshold with <paramref name="id"/>; its alert history stays, and an alert still open
    /// is closed at <paramref name="time"/> without a clearing observation. Returns whether it existed.
    /// </summary>
    Task<bool> RemoveThresholdAsync(long id, DateTimeOffset time, CancellationToken cancellationToken);

    /// <summary>
    /// A number that changes whenever a threshold is added or removed (by any process using the store), so
    /// a cache of thresholds can tell cheaply that it is stale.
    /// </summary>
    Task<long> ThresholdRevisionAsync(CancellationToken cancellationToken);

    /// <summary>Every threshold with its open alert and the time of its last change, by ascending id.</summary>
    Task<IReadOnlyList<ThresholdState>> ThresholdStatesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores raised and cleared alerts in one transaction: an alert with id 0 is new (it may already be
    /// cleared), any other updates the stored alert with that id to its clearing. Returns them as stored,
    /// in order. Fails with <see cref="KeyNotFoundException"/>, storing nothing, when an alert's id or a new
    /// alert's threshold does not exist (a threshold removed meanwhile raises nothing).
    /// </summary>
    Task<IReadOnlyList<Alert>> SaveAlertsAsync(IReadOnlyList<Alert> alerts, CancellationToken cancellationToken);

    /// <summary>The alert with <paramref name="id"/>, or <c>null</c>.</summary>
    Task<Alert?> FindAlertAsync(long id, CancellationToken cancellationToken);

    /// <summary>
    /// The alerts matching <paramref name="query"/>, newest first: by descending time of the raising
    /// observation, then descending id.
    /// </summary>
    Task<IReadOnlyList<Alert>> ListAlertsAsync(AlertQuery query, CancellationToken cancellationToken);
}
