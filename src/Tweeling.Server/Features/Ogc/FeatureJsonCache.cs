using System.Collections.Concurrent;

namespace Tweeling.Server.Features.Ogc;

/// <summary>
/// The serialised GeoJSON of feature versions, per collection and CRS, kept for as long as the
/// collection's revision holds: decoding a version, transforming its positions and writing its JSON
/// is most of the cost of an items page, and the same versions are asked for again and again.
/// </summary>
/// <remarks>
/// A version's JSON changes only when a write to its collection commits (a later version ends it), and
/// every such commit moves the collection's revision, so a cache generation is tied to one revision and
/// is dropped when a read sees another. Memory is bounded by <see cref="MaximumBytes"/>: past it, new
/// versions are served without being kept.
/// </remarks>
internal sealed class FeatureJsonCache
{
    /// <summary>At most this many bytes of JSON are kept in all (the demo city's panden in CRS84 take about 30 MB).</summary>
    public const long MaximumBytes = 256L * 1024 * 1024;

    private readonly ConcurrentDictionary<(string Collection, int Srid), Generation> _generations = new();
    private long _bytes;

    /// <summary>The bytes held now.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>The generation of <paramref name="collection"/> in <paramref name="srid"/> at <paramref name="revision"/>, replacing one of another revision.</summary>
    public Generation For(string collection, int srid, long revision)
    {
        var key = (collection, srid);
        while (true)
        {
            var current = _generations.GetOrAdd(key, _ => new Generation(this, revision));
            if (current.Revision == revision)
            {
                return current;
            }

            var fresh = new Generation(this, revision);
            if (_generations.TryUpdate(key, fresh, current))
            {
                current.Retire();
                return fresh;
            }
        }
    }

    /// <summary>The JSON of the versions of one collection in one CRS at one revision.</summary>
    internal sealed class Generation(FeatureJsonCache owner, long revision)
    {
        private readonly ConcurrentDictionary<long, byte[]> _entries = new();
        private long _bytes;
        private bool _retired;

        public long Revision { get; } = revision;

        public bool TryGet(long versionId, out byte[] json) => _entries.TryGetValue(versionId, out json!);

        /// <summary>Keeps <paramref name="json"/> unless the cache is full or this generation is no longer current.</summary>
        public void Add(long versionId, byte[] json)
        {
            if (Volatile.Read(ref _retired) || Interlocked.Read(ref owner._bytes) + json.Length > MaximumBytes || !_entries.TryAdd(versionId, json))
            {
                return;
            }

            Interlocked.Add(ref _bytes, json.Length);
            Interlocked.Add(ref owner._bytes, json.Length);
            if (Volatile.Read(ref _retired))
            {
                // Retired while adding: give back whatever Retire did not see.
                Interlocked.Add(ref owner._bytes, -Interlocked.Exchange(ref _bytes, 0));
            }
        }

        /// <summary>Gives this generation's bytes back to the cache's budget.</summary>
        public void Retire()
        {
            Volatile.Write(ref _retired, true);
            Interlocked.Add(ref owner._bytes, -Interlocked.Exchange(ref _bytes, 0));
        }
    }
}
