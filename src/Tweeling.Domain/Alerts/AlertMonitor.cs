using Tweeling.Domain.Audit;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;

namespace Tweeling.Domain.Alerts;

/// <summary>
/// Judges observations against their Datastream's thresholds as they are stored, and records the alerts
/// they raise and clear. One instance per store, shared by every ingest path (HTTP, MQTT, demo feed).
/// </summary>
/// <remarks>
/// The thresholds and each one's open alert are cached in memory, so a batch of Datastreams without
/// thresholds costs a dictionary look-up per observation and no SQL. The cache is reloaded when the
/// store's threshold revision changes, which is checked at most once per <see cref="RevisionCheckInterval"/>
/// (a threshold added by the command line while the server runs takes effect within that time). A batch
/// that touches a watched Datastream is appended and judged under one lock, so alerts follow the order in
/// which observations were stored; within a batch, and per threshold, results are judged in phenomenon-time
/// order, and a result older than the threshold's last raise or clear is ignored (it arrived too late to
/// change an episode that later results already decided). Because the open alert lives in the store, a
/// restarted server continues each episode where it was.
/// <para>
/// The monitor runs only while <c>isEnabled</c> says its algorithm (<see cref="ThresholdAlertsAlgorithm"/>) is
/// enabled in the register: asked with the same interval as the revision, so a switch takes effect within
/// <see cref="RevisionCheckInterval"/>. While it is off, observations are appended and not judged, so no alert
/// is raised or cleared; switched on again, it reloads the thresholds and open alerts and judges what comes next.
/// </para>
/// </remarks>
/// <param name="alerts">The thresholds and alerts.</param>
/// <param name="time">The clock that dates raised and cleared alerts.</param>
/// <param name="isEnabled">Whether the register lets the monitor run now; <c>null</c> for always (a store without a register).</param>
public sealed class AlertMonitor(IAlertStore alerts, TimeProvider time, Func<CancellationToken, Task<bool>>? isEnabled = null)
{
    /// <summary>How stale the threshold cache may become before the store is asked whether it changed.</summary>
    public static readonly TimeSpan RevisionCheckInterval = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _cacheGate = new();
    private Cache? _cache;

    /// <summary>
    /// Appends <paramref name="observations"/> to <paramref name="store"/> and judges them; returns their ids
    /// and the alert changes they caused, in time order: an alert as raised (still open), or as cleared.
    /// An alert raised and cleared within the batch appears twice. When the alerts cannot be stored the
    /// observations still are: <see cref="AlertEvaluationException"/> carries their ids, and the cache
    /// reloads from the store next time.
    /// </summary>
    public Task<(IReadOnlyList<long> Ids, IReadOnlyList<Alert> Changes)> AppendAsync(
        IObservationStore store, IReadOnlyList<NewObservation> observations, CancellationToken cancellationToken) =>
        AppendAsync(store, observations, [], cancellationToken);

    /// <summary>
    /// <see cref="AppendAsync(IObservationStore, IReadOnlyList{NewObservation}, CancellationToken)"/> with the
    /// audit records of who appended them, committed with the observations
    /// (<see cref="IObservationStore.AppendAsync(IReadOnlyList{NewObservation}, IReadOnlyList{AuditEntry}, CancellationToken)"/>).
    /// </summary>
    public async Task<(IReadOnlyList<long> Ids, IReadOnlyList<Alert> Changes)> AppendAsync(
        IObservationStore store, IReadOnlyList<NewObservation> observations, IReadOnlyList<AuditEntry> audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var cache = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        if (!observations.Any(o => cache.ByDatastream.ContainsKey(o.DatastreamId)))
        {
            return (await store.AppendAsync(observations, audit, cancellationToken).ConfigureAwait(false), []);
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // A reload that ran while this batch waited holds every alert saved before it: judge against it.
            lock (_cacheGate)
            {
                cache = _cache ?? cache;
            }

            var ids = await store.AppendAsync(observations, audit, cancellationToken).ConfigureAwait(false);
            try
            {
                return (ids, await JudgeAsync(cache, observations, ids, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e)
            {
                Invalidate();
                throw new AlertEvaluationException(ids, e);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Judges observations that a write unit has already committed (a SensorThings write request appends
    /// inside its own transaction, so it cannot append through <see cref="AppendAsync(IObservationStore, IReadOnlyList{NewObservation}, CancellationToken)"/>); returns the alert
    /// changes they caused, as <see cref="AppendAsync(IObservationStore, IReadOnlyList{NewObservation}, CancellationToken)"/> does. Under the same lock, so judging stays in order.
    /// </summary>
    public async Task<IReadOnlyList<Alert>> JudgeCommittedAsync(IReadOnlyList<Observation> committed, CancellationToken cancellationToken)
    {
        var cache = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        if (!committed.Any(o => cache.ByDatastream.ContainsKey(o.DatastreamId)))
        {
            return [];
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_cacheGate)
            {
                cache = _cache ?? cache;
            }

            var observations = committed.Select(o => new NewObservation(o.DatastreamId, o.PhenomenonTime, o.Result, o.ResultJson, o.ResultTime, o.FeatureOfInterestId, o.ResultQuality, o.ValidTime, o.Parameters)).ToList();
            try
            {
                return await JudgeAsync(cache, observations, [.. committed.Select(o => o.Id)], cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                Invalidate();
                throw new AlertEvaluationException([.. committed.Select(o => o.Id)], e);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Drops the cache, so the next append reloads thresholds and open alerts from the store.</summary>
    public void Invalidate()
    {
        lock (_cacheGate)
        {
            _cache = null;
        }
    }

    private async Task<IReadOnlyList<Alert>> JudgeAsync(Cache cache, IReadOnlyList<NewObservation> observations, IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var results = new List<(Watch Watch, AlertObservation Observation)>();
        foreach (var (o, i) in observations.Select((o, i) => (o, i)))
        {
            if (o.Result is { } result && cache.ByDatastream.TryGetValue(o.DatastreamId, out var watches))
            {
                results.AddRange(watches.Select(w => (w, new AlertObservation(ids[i], o.PhenomenonTime.Start, result))));
            }
        }

        // Per threshold in phenomenon-time order (ids break ties in storing order); the final state of each
        // touched alert is saved, and every change is reported.
        var saves = new List<Alert>();
        var changes = new List<(Alert Alert, DateTimeOffset At, int Save, bool Raised)>();
        var pending = new Dictionary<Watch, (Alert Alert, DateTimeOffset? LastChange, int Save)>();
        foreach (var (watch, observation) in results.OrderBy(r => r.Observation.Time).ThenBy(r => r.Observation.ObservationId))
        {
            var (open, lastChange, save) = pending.TryGetValue(watch, out var p) ? (p.Alert.IsOpen ? p.Alert : null, p.LastChange, p.Save) : (watch.Open, watch.LastChange, -1);
            if (observation.Time < lastChange)
            {
                continue;
            }

            var threshold = watch.Threshold;
            if (open is null && threshold.IsCrossedBy(observation.Result))
            {
                var raised = new Alert(0, threshold.Id, threshold.DatastreamId, threshold.Name, threshold.Severity, observation, now);
                saves.Add(raised);
                changes.Add((raised, observation.Time, saves.Count - 1, true));
                pending[watch] = (raised, observation.Time, saves.Count - 1);
            }
            else if (open is not null && threshold.IsClearedBy(observation.Result))
            {
                var cleared = open with { Clearing = observation, ClearedAt = now };
                if (save >= 0)
                {
                    saves[save] = cleared;
                }
                else
                {
                    saves.Add(cleared);
                    save = saves.Count - 1;
                }

                changes.Add((cleared, observation.Time, save, false));
                pending[watch] = (cleared, observation.Time, save);
            }
        }

        if (saves.Count == 0)
        {
            return [];
        }

        var stored = await alerts.SaveAlertsAsync(saves, cancellationToken).ConfigureAwait(false);
        foreach (var (watch, (alert, lastChange, save)) in pending)
        {
            watch.Open = stored[save].IsOpen ? stored[save] : null;
            watch.LastChange = lastChange;
        }

        // A raise reports the alert as it was then: open, with the id it got.
        return [.. changes.OrderBy(c => c.At).Select(c => c.Raised
            ? stored[c.Save] with { Clearing = null, ClearedAt = null }
            : stored[c.Save])];
    }

    private async Task<Cache> CurrentAsync(CancellationToken cancellationToken)
    {
        Cache? cache;
        lock (_cacheGate)
        {
            cache = _cache;
        }

        // A monotonic clock, not the platform's TimeProvider: this is how old the cache is, not domain time.
        var tick = Environment.TickCount64;
        if (cache is not null && tick - cache.CheckedAt < RevisionCheckInterval.TotalMilliseconds)
        {
            return cache;
        }

        var revision = await alerts.ThresholdRevisionAsync(cancellationToken).ConfigureAwait(false);
        var enabled = isEnabled is null || await isEnabled(cancellationToken).ConfigureAwait(false);
        if (cache is null || cache.Revision != revision || cache.Enabled != enabled)
        {
            // Loaded under the gate, so no batch is being judged against the watches being replaced.
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // Switched off: no watches, so nothing is judged; switched on again, episodes continue from the store.
                var states = enabled ? await alerts.ThresholdStatesAsync(cancellationToken).ConfigureAwait(false) : [];
                cache = new Cache(revision, enabled, tick, states
                    .GroupBy(s => s.Threshold.DatastreamId)
                    .ToDictionary(g => g.Key, g => g.Select(s => new Watch(s.Threshold) { Open = s.OpenAlert, LastChange = s.LastChange }).ToArray()));
            }
            finally
            {
                _gate.Release();
            }
        }
        else
        {
            cache = cache with { CheckedAt = tick };
        }

        lock (_cacheGate)
        {
            _cache = cache;
        }

        return cache;
    }

    /// <summary>The cached thresholds by Datastream (none while switched off), the revision and switch they were read at, and when those were last confirmed.</summary>
    private sealed record Cache(long Revision, bool Enabled, long CheckedAt, IReadOnlyDictionary<long, Watch[]> ByDatastream);

    /// <summary>One threshold and its episode so far; changed only under the gate.</summary>
    private sealed class Watch(Threshold threshold)
    {
        public Threshold Threshold { get; } = threshold;

        public Alert? Open { get; set; }

        public DateTimeOffset? LastChange { get; set; }
    }
}

/// <summary>Observations were stored, but the alerts they raise or clear could not be judged or stored.</summary>
public sealed class AlertEvaluationException(IReadOnlyList<long> ids, Exception inner)
    : Exception("The observations were stored, but their alerts could not be.", inner)
{
    /// <summary>The ids of the stored observations, in the order they were given.</summary>
    public IReadOnlyList<long> Ids { get; } = ids;
}
