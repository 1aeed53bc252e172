using Tweeling.Models.City;
using Tweeling.Models.Graph;

namespace Tweeling.Models.Traffic;

/// <summary>
/// The traffic model: a four-step model without the mode-choice step. Trip generation per dwelling type and
/// tenure (CROW rates), gravity distribution to jobs and facilities, and assignment onto the road network with
/// BPR link delays by Frank–Wolfe iterations with a line search. Method, parameters and sources: docs/models/verkeer.md.
/// </summary>
/// <remarks>
/// Pure and deterministic: the iteration count is fixed, shortest paths are unique (the tie-break times) and every sum
/// over origins is added in a fixed chunk order, so the same inputs give the same link flows bit for bit.
/// </remarks>
public sealed partial class TrafficModel : IImpactModel
{
    /// <summary>The model's id, also its algorithm-register id.</summary>
    public const string ModelId = "verkeer";

    // BPR (Bureau of Public Roads, 1964) link delay: t = t0·(1 + α·(V/C)^β), α = 0.15, β = 4 (models.md §3).
    private const double BprAlpha = 0.15;
    private const double BprPower = 4;

    // Congestion (SRM1 stagnation) sets in at a peak-hour load of 0.8 and is complete at 1.2 (assumption; docs/models/verkeer.md).
    private const double CongestionOnset = 0.8;
    private const double CongestionSpan = 0.4;

    // Origins are processed in fixed chunks: the chunking, not the machine's thread count, fixes the order of every sum.
    private const int OriginsPerChunk = 8;

    // Bisection halvings of the line search: the step is found to 2^-30 (1e-9), far below any flow difference that matters.
    private const int LineSearchHalvings = 30;

    private readonly TrafficParameters _parameters;

    /// <summary>A traffic model with <paramref name="parameters"/> (<see cref="TrafficParameters.Default"/> when null).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    public TrafficModel(TrafficParameters? parameters = null)
    {
        _parameters = parameters ?? TrafficParameters.Default;
        _parameters.Validate();
    }

    /// <summary>
    /// Told after every run, full or warm-started, the flow of each arc (trips/24h) before the output resolution rounds
    /// it, with the arc's link: the values the warm start's snap tolerance acts on, which the link records no longer show
    /// once rounded (TrafficWarmStartTests checks the snap with them). Only looks: nothing the model computes depends on it.
    /// </summary>
    internal Action<ArcFlows>? ArcFlowsWritten { get; init; }

    /// <inheritdoc />
    public ModelDescriptor Descriptor { get; } = new(
        ModelId,
        "3",
        "Car traffic: trip generation, gravity distribution and BPR assignment",
        [TrafficPorts.Zones, TrafficPorts.Dwellings, TrafficPorts.Activity, TrafficPorts.RoadLinks, TrafficPorts.ClosedLinks, TrafficPorts.LinkFactors],
        [TrafficPorts.LinkTraffic, TrafficPorts.Trips]);

    /// <inheritdoc />
    public void Run(ModelRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var zones = run.Input(TrafficPorts.Zones);
        var links = run.Input(TrafficPorts.RoadLinks);
        var closed = ClosedLinks(links, run.Input(TrafficPorts.ClosedLinks));
        var zoneIndex = IndexZones(zones);
        var productions = Productions(zones, zoneIndex, run.Input(TrafficPorts.Dwellings));
        var attractions = Attractions(zones, zoneIndex, run.Input(TrafficPorts.Activity));

        var searches = NetworkOf(links, closed, zones);
        var (graph, zoneNode) = (searches.Graph, searches.ZoneNode);
        var connectorSeconds = zones.Select((z, i) => zoneNode[i] < 0 ? 0 : z.Centroid.Coordinate.Distance(graph.Nodes[zoneNode[i]]) / (_parameters.ConnectorSpeedKmh / 3.6)).ToArray();
        var network = new ZoneNetwork(zones, searches, connectorSeconds, attractions);
        var origins = searches.Origins;

        var shares = Distribute(network, origins, productions, cancellationToken);
        var (demand, totals) = Demand(zones, productions, shares);
        var (arcFlow, iterations) = Assign(network, origins, demand, cancellationToken);
        var written = WriteOutputs(run, links, closed, graph, arcFlow, totals);
        RememberEquilibrium(written.Records, new Equilibrium(network, shares, demand, iterations, arcFlow, written));
    }

    /// <summary>
    /// Writes the link traffic and the trip totals of the arc flows <paramref name="arcFlow"/>; returns what was written.
    /// With <paramref name="baseline"/> (a warm start: the same roads and closures) the arcs whose flow is the baseline's
    /// take its flow on the output resolution, and the links whose resolved flows and factor are the baseline's take its
    /// record: each is a function of those alone, so they are the values a recomputation gives, bit for bit.
    /// </summary>
    private LinkOutputs WriteOutputs(
        ModelRun run, IReadOnlyList<RoadLink> links, IReadOnlySet<string> closed, RoadGraph graph, double[] arcFlow, TripTotals totals, LinkOutputs? baseline = null)
    {
        var linkFactor = LinkFactors(links, run.Input(TrafficPorts.LinkFactors));
        ArcFlowsWritten?.Invoke(new ArcFlows([.. graph.Link.Select(l => links[l].Id)], [.. arcFlow]));
        var resolved = OnOutputResolution(arcFlow, baseline);
        var linkTraffic = LinkResults(links, closed, graph, resolved, linkFactor, baseline);
        run.Output(TrafficPorts.LinkTraffic, linkTraffic);
        var vehicleKilometres = 0.0;
        for (var a = 0; a < graph.ArcCount; a++)
        {
            vehicleKilometres += resolved[a] * linkFactor[graph.Link[a]] * graph.LengthMetres[a] / 1000;
        }

        run.Output(TrafficPorts.Trips, totals with { VehicleKilometres = vehicleKilometres });
        return new LinkOutputs(arcFlow, resolved, linkFactor, linkTraffic);
    }

    /// <summary>
    /// What a run wrote per arc and link: the arc flows (trips/24h) and the same on the output resolution, the factor per
    /// link and the link records; a warm start from the run takes the values of the arcs and links its edit did not move.
    /// </summary>
    private sealed record LinkOutputs(double[] Flow, double[] Resolved, double[] LinkFactor, List<LinkTraffic> Records);

    /// <summary>The arcs of a run: each one's link id and its flow before the output resolution (trips/24h), in arc order.</summary>
    internal sealed record ArcFlows(IReadOnlyList<string> LinkIds, IReadOnlyList<double> Flow);

    private static HashSet<string> ClosedLinks(IReadOnlyList<RoadLink> links, IReadOnlyList<string> closedIds)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var link in links)
        {
            if (!ids.Add(link.Id))
            {
                throw new ArgumentException($"Road link '{link.Id}' occurs twice.", TrafficPorts.RoadLinks.Name);
            }
        }

        // A closure of a link that does not exist is a scenario mistake, not a no-op.
        var unknown = closedIds.FirstOrDefault(id => !ids.Contains(id));
        return unknown is null
            ? closedIds.ToHashSet(StringComparer.Ordinal)
            : throw new ArgumentException($"The closed links name link '{unknown}', which is not a road link.", TrafficPorts.ClosedLinks.Name);
    }

    // The factor per link index (1 where none is given; factors of a link listed twice multiply).
    private static double[] LinkFactors(IReadOnlyList<RoadLink> links, IReadOnlyList<LinkTrafficFactor> factors)
    {
        var result = new double[links.Count];
        Array.Fill(result, 1.0);
        if (factors.Count == 0)
        {
            return result;
        }

        var index = new Dictionary<string, int>(links.Count, StringComparer.Ordinal);
        for (var i = 0; i < links.Count; i++)
        {
            index[links[i].Id] = i;
        }

        foreach (var factor in factors)
        {
            if (!index.TryGetValue(factor.LinkId, out var at))
            {
                throw new ArgumentException($"The link traffic factors name link '{factor.LinkId}', which is not a road link.", TrafficPorts.LinkFactors.Name);
            }

            if (!(factor.Factor >= 0) || !double.IsFinite(factor.Factor))
            {
                throw new ArgumentException($"Road link '{factor.LinkId}' has traffic factor {factor.Factor}; it must be ≥ 0.", TrafficPorts.LinkFactors.Name);
            }

            result[at] *= factor.Factor;
        }

        return result;
    }

    private static Dictionary<string, int> IndexZones(IReadOnlyList<TrafficZone> zones)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < zones.Count; i++)
        {
            var zone = zones[i];
            if (!index.TryAdd(zone.Code, i))
            {
                throw new ArgumentException($"Traffic zone '{zone.Code}' occurs twice.", nameof(zones));
            }

            if (!(zone.TrafficFactor >= 0) || !double.IsFinite(zone.TrafficFactor))
            {
                throw new ArgumentException($"Traffic zone '{zone.Code}' has traffic factor {zone.TrafficFactor}; it must be ≥ 0.", nameof(zones));
            }
        }

        return index;
    }

    // Car trips per average working day that start or end at the zone's dwellings, before the zone factor.
    private double[] Productions(IReadOnlyList<TrafficZone> zones, Dictionary<string, int> zoneIndex, IReadOnlyList<ZoneDwellings> dwellings)
    {
        var productions = new double[zones.Count];
        foreach (var row in dwellings)
        {
            var zone = Zone(zoneIndex, row.ZoneCode, "dwellings");
            if (row.Count < 0)
            {
                throw new ArgumentException($"Zone '{row.ZoneCode}' has {row.Count} dwellings of type {row.Type}, {row.Tenure}; the count must be ≥ 0.", nameof(dwellings));
            }

            productions[zone] += row.Count * TrafficParameters.TripRate(row.Type, row.Tenure) * _parameters.WorkingDayFactor * _parameters.CalibrationFactor;
        }

        return productions;
    }

    // The attraction rule: jobs plus a job equivalent per facility.
    private double[] Attractions(IReadOnlyList<TrafficZone> zones, Dictionary<string, int> zoneIndex, IReadOnlyList<ZoneActivity> activity)
    {
        var attractions = new double[zones.Count];
        foreach (var row in activity)
        {
            var zone = Zone(zoneIndex, row.ZoneCode, "activity");
            if (row.Jobs < 0 || row.Facilities < 0)
            {
                throw new ArgumentException($"Zone '{row.ZoneCode}' has {row.Jobs} jobs and {row.Facilities} facilities; both must be ≥ 0.", nameof(activity));
            }

            attractions[zone] += row.Jobs + (_parameters.JobsPerFacility * row.Facilities);
        }

        return attractions;
    }

    private static int Zone(Dictionary<string, int> zoneIndex, string code, string input) =>
        zoneIndex.TryGetValue(code, out var zone) ? zone : throw new ArgumentException($"The {input} name zone '{code}', which is not a traffic zone.", input);

    /// <summary>
    /// Production-constrained gravity distribution on free-flow times: zone i's trips go to every other reachable
    /// zone j in proportion to <c>A_j·exp(−β·c_ij)</c>; half are outward (i→j) and half the way home (j→i).
    /// Returns each origin's trips per destination before the destination's traffic factor (null for an origin
    /// without trips or without a reachable destination). Zones in an origin group take the network time from the
    /// group's hub (one search per group). The network times are the road network's own: kept with it after the first run
    /// on it (<see cref="NetworkSearches.FreeFlowSeconds"/>).
    /// </summary>
    private double[]?[] Distribute(ZoneNetwork network, OriginGroups origins, double[] productions, CancellationToken cancellationToken)
    {
        // Each origin's rows of trips are computed on their own (in parallel).
        var shares = new double[]?[network.Zones.Count];
        ForEachChunk(network, origins.Count, cancellationToken, (g, paths) =>
        {
            var sending = origins.Zones[g].Where(i => productions[i] * network.Zones[i].TrafficFactor > 0).ToList();
            if (sending.Count == 0 || origins.Hub[g] < 0)
            {
                return;
            }

            var seconds = network.Searches.FreeFlowSeconds(g, paths);
            sending.ForEach(i => shares[i] = SharesFrom(network, productions, i, seconds));
        });
        return shares;
    }

    // Origin i's trips per destination by the free-flow network seconds from its node or its group's hub to each zone's node
    // (networkSeconds), or null when no destination attracts them.
    private double[]? SharesFrom(ZoneNetwork network, double[] productions, int i, double[] networkSeconds)
    {
        var (zones, connectorSeconds, attractions) = (network.Zones, network.ConnectorSeconds, network.Attractions);
        var n = zones.Count;
        var trips = productions[i] * zones[i].TrafficFactor;
        var weights = new double[n];
        var sum = 0.0;
        for (var j = 0; j < n; j++)
        {
            var seconds = networkSeconds[j];
            if (j != i && attractions[j] > 0 && double.IsFinite(seconds))
            {
                var minutes = (connectorSeconds[i] + seconds + connectorSeconds[j]) / 60;
                weights[j] = attractions[j] * Math.Exp(-_parameters.DeterrencePerMinute * minutes);
                sum += weights[j];
            }
        }

        if (!(sum > 0))
        {
            return null;
        }

        for (var j = 0; j < n; j++)
        {
            weights[j] = trips * weights[j] / sum;
        }

        return weights;
    }

    /// <summary>The directed trip matrix of the distribution's rows, added in zone order, and the trip totals.</summary>
    private static (double[,] Demand, TripTotals Totals) Demand(IReadOnlyList<TrafficZone> zones, double[] productions, double[]?[] shares)
    {
        var n = zones.Count;
        var demand = new double[n, n];
        double generated = 0, assigned = 0;
        for (var i = 0; i < n; i++)
        {
            if (shares[i] is not { } row)
            {
                generated += productions[i] * zones[i].TrafficFactor;
                continue;
            }

            for (var j = 0; j < n; j++)
            {
                // The destination's factor scales the trips ending there too.
                var trips = row[j] * zones[j].TrafficFactor;
                if (trips > 0)
                {
                    demand[i, j] += trips / 2;
                    demand[j, i] += trips / 2;
                    generated += trips;
                    assigned += trips;
                }
            }
        }

        return (demand, new TripTotals(generated, assigned, generated - assigned, 0));
    }

    /// <summary>
    /// Frank–Wolfe: each iteration loads every trip all-or-nothing onto the shortest paths by the current BPR travel
    /// times and moves the flows towards that load by the step that minimises Beckmann's objective along the way (a line
    /// search; the first iteration takes the load whole). Returns the flow per arc (trips/24h), and the flows, costs and
    /// step of each iteration (what a warm start replays).
    /// </summary>
    private (double[] Flow, IterationStart[] Iterations) Assign(ZoneNetwork network, OriginGroups origins, double[,] demand, CancellationToken cancellationToken)
    {
        var graph = network.Graph;
        var flow = new double[graph.ArcCount];
        var cost = new double[graph.ArcCount];
        for (var a = 0; a < cost.Length; a++)
        {
            cost[a] = BprSeconds(graph, a, 0);
        }

        var loads = new ChunkLoads(network, origins);
        var iterations = new IterationStart[_parameters.Iterations];
        for (var k = 1; k <= _parameters.Iterations; k++)
        {
            var (flowBefore, costBefore) = ((double[])flow.Clone(), (double[])cost.Clone());
            var load = loads.AllOrNothing(demand, cost, cancellationToken, beforeAnyFlow: k == 1);
            var step = k == 1 ? 1 : StepTowards(graph, flow, load);
            iterations[k - 1] = new IterationStart(flowBefore, costBefore, step);
            for (var a = 0; a < flow.Length; a++)
            {
                flow[a] += step * (load[a] - flow[a]);
                cost[a] = BprSeconds(graph, a, flow[a]);
            }
        }

        return (flow, iterations);
    }

    /// <summary>
    /// The relative gap of the assignment whose link traffic is <paramref name="linkTraffic"/> (the output of a full run of
    /// this model that is still remembered; null otherwise): one more all-or-nothing load on its final costs. How close the
    /// flows are to user equilibrium, for the tests and benchmarks of the assignment (docs/models/verkeer.md).
    /// </summary>
    internal double? RelativeGapOf(object linkTraffic, CancellationToken cancellationToken)
    {
        if (RememberedEquilibrium(linkTraffic) is not { } equilibrium)
        {
            return null;
        }

        var graph = equilibrium.Network.Graph;
        var cost = new double[graph.ArcCount];
        for (var a = 0; a < cost.Length; a++)
        {
            cost[a] = BprSeconds(graph, a, equilibrium.Flow[a]);
        }

        var load = new ChunkLoads(equilibrium.Network, equilibrium.Network.Searches.Origins).AllOrNothing(equilibrium.Demand, cost, cancellationToken, beforeAnyFlow: false);
        return RelativeGap(cost, equilibrium.Flow, load);
    }

    /// <summary>
    /// The relative gap of <paramref name="flow"/>: the share of its total route time that all-or-nothing routes on its own
    /// costs (<paramref name="load"/>) would save, (Σ c·x − Σ c·y) / Σ c·x. Zero at user equilibrium.
    /// </summary>
    private static double RelativeGap(double[] cost, double[] flow, double[] load)
    {
        double total = 0, shortest = 0;
        for (var a = 0; a < flow.Length; a++)
        {
            total += cost[a] * flow[a];
            shortest += cost[a] * load[a];
        }

        return total > 0 ? (total - shortest) / total : 0;
    }

    /// <summary>
    /// The step λ in [0, 1] that minimises Beckmann's objective Σ ∫ c_a on the way from <paramref name="flow"/> to
    /// <paramref name="load"/>: where its derivative Σ c_a(x_a + λ·d_a)·d_a, d = y − x, rising in λ as BPR costs rise with
    /// flow, crosses zero; found by bisection in a fixed number of halvings, so it is the same on every machine.
    /// </summary>
    private double StepTowards(RoadGraph graph, double[] flow, double[] load)
    {
        var slope = new ObjectiveSlope(this, graph, flow, load);
        if (slope.At(1) <= 0)
        {
            return 1;
        }

        double low = 0, high = 1;
        for (var halving = 0; halving < LineSearchHalvings; halving++)
        {
            var middle = (low + high) / 2;
            if (slope.At(middle) < 0)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return (low + high) / 2;
    }

    /// <summary>
    /// The objective's derivative along one line search: Σ over the arcs whose flow moves of the BPR cost at x + λ·(y − x)
    /// times (y − x). The BPR terms (a power each) are computed in parallel, one term per arc, and then added in arc order
    /// on one thread, so the sum is the same bit for bit as a loop over the arcs.
    /// </summary>
    private sealed class ObjectiveSlope
    {
        // Arcs per parallel block: large enough that a block's work (a power per arc) outweighs handing it to a thread.
        private const int ArcsPerBlock = 1024;

        private readonly TrafficModel _model;
        private readonly RoadGraph _graph;
        private readonly int[] _arcs;
        private readonly double[] _flow;
        private readonly double[] _direction;
        private readonly double[] _terms;

        public ObjectiveSlope(TrafficModel model, RoadGraph graph, double[] flow, double[] load)
        {
            (_model, _graph) = (model, graph);
            var arcs = new List<int>(flow.Length);
            for (var a = 0; a < flow.Length; a++)
            {
                if (load[a] - flow[a] != 0)
                {
                    arcs.Add(a);
                }
            }

            _arcs = [.. arcs];
            _flow = [.. arcs.Select(a => flow[a])];
            _direction = [.. arcs.Select(a => load[a] - flow[a])];
            _terms = new double[_arcs.Length];
        }

        /// <summary>The derivative at step <paramref name="step"/>.</summary>
        public double At(double step)
        {
            Parallel.For(0, (_arcs.Length + ArcsPerBlock - 1) / ArcsPerBlock, block =>
            {
                for (var m = block * ArcsPerBlock; m < Math.Min(_arcs.Length, (block + 1) * ArcsPerBlock); m++)
                {
                    _terms[m] = _model.BprSeconds(_graph, _arcs[m], _flow[m] + (step * _direction[m])) * _direction[m];
                }
            });

            var slope = 0.0;
            foreach (var term in _terms)
            {
                slope += term;
            }

            return slope;
        }
    }

    /// <summary>
    /// All-or-nothing loads: every chunk of origins loads its own array, in origin order; the arrays are then added in
    /// chunk order, so the sums, and the flows, do not depend on how the threads were scheduled. The arrays are kept
    /// between iterations. An origin group's trips to a zone are its zones' trips to it, added in zone order. The routes of
    /// the first iteration, on the route costs before any flow, are the road network's own: kept with it after the first run
    /// on it (<see cref="NetworkSearches.FirstRoutes"/>) and loaded in the same order, so the sums are the same bit for bit.
    /// </summary>
    private sealed class ChunkLoads(ZoneNetwork network, OriginGroups origins)
    {
        private readonly double[]?[] _chunks = new double[ChunkCount(origins.Count)][];

        /// <summary>
        /// Every trip of <paramref name="demand"/> on its shortest path by <paramref name="cost"/>, per arc;
        /// <paramref name="beforeAnyFlow"/>: the costs are the route costs at zero flow (the first iteration's).
        /// </summary>
        public double[] AllOrNothing(double[,] demand, double[] cost, CancellationToken cancellationToken, bool beforeAnyFlow)
        {
            var (graph, zoneNode) = (network.Graph, network.ZoneNode);
            var n = zoneNode.Length;
            var keptRoutes = beforeAnyFlow && network.Searches.KeepsRoutesOn(cost);
            foreach (var chunk in _chunks.Where(l => l is not null))
            {
                Array.Clear(chunk!);
            }

            ForEachChunk(network, origins.Count, cancellationToken, (g, paths) =>
            {
                var members = origins.Zones[g];
                if (origins.Hub[g] < 0 || !members.Any(i => HasDemand(demand, i, n)))
                {
                    return;
                }

                var load = _chunks[g / OriginsPerChunk] ??= new double[graph.ArcCount];
                var routes = keptRoutes ? network.Searches.FirstRoutes(g, cost, paths) : null;
                if (routes is null)
                {
                    paths.Run(origins.Hub[g], cost);
                }

                for (var j = 0; j < n; j++)
                {
                    var trips = members.Length == 1 ? demand[members[0], j] : members.Sum(i => demand[i, j]);
                    if (trips <= 0)
                    {
                        continue;
                    }

                    if (routes is not null)
                    {
                        routes.Load(j, trips, load);
                        continue;
                    }

                    for (var node = zoneNode[j]; paths.TreeArc[node] >= 0; node = graph.Tail[paths.TreeArc[node]])
                    {
                        load[paths.TreeArc[node]] += trips;
                    }
                }
            });

            var total = new double[graph.ArcCount];
            for (var a = 0; a < total.Length; a++)
            {
                foreach (var chunk in _chunks)
                {
                    total[a] += chunk?[a] ?? 0;
                }
            }

            return total;
        }
    }

    private static int ChunkCount(int origins) => (origins + OriginsPerChunk - 1) / OriginsPerChunk;

    /// <summary>
    /// Runs <paramref name="perOrigin"/> for every origin 0 … <paramref name="origins"/> − 1, chunk by chunk in parallel and
    /// in origin order within a chunk; each worker thread reuses one set of search buffers.
    /// </summary>
    private static void ForEachChunk(ZoneNetwork network, int origins, CancellationToken cancellationToken, Action<int, PathSearch> perOrigin)
    {
        Parallel.For(
            0,
            ChunkCount(origins),
            new ParallelOptions { CancellationToken = cancellationToken },
            () => new PathSearch(network.Graph, network.Targets),
            (chunk, _, paths) =>
            {
                for (var i = chunk * OriginsPerChunk; i < Math.Min(origins, (chunk + 1) * OriginsPerChunk); i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    perOrigin(i, paths);
                }

                return paths;
            },
            _ => { });
    }

    private static bool HasDemand(double[,] demand, int origin, int n)
    {
        for (var j = 0; j < n; j++)
        {
            if (demand[origin, j] > 0)
            {
                return true;
            }
        }

        return false;
    }

    // The route cost of arc a at a daily car flow: the BPR time, where the load is the busiest hour's vehicles, trucks and
    // buses included; plus the arc's tie-break time, so that equal routes do not tie.
    private double BprSeconds(RoadGraph graph, int arc, double carsPerDay) =>
        (graph.FreeTimeSeconds[arc] * (1 + (BprAlpha * Math.Pow(PeakLoad(graph, arc, carsPerDay), BprPower)))) + graph.TieBreakSeconds[arc];

    private double PeakLoad(RoadGraph graph, int arc, double carsPerDay) =>
        VehiclesFromCars(carsPerDay, graph.LinkClass(arc)) * _parameters.PeakHourShare / graph.CapacityPerHour[arc];

    private static double VehiclesFromCars(double cars, RoadClass roadClass)
    {
        var (medium, heavy, bus) = TrafficParameters.VehicleMix(roadClass);
        return cars / (1 - medium - heavy - bus);
    }

    // The record per link of the resolved arc flows; with a baseline, its record where the link's resolved flows and factor are its.
    private List<LinkTraffic> LinkResults(
        IReadOnlyList<RoadLink> links, IReadOnlySet<string> closed, RoadGraph graph, double[] arcFlow, double[] linkFactor, LinkOutputs? baseline)
    {
        var kept = baseline is null ? null : LinksAsBefore(graph, arcFlow, linkFactor, baseline);
        var cars = new double[links.Count];
        var worstLoad = new double[links.Count];
        for (var a = 0; a < graph.ArcCount; a++)
        {
            var link = graph.Link[a];
            if (kept?[link] == true)
            {
                continue;
            }

            cars[link] += arcFlow[a];
            worstLoad[link] = Math.Max(worstLoad[link], PeakLoad(graph, a, arcFlow[a]));
        }

        var results = new List<LinkTraffic>(links.Count);
        for (var i = 0; i < links.Count; i++)
        {
            var link = links[i];
            if (kept?[i] == true)
            {
                results.Add(baseline!.Records[i]);
                continue;
            }

            if (!RoadGraph.IsDrivable(link, closed))
            {
                results.Add(new LinkTraffic(link.Id, 0, 0, 0, 0, 0, 0));
                continue;
            }

            var (medium, heavy, bus) = TrafficParameters.VehicleMix(link.Class);
            var freeSpeed = RoadGraph.SpeedKmh(link);
            var load = worstLoad[i];
            var peakSpeed = freeSpeed / (1 + (BprAlpha * Math.Pow(load, BprPower)));
            var congestion = _parameters.PeakPeriodShare * Math.Clamp((load - CongestionOnset) / CongestionSpan, 0, 1);

            // Off-peak traffic drives at the free-flow speed, peak traffic at the BPR speed of the busiest hour.
            var meanSpeed = ((1 - _parameters.PeakPeriodShare) * freeSpeed) + (_parameters.PeakPeriodShare * peakSpeed);
            // The scenario's link factor scales the volume only: congestion and speed stay those of the assignment, so
            // air and noise, which rise with volume at a fixed speed, never fall where a factor ≥ 1 applies.
            results.Add(new LinkTraffic(link.Id, VehiclesFromCars(cars[i], link.Class) * linkFactor[i], medium, heavy, bus, congestion, meanSpeed));
        }

        return results;
    }

    // Per link: whether its factor and the resolved flows of all its arcs are the baseline's, bit for bit (then so is its record).
    private static bool[] LinksAsBefore(RoadGraph graph, double[] arcFlow, double[] linkFactor, LinkOutputs baseline)
    {
        var same = new bool[linkFactor.Length];
        for (var i = 0; i < same.Length; i++)
        {
            same[i] = SameBits(linkFactor[i], baseline.LinkFactor[i]);
        }

        for (var a = 0; a < graph.ArcCount; a++)
        {
            if (!SameBits(arcFlow[a], baseline.Resolved[a]))
            {
                same[graph.Link[a]] = false;
            }
        }

        return same;
    }

    private static bool SameBits(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);

    /// <summary>
    /// Reusable Dijkstra buffers over one graph. A search stops once it has settled every zone's node: the trips run
    /// between zones, so only the routes to (or from) zone nodes are walked, and those are final by then.
    /// </summary>
    private sealed class PathSearch(RoadGraph graph, SearchTargets zoneNodes)
    {
        private readonly NodeHeap _heap = new(graph.NodeCount);
        private readonly RoadGraph _graph = graph;
        private readonly SearchTargets _zoneNodes = zoneNodes;

        /// <summary>The cost to (after <see cref="Run"/>) or from (after <see cref="RunTowards"/>) each node; final for the zone nodes.</summary>
        public double[] Distance { get; } = new double[graph.NodeCount];

        /// <summary>The shortest-path tree: the arc each node is reached by (after <see cref="Run"/>) or leaves by (after <see cref="RunTowards"/>).</summary>
        public int[] TreeArc { get; } = new int[graph.NodeCount];

        public void Run(int source, double[] cost) => _graph.ShortestPaths(source, cost, Distance, TreeArc, _heap, _zoneNodes);

        public void RunTowards(int target, double[] cost) => _graph.ShortestPathsTo(target, cost, Distance, TreeArc, _heap, _zoneNodes);
    }
}
