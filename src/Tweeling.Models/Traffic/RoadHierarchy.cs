using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Tweeling.Models.Traffic;

/// <summary>
/// A customisable contraction hierarchy of a <see cref="RoadGraph"/> (Dibbelt, Strasser and Wagner, "Customizable
/// Contraction Hierarchies", ACM JEA 21, 2016) for one-to-all searches by PHAST (Delling, Goldberg, Nowatzyk and Werneck,
/// "PHAST: Hardware-accelerated shortest path trees", JPDC 73, 2013): an upward pass from the root, then one sweep of every
/// node from the highest rank down. The order and the shortcut edges depend on the graph alone (built once per network);
/// the weights of a set of arc costs are a <see cref="Metric"/>, customised once per assignment round.
/// </summary>
/// <remarks>
/// A route's cost summed over shortcuts rounds differently from Dijkstra's sum along the route, and a near tie could go
/// the other way. So a tree found here is only taken after it is proven to be the tree Dijkstra's search
/// (<see cref="RoadGraph.ShortestPaths"/>) gives, bit for bit (<see cref="Query.TryRun"/>); else the caller searches.
/// </remarks>
internal sealed class RoadHierarchy
{
    private readonly RoadGraph _graph;

    // Each node's rank (its place in the contraction order) and the node of each rank.
    private readonly int[] _rank;
    private readonly int[] _nodeOfRank;

    // The edges of the contracted graph by their lower rank (compressed rows); each row's higher ends ascend, so the first
    // is the rank's parent in the elimination tree, and the edges i < j of a row close the triangle of edge _triangle[…].
    private readonly int[] _firstEdge;
    private readonly int[] _upper;

    // Per pair (i, j), i < j, of each row's edges in row order: the edge between their higher ends (the row of _upper[i]).
    private readonly int[] _triangle;

    // Per road arc: its edge (−1 for a loop) and whether it runs from the edge's lower rank to its higher one.
    private readonly int[] _arcEdge;
    private readonly bool[] _arcUpward;

    private RoadHierarchy(RoadGraph graph, int[] rank, int[] nodeOfRank, int[] firstEdge, int[] upper, int[] triangle, int[] arcEdge, bool[] arcUpward)
    {
        (_graph, _rank, _nodeOfRank, _firstEdge, _upper, _triangle, _arcEdge, _arcUpward) = (graph, rank, nodeOfRank, firstEdge, upper, triangle, arcEdge, arcUpward);
    }

    /// <summary>The number of edges of the contracted graph: the road graph's node pairs plus the shortcuts.</summary>
    public int EdgeCount => _upper.Length;

    /// <summary>The number of triangles a customisation visits.</summary>
    public int TriangleCount => _triangle.Length;

    /// <summary>
    /// Contracts <paramref name="graph"/> in minimum-degree order (the node with the fewest uncontracted neighbours first,
    /// ties by index): a metric-independent order, so one hierarchy serves every round's costs. Contracting a node joins all
    /// its uncontracted neighbours to each other; those are its higher neighbours.
    /// </summary>
    public static RoadHierarchy Build(RoadGraph graph)
    {
        var n = graph.NodeCount;
        var neighbours = new HashSet<int>[n];
        for (var v = 0; v < n; v++)
        {
            neighbours[v] = [];
        }

        for (var a = 0; a < graph.ArcCount; a++)
        {
            var (u, v) = (graph.Tail[a], graph.Head[a]);
            if (u != v)
            {
                neighbours[u].Add(v);
                neighbours[v].Add(u);
            }
        }

        var rank = new int[n];
        var nodeOfRank = new int[n];
        var higher = new int[n][];
        var contracted = new bool[n];
        var queue = new PriorityQueue<int, long>(n);
        for (var v = 0; v < n; v++)
        {
            queue.Enqueue(v, Key(neighbours[v].Count, v));
        }

        var next = 0;
        while (queue.TryDequeue(out var v, out var key))
        {
            // An entry made before the node's degree last changed is stale; the current one is in the queue too.
            if (contracted[v] || key != Key(neighbours[v].Count, v))
            {
                continue;
            }

            contracted[v] = true;
            (rank[v], nodeOfRank[next]) = (next, v);
            next++;
            var around = neighbours[v].ToArray();
            higher[v] = around;
            foreach (var u in around)
            {
                neighbours[u].Remove(v);
            }

            for (var i = 0; i < around.Length; i++)
            {
                for (var j = i + 1; j < around.Length; j++)
                {
                    if (neighbours[around[i]].Add(around[j]))
                    {
                        neighbours[around[j]].Add(around[i]);
                    }
                }
            }

            foreach (var u in around)
            {
                queue.Enqueue(u, Key(neighbours[u].Count, u));
            }

            neighbours[v] = [];
        }

        var firstEdge = new int[n + 1];
        for (var r = 0; r < n; r++)
        {
            firstEdge[r + 1] = firstEdge[r] + higher[nodeOfRank[r]].Length;
        }

        var upper = new int[firstEdge[n]];
        long triangles = 0;
        for (var r = 0; r < n; r++)
        {
            var row = upper.AsSpan(firstEdge[r], firstEdge[r + 1] - firstEdge[r]);
            var ends = higher[nodeOfRank[r]];
            for (var i = 0; i < ends.Length; i++)
            {
                row[i] = rank[ends[i]];
            }

            row.Sort();
            triangles += (long)row.Length * (row.Length - 1) / 2;
        }

        // Every pair of a row's higher ends was joined when the row's node was contracted (the graph is chordal), so the
        // edge between them is in the row of the lower one.
        var triangle = new int[checked((int)triangles)];
        var t = 0;
        for (var r = 0; r < n; r++)
        {
            for (var i = firstEdge[r]; i < firstEdge[r + 1]; i++)
            {
                for (var j = i + 1; j < firstEdge[r + 1]; j++)
                {
                    triangle[t++] = Edge(firstEdge, upper, upper[i], upper[j]);
                }
            }
        }

        var arcEdge = new int[graph.ArcCount];
        var arcUpward = new bool[graph.ArcCount];
        for (var a = 0; a < graph.ArcCount; a++)
        {
            var (from, to) = (rank[graph.Tail[a]], rank[graph.Head[a]]);
            arcUpward[a] = from < to;
            arcEdge[a] = from == to ? -1 : Edge(firstEdge, upper, Math.Min(from, to), Math.Max(from, to));
        }

        return new RoadHierarchy(graph, rank, nodeOfRank, firstEdge, upper, triangle, arcEdge, arcUpward);

        static long Key(int degree, int node) => ((long)degree << 32) | (uint)node;
    }

    private static int Edge(int[] firstEdge, int[] upper, int lower, int higher)
    {
        var at = Array.BinarySearch(upper, firstEdge[lower], firstEdge[lower + 1] - firstEdge[lower], higher);
        return at >= 0 ? at : throw new InvalidOperationException($"The contracted graph has no edge between ranks {lower} and {higher}.");
    }

    /// <summary>
    /// The weights of arc costs <paramref name="cost"/> (seconds per road arc) on the contracted graph: each edge's cheapest
    /// road arc per direction, then, rank by rank from the lowest, every route through a lower node of a triangle offered to
    /// the triangle's top edge (the basic customisation). Each edge keeps the last road arc of its cheapest route.
    /// </summary>
    public Metric Customise(double[] cost)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cost.Length, _graph.ArcCount, nameof(cost));
        var edges = _upper.Length;
        var (up, down) = (new double[edges], new double[edges]);
        var (upArc, downArc) = (new int[edges], new int[edges]);
        Array.Fill(up, double.PositiveInfinity);
        Array.Fill(down, double.PositiveInfinity);
        Array.Fill(upArc, -1);
        Array.Fill(downArc, -1);
        for (var a = 0; a < _graph.ArcCount; a++)
        {
            var e = _arcEdge[a];
            if (e < 0)
            {
                continue;
            }

            var (weight, last) = _arcUpward[a] ? (up, upArc) : (down, downArc);
            if (cost[a] < weight[e])
            {
                (weight[e], last[e]) = (cost[a], a);
            }
        }

        var t = 0;
        for (var r = 0; r < _rank.Length; r++)
        {
            var end = _firstEdge[r + 1];
            for (var i = _firstEdge[r]; i < end; i++)
            {
                for (var j = i + 1; j < end; j++)
                {
                    // r is below both ends: y = _upper[i] < z = _upper[j], and f is the edge y–z.
                    var f = _triangle[t++];
                    var viaR = down[i] + up[j];
                    if (viaR < up[f])
                    {
                        (up[f], upArc[f]) = (viaR, upArc[j]);
                    }

                    viaR = down[j] + up[i];
                    if (viaR < down[f])
                    {
                        (down[f], downArc[f]) = (viaR, upArc[i]);
                    }
                }
            }
        }

        return new Metric(this, up, down, upArc, downArc);
    }

    /// <summary>
    /// A customisation: per edge of the contracted graph, the cost from its lower rank to its higher one (up) and back
    /// (down), and the last road arc of each cheapest route (−1 where there is none).
    /// </summary>
    internal sealed record Metric(RoadHierarchy Hierarchy, double[] Up, double[] Down, int[] UpArc, int[] DownArc);

    /// <summary>Reusable buffers for one-to-all searches on one hierarchy (one per thread).</summary>
    internal sealed class Query(RoadHierarchy hierarchy)
    {
        private readonly RoadHierarchy _hierarchy = hierarchy;
        private readonly double[] _rankDistance = new double[hierarchy._rank.Length];
        private readonly int[] _rankArc = new int[hierarchy._rank.Length];
        private readonly int[] _walk = new int[hierarchy._rank.Length];

        /// <summary>
        /// The shortest-path tree from <paramref name="source"/> on <paramref name="metric"/>, whose costs are
        /// <paramref name="cost"/>: true, with the arc each node is reached by in <paramref name="treeArc"/> and its cost
        /// in <paramref name="distance"/>, when that is what a complete Dijkstra search from the source gives, bit for bit
        /// (<see cref="IsDijkstraTree"/>); false otherwise (a near tie; then the arrays hold nothing to use).
        /// </summary>
        public bool TryRun(Metric metric, int source, double[] cost, double[] distance, int[] treeArc)
        {
            if (metric.Hierarchy != _hierarchy)
            {
                throw new ArgumentException("The metric is of another hierarchy.", nameof(metric));
            }

            var graph = _hierarchy._graph;
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)source, (uint)graph.NodeCount, nameof(source));
            ArgumentOutOfRangeException.ThrowIfLessThan(distance.Length, graph.NodeCount, nameof(distance));
            ArgumentOutOfRangeException.ThrowIfLessThan(treeArc.Length, graph.NodeCount, nameof(treeArc));
            Sweep(metric, _hierarchy._rank[source]);
            var nodeOfRank = _hierarchy._nodeOfRank;
            for (var r = 0; r < nodeOfRank.Length; r++)
            {
                treeArc[nodeOfRank[r]] = _rankArc[r];
            }

            return IsDijkstraTree(graph, source, cost, distance, treeArc, _walk);
        }

        // PHAST on ranks: the upward pass along the root's ancestors in the elimination tree (its upward search space, in
        // ascending rank), then every rank from the highest down takes its cheapest way from a higher neighbour.
        private void Sweep(Metric metric, int root)
        {
            var (firstEdge, upper) = (_hierarchy._firstEdge, _hierarchy._upper);
            Array.Fill(_rankDistance, double.PositiveInfinity);
            Array.Fill(_rankArc, -1);
            _rankDistance[root] = 0;
            for (var x = root; x >= 0; x = firstEdge[x] < firstEdge[x + 1] ? upper[firstEdge[x]] : -1)
            {
                var reached = _rankDistance[x];
                for (var e = firstEdge[x]; e < firstEdge[x + 1]; e++)
                {
                    var candidate = reached + metric.Up[e];
                    if (candidate < _rankDistance[upper[e]])
                    {
                        (_rankDistance[upper[e]], _rankArc[upper[e]]) = (candidate, metric.UpArc[e]);
                    }
                }
            }

            // The downward sweep is most of a search: its arrays are read without bounds checks (every edge index is below
            // firstEdge[^1] = the edge count, every upper end a rank below the node count, both fixed when built).
            ref var first = ref MemoryMarshal.GetArrayDataReference(firstEdge);
            ref var higher = ref MemoryMarshal.GetArrayDataReference(upper);
            ref var down = ref MemoryMarshal.GetArrayDataReference(metric.Down);
            ref var downArc = ref MemoryMarshal.GetArrayDataReference(metric.DownArc);
            ref var rankDistance = ref MemoryMarshal.GetArrayDataReference(_rankDistance);
            for (var r = _rankDistance.Length - 1; r >= 0; r--)
            {
                var best = Unsafe.Add(ref rankDistance, r);
                var bestArc = -1;
                var end = Unsafe.Add(ref first, r + 1);
                for (var e = Unsafe.Add(ref first, r); e < end; e++)
                {
                    var candidate = Unsafe.Add(ref rankDistance, Unsafe.Add(ref higher, e)) + Unsafe.Add(ref down, e);
                    if (candidate < best)
                    {
                        (best, bestArc) = (candidate, Unsafe.Add(ref downArc, e));
                    }
                }

                if (bestArc >= 0)
                {
                    Unsafe.Add(ref rankDistance, r) = best;
                    _rankArc[r] = bestArc;
                }
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="treeArc"/> (the arc each node is reached by, −1 for the root and unreached nodes) is the tree
    /// a complete Dijkstra search from <paramref name="root"/> on <paramref name="cost"/> gives (<see cref="RoadGraph.ShortestPaths"/>),
    /// bit for bit; fills <paramref name="distance"/> with the costs that search gives. Each node's cost is summed along
    /// its tree route from the root in route order, as the search sums it. The tree is the search's when every tree arc
    /// raises the cost and every other arc from a reached node offers its head a strictly dearer cost: then, by induction
    /// over the order the search settles nodes, it settles each node at this cost by this arc (a tie, which the search
    /// would settle by its order of discovery, is refused).
    /// </summary>
    internal static bool IsDijkstraTree(RoadGraph graph, int root, double[] cost, double[] distance, int[] treeArc, int[] walk)
    {
        var (tail, head) = (graph.Tail, graph.Head);
        var n = graph.NodeCount;
        if (treeArc[root] >= 0)
        {
            return false;
        }

        // NaN: reached but not yet summed.
        for (var v = 0; v < n; v++)
        {
            distance[v] = treeArc[v] >= 0 ? double.NaN : double.PositiveInfinity;
        }

        distance[root] = 0;
        for (var v = 0; v < n; v++)
        {
            // Up the tree to a node already summed, then back down summing; more steps than nodes is a cycle.
            var depth = 0;
            var u = v;
            for (; double.IsNaN(distance[u]); u = tail[treeArc[u]])
            {
                if (depth == n || head[treeArc[u]] != u)
                {
                    return false;
                }

                walk[depth++] = u;
            }

            // A route must lead back to the root, not to a node the tree does not reach.
            if (depth > 0 && distance[u] == double.PositiveInfinity)
            {
                return false;
            }

            while (depth > 0)
            {
                var arc = treeArc[walk[--depth]];
                distance[head[arc]] = distance[tail[arc]] + cost[arc];
            }
        }

        for (var a = 0; a < graph.ArcCount; a++)
        {
            var from = distance[tail[a]];
            if (from == double.PositiveInfinity)
            {
                continue;
            }

            var to = head[a];
            if (treeArc[to] == a ? !(distance[to] > from) : !(from + cost[a] > distance[to]))
            {
                return false;
            }
        }

        return true;
    }
}
