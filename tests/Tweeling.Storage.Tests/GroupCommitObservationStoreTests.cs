using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Audit;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Tweeling.Storage.Sqlite;
using Tweeling.TestSupport;

namespace Tweeling.Storage.Tests;

/// <summary>
/// Group commit over the real SQLite store: concurrent single appends share transactions, every caller
/// gets its own ids only once they are durable, and a bad append fails alone.
/// </summary>
public sealed class GroupCommitObservationStoreTests : IAsyncLifetime
{
    private static readonly NtsGeometryServices s_geometryServices = new(PrecisionModel.Floating.Value, Crs.Crs84Srid);
    private static readonly DateTimeOffset s_t0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();
    private SqliteTwinStore? _store;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SqliteTwinStore Store => _store ?? throw new InvalidOperationException("The store is not open.");

    public async ValueTask InitializeAsync() => _store = await SqliteTwinStore.OpenAsync(_directory.File("twin.db"), s_geometryServices, Ct);

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        _directory.Dispose();
    }

    [Fact]
    public async Task Concurrent_single_appends_are_each_acknowledged_with_their_own_ids_and_are_durable()
    {
        var datastreams = await DatastreamsAsync(2);
        long[][] ids;
        await using (var groups = new GroupCommitObservationStore(Store.Sensors))
        {
            ids = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => Task.Run(
                async () => (await groups.AppendAsync([Numeric(datastreams[i % 2], i)], Ct)).ToArray(), Ct)));
        }

        Assert.All(ids, i => Assert.Single(i));
        Assert.Equal(400, ids.Select(i => i[0]).Distinct().Count());

        // A fresh store on the same file sees every acknowledged observation, with the value its caller sent.
        await Store.DisposeAsync();
        _store = await SqliteTwinStore.OpenAsync(_directory.File("twin.db"), s_geometryServices, Ct);
        for (var i = 0; i < ids.Length; i++)
        {
            var stored = await Store.Sensors.FindObservationAsync(ids[i][0], Ct);
            Assert.NotNull(stored);
            Assert.Equal((double)i, stored.Result);
            Assert.Equal(datastreams[i % 2], stored.DatastreamId);
        }
    }

    [Fact]
    public async Task Appends_that_queue_during_a_commit_are_committed_together_in_one_transaction()
    {
        var datastream = (await DatastreamsAsync(1))[0];
        var inner = new HeldObservationStore(Store.Sensors);
        await using var groups = new GroupCommitObservationStore(inner);

        var first = groups.AppendAsync([Numeric(datastream, -1), Numeric(datastream, -2)], Ct);
        await inner.FirstCallStarted;
        var queued = Enumerable.Range(0, 100).Select(i => groups.AppendAsync([Numeric(datastream, i)], Ct)).ToArray();
        Assert.DoesNotContain(queued, t => t.IsCompleted);
        inner.Release();

        var firstIds = await first;
        var queuedIds = await Task.WhenAll(queued);
        Assert.Equal([2, 100], inner.Batches);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => firstIds[1] + 1 + i), queuedIds.Select(i => Assert.Single(i)));
        var stored = await Store.Sensors.ObservationsAsync(datastream, null, null, 1000, 0, TimeOrder.OldestFirst, Ct);
        Assert.Equal(102, stored.Count);
    }

    [Fact]
    public async Task An_append_naming_a_missing_datastream_or_feature_fails_alone_and_its_group_is_stored()
    {
        var datastream = (await DatastreamsAsync(1))[0];
        var inner = new HeldObservationStore(Store.Sensors);
        await using var groups = new GroupCommitObservationStore(inner);

        var first = groups.AppendAsync([Numeric(datastream, -1)], Ct);
        await inner.FirstCallStarted;
        var good = Enumerable.Range(0, 20).Select(i => groups.AppendAsync([Numeric(datastream, i)], Ct)).ToArray();
        var missingDatastream = groups.AppendAsync([Numeric(datastream, 100), Numeric(datastream + 1000, 101)], Ct);
        var missingFeature = groups.AppendAsync([Numeric(datastream, 102) with { FeatureOfInterestId = 4242 }], Ct);
        var more = Enumerable.Range(20, 20).Select(i => groups.AppendAsync([Numeric(datastream, i)], Ct)).ToArray();
        inner.Release();

        await first;
        var datastreamError = await Assert.ThrowsAsync<SensorLinkException>(() => missingDatastream);
        Assert.Equal(("Datastream", datastream + 1000), (datastreamError.EntityType, datastreamError.Id));
        var featureError = await Assert.ThrowsAsync<SensorLinkException>(() => missingFeature);
        Assert.Equal(("FeatureOfInterest", 4242L), (featureError.EntityType, featureError.Id));
        var goodIds = (await Task.WhenAll([.. good, .. more])).Select(i => Assert.Single(i)).ToArray();

        // The good ones carry their own values; nothing of a failed append was stored, not even its valid observation.
        for (var i = 0; i < goodIds.Length; i++)
        {
            Assert.Equal((double)i, (await Store.Sensors.FindObservationAsync(goodIds[i], Ct))!.Result);
        }

        var stored = await Store.Sensors.ObservationsAsync(datastream, null, null, 1000, 0, TimeOrder.OldestFirst, Ct);
        Assert.Equal(41, stored.Count);
        Assert.DoesNotContain(stored, o => o.Result >= 100);
    }

    [Fact]
    public async Task A_groups_audit_records_commit_with_it_one_per_subject_and_resource_and_a_failed_append_leaves_none()
    {
        var datastream = (await DatastreamsAsync(1))[0];
        var inner = new HeldObservationStore(Store.Sensors);
        await using var groups = new GroupCommitObservationStore(inner);
        AuditEntry By(string subject, long datastreamId, int minute) =>
            new(s_t0.AddMinutes(minute), subject, "medewerker", null, "create", $"MQTT PUBLISH v1.1/Datastreams({datastreamId})/Observations", 1, "observations", AuditEntry.Ok);

        var first = groups.AppendAsync([Numeric(datastream, -1)], [By("acc_a", datastream, 0)], Ct);
        await inner.FirstCallStarted;
        var fromA = Enumerable.Range(1, 5).Select(i => groups.AppendAsync([Numeric(datastream, i)], [By("acc_a", datastream, i)], Ct)).ToArray();
        var fromB = Enumerable.Range(6, 3).Select(i => groups.AppendAsync([Numeric(datastream, i)], [By("acc_b", datastream, i)], Ct)).ToArray();
        var missing = groups.AppendAsync([Numeric(datastream + 1000, 9)], [By("acc_c", datastream + 1000, 9)], Ct);
        inner.Release();

        await first;
        await Task.WhenAll([.. fromA, .. fromB]);
        await Assert.ThrowsAsync<SensorLinkException>(() => missing);

        var records = new List<AuditRecord>();
        await foreach (var record in Store.Audit.ReadAsync(AuditFilter.All, Ct))
        {
            records.Add(record);
        }

        // The held first append alone, then one record per subject for the queued group, with the latest time; nothing of acc_c.
        Assert.Equal(
            [("acc_a", 1L, s_t0), ("acc_a", 5L, s_t0.AddMinutes(5)), ("acc_b", 3L, s_t0.AddMinutes(8))],
            records.Select(r => (r.Entry.Subject!, r.Entry.ResultSize, r.Entry.Time)));
        Assert.Equal([1L, 2, 3], records.Select(r => r.Sequence));

        // The group's two records went in with one prepared insert: each still chains from the one before it.
        var head = AuditChain.Genesis;
        foreach (var record in records)
        {
            head = AuditChain.Next(head, record.Sequence, record.Entry);
            Assert.Equal(head, record.Hash);
        }
    }

    [Fact]
    public async Task When_a_group_fails_for_another_reason_each_caller_is_committed_alone_and_only_the_cause_fails()
    {
        var datastream = (await DatastreamsAsync(1))[0];
        var inner = new HeldObservationStore(Store.Sensors) { Refuse = o => o.Result == 666 };
        await using var groups = new GroupCommitObservationStore(inner);

        var first = groups.AppendAsync([Numeric(datastream, -1)], Ct);
        await inner.FirstCallStarted;
        var good = Enumerable.Range(0, 5).Select(i => groups.AppendAsync([Numeric(datastream, i)], Ct)).ToArray();
        var refused = groups.AppendAsync([Numeric(datastream, 666)], Ct);
        inner.Release();

        await first;
        await Assert.ThrowsAsync<InvalidOperationException>(() => refused);
        var goodIds = (await Task.WhenAll(good)).Select(i => Assert.Single(i)).ToArray();
        for (var i = 0; i < goodIds.Length; i++)
        {
            Assert.Equal((double)i, (await Store.Sensors.FindObservationAsync(goodIds[i], Ct))!.Result);
        }

        // The group of six failed whole, then each of its callers was tried on its own: five commits of one.
        Assert.Equal([1, 1, 1, 1, 1], inner.Batches.Skip(1));
        Assert.Equal(6, (await Store.Sensors.ObservationsAsync(datastream, null, null, 100, 0, TimeOrder.OldestFirst, Ct)).Count);
    }

    [Fact]
    public async Task A_caller_that_cancels_before_its_group_starts_is_not_stored()
    {
        var datastream = (await DatastreamsAsync(1))[0];
        var inner = new HeldObservationStore(Store.Sensors);
        await using var groups = new GroupCommitObservationStore(inner);

        var first = groups.AppendAsync([Numeric(datastream, 1)], Ct);
        await inner.FirstCallStarted;
        using var cancellation = new CancellationTokenSource();
        var cancelled = groups.AppendAsync([Numeric(datastream, 2)], cancellation.Token);
        var kept = groups.AppendAsync([Numeric(datastream, 3)], Ct);
        await cancellation.CancelAsync();
        inner.Release();

        await first;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await kept;
        var stored = await Store.Sensors.ObservationsAsync(datastream, null, null, 10, 0, TimeOrder.OldestFirst, Ct);
        Assert.Equal([1.0, 3.0], stored.Select(o => o.Result!.Value));
    }

    [Fact]
    public async Task A_callers_continuation_runs_off_the_writer_so_one_that_blocks_does_not_hold_up_the_next_group()
    {
        var datastream = (await DatastreamsAsync(1))[0];
        await using var groups = new GroupCommitObservationStore(Store.Sensors);
        using var running = new ManualResetEventSlim();
        using var unblock = new ManualResetEventSlim();

        // Runs where the store completes the caller's task, and blocks that thread until the test lets it go.
        var appended = groups.AppendAsync([Numeric(datastream, 1)], Ct);
        var blocked = appended.ContinueWith(
            _ =>
            {
                running.Set();
                unblock.Wait(TimeSpan.FromSeconds(60), Ct);
            },
            Ct,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        try
        {
            Assert.True(running.Wait(TimeSpan.FromSeconds(60), Ct), "the first append was never answered");

            // A later group is committed and answered while that continuation still holds its thread.
            var next = await groups.AppendAsync([Numeric(datastream, 2)], Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct);
            Assert.Single(next);
            Assert.False(blocked.IsCompleted);
        }
        finally
        {
            unblock.Set();
        }

        await blocked;
        var first = await appended;
        var stored = await Store.Sensors.ObservationsAsync(datastream, null, null, 10, 0, TimeOrder.OldestFirst, Ct);
        Assert.Equal([1.0, 2.0], stored.Select(o => o.Result!.Value));
        Assert.Equal(first[0], stored[0].Id);
    }

    [Fact]
    public async Task Each_group_commit_reports_its_size_and_the_time_of_every_phase_to_a_metrics_listener()
    {
        var datastream = (await DatastreamsAsync(1))[0];
        var sizes = new ConcurrentBag<int>();
        var phases = new ConcurrentDictionary<string, double>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Tweeling.Storage")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, size, _, _) => sizes.Add(size));
        listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) => phases.AddOrUpdate((string)tags[0].Value!, seconds, (_, sum) => sum + seconds));
        listener.Start();

        // One group of one, held; the five appends that queue meanwhile make the next group.
        var inner = new HeldObservationStore(Store.Sensors);
        await using (var groups = new GroupCommitObservationStore(inner))
        {
            var first = groups.AppendAsync([Numeric(datastream, -1)], Ct);
            await inner.FirstCallStarted;
            var queued = Enumerable.Range(0, 5).Select(i => groups.AppendAsync([Numeric(datastream, i)], Ct)).ToArray();
            inner.Release();
            await first;
            await Task.WhenAll(queued);
        }

        // Other classes' group commits may run in parallel and report too (the meter is the process's): only what this one must add is asserted.
        Assert.Contains(1, sizes);
        Assert.Contains(5, sizes);

        // The callers' answers are timed once the last of them has run, just after the callers resume: wait for it, bounded.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (!phases.ContainsKey("answer"))
        {
            await Task.Delay(10, deadline.Token);
        }

        Assert.All(["wait", "rows", "aggregates", "audit", "commit", "group", "answer"], phase => Assert.True(phases.GetValueOrDefault(phase) > 0, phase + " was not timed"));
    }

    private async Task<long[]> DatastreamsAsync(int count)
    {
        var inserted = await Store.Sensors.CreateThingAsync(
            new ThingInsert(
                new Thing(0, "Station", "air quality"),
                [],
                [.. Enumerable.Range(0, count).Select(i => new DatastreamInsert(
                    new Datastream(0, "NO2 " + i, "hourly NO2", new UnitOfMeasurement("microgram per cubic metre", "µg/m³", "http://qudt.org/vocab/unit/MicroGM-PER-M3"),
                        "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement", 0, 0, 0),
                    Link<Sensor>.Create(new Sensor(0, "s" + i, "a sensor", "application/pdf", "https://example.org/datasheet.pdf")),
                    Link<ObservedProperty>.Create(new ObservedProperty(0, "NO2 " + i, "https://example.org/def/NO2", "a property"))))],
                s_t0),
            Ct);
        return [.. inserted.DatastreamIds];
    }

    private static NewObservation Numeric(long datastreamId, double value) => new(datastreamId, SensorTime.At(s_t0.AddMinutes(value)), value);

    /// <summary>
    /// The real store, with its first append held until <see cref="Release"/>: what arrives meanwhile queues,
    /// as appends do while a real commit syncs the disk. Records the size of every append it commits, and
    /// fails the appends that hold an observation <see cref="Refuse"/> picks, as a store refuses bad data, storing nothing of them.
    /// </summary>
    private sealed class HeldObservationStore(IObservationStore inner) : IObservationStore
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task FirstCallStarted => _started.Task;

        public List<int> Batches { get; } = [];

        public Func<NewObservation, bool> Refuse { get; init; } = _ => false;

        public void Release() => _released.TrySetResult();

        public async Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewObservation> observations, IReadOnlyList<AuditEntry> audit, CancellationToken cancellationToken)
        {
            if (_started.TrySetResult())
            {
                await _released.Task;
            }

            if (observations.Any(Refuse))
            {
                throw new InvalidOperationException("refused");
            }

            var ids = await inner.AppendAsync(observations, audit, cancellationToken);
            Batches.Add(observations.Count);
            return ids;
        }

        public Task<IReadOnlyList<Observation>> LatestAsync(IReadOnlyCollection<long> datastreamIds, CancellationToken cancellationToken) => inner.LatestAsync(datastreamIds, cancellationToken);

        public Task<IReadOnlyList<RollupBucket>> RollupAsync(long datastreamId, RollupGranularity granularity, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
            inner.RollupAsync(datastreamId, granularity, from, to, cancellationToken);

        public Task<IReadOnlyList<Observation>> ObservationsAsync(long datastreamId, DateTimeOffset? from, DateTimeOffset? to, int limit, int offset, TimeOrder order, CancellationToken cancellationToken) =>
            inner.ObservationsAsync(datastreamId, from, to, limit, offset, order, cancellationToken);

        public Task<bool> DeleteObservationAsync(long id, CancellationToken cancellationToken) => inner.DeleteObservationAsync(id, cancellationToken);

        public Task<Observation?> FindObservationAsync(long id, CancellationToken cancellationToken) => inner.FindObservationAsync(id, cancellationToken);

        public Task<long> PruneAsync(DateTimeOffset olderThan, CancellationToken cancellationToken) => inner.PruneAsync(olderThan, cancellationToken);
    }
}
