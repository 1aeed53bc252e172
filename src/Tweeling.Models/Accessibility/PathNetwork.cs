using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using NetTopologySuite.LinearReferencing;
using Tweeling.Models.City;

namespace Tweeling.Models.Accessibility;

/// <summary>Where a point joins the network: a position along a link and the straight access line to it.</summary>
/// <param name="Link">The index of the link in the network.</param>
/// <param name="Along">Metres along the link's geometry from its first point.</param>
/// <param name="Access">Length of the straight line from the point to that position, metres.</param>
internal readonly record struct Snap(int Link, double Along, double Access);

/// <summary>
/// The undirected network of the links one travel mode may use. Pedestrians and cyclists ignore the
/// one-way restrictions for motor traffic, so every link is walked or cycled both ways. Nodes are link end
/// points, merged when they coincide to the millimetre. Points join it at the nearest position on the
/// nearest link, found with a uniform grid of square cells over the link segments.
/// </summary>
internal sealed class PathNetwork
{
    /// <summary>How far apart two end points may be and still be one node: 1 mm (coordinates are rounded to it).</summary>
    private const double NodeResolution = 1_000;

    /// <summary>The first search radius when snapping, metres: about half a city block, so most points need one query.</summary>
    private const double FirstSnapRadius = 50;

    /// <summary>Grid cells per segment, at most: bounds the grid's memory for a sparse network over a wide area.</summary>
    private const double MaxCellsPerSegment = 4;

    private readonly LineString[] _geometries;
    private readonly int[] _from;
    private readonly int[] _to;
    private readonly double[] _length;

    // Adjacency in compressed sparse rows: the neighbours of node n are _target[_first[n].._first[n + 1]].
    private readonly int[] _first;
    private readonly int[] _target;
    private readonly double[] _weight;

    // The index holds segments, not links: a long curved link has a large envelope that every query would visit.
    private readonly List<(int Link, double AlongAtStart, Coordinate Start, Coordinate End)> _segments = [];
    private readonly SegmentGrid _grid;

    /// <summary>Builds the network of <paramref name="links"/> that <paramref name="allowed"/> admits.</summary>
    /// <exception cref="ArgumentException">A link has no geometry or fewer than two points.</exception>
    public PathNetwork(IReadOnlyList<RoadLink> links, Func<RoadLink, bool> allowed)
    {
        var used = new List<RoadLink>();
        foreach (var link in links)
        {
            if (link.Geometry is null || link.Geometry.NumPoints < 2)
            {
                throw new ArgumentException($"Road link '{link.Id}' needs a line of at least two points.", nameof(links));
            }

            if (allowed(link))
            {
                used.Add(link);
            }
        }

        var nodes = new Dictionary<(long, long), int>();
        _geometries = new LineString[used.Count];
        _from = new int[used.Count];
        _to = new int[used.Count];
        _length = new double[used.Count];
        for (var l = 0; l < used.Count; l++)
        {
            var geometry = used[l].Geometry;
            _geometries[l] = geometry;
            var points = geometry.CoordinateSequence;
            _from[l] = Node(nodes, points.GetCoordinate(0));
            _to[l] = Node(nodes, points.GetCoordinate(points.Count - 1));
            var along = 0.0;
            for (var p = 0; p + 1 < points.Count; p++)
            {
                var (start, end) = (points.GetCoordinate(p), points.GetCoordinate(p + 1));
                _segments.Add((l, along, start, end));
                along += start.Distance(end);
            }

            _length[l] = along;
        }

        NodeCount = nodes.Count;
        _first = new int[NodeCount + 1];
        for (var l = 0; l < used.Count; l++)
        {
            _first[_from[l] + 1]++;
            _first[_to[l] + 1]++;
        }

        for (var n = 0; n < NodeCount; n++)
        {
            _first[n + 1] += _first[n];
        }

        var fill = _first[..NodeCount];
        _target = new int[2 * used.Count];
        _weight = new double[2 * used.Count];
        for (var l = 0; l < used.Count; l++)
        {
            _target[fill[_from[l]]] = _to[l];
            _weight[fill[_from[l]]++] = _length[l];
            _target[fill[_to[l]]] = _from[l];
            _weight[fill[_to[l]]++] = _length[l];
        }

        _grid = new SegmentGrid(_segments.ConvertAll(s => (s.Start, s.End)));
    }

    /// <summary>The number of nodes.</summary>
    public int NodeCount { get; }

    /// <summary>The number of links.</summary>
    public int LinkCount => _geometries.Length;

    /// <summary>The node at the first point of <paramref name="link"/>.</summary>
    public int From(int link) => _from[link];

    /// <summary>The node at the last point of <paramref name="link"/>.</summary>
    public int To(int link) => _to[link];

    /// <summary>The length of <paramref name="link"/>'s geometry, metres.</summary>
    public double Length(int link) => _length[link];

    /// <summary>Where <paramref name="point"/> joins the network, or <c>null</c> when the network is empty.</summary>
    /// <remarks>
    /// Searches the grid cells covering a square of growing radius r: once the nearest segment found is within r,
    /// no segment outside the square can be nearer. Ties go to the segment inserted first, so snapping is deterministic.
    /// </remarks>
    public Snap? SnapTo(Point point)
    {
        if (_segments.Count == 0)
        {
            return null;
        }

        var at = point.Coordinate;
        var best = -1;
        var bestDistance = double.PositiveInfinity;
        for (var radius = FirstSnapRadius; ; radius *= 2)
        {
            var (column0, column1, row0, row1) = _grid.Cover(at.X - radius, at.X + radius, at.Y - radius, at.Y + radius);
            for (var row = row0; row <= row1; row++)
            {
                for (var column = column0; column <= column1; column++)
                {
                    foreach (var s in _grid.In(column, row))
                    {
                        var (_, _, start, end) = _segments[s];
                        var distance = DistanceComputer.PointToSegment(at, start, end);
                        if (distance < bestDistance || (distance == bestDistance && s < best))
                        {
                            (best, bestDistance) = (s, distance);
                        }
                    }
                }
            }

            // Only a segment within the square just searched is proven the nearest: one outside it is more than
            // radius away. (Checking against the doubled radius, as this loop once did, could keep a farther one.)
            if (bestDistance <= radius)
            {
                break;
            }
        }

        var segment = _segments[best];
        var segmentLength = segment.Start.Distance(segment.End);
        var fraction = segmentLength > 0 ? Math.Clamp(new LineSegment(segment.Start, segment.End).ProjectionFactor(at), 0, 1) : 0;
        var along = segment.AlongAtStart + (fraction * segmentLength);
        return new Snap(segment.Link, Math.Min(along, _length[segment.Link]), bestDistance);
    }

    /// <summary>
    /// The shortest network distance from any of <paramref name="sources"/> to every node (multi-source
    /// Dijkstra: one run from a virtual source joined to every source by its access line), up to
    /// <paramref name="limit"/> metres; unreached nodes are +∞.
    /// </summary>
    public double[] Distances(IEnumerable<Snap> sources, double limit = double.PositiveInfinity)
    {
        var distance = new double[NodeCount];
        Array.Fill(distance, double.PositiveInfinity);
        var queue = new PriorityQueue<int, double>();
        foreach (var source in sources)
        {
            Relax(distance, queue, _from[source.Link], source.Access + source.Along, limit);
            Relax(distance, queue, _to[source.Link], source.Access + (_length[source.Link] - source.Along), limit);
        }

        while (queue.TryDequeue(out var node, out var reached))
        {
            // A node is queued again whenever a shorter path to it is found; only its shortest entry counts.
            if (reached > distance[node])
            {
                continue;
            }

            for (var e = _first[node]; e < _first[node + 1]; e++)
            {
                Relax(distance, queue, _target[e], reached + _weight[e], limit);
            }
        }

        return distance;
    }

    /// <summary>
    /// The network distance from <paramref name="at"/> to the nearest source, given the node distances of
    /// <see cref="Distances"/> and the sources on <paramref name="at"/>'s own link, which it can reach along
    /// the link without passing a node.
    /// </summary>
    public double DistanceAt(double[] distance, Snap at, IReadOnlyList<Snap>? sourcesOnLink)
    {
        var best = Math.Min(distance[_from[at.Link]] + at.Along, distance[_to[at.Link]] + (_length[at.Link] - at.Along));
        if (sourcesOnLink is not null)
        {
            foreach (var source in sourcesOnLink)
            {
                best = Math.Min(best, source.Access + Math.Abs(source.Along - at.Along));
            }
        }

        return best + at.Access;
    }

    /// <summary>
    /// The parts of the network within <paramref name="limit"/> metres of <paramref name="origin"/>, given the
    /// node distances from it: every link is reached from each end as far as the rest of the budget goes, and
    /// the origin's own link also both ways from where the origin joins it. Overlapping reaches are merged,
    /// so the parts' lengths add up to the reached network length.
    /// </summary>
    public IEnumerable<LineString> ReachedParts(double[] distance, Snap origin, double limit)
    {
        var fromOrigin = limit - origin.Access;
        var reached = new List<(double Start, double End)>(3);
        for (var l = 0; l < LinkCount; l++)
        {
            var length = _length[l];
            reached.Clear();
            var fromStart = limit - distance[_from[l]];
            if (fromStart > 0)
            {
                reached.Add((0, Math.Min(length, fromStart)));
            }

            var fromEnd = limit - distance[_to[l]];
            if (fromEnd > 0)
            {
                reached.Add((Math.Max(0, length - fromEnd), length));
            }

            if (l == origin.Link && fromOrigin > 0)
            {
                reached.Add((Math.Max(0, origin.Along - fromOrigin), Math.Min(length, origin.Along + fromOrigin)));
            }

            reached.Sort();
            for (var i = 0; i < reached.Count; i++)
            {
                var (start, end) = reached[i];
                while (i + 1 < reached.Count && reached[i + 1].Start <= end)
                {
                    end = Math.Max(end, reached[++i].End);
                }

                yield return start <= 0 && end >= length ? _geometries[l] : Part(l, start, end);
            }
        }
    }

    /// <summary>The straight access line from <paramref name="point"/> to where it joins the network.</summary>
    public LineString AccessLine(Point point, Snap at) =>
        point.Factory.CreateLineString([point.Coordinate, new LengthIndexedLine(_geometries[at.Link]).ExtractPoint(at.Along)]);

    private LineString Part(int link, double start, double end) =>
        (LineString)new LengthIndexedLine(_geometries[link]).ExtractLine(start, end);

    private static void Relax(double[] distance, PriorityQueue<int, double> queue, int node, double reached, double limit)
    {
        if (reached < distance[node] && reached <= limit)
        {
            distance[node] = reached;
            queue.Enqueue(node, reached);
        }
    }

    private static int Node(Dictionary<(long, long), int> nodes, Coordinate at)
    {
        var key = ((long)Math.Round(at.X * NodeResolution), (long)Math.Round(at.Y * NodeResolution));
        if (!nodes.TryGetValue(key, out var node))
        {
            node = nodes.Count;
            nodes.Add(key, node);
        }

        return node;
    }

    /// <summary>
    /// A uniform grid of square cells over segments: each segment is listed in every cell its envelope overlaps,
    /// so the segments whose envelopes overlap a square are among those listed in the cells covering it. Cells are
    /// at least <see cref="FirstSnapRadius"/> wide (the first query then visits about 3 × 3 cells), wider where the
    /// network is sparse, so that there are at most <see cref="MaxCellsPerSegment"/> cells per segment.
    /// </summary>
    /// <remarks>
    /// It replaced NetTopologySuite's STR-tree here: its candidates are a superset of the STR-tree's (which leaves
    /// the nearest segment and the tie rule unchanged), without sorting the segments to build it or allocating a
    /// result list per query; joining the network was the largest part of the model's run in the
    /// <c>bereikbaarheid</c> benchmark (docs/benchmarks.md).
    /// </remarks>
    private sealed class SegmentGrid
    {
        private readonly double _x;
        private readonly double _y;
        private readonly double _size;
        private readonly int _columns;
        private readonly int _rows;

        // Compressed sparse rows: the segments of cell c are _listed[_first[c].._first[c + 1]], in segment order.
        private readonly int[] _first;
        private readonly int[] _listed;

        public SegmentGrid(List<(Coordinate Start, Coordinate End)> segments)
        {
            var extent = new Envelope();
            foreach (var (start, end) in segments)
            {
                extent.ExpandToInclude(start);
                extent.ExpandToInclude(end);
            }

            (_x, _y) = extent.IsNull ? (0, 0) : (extent.MinX, extent.MinY);
            _size = extent.IsNull ? FirstSnapRadius : Math.Max(FirstSnapRadius, Math.Sqrt(extent.Area / (MaxCellsPerSegment * segments.Count)));
            _columns = extent.IsNull ? 1 : (int)Math.Floor(extent.Width / _size) + 1;
            _rows = extent.IsNull ? 1 : (int)Math.Floor(extent.Height / _size) + 1;
            _first = new int[(_columns * _rows) + 1];
            foreach (var (start, end) in segments)
            {
                foreach (var cell in Cells(start, end))
                {
                    _first[cell + 1]++;
                }
            }

            for (var c = 0; c + 1 < _first.Length; c++)
            {
                _first[c + 1] += _first[c];
            }

            var fill = _first[..^1];
            _listed = new int[_first[^1]];
            for (var s = 0; s < segments.Count; s++)
            {
                foreach (var cell in Cells(segments[s].Start, segments[s].End))
                {
                    _listed[fill[cell]++] = s;
                }
            }
        }

        /// <summary>The columns and rows of the cells that cover the given box (clamped to the grid).</summary>
        public (int Column0, int Column1, int Row0, int Row1) Cover(double minX, double maxX, double minY, double maxY) =>
            (Index(minX, _x, _columns), Index(maxX, _x, _columns), Index(minY, _y, _rows), Index(maxY, _y, _rows));

        /// <summary>The segments listed in a cell.</summary>
        public ReadOnlySpan<int> In(int column, int row)
        {
            var cell = (row * _columns) + column;
            return _listed.AsSpan(_first[cell], _first[cell + 1] - _first[cell]);
        }

        private IEnumerable<int> Cells(Coordinate start, Coordinate end)
        {
            var (column0, column1, row0, row1) = Cover(Math.Min(start.X, end.X), Math.Max(start.X, end.X), Math.Min(start.Y, end.Y), Math.Max(start.Y, end.Y));
            for (var row = row0; row <= row1; row++)
            {
                for (var column = column0; column <= column1; column++)
                {
                    yield return (row * _columns) + column;
                }
            }
        }

        // Clamped in double first: a point far outside the grid must not overflow the int.
        private int Index(double coordinate, double origin, int count) =>
            (int)Math.Clamp(Math.Floor((coordinate - origin) / _size), 0, count - 1);
    }
}
