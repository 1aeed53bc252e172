using Tweeling.Models.City;
using Tweeling.Models.Tests.Scenario;
using Tweeling.Models.Traffic;
using static Tweeling.Models.Tests.Traffic.TestNetworks;

namespace Tweeling.Models.Tests.Traffic;

/// <summary>
/// The contraction hierarchy the assignment's rounds search on (docs/models/verkeer.md "Path searches"): a tree it finds is
/// only taken when it is the tree of a complete Dijkstra search, costs and arcs bit for bit, and it must refuse the others.
/// </summary>
[Collection(DemoCityStoreCollection.Name)]
public sealed class RoadHierarchyTests(DemoCityStore demo)
{
    [Fact]
    public void On_irregular_networks_every_root_gets_the_costs_and_tree_of_a_complete_search_bit_for_bit()
    {
        foreach (var seed in new[] { 71, 72, 73 })
        {
            var random = new Random(seed);
            var graph = RoadGraph.Build(IrregularNetwork(random, points: 400), new HashSet<string>());
            var cost = CongestedCosts(graph, random);
            var hierarchy = RoadHierarchy.Build(graph);
            var metric = hierarchy.Customise(cost);
            var query = new RoadHierarchy.Query(hierarchy);

            for (var root = 0; root < graph.NodeCount; root++)
            {
                var (distance, tree) = Dijkstra(graph, root, cost);
                var (hierarchyDistance, hierarchyTree) = (new double[graph.NodeCount], new int[graph.NodeCount]);

                // Continuous random costs have no ties, so every tree is taken.
                Assert.True(query.TryRun(metric, root, cost, hierarchyDistance, hierarchyTree), $"seed {seed}: root {root} was refused");
                Assert.Equal(tree, hierarchyTree);
                Assert.Equal(Bits(distance), Bits(hierarchyDistance));
            }

            // Not vacuous: shortcuts were made, and some nodes cannot reach others (one-way links at the edge).
            Assert.True(hierarchy.EdgeCount > graph.ArcCount / 2, $"seed {seed}: {hierarchy.EdgeCount} edges, no shortcuts");
        }
    }

    [Fact]
    public void On_the_demo_city_every_zone_gets_the_costs_and_tree_of_a_complete_search_bit_for_bit()
    {
        var links = (IReadOnlyList<RoadLink>)demo.City.Inputs([])[TrafficPorts.RoadLinks.Name];
        var zones = (IReadOnlyList<TrafficZone>)demo.City.Inputs([])[TrafficPorts.Zones.Name];
        var graph = RoadGraph.Build(links, new HashSet<string>());
        var cost = CongestedCosts(graph, new Random(74));
        var hierarchy = RoadHierarchy.Build(graph);
        var query = new RoadHierarchy.Query(hierarchy);
        var (hierarchyDistance, hierarchyTree) = (new double[graph.NodeCount], new int[graph.NodeCount]);

        // The free-flow route costs (the assignment's first round) and congested ones.
        foreach (var costs in new[] { graph.FreeTimeSeconds.Zip(graph.TieBreakSeconds, (t, b) => t + b).ToArray(), cost })
        {
            var metric = hierarchy.Customise(costs);
            foreach (var root in zones.Select(z => graph.NearestNode(z.Centroid.Coordinate)).Distinct())
            {
                var (distance, tree) = Dijkstra(graph, root, costs);
                Assert.True(query.TryRun(metric, root, costs, hierarchyDistance, hierarchyTree), $"root {root} was refused");
                Assert.Equal(tree, hierarchyTree);
                Assert.Equal(Bits(distance), Bits(hierarchyDistance));
            }
        }
    }

    [Fact]
    public void Equal_routes_are_refused_as_the_search_settles_ties_by_its_own_order()
    {
        // A grid of equal arcs has many routes of the same cost to most nodes: which one Dijkstra takes depends on the
        // order it meets them, so no tree found another way may be taken as its.
        var (links, _, _, _) = SyntheticCity(side: 15, zonesPerSide: 2);
        var graph = RoadGraph.Build(links, new HashSet<string>());
        var cost = Enumerable.Repeat(1.0, graph.ArcCount).ToArray();
        var hierarchy = RoadHierarchy.Build(graph);
        var metric = hierarchy.Customise(cost);
        var query = new RoadHierarchy.Query(hierarchy);
        var (distance, tree) = (new double[graph.NodeCount], new int[graph.NodeCount]);

        for (var root = 0; root < graph.NodeCount; root++)
        {
            Assert.False(query.TryRun(metric, root, cost, distance, tree), $"root {root} was taken despite ties");
        }
    }

    [Fact]
    public void A_tree_other_than_the_search_s_is_refused()
    {
        var random = new Random(75);
        var graph = RoadGraph.Build(IrregularNetwork(random, points: 200), new HashSet<string>());
        var cost = CongestedCosts(graph, random);
        var walk = new int[graph.NodeCount];
        var distance = new double[graph.NodeCount];
        var (_, tree) = Dijkstra(graph, 0, cost);
        Assert.True(RoadHierarchy.IsDijkstraTree(graph, 0, cost, distance, tree, walk));

        // Each node reached by another arc than its own: a dearer route, or one from a node the tree reaches through it.
        var swaps = 0;
        for (var a = 0; a < graph.ArcCount; a++)
        {
            var head = graph.Head[a];
            if (tree[head] >= 0 && tree[head] != a)
            {
                var changed = (int[])tree.Clone();
                changed[head] = a;
                Assert.False(RoadHierarchy.IsDijkstraTree(graph, 0, cost, distance, changed, walk), $"arc {a} into {head} was taken");
                swaps++;
            }
        }

        // A reached node left out, and the root given an arc.
        var unreached = (int[])tree.Clone();
        unreached[Array.FindIndex(tree, a => a >= 0)] = -1;
        Assert.False(RoadHierarchy.IsDijkstraTree(graph, 0, cost, distance, unreached, walk));
        var rooted = (int[])tree.Clone();
        rooted[0] = 0;
        Assert.False(RoadHierarchy.IsDijkstraTree(graph, 0, cost, distance, rooted, walk));
        Assert.True(swaps > 100, $"only {swaps} swaps tried");
    }

    // Points scattered over 3 × 3 km, each joined to its three nearest, one link in five one-way, speeds 30–80 km/h.
    private static List<RoadLink> IrregularNetwork(Random random, int points)
    {
        var at = Enumerable.Range(0, points).Select(_ => (X: random.NextDouble() * 3_000, Y: random.NextDouble() * 3_000)).ToArray();
        var links = new List<RoadLink>();
        var joined = new HashSet<(int, int)>();
        for (var p = 0; p < points; p++)
        {
            var nearest = Enumerable.Range(0, points).Where(q => q != p)
                .OrderBy(q => Math.Pow(at[q].X - at[p].X, 2) + Math.Pow(at[q].Y - at[p].Y, 2)).Take(3);
            foreach (var q in nearest)
            {
                if (joined.Add((Math.Min(p, q), Math.Max(p, q))))
                {
                    var speed = 30 + (10 * random.Next(6));
                    links.Add(Link($"l-{p}-{q}", at[p].X, at[p].Y, at[q].X, at[q].Y, RoadClass.Gebiedsontsluitingsweg, speed, oneWay: random.Next(5) == 0));
                }
            }
        }

        return links;
    }

    // Costs unlike the free-flow ones, plus the tie-break times, as in a later round of the assignment.
    private static double[] CongestedCosts(RoadGraph graph, Random random) =>
        [.. Enumerable.Range(0, graph.ArcCount).Select(a => (graph.FreeTimeSeconds[a] * (1 + random.NextDouble())) + graph.TieBreakSeconds[a])];

    private static (double[] Distance, int[] Tree) Dijkstra(RoadGraph graph, int root, double[] cost)
    {
        var (distance, tree) = (new double[graph.NodeCount], new int[graph.NodeCount]);
        graph.ShortestPaths(root, cost, distance, tree, new NodeHeap(graph.NodeCount));
        return (distance, tree);
    }

    private static long[] Bits(double[] values) => [.. values.Select(BitConverter.DoubleToInt64Bits)];
}
