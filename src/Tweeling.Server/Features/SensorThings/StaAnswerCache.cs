using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using System.Text.RegularExpressions;
using Tweeling.Domain.Sensors.Query;
using Tweeling.Domain.Ports;
using Tweeling.Storage.Sqlite;

namespace Tweeling.Server.Features.SensorThings;

/// <summary>
/// The JSON answers of SensorThings GETs, kept for as long as nothing has been committed to the store: the same
/// reads (<c>Things?$expand=Datastreams</c>, a Datastream, its newest Observations) come again and again, and
/// writing their JSON is most of what they cost.
/// </summary>
/// <remarks>
/// <para>
/// An answer depends on the request's URL (service root, path and query), on what the caller may see
/// (<see cref="SensorVisibility"/>, decided by the access seam before the cache is asked) and on the stored data.
/// The key holds the first two, so a caller is only ever given an answer made for the same visibility; the data is
/// covered by tying the answers to one value of <see cref="SqliteCommitCounter"/>, which moves with every commit
/// to the store file from any connection or process — Observation appends included, since they widen a Datastream's
/// phenomenonTime. The value is read before the answer is computed, so an answer computed while a write commits is
/// kept under the value it is already stale for, never under a later one.
/// </para>
/// <para>
/// When the value moves, the answers about one Datastream (<see cref="AnswerScope"/>: the Datastream itself, its
/// Observations, a time window of them) are carried into the new generation unless the commits since changed that
/// Datastream (<see cref="SqliteCommitCounter.SensorChangesSince"/>: every sensor write notes its Datastreams and the
/// earliest phenomenonTime it touched in its own transaction) at or before the window's end. So a live feed that
/// appends new Observations every few seconds leaves a chart's closed time windows and the other Datastreams' answers
/// in place, while a late Observation inside a closed window, an update or a delete drops exactly the windows it may
/// change. Every other answer (collections across Datastreams, <c>$expand</c>) is dropped at every commit, as is
/// everything after an entity write (a Thing's properties decide what a caller may see).
/// </para>
/// <para>
/// An answer with <c>now()</c> in its query options depends on the clock as well and is not kept. Memory is bounded
/// by <see cref="MaximumBytes"/> per generation: past it, answers are served without being kept.
/// </para>
/// <para>
/// Only an answer whose key was asked before is kept (<see cref="AskedBefore"/>, in this generation or an earlier one):
/// a chart's time window starts at any minute of any Datastream, so most windows are asked once, and keeping them
/// would fill the budget with answers nobody asks again (leaving none for the popular ones until the next commit)
/// and make the garbage collector copy them into its oldest generation before they die at the next commit.
/// </para>
/// <para>
/// After a commit every client asks again for what it asked before, and the popular URLs are asked by many at once.
/// <see cref="Generation.GetOrComputeAsync"/> lets one of the requests that miss the same key compute the answer
/// while the others wait for it, so an answer is computed once per generation, not once per waiting client.
/// </para>
/// </remarks>
internal sealed class StaAnswerCache(SqliteCommitCounter commits)
{
    /// <summary>At most this many bytes of JSON are kept (a 6-hour window of one Datastream is about 16 KB).</summary>
    public const long MaximumBytes = 64L * 1024 * 1024;

    /// <summary>The slots of <see cref="AskedBefore"/>: 65,536 keys' hashes (256 KB).</summary>
    private const int AskedSlots = 1 << 16;

    private readonly int[] _asked = new int[AskedSlots];

    private readonly Lock _renewing = new();

    private Generation _current = new(long.MinValue);

    /// <summary>
    /// Whether <paramref name="key"/> was asked before, noting that it is asked now. A table of hashes, one per slot, not a
    /// set: another key landing in the same slot makes a key count as new once more, and two keys with one hash make a
    /// new key count as asked before; either only decides whether an answer is kept, never which answer is given.
    /// </summary>
    public bool AskedBefore(string key)
    {
        // string.GetHashCode is seeded at random per process, so a client cannot aim URLs at one slot on purpose.
        var hash = key.GetHashCode(StringComparison.Ordinal);
        ref var slot = ref _asked[hash & (AskedSlots - 1)];
        var before = Volatile.Read(ref slot) == hash;
        Volatile.Write(ref slot, hash);
        return before;
    }

    /// <summary>
    /// The store's commit count now (<see cref="SqliteCommitCounter.Current"/>). A request reads it once and gives it to
    /// both the access seam (<see cref="Hosting.ReadAccess.SensorVisibilityAsync(HttpContext, long, CancellationToken)"/>)
    /// and <see cref="At"/>: every read of the counter queues on its one connection, and at 50 clients two reads per
    /// request kept a tenth of the server's CPU spinning on its lock.
    /// </summary>
    public long CommitCount => commits.Current;

    /// <summary>The answers valid now: the generation of the store's current commit count.</summary>
    public Generation Current() => At(commits.Current);

    /// <summary>
    /// The answers valid at <paramref name="commitCount"/> (<see cref="CommitCount"/>, read by the caller before it computes
    /// anything), or at a later count when another request has moved the answers on meanwhile.
    /// </summary>
    public Generation At(long commitCount)
    {
        var current = Volatile.Read(ref _current);
        if (current.Version == commitCount)
        {
            return current;
        }

        // One request builds the next generation while the others that saw the commit wait for it (a copy of the
        // answers that stay): read the counter again inside, since counts only tell equal from different, not older
        // from newer, so a request that read its count before another one moved the answers on must not move them back.
        lock (_renewing)
        {
            current = _current;
            if (current.Version == commitCount)
            {
                return current;
            }

            var version = commits.Current;
            if (current.Version == version)
            {
                return current;
            }

            // The counter is read before the changes, so a commit in between is in the changes (dropping more) and
            // moves the counter again (the next request builds once more), never the other way round.
            var changes = commits.SensorChangesSince(current.ChangeSeq);
            var next = new Generation(version, changes.Seq);
            if (!changes.Everything)
            {
                next.CarryOver(current, changes);
            }

            Volatile.Write(ref _current, next);
            return next;
        }
    }

    /// <summary>
    /// The key of a GET of <paramref name="request"/> answered for <paramref name="visibility"/>, or <c>null</c> when
    /// the answer depends on the clock (<c>now()</c> in a query option) and must not be kept.
    /// </summary>
    public static string? KeyOf(HttpRequest request, SensorVisibility visibility)
    {
        foreach (var (_, values) in request.Query)
        {
            foreach (var value in values)
            {
                if (value is not null && value.Contains("now(", StringComparison.OrdinalIgnoreCase))
                {
                    return null;
                }
            }
        }

        return string.Concat(
            PrefixOf(visibility), request.Scheme, "://", request.Host.Value, request.PathBase.Value, request.Path.Value, request.QueryString.Value);
    }

    /// <summary>The visibility whose key prefix was written last, and that prefix.</summary>
    private static VisibilityPrefix? s_lastPrefix;

    /// <summary>
    /// The part of a key that names <paramref name="visibility"/>: whether unlabelled Things are seen and the sorted
    /// datasets. The access seam gives every caller of a role without a purpose the same visibility object while the
    /// catalog holds (<see cref="Hosting.ReadAccess"/>), so the last one written is nearly always the one asked for.
    /// </summary>
    private static string PrefixOf(SensorVisibility visibility)
    {
        if (Volatile.Read(ref s_lastPrefix) is { } last && ReferenceEquals(last.Visibility, visibility))
        {
            return last.Prefix;
        }

        var prefix = new StringBuilder(64)
            .Append(visibility.Unlabelled ? '+' : '-');
        foreach (var dataset in visibility.Datasets.Order(StringComparer.Ordinal))
        {
            // U+001F (unit separator) cannot occur in a dataset id, so the list reads back one way only.
            prefix.Append(dataset).Append('\u001f');
        }

        var written = prefix.Append('\n').ToString();
        Volatile.Write(ref s_lastPrefix, new VisibilityPrefix(visibility, written));
        return written;
    }

    private sealed record VisibilityPrefix(SensorVisibility Visibility, string Prefix);

    /// <summary>
    /// A strong entity tag of <paramref name="body"/>: its 128-bit XXH128 hash, so equal tags mean equal bytes for any two
    /// answers the store produces (docs/adr/0001-dependencies.md, "SensorThings entity tags"). SHA-256 of a 16 KB time
    /// window took 0.058 ms, half of what the whole read cost (docs/benchmarks.md, sta-read4); XXH128 runs at several GB/s.
    /// </summary>
    public static string ETagOf(ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[16];
        XxHash128.Hash(body, hash);
        return $"\"{Convert.ToHexStringLower(hash)}\"";
    }

    /// <summary>The answers kept for one value of the commit counter.</summary>
    /// <param name="version">The commit counter's value.</param>
    /// <param name="changeSeq">The newest sensor change this generation knows of; negative: none is known, so no answer may be carried into it.</param>
    internal sealed class Generation(long version, long changeSeq = -1)
    {
        private readonly ConcurrentDictionary<string, (StaJsonResult Answer, AnswerScope Scope)> _answers = new(StringComparer.Ordinal);
        private long _bytes;

        /// <summary>The commit counter's value these answers were computed at.</summary>
        public long Version { get; } = version;

        /// <summary>The newest sensor change (<see cref="SqliteCommitCounter.SensorChangesSince"/>) this generation knows of.</summary>
        public long ChangeSeq { get; } = changeSeq;

        /// <summary>Keeps the answers of <paramref name="previous"/> that <paramref name="changes"/> cannot have changed.</summary>
        public void CarryOver(Generation previous, SensorChanges changes)
        {
            foreach (var (key, kept) in previous._answers)
            {
                if (!changes.Affect(kept.Scope.Datastream, kept.Scope.Until))
                {
                    Add(key, kept.Answer, kept.Scope);
                }
            }
        }

        private readonly ConcurrentDictionary<string, Task<StaJsonResult?>> _computing = new(StringComparer.Ordinal);

        public bool TryGet(string key, out StaJsonResult answer)
        {
            var found = _answers.TryGetValue(key, out var kept);
            answer = kept.Answer;
            return found;
        }

        /// <summary>
        /// The kept answer of <paramref name="key"/>, or the one <paramref name="compute"/> makes: by this caller, or by
        /// another caller that is computing the same key in this generation already, whose result this one awaits.
        /// <paramref name="compute"/> returns <c>null</c> for an answer that must not be kept (not a 200); a caller that
        /// waited for such an answer, or for one whose computation failed or was cancelled, gets <c>null</c> and answers
        /// on its own, since that answer may depend on the request that computed it (its cancellation, its problem).
        /// A computed answer is kept when <paramref name="keep"/> (see <see cref="AskedBefore"/>); callers that waited get it either way.
        /// </summary>
        public async Task<StaJsonResult?> GetOrComputeAsync(
            string key, Func<Task<StaJsonResult?>> compute, CancellationToken cancellationToken, bool keep = true, Func<AnswerScope>? scopeOf = null)
        {
            if (_answers.TryGetValue(key, out var kept))
            {
                return kept.Answer;
            }

            var mine = new TaskCompletionSource<StaJsonResult?>(TaskCreationOptions.RunContinuationsAsynchronously);
            var running = _computing.GetOrAdd(key, mine.Task);
            if (running != mine.Task)
            {
                return await running.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            try
            {
                var answer = await compute().ConfigureAwait(false);
                if (answer is not null && keep)
                {
                    answer = answer.Kept();
                    Add(key, answer, scopeOf?.Invoke() ?? AnswerScope.Everything);
                }

                mine.SetResult(answer);
                return answer;
            }
            catch
            {
                // The waiting callers answer on their own; the failure (or cancellation) is this request's.
                mine.TrySetResult(null);
                throw;
            }
            finally
            {
                _computing.TryRemove(new KeyValuePair<string, Task<StaJsonResult?>>(key, mine.Task));
            }
        }

        /// <summary>Keeps <paramref name="answer"/> (a complete 200 answer with its entity tag) unless the budget is spent.</summary>
        public void Add(string key, StaJsonResult answer, AnswerScope scope)
        {
            var size = answer.Body.Length + (key.Length * sizeof(char));
            if (Interlocked.Add(ref _bytes, size) > MaximumBytes || !_answers.TryAdd(key, (answer, scope)))
            {
                Interlocked.Add(ref _bytes, -size);
            }
        }
    }
}

/// <summary>
/// What a kept answer depends on, for keeping it across commits (<see cref="StaAnswerCache"/>): one Datastream — the
/// Datastream itself, or its Observations whose phenomenonTime starts at or before <see cref="Until"/> — or, with
/// <see cref="Datastream"/> <c>null</c>, anything in the store.
/// </summary>
/// <param name="Datastream">The one Datastream the answer shows, or <c>null</c> for an answer about more.</param>
/// <param name="Until">The latest phenomenonTime start (Unix ms) an Observation in the answer can have.</param>
internal readonly partial record struct AnswerScope(long? Datastream, long Until)
{
    /// <summary>An answer that any sensor write may change.</summary>
    public static AnswerScope Everything => new(null, long.MaxValue);

    /// <summary>
    /// The scope of a GET of <paramref name="path"/> (below the service root): <c>Datastreams(id)</c> and
    /// <c>Datastreams(id)/Observations</c> without <c>$expand</c> (which would show other entities) are about that
    /// Datastream; the Observations' <c>$filter</c> bounds <see cref="Until"/> when it is a conjunction with
    /// <c>phenomenonTime lt</c> or <c>le</c> an instant and reads nothing through a navigation path (a Datastream's own
    /// phenomenonTime grows with every append, so a filter on it depends on appends after the window too).
    /// </summary>
    public static AnswerScope Of(string path, HttpRequest request)
    {
        if (request.Query.ContainsKey("$expand") || DatastreamPath().Match(path) is not { Success: true } match ||
            !long.TryParse(match.Groups["id"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return Everything;
        }

        if (!match.Groups["observations"].Success || !request.Query.TryGetValue("$filter", out var filters) || filters.Count != 1)
        {
            return new AnswerScope(id, long.MaxValue);
        }

        try
        {
            var filter = FilterParser.Parse(filters[0] ?? string.Empty);
            return new AnswerScope(id, ReadsNavigation(filter) ? long.MaxValue : UpperBound(filter));
        }
        catch (QueryOptionException)
        {
            return new AnswerScope(id, long.MaxValue);
        }
    }

    /// <summary>The least upper bound on phenomenonTime that every Observation matching <paramref name="filter"/> starts at or before.</summary>
    private static long UpperBound(FilterExpression filter) => filter switch
    {
        BinaryExpression { Operator: BinaryOperator.And } and => Math.Min(UpperBound(and.Left), UpperBound(and.Right)),

        // 'lt' and 'le' an instant mean the Observation's phenomenonTime ends before (at) it, so it starts before (at) it too.
        BinaryExpression { Operator: BinaryOperator.Lt or BinaryOperator.Le, Left: PropertyPath { Path: "phenomenonTime" }, Right: InstantLiteral end } =>
            end.Value.ToUnixTimeMilliseconds(),
        _ => long.MaxValue,
    };

    private static bool ReadsNavigation(FilterExpression filter) => filter switch
    {
        PropertyPath property => property.Path.Contains('/', StringComparison.Ordinal),
        BinaryExpression binary => ReadsNavigation(binary.Left) || ReadsNavigation(binary.Right),
        UnaryExpression unary => ReadsNavigation(unary.Operand),
        FunctionCall call => call.Arguments.Any(ReadsNavigation),
        _ => false,
    };

    [GeneratedRegex(@"^Datastreams\((?<id>[0-9]{1,18})\)(?<observations>/Observations)?/?$", RegexOptions.CultureInvariant)]
    private static partial Regex DatastreamPath();
}
