using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
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
/// nearest link, found with an STR-tree of the link geometries.
/// </summary>
internal sealed class PathNetwork
{
    /// <summary>How far apart two end points may be and still be one node: 1 mm (coordinates are rounded to it).</summary>
    private const double NodeResolution = 1_000;

    /// <summary>The first search radius when snapping, metres: about half a city block, so most points need one query.</summary>
    private const double FirstSnapRadius = 50;

    private readonly LineString[] _geometries;
    private readonly int[] _from;
    private readonly int[] _to;
    private readonly double[] _length;

    // Adjacency in compressed sparse rows: the neighbours of node n are _target[_first[n].._first[n + 1]].
    private readonly int[] _first;
    private readonly int[] _target;
    private readonly double[] _weight;

    // The index holds segments, not links: a long curved link has a large envelope that every query would visit.
    private readonly STRtree<int> _index = new();
    private readonly List<(int Link, double AlongAtStart, Coordinate Start, Coordinate End)> _segments = [];

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
                _index.Insert(new Envelope(start, end), _segments.Count);
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

        _index.Build();
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
    /// Searches the index in a square of growing radius r: once the nearest segment found is within r, no
    /// segment outside the square can be nearer. Ties go to the segment inserted first, so snapping is deterministic.
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
        for (var radius = FirstSnapRadius; bestDistance > radius; radius *= 2)
        {
            foreach (var s in _index.Query(new Envelope(at.X - radius, at.X + radius, at.Y - radius, at.Y + radius)))
            {
                var (_, _, start, end) = _segments[s];
                var distance = DistanceComputer.PointToSegment(at, start, end);
                if (distance < bestDistance || (distance == bestDistance && s < best))
                {
                    (best, bestDistance) = (s, distance);
                }
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
}
