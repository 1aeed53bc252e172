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

    private RoadGraph(
        int nodeCount, Coordinate[] nodes, int[] firstArc, int[] tail, int[] head, int[] link, RoadClass[] classes, double[] freeTimeSeconds, double[] capacityPerHour)
    {
        NodeCount = nodeCount;
        Nodes = nodes;
        _firstArc = firstArc;
        Tail = tail;
        Head = head;
        Link = link;
        _classes = classes;
        FreeTimeSeconds = freeTimeSeconds;
        CapacityPerHour = capacityPerHour;
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

    /// <summary>Each arc's free-flow travel time: length over speed limit, seconds.</summary>
    public double[] FreeTimeSeconds { get; }

    /// <summary>Each arc's capacity in vehicles per hour.</summary>
    public double[] CapacityPerHour { get; }

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
        var times = new List<double>();
        var capacities = new List<double>();
        for (var i = 0; i < links.Count; i++)
        {
            var link = links[i];
            if (!IsDrivable(link, closed))
            {
                continue;
            }

            var from = Node(link.Geometry.StartPoint.Coordinate);
            var to = Node(link.Geometry.EndPoint.Coordinate);
            var seconds = link.Geometry.Length / (SpeedKmh(link) / 3.6);
            var capacity = TrafficParameters.CapacityPerHour(link.Class);
            AddArc(from, to, i, seconds, capacity);
            if (!link.OneWay)
            {
                AddArc(to, from, i, seconds, capacity);
            }
        }

        // Compressed rows: arcs sorted by tail (stable, so the input order decides ties and runs are deterministic).
        var firstArc = new int[nodes.Count + 1];
        foreach (var tail in tails)
        {
            firstArc[tail + 1]++;
        }

        for (var n = 0; n < nodes.Count; n++)
        {
            firstArc[n + 1] += firstArc[n];
        }

        var next = (int[])firstArc.Clone();
        var order = new int[tails.Count];
        for (var a = 0; a < tails.Count; a++)
        {
            order[next[tails[a]]++] = a;
        }

        return new RoadGraph(
            nodes.Count,
            [.. nodes],
            firstArc,
            [.. order.Select(a => tails[a])],
            [.. order.Select(a => heads[a])],
            [.. order.Select(a => linkOfArc[a])],
            [.. order.Select(a => links[linkOfArc[a]].Class)],
            [.. order.Select(a => times[a])],
            [.. order.Select(a => capacities[a])]);

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

        void AddArc(int from, int to, int link, double seconds, double capacity)
        {
            tails.Add(from);
            heads.Add(to);
            linkOfArc.Add(link);
            times.Add(seconds);
            capacities.Add(capacity);
        }
    }

    /// <summary>The road class of arc <paramref name="arc"/>'s link.</summary>
    public RoadClass LinkClass(int arc) => _classes[arc];

    /// <summary>Whether motor traffic may drive the link: not a cycle path and not closed.</summary>
    public static bool IsDrivable(RoadLink link, IReadOnlySet<string> closed) =>
        link.Class != RoadClass.Fietspad && !closed.Contains(link.Id) && link.Geometry.NumPoints >= 2;

    /// <summary>The free-flow speed of a motor link: its speed limit, or its class's usual limit when it has none.</summary>
    public static double SpeedKmh(RoadLink link) =>
        link.SpeedLimitKmh is > 0 and var limit ? limit : TrafficParameters.DefaultSpeedKmh(link.Class);

    /// <summary>The node nearest to <paramref name="point"/> (ties: the lowest index), or −1 when the graph has no nodes.</summary>
    public int NearestNode(Coordinate point)
    {
        var best = -1;
        var bestDistance = double.PositiveInfinity;
        for (var n = 0; n < NodeCount; n++)
        {
            var distance = Nodes[n].Distance(point);
            if (distance < bestDistance)
            {
                best = n;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>
    /// Dijkstra from <paramref name="source"/> with arc costs <paramref name="cost"/>: fills the cost to every node
    /// (infinity when unreachable) and the arc each node is reached by (−1 for the source and unreachable nodes).
    /// </summary>
    public void ShortestPaths(int source, double[] cost, double[] distance, int[] predecessorArc, PriorityQueue<int, double> queue)
    {
        Array.Fill(distance, double.PositiveInfinity);
        Array.Fill(predecessorArc, -1);
        queue.Clear();
        distance[source] = 0;
        queue.Enqueue(source, 0);
        while (queue.TryDequeue(out var node, out var reached))
        {
            if (reached > distance[node])
            {
                continue;
            }

            for (var a = _firstArc[node]; a < _firstArc[node + 1]; a++)
            {
                var candidate = reached + cost[a];
                var head = Head[a];
                if (candidate < distance[head])
                {
                    distance[head] = candidate;
                    predecessorArc[head] = a;
                    queue.Enqueue(head, candidate);
                }
            }
        }
    }
}
