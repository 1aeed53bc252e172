using System.Collections.Concurrent;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Tweeling.Domain.Sensors.Query;
using Tweeling.Storage.Sqlite;

namespace Tweeling.Server.Features.SensorThings;

/// <summary>
/// The recent Observations of each Datastream in memory, in phenomenonTime order, so that the read behind every chart —
/// <c>Datastreams(id)/Observations?$filter=phenomenonTime ge … and phenomenonTime lt …</c> — is answered without a
/// store query. A window costs a binary search and a copy of its page instead of a SQLite statement (about 0.4 ms of
/// CPU on one thread for a 6-hour window of the demo city, see docs/benchmarks.md "SensorThings read p99 (sta-read4)").
/// </summary>
/// <remarks>
/// <para>
/// A Datastream's series is read from the store the first time a window of it is asked: every Observation whose
/// phenomenonTime starts at or after <see cref="HorizonDays"/> before now, in the order the store sorts them (start, then id).
/// It is kept consistent with the store the way <see cref="StaAnswerCache"/> keeps its answers: a request reads the
/// store's commit count (<see cref="SqliteCommitCounter"/>, which moves with every commit from any connection or process)
/// before it reads a series, and when the count has moved, the sensor change log
/// (<see cref="SqliteCommitCounter.SensorChangesSince"/>, written in the same transaction as every sensor write) says
/// which Datastreams changed from which phenomenonTime on. Those series are marked stale from that time and read again
/// from there (only the tail: a live feed's append re-reads its newest Observations) by the next request that asks.
/// An entity write or a cut log drops every series (a Thing's properties decide who sees its Datastreams; a deleted
/// Datastream takes its Observations). So a read never sees an Observation before its write committed, and never misses
/// one whose write committed before the read began — including appends, updates, deletes and retention from another process.
/// </para>
/// <para>
/// Memory is bounded: at most <see cref="MaximumRows"/> Observations are kept in all (about 64 bytes each; those
/// with JSON results, a resultQuality, validTime or parameters keep the store's own object), and a Datastream whose
/// series would exceed it is answered by the store. Only a window whose lower bound lies inside the series is answered
/// here; older windows, other filters, <c>$expand</c> and every other read go to the store as before.
/// </para>
/// <para>
/// Who may see a Datastream is decided per request from its Thing (kept with the series, read without visibility once)
/// and the caller's <see cref="SensorVisibility"/>, the access seam's decision, exactly as the store decides it:
/// Observations are visible with their Datastream, a Datastream with its Thing.
/// </para>
/// </remarks>
internal sealed class RecentObservations(SqliteCommitCounter commits, ISensorStore sensors, TimeProvider time)
{
    /// <summary>How far back a series reaches when it is read: 32 days, a month of charts (the demo keeps 30 days of history).</summary>
    public const int HorizonDays = 32;

    /// <summary>At most this many Observations are kept in all: 2 million, about 128 MB.</summary>
    public const long MaximumRows = 2_000_000;

    /// <summary>How far (ms, one day) a kept series may reach past <see cref="HorizonDays"/> before its oldest rows are let go (at its next read from the store).</summary>
    private const long TrimSlackMs = 24L * 3600 * 1000;

    private const long None = long.MinValue;

    private readonly ConcurrentDictionary<long, Series> _series = new();
    /// <summary>Gates of the store reads of series, one per Datastream id modulo their number (a fixed number, whatever ids clients ask for).</summary>
    private readonly SemaphoreSlim[] _reading = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];
    private readonly Lock _moving = new();
    private long _rows;
    private long _version = long.MinValue;
    private long _changeSeq = -1;

    /// <summary>How many times every series was dropped (an entity write): a Thing read before a drop may be stale.</summary>
    private long _drops;

    /// <summary>How many Observations are kept now (for tests and diagnostics).</summary>
    public long Rows => Interlocked.Read(ref _rows);

    /// <summary>
    /// The page <paramref name="query"/> asks for, from memory, when it is a window of one Datastream's Observations this
    /// class answers (see the remarks) and the series holds it; else <c>null</c>, and the caller asks the store.
    /// <paramref name="commitCount"/> is the store's commit count read before anything of this request was computed.
    /// </summary>
    public async Task<SensorPage?> TryQueryAsync(SensorQuery query, long commitCount, CancellationToken cancellationToken)
    {
        if (query is not { Set: SensorEntitySet.Observations, Scope: { Set: SensorEntitySet.Datastreams, Navigation: "Observations" } scope, Visibility: { } visibility }
            || !Window.TryOf(query.Filter, out var window)
            || !TryOrder(query.OrderBy, out var descending))
        {
            return null;
        }

        MoveTo(commitCount);
        var series = await CurrentAsync(scope.Id, cancellationToken).ConfigureAwait(false);
        if (series is null || window.From < series.From)
        {
            return null;
        }

        if (!visibility.Sees(series.Thing))
        {
            return new SensorPage([], query.Count ? 0 : null);
        }

        return series.Page(window, descending, query.Top, query.Skip, query.Count);
    }

    /// <summary>Takes in the sensor changes committed since the last move, when the commit count is no longer <paramref name="commitCount"/>'s.</summary>
    private void MoveTo(long commitCount)
    {
        if (Volatile.Read(ref _version) == commitCount)
        {
            return;
        }

        lock (_moving)
        {
            // Read again inside: counts only tell equal from different, so a request whose count is older than the
            // last move must not undo it; the counter is read before the changes, so a commit in between is in them.
            var version = commits.Current;
            if (_version == version)
            {
                return;
            }

            var changes = commits.SensorChangesSince(_changeSeq);
            if (changes.Everything)
            {
                Interlocked.Increment(ref _drops);
                foreach (var id in _series.Keys)
                {
                    if (_series.TryRemove(id, out var dropped))
                    {
                        Interlocked.Add(ref _rows, -dropped.Count);
                    }
                }
            }
            else
            {
                foreach (var (datastream, earliest) in changes.Datastreams)
                {
                    MarkStale(datastream, earliest);
                }
            }

            _changeSeq = changes.Seq;
            Volatile.Write(ref _version, version);
        }
    }

    private void MarkStale(long datastream, long from)
    {
        while (_series.TryGetValue(datastream, out var series) && from < series.StaleFrom)
        {
            if (_series.TryUpdate(datastream, series with { StaleFrom = from }, series))
            {
                return;
            }
        }
    }

    /// <summary>The series of <paramref name="datastream"/>, read from the store where it is missing or stale; <c>null</c> when the Datastream does not exist or the memory budget is spent.</summary>
    private async Task<Series?> CurrentAsync(long datastream, CancellationToken cancellationToken)
    {
        if (_series.TryGetValue(datastream, out var series) && series.StaleFrom == long.MaxValue)
        {
            return series;
        }

        // One request reads a Datastream's series at a time; the others wait for it instead of each querying the store.
        var gate = _reading[(int)(datastream & (_reading.Length - 1))];
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                if (!_series.TryGetValue(datastream, out series))
                {
                    var drops = Interlocked.Read(ref _drops);
                    if (await ThingOfAsync(datastream, cancellationToken).ConfigureAwait(false) is not { } thing)
                    {
                        return null;
                    }

                    // Added empty and stale from the horizon: a change noted while the store is read makes it stale again
                    // (MarkStale), so the read below is repeated instead of kept without that change. A drop of every
                    // series after the Thing was read may have been for a change of that Thing: then it is read again.
                    var from = (time.GetUtcNow() - TimeSpan.FromDays(HorizonDays)).ToUnixTimeMilliseconds();
                    var added = new Series(datastream, thing, from, [], from);
                    if (_series.TryAdd(datastream, added) && Interlocked.Read(ref _drops) != drops)
                    {
                        _series.TryRemove(new KeyValuePair<long, Series>(datastream, added));
                    }

                    continue;
                }

                if (series.StaleFrom == long.MaxValue)
                {
                    return series;
                }

                var tailFrom = Math.Max(series.StaleFrom, series.From);
                var tail = await ReadAsync(datastream, tailFrom, cancellationToken).ConfigureAwait(false);

                // A series read long ago has grown by the appends since: what fell out of the horizon is let go.
                var horizon = (time.GetUtcNow() - TimeSpan.FromDays(HorizonDays)).ToUnixTimeMilliseconds();
                var next = series.WithTail(tailFrom, tail, series.From < horizon - TrimSlackMs ? Math.Min(horizon, tailFrom) : series.From);
                if (Interlocked.Read(ref _rows) + next.Count - series.Count > MaximumRows)
                {
                    // Over budget: kept empty with no window inside it, so the store answers this Datastream (until an
                    // entity write drops every series) instead of each request reading the series again.
                    next = series with { From = long.MaxValue, Rows = [], StaleFrom = long.MaxValue };
                }

                if (_series.TryUpdate(datastream, next, series))
                {
                    Interlocked.Add(ref _rows, next.Count - series.Count);
                    return next;
                }

                // Marked stale (or dropped) while the store was read: read again.
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The Thing of <paramref name="datastream"/>, read without visibility (the caller's is applied per request), or <c>null</c> when the Datastream does not exist.</summary>
    private async Task<Thing?> ThingOfAsync(long datastream, CancellationToken cancellationToken)
    {
        var page = await sensors.QueryAsync(
            new SensorQuery(SensorEntitySet.Things, new SensorScope(SensorEntitySet.Datastreams, datastream, "Thing"), null, [], 1, 0, false, time.GetUtcNow()),
            cancellationToken).ConfigureAwait(false);
        return page.Entities is [Thing thing] ? thing : null;
    }

    /// <summary>The Observations of <paramref name="datastream"/> that start at or after <paramref name="from"/> (Unix ms), oldest first, as the store orders them.</summary>
    private async Task<IReadOnlyList<ISensorEntity>> ReadAsync(long datastream, long from, CancellationToken cancellationToken)
    {
        var since = new BinaryExpression(BinaryOperator.Ge, new PropertyPath("phenomenonTime"), new InstantLiteral(DateTimeOffset.FromUnixTimeMilliseconds(from)));
        var query = new SensorQuery(
            SensorEntitySet.Observations,
            new SensorScope(SensorEntitySet.Datastreams, datastream, "Observations"),
            since,
            [new OrderByItem(new PropertyPath("phenomenonTime"), SortDirection.Ascending)],
            int.MaxValue,
            0,
            false,
            time.GetUtcNow());
        return (await sensors.QueryAsync(query, cancellationToken).ConfigureAwait(false)).Entities;
    }

    /// <summary>Whether <paramref name="orderBy"/> is phenomenonTime alone (the resource adds it, newest first, when none is given).</summary>
    private static bool TryOrder(IReadOnlyList<OrderByItem> orderBy, out bool descending)
    {
        descending = orderBy is [{ Direction: SortDirection.Descending }];
        return orderBy is [{ Expression: PropertyPath { Path: "phenomenonTime" } }];
    }

    /// <summary>
    /// A phenomenonTime window as the store's filter translator reads it (Unix ms; a time is its start and its end, the
    /// end of an instant being its start): <c>ge t</c> is start ≥ t, <c>gt t</c> start &gt; t, <c>lt t</c> start and end
    /// &lt; t, <c>le t</c> start and end ≤ t. A filter of these joined with <c>and</c>, with a lower bound.
    /// </summary>
    internal readonly record struct Window(long From, long Before, long Until)
    {
        /// <summary>The window of <paramref name="filter"/>, when it is one.</summary>
        public static bool TryOf(FilterExpression? filter, out Window window)
        {
            window = new Window(None, long.MaxValue, long.MaxValue);
            return filter is not null && TryAdd(filter, ref window) && window.From != None;
        }

        private static bool TryAdd(FilterExpression filter, ref Window window)
        {
            switch (filter)
            {
                case BinaryExpression { Operator: BinaryOperator.And } and:
                    return TryAdd(and.Left, ref window) && TryAdd(and.Right, ref window);
                case BinaryExpression { Left: PropertyPath { Path: "phenomenonTime" }, Right: InstantLiteral instant } comparison:
                    var t = instant.Value.ToUnixTimeMilliseconds();
                    switch (comparison.Operator)
                    {
                        case BinaryOperator.Ge:
                            window = window with { From = Math.Max(window.From, t) };
                            return true;
                        case BinaryOperator.Gt when t < long.MaxValue:
                            window = window with { From = Math.Max(window.From, t + 1) };
                            return true;
                        case BinaryOperator.Lt:
                            window = window with { Before = Math.Min(window.Before, t) };
                            return true;
                        case BinaryOperator.Le:
                            window = window with { Until = Math.Min(window.Until, t) };
                            return true;
                        default:
                            return false;
                    }

                default:
                    return false;
            }
        }

        /// <summary>Whether an Observation from <paramref name="start"/> to <paramref name="end"/> (its start when an instant) is inside.</summary>
        public bool Holds(long start, long end) => start >= From && start < Before && end < Before && start <= Until && end <= Until;

        /// <summary>The first start past the window: no Observation starting there or later is inside.</summary>
        public long StartLimit => Math.Min(Before, Until == long.MaxValue ? long.MaxValue : Until + 1);
    }

    /// <summary>One Observation as kept: its numbers, or for one with JSON members the store's own object.</summary>
    private readonly record struct Row(long Id, long Start, long End, long ResultTime, long Feature, double Result, bool HasResult, Observation? Full)
    {
        public static Row Of(Observation o) =>
            o.ResultJson is null && o.ResultQuality is null && o.ValidTime is null && o.Parameters is null
                ? new Row(o.Id, o.PhenomenonTime.Start.ToUnixTimeMilliseconds(), o.PhenomenonTime.End?.ToUnixTimeMilliseconds() ?? None,
                    o.ResultTime?.ToUnixTimeMilliseconds() ?? None, o.FeatureOfInterestId ?? None, o.Result ?? 0, o.Result is not null, null)
                : new Row(o.Id, o.PhenomenonTime.Start.ToUnixTimeMilliseconds(), o.PhenomenonTime.End?.ToUnixTimeMilliseconds() ?? None, None, None, 0, false, o);

        /// <summary>The Observation as the store gives it (<c>SqliteSensorStore</c> reads times as UTC from Unix ms).</summary>
        public Observation ToObservation(long datastream) => Full ?? new Observation(
            Id,
            datastream,
            Feature == None ? null : Feature,
            new SensorTime(DateTimeOffset.FromUnixTimeMilliseconds(Start), End == None ? null : DateTimeOffset.FromUnixTimeMilliseconds(End)),
            ResultTime == None ? null : DateTimeOffset.FromUnixTimeMilliseconds(ResultTime),
            HasResult ? Result : null);
    }

    /// <summary>
    /// The kept Observations of one Datastream whose start is at or after <paramref name="From"/>, sorted by start and id; with
    /// <paramref name="StaleFrom"/> below <see cref="long.MaxValue"/>, those from that start on may differ from the store's.
    /// </summary>
    private sealed record Series(long Datastream, Thing Thing, long From, Row[] Rows, long StaleFrom)
    {
        public int Count => Rows.Length;

        /// <summary>
        /// This series with every row from <paramref name="from"/> on replaced by <paramref name="tail"/> (read from the
        /// store, oldest first), starting at <paramref name="newFrom"/> (at most <paramref name="from"/>).
        /// </summary>
        public Series WithTail(long from, IReadOnlyList<ISensorEntity> tail, long newFrom)
        {
            var first = FirstAtOrAfter(newFrom);
            var keep = FirstAtOrAfter(from) - first;
            var rows = new Row[keep + tail.Count];
            Array.Copy(Rows, first, rows, 0, keep);
            for (var i = 0; i < tail.Count; i++)
            {
                rows[keep + i] = Row.Of((Observation)tail[i]);
            }

            return this with { From = newFrom, Rows = rows, StaleFrom = long.MaxValue };
        }

        /// <summary>The page of the window: <paramref name="top"/> Observations after <paramref name="skip"/>, in the store's order.</summary>
        public SensorPage Page(Window window, bool descending, int top, long skip, bool count)
        {
            var first = FirstAtOrAfter(window.From);
            var end = FirstAtOrAfter(window.StartLimit);
            var page = new List<ISensorEntity>(Math.Min(top, Math.Max(0, end - first)));
            long matches = 0;
            for (var k = 0; k < end - first; k++)
            {
                ref readonly var row = ref Rows[descending ? end - 1 - k : first + k];
                if (!window.Holds(row.Start, row.End == None ? row.Start : row.End))
                {
                    continue;
                }

                if (matches >= skip && page.Count < top)
                {
                    page.Add(row.ToObservation(Datastream));
                }

                matches++;
                if (!count && page.Count >= top)
                {
                    break;
                }
            }

            return new SensorPage(page, count ? matches : null);
        }

        private int FirstAtOrAfter(long start)
        {
            int low = 0, high = Rows.Length;
            while (low < high)
            {
                var middle = (low + high) >>> 1;
                if (Rows[middle].Start < start)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            return low;
        }
    }
}
