using System.Collections.Frozen;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using Tweeling.Domain.Scenarios;
using Tweeling.Models.Accessibility;
using Tweeling.Models.AirQuality;
using Tweeling.Models.Facilities;
using Tweeling.Models.Graph;
using Tweeling.Models.Green;
using Tweeling.Models.Heat;
using Tweeling.Models.Noise;
using Tweeling.Models.Traffic;
using TrafficDwellingType = Tweeling.Models.Traffic.DwellingType;
using TrafficTenure = Tweeling.Models.Traffic.Tenure;

namespace Tweeling.Models.City;

/// <summary>How the interventions of a scenario change the baseline ports (documented rule by rule in docs/scenarios.md).</summary>
public sealed partial class CityBaseline
{
    /// <summary>Dwellings per added building when the added type is <see cref="Domain.Scenarios.DwellingType.Appartement"/> [A]: a mid-rise block.</summary>
    public const int FlatsPerBuilding = 40;

    /// <summary>The spacing of the trees a <c>groen-toevoegen</c> of kind <c>bomen</c> plants, m [A]: street-tree spacing.</summary>
    public const double PlantedTreeSpacingM = 10;

    /// <summary>The crown diameter of a planted tree, m [A]: a tree some ten years after planting.</summary>
    public const double PlantedCrownDiameterM = 8;

    /// <summary>
    /// The ground a new dwelling covers, by type: building footprint and private plus street paving, m² per dwelling [A].
    /// Footprints: a 5.4 × 10 m terraced plan of two storeys and an attic (≈ 120 m² gross floor area), a wider
    /// semi-detached plan, a detached plan, and a flat as a quarter of a ≈ 80 m² gross flat in a four-storey block.
    /// Paving: one parking bay (2.5 × 5 m = 12.5 m²) plus the dwelling's share of pavement and residential street,
    /// more for wider plots; flats share street and a car park. Our assumptions, of the order of Dutch new-build
    /// plans; to be checked against the RVO reference dwellings (Referentiewoningen nieuwbouw) before release.
    /// </summary>
    public static IReadOnlyDictionary<Domain.Scenarios.DwellingType, (double FootprintM2, double PavedM2)> GroundPerDwelling { get; } =
        new Dictionary<Domain.Scenarios.DwellingType, (double, double)>
        {
            [Domain.Scenarios.DwellingType.Appartement] = (20, 15),
            [Domain.Scenarios.DwellingType.Tussenwoning] = (55, 30),
            [Domain.Scenarios.DwellingType.Hoekwoning] = (60, 35),
            [Domain.Scenarios.DwellingType.TweeOnderEenKap] = (70, 40),
            [Domain.Scenarios.DwellingType.Vrijstaand] = (100, 50),
        };

    private static readonly IReadOnlyList<IsochroneRequest> s_noIsochrones = [];
    private static readonly IReadOnlyList<StreetProfile> s_openStreets = [];

    /// <summary>
    /// The values of every baseline port of the model graph with <paramref name="interventions"/> applied in order.
    /// Ports no intervention touches are the baseline's own instances.
    /// </summary>
    /// <exception cref="ScenarioInputException">An intervention names a facility or road link that does not exist at the reference date.</exception>
    public IReadOnlyDictionary<string, object> Inputs(IReadOnlyList<Intervention> interventions)
    {
        ArgumentNullException.ThrowIfNull(interventions);
        var state = new ScenarioState(this);
        for (var i = 0; i < interventions.Count; i++)
        {
            state.Apply(i, interventions[i]);
        }

        return state.Ports();
    }

    /// <summary>
    /// The hash of every port of <paramref name="inputs"/> (<see cref="Inputs"/> of <paramref name="interventions"/>) for
    /// <see cref="ModelGraph.Run"/>: a port that is the baseline's instance has the baseline's content hash; a port the
    /// interventions made anew has a hash derived from the city (<see cref="Identity"/>), the port and the interventions
    /// (<see cref="ScenarioContent.Hash"/>), not from its content. <see cref="Inputs"/> is a function of the city and the
    /// interventions alone, so equal derived hashes mean equal values; hashing the content of a new land cover or dwelling
    /// list (tens of thousands of geometries) would cost an edit a second.
    /// </summary>
    public IReadOnlyDictionary<string, string> InputHashes(IReadOnlyDictionary<string, object> inputs, IReadOnlyList<Intervention> interventions)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(interventions);
        var scenario = ScenarioContent.Hash(ReferenceDate, interventions);
        return inputs.ToDictionary(
            p => p.Key,
            p => Baseline.TryGetValue(p.Key, out var own) && ReferenceEquals(own, p.Value)
                ? ContentHash.Of(own)
                : s_hashedByContent.Contains(p.Key)
                    ? ContentHash.Of(p.Value)
                    : ContentHash.Combine(["derived", Identity, p.Key, scenario]),
            StringComparer.Ordinal);
    }

    /// <summary>
    /// Ports hashed by their content even when an intervention made them anew: the accessibility model's dwellings are
    /// buildings and locations without counts, so an edit of a flat count that fills the same buildings (2,001 and 2,002
    /// flats both take 51 buildings of <see cref="FlatsPerBuilding"/>) leaves them equal, and the graph's cache then
    /// answers the non-incremental accessibility model (0.2–0.35 s of an edit, idle) instead of running it again.
    /// </summary>
    private static readonly FrozenSet<string> s_hashedByContent = FrozenSet.Create(StringComparer.Ordinal, AccessibilityPorts.Dwellings.Name);

    /// <summary>The grid points at which <see cref="AddDwellings"/> places its buildings: at least <paramref name="wanted"/> inside <paramref name="area"/>, row by row from the south-west.</summary>
    internal static List<Point> GridPoints(Polygon area, int wanted) => GridPoints(area, wanted, out _);

    /// <summary>As <see cref="GridPoints(Polygon, int)"/>, with the spacing of the points in metres.</summary>
    internal static List<Point> GridPoints(Polygon area, int wanted, out double spacing)
    {
        var locator = new IndexedPointInAreaLocator(area);
        var envelope = area.EnvelopeInternal;
        spacing = Math.Sqrt(Math.Max(area.Area, 1) / wanted) / 0.9;
        var points = new List<Point>();
        // Shrink the spacing until enough cell centres fall inside; a sliver may need several steps.
        for (var attempt = 0; attempt < 60 && points.Count < wanted; attempt++)
        {
            spacing *= 0.9;
            points.Clear();
            for (var y = envelope.MinY + (spacing / 2); y < envelope.MaxY; y += spacing)
            {
                for (var x = envelope.MinX + (spacing / 2); x < envelope.MaxX; x += spacing)
                {
                    if (locator.Locate(new Coordinate(x, y)) == Location.Interior)
                    {
                        points.Add(area.Factory.CreatePoint(new Coordinate(Math.Round(x, 3), Math.Round(y, 3))));
                    }
                }
            }
        }

        if (points.Count == 0)
        {
            points.Add(area.InteriorPoint);
        }

        return points;
    }

    private static TrafficDwellingType TrafficType(Domain.Scenarios.DwellingType type) => type switch
    {
        Domain.Scenarios.DwellingType.Appartement => TrafficDwellingType.Flat,
        Domain.Scenarios.DwellingType.Tussenwoning or Domain.Scenarios.DwellingType.Hoekwoning => TrafficDwellingType.Terraced,
        Domain.Scenarios.DwellingType.TweeOnderEenKap => TrafficDwellingType.SemiDetached,
        _ => TrafficDwellingType.Detached,
    };

    private static TrafficTenure TrafficTenure(Domain.Scenarios.Tenure tenure) => tenure switch
    {
        Domain.Scenarios.Tenure.Koop => Traffic.Tenure.OwnerOccupied,
        Domain.Scenarios.Tenure.SocialeHuur => Traffic.Tenure.SocialRent,
        _ => Traffic.Tenure.PrivateRent,
    };

    /// <summary>The mutable working copy of the ports while interventions apply; untouched parts stay the baseline's instances.</summary>
    private sealed class ScenarioState(CityBaseline city)
    {
        private readonly HashSet<string> _demolished = new(StringComparer.Ordinal);
        private readonly List<DwellingStock> _added = [];
        private readonly HashSet<string> _closed = new(StringComparer.Ordinal);
        private readonly Dictionary<string, double> _linkFactors = new(StringComparer.Ordinal);
        private readonly List<TreeLocation> _plantedTrees = [];
        private readonly List<GreenSpace> _addedGreen = [];
        private readonly List<(string BuildingId, Geometry Area, LandCover Cover)> _builtCover = [];
        private List<GreenSpace>? _publicGreen;
        private List<Facility>? _facilities;
        private List<RoadLink>? _roads;
        private List<(string Id, Geometry Area, Heat.LandCover Cover)>? _cover;
        private Dictionary<string, double>? _jobs;
        private int _ageing;

        public void Apply(int index, Intervention intervention)
        {
            switch (intervention)
            {
                case AddDwellings add:
                    AddDwellings(index, add);
                    break;
                case DemolishDwellings demolish:
                    var locator = new IndexedPointInAreaLocator(demolish.Area);
                    foreach (var b in city.Buildings.Where(b => b.Dwellings > 0 && locator.Locate(b.Footprint.Centroid.Coordinate) != Location.Exterior))
                    {
                        _demolished.Add(b.Id);
                    }

                    // Dwellings an earlier intervention added there go too, with their footprints (their paving stays, like streets).
                    var gone = _added.Where(d => locator.Locate(d.Location.Coordinate) != Location.Exterior).Select(d => d.BuildingId).ToHashSet(StringComparer.Ordinal);
                    _added.RemoveAll(d => gone.Contains(d.BuildingId));
                    _builtCover.RemoveAll(c => c.Cover == LandCover.Building && gone.Contains(c.BuildingId));
                    break;
                case AddFacility facility:
                    _facilities ??= [.. city.Facilities];
                    _facilities.Add(new Facility(
                        $"scenario:{index}", facility.Kind, facility.Location, facility.Capacity, UnitOf(facility.Kind)));
                    break;
                case RemoveFacility remove:
                    _facilities ??= [.. city.Facilities];
                    _facilities.RemoveAt(FacilityIndex(remove.FacilityId, index));
                    break;
                case ResizeFacility resize:
                    _facilities ??= [.. city.Facilities];
                    var at = FacilityIndex(resize.FacilityId, index);
                    _facilities[at] = _facilities[at] with { Capacity = resize.Capacity };
                    break;
                case CloseRoads close:
                    foreach (var id in close.LinkIds)
                    {
                        RoadIndex(id, index);
                        _closed.Add(id);
                    }

                    break;
                case SetRoadSpeed speed:
                    _roads ??= [.. city.Roads];
                    foreach (var id in speed.LinkIds)
                    {
                        var link = RoadIndex(id, index);
                        _roads[link] = _roads[link] with { SpeedLimitKmh = speed.SpeedLimitKmh };
                    }

                    break;
                case TrafficFactor factor:
                    MultiplyTraffic(factor);
                    break;
                case AddGreen green:
                    AddGreen(index, green);
                    break;
                case AgePopulation age:
                    _ageing += age.Years;
                    break;
                case MoveJobs jobs:
                    MoveJobs(jobs);
                    break;
                default:
                    throw new ArgumentException($"Unknown intervention {intervention.GetType().Name}.", nameof(intervention));
            }
        }

        public Dictionary<string, object> Ports()
        {
            var baseline = city.Baseline;
            var dwellingsChanged = _demolished.Count > 0 || _added.Count > 0;
            IReadOnlyList<DwellingStock> dwellings = dwellingsChanged
                ? [.. city.Dwellings.Where(d => !_demolished.Contains(d.BuildingId)), .. _added]
                : city.Dwellings;
            IReadOnlyList<Facility> facilities = _facilities ?? city.Facilities;
            var landCoverChanged = _cover is not null || _plantedTrees.Count > 0 || _demolished.Count > 0 || _builtCover.Count > 0;
            IReadOnlyList<GreenSpace> publicGreen = _publicGreen ?? city.PublicGreen;

            object Reuse(Port port, bool changed, Func<object> make) =>
                !changed && baseline is not null ? baseline[port.Name] : make();

            return new Dictionary<string, object>(StringComparer.Ordinal)
            {
                [CityPorts.Dwellings.Name] = dwellings,
                [CityPorts.BaselineDwellings.Name] = city.Dwellings,
                [CityPorts.BuurtStatistics.Name] = city.Statistics,
                [CityPorts.BuurtLowIncome.Name] = city.LowIncome,
                [CityPorts.AgeingYears.Name] = _ageing,
                [CityPorts.Roads.Name] = (IReadOnlyList<RoadLink>?)_roads ?? city.Roads,
                [CityPorts.BuurtAreas.Name] = city.Buurten,
                [TrafficPorts.ClosedLinks.Name] = Reuse(TrafficPorts.ClosedLinks, _closed.Count > 0, () => (IReadOnlyList<string>)[.. _closed.Order(StringComparer.Ordinal)]),
                [TrafficPorts.Zones.Name] = city.Zones,
                [TrafficPorts.LinkFactors.Name] = Reuse(TrafficPorts.LinkFactors, _linkFactors.Count > 0, () =>
                    (IReadOnlyList<LinkTrafficFactor>)[.. _linkFactors.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => new LinkTrafficFactor(f.Key, f.Value))]),
                [TrafficPorts.Dwellings.Name] = Reuse(TrafficPorts.Dwellings, dwellingsChanged, () => ZoneDwellings(dwellings)),
                [TrafficPorts.Activity.Name] = Reuse(TrafficPorts.Activity, _facilities is not null || _jobs is not null, () => Activity(facilities)),
                [FacilitiesPorts.Facilities.Name] = facilities,
                [AccessibilityPorts.Dwellings.Name] = Reuse(AccessibilityPorts.Dwellings, dwellingsChanged, () =>
                    (IReadOnlyList<Accessibility.Dwelling>)[.. dwellings.Select(d => new Accessibility.Dwelling(d.BuildingId, d.Location, d.Buurtcode))]),
                [AccessibilityPorts.IsochroneRequests.Name] = s_noIsochrones,
                [AirQualityPorts.StreetProfiles.Name] = s_openStreets,
                [AirQualityPorts.Receptors.Name] = Reuse(AirQualityPorts.Receptors, dwellingsChanged, () =>
                    (IReadOnlyList<AirReceptor>)[.. city.AirReceptors.Where(r => !_demolished.Contains(r.Id)), .. _added.Select(d => new AirReceptor(d.BuildingId, d.Location))]),
                [AirQualityPorts.Background.Name] = Background,
                [NoisePorts.Receptors.Name] = Reuse(NoisePorts.Receptors, dwellingsChanged, () =>
                    (IReadOnlyList<NoiseReceptor>)[.. city.NoiseReceptors.Where(r => !_demolished.Contains(r.Id)), .. _added.Select(d => new NoiseReceptor(d.BuildingId, d.Location))]),
                [HeatPorts.LandCover.Name] = landCoverChanged ? ScenarioLandCover() : city.BaselineLandCover,
                [HeatPorts.Grid.Name] = city.HeatGrid,
                [HeatPorts.Weather.Name] = HeatWeather.IllustrativeHotDay,
                [GreenPorts.PublicGreen.Name] = _addedGreen.Count == 0 && _publicGreen is null
                    ? city.PublicGreen
                    : (IReadOnlyList<GreenSpace>)[.. publicGreen.Where(g => !g.Area.IsEmpty), .. _addedGreen],
                [GreenPorts.Trees.Name] = _plantedTrees.Count == 0 ? city.Trees : (IReadOnlyList<TreeLocation>)[.. city.Trees, .. _plantedTrees],
                [GreenPorts.Dwellings.Name] = Reuse(GreenPorts.Dwellings, dwellingsChanged, () =>
                    (IReadOnlyList<Green.Dwelling>)[.. dwellings.Select(d => new Green.Dwelling(d.BuildingId, d.Location, d.Buurtcode))]),
            };
        }

        private void AddDwellings(int index, AddDwellings add)
        {
            var buildings = add.Type == Domain.Scenarios.DwellingType.Appartement ? (add.Count + FlatsPerBuilding - 1) / FlatsPerBuilding : add.Count;
            var points = GridPoints(add.Area, buildings, out var spacing);
            var (footprintPerDwelling, pavedPerDwelling) = GroundPerDwelling[add.Type];
            var ground = new List<Geometry>();
            // The dwellings spread evenly over the points, the first points taking the remainder.
            var (each, rest) = (add.Count / points.Count, add.Count % points.Count);
            for (var k = 0; k < points.Count; k++)
            {
                var count = each + (k < rest ? 1 : 0);
                if (count > 0)
                {
                    var id = $"scenario:{index}:{k}";
                    _added.Add(new DwellingStock(id, city.Locator.Find(points[k]), points[k], count, add.Type, add.Tenure));
                    // A square building in a square of paving around it, both centred on the point; a plan denser than the
                    // grid allows shrinks both so that neighbouring plots do not overlap.
                    var scale = Math.Min(1, spacing / Math.Sqrt(count * (footprintPerDwelling + pavedPerDwelling)));
                    var footprint = Square(points[k], Math.Sqrt(count * footprintPerDwelling) * scale).Intersection(add.Area);
                    var plot = Square(points[k], Math.Sqrt(count * (footprintPerDwelling + pavedPerDwelling)) * scale).Intersection(add.Area);
                    _builtCover.Add((id, footprint, LandCover.Building));
                    _builtCover.Add((id, plot.Difference(footprint), LandCover.Paved));
                    ground.Add(plot);
                }
            }

            // What was there (paving, green, water; not buildings) gives way to the new plots, public green included.
            var built = add.Area.Factory.BuildGeometry(ground).Union();
            var envelope = built.EnvelopeInternal;
            _cover ??= [.. city.Cover];
            for (var c = 0; c < _cover.Count; c++)
            {
                var (coverId, geometry, cover) = _cover[c];
                if (geometry.EnvelopeInternal.Intersects(envelope) && geometry.Intersects(built))
                {
                    _cover[c] = (coverId, geometry.Difference(built), cover);
                }
            }

            var green = _publicGreen ?? city.PublicGreen;
            if (green.Any(g => g.Area.EnvelopeInternal.Intersects(envelope) && g.Area.Intersects(built)))
            {
                _publicGreen = [.. green.Select(g => g.Area.EnvelopeInternal.Intersects(envelope) && g.Area.Intersects(built) ? g with { Area = g.Area.Difference(built) } : g)];
            }
        }

        private static Polygon Square(Point centre, double side)
        {
            var (x, y, h) = (centre.X, centre.Y, side / 2);
            return centre.Factory.CreatePolygon([new(x - h, y - h), new(x + h, y - h), new(x + h, y + h), new(x - h, y + h), new(x - h, y - h)]);
        }

        // Every motor link with any part in the zone gets the factor (factors of overlapping zones multiply). Scaling the
        // links, not the zone's trips, is what keeps "more traffic never lowers NO2 or noise" true: no trip re-routes.
        private void MultiplyTraffic(TrafficFactor factor)
        {
            var zone = PreparedGeometryFactory.Prepare(factor.Zone);
            var envelope = factor.Zone.EnvelopeInternal;
            var roads = (IReadOnlyList<RoadLink>?)_roads ?? city.Roads;
            foreach (var link in roads)
            {
                if (link.Class != RoadClass.Fietspad && link.Geometry.EnvelopeInternal.Intersects(envelope) && zone.Intersects(link.Geometry))
                {
                    _linkFactors[link.Id] = _linkFactors.GetValueOrDefault(link.Id, 1) * factor.Factor;
                }
            }
        }

        private void AddGreen(int index, AddGreen green)
        {
            _cover ??= [.. city.Cover];
            var area = green.Area;
            var envelope = area.EnvelopeInternal;
            // What the new surface replaces: paving always, low vegetation when the area becomes another kind of green or water.
            var replaced = green.Kind == GreenKind.Onthard ? [LandCover.Paved] : new[] { LandCover.Paved, LandCover.LowVegetation };
            for (var c = 0; c < _cover.Count; c++)
            {
                var (id, geometry, cover) = _cover[c];
                if (replaced.Contains(cover) && geometry.EnvelopeInternal.Intersects(envelope) && geometry.Intersects(area))
                {
                    _cover[c] = (id, geometry.Difference(area), cover);
                }
            }

            if (green.Kind == GreenKind.Onthard)
            {
                return;
            }

            // Green or water is laid out around buildings and existing water, not on them.
            var kept = city.Buildings.Where(b => b.Footprint.EnvelopeInternal.Intersects(envelope)).Select(b => b.Footprint)
                .Concat(_builtCover.Where(c => c.Cover == Heat.LandCover.Building && c.Area.EnvelopeInternal.Intersects(envelope)).Select(c => c.Area))
                .Concat(_cover.Where(c => c.Cover == Heat.LandCover.Water && c.Area.EnvelopeInternal.Intersects(envelope)).Select(c => c.Area))
                .Where(g => g.Intersects(area))
                .ToList();
            var laid = kept.Count == 0 ? area : area.Difference(area.Factory.BuildGeometry(kept).Union());
            var id2 = $"scenario:{index}";
            if (green.Kind == GreenKind.Water)
            {
                _cover.Add((id2, laid, LandCover.Water));
                return;
            }

            _cover.Add((id2, laid, LandCover.LowVegetation));
            _addedGreen.Add(new GreenSpace(id2, laid));
            if (green.Kind == GreenKind.Bomen)
            {
                var locator = new IndexedPointInAreaLocator(laid);
                var k = 0;
                for (var y = envelope.MinY + (PlantedTreeSpacingM / 2); y < envelope.MaxY; y += PlantedTreeSpacingM)
                {
                    for (var x = envelope.MinX + (PlantedTreeSpacingM / 2); x < envelope.MaxX; x += PlantedTreeSpacingM)
                    {
                        if (locator.Locate(new Coordinate(x, y)) == Location.Interior)
                        {
                            _plantedTrees.Add(new TreeLocation($"{id2}:{k++}", area.Factory.CreatePoint(new Coordinate(x, y)), PlantedCrownDiameterM));
                        }
                    }
                }
            }
        }

        private void MoveJobs(MoveJobs move)
        {
            _jobs ??= new Dictionary<string, double>(city.ZoneJobs, StringComparer.Ordinal);
            var from = new IndexedPointInAreaLocator(move.From);
            var leaving = city.Buildings.Where(b => b.Jobs > 0 && from.Locate(b.Footprint.Centroid.Coordinate) != Location.Exterior).ToList();
            var available = leaving.Sum(b => b.Jobs);
            if (available <= 0)
            {
                return;
            }

            // Jobs leave the buildings in the area in proportion to their jobs, at most all of them, and arrive in the buurt of the target's interior point.
            var moved = Math.Min(move.Count, available);
            foreach (var b in leaving)
            {
                _jobs[b.Buurtcode] = Math.Max(0, _jobs.GetValueOrDefault(b.Buurtcode) - (moved * b.Jobs / available));
            }

            var to = city.Locator.Find(move.To.InteriorPoint);
            _jobs[to] = _jobs.GetValueOrDefault(to) + moved;
        }

        private List<ZoneActivity> Activity(IReadOnlyList<Facility> facilities)
        {
            var jobs = _jobs ?? city.ZoneJobs;
            var perZone = facilities.GroupBy(f => city.Locator.Find(f.Location), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            return [.. city.Zones.Select(z => new ZoneActivity(
                z.Code, (int)Math.Round(jobs.GetValueOrDefault(z.Code), MidpointRounding.AwayFromZero), perZone.GetValueOrDefault(z.Code)))];
        }

        private static List<ZoneDwellings> ZoneDwellings(IReadOnlyList<DwellingStock> dwellings) =>
            [.. dwellings
                .GroupBy(d => (d.Buurtcode, Type: TrafficType(d.Type), Tenure: TrafficTenure(d.Tenure)))
                .OrderBy(g => g.Key.Buurtcode, StringComparer.Ordinal).ThenBy(g => g.Key.Type).ThenBy(g => g.Key.Tenure)
                .Select(g => new ZoneDwellings(g.Key.Buurtcode, g.Key.Type, g.Key.Tenure, g.Sum(d => d.Count)))];

        // The baseline's own land-cover entries where the surface is unchanged (the same geometry instance), new ones
        // only where an intervention cut or added a surface: the same values, without re-creating a hundred thousand.
        private List<LandCoverArea> ScenarioLandCover() =>
            [
                .. (_cover ?? city.Cover).Select((c, i) => i < city.Cover.Count && ReferenceEquals(c.Area, city.Cover[i].Area) && c.Cover == city.Cover[i].Cover
                        ? city.BaselineLandCover[i]
                        : new LandCoverArea(c.Area, c.Cover))
                    .Where(c => !c.Geometry.IsEmpty),
                .. _demolished.Count == 0 ? city.BuildingCover : city.Buildings.Zip(city.BuildingCover).Where(b => !_demolished.Contains(b.First.Id)).Select(b => b.Second),
                .. _builtCover.Where(c => !c.Area.IsEmpty).Select(c => new LandCoverArea(c.Area, c.Cover)),
                .. city.TreeCover,
                .. _plantedTrees.Select(TreeCanopy),
            ];

        private string UnitOf(string kind) =>
            city.Facilities.FirstOrDefault(f => f.Kind == kind)?.CapacityUnit
            ?? FacilityNorm.Dutch.FirstOrDefault(n => n.Kind == kind)?.CapacityUnit
            ?? "-";

        private int FacilityIndex(string id, int index)
        {
            var at = _facilities!.FindIndex(f => f.Id == id);
            return at >= 0 ? at : throw new ScenarioInputException(
                $"Intervention {index} names facility '{id}', which does not exist on {city.ReferenceDate:yyyy-MM-dd} (or an earlier intervention removed it).");
        }

        private int RoadIndex(string id, int index)
        {
            var roads = (IReadOnlyList<RoadLink>?)_roads ?? city.Roads;
            for (var i = 0; i < roads.Count; i++)
            {
                if (roads[i].Id == id)
                {
                    return i;
                }
            }

            throw new ScenarioInputException($"Intervention {index} names road link '{id}', which does not exist on {city.ReferenceDate:yyyy-MM-dd}.");
        }
    }
}
