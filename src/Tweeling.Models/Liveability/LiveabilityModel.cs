using System.Runtime.InteropServices;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using Tweeling.Models.Accessibility;
using Tweeling.Models.AirQuality;
using Tweeling.Models.City;
using Tweeling.Models.Facilities;
using Tweeling.Models.Graph;
using Tweeling.Models.Green;
using Tweeling.Models.Heat;
using Tweeling.Models.Noise;
using Tweeling.Models.Social;
using Tweeling.Models.Traffic;
using DwellingType = Tweeling.Domain.Scenarios.DwellingType;
using Tenure = Tweeling.Domain.Scenarios.Tenure;

namespace Tweeling.Models.Liveability;

/// <summary>
/// An indicative liveability score per buurt over the Leefbaarometer's five dimensions (issue 6 item 2i;
/// docs/models/leefbaarheid.md), built only from what the other models compute: each indicator is scored 0–1 between
/// two documented anchors, a dimension is the mean of its known scores, and the composite the equal-weight mean of the
/// known dimensions. Not the official Leefbaarometer, which combines about 100 indicators calibrated on residents'
/// ratings and house prices.
/// </summary>
public sealed partial class LiveabilityModel : IImpactModel
{
    /// <summary>The model's id, also its algorithm-register id.</summary>
    public const string ModelId = "leefbaarheid";

    /// <summary>
    /// How far a receptor or grid point may lie from a dwelling's building to stand for it, m, when no receptor carries
    /// the building's id: about one street block, and the size of the air model's grid cells.
    /// </summary>
    public const double MatchRadiusMetres = 100;

    /// <summary>A motor road within this distance of a dwelling counts as its street for the safety proxy, m [A].</summary>
    public const double TrafficRadiusMetres = 50;

    /// <summary>The fewest known dimensions a composite rests on: with fewer, one or two inputs would pass for liveability.</summary>
    public const int MinimumDimensions = 3;

    private static readonly int s_typeClasses = Enum.GetValues<DwellingType>().Length;

    private static readonly int s_tenureClasses = Enum.GetValues<Tenure>().Length;

    private readonly bool _scoreResidents;

    /// <summary>A model that scores all five dimensions, or, with <paramref name="scoreResidents"/> false, leaves Bewoners out.</summary>
    /// <param name="scoreResidents">
    /// Whether the Bewoners dimension (the share of low-income households) is scored and counts in the composite. It is
    /// the part most prone to labelling neighbourhoods, so the IAMA the register entry asks for may decide to leave it out.
    /// </param>
    public LiveabilityModel(bool scoreResidents = true) => _scoreResidents = scoreResidents;

    /// <inheritdoc />
    public ModelDescriptor Descriptor { get; } = new(
        ModelId,
        "1.0.0",
        "Indicative liveability per buurt over the Leefbaarometer's five dimensions from the other models' outputs (not the official Leefbaarometer)",
        [
            CityPorts.Dwellings, NoisePorts.Receptors, NoisePorts.FacadeLevels, AirQualityPorts.ReceptorConcentrations, AirQualityPorts.GridConcentrations,
            HeatPorts.Grid, HeatPorts.Cells, GreenPorts.PerNeighbourhood, FacilitiesPorts.Supply, AccessibilityPorts.BuurtDistances,
            SocialPorts.LowIncome, CityPorts.Roads, TrafficPorts.LinkTraffic,
        ],
        [LiveabilityPorts.Liveability]);

    /// <inheritdoc />
    /// <remarks>
    /// The stages that share nothing run side by side: leefbaarheid reads every other model's output, so it runs last in
    /// the graph and alone (the graph runs one model at a time), and a single thread would leave the second of the
    /// machine's two cores idle (docs/models/leefbaarheid.md, "Cost"). Each stage computes what it did on one thread, so
    /// the results are the same. A failure or cancellation of a stage, or of the work on this thread between them, stops
    /// and waits for the others and surfaces as itself (<see cref="SideBySideStages"/>).
    /// </remarks>
    public void Run(ModelRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var dwellings = run.Input(CityPorts.Dwellings);
        var (receptors, levels) = (run.Input(NoisePorts.Receptors), run.Input(NoisePorts.FacadeLevels));
        var airRecords = AirRecords(run);
        var (roads, traffic) = (run.Input(CityPorts.Roads), run.Input(TrafficPorts.LinkTraffic));
        var (grid, cells) = (run.Input(HeatPorts.Grid), run.Input(HeatPorts.Cells));
        using var stages = new SideBySideStages(cancellationToken);
        try
        {
            // Each point set by id once, for the values at the buildings and for the next run alike (null when an id occurs twice).
            var noiseSide = stages.Start(token =>
            {
                var made = NoiseLevels.Of(receptors, levels);
                token.ThrowIfCancellationRequested();
                return (Levels: made, ById: UniquePoints(made.Points));
            });
            var airSide = stages.Start(token =>
            {
                var points = new List<ValuedPoint>(airRecords.Count);
                foreach (var record in airRecords)
                {
                    token.ThrowIfCancellationRequested();
                    points.Add(AirPoint(record));
                }

                return (Points: points, ById: UniquePoints(points));
            });
            var roadSide = stages.Start(token =>
            {
                var geometry = RoadGeometry(roads);
                return (Geometry: geometry, Busy: TrafficIndex(geometry, traffic, token), ListedOnce: ListedOnce(traffic));
            });
            var buildings = Buildings(dwellings);
            var all = buildings.Values.ToArray();
            var byBuurt = ByBuurt(buildings);
            var (airPoints, airById) = airSide.GetAwaiter().GetResult();
            var airAtBuildings = stages.Start(token => (No2: AtBuildings(all, airPoints, airById, token), Uhi: HeatAtBuildings(buildings, grid, cells, token)));
            var (noise, noiseById) = noiseSide.GetAwaiter().GetResult();
            var noiseAtBuildings = AtBuildings(all, noise.Points, noiseById, stages.Token);
            var (roadGeometry, busy, listedOnce) = roadSide.GetAwaiter().GetResult();
            var trafficAtBuildings = TrafficAtBuildings(all, busy, stages.Token);
            var (no2AtBuildings, uhiAtBuildings) = airAtBuildings.GetAwaiter().GetResult();
            var values = new BuildingValues(noiseAtBuildings, no2AtBuildings, uhiAtBuildings, trafficAtBuildings);
            var buurt = BuurtInputs.Of(
                run.Input(GreenPorts.PerNeighbourhood), run.Input(FacilitiesPorts.Supply), run.Input(AccessibilityPorts.BuurtDistances), run.Input(SocialPorts.LowIncome));
            var result = Scores(byBuurt, values, buurt, earlier: null, cancellationToken);
            _valuesBehind.AddOrUpdate(result, values);
            Keep(result, new EarlierRun(
                InputInstances(run), dwellings, buildings, byBuurt, noise, noiseById is null ? null : new(noise.Points, noiseById), airById is null ? null : new(airRecords, airById), roads, roadGeometry,
                listedOnce ? busy : null, buurt, grid, cells, result.ToDictionary(b => b.Buurtcode, StringComparer.Ordinal)));
            run.Output(LiveabilityPorts.Liveability, result);
        }
        catch (Exception caught)
        {
            stages.Rethrow(caught);
        }
    }

    /// <summary>
    /// The scores of every buurt with dwellings, or without any left after the scenario (it shows, with nothing to
    /// score), in buurtcode order. A buurt <paramref name="earlier"/> answers for starts from its earlier record: copied
    /// when nothing of it changed, else scored from its earlier inputs with only what changed derived again (the mix of
    /// its dwellings and each dwelling-weighted value stay as they were unless its dwellings or that value changed at
    /// one of its buildings); the others are scored from their buildings.
    /// </summary>
    private List<BuurtLiveability> Scores(
        Dictionary<string, List<Building>> byBuurt,
        BuildingValues values,
        BuurtInputs buurt,
        Func<string, (BuurtLiveability Before, BuurtChange Change)?>? earlier,
        CancellationToken cancellationToken)
    {
        var result = new List<BuurtLiveability>(byBuurt.Count);
        var classes = new List<(int Class, int Dwellings)>();
        foreach (var code in byBuurt.Keys.Union(buurt.LowIncome.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (earlier?.Invoke(code) is { } was)
            {
                if (was.Change == BuurtChange.None)
                {
                    result.Add(was.Before);
                    continue;
                }

                // Unchanged dwellings: the same buildings in the same order as in the earlier run, so the same mix and count.
                if (!was.Change.HasFlag(BuurtChange.Dwellings) && was.Before.Dwellings > 0)
                {
                    result.Add(Score(code, was.Before.Dwellings, Rescored(code, was.Before.Inputs, was.Change, byBuurt[code], values, buurt)));
                    continue;
                }
            }

            var inBuurt = byBuurt.GetValueOrDefault(code) ?? [];
            var dwellings = inBuurt.Sum(b => b.Count);
            if (dwellings == 0)
            {
                result.Add(new(code, 0, null, null, null, null, null, null, new(null, null, null, null, null, null, null, null, null, null, null)));
                continue;
            }

            var inputs = new LiveabilityInputs(
                Evenness(DwellingsPerClass(inBuurt, classes, s => (int)s.Type), s_typeClasses),
                Evenness(DwellingsPerClass(inBuurt, classes, s => (int)s.Tenure), s_tenureClasses),
                Weighted(inBuurt, values.Noise),
                Weighted(inBuurt, values.No2),
                Weighted(inBuurt, values.Uhi),
                null,
                null,
                null,
                null,
                null,
                Weighted(inBuurt, values.Traffic));
            result.Add(Score(code, dwellings, WithFigures(inputs, code, buurt)));
        }

        return result;
    }

    /// <summary>The inputs of a buurt whose dwellings did not change: its earlier inputs with the changed dwelling-weighted values and every buurt figure read again.</summary>
    private LiveabilityInputs Rescored(string code, LiveabilityInputs before, BuurtChange change, List<Building> inBuurt, BuildingValues values, BuurtInputs buurt) =>
        WithFigures(
            before with
            {
                LdenDb = change.HasFlag(BuurtChange.Noise) ? Weighted(inBuurt, values.Noise) : before.LdenDb,
                No2 = change.HasFlag(BuurtChange.No2) ? Weighted(inBuurt, values.No2) : before.No2,
                UhiMaxK = change.HasFlag(BuurtChange.Uhi) ? Weighted(inBuurt, values.Uhi) : before.UhiMaxK,
                VehiclesPerDay = change.HasFlag(BuurtChange.Traffic) ? Weighted(inBuurt, values.Traffic) : before.VehiclesPerDay,
            },
            code,
            buurt);

    /// <summary><paramref name="inputs"/> with the figures the other models give per buurt: green, canopy, facility capacity, walking distance and low income.</summary>
    private LiveabilityInputs WithFigures(LiveabilityInputs inputs, string code, BuurtInputs buurt)
    {
        buurt.Green.TryGetValue(code, out var g);
        return inputs with
        {
            GreenM2PerInhabitant = g?.GreenM2PerInhabitant,
            CanopyShare = g?.CanopyShare,
            FacilityRatio = buurt.Capacity.TryGetValue(code, out var c) ? c : null,
            WalkMetres = buurt.Walking.TryGetValue(code, out var w) ? w : null,
            LowIncomePercent = _scoreResidents ? buurt.LowIncome.GetValueOrDefault(code)?.Percent : null,
        };
    }

    private static Dictionary<string, List<Building>> ByBuurt(Dictionary<string, Building> buildings) =>
        buildings.Values.GroupBy(b => b.Buurtcode, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

    /// <summary>
    /// The scores of one buurt from its inputs: each indicator 0–1 between its <see cref="LiveabilityAnchors"/>, each
    /// dimension the mean of its known indicators × 100, the composite the mean of the known dimensions.
    /// </summary>
    public static BuurtLiveability Score(string buurtcode, int dwellings, LiveabilityInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        double?[] dimensions =
        [
            Mean(inputs.TypeMix, inputs.TenureMix),
            Mean(
                Scored(LiveabilityAnchors.Noise, inputs.LdenDb),
                Scored(LiveabilityAnchors.No2, inputs.No2),
                Scored(LiveabilityAnchors.Heat, inputs.UhiMaxK),
                Scored(LiveabilityAnchors.Green, inputs.GreenM2PerInhabitant),
                Scored(LiveabilityAnchors.Canopy, inputs.CanopyShare)),
            Mean(Scored(LiveabilityAnchors.FacilityCapacity, inputs.FacilityRatio), Scored(LiveabilityAnchors.Walking, inputs.WalkMetres)),
            Mean(Scored(LiveabilityAnchors.LowIncome, inputs.LowIncomePercent)),
            Mean(Scored(LiveabilityAnchors.Traffic, inputs.VehiclesPerDay)),
        ];
        var known = dimensions.Where(d => d is not null).Select(d => d!.Value).ToList();
        var composite = known.Count >= MinimumDimensions ? known.Average() : (double?)null;
        return new(buurtcode, dwellings, dimensions[0], dimensions[1], dimensions[2], dimensions[3], dimensions[4], composite, inputs);
    }

    private static double? Scored(LinearScore anchor, double? value) => value is { } v && double.IsFinite(v) ? anchor.Of(v) : null;

    private static double? Mean(params double?[] scores)
    {
        var known = scores.Where(s => s is not null).Select(s => s!.Value).ToList();
        return known.Count > 0 ? known.Average() * 100 : null;
    }

    /// <summary>
    /// The dwellings of a buurt's buildings per class (<paramref name="classOf"/>: type or tenure), in the order each
    /// class first occurs, which is the order the sums in <see cref="Evenness"/> add them in (as grouping the records
    /// did before scenario-liveability5, so the doubles are the same). Gathered in <paramref name="counts"/>, reused per buurt.
    /// </summary>
    private static List<(int Class, int Dwellings)> DwellingsPerClass(List<Building> inBuurt, List<(int Class, int Dwellings)> counts, Func<DwellingStock, int> classOf)
    {
        counts.Clear();
        foreach (var b in inBuurt)
        {
            foreach (var s in b.Stock)
            {
                var c = classOf(s);
                var k = 0;
                while (k < counts.Count && counts[k].Class != c)
                {
                    k++;
                }

                if (k == counts.Count)
                {
                    counts.Add((c, 0));
                }

                counts[k] = (c, checked(counts[k].Dwellings + s.Count));
            }
        }

        return counts;
    }

    // Normalised Shannon entropy of the counts over `classes` classes: 0 when all are of one class, 1 when spread evenly.
    // Both sums run over the positive counts in their order, from 0.
    private static double? Evenness(List<(int Class, int Dwellings)> counts, int classes)
    {
        var total = 0.0;
        foreach (var (_, n) in counts)
        {
            if (n > 0)
            {
                total += n;
            }
        }

        if (!(total > 0))
        {
            return null;
        }

        var entropy = 0.0;
        foreach (var (_, n) in counts)
        {
            if (n > 0)
            {
                entropy += (double)n / total * Math.Log((double)n / total);
            }
        }

        return -entropy / Math.Log(classes);
    }

    private static double? Weighted(List<Building> inBuurt, Dictionary<string, double> values)
    {
        double sum = 0, weight = 0;
        foreach (var b in inBuurt)
        {
            if (values.TryGetValue(b.Id, out var v))
            {
                sum += v * b.Count;
                weight += b.Count;
            }
        }

        return weight > 0 ? sum / weight : null;
    }

    private static Dictionary<string, Building> Buildings(IReadOnlyList<DwellingStock> stock)
    {
        // Sized for a building per record, the most there can be: no table grows (and copies) on the way. One look-up
        // per record (the slot is filled in place), as each id's hash is the larger part of a look-up's cost.
        var buildings = new Dictionary<string, Building>(stock.Count, StringComparer.Ordinal);
        for (var i = 0; i < stock.Count; i++)
        {
            var d = stock[i];
            ref var b = ref CollectionsMarshal.GetValueRefOrAddDefault(buildings, d.BuildingId, out _);
            b ??= new Building(d.BuildingId, d.Buurtcode, d.Location.Coordinate, [], i);
            b.Add(d);
        }

        return buildings;
    }

    /// <summary>The NO2 records at the receptors, then those of the grid's cells, read as one list.</summary>
    private static Concatenated<AirConcentration> AirRecords(ModelRun run) =>
        new(run.Input(AirQualityPorts.ReceptorConcentrations), run.Input(AirQualityPorts.GridConcentrations));

    private static ValuedPoint AirPoint(AirConcentration c) => new(c.Id, c.X, c.Y, c.No2);

    /// <summary>
    /// The value at each building: the point that carries the building's id (where receptors are placed one per building,
    /// keyed by its panden id), else the nearest point within <see cref="MatchRadiusMetres"/>; no value where there is none.
    /// </summary>
    /// <param name="buildings">The buildings.</param>
    /// <param name="points">The points, in list order.</param>
    /// <param name="unique">The points by id when every id occurs once (else <c>null</c>, and the first point of an id stands for it).</param>
    /// <param name="cancellationToken">Checked per building and per point.</param>
    private static Dictionary<string, double> AtBuildings(
        Building[] buildings, IReadOnlyCollection<ValuedPoint> points, Dictionary<string, ValuedPoint>? unique, CancellationToken cancellationToken)
    {
        // Each building's id looked up once (before scenario-liveability6, twice): its own point's value kept by position,
        // the buildings without one gathered for the nearest; then the values go in in building order, as before.
        var byId = unique ?? PointsById(points);
        var own = new double?[buildings.Length];
        var withoutOwn = new List<Building>();
        for (var i = 0; i < buildings.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (byId.TryGetValue(buildings[i].Id, out var point))
            {
                own[i] = point.Value;
            }
            else
            {
                withoutOwn.Add(buildings[i]);
            }
        }

        var nearest = NearestValues([.. withoutOwn], points, cancellationToken);
        var values = new Dictionary<string, double>(buildings.Length, StringComparer.Ordinal);
        for (var i = 0; i < buildings.Length; i++)
        {
            if (own[i] is { } value || nearest.TryGetValue(buildings[i].Id, out value))
            {
                values[buildings[i].Id] = value;
            }
        }

        return values;
    }

    private static Dictionary<string, ValuedPoint> PointsById(IReadOnlyCollection<ValuedPoint> points)
    {
        var byId = new Dictionary<string, ValuedPoint>(points.Count, StringComparer.Ordinal);
        foreach (var p in points)
        {
            byId.TryAdd(p.Id, p);
        }

        return byId;
    }

    /// <summary>
    /// The value of the nearest point within <see cref="MatchRadiusMetres"/> of each of <paramref name="buildings"/>, for
    /// those that have one; of two at one distance the smaller id, and of two with one id too the first in
    /// <paramref name="points"/>, so the result does not depend on an index's order.
    /// </summary>
    /// <remarks>
    /// The buildings are indexed, not the points, and every point visits the buildings near it: the buildings asking are
    /// few (those without a point of their own id, 325 of the demo city's 39,374 for noise, none for NO2; in an edit the
    /// few whose surroundings changed), the points tens of thousands. Before (scenario-liveability4) an R-tree was built
    /// over every point for the few buildings, the largest part of a full run.
    /// </remarks>
    private static Dictionary<string, double> NearestValues(Building[] buildings, IEnumerable<ValuedPoint> points, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        if (buildings.Length == 0)
        {
            return values;
        }

        var index = new Spatial.BucketGrid<Building>([.. buildings.Select(b => (b.At.X, b.At.Y, b.At.X, b.At.Y, b))], MatchRadiusMetres);
        var nearest = new (ValuedPoint? Point, double Distance)[buildings.Length];
        var near = new List<int>();
        foreach (var p in points)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // A metre of slack on the window, so rounding at its edge cannot drop a point at exactly the radius: the distance decides.
            index.Near(p.X, p.Y, MatchRadiusMetres + 1, near);
            foreach (var i in near)
            {
                var distance = p.DistanceTo(buildings[i].At);
                if (distance <= MatchRadiusMetres && (nearest[i].Point is not { } best || distance < nearest[i].Distance
                    || (distance == nearest[i].Distance && string.CompareOrdinal(p.Id, best.Id) < 0)))
                {
                    nearest[i] = (p, distance);
                }
            }
        }

        for (var i = 0; i < buildings.Length; i++)
        {
            if (nearest[i].Point is { } point)
            {
                values[buildings[i].Id] = point.Value;
            }
        }

        return values;
    }

    private static Dictionary<string, double> HeatAtBuildings(
        Dictionary<string, Building> buildings, HeatGrid grid, IReadOnlyList<HeatCell> cells, CancellationToken cancellationToken)
    {
        var byCell = cells.ToDictionary(c => (c.Column, c.Row), c => c.UhiMaxK);
        var values = new Dictionary<string, double>(buildings.Count, StringComparer.Ordinal);
        foreach (var b in buildings.Values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (byCell.TryGetValue(CellOf(b, grid), out var uhi))
            {
                values[b.Id] = uhi;
            }
        }

        return values;
    }

    /// <summary>The heat cell (column, row) a building's point falls in.</summary>
    private static (int Column, int Row) CellOf(Building b, HeatGrid grid) =>
        ((int)Math.Floor((b.At.X - grid.MinX) / grid.CellSizeM), (int)Math.Floor((b.At.Y - grid.MinY) / grid.CellSizeM));

    /// <summary>The centre line of each road by id (a road listed twice is refused, with the dictionary's message).</summary>
    private static Dictionary<string, LineString> RoadGeometry(IReadOnlyList<RoadLink> roads) => roads.ToDictionary(r => r.Id, r => r.Geometry, StringComparer.Ordinal);

    /// <summary>The motor roads with traffic: centre line and vehicles per working day, by link id (a link listed twice keeps its busiest record).</summary>
    private static Dictionary<string, (LineString Line, double Vehicles)> TrafficIndex(
        Dictionary<string, LineString> geometry, IReadOnlyList<LinkTraffic> traffic, CancellationToken cancellationToken)
    {
        var busy = new Dictionary<string, (LineString Line, double Vehicles)>(traffic.Count, StringComparer.Ordinal);
        foreach (var t in traffic)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (t.VehiclesPerDay > 0 && geometry.TryGetValue(t.LinkId, out var line))
            {
                // One look-up for the link's slot: filled when new, replaced when this record is busier.
                ref var seen = ref CollectionsMarshal.GetValueRefOrAddDefault(busy, t.LinkId, out var listed);
                if (!listed || seen.Vehicles < t.VehiclesPerDay)
                {
                    seen = (line, t.VehiclesPerDay);
                }
            }
        }

        return busy;
    }

    /// <summary>
    /// Per building, the daily motor vehicles of the busiest link within <see cref="TrafficRadiusMetres"/>; 0 on a street
    /// without motor traffic. A link is within reach when one of its segments is (the least
    /// <see cref="DistanceComputer.PointToSegment"/> over its segments is the line's distance as NetTopologySuite measures
    /// it); a link without coordinates has no place and reaches none. With <paramref name="onlyNear"/> (a few buildings, in
    /// an incremental run) only the links whose envelope meets the buildings' envelope widened by that radius are indexed:
    /// no other link is in reach of one.
    /// </summary>
    /// <remarks>
    /// The segments are bucketed on a grid and each building measures only those in the cells around it, stopping at none
    /// busier than the busiest found so far; the largest of the vehicles within reach is the same double in any order.
    /// Before (scenario-liveability4) an R-tree of whole links was searched per building and every segment of each link
    /// whose envelope met the search measured.
    /// </remarks>
    private static Dictionary<string, double> TrafficAtBuildings(
        Building[] buildings, Dictionary<string, (LineString Line, double Vehicles)> busy, CancellationToken cancellationToken, bool onlyNear = false)
    {
        var values = new Dictionary<string, double>(buildings.Length, StringComparer.Ordinal);
        if (buildings.Length == 0)
        {
            return values;
        }

        var reach = new Envelope();
        foreach (var b in buildings)
        {
            reach.ExpandToInclude(b.At);
        }

        reach.ExpandBy(TrafficRadiusMetres);
        var inReach = new List<(LineString Line, double Vehicles)>(busy.Count);
        var segmentCount = 0;
        foreach (var link in busy.Values)
        {
            if (!onlyNear || link.Line.EnvelopeInternal.Intersects(reach))
            {
                inReach.Add(link);
                segmentCount += Math.Max(0, link.Line.NumPoints - 1);
            }
        }

        // Sized first: the demo city's segments fill a list of some MB, which growing by doubling would copy on the large-object heap.
        var segments = new List<(double X1, double Y1, double X2, double Y2, (Coordinate From, Coordinate To, double Vehicles) Item)>(segmentCount);
        foreach (var link in inReach)
        {
            var line = link.Line.Coordinates;
            for (var k = 1; k < line.Length; k++)
            {
                segments.Add((line[k - 1].X, line[k - 1].Y, line[k].X, line[k].Y, (line[k - 1], line[k], link.Vehicles)));
            }
        }

        // Each building on its own, in parallel over the built grid (a searcher per thread); the values are gathered in building order.
        var grid = new Spatial.BucketGrid<(Coordinate From, Coordinate To, double Vehicles)>(segments, TrafficRadiusMetres);
        var found = new double[buildings.Length];
        Parallel.For(
            0,
            buildings.Length,
            new ParallelOptions { CancellationToken = cancellationToken },
            () => (Grid: grid.Searcher(), Near: new List<int>()),
            (i, _, search) =>
            {
                var at = buildings[i].At;
                // A metre of slack on the window, so rounding at its edge cannot drop a segment at exactly the radius: the distance decides.
                search.Grid.Near(at.X, at.Y, TrafficRadiusMetres + 1, search.Near);
                var vehicles = 0.0;
                foreach (var s in search.Near)
                {
                    var (from, to, linkVehicles) = grid.Segments[s].Item;
                    if (linkVehicles > vehicles && DistanceComputer.PointToSegment(at, from, to) <= TrafficRadiusMetres)
                    {
                        vehicles = linkVehicles;
                    }
                }

                found[i] = vehicles;
                return search;
            },
            _ => { });

        for (var i = 0; i < buildings.Length; i++)
        {
            values[buildings[i].Id] = found[i];
        }

        return values;
    }

    /// <summary>A building with dwellings, from its records in the dwelling list; <paramref name="First"/> is the position of its first record there.</summary>
    private sealed record Building(string Id, string Buurtcode, Coordinate At, List<DwellingStock> Stock, int First)
    {
        /// <summary>
        /// The dwellings of its records, summed as each is added (scoring asks for it per value; summing the stock when
        /// first asked, as before scenario-liveability6, took a LINQ pass per building in every full run).
        /// </summary>
        public int Count { get; private set; }

        /// <summary>Adds one of its records in the dwelling list, after those added before it.</summary>
        public void Add(DwellingStock record)
        {
            Stock.Add(record);
            Count = checked(Count + record.Count);
        }
    }

    /// <summary>
    /// A noise receptor or NO2 point with its value, at (<paramref name="X"/>, <paramref name="Y"/>) in m. A struct, held
    /// inline in the lists and by-id tables: the demo city's full run makes 94,722 NO2 and 39,049 noise points, all kept
    /// for the next run, and as objects (each with its own coordinate for the NO2 points) they were some 360,000 small
    /// objects every collection of the run had to copy (scenario-liveability5).
    /// </summary>
    private readonly record struct ValuedPoint(string Id, double X, double Y, double Value)
    {
        /// <summary>The distance to <paramref name="at"/>, m, computed as <see cref="Coordinate.Distance"/> computes it between two coordinates.</summary>
        public double DistanceTo(Coordinate at)
        {
            var (dx, dy) = (X - at.X, Y - at.Y);
            return Math.Sqrt((dx * dx) + (dy * dy));
        }

        /// <summary>Whether <paramref name="other"/> lies at the same place (as <see cref="Coordinate.Equals2D(Coordinate)"/>) with the same value.</summary>
        public bool SamePlaceAndValue(ValuedPoint other) => X == other.X && Y == other.Y && Value.Equals(other.Value);
    }

    /// <summary>What changed for a buurt since the run an incremental run starts from.</summary>
    [Flags]
    private enum BuurtChange
    {
        None = 0,

        /// <summary>The dwellings of one of its buildings, or which buildings it holds.</summary>
        Dwellings = 1,

        /// <summary>The noise at one of its buildings.</summary>
        Noise = 2,

        /// <summary>The NO2 at one of its buildings.</summary>
        No2 = 4,

        /// <summary>The UHI_max at one of its buildings.</summary>
        Uhi = 8,

        /// <summary>The busiest traffic at one of its buildings.</summary>
        Traffic = 16,

        /// <summary>Its green, facility, walking or low-income figure.</summary>
        Figures = 32,
    }
}
