using System.Runtime.CompilerServices;
using NetTopologySuite.Geometries;
using Tweeling.Models.City;

namespace Tweeling.Models.Traffic;

/// <summary>
/// What a full run computes from the road network and the zones' positions alone, kept beside the list of road links
/// (docs/models/verkeer.md "Network rounds"): the graph, the zones' nodes and origins, and the two rounds of path searches
/// whose costs do not depend on the trips — the free-flow times of the distribution and the routes of the assignment's
/// first iteration. A later full run on the same network (a fresh graph, another scenario runner, the baseline run of a
/// scenario, a scenario that changes no road) takes them instead of searching again, so it makes 6 of the 8 rounds.
/// </summary>
public sealed partial class TrafficModel
{
    // Networks kept per list of road links (closures and zonings differ): the baseline's and a few scenarios' closures.
    private const int NetworksPerLinkList = 4;

    // Process-wide and weak (an entry lives as long as its list of links, and port values are immutable): each entry
    // depends on its key, the closures, the zones' centroids and the maximum of origins alone, not on the model instance.
    private static readonly ConditionalWeakTable<IReadOnlyList<RoadLink>, List<NetworkSearches>> s_networks = [];

    // The network of these links, closures and zones: a kept one when a run has seen it, else built and kept.
    private NetworkSearches NetworkOf(IReadOnlyList<RoadLink> links, HashSet<string> closed, IReadOnlyList<TrafficZone> zones)
    {
        var kept = s_networks.GetValue(links, _ => []);
        lock (kept)
        {
            if (kept.Find(n => n.Serves(closed, zones, _parameters.MaximumOrigins)) is { } found)
            {
                return found;
            }
        }

        var graph = RoadGraph.Build(links, closed);
        var zoneNode = zones.Select(z => graph.NearestNode(z.Centroid.Coordinate)).ToArray();
        var origins = OriginGroups.Of([.. zones.Select(z => z.Centroid.Coordinate)], zoneNode, _parameters.MaximumOrigins);
        var network = new NetworkSearches(closed, [.. zones.Select(z => z.Centroid)], _parameters.MaximumOrigins, graph, zoneNode, origins);
        lock (kept)
        {
            if (kept.Count >= NetworksPerLinkList)
            {
                kept.RemoveAt(0);
            }

            kept.Add(network);
        }

        return network;
    }

    private static bool SameCentroid(Point a, Point b) => ReferenceEquals(a, b) || a.EqualsExact(b);

    /// <summary>
    /// The graph of one road network with its zones' nodes and origins, and the searches on it whose costs are the network's
    /// own: per origin, the free-flow network time to every zone (the distribution) and the routes to every zone on the
    /// free-flow route costs (the assignment's first iteration, before any flow). Each origin's are filled at the first run
    /// that searches from it and read by every later one; a search gives the same result every time, so a run that reads
    /// them gives the flows of a run that searches, bit for bit.
    /// </summary>
    private sealed class NetworkSearches
    {
        private readonly HashSet<string> _closed;
        private readonly Point[] _centroids;
        private readonly int _maximumOrigins;

        // Per origin: the network seconds from its hub to each zone's node (infinite where unreachable or without a node).
        private readonly double[]?[] _freeFlowSeconds;

        // Per origin: its routes on the first round's costs (the route costs before any flow), and those costs (KeepsRoutesOn).
        private readonly OriginRoutes?[] _firstRoutes;
        private double[]? _firstRoundCost;

        public NetworkSearches(HashSet<string> closed, Point[] centroids, int maximumOrigins, RoadGraph graph, int[] zoneNode, OriginGroups origins)
        {
            (_closed, _centroids, _maximumOrigins) = (closed, centroids, maximumOrigins);
            (Graph, ZoneNode, Origins) = (graph, zoneNode, origins);
            Targets = new SearchTargets(graph.NodeCount, zoneNode);
            _freeFlowSeconds = new double[origins.Count][];
            _firstRoutes = new OriginRoutes[origins.Count];
        }

        public RoadGraph Graph { get; }

        /// <summary>The ids of the closed links the graph leaves out.</summary>
        public IReadOnlySet<string> Closed => _closed;

        /// <summary>Each zone's network node (−1: none).</summary>
        public int[] ZoneNode { get; }

        /// <summary>The zones' nodes: what every path search must settle.</summary>
        public SearchTargets Targets { get; }

        public OriginGroups Origins { get; }

        /// <summary>Whether this is the network of a run with <paramref name="closed"/> links and <paramref name="zones"/> (their centroids).</summary>
        public bool Serves(HashSet<string> closed, IReadOnlyList<TrafficZone> zones, int maximumOrigins)
        {
            if (maximumOrigins != _maximumOrigins || zones.Count != _centroids.Length || !_closed.SetEquals(closed))
            {
                return false;
            }

            for (var i = 0; i < zones.Count; i++)
            {
                if (!SameCentroid(zones[i].Centroid, _centroids[i]))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// The free-flow network seconds from <paramref name="origin"/>'s hub to each zone's node, searched the first time
        /// (with <paramref name="paths"/>, or buffers of its own).
        /// </summary>
        public double[] FreeFlowSeconds(int origin, PathSearch? paths = null)
        {
            if (_freeFlowSeconds[origin] is { } kept)
            {
                return kept;
            }

            paths ??= new PathSearch(Graph, Targets);
            paths.Run(Origins.Hub[origin], Graph.FreeTimeSeconds);
            var seconds = new double[ZoneNode.Length];
            for (var j = 0; j < seconds.Length; j++)
            {
                seconds[j] = ZoneNode[j] < 0 ? double.PositiveInfinity : paths.Distance[ZoneNode[j]];
            }

            _freeFlowSeconds[origin] = seconds;
            return seconds;
        }

        /// <summary>
        /// Whether <paramref name="cost"/> are the costs the kept routes (<see cref="FirstRoutes"/>) are on: the route costs
        /// before any flow, which depend on the network alone. The first run to ask sets them; a run whose costs differ
        /// (another parameter set) searches itself.
        /// </summary>
        public bool KeepsRoutesOn(double[] cost)
        {
            var kept = Volatile.Read(ref _firstRoundCost) ?? Interlocked.CompareExchange(ref _firstRoundCost, (double[])cost.Clone(), null) ?? _firstRoundCost!;
            return kept.AsSpan().SequenceEqual(cost);
        }

        /// <summary>
        /// <paramref name="origin"/>'s routes to every zone on the first round's costs <paramref name="cost"/> (only when
        /// <see cref="KeepsRoutesOn"/> them), searched with <paramref name="paths"/> the first time.
        /// </summary>
        public OriginRoutes FirstRoutes(int origin, double[] cost, PathSearch paths)
        {
            if (_firstRoutes[origin] is { } kept)
            {
                return kept;
            }

            paths.Run(Origins.Hub[origin], cost);
            var routes = OriginRoutes.Of(Graph, ZoneNode, paths.TreeArc);
            _firstRoutes[origin] = routes;
            return routes;
        }
    }

    /// <summary>
    /// One origin's routes to every zone: the arcs of the route to zone j, walked from j's node back to the origin, are
    /// <c>Arcs[Start[j] .. Start[j + 1]]</c> (none for an unreachable zone or one without a node).
    /// </summary>
    private sealed record OriginRoutes(int[] Arcs, int[] Start)
    {
        /// <summary>The routes along a search's tree (<see cref="PathSearch.TreeArc"/>).</summary>
        public static OriginRoutes Of(RoadGraph graph, int[] zoneNode, int[] treeArc)
        {
            var start = new int[zoneNode.Length + 1];
            var arcs = new List<int>();
            for (var j = 0; j < zoneNode.Length; j++)
            {
                start[j] = arcs.Count;
                if (zoneNode[j] >= 0)
                {
                    for (var node = zoneNode[j]; treeArc[node] >= 0; node = graph.Tail[treeArc[node]])
                    {
                        arcs.Add(treeArc[node]);
                    }
                }
            }

            start[zoneNode.Length] = arcs.Count;
            return new OriginRoutes([.. arcs], start);
        }

        /// <summary>Adds <paramref name="trips"/> to <paramref name="load"/> along the route to zone <paramref name="zone"/>, in the order a walk of the tree adds them.</summary>
        public void Load(int zone, double trips, double[] load)
        {
            for (var i = Start[zone]; i < Start[zone + 1]; i++)
            {
                load[Arcs[i]] += trips;
            }
        }
    }
}
