using Tweeling.Models.Accessibility;
using Tweeling.Models.City;

namespace Tweeling.Models.Tests.Accessibility;

/// <summary>
/// The graph export the pgRouting comparison loads (<see cref="AccessibilityGraph"/>): it must be the model's
/// graph, so that another engine's shortest paths on it are the model's distances.
/// </summary>
public sealed class AccessibilityGraphTests
{
    /// <summary>
    /// The hand-computed case of <see cref="AccessibilityModelTests"/>: nodes A(0,0)=0, B(100,0)=1, C(200,0)=2,
    /// D(200,100)=3 and the island's E=4, F=5 (the stroomweg is left out); dwellings W1–W3 are 6–8, then the
    /// pharmacy 9 and the GP 10 (kinds in ordinal order); link A–B is cut where W1 (50 m) and the pharmacy (90 m)
    /// join it (11, 12), the island's link where W3 joins it (13). W2 and the GP join at the nodes B and D.
    /// </summary>
    [Fact]
    public void The_graph_cuts_links_where_points_join_and_joins_each_point_by_its_access_line()
    {
        var graph = AccessibilityGraph.Build(
            AccessibilityModelTests.SmallNetwork(), AccessibilityModelTests.SmallDwellings(), AccessibilityModelTests.SmallFacilities());

        AccessibilityGraph.Edge[] expected =
        [
            new(0, 11, 50), new(6, 11, 20), new(11, 12, 40), new(9, 12, 5), new(7, 1, 45), new(12, 1, 10),
            new(1, 2, 100),
            new(10, 3, 10), new(2, 3, 100),
            new(4, 13, 50), new(8, 13, 10), new(13, 5, 50),
        ];
        Assert.Equal(14, graph.VertexCount);
        Assert.Equal(expected, graph.Edges);
        Assert.Equal([6, 7, 8], graph.DwellingVertices);
        Assert.Equal(["apotheek", "huisarts"], graph.Kinds);
        Assert.Equal([[9], [10]], graph.FacilityVertices);
    }

    /// <summary>
    /// On a 21 × 21 grid with random dwellings and facilities, plus the awkward cases (a dwelling exactly on a
    /// node, two dwellings and a facility at one point, an island without facilities), a textbook Dijkstra on the
    /// exported graph from a vertex joined to each kind's facilities gives the model's distance for every
    /// dwelling and kind, and reaches exactly the dwellings the model reaches.
    /// </summary>
    [Fact]
    public void Shortest_paths_on_the_graph_are_the_model_s_distances()
    {
        var random = new Random(6);
        var links = AccessibilityModelTests.Grid(21, 100, random);
        links.Add(AccessibilityModelTests.Link("eiland", RoadClass.Erftoegangsweg, (5_000, 5_000), (5_100, 5_000)));
        var dwellings = AccessibilityModelTests.RandomDwellings(random, 3_000, 2_000);
        dwellings.AddRange(
        [
            new("op-knoop", AccessibilityModelTests.Point(300, 300), "BU00"),
            new("samen-1", AccessibilityModelTests.Point(1_234, 567), "BU00"),
            new("samen-2", AccessibilityModelTests.Point(1_234, 567), "BU00"),
            new("op-eiland", AccessibilityModelTests.Point(5_050, 5_020), "BU99"),
        ]);
        var facilities = AccessibilityModelTests.RandomFacilities(random, 4, 2_000);
        facilities.Add(new("naast-samen", "huisarts", AccessibilityModelTests.Point(1_234, 567), 1, "fte"));

        var (perDwelling, _, _) = AccessibilityModelTests.Run(links, dwellings, facilities, []);
        var graph = AccessibilityGraph.Build(links, dwellings, facilities);

        var model = perDwelling.ToDictionary(d => (d.DwellingId, d.Kind), d => d.WalkMetres);
        var compared = 0;
        for (var k = 0; k < graph.Kinds.Count; k++)
        {
            var distance = ReferenceDijkstra(graph, graph.FacilityVertices[k]);
            for (var d = 0; d < dwellings.Count; d++)
            {
                var expected = model[(dwellings[d].Id, graph.Kinds[k])];
                var actual = distance[graph.DwellingVertices[d]!.Value];
                Assert.True(
                    expected is { } m ? Math.Abs(m - actual) < 1e-6 : double.IsPositiveInfinity(actual),
                    $"{dwellings[d].Id}, {graph.Kinds[k]}: model {expected?.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? "unreached"}, graph {actual:R}");
                compared++;
            }
        }

        Assert.Equal(dwellings.Count * 7, compared);
        Assert.Equal(7, perDwelling.Count(d => d.DwellingId == "op-eiland" && d.WalkMetres is null));
        // (1234, 567) is 33 m from the street y = 600: to the GP at the same point is the access line there and back.
        Assert.Equal(66, model[("samen-1", "huisarts")]!.Value, 9);
        Assert.Equal(model[("samen-1", "sport")], model[("samen-2", "sport")]);
    }

    /// <summary>
    /// A plain binary-heap Dijkstra over the edge list, written for this test only (independent of the model's
    /// PathNetwork): distances from a virtual vertex joined to <paramref name="sources"/> by zero-length edges.
    /// </summary>
    private static double[] ReferenceDijkstra(AccessibilityGraph graph, IReadOnlyList<int> sources)
    {
        var neighbours = Enumerable.Range(0, graph.VertexCount).Select(_ => new List<(int To, double Metres)>()).ToArray();
        foreach (var (source, target, metres) in graph.Edges)
        {
            neighbours[source].Add((target, metres));
            neighbours[target].Add((source, metres));
        }

        var distance = Enumerable.Repeat(double.PositiveInfinity, graph.VertexCount).ToArray();
        var queue = new PriorityQueue<int, double>();
        foreach (var source in sources)
        {
            distance[source] = 0;
            queue.Enqueue(source, 0);
        }

        var done = new bool[graph.VertexCount];
        while (queue.TryDequeue(out var vertex, out _))
        {
            if (done[vertex])
            {
                continue;
            }

            done[vertex] = true;
            foreach (var (to, metres) in neighbours[vertex])
            {
                if (distance[vertex] + metres < distance[to])
                {
                    distance[to] = distance[vertex] + metres;
                    queue.Enqueue(to, distance[to]);
                }
            }
        }

        return distance;
    }
}
