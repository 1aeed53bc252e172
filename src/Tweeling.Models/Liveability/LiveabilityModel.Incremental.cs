using System.Runtime.CompilerServices;
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
using Tweeling.Models.Spatial;
using Tweeling.Models.Traffic;

namespace Tweeling.Models.Liveability;

/// <summary>
/// The liveability model brought up to date after an edit (<see cref="IIncrementalModel"/>, docs/scenarios.md
/// "Incremental runs"). The scores use fixed anchors, not ranks or a city-wide minimum and maximum, so a buurt's scores
/// depend on its own dwellings and the values at them alone, and exact incrementality is possible: a building's noise and
/// NO2 are looked up again only within 100 m of a receptor or grid point whose value or place changed, its traffic only
/// within 50 m of a link whose traffic or centre line changed, and a buurt is scored again only when one of its
/// buildings, their values or its buurt figures changed; the other buurten keep their earlier scores.
/// </summary>
/// <remarks>
/// The output holds only buurt means, so the per-building values behind an output are kept beside it (in a weak table:
/// they live as long as the output does). A run that starts from an output this instance did not compute runs in full.
/// </remarks>
public sealed partial class LiveabilityModel : IIncrementalModel
{
    private readonly ConditionalWeakTable<IReadOnlyList<BuurtLiveability>, BuildingValues> _valuesBehind = [];

    /// <summary>
    /// The look-ups an incremental run derives from the earlier run (its buildings, points, links, buurt figures and
    /// scores), built by the first run that starts from it and kept beside its output for the next: every edit of a
    /// scenario starts from the same baseline run, so each edit would otherwise build them again.
    /// </summary>
    private readonly ConditionalWeakTable<IReadOnlyList<BuurtLiveability>, EarlierRun> _earlierRuns = [];

    /// <inheritdoc />
    public bool TryRunIncremental(ModelRun run, PreviousRun previous, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(previous);
        var scoresBefore = previous.Output(LiveabilityPorts.Liveability);
        if (!_valuesBehind.TryGetValue(scoresBefore, out var valuesBefore))
        {
            return false;
        }

        var earlier = Earlier(scoresBefore, previous);
        var buildings = Buildings(run.Input(CityPorts.Dwellings));
        var byBuurt = ByBuurt(buildings);
        var noise = UpdatedNearest(
            buildings, earlier.Buildings, valuesBefore.Noise, NoisePoints(run.Input(NoisePorts.Receptors), run.Input(NoisePorts.FacadeLevels)), earlier.Noise);
        var no2 = UpdatedNearest(
            buildings, earlier.Buildings, valuesBefore.No2,
            AirPoints(run.Input(AirQualityPorts.ReceptorConcentrations), run.Input(AirQualityPorts.GridConcentrations)), earlier.No2);
        var roads = run.Input(CityPorts.Roads);
        var roadGeometry = ReferenceEquals(roads, previous.Input(CityPorts.Roads)) ? earlier.RoadGeometry : UniqueRoads(roads);
        var traffic = UpdatedTraffic(
            buildings, earlier.Buildings, valuesBefore.Traffic, roadGeometry is null ? null : UniqueLinks(roadGeometry, run.Input(TrafficPorts.LinkTraffic)), earlier.Busy, cancellationToken);
        if (noise is null || no2 is null || traffic is null)
        {
            return false;
        }

        var values = new BuildingValues(noise, no2, HeatAtBuildings(buildings, run.Input(HeatPorts.Grid), run.Input(HeatPorts.Cells)), traffic);
        var buurt = BuurtInputs.Of(
            run.Input(GreenPorts.PerNeighbourhood), run.Input(FacilitiesPorts.Supply), run.Input(AccessibilityPorts.BuurtDistances), run.Input(SocialPorts.LowIncome));
        var changed = ChangedBuurten(byBuurt, earlier.ByBuurt, values, valuesBefore, buurt, earlier.Buurt);
        var result = Scores(byBuurt, values, buurt, code => changed.Contains(code) ? null : earlier.Scores.GetValueOrDefault(code), cancellationToken);
        _valuesBehind.AddOrUpdate(result, values);
        run.Output(LiveabilityPorts.Liveability, result);
        return true;
    }

    /// <summary>
    /// The look-ups of the earlier run: those kept beside its output when they were derived from the same input instances
    /// (a list the graph offers again with the same output is the same list), else derived now and kept.
    /// </summary>
    private EarlierRun Earlier(IReadOnlyList<BuurtLiveability> scoresBefore, PreviousRun previous)
    {
        var inputs = Descriptor.Inputs.Select(p => previous.Inputs[p.Name]).ToArray();
        if (_earlierRuns.TryGetValue(scoresBefore, out var kept) && kept.Inputs.Zip(inputs).All(p => ReferenceEquals(p.First, p.Second)))
        {
            return kept;
        }

        var buildings = Buildings(previous.Input(CityPorts.Dwellings));
        var roadGeometry = UniqueRoads(previous.Input(CityPorts.Roads));
        var earlier = new EarlierRun(
            inputs,
            buildings,
            ByBuurt(buildings),
            UniquePoints(NoisePoints(previous.Input(NoisePorts.Receptors), previous.Input(NoisePorts.FacadeLevels))),
            UniquePoints(AirPoints(previous.Input(AirQualityPorts.ReceptorConcentrations), previous.Input(AirQualityPorts.GridConcentrations))),
            roadGeometry,
            roadGeometry is null ? null : UniqueLinks(roadGeometry, previous.Input(TrafficPorts.LinkTraffic)),
            BuurtInputs.Of(
                previous.Input(GreenPorts.PerNeighbourhood), previous.Input(FacilitiesPorts.Supply), previous.Input(AccessibilityPorts.BuurtDistances), previous.Input(SocialPorts.LowIncome)),
            scoresBefore.ToDictionary(b => b.Buurtcode, StringComparer.Ordinal));
        _earlierRuns.AddOrUpdate(scoresBefore, earlier);
        return earlier;
    }

    /// <summary>
    /// The noise or NO2 value at every building, equal to <see cref="AtBuildings"/>: a building's own point's value; else
    /// the earlier nearest value when the building stands where it stood, had no own point then either, and no point
    /// within <see cref="MatchRadiusMetres"/> appeared, vanished, moved or changed its value; else the nearest again.
    /// <c>null</c> when a point id occurs twice (the nearest of two points at one distance would then depend on their order).
    /// </summary>
    private static Dictionary<string, double>? UpdatedNearest(
        Dictionary<string, Building> buildings, Dictionary<string, Building> buildingsBefore, Dictionary<string, double> valuesBefore, List<ValuedPoint> points, Dictionary<string, ValuedPoint>? pointsBefore)
    {
        var (now, before) = (UniquePoints(points), pointsBefore);
        if (now is null || before is null)
        {
            return null;
        }

        var moved = new List<(double X1, double Y1, double X2, double Y2)>();
        foreach (var (id, p) in now)
        {
            if (!before.TryGetValue(id, out var q) || !q.At.Equals2D(p.At) || !q.Value.Equals(p.Value))
            {
                moved.Add((p.At.X, p.At.Y, p.At.X, p.At.Y));
            }
        }

        foreach (var (id, q) in before)
        {
            if (!now.TryGetValue(id, out var p) || !q.At.Equals2D(p.At) || !q.Value.Equals(p.Value))
            {
                moved.Add((q.At.X, q.At.Y, q.At.X, q.At.Y));
            }
        }

        var near = new ChangedPlaces(moved, MatchRadiusMetres);
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        var again = new List<Building>();
        foreach (var b in buildings.Values)
        {
            if (now.TryGetValue(b.Id, out var own))
            {
                values[b.Id] = own.Value;
            }
            else if (buildingsBefore.TryGetValue(b.Id, out var was) && was.At.Equals2D(b.At) && !before.ContainsKey(b.Id) && !near.Touches(b.At.X, b.At.Y))
            {
                if (valuesBefore.TryGetValue(b.Id, out var value))
                {
                    values[b.Id] = value;
                }
            }
            else
            {
                again.Add(b);
            }
        }

        foreach (var (id, value) in NearestValues([.. again], points, onlyNear: true))
        {
            values[id] = value;
        }

        return values;
    }

    private static Dictionary<string, ValuedPoint>? UniquePoints(List<ValuedPoint> points)
    {
        var byId = new Dictionary<string, ValuedPoint>(points.Count, StringComparer.Ordinal);
        foreach (var p in points)
        {
            if (!byId.TryAdd(p.Id, p))
            {
                return null;
            }
        }

        return byId;
    }

    /// <summary>
    /// The busiest traffic at every building, equal to <see cref="TrafficAtBuildings"/>: the earlier value when the
    /// building stands where it stood and no link within <see cref="TrafficRadiusMetres"/> changed its traffic or centre line.
    /// </summary>
    private static Dictionary<string, double>? UpdatedTraffic(
        Dictionary<string, Building> buildings,
        Dictionary<string, Building> buildingsBefore,
        Dictionary<string, double> valuesBefore,
        Dictionary<string, (LineString Line, double Vehicles)>? busy,
        Dictionary<string, (LineString Line, double Vehicles)>? busyBefore,
        CancellationToken cancellationToken)
    {
        if (busy is null || busyBefore is null)
        {
            return null;
        }

        var changed = new List<LineString>();
        foreach (var (id, link) in busy)
        {
            if (!busyBefore.TryGetValue(id, out var was) || !was.Vehicles.Equals(link.Vehicles) || !(ReferenceEquals(was.Line, link.Line) || was.Line.EqualsExact(link.Line)))
            {
                changed.Add(link.Line);
            }
        }

        foreach (var (id, was) in busyBefore)
        {
            if (!busy.TryGetValue(id, out var link) || !was.Vehicles.Equals(link.Vehicles) || !(ReferenceEquals(was.Line, link.Line) || was.Line.EqualsExact(link.Line)))
            {
                changed.Add(was.Line);
            }
        }

        var near = ChangedPlaces.OfLines(changed, TrafficRadiusMetres);
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        var again = new List<Building>();
        foreach (var b in buildings.Values)
        {
            if (buildingsBefore.TryGetValue(b.Id, out var was) && was.At.Equals2D(b.At) && !near.Touches(b.At.X, b.At.Y))
            {
                values[b.Id] = valuesBefore[b.Id];
            }
            else
            {
                again.Add(b);
            }
        }

        foreach (var (id, value) in TrafficAtBuildings([.. again], busy, cancellationToken, onlyNear: true))
        {
            values[id] = value;
        }

        return values;
    }

    /// <summary>The centre line of each road by id; <c>null</c> when a road is listed twice.</summary>
    private static Dictionary<string, LineString>? UniqueRoads(IReadOnlyList<RoadLink> roads)
    {
        var geometry = new Dictionary<string, LineString>(roads.Count, StringComparer.Ordinal);
        return roads.All(r => geometry.TryAdd(r.Id, r.Geometry)) ? geometry : null;
    }

    /// <summary>The links with traffic as <see cref="TrafficIndex"/> gives them; <c>null</c> when a link's traffic is listed twice.</summary>
    private static Dictionary<string, (LineString Line, double Vehicles)>? UniqueLinks(Dictionary<string, LineString> roadGeometry, IReadOnlyList<LinkTraffic> traffic)
    {
        var trafficIds = new HashSet<string>(traffic.Count, StringComparer.Ordinal);
        return traffic.All(t => trafficIds.Add(t.LinkId)) ? TrafficIndex(roadGeometry, traffic) : null;
    }

    /// <summary>The buurten to score again: those whose buildings (their places and dwellings), building values or buurt figures changed.</summary>
    private HashSet<string> ChangedBuurten(
        Dictionary<string, List<Building>> byBuurt,
        Dictionary<string, List<Building>> byBuurtBefore,
        BuildingValues values,
        BuildingValues valuesBefore,
        BuurtInputs buurt,
        BuurtInputs buurtBefore)
    {
        var changed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var code in byBuurt.Keys.Union(byBuurtBefore.Keys, StringComparer.Ordinal))
        {
            var (now, before) = (byBuurt.GetValueOrDefault(code) ?? [], byBuurtBefore.GetValueOrDefault(code) ?? []);
            if (now.Count != before.Count || now.Zip(before).Any(p => !SameBuilding(p.First, p.Second))
                || now.Any(b => !values.SameAt(b.Id, valuesBefore)))
            {
                changed.Add(code);
            }
        }

        foreach (var code in buurt.Codes.Union(buurtBefore.Codes, StringComparer.Ordinal))
        {
            if (!buurt.SameFor(code, buurtBefore, _scoreResidents))
            {
                changed.Add(code);
            }
        }

        return changed;
    }

    private static bool SameBuilding(Building a, Building b) =>
        a.Id == b.Id && a.At.Equals2D(b.At) && a.Stock.Count == b.Stock.Count && a.Stock.Zip(b.Stock).All(p => ReferenceEquals(p.First, p.Second) || SameDwellings(p.First, p.Second));

    private static bool SameDwellings(DwellingStock a, DwellingStock b) =>
        a.BuildingId == b.BuildingId && a.Buurtcode == b.Buurtcode && a.Count == b.Count && a.Type == b.Type && a.Tenure == b.Tenure && a.Location.Coordinate.Equals2D(b.Location.Coordinate);

    /// <summary>What <see cref="Earlier"/> derives from an earlier run, with the input instances it was derived from.</summary>
    private sealed record EarlierRun(
        object[] Inputs,
        Dictionary<string, Building> Buildings,
        Dictionary<string, List<Building>> ByBuurt,
        Dictionary<string, ValuedPoint>? Noise,
        Dictionary<string, ValuedPoint>? No2,
        Dictionary<string, LineString>? RoadGeometry,
        Dictionary<string, (LineString Line, double Vehicles)>? Busy,
        BuurtInputs Buurt,
        Dictionary<string, BuurtLiveability> Scores);

    /// <summary>The values at each building (by building id; a building without a value is left out).</summary>
    private sealed record BuildingValues(Dictionary<string, double> Noise, Dictionary<string, double> No2, Dictionary<string, double> Uhi, Dictionary<string, double> Traffic)
    {
        /// <summary>Whether building <paramref name="id"/> has the same values (or the same lack of one) in <paramref name="other"/>.</summary>
        public bool SameAt(string id, BuildingValues other) =>
            Same(Noise, other.Noise, id) && Same(No2, other.No2, id) && Same(Uhi, other.Uhi, id) && Same(Traffic, other.Traffic, id);

        private static bool Same(Dictionary<string, double> a, Dictionary<string, double> b, string id) =>
            a.TryGetValue(id, out var x) ? b.TryGetValue(id, out var y) && x.Equals(y) : !b.ContainsKey(id);
    }

    /// <summary>What the other models give per buurt: green, facility capacity, walking distance and low income.</summary>
    private sealed record BuurtInputs(
        Dictionary<string, NeighbourhoodGreen> Green,
        Dictionary<string, double> Capacity,
        Dictionary<string, double> Walking,
        Dictionary<string, BuurtLowIncomeEstimate> LowIncome)
    {
        public IEnumerable<string> Codes => Green.Keys.Concat(Capacity.Keys).Concat(Walking.Keys).Concat(LowIncome.Keys);

        public static BuurtInputs Of(
            IReadOnlyList<NeighbourhoodGreen> green, IReadOnlyList<BuurtFacilitySupply> supply, IReadOnlyList<BuurtFacilityDistance> distances, IReadOnlyList<BuurtLowIncomeEstimate> lowIncome) =>
            new(
                green.ToDictionary(g => g.Code, StringComparer.Ordinal),
                supply.GroupBy(s => s.Buurtcode, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Average(s => Math.Min(1, s.Ratio)), StringComparer.Ordinal),
                distances.Where(d => d.MeanWalkMetres is not null).GroupBy(d => d.Buurtcode, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.Average(d => d.MeanWalkMetres!.Value), StringComparer.Ordinal),
                lowIncome.ToDictionary(s => s.Buurtcode, StringComparer.Ordinal));

        /// <summary>Whether buurt <paramref name="code"/> reads the same figures here as in <paramref name="other"/>.</summary>
        public bool SameFor(string code, BuurtInputs other, bool scoreResidents)
        {
            var (g, h) = (Green.GetValueOrDefault(code), other.Green.GetValueOrDefault(code));
            return Equals(g?.GreenM2PerInhabitant, h?.GreenM2PerInhabitant) && Equals(g?.CanopyShare, h?.CanopyShare)
                && Equals(Value(Capacity, code), Value(other.Capacity, code)) && Equals(Value(Walking, code), Value(other.Walking, code))
                && LowIncome.ContainsKey(code) == other.LowIncome.ContainsKey(code)
                && (!scoreResidents || Equals(LowIncome.GetValueOrDefault(code)?.Percent, other.LowIncome.GetValueOrDefault(code)?.Percent));
        }

        private static double? Value(Dictionary<string, double> values, string code) => values.TryGetValue(code, out var v) ? v : null;
    }
}
