using Tweeling.Models.Graph;

namespace Tweeling.Models.Traffic;

/// <summary>
/// The traffic model warm-started from its baseline (<see cref="IWarmStartedModel"/>, docs/scenarios.md "Incremental
/// runs", docs/models/verkeer.md "Warm start"): the one model with a stated tolerance instead of bit-equality.
/// </summary>
/// <remarks>
/// <para>
/// An edit of dwellings (or of zone traffic factors) changes the trips of a few zones: with unchanged jobs and
/// facilities, the gravity distribution changes exactly the rows of those origins and, through the destination factor,
/// their columns. The scenario's trip matrix is therefore rebuilt exactly (the baseline's rows of every other zone,
/// recomputed rows for the changed ones), so trip totals equal a full run's. The assignment is not redone: the flow
/// after K Frank–Wolfe iterations is a weighted sum of K all-or-nothing loads (the weights follow from the steps), linear
/// in the trips for given costs and steps, so the scenario's flow is the baseline's plus the same weighted sum of the
/// changed trips' loads with the baseline's steps (the scenario's trips minus the baseline's, each on its own iteration's
/// costs; the scenario's costs are the baseline's plus the BPR effect of the difference so far). What this leaves out is the re-routing of the unchanged trips around the new congestion: the known error, bounded in
/// <c>TrafficWarmStartTests</c>.
/// </para>
/// <para>
/// An arc whose flow moved by less than <see cref="SnapCarsPerDay"/> or <see cref="SnapShare"/> of its baseline flow
/// keeps the baseline's flow bit for bit, so its link's output equals the baseline's and the models downstream see it
/// unchanged. The result is a function of the scenario's inputs and the baseline's inputs alone: the baseline's
/// equilibrium is remembered from its full run, or computed again by a full run on the baseline's inputs.
/// </para>
/// </remarks>
public sealed partial class TrafficModel : IWarmStartedModel
{
    /// <summary>An arc whose flow changed by less than this many cars per day keeps the baseline's flow.</summary>
    public const double SnapCarsPerDay = 1;

    /// <summary>An arc whose flow changed by less than this share of its baseline flow keeps the baseline's flow (0.5 %: 0.02 dB of traffic noise).</summary>
    public const double SnapShare = 0.005;

    /// <summary>
    /// The finest output resolution of an arc's flow: flows are reported in whole cars a day, or in the largest power of
    /// two below <see cref="SnapShare"/> of the flow where that is coarser.
    /// </summary>
    public const double ResolutionCarsPerDay = 1;

    /// <summary>More zones with changed trips than this and the run is a full one (each costs four path searches per iteration).</summary>
    public const int MaximumChangedZones = 16;

    // The full runs' equilibria kept for warm starts: one that served as a baseline goes last, so a scenario's full runs
    // (road edits) do not push out the baseline every edit starts from.
    private readonly KeptRunStates<Equilibrium> _equilibria = new(capacity: 2, keepFound: true);

    /// <inheritdoc />
    /// <remarks>
    /// Declines (a full run follows) when the roads, the closures, the jobs and facilities or the zones themselves
    /// changed, or when more than <see cref="MaximumChangedZones"/> zones' trips changed.
    /// </remarks>
    public bool TryRunIncremental(ModelRun run, PreviousRun previous, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(previous);
        // New roads, closures or speeds change every free-flow time; new jobs or facilities rescale every origin's row.
        if (previous.HasChanged(TrafficPorts.RoadLinks) || previous.HasChanged(TrafficPorts.ClosedLinks)
            || (previous.HasChanged(TrafficPorts.Activity) && !previous.Input(TrafficPorts.Activity).SequenceEqual(run.Input(TrafficPorts.Activity))))
        {
            return false;
        }

        var zones = run.Input(TrafficPorts.Zones);
        var zonesBefore = previous.Input(TrafficPorts.Zones);
        // The origin groups (more zones than TrafficParameters.MaximumOrigins) are a function of the zones' centroids and
        // the network: the same zones keep the baseline's groups and hubs, which the superposition below replays. Moved or
        // new zones may regroup the city: a full run.
        if (!SameZonesApartFromFactors(zones, zonesBefore))
        {
            return false;
        }

        var zoneIndex = IndexZones(zones);
        var productions = Productions(zones, zoneIndex, run.Input(TrafficPorts.Dwellings));
        var productionsBefore = Productions(zonesBefore, zoneIndex, previous.Input(TrafficPorts.Dwellings));
        var changedZones = Enumerable.Range(0, zones.Count)
            .Where(i => zones[i].TrafficFactor != zonesBefore[i].TrafficFactor || productions[i] != productionsBefore[i])
            .ToList();
        if (changedZones.Count > MaximumChangedZones)
        {
            return false;
        }

        var baseline = BaselineEquilibrium(run.Seed, previous, cancellationToken);
        var network = baseline.Network with { Zones = zones };
        var shares = (double[]?[])baseline.Shares.Clone();
        foreach (var zone in changedZones)
        {
            shares[zone] = productions[zone] * zones[zone].TrafficFactor <= 0 || network.ZoneNode[zone] < 0
                ? null
                // From its origin's free-flow times (its own node's, or its group's hub's), as in the full run: kept with the network.
                : SharesFrom(network, productions, zone, network.Searches.FreeFlowSeconds(network.Origins.OriginOf[zone]));
        }

        var (demand, totals) = Demand(zones, productions, shares);
        var arcFlow = changedZones.Count == 0 ? baseline.Flow : WarmStartFlow(baseline, demand, changedZones, cancellationToken);
        // The roads and closures are the baseline's (above), checked by its full run: its closed set, not a new check of every link id.
        WriteOutputs(run, run.Input(TrafficPorts.RoadLinks), network.Searches.Closed, network.Graph, arcFlow, totals, baseline.Written);
        return true;
    }

    private static bool SameZonesApartFromFactors(IReadOnlyList<TrafficZone> zones, IReadOnlyList<TrafficZone> before)
    {
        if (zones.Count != before.Count)
        {
            return false;
        }

        for (var i = 0; i < zones.Count; i++)
        {
            if (zones[i].Code != before[i].Code || !SameCentroid(zones[i].Centroid, before[i].Centroid))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The scenario's arc flows: the baseline's plus the weighted sum over the assignment iterations (the baseline's steps) of the changed trips' loads (the
    /// scenario's trips of the changed zones on the scenario's costs minus the baseline's on the baseline's), snapped
    /// back to the baseline's flow where the change is below the tolerance.
    /// </summary>
    /// <remarks>
    /// The baseline's routes of a zone are the same in every edit of that zone, so they are searched once and kept with
    /// the equilibrium (<see cref="Equilibrium.RoutesOf"/>). The scenario's searches of an iteration (from and towards each
    /// changed zone) run in parallel, each loading its own array; the arrays are added in a fixed order, so the flows do
    /// not depend on the thread count.
    /// </remarks>
    private double[] WarmStartFlow(Equilibrium baseline, double[,] demand, List<int> changedZones, CancellationToken cancellationToken)
    {
        var network = baseline.Network;
        var graph = network.Graph;
        var (zoneNode, departureNode) = (network.ZoneNode, network.Origins.DepartureNode);
        var isChanged = new bool[zoneNode.Length];
        changedZones.ForEach(z => isChanged[z] = true);
        var searched = changedZones.Where(z => zoneNode[z] >= 0).ToList();
        var baselineRoutes = searched.Select(z => baseline.RoutesOf(z, cancellationToken)).ToList();
        var delta = new double[graph.ArcCount];
        var touched = new List<int>();
        var isTouched = new bool[graph.ArcCount];
        var load = new double[graph.ArcCount];
        var cost = new double[graph.ArcCount];

        // One load array per scenario search: from the changed zone, towards it.
        var searchLoads = new double[2 * searched.Count][];
        for (var k = 1; k <= baseline.Iterations.Length; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var start = baseline.Iterations[k - 1];
            Array.Copy(start.Cost, cost, cost.Length);
            foreach (var a in touched)
            {
                cost[a] = BprSeconds(graph, a, start.Flow[a] + delta[a]);
            }

            // Until a flow has moved (the first iteration) the scenario's costs are the baseline's, and so are its routes.
            var baselineCosts = touched.Count == 0;
            Parallel.For(
                0,
                searchLoads.Length,
                new ParallelOptions { CancellationToken = cancellationToken },
                () => new TreeSearch(graph),
                (s, _, trees) =>
                {
                    var (zone, towards, routes) = (searched[s / 2], s % 2 == 1, baselineRoutes[s / 2]);
                    var searchLoad = searchLoads[s] ??= new double[graph.ArcCount];
                    Array.Clear(searchLoad);
                    var treeArc = baselineCosts
                        ? (towards ? routes.Towards[k - 1] : routes.From[k - 1])
                        : baseline.ScenarioTree(new TreeKey(zone, towards, k), towards ? zoneNode[zone] : departureNode[zone], cost, trees).TreeArc;
                    if (towards)
                    {
                        LoadTowards(network, isChanged, treeArc, zone, demand, 1, searchLoad);
                    }
                    else
                    {
                        LoadFrom(network, treeArc, zone, demand, 1, searchLoad);
                    }

                    return trees;
                },
                _ => { });

            // Per zone: its trips on the scenario's routes, then the baseline's same trips taken off on the baseline's.
            Array.Clear(load);
            for (var z = 0; z < searched.Count; z++)
            {
                var (zone, routes) = (searched[z], baselineRoutes[z]);
                Add(load, searchLoads[2 * z]);
                LoadFrom(network, routes.From[k - 1], zone, baseline.Demand, -1, load);
                Add(load, searchLoads[(2 * z) + 1]);
                LoadTowards(network, isChanged, routes.Towards[k - 1], zone, baseline.Demand, -1, load);
            }

            for (var a = 0; a < graph.ArcCount; a++)
            {
                if (load[a] != 0 || delta[a] != 0)
                {
                    delta[a] += start.Step * (load[a] - delta[a]);
                    if (!isTouched[a])
                    {
                        isTouched[a] = true;
                        touched.Add(a);
                    }
                }
            }
        }

        var flow = (double[])baseline.Flow.Clone();
        foreach (var a in touched)
        {
            var changed = Math.Abs(delta[a]);
            if (changed >= SnapCarsPerDay && changed >= SnapShare * baseline.Flow[a])
            {
                // A sum of loads that cancel can end a hair below zero.
                flow[a] = Math.Max(0, baseline.Flow[a] + delta[a]);
            }
        }

        return flow;
    }

    /// <summary>
    /// The arc flows on the output resolution (full and warm-started runs alike): each rounded to whole cars a day, or to
    /// the largest power of two cars not above <see cref="SnapShare"/> of it where that is coarser (error ≤ 0.5 car a day or
    /// 0.25 %, below the warm start's own tolerance). A fixed grid makes the output a function of the flow alone, so the
    /// warm starts of two successive edits (one dwelling apart) give bit-identical records on every link whose flows stay in
    /// the same grid step — most links, where the unrounded flows would all differ in their last digits — and the models
    /// downstream recompute only around the links that moved.
    /// </summary>
    /// <remarks>With <paramref name="baseline"/>, an arc whose flow is the baseline's, bit for bit, takes its resolved flow.</remarks>
    private static double[] OnOutputResolution(double[] arcFlow, LinkOutputs? baseline)
    {
        var resolved = new double[arcFlow.Length];
        for (var a = 0; a < arcFlow.Length; a++)
        {
            var flow = arcFlow[a];
            if (baseline is not null && SameBits(flow, baseline.Flow[a]))
            {
                resolved[a] = baseline.Resolved[a];
                continue;
            }

            // A power of two: the division and the product are exact, so the grid has no rounding of its own.
            var step = Math.Max(ResolutionCarsPerDay, Math.Pow(2, Math.Floor(Math.Log2(flow * SnapShare))));
            resolved[a] = Math.Round(flow / step, MidpointRounding.AwayFromZero) * step;
        }

        return resolved;
    }

    private static void Add(double[] total, double[] part)
    {
        for (var a = 0; a < total.Length; a++)
        {
            total[a] += part[a];
        }
    }

    // Loads the origin's trips to every destination along a tree of routes from its departure node (arcs reached by).
    private static void LoadFrom(ZoneNetwork network, int[] treeArc, int origin, double[,] trips, int sign, double[] load)
    {
        var (zoneNode, tail) = (network.ZoneNode, network.Graph.Tail);
        for (var j = 0; j < zoneNode.Length; j++)
        {
            var cars = trips[origin, j];
            if (cars > 0 && zoneNode[j] >= 0)
            {
                for (var node = zoneNode[j]; treeArc[node] >= 0; node = tail[treeArc[node]])
                {
                    load[treeArc[node]] += sign * cars;
                }
            }
        }
    }

    // Loads the trips of the unchanged zones to the destination along a tree of routes towards it (arcs left by), each from
    // its zone's departure node (its own, or its group's hub: where the full run's search loaded it from); trips between
    // two changed zones were loaded with the origin's row.
    private static void LoadTowards(ZoneNetwork network, bool[] isChanged, int[] treeArc, int destination, double[,] trips, int sign, double[] load)
    {
        var (departureNode, head) = (network.Origins.DepartureNode, network.Graph.Head);
        for (var i = 0; i < departureNode.Length; i++)
        {
            var cars = trips[i, destination];
            if (cars > 0 && !isChanged[i] && departureNode[i] >= 0)
            {
                for (var node = departureNode[i]; treeArc[node] >= 0; node = head[treeArc[node]])
                {
                    load[treeArc[node]] += sign * cars;
                }
            }
        }
    }

    // The equilibrium of the full run that wrote previous's outputs, or of a full run on previous's inputs when it is no longer kept.
    private Equilibrium BaselineEquilibrium(int seed, PreviousRun previous, CancellationToken cancellationToken)
    {
        if (RememberedEquilibrium(previous.Output(TrafficPorts.LinkTraffic)) is { } remembered)
        {
            return remembered;
        }

        var outputs = ModelRun.Execute(this, previous.Inputs, seed, cancellationToken);
        return RememberedEquilibrium(outputs[TrafficPorts.LinkTraffic.Name])!;
    }

    private Equilibrium? RememberedEquilibrium(object output) => _equilibria.Find(output);

    private void RememberEquilibrium(object output, Equilibrium state) => _equilibria.Keep(output, state);

    /// <summary>The zones and the network the trips run on: what a warm start shares with its baseline.</summary>
    private sealed record ZoneNetwork(IReadOnlyList<TrafficZone> Zones, NetworkSearches Searches, double[] ConnectorSeconds, double[] Attractions)
    {
        public RoadGraph Graph => Searches.Graph;

        /// <summary>Each zone's network node (−1: none).</summary>
        public int[] ZoneNode => Searches.ZoneNode;

        /// <summary>The origins the assignment searches from: one per zone, or groups of zones that depart from a hub.</summary>
        public OriginGroups Origins => Searches.Origins;

        /// <summary>The zones' nodes: what every path search must settle.</summary>
        public SearchTargets Targets => Searches.Targets;
    }

    /// <summary>The flow and the costs (BPR seconds) an assignment iteration started from, and the step it took towards its load.</summary>
    private sealed record IterationStart(double[] Flow, double[] Cost, double Step);

    /// <summary>
    /// The routes of a zone's trips on the baseline's costs of each assignment iteration: the tree from the zone and the tree
    /// towards it (arc per node, <see cref="PathSearch.TreeArc"/>), K of each.
    /// </summary>
    private sealed record ZoneRoutes(int[][] From, int[][] Towards);

    /// <summary>Which scenario tree: the changed zone it is searched from (or towards) and the assignment iteration, 1-based.</summary>
    private readonly record struct TreeKey(int Zone, bool Towards, int Iteration);

    /// <summary>
    /// A complete shortest-path tree (every node the root reaches, <see cref="PathSearch.TreeArc"/>'s meaning) and its
    /// reached nodes in an order where each comes after the node its tree arc leads from (root first).
    /// </summary>
    private sealed record KeptTree(int[] TreeArc, int[] Order);

    /// <summary>
    /// The scenario's shortest-path trees of a warm start: a complete search, or the check that a kept tree is still
    /// the shortest-path tree on new costs. The check is linear (one pass over the tree's nodes, one over the arcs, no
    /// heap) where a search is a Dijkstra; a check that holds proves the tree is the one a search would find, bit for bit.
    /// </summary>
    private sealed class TreeSearch(RoadGraph graph)
    {
        private readonly NodeHeap _heap = new(graph.NodeCount);
        private readonly double[] _distance = new double[graph.NodeCount];

        /// <summary>A complete Dijkstra from (or towards) <paramref name="root"/> on <paramref name="cost"/>, not stopped at the zones: a tree to check later edits against.</summary>
        public KeptTree Search(int root, bool towards, double[] cost)
        {
            var treeArc = new int[graph.NodeCount];
            if (towards)
            {
                graph.ShortestPathsTo(root, cost, _distance, treeArc, _heap);
            }
            else
            {
                graph.ShortestPaths(root, cost, _distance, treeArc, _heap);
            }

            return new KeptTree(treeArc, Order(root, towards, treeArc));
        }

        /// <summary>
        /// Whether <paramref name="tree"/> is the unique shortest-path tree on <paramref name="cost"/>. Its nodes' costs
        /// are added up along the tree exactly as Dijkstra adds them (the parent's cost plus the arc's), and every arc not
        /// in the tree must lead to a node strictly dearer than by it: then no route, inside the tree's nodes or through
        /// nodes it does not reach, is as cheap as the tree's, so Dijkstra settles every node by the same arc (a tie,
        /// which Dijkstra breaks by the order it meets the arcs, fails the check and is searched).
        /// </summary>
        public bool Holds(KeptTree tree, bool towards, double[] cost)
        {
            var (near, far) = towards ? (graph.Head, graph.Tail) : (graph.Tail, graph.Head);
            var treeArc = tree.TreeArc;
            CostsAlong(tree, near, cost);
            for (var a = 0; a < near.Length; a++)
            {
                var from = _distance[near[a]];
                if (!double.IsPositiveInfinity(from) && treeArc[far[a]] != a && from + cost[a] <= _distance[far[a]])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// The shortest-path tree on <paramref name="cost"/> repaired from <paramref name="tree"/>, when that no longer holds:
        /// its nodes' costs added up along it (real routes, so no cost is below the shortest), every arc that offers a node
        /// a cheaper cost than its tree arc taken, and Dijkstra's loop run from the nodes so made cheaper
        /// (<see cref="RoadGraph.Settle"/>): it settles the nodes whose routes changed and leaves the rest of the tree as it
        /// was, a fraction of a search's work when the costs changed on a few arcs. The repaired tree is returned only when
        /// <see cref="Holds"/> proves it is the unique shortest-path tree — the one a search would find, bit for bit; null
        /// otherwise (a tie: the caller searches).
        /// </summary>
        public KeptTree? Repaired(KeptTree tree, bool towards, double[] cost)
        {
            var (near, far) = towards ? (graph.Head, graph.Tail) : (graph.Tail, graph.Head);
            var treeArc = (int[])tree.TreeArc.Clone();
            CostsAlong(tree, near, cost);
            _heap.Clear();
            for (var a = 0; a < near.Length; a++)
            {
                var offer = _distance[near[a]] + cost[a];
                if (offer < _distance[far[a]])
                {
                    _distance[far[a]] = offer;
                    treeArc[far[a]] = a;
                    _heap.InsertOrDecrease(far[a], offer);
                }
            }

            graph.Settle(towards, cost, _distance, treeArc, _heap);
            var repaired = new KeptTree(treeArc, Order(tree.Order[0], towards, treeArc));
            return Holds(repaired, towards, cost) ? repaired : null;
        }

        // Each node's cost along the tree on these costs, into _distance: the parent's cost plus the arc's, exactly as Dijkstra
        // adds them (infinite for the nodes the tree does not reach); near: the end of each arc nearer the root.
        private void CostsAlong(KeptTree tree, int[] near, double[] cost)
        {
            var (treeArc, order) = (tree.TreeArc, tree.Order);
            Array.Fill(_distance, double.PositiveInfinity);
            _distance[order[0]] = 0;
            for (var i = 1; i < order.Length; i++)
            {
                var a = treeArc[order[i]];
                _distance[order[i]] = _distance[near[a]] + cost[a];
            }
        }

        // The reached nodes breadth-first down the tree: children grouped by parent (a counting sort), then walked from the root.
        private int[] Order(int root, bool towards, int[] treeArc)
        {
            var near = towards ? graph.Head : graph.Tail;
            var firstChild = new int[graph.NodeCount + 1];
            var reached = 1;
            for (var v = 0; v < treeArc.Length; v++)
            {
                if (treeArc[v] >= 0)
                {
                    firstChild[near[treeArc[v]] + 1]++;
                    reached++;
                }
            }

            for (var v = 0; v < graph.NodeCount; v++)
            {
                firstChild[v + 1] += firstChild[v];
            }

            var children = new int[reached - 1];
            var filled = (int[])firstChild.Clone();
            for (var v = 0; v < treeArc.Length; v++)
            {
                if (treeArc[v] >= 0)
                {
                    children[filled[near[treeArc[v]]]++] = v;
                }
            }

            var order = new int[reached];
            order[0] = root;
            for (int next = 0, end = 1; next < end; next++)
            {
                var parent = order[next];
                for (var c = firstChild[parent]; c < firstChild[parent + 1]; c++)
                {
                    order[end++] = children[c];
                }
            }

            return order;
        }
    }

    /// <summary>
    /// What a full run computed that a warm start from it reuses: about 2·K + n flows of the arc count, plus n² trips, and
    /// what it wrote (<see cref="LinkOutputs"/>: one more array of the arc count and one of the link count, and its records); and
    /// the baseline's routes of the zones edits changed, searched at the first edit of a zone (2·K node arrays per zone,
    /// for at most <see cref="MaximumChangedZones"/> zones: beyond that they are searched each edit, same result).
    /// </summary>
    private sealed record Equilibrium(ZoneNetwork Network, double[]?[] Shares, double[,] Demand, IterationStart[] Iterations, double[] Flow, LinkOutputs Written)
    {
        private readonly Dictionary<int, ZoneRoutes> _routes = [];

        // The scenario trees of the last warm start per zone, direction and iteration: the next edit of the same zones
        // checks them on its own costs and searches only where one no longer holds.
        private readonly Dictionary<TreeKey, KeptTree> _scenarioTrees = [];

        /// <summary>
        /// The shortest-path tree from (or towards) <paramref name="zoneNode"/> on the scenario's <paramref name="cost"/>:
        /// the tree kept from an earlier warm start when it still holds on these costs (<see cref="TreeSearch.Holds"/>:
        /// then it is the tree a search would find), else that tree repaired (<see cref="TreeSearch.Repaired"/>, proven the
        /// same way), else a new search; kept in its place.
        /// </summary>
        public KeptTree ScenarioTree(TreeKey key, int zoneNode, double[] cost, TreeSearch trees)
        {
            KeptTree? kept;
            lock (_scenarioTrees)
            {
                _scenarioTrees.TryGetValue(key, out kept);
            }

            if (kept is not null && trees.Holds(kept, key.Towards, cost))
            {
                return kept;
            }

            var searched = (kept is null ? null : trees.Repaired(kept, key.Towards, cost)) ?? trees.Search(zoneNode, key.Towards, cost);
            lock (_scenarioTrees)
            {
                // Bounded as the baseline routes are: the trees of at most MaximumChangedZones zones.
                if (!_scenarioTrees.ContainsKey(key) && _scenarioTrees.Count >= 2 * MaximumChangedZones * Iterations.Length)
                {
                    _scenarioTrees.Clear();
                }

                _scenarioTrees[key] = searched;
            }

            return searched;
        }

        /// <summary>The baseline's routes from and towards <paramref name="zone"/> in every iteration.</summary>
        public ZoneRoutes RoutesOf(int zone, CancellationToken cancellationToken)
        {
            lock (_routes)
            {
                if (_routes.TryGetValue(zone, out var kept))
                {
                    return kept;
                }
            }

            // The iterations' searches are independent of each other: side by side.
            var from = new int[Iterations.Length][];
            var towards = new int[Iterations.Length][];
            Parallel.For(
                0,
                2 * Iterations.Length,
                new ParallelOptions { CancellationToken = cancellationToken },
                () => new PathSearch(Network.Graph, Network.Targets),
                (s, _, paths) =>
                {
                    var k = s / 2;
                    if (s % 2 == 0)
                    {
                        paths.Run(Network.Origins.DepartureNode[zone], Iterations[k].Cost);
                        from[k] = (int[])paths.TreeArc.Clone();
                    }
                    else
                    {
                        paths.RunTowards(Network.ZoneNode[zone], Iterations[k].Cost);
                        towards[k] = (int[])paths.TreeArc.Clone();
                    }

                    return paths;
                },
                _ => { });

            var routes = new ZoneRoutes(from, towards);
            lock (_routes)
            {
                if (_routes.Count < MaximumChangedZones)
                {
                    _routes.TryAdd(zone, routes);
                }
            }

            return routes;
        }
    }
}
