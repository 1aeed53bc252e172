using System.Threading.Channels;
using Tweeling.Domain.Audit;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;

namespace Tweeling.Storage;

/// <summary>
/// Group commit in front of an observation store: appends that arrive while an earlier group is being
/// committed are written together, in one durable transaction of the inner store, and each caller gets its
/// own ids once that transaction is committed.
/// </summary>
/// <remarks>
/// A durable commit costs one sync of the disk (a few milliseconds), whatever it holds, so a transaction
/// per single-observation append (one HTTP POST, one MQTT PUBLISH) caps ingest at a few hundred to a few
/// thousand a second; grouping the appends that wait during one sync lifts that cap to what the inserts
/// themselves cost, without acknowledging anything before it is on disk.
/// <para>
/// Each caller's observations stay all-or-nothing: the inner store stores nothing of a group that fails.
/// When a group fails on a missing Datastream or FeatureOfInterest, the callers that name it get that
/// <see cref="SensorLinkException"/> and the rest are committed again as a group; any other failure is
/// retried per caller, so one bad append never fails the others of its group.
/// </para>
/// Reads, deletes and pruning go straight to the inner store.
/// </remarks>
public sealed class GroupCommitObservationStore : IObservationStore, IAsyncDisposable
{
    /// <summary>
    /// Observations in one group, at most (a single larger append is still committed whole, alone):
    /// large enough that the sync's cost is spread thin, small enough that a group's inserts stay within
    /// tens of milliseconds, which is the latency every caller of the group sees.
    /// </summary>
    public const int MaxGroupSize = 10_000;

    private readonly IObservationStore _inner;
    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    /// <summary>Starts the writer that commits the groups to <paramref name="inner"/>.</summary>
    public GroupCommitObservationStore(IObservationStore inner)
    {
        _inner = inner;
        _writer = Task.Run(WriteGroupsAsync);
    }

    /// <inheritdoc />
    /// <remarks>Returns once the group holding these observations is committed by the inner store.</remarks>
    public Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewObservation> observations, CancellationToken cancellationToken) =>
        AppendAsync(observations, [], cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Returns once the group holding these observations is committed by the inner store. The group's audit
    /// records are committed with it, merged (<see cref="AuditEntry.Merge"/>): callers that append as the same
    /// subject to the same resource within one group share one record with their summed size.
    /// </remarks>
    public Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewObservation> observations, IReadOnlyList<AuditEntry> audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        if (observations.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<long>>([]);
        }

        var pending = new PendingAppend(observations, audit, cancellationToken);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(GroupCommitObservationStore));
        }

        return pending.Completion.Task;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Observation>> LatestAsync(IReadOnlyCollection<long> datastreamIds, CancellationToken cancellationToken) =>
        _inner.LatestAsync(datastreamIds, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<RollupBucket>> RollupAsync(long datastreamId, RollupGranularity granularity, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        _inner.RollupAsync(datastreamId, granularity, from, to, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<long, IReadOnlyList<RollupBucket>>> RollupsAsync(
        IReadOnlyCollection<long> datastreamIds, RollupGranularity granularity, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        _inner.RollupsAsync(datastreamIds, granularity, from, to, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Observation>> ObservationsAsync(long datastreamId, DateTimeOffset? from, DateTimeOffset? to, int limit, int offset, TimeOrder order, CancellationToken cancellationToken) =>
        _inner.ObservationsAsync(datastreamId, from, to, limit, offset, order, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteObservationAsync(long id, CancellationToken cancellationToken) => _inner.DeleteObservationAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<Observation?> FindObservationAsync(long id, CancellationToken cancellationToken) => _inner.FindObservationAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<long> PruneAsync(DateTimeOffset olderThan, CancellationToken cancellationToken) => _inner.PruneAsync(olderThan, cancellationToken);

    /// <summary>Refuses new appends and returns once every queued append is committed (or failed).</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    /// <summary>The single writer: takes what is queued, up to <see cref="MaxGroupSize"/>, and commits it as one group.</summary>
    private async Task WriteGroupsAsync()
    {
        var group = new List<PendingAppend>();
        var taken = new List<PendingAppend>();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var size = 0;
            while (_queue.Reader.TryPeek(out var next) && (size == 0 || size + next.Observations.Count <= MaxGroupSize) && _queue.Reader.TryRead(out next))
            {
                taken.Add(next);

                // A caller that gave up before its group started is not written: nothing was promised yet.
                if (next.CancellationToken.IsCancellationRequested)
                {
                    next.Cancelled();
                    continue;
                }

                group.Add(next);
                size += next.Observations.Count;
            }

            var phase = ObservationWriteMetrics.Now();
            await CommitAsync(group).ConfigureAwait(false);
            ObservationWriteMetrics.Lap("group", phase);
            ObservationWriteMetrics.Group(size);
            group.Clear();

            // One thread-pool work item answers every caller taken, one after another, off the writer: one hop per
            // group rather than one per caller. At one observation per MQTT PUBLISH a hop (and the wake-up of a
            // worker) per caller was a measurable share of the server's CPU per observation (docs/benchmarks.md, sta-mqtt-cpu).
            ThreadPool.UnsafeQueueUserWorkItem(
                static callers =>
                {
                    var answering = ObservationWriteMetrics.Now();
                    Array.ForEach(callers, c => c.Answer());
                    ObservationWriteMetrics.Lap("answer", answering);
                },
                taken.ToArray(),
                preferLocal: false);
            taken.Clear();
        }
    }

    /// <summary>Commits <paramref name="group"/> and answers each of its callers; never throws.</summary>
    private async Task CommitAsync(List<PendingAppend> group)
    {
        while (group.Count > 0)
        {
            IReadOnlyList<long> ids;
            try
            {
                // The group's own work is not cancelled by one caller: the others still wait for it.
                ids = group.Count == 1
                    ? await _inner.AppendAsync(group[0].Observations, group[0].Audit, CancellationToken.None).ConfigureAwait(false)
                    : await _inner.AppendAsync([.. group.SelectMany(p => p.Observations)], AuditEntry.Merge(group.SelectMany(p => p.Audit)), CancellationToken.None).ConfigureAwait(false);
            }
            catch (SensorLinkException missing) when (group.Count > 1 && group.Exists(p => Names(p, missing)))
            {
                // Nothing of the group was stored; those naming the missing entity fail, the rest go again.
                foreach (var failed in group.Where(p => Names(p, missing)))
                {
                    failed.Failed(new SensorLinkException(missing.EntityType, missing.Id));
                }

                group.RemoveAll(p => Names(p, missing));
                continue;
            }
            catch (Exception) when (group.Count > 1)
            {
                await CommitOneByOneAsync(group).ConfigureAwait(false);
                return;
            }
            catch (Exception e)
            {
                group[0].Failed(e);
                return;
            }

            var offset = 0;
            foreach (var pending in group)
            {
                var own = new long[pending.Observations.Count];
                for (var i = 0; i < own.Length; i++)
                {
                    own[i] = ids[offset + i];
                }

                pending.Succeeded(own);
                offset += own.Length;
            }

            return;
        }
    }

    private async Task CommitOneByOneAsync(List<PendingAppend> group)
    {
        foreach (var pending in group)
        {
            try
            {
                pending.Succeeded(await _inner.AppendAsync(pending.Observations, pending.Audit, CancellationToken.None).ConfigureAwait(false));
            }
            catch (Exception e)
            {
                pending.Failed(e);
            }
        }
    }

    /// <summary>Whether <paramref name="pending"/> links to the entity that <paramref name="missing"/> says does not exist.</summary>
    private static bool Names(PendingAppend pending, SensorLinkException missing) => missing.EntityType switch
    {
        "Datastream" => pending.Observations.Any(o => o.DatastreamId == missing.Id),
        "FeatureOfInterest" => pending.Observations.Any(o => o.FeatureOfInterestId == missing.Id),
        _ => false,
    };

    /// <summary>
    /// One caller's append, waiting for its group's commit. The writer records the outcome (<see cref="Succeeded"/>,
    /// <see cref="Failed"/>, <see cref="Cancelled"/>); <see cref="Answer"/> completes the caller's task with it later,
    /// on a thread-pool thread, where the caller's continuation then runs (never on the writer).
    /// </summary>
    private sealed record PendingAppend(IReadOnlyList<NewObservation> Observations, IReadOnlyList<AuditEntry> Audit, CancellationToken CancellationToken)
    {
        private IReadOnlyList<long>? _ids;
        private Exception? _error;
        private bool _cancelled;

        public TaskCompletionSource<IReadOnlyList<long>> Completion { get; } = new();

        public void Succeeded(IReadOnlyList<long> ids) => _ids = ids;

        public void Failed(Exception error) => _error = error;

        public void Cancelled() => _cancelled = true;

        public void Answer()
        {
            if (_cancelled)
            {
                Completion.TrySetCanceled(CancellationToken);
            }
            else if (_error is not null)
            {
                Completion.TrySetException(_error);
            }
            else
            {
                Completion.TrySetResult(_ids!);
            }
        }
    }
}
