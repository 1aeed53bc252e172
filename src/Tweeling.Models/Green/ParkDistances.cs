using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index;
using NetTopologySuite.Index.Strtree;

namespace Tweeling.Models.Green;

/// <summary>
/// The straight-line distance from a point to the nearest park. Each park's rings are kept as plain coordinate arrays
/// with an indexed point-in-area locator, and the search widens a square window until it holds a park at most half its
/// width away. The distance is the one NetTopologySuite's <see cref="Geometry.Distance"/> gives (0 inside, else the
/// least point-to-segment distance over the rings, with the same <see cref="DistanceComputer.PointToSegment"/>), at a
/// fraction of the cost of its general distance operation inside an R-tree nearest-neighbour search. The parks in a
/// window are measured nearest envelope first, and the search stops at the first envelope no nearer than the best
/// distance so far: the parks left out are at least that far, so the least distance is the same double. Safe for
/// searches from several threads at once.
/// </summary>
internal sealed class ParkDistances
{
    private readonly STRtree<Park> _index = new();
    private readonly double _firstHalfWidth;

    /// <param name="parks">The park polygons.</param>
    /// <param name="firstHalfWidth">The half width of the first search window, m: the distance most answers lie within.</param>
    public ParkDistances(IReadOnlyList<Geometry> parks, double firstHalfWidth)
    {
        foreach (var park in parks)
        {
            _index.Insert(park.EnvelopeInternal, Park.Of(park));
        }

        _index.Build();
        _firstHalfWidth = Math.Max(1, firstHalfWidth);
    }

    /// <summary>The distance from (<paramref name="x"/>, <paramref name="y"/>) to the nearest park, m; <c>null</c> when there are no parks.</summary>
    public double? Nearest(double x, double y)
    {
        if (_index.Count == 0)
        {
            return null;
        }

        var point = new Coordinate(x, y);
        for (var half = _firstHalfWidth; ; half *= 4)
        {
            var best = Best(point, half);

            // Every park at most `half` away has an envelope inside the window, so a best within `half` is the nearest.
            // A best beyond it bounds the answer: one more search with that half width is complete.
            if (best <= half)
            {
                return best;
            }

            if (double.IsFinite(best))
            {
                return Math.Min(best, Best(point, best));
            }
        }
    }

    private double Best(Coordinate point, double half)
    {
        // The parks are gathered as the index meets them, without the list its query would make (a window holds tens of
        // parks and every dwelling searches one), into a buffer of the thread's own.
        var window = s_window ??= new NearestPark();
        window.Start(point);
        _index.Query(new Envelope(point.X - half, point.X + half, point.Y - half, point.Y + half), window);
        return window.Best(point);
    }

    /// <summary>The buffer of one thread's searches: the parks of a window with the distance to their envelopes.</summary>
    [ThreadStatic]
    private static NearestPark? s_window;

    /// <summary>The parks the index visits, then the least distance over them, nearest envelope first.</summary>
    private sealed class NearestPark : IItemVisitor<Park>
    {
        private readonly List<double> _bounds = [];
        private readonly List<Park> _parks = [];
        private Envelope _at = new();

        public void Start(Coordinate point)
        {
            _at = new Envelope(point);
            _bounds.Clear();
            _parks.Clear();
        }

        public void VisitItem(Park item)
        {
            _bounds.Add(item.Envelope.Distance(_at));
            _parks.Add(item);
        }

        public double Best(Coordinate point)
        {
            var bounds = CollectionsMarshal.AsSpan(_bounds);
            bounds.Sort(CollectionsMarshal.AsSpan(_parks));
            var best = double.PositiveInfinity;
            for (var i = 0; i < bounds.Length && bounds[i] < best; i++)
            {
                best = Math.Min(best, _parks[i].Distance(point));
            }

            return best;
        }
    }

    /// <summary>
    /// One park: its envelope, its ring segments in chunks of consecutive segments with each chunk's envelope, and a
    /// locator for "inside". Safe for searches from several threads at once.
    /// </summary>
    internal sealed class Park
    {
        /// <summary>The park of each polygon measured before, beside the polygon: a patched merge keeps most of its pieces, and their parks.</summary>
        private static readonly ConditionalWeakTable<Geometry, Park> s_parks = [];

        /// <summary>Segments per chunk: a merged park of thousands of vertices is searched a few chunks deep, not segment by segment.</summary>
        private const int ChunkSize = 16;

        /// <summary>The most chunks whose bounds are sorted on the stack (2 KB of it) rather than in arrays.</summary>
        private const int MaximumStackChunks = 128;

        // Built on the first point inside the envelope (most parks never see one), once, whichever thread gets there first:
        // the locator's own index is built on its first use, so that use is part of the lazy build.
        private readonly Lazy<IndexedPointInAreaLocator> _locator;

        // Segment k runs from _points[_from[k]] to _points[_from[k] + 1]; chunk c holds segments c·ChunkSize up to the next chunk.
        private readonly Coordinate[] _points;
        private readonly int[] _from;
        private readonly Envelope[] _chunks;

        private Park(Geometry geometry)
        {
            Envelope = geometry.EnvelopeInternal;
            _locator = new(() =>
            {
                var locator = new IndexedPointInAreaLocator(geometry);
                locator.Locate(Envelope.Centre);
                return locator;
            });
            var points = new List<Coordinate>();
            var from = new List<int>();
            foreach (var ring in LinearRings(geometry))
            {
                var start = points.Count;
                points.AddRange(ring.Coordinates);
                for (var i = start + 1; i < points.Count; i++)
                {
                    from.Add(i - 1);
                }
            }

            (_points, _from) = ([.. points], [.. from]);
            _chunks = new Envelope[(_from.Length + ChunkSize - 1) / ChunkSize];
            for (var c = 0; c < _chunks.Length; c++)
            {
                var chunk = new Envelope();
                for (var k = c * ChunkSize; k < Math.Min(_from.Length, (c + 1) * ChunkSize); k++)
                {
                    chunk.ExpandToInclude(_points[_from[k]]);
                    chunk.ExpandToInclude(_points[_from[k] + 1]);
                }

                _chunks[c] = chunk;
            }
        }

        public Envelope Envelope { get; }

        /// <summary>The park of <paramref name="geometry"/>: the one built for the same polygon before, else a new one.</summary>
        public static Park Of(Geometry geometry) => s_parks.GetValue(geometry, g => new Park(g));

        /// <summary>
        /// 0 inside, else the least point-to-segment distance over the rings. A chunk whose envelope is at least the best
        /// distance so far away holds no nearer segment and is skipped: the minimum is the same double as over every segment.
        /// </summary>
        public double Distance(Coordinate point)
        {
            // Outside the envelope is outside the park; the locator is only asked about points inside it.
            if (Envelope.Contains(point) && _locator.Value.Locate(point) != Location.Exterior)
            {
                return 0;
            }

            // Chunks nearest first, so the best distance falls early and most chunks are skipped on their envelope.
            // On the stack for the usual few chunks; the span sort is the array sort's own algorithm, so the same order.
            var at = new Envelope(point);
            Span<double> bounds = _chunks.Length <= MaximumStackChunks ? stackalloc double[_chunks.Length] : new double[_chunks.Length];
            Span<int> order = _chunks.Length <= MaximumStackChunks ? stackalloc int[_chunks.Length] : new int[_chunks.Length];
            for (var c = 0; c < _chunks.Length; c++)
            {
                bounds[c] = _chunks[c].Distance(at);
                order[c] = c;
            }

            bounds.Sort(order);
            var least = double.PositiveInfinity;
            for (var i = 0; i < order.Length && bounds[i] < least; i++)
            {
                var c = order[i];
                for (var k = c * ChunkSize; k < Math.Min(_from.Length, (c + 1) * ChunkSize); k++)
                {
                    least = Math.Min(least, DistanceComputer.PointToSegment(point, _points[_from[k]], _points[_from[k] + 1]));
                }
            }

            return least;
        }

        private static IEnumerable<LineString> LinearRings(Geometry geometry)
        {
            for (var i = 0; i < geometry.NumGeometries; i++)
            {
                if (geometry.GetGeometryN(i) is Polygon polygon)
                {
                    yield return polygon.Shell;
                    foreach (var hole in polygon.Holes)
                    {
                        yield return hole;
                    }
                }
            }
        }
    }
}
