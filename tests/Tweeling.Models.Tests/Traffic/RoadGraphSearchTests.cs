using NetTopologySuite.Geometries;
using Tweeling.Models.Traffic;
using static Tweeling.Models.Tests.Traffic.TestNetworks;

namespace Tweeling.Models.Tests.Traffic;

/// <summary>
/// The traffic model's path search (docs/models/verkeer.md, "Assignment"): the decrease-key heap and the stop once every
/// zone node is settled must give the routes and costs of a complete search with the library's priority queue, bit for bit.
/// </summary>
public sealed class RoadGraphSearchTests
{
    [Fact]
    public void The_heap_pops_every_node_once_in_key_order_after_decreases()
    {
        var random = new Random(61);
        var heap = new NodeHeap(500);
        var keys = new Dictionary<int, double>();
        for (var step = 0; step < 2_000; step++)
        {
            var node = random.Next(500);
            var key = random.NextDouble() * 1_000;
            // A key may only fall (as in Dijkstra): a higher one for a node already in is not offered.
            if (!keys.TryGetValue(node, out var before) || key < before)
            {
                keys[node] = key;
                heap.InsertOrDecrease(node, key);
            }
        }

        var popped = new List<(int Node, double Key)>();
        while (heap.TryPop(out var node, out var key))
        {
            popped.Add((node, key));
        }

        Assert.Equal(keys.OrderBy(k => k.Value).Select(k => (k.Key, k.Value)), popped);
    }

    [Fact]
    public void The_grid_finds_the_node_a_scan_of_every_node_finds()
    {
        var (links, _, _, _) = SyntheticCity(side: 31, zonesPerSide: 5);
        var graph = RoadGraph.Build(links, new HashSet<string>());
        var random = new Random(63);
        // Points inside the network, far outside it, and exactly on nodes and halfway between two (ties: the lower index).
        var points = Enumerable.Range(0, 400).Select(_ => new Coordinate((random.NextDouble() * 5_000) - 1_000, (random.NextDouble() * 5_000) - 1_000))
            .Concat([new Coordinate(-50_000, 1_500), new Coordinate(1_500, 90_000), new Coordinate(0, 0), new Coordinate(150, 200), new Coordinate(3_000, 1_450)])
            .ToList();

        foreach (var point in points)
        {
            var scan = Enumerable.Range(0, graph.NodeCount).MinBy(n => (graph.Nodes[n].Distance(point), n));
            Assert.Equal(scan, graph.NearestNode(point));
        }

        Assert.Equal(-1, RoadGraph.Build([], new HashSet<string>()).NearestNode(new Coordinate(0, 0)));
    }

    [Fact]
    public void A_search_that_stops_at_the_zone_nodes_finds_the_routes_and_costs_of_a_complete_search_with_the_library_queue()
    {
        var (links, zones, _, _) = SyntheticCity(side: 31, zonesPerSide: 5);
        var graph = RoadGraph.Build(links, new HashSet<string>());
        var zoneNodes = zones.Select(z => graph.NearestNode(z.Centroid.Coordinate)).ToArray();
        var targets = new SearchTargets(graph.NodeCount, zoneNodes);
        var random = new Random(62);
        // Congested costs unlike the free-flow ones, plus the tie-break times, as in an MSA iteration.
        var cost = Enumerable.Range(0, graph.ArcCount).Select(a => (graph.FreeTimeSeconds[a] * (1 + random.NextDouble())) + graph.TieBreakSeconds[a]).ToArray();
        var (distance, tree) = (new double[graph.NodeCount], new int[graph.NodeCount]);
        var heap = new NodeHeap(graph.NodeCount);
        var settledEarly = 0;
        foreach (var root in zoneNodes.Take(8))
        {
            foreach (var towards in new[] { false, true })
            {
                var (referenceDistance, referenceTree) = ReferenceSearch(graph, root, cost, towards);
                if (towards)
                {
                    graph.ShortestPathsTo(root, cost, distance, tree, heap, targets);
                }
                else
                {
                    graph.ShortestPaths(root, cost, distance, tree, heap, targets);
                }

                foreach (var zone in zoneNodes)
                {
                    Assert.Equal(referenceDistance[zone], distance[zone]);
                    Assert.Equal(Route(graph, referenceTree, zone, towards), Route(graph, tree, zone, towards));
                }

                // Not vacuous: the search stopped before it had reached every node.
                settledEarly += distance.Count(double.IsPositiveInfinity) > 0 ? 1 : 0;
            }
        }

        Assert.True(settledEarly > 0, "no search stopped early");
    }

    [Fact]
    public void The_search_and_the_heap_refuse_buffers_and_nodes_outside_the_graph_before_their_unchecked_reads()
    {
        // The search loop and the heap index their arrays without bounds checks: what they are handed is checked once.
        var (links, _, _, _) = SyntheticCity(side: 11, zonesPerSide: 2);
        var graph = RoadGraph.Build(links, new HashSet<string>());
        var (n, arcs) = (graph.NodeCount, graph.ArcCount);
        var heap = new NodeHeap(n);

        Assert.Throws<ArgumentOutOfRangeException>(() => graph.ShortestPaths(0, new double[arcs - 1], new double[n], new int[n], heap));
        Assert.Throws<ArgumentOutOfRangeException>(() => graph.ShortestPaths(0, new double[arcs], new double[n - 1], new int[n], heap));
        Assert.Throws<ArgumentOutOfRangeException>(() => graph.ShortestPathsTo(0, new double[arcs], new double[n], new int[n - 1], heap));
        Assert.Throws<ArgumentOutOfRangeException>(() => graph.ShortestPaths(0, new double[arcs], new double[n], new int[n], new NodeHeap(n + 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => heap.InsertOrDecrease(n, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => heap.InsertOrDecrease(-1, 0));

        // Buffers of the graph's sizes are taken: the search reaches every node of the connected grid.
        var distance = new double[n];
        graph.ShortestPaths(0, graph.FreeTimeSeconds, distance, new int[n], heap);
        Assert.All(distance, d => Assert.True(double.IsFinite(d)));
    }

    // The arcs of the route between the root and node, walked from node.
    private static List<int> Route(RoadGraph graph, int[] tree, int node, bool towards)
    {
        var route = new List<int>();
        for (; tree[node] >= 0; node = towards ? graph.Head[tree[node]] : graph.Tail[tree[node]])
        {
            route.Add(tree[node]);
        }

        return route;
    }

    // Textbook Dijkstra with the library's priority queue and lazy deletion, searching the whole graph.
    private static (double[] Distance, int[] Tree) ReferenceSearch(RoadGraph graph, int root, double[] cost, bool towards)
    {
        var distance = Enumerable.Repeat(double.PositiveInfinity, graph.NodeCount).ToArray();
        var tree = Enumerable.Repeat(-1, graph.NodeCount).ToArray();
        var arcsAt = Enumerable.Range(0, graph.ArcCount).ToLookup(a => towards ? graph.Head[a] : graph.Tail[a]);
        var queue = new PriorityQueue<int, double>();
        distance[root] = 0;
        queue.Enqueue(root, 0);
        while (queue.TryDequeue(out var node, out var reached))
        {
            if (reached > distance[node])
            {
                continue;
            }

            foreach (var a in arcsAt[node])
            {
                var next = towards ? graph.Tail[a] : graph.Head[a];
                if (reached + cost[a] < distance[next])
                {
                    distance[next] = reached + cost[a];
                    tree[next] = a;
                    queue.Enqueue(next, distance[next]);
                }
            }
        }

        return (distance, tree);
    }
}
