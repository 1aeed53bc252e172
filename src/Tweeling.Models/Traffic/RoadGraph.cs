using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NetTopologySuite.Geometries;
using Tweeling.Models.City;

namespace Tweeling.Models.Traffic;

/// <summary>
/// The directed motor-traffic graph of a road network: nodes are link end points (equal to the millimetre),
/// arcs are the drivable directions of the open motor links, stored by tail node (compressed rows) for Dijkstra.
/// </summary>
internal sealed class RoadGraph
{
    private readonly int[] _firstArc;
    private readonly RoadClass[] _classes;

    // The same arcs by head node (compressed rows, arc order within a row): for shortest paths towards one node.
    private readonly int[] _firstInArc;
    private readonly int[] _inArcs;

    // The nodes by grid cell, built at the first nearest-node question (a warm start reuses the baseline's zone nodes).
    private readonly Lazy<NodeGrid> _grid;

    private RoadGraph(
        int nodeCount, Coordinate[] nodes, int[] firstArc, int[] tail, int[] head, int[] link, RoadClass[] classes, double[] lengthMetres, double[] freeTimeSeconds,
        double[] capacityPerHour, double[] tieBreakSeconds)
    {
        NodeCount = nodeCount;
        Nodes = nodes;
        _firstArc = firstArc;
        (_firstInArc, _inArcs) = RowsBy(head, nodeCount);
        Tail = tail;
        Head = head;
        Link = link;
        _classes = classes;
        LengthMetres = lengthMetres;
        FreeTimeSeconds = freeTimeSeconds;
        CapacityPerHour = capacityPerHour;
        TieBreakSeconds = tieBreakSeconds;
        _grid = new Lazy<NodeGrid>(() => new NodeGrid(nodes));
    }

    /// <summary>The number of nodes.</summary>
    public int NodeCount { get; }

    /// <summary>Each node's position.</summary>
    public Coordinate[] Nodes { get; }

    /// <summary>Each arc's tail node.</summary>
    public int[] Tail { get; }

    /// <summary>Each arc's head node.</summary>
    public int[] Head { get; }

    /// <summary>Each arc's link index in the input list.</summary>
    public int[] Link { get; }

    /// <summary>Each arc's length: its link's geometry length, metres (computed once: a line's length is summed anew at every call).</summary>
    public double[] LengthMetres { get; }

    /// <summary>Each arc's free-flow travel time: length over speed limit, seconds.</summary>
    public double[] FreeTimeSeconds { get; }

    /// <summary>Each arc's capacity in vehicles per hour.</summary>
    public double[] CapacityPerHour { get; }

    /// <summary>
    /// Each arc's tie-break time: under a microsecond, fixed by the link's id and direction, added to the route costs of the
    /// assignment so that no two routes cost exactly the same. Shortest paths are then unique, so a search from the origin
    /// and one towards the destination find the same route (the warm start relies on it), and a route does not depend on
    /// the order the links were read in.
    /// </summary>
    public double[] TieBreakSeconds { get; }

    /// <summary>The number of arcs.</summary>
    public int ArcCount => Head.Length;

    /// <summary>Builds the graph of the links that are open to motor traffic (not a cycle path, not closed).</summary>
    public static RoadGraph Build(IReadOnlyList<RoadLink> links, IReadOnlySet<string> closed)
    {
        var nodeIndex = new Dictionary<(long, long), int>();
        var nodes = new List<Coordinate>();
        var tails = new List<int>();
        var heads = new List<int>();
        var linkOfArc = new List<int>();
        var lengths = new List<double>();
        var times = new List<double>();
        var capacities = new List<double>();
        var tieBreaks = new List<double>();
        for (var i = 0; i < links.Count; i++)
        {
            var link = links[i];
            if (!IsDrivable(link, closed))
            {
                continue;
            }

            var from = Node(link.Geometry.StartPoint.Coordinate);
            var to = Node(link.Geometry.EndPoint.Coordinate);
            var length = link.Geometry.Length;
            var seconds = length / (SpeedKmh(link) / 3.6);
            var capacity = TrafficParameters.CapacityPerHour(link.Class);
            AddArc(from, to, i, length, seconds, capacity, TieBreak(link.Id, forward: true));
            if (!link.OneWay)
            {
                AddArc(to, from, i, length, seconds, capacity, TieBreak(link.Id, forward: false));
            }
        }

        // Compressed rows: arcs sorted by tail (stable, so the input order decides ties and runs are deterministic).
        var (firstArc, order) = RowsBy([.. tails], nodes.Count);
        return new RoadGraph(
            nodes.Count,
            [.. nodes],
            firstArc,
            [.. order.Select(a => tails[a])],
            [.. order.Select(a => heads[a])],
            [.. order.Select(a => linkOfArc[a])],
            [.. order.Select(a => links[linkOfArc[a]].Class)],
            [.. order.Select(a => lengths[a])],
            [.. order.Select(a => times[a])],
            [.. order.Select(a => capacities[a])],
            [.. order.Select(a => tieBreaks[a])]);

        int Node(Coordinate c)
        {
            var key = ((long)Math.Round(c.X * 1000), (long)Math.Round(c.Y * 1000));
            if (!nodeIndex.TryGetValue(key, out var index))
            {
                index = nodes.Count;
                nodeIndex.Add(key, index);
                nodes.Add(c.Copy());
            }

            return index;
        }

        void AddArc(int from, int to, int link, double length, double seconds, double capacity, double tieBreak)
        {
            tieBreaks.Add(tieBreak);
            tails.Add(from);
            heads.Add(to);
            linkOfArc.Add(link);
            lengths.Add(length);
            times.Add(seconds);
            capacities.Add(capacity);
        }
    }

    // A time in [0, 1) µs from the link id and direction: FNV-1a (stable across processes, unlike string.GetHashCode)
    // mixed by the SplitMix64 finaliser, so neighbouring ids get unrelated values. A microsecond per arc is far below any
    // travel-time difference that matters and far above the rounding of a route's sum (about 1e-12 s on a 2,000 s route).
    private static double TieBreak(string linkId, bool forward)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in linkId)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash ^= forward ? 0x9E3779B97F4A7C15UL : 0UL;
        hash = (hash ^ (hash >> 30)) * 0xBF58476D1CE4E5B9UL;
        hash = (hash ^ (hash >> 27)) * 0x94D049BB133111EBUL;
        hash ^= hash >> 31;
        return (hash >> 11) * (1.0 / (1UL << 53)) * 1e-6;
    }

    // The arcs grouped by node (stably, by arc index): each node's first position in the order, and the order.
    private static (int[] First, int[] Order) RowsBy(int[] nodeOfArc, int nodeCount)
    {
        var first = new int[nodeCount + 1];
        foreach (var node in nodeOfArc)
        {
            first[node + 1]++;
        }

        for (var n = 0; n < nodeCount; n++)
        {
            first[n + 1] += first[n];
        }

        var next = (int[])first.Clone();
        var order = new int[nodeOfArc.Length];
        for (var a = 0; a < nodeOfArc.Length; a++)
        {
            order[next[nodeOfArc[a]]++] = a;
        }

        return (first, order);
    }

    /// <summary>The road class of arc <paramref name="arc"/>'s link.</summary>
    public RoadClass LinkClass(int arc) => _classes[arc];

    /// <summary>Whether motor traffic may drive the link: not a cycle path and not closed.</summary>
    public static bool IsDrivable(RoadLink link, IReadOnlySet<string> closed) =>
        link.Class != RoadClass.Fietspad && !closed.Contains(link.Id) && link.Geometry.NumPoints >= 2;

    /// <summary>The free-flow speed of a motor link: its speed limit, or its class's usual limit when it has none.</summary>
    public static double SpeedKmh(RoadLink link) =>
        link.SpeedLimitKmh is > 0 and var limit ? limit : TrafficParameters.DefaultSpeedKmh(link.Class);

    /// <summary>
    /// The node nearest to <paramref name="point"/> (ties: the lowest index), or −1 when the graph has no nodes. Looks in a
    /// grid of the nodes (<see cref="NodeGrid"/>), ring by ring around the point, so a zone costs a few cells rather than a
    /// pass over every node (zones × nodes grew as the city squared).
    /// </summary>
    public int NearestNode(Coordinate point) => _grid.Value.Nearest(point);

    /// <summary>
    /// Dijkstra from <paramref name="source"/> with arc costs <paramref name="cost"/>: fills the cost to every node
    /// (infinity when unreachable) and the arc each node is reached by (−1 for the source and unreachable nodes).
    /// With <paramref name="targets"/> it stops once every target node is settled: the costs and arcs of the targets and
    /// of every node on their shortest paths are then final, those of the nodes not yet settled are not.
    /// </summary>
    public void ShortestPaths(int source, double[] cost, double[] distance, int[] predecessorArc, NodeHeap heap, SearchTargets? targets = null) =>
        Search(source, towards: false, cost, distance, predecessorArc, heap, targets);

    /// <summary>
    /// Dijkstra towards <paramref name="target"/> over the arcs reversed: fills the cost from every node to the target
    /// (infinity when it cannot reach it) and the arc each node leaves by on its shortest path (−1 for the target and
    /// nodes that cannot reach it). Walking <c>Head</c> of those arcs from any node leads to the target. With
    /// <paramref name="origins"/> it stops once every origin node is settled (as <see cref="ShortestPaths"/>).
    /// </summary>
    public void ShortestPathsTo(int target, double[] cost, double[] distance, int[] successorArc, NodeHeap heap, SearchTargets? origins = null) =>
        Search(target, towards: true, cost, distance, successorArc, heap, origins);

    // One Dijkstra search: from the root over the arcs by tail, or towards it over the arcs by head.
    private void Search(int root, bool towards, double[] cost, double[] distance, int[] treeArc, NodeHeap heap, SearchTargets? targets)
    {
        Array.Fill(distance, double.PositiveInfinity);
        Array.Fill(treeArc, -1);
        heap.Clear();
        distance[root] = 0;
        heap.InsertOrDecrease(root, 0);
        Settle(towards, cost, distance, treeArc, heap, targets);
    }

    /// <summary>
    /// The loop of Dijkstra's method from the nodes in <paramref name="heap"/>, keyed by their <paramref name="distance"/>:
    /// pops the cheapest node, offers its neighbours (over the arcs by tail, or <paramref name="towards"/>: by head) a
    /// cheaper cost by it, until the heap is empty or, with <paramref name="targets"/>, the last target has left it. A
    /// node leaves the heap settled (its cost final, as the costs are ≥ 0). A search starts it from the root alone; a
    /// repair of a tree (<c>TrafficModel.TreeSearch</c>) from the nodes a changed cost made cheaper.
    /// </summary>
    public void Settle(bool towards, double[] cost, double[] distance, int[] treeArc, NodeHeap heap, SearchTargets? targets = null)
    {
        // The loop reads the arrays without the runtime's bounds checks (it is most of a full run's processor time,
        // docs/models/verkeer.md "Performance"): their lengths are checked here once, and every index below is a node the
        // heap holds (< NodeCount) or an arc of the compressed rows (< ArcCount).
        ArgumentOutOfRangeException.ThrowIfLessThan(cost.Length, ArcCount, nameof(cost));
        ArgumentOutOfRangeException.ThrowIfLessThan(distance.Length, NodeCount, nameof(distance));
        ArgumentOutOfRangeException.ThrowIfLessThan(treeArc.Length, NodeCount, nameof(treeArc));
        // A heap of this graph's nodes only ever holds (and pops) nodes < NodeCount: it checks each node it is given.
        ArgumentOutOfRangeException.ThrowIfNotEqual(heap.NodeCount, NodeCount, nameof(heap));
        var (firstArray, far) = towards ? (_firstInArc, Tail) : (_firstArc, Head);
        ref var first = ref MemoryMarshal.GetArrayDataReference(firstArray);
        ref var inArcs = ref MemoryMarshal.GetArrayDataReference(_inArcs);
        ref var farNode = ref MemoryMarshal.GetArrayDataReference(far);
        ref var arcCost = ref MemoryMarshal.GetArrayDataReference(cost);
        ref var nodeDistance = ref MemoryMarshal.GetArrayDataReference(distance);
        ref var nodeTreeArc = ref MemoryMarshal.GetArrayDataReference(treeArc);
        var unsettled = targets?.Count ?? -1;
        while (heap.TryPop(out var node, out var reached))
        {
            if (targets is not null && targets.Contains(node) && --unsettled == 0)
            {
                return;
            }

            var end = Unsafe.Add(ref first, node + 1);
            for (var i = Unsafe.Add(ref first, node); i < end; i++)
            {
                // Out-arcs are stored in tail order, so their position is the arc; in-arcs go through the index.
                var a = towards ? Unsafe.Add(ref inArcs, i) : i;
                var candidate = reached + Unsafe.Add(ref arcCost, a);
                var next = Unsafe.Add(ref farNode, a);
                ref var nextDistance = ref Unsafe.Add(ref nodeDistance, next);
                if (candidate < nextDistance)
                {
                    nextDistance = candidate;
                    Unsafe.Add(ref nodeTreeArc, next) = a;
                    heap.InsertOrDecrease(next, candidate);
                }
            }
        }
    }
}

/// <summary>The nodes a shortest-path search must settle before it may stop (the zones' network nodes).</summary>
internal sealed class SearchTargets
{
    private readonly bool[] _isTarget;

    /// <summary>The targets <paramref name="nodes"/> of a graph of <paramref name="nodeCount"/> nodes; negative entries (no node) are left out.</summary>
    public SearchTargets(int nodeCount, IEnumerable<int> nodes)
    {
        _isTarget = new bool[nodeCount];
        foreach (var node in nodes.Where(n => n >= 0 && !_isTarget[n]))
        {
            _isTarget[node] = true;
            Count++;
        }
    }

    /// <summary>The number of distinct target nodes.</summary>
    public int Count { get; }

    /// <summary>Whether <paramref name="node"/> is a target.</summary>
    public bool Contains(int node) => _isTarget[node];
}

/// <summary>
/// The nodes of a graph filed in square cells of about four nodes each (compressed rows, ascending node index within a
/// cell), for exact nearest-node questions.
/// </summary>
internal sealed class NodeGrid
{
    private readonly Coordinate[] _nodes;
    private readonly double _minX;
    private readonly double _minY;
    private readonly double _cellSize;
    private readonly int _columns;
    private readonly int _rows;
    private readonly int[] _firstInCell;
    private readonly int[] _cellNodes;

    /// <summary>Files <paramref name="nodes"/>.</summary>
    public NodeGrid(Coordinate[] nodes)
    {
        _nodes = nodes;
        if (nodes.Length == 0)
        {
            (_columns, _rows, _cellSize, _firstInCell, _cellNodes) = (0, 0, 1, [0], []);
            return;
        }

        (_minX, _minY) = (nodes.Min(n => n.X), nodes.Min(n => n.Y));
        var (width, height) = (nodes.Max(n => n.X) - _minX, nodes.Max(n => n.Y) - _minY);
        // About four nodes a cell on an evenly spread network; at least a metre, so a one-point graph has one cell.
        _cellSize = Math.Max(1, Math.Sqrt(Math.Max(width * height, 1) / nodes.Length * 4));
        _columns = (int)(width / _cellSize) + 1;
        _rows = (int)(height / _cellSize) + 1;
        _firstInCell = new int[(_columns * _rows) + 1];
        var cellOf = new int[nodes.Length];
        for (var n = 0; n < nodes.Length; n++)
        {
            cellOf[n] = (Row(nodes[n].Y) * _columns) + Column(nodes[n].X);
            _firstInCell[cellOf[n] + 1]++;
        }

        for (var c = 0; c < _columns * _rows; c++)
        {
            _firstInCell[c + 1] += _firstInCell[c];
        }

        var next = (int[])_firstInCell.Clone();
        _cellNodes = new int[nodes.Length];
        for (var n = 0; n < nodes.Length; n++)
        {
            _cellNodes[next[cellOf[n]]++] = n;
        }
    }

    /// <summary>The node nearest to <paramref name="point"/> (ties: the lowest index), or −1 when there are no nodes.</summary>
    public int Nearest(Coordinate point)
    {
        var (best, bestDistance) = (-1, double.PositiveInfinity);
        if (_nodes.Length == 0 || !double.IsFinite(point.X) || !double.IsFinite(point.Y))
        {
            return best;
        }

        // The point's cell, which may lie outside the grid; rings of cells around it until no cell further out can hold a
        // node as near as the best (a tie with a lower index would win, so an equal bound goes on; a millimetre's margin
        // covers a node filed in the next cell by the rounding of its division).
        var column = (long)Math.Floor((point.X - _minX) / _cellSize);
        var row = (long)Math.Floor((point.Y - _minY) / _cellSize);
        for (long ring = 0; ; ring++)
        {
            var (left, right, bottom, top) = (column - ring, column + ring, row - ring, row + ring);
            for (var r = Math.Max(0, bottom); r <= Math.Min(_rows - 1, top); r++)
            {
                // The ring's cells in this row: all of them on its bottom and top rows, its two ends on the others.
                var step = r == bottom || r == top ? 1 : Math.Max(1, right - left);
                for (var c = left; c <= right; c += step)
                {
                    if (c >= 0 && c < _columns)
                    {
                        Visit((int)((r * _columns) + c));
                    }
                }
            }

            var covered = left <= 0 && bottom <= 0 && right >= _columns - 1 && top >= _rows - 1;
            var beyond = Math.Min(
                Math.Min(point.X - (_minX + (left * _cellSize)), _minX + ((right + 1) * _cellSize) - point.X),
                Math.Min(point.Y - (_minY + (bottom * _cellSize)), _minY + ((top + 1) * _cellSize) - point.Y));
            if (covered || bestDistance < beyond - 0.001)
            {
                return best;
            }
        }

        void Visit(int cell)
        {
            for (var i = _firstInCell[cell]; i < _firstInCell[cell + 1]; i++)
            {
                var n = _cellNodes[i];
                var distance = _nodes[n].Distance(point);
                if (distance < bestDistance || (distance == bestDistance && n < best))
                {
                    (best, bestDistance) = (n, distance);
                }
            }
        }
    }

    private int Column(double x) => Math.Min(_columns - 1, (int)((x - _minX) / _cellSize));

    private int Row(double y) => Math.Min(_rows - 1, (int)((y - _minY) / _cellSize));
}
