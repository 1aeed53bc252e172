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

        var buildings = Buildings(run.Input(CityPorts.Dwellings));
        var buildingsBefore = Buildings(previous.Input(CityPorts.Dwellings));
        var noise = UpdatedNearest(
            buildings, buildingsBefore, valuesBefore.Noise,
            NoisePoints(run.Input(NoisePorts.Receptors), run.Input(NoisePorts.FacadeLevels)),
            NoisePoints(previous.Input(NoisePorts.Receptors), previous.Input(NoisePorts.FacadeLevels)));
        var no2 = UpdatedNearest(
            buildings, buildingsBefore, valuesBefore.No2,
            AirPoints(run.Input(AirQualityPorts.ReceptorConcentrations), run.Input(AirQualityPorts.GridConcentrations)),
            AirPoints(previous.Input(AirQualityPorts.ReceptorConcentrations), previous.Input(AirQualityPorts.GridConcentrations)));
        var traffic = UpdatedTraffic(
            buildings, buildingsBefore, valuesBefore.Traffic,
            UniqueLinks(run.Input(CityPorts.Roads), run.Input(TrafficPorts.LinkTraffic)),
            UniqueLinks(previous.Input(CityPorts.Roads), previous.Input(TrafficPorts.LinkTraffic)),
            cancellationToken);
        if (noise is null || no2 is null || traffic is null)
        {
            return false;
        }

        var values = new BuildingValues(noise, no2, HeatAtBuildings(buildings, run.Input(HeatPorts.Grid), run.Input(HeatPorts.Cells)), traffic);
        var buurt = BuurtInputs.Of(
            run.Input(GreenPorts.PerNeighbourhood), run.Input(FacilitiesPorts.Supply), run.Input(AccessibilityPorts.BuurtDistances), run.Input(SocialPorts.LowIncome));
        var buurtBefore = BuurtInputs.Of(
            previous.Input(GreenPorts.PerNeighbourhood), previous.Input(FacilitiesPorts.Supply), previous.Input(AccessibilityPorts.BuurtDistances), previous.Input(SocialPorts.LowIncome));
        var changed = ChangedBuurten(ByBuurt(buildings), ByBuurt(buildingsBefore), values, valuesBefore, buurt, buurtBefore);
        var earlier = scoresBefore.ToDictionary(b => b.Buurtcode, StringComparer.Ordinal);
        var result = Scores(buildings, values, buurt, code => changed.Contains(code) ? null : earlier.GetValueOrDefault(code), cancellationToken);
        _valuesBehind.AddOrUpdate(result, values);
        run.Output(LiveabilityPorts.Liveability, result);
        return true;
    }

    /// <summary>
    /// The noise or NO2 value at every building, equal to <see cref="AtBuildings"/>: a building's own point's value; else
    /// the earlier nearest value when the building stands where it stood, had no own point then either, and no point
    /// within <see cref="MatchRadiusMetres"/> appeared, vanished, moved or changed its value; else the nearest again.
    /// <c>null</c> when a point id occurs twice (the nearest of two points at one distance would then depend on their order).
    /// </summary>
    private static Dictionary<string, double>? UpdatedNearest(
        Dictionary<string, Building> buildings, Dictionary<string, Building> buildingsBefore, Dictionary<string, double> valuesBefore, List<ValuedPoint> points, List<ValuedPoint> pointsBefore)
    {
        var (now, before) = (UniquePoints(points), UniquePoints(pointsBefore));
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

        foreach (var (id, value) in NearestValues([.. again], points))
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

        foreach (var (id, value) in TrafficAtBuildings([.. again], busy, cancellationToken))
        {
            values[id] = value;
        }

        return values;
    }

    /// <summary>The links with traffic as <see cref="TrafficIndex"/> gives them; <c>null</c> when a road or a link's traffic is listed twice.</summary>
    private static Dictionary<string, (LineString Line, double Vehicles)>? UniqueLinks(IReadOnlyList<RoadLink> roads, IReadOnlyList<LinkTraffic> traffic)
    {
        var roadIds = new HashSet<string>(roads.Count, StringComparer.Ordinal);
        var trafficIds = new HashSet<string>(traffic.Count, StringComparer.Ordinal);
        return roads.All(r => roadIds.Add(r.Id)) && traffic.All(t => trafficIds.Add(t.LinkId)) ? TrafficIndex(roads, traffic) : null;
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
