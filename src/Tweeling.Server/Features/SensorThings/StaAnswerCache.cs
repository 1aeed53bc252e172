using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
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
/// covered by tying the whole cache to one value of <see cref="SqliteCommitCounter"/>, which moves with every commit
/// to the store file from any connection or process — Observation appends included, since they widen a Datastream's
/// phenomenonTime. The value is read before the answer is computed, so an answer computed while a write commits is
/// kept under the value it is already stale for, never under a later one.
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

    /// <summary>The answers valid now: the generation of the store's current commit count.</summary>
    public Generation Current()
    {
        var version = commits.Current;
        var current = Volatile.Read(ref _current);
        if (current.Version == version)
        {
            return current;
        }

        var fresh = new Generation(version);
        var replaced = Interlocked.CompareExchange(ref _current, fresh, current);
        return replaced == current || replaced.Version != version ? fresh : replaced;
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

        var key = new StringBuilder(256)
            .Append(visibility.Unlabelled ? '+' : '-');
        foreach (var dataset in visibility.Datasets.Order(StringComparer.Ordinal))
        {
            // U+001F (unit separator) cannot occur in a dataset id, so the list reads back one way only.
            key.Append(dataset).Append('\u001f');
        }

        return key.Append('\n')
            .Append(request.Scheme).Append("://").Append(request.Host.Value).Append(request.PathBase.Value)
            .Append(request.Path.Value).Append(request.QueryString.Value)
            .ToString();
    }

    /// <summary>A strong entity tag of <paramref name="body"/>: the first 128 bits of its SHA-256, so equal tags mean equal bytes.</summary>
    public static string ETagOf(ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body, hash);
        return $"\"{Convert.ToHexStringLower(hash[..16])}\"";
    }

    /// <summary>The answers kept for one value of the commit counter.</summary>
    internal sealed class Generation(long version)
    {
        private readonly ConcurrentDictionary<string, StaJsonResult> _answers = new(StringComparer.Ordinal);
        private long _bytes;

        /// <summary>The commit counter's value these answers were computed at.</summary>
        public long Version { get; } = version;

        private readonly ConcurrentDictionary<string, Task<StaJsonResult?>> _computing = new(StringComparer.Ordinal);

        public bool TryGet(string key, out StaJsonResult answer) => _answers.TryGetValue(key, out answer!);

        /// <summary>
        /// The kept answer of <paramref name="key"/>, or the one <paramref name="compute"/> makes: by this caller, or by
        /// another caller that is computing the same key in this generation already, whose result this one awaits.
        /// <paramref name="compute"/> returns <c>null</c> for an answer that must not be kept (not a 200); a caller that
        /// waited for such an answer, or for one whose computation failed or was cancelled, gets <c>null</c> and answers
        /// on its own, since that answer may depend on the request that computed it (its cancellation, its problem).
        /// A computed answer is kept when <paramref name="keep"/> (see <see cref="AskedBefore"/>); callers that waited get it either way.
        /// </summary>
        public async Task<StaJsonResult?> GetOrComputeAsync(string key, Func<Task<StaJsonResult?>> compute, CancellationToken cancellationToken, bool keep = true)
        {
            if (_answers.TryGetValue(key, out var kept))
            {
                return kept;
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
                    Add(key, answer);
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
        public void Add(string key, StaJsonResult answer)
        {
            var size = answer.Body.Length + (key.Length * sizeof(char));
            if (Interlocked.Add(ref _bytes, size) > MaximumBytes || !_answers.TryAdd(key, answer))
            {
                Interlocked.Add(ref _bytes, -size);
            }
        }
    }
}
