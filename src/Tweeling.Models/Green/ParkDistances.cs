using System.Collections.Concurrent;
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
/// with an indexed point-in-area locator. A point is measured against the candidates of its 100 m cell (see
/// <c>CellAt</c>), found once per cell by a search that widens a square window until it holds a park at most half its
/// width away. The distance is the one NetTopologySuite's <see cref="Geometry.Distance"/> gives (0 inside, else the
/// least point-to-segment distance over the rings, with the same <see cref="DistanceComputer.PointToSegment"/>), at a
/// fraction of the cost of its general distance operation inside an R-tree nearest-neighbour search. The parks in a
/// window are measured nearest envelope first, and the search stops at the first envelope no nearer than the best
/// distance so far: the parks left out are at least that far, so the least distance is the same double. Safe for
/// searches from several threads at once.
/// </summary>
internal sealed class ParkDistances
{
    /// <summary>The side of a cell of dwellings that share their candidate ring chunks, m (see <see cref="Cell"/>).</summary>
    private const double CellSizeM = 100;

    /// <summary>
    /// Added to a cell's reach, m: the bound is proven in exact arithmetic, and this keeps a chunk whose computed distances
    /// are off by rounding (far below a millimetre) among the candidates.
    /// </summary>
    private const double ReachSlackM = 1;

    private readonly STRtree<Park> _index = new();
    private readonly double _firstHalfWidth;

    // Each park's number, in the order given: a cell's candidates nearest its centre first, ties by park and chunk.
    private readonly Dictionary<Park, int> _number = [];

    // The cells dwellings were searched from, built on the first search in each and kept with the parks: a later run on the
    // same merge (a full run of the same baseline, an edit that keeps the parks) finds them.
    private readonly ConcurrentDictionary<(long Column, long Row), Cell> _cells = new();

    /// <param name="parks">The park polygons.</param>
    /// <param name="firstHalfWidth">The half width of the first search window, m: the distance most answers lie within.</param>
    public ParkDistances(IReadOnlyList<Geometry> parks, double firstHalfWidth)
    {
        foreach (var geometry in parks)
        {
            var park = Park.Of(geometry);
            _index.Insert(geometry.EnvelopeInternal, park);
            _number.TryAdd(park, _number.Count);
        }

        _index.Build();
        _firstHalfWidth = Math.Max(1, firstHalfWidth);
    }

    /// <summary>The distance from (<paramref name="x"/>, <paramref name="y"/>) to the nearest park, m; <c>null</c> when there are no parks.</summary>
    /// <remarks>
    /// Measured over the candidates of the point's cell (<see cref="Cell"/>), which hold the nearest ring segment and every
    /// park the point may lie in: the least distance over them is the least over all parks, the same double.
    /// </remarks>
    public double? Nearest(double x, double y)
    {
        if (_index.Count == 0)
        {
            return null;
        }

        var key = ((long)Math.Floor(x / CellSizeM), (long)Math.Floor(y / CellSizeM));
        return _cells.GetOrAdd(key, static (at, self) => self.CellAt(at), this).Distance(x, y);
    }

    /// <summary>The distance from <paramref name="point"/> to the nearest park by a search of the park index in widening windows.</summary>
    private double Search(Coordinate point)
    {
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

    /// <summary>
    /// The candidates of the cell at (<paramref name="at"/>) in cells of <see cref="CellSizeM"/>: every point p of the cell
    /// (widened by the slack, so a point rounded to the cell's edge is in it) has d(p) ≤ d(centre) + |p − centre| ≤ d(centre)
    /// + half the diagonal, its reach; a chunk whose envelope is farther than the reach from the cell holds no segment as near
    /// as the nearest park, and is left out. Parks whose envelope meets the cell are the ones a point in it may lie inside.
    /// </summary>
    private Cell CellAt((long Column, long Row) at)
    {
        var box = new Envelope(at.Column * CellSizeM, (at.Column + 1) * CellSizeM, at.Row * CellSizeM, (at.Row + 1) * CellSizeM);
        box.ExpandBy(ReachSlackM);
        var centre = box.Centre;
        var reach = Search(centre) + (Math.Sqrt((box.Width * box.Width) + (box.Height * box.Height)) / 2) + ReachSlackM;
        var window = new Envelope(box);
        window.ExpandBy(reach);
        var near = new List<(double FromCentre, int Number, Park Park, int Chunk)>();
        var mayContain = new List<Park>();
        var atCentre = new Envelope(centre);
        foreach (var park in _index.Query(window))
        {
            if (park.Envelope.Intersects(box))
            {
                mayContain.Add(park);
            }

            for (var c = 0; c < park.ChunkCount; c++)
            {
                if (park.ChunkEnvelope(c).Distance(box) <= reach)
                {
                    near.Add((park.ChunkEnvelope(c).Distance(atCentre), _number[park], park, c));
                }
            }
        }

        // Nearest the centre first, so that the least distance falls early and most chunks are skipped on their envelope.
        // Ties by park number and chunk: an order that does not depend on the order the index returned the parks in.
        near.Sort((a, b) => (a.FromCentre, a.Number, a.Chunk).CompareTo((b.FromCentre, b.Number, b.Chunk)));
        return new Cell([.. mayContain.Distinct()], [.. near.Select(n => (n.Park, n.Chunk))]);
    }

    /// <summary>
    /// The parks a point of one cell may lie in and the ring chunks that may hold its nearest segment, nearest the cell's
    /// centre first. Read-only once built, so searches from several threads at once are safe.
    /// </summary>
    private sealed class Cell(Park[] mayContain, (Park Park, int Chunk)[] near)
    {
        /// <summary>0 inside a park, else the least distance to the candidate chunks' segments, skipping a chunk whose envelope is no nearer than the best so far.</summary>
        public double Distance(double x, double y)
        {
            var point = new Coordinate(x, y);
            foreach (var park in mayContain)
            {
                if (park.Contains(point))
                {
                    return 0;
                }
            }

            var least = double.PositiveInfinity;
            foreach (var (park, chunk) in near)
            {
                if (park.ChunkDistanceBound(chunk, x, y) < least)
                {
                    least = park.ChunkDistance(chunk, point, least);
                }
            }

            return least;
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

        /// <summary>The number of chunks of ring segments.</summary>
        public int ChunkCount => _chunks.Length;

        /// <summary>The park of <paramref name="geometry"/>: the one built for the same polygon before, else a new one.</summary>
        public static Park Of(Geometry geometry) => s_parks.GetValue(geometry, g => new Park(g));

        /// <summary>The envelope of chunk <paramref name="chunk"/>'s segments.</summary>
        public Envelope ChunkEnvelope(int chunk) => _chunks[chunk];

        /// <summary>Whether <paramref name="point"/> lies inside the park or on its boundary.</summary>
        public bool Contains(Coordinate point) =>
            // Outside the envelope is outside the park; the locator is only asked about points inside it.
            Envelope.Contains(point) && _locator.Value.Locate(point) != Location.Exterior;

        /// <summary>
        /// The distance from (<paramref name="x"/>, <paramref name="y"/>) to chunk <paramref name="chunk"/>'s envelope, no
        /// more than to any of its segments: <see cref="Envelope.Distance(Envelope)"/>'s arithmetic for a point, without the
        /// envelope it would need for one.
        /// </summary>
        public double ChunkDistanceBound(int chunk, double x, double y)
        {
            var envelope = _chunks[chunk];
            var dx = x < envelope.MinX ? envelope.MinX - x : x > envelope.MaxX ? x - envelope.MaxX : 0;
            var dy = y < envelope.MinY ? envelope.MinY - y : y > envelope.MaxY ? y - envelope.MaxY : 0;
            return dx == 0 ? dy : dy == 0 ? dx : Math.Sqrt((dx * dx) + (dy * dy));
        }

        /// <summary>The least of <paramref name="least"/> and the distances from <paramref name="point"/> to chunk <paramref name="chunk"/>'s segments.</summary>
        public double ChunkDistance(int chunk, Coordinate point, double least)
        {
            for (var k = chunk * ChunkSize; k < Math.Min(_from.Length, (chunk + 1) * ChunkSize); k++)
            {
                least = Math.Min(least, DistanceComputer.PointToSegment(point, _points[_from[k]], _points[_from[k] + 1]));
            }

            return least;
        }

        /// <summary>
        /// 0 inside, else the least point-to-segment distance over the rings. A chunk whose envelope is at least the best
        /// distance so far away holds no nearer segment and is skipped: the minimum is the same double as over every segment.
        /// </summary>
        public double Distance(Coordinate point)
        {
            if (Contains(point))
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
                least = ChunkDistance(order[i], point, least);
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
