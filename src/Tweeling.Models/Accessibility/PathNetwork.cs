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

    private static readonly GeometryItemDistance s_distance = new();

    private readonly LineString[] _geometries;
    private readonly int[] _from;
    private readonly int[] _to;
    private readonly double[] _length;

    // Adjacency in compressed sparse rows: the neighbours of node n are _target[_first[n].._first[n + 1]].
    private readonly int[] _first;
    private readonly int[] _target;
    private readonly double[] _weight;

    private readonly STRtree<Geometry> _index = new();
    private readonly Dictionary<Geometry, int> _linkOf = new(ReferenceEqualityComparer.Instance);

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
            _from[l] = Node(nodes, geometry.StartPoint.Coordinate);
            _to[l] = Node(nodes, geometry.EndPoint.Coordinate);
            _length[l] = geometry.Length;
            if (_linkOf.TryAdd(geometry, l))
            {
                _index.Insert(geometry.EnvelopeInternal, geometry);
            }
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

        if (_index.Count > 0)
        {
            _index.Build();
        }
    }

    /// <summary>The number of nodes.</summary>
    public int NodeCount { get; }

    /// <summary>The number of links.</summary>
    public int LinkCount => _geometries.Length;

    /// <summary>Where <paramref name="point"/> joins the network, or <c>null</c> when the network is empty.</summary>
    public Snap? SnapTo(Point point)
    {
        if (_index.Count == 0)
        {
            return null;
        }

        var link = _linkOf[_index.NearestNeighbour(point.EnvelopeInternal, point, s_distance)];
        var line = new LengthIndexedLine(_geometries[link]);
        var along = line.Project(point.Coordinate);
        var onLink = line.ExtractPoint(along);
        return new Snap(link, along, onLink.Distance(point.Coordinate));
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
    /// node distances from it: every link is reached from each end as far as the rest of the budget goes.
    /// </summary>
    public IEnumerable<LineString> ReachedParts(double[] distance, Snap origin, double limit)
    {
        for (var l = 0; l < LinkCount; l++)
        {
            var fromStart = Math.Clamp(limit - distance[_from[l]], 0, _length[l]);
            var fromEnd = Math.Clamp(limit - distance[_to[l]], 0, _length[l]);
            if (fromStart + fromEnd >= _length[l] && fromStart + fromEnd > 0)
            {
                yield return _geometries[l];
                continue;
            }

            if (fromStart > 0)
            {
                yield return Part(l, 0, fromStart);
            }

            if (fromEnd > 0)
            {
                yield return Part(l, _length[l] - fromEnd, _length[l]);
            }
        }

        // On the origin's own link the budget also runs both ways from where the origin joins it.
        var left = limit - origin.Access;
        if (left > 0)
        {
            yield return Part(origin.Link, Math.Max(0, origin.Along - left), Math.Min(_length[origin.Link], origin.Along + left));
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
