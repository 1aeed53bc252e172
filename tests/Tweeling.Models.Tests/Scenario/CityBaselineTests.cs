using NetTopologySuite.Geometries;
using Tweeling.Domain.Scenarios;
using Tweeling.Models.Accessibility;
using Tweeling.Models.AirQuality;
using Tweeling.Models.City;
using Tweeling.Models.Facilities;
using Tweeling.Models.Graph;
using Tweeling.Models.Green;
using Tweeling.Models.Heat;
using Tweeling.Models.Noise;
using Tweeling.Models.Traffic;
using DwellingType = Tweeling.Domain.Scenarios.DwellingType;
using Tenure = Tweeling.Domain.Scenarios.Tenure;

namespace Tweeling.Models.Tests.Scenario;

/// <summary>The baseline read from a real demo city store, and every intervention kind applied to it (docs/scenarios.md).</summary>
[Collection(DemoCityStoreCollection.Name)]
public sealed class CityBaselineTests(DemoCityStore demo)
{
    private CityBaseline City => demo.City;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void The_baseline_holds_the_demo_city_as_of_its_reference_date()
    {
        var dwellings = City.Dwellings.Sum(d => d.Count);

        Assert.Equal("GM9999", City.MunicipalityCode);
        Assert.Equal(129, City.Buurten.Count);
        // The demo city builds 57,000 dwellings per scale unit (docs/demo-city.md); a few plots stay empty.
        Assert.InRange(dwellings, 55_000, 58_000);
        Assert.All(City.Dwellings, d => Assert.Contains(City.Buurten, b => b.Code == d.Buurtcode));
        Assert.InRange(City.Roads.Count, 20_000, 40_000);
        Assert.Contains(City.Facilities, f => f.Kind == "huisarts" && f.CapacityUnit == "fte");
        Assert.InRange(City.Statistics.Count, 100, 129);
        Assert.InRange(City.Statistics.Sum(s => s.Residents ?? 0), 110_000, 130_000);
        // Every baseline port of the full graph is produced, none more.
        var graph = Models.Scenario.ScenarioModels.Graph(Models.Scenario.ScenarioModels.Create());
        Assert.Equal(graph.BaselineInputs.Select(p => p.Name).Order(StringComparer.Ordinal), City.Baseline.Keys.Order(StringComparer.Ordinal));
        Assert.NotEmpty((IReadOnlyList<NoiseReceptor>)City.Baseline[NoisePorts.Receptors.Name]);
        Assert.NotEmpty((IReadOnlyList<LandCoverArea>)City.Baseline[HeatPorts.LandCover.Name]);
        Assert.True(((IReadOnlyList<ZoneActivity>)City.Baseline[TrafficPorts.Activity.Name]).Sum(a => a.Jobs) > 10_000);
    }

    [Fact]
    public async Task Before_the_city_existed_there_is_no_baseline()
    {
        var problem = await Assert.ThrowsAsync<ScenarioInputException>(() => CityBaseline.ReadAsync(demo.Store, demo.Store, new DateOnly(2023, 12, 31), Ct));

        Assert.Contains("2023-12-31", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_interventions_every_port_is_the_baselines_own_instance()
    {
        var inputs = City.Inputs([]);

        Assert.All(inputs, p => Assert.True(
            ReferenceEquals(p.Value, City.Baseline[p.Key]) || p.Key is "ageing-years",
            $"'{p.Key}' was rebuilt"));
    }

    [Fact]
    public void A_port_keeps_the_baselines_content_hash_until_an_intervention_changes_it_then_its_hash_follows_the_interventions()
    {
        IReadOnlyList<Intervention> station = [new AddDwellings(DemoCityStore.StationArea, 2_000, DwellingType.Appartement, Tenure.SocialeHuur)];
        IReadOnlyList<Intervention> oneMore = [new AddDwellings(DemoCityStore.StationArea, 2_001, DwellingType.Appartement, Tenure.SocialeHuur)];

        var first = City.InputHashes(City.Inputs(station), station);
        var again = City.InputHashes(City.Inputs(station), station);
        var edited = City.InputHashes(City.Inputs(oneMore), oneMore);

        // Ports the dwellings leave alone are the baseline's instances with the baseline's content hash.
        foreach (var port in new[] { TrafficPorts.Zones.Name, TrafficPorts.Activity.Name, FacilitiesPorts.Facilities.Name, GreenPorts.Trees.Name })
        {
            Assert.Same(City.Baseline[port], City.Inputs(station)[port]);
            Assert.Equal(ContentHash.Of(City.Baseline[port]), first[port]);
        }

        // Ports made anew: the same interventions give the same hash on new instances, one dwelling more another hash.
        Assert.Equal(first, again);
        foreach (var port in new[] { CityPorts.Dwellings.Name, TrafficPorts.Dwellings.Name, HeatPorts.LandCover.Name, NoisePorts.Receptors.Name })
        {
            Assert.NotEqual(ContentHash.Of(City.Baseline[port]), first[port]);
            Assert.NotEqual(first[port], edited[port]);
        }

        // The accessibility model's dwellings carry no counts: hashed by content, equal where the same buildings stand.
        IReadOnlyList<Intervention> twoMore = [new AddDwellings(DemoCityStore.StationArea, 2_002, DwellingType.Appartement, Tenure.SocialeHuur)];
        var accessibility = AccessibilityPorts.Dwellings.Name;
        Assert.Equal(ContentHash.Of(City.Inputs(oneMore)[accessibility]), edited[accessibility]);
        Assert.NotEqual(first[accessibility], edited[accessibility]);
        Assert.Equal(edited[accessibility], City.InputHashes(City.Inputs(twoMore), twoMore)[accessibility]);
    }

    [Fact]
    public void Added_dwellings_stand_on_a_grid_in_the_area_in_the_buurt_of_each_point()
    {
        var inputs = City.Inputs([new AddDwellings(DemoCityStore.StationArea, 2_000, DwellingType.Appartement, Tenure.SocialeHuur)]);

        var added = Dwellings(inputs).Where(d => d.BuildingId.StartsWith("scenario:0:", StringComparison.Ordinal)).ToList();
        Assert.Equal(2_000, added.Sum(d => d.Count));
        Assert.True(added.Count >= 50, $"{added.Count} buildings of at most {CityBaseline.FlatsPerBuilding} flats");
        Assert.All(added, d => Assert.True(d.Count <= CityBaseline.FlatsPerBuilding));
        Assert.All(added, d => Assert.True(DemoCityStore.StationArea.Contains(d.Location)));
        Assert.All(added, d => Assert.True(City.Buurten.Single(b => b.Code == d.Buurtcode).Area.Covers(d.Location)));
        Assert.Equal(City.Dwellings.Sum(d => d.Count) + 2_000, Dwellings(inputs).Sum(d => d.Count));
        // The new buildings get façade receptors and are counted by the traffic zones.
        Assert.Equal(added.Count, ((IReadOnlyList<NoiseReceptor>)inputs[NoisePorts.Receptors.Name]).Count(r => r.Id.StartsWith("scenario:0:", StringComparison.Ordinal)));
        Assert.Equal(City.Dwellings.Sum(d => d.Count) + 2_000, ((IReadOnlyList<ZoneDwellings>)inputs[TrafficPorts.Dwellings.Name]).Sum(z => z.Count));
    }

    [Fact]
    public void Added_dwellings_cover_their_plots_with_building_and_paving_by_type_and_replace_what_was_there()
    {
        var area = DemoCityStore.StationArea;
        var (footprint, paved) = CityBaseline.GroundPerDwelling[DwellingType.Appartement];

        var inputs = City.Inputs([new AddDwellings(area, 2_000, DwellingType.Appartement, Tenure.SocialeHuur)]);
        var cover = (IReadOnlyList<LandCoverArea>)inputs[HeatPorts.LandCover.Name];
        var baseline = (IReadOnlyList<LandCoverArea>)City.Baseline[HeatPorts.LandCover.Name];

        // Blocks of at most 40 flats, each a square of 20 m² a flat in a square of 20 + 15 m² a flat, all inside the area.
        Assert.Equal(2_000 * footprint, CoverIn(cover, area, LandCover.Building) - CoverIn(baseline, area, LandCover.Building), 1.0);
        Assert.True(CoverIn(cover, area, LandCover.Paved) > 0);
        // Nothing else lies under the new plots: paving, green and water there were cut out.
        var addedPaving = 2_000 * paved;
        var before = CoverIn(baseline, area, LandCover.Paved) + CoverIn(baseline, area, LandCover.LowVegetation) + CoverIn(baseline, area, LandCover.Water);
        var after = CoverIn(cover, area, LandCover.Paved) + CoverIn(cover, area, LandCover.LowVegetation) + CoverIn(cover, area, LandCover.Water);
        Assert.True(after < before + addedPaving - 1.0, $"paving, green and water {before:F0} → {after:F0} m² with {addedPaving:F0} m² new paving");
        Assert.NotSame(City.Baseline[HeatPorts.LandCover.Name], cover);
    }

    [Fact]
    public void Demolition_removes_the_dwelling_buildings_whose_centroid_is_inside()
    {
        var building = City.Buildings.First(b => b.Dwellings > 0);
        var area = (Polygon)building.Footprint.Envelope;

        var inputs = City.Inputs([new DemolishDwellings(area)]);

        Assert.DoesNotContain(Dwellings(inputs), d => d.BuildingId == building.Id);
        Assert.DoesNotContain((IReadOnlyList<NoiseReceptor>)inputs[NoisePorts.Receptors.Name], r => r.Id == building.Id);
        Assert.DoesNotContain((IReadOnlyList<AirReceptor>)inputs[AirQualityPorts.Receptors.Name], r => r.Id == building.Id);
        Assert.DoesNotContain((IReadOnlyList<LandCoverArea>)inputs[HeatPorts.LandCover.Name], c => c.Cover == LandCover.Building && ReferenceEquals(c.Geometry, building.Footprint));
        Assert.Equal(City.Dwellings.Sum(d => d.Count) - building.Dwellings, Dwellings(inputs).Sum(d => d.Count));
    }

    [Fact]
    public void Facilities_are_added_removed_and_resized_and_an_unknown_facility_is_refused()
    {
        var gp = City.Facilities.First(f => f.Kind == "huisarts");
        var school = City.Facilities.First(f => f.Kind == "basisschool");
        var location = DemoCityStore.StationArea.Centroid;

        var inputs = City.Inputs([new AddFacility("huisarts", location, 3), new RemoveFacility(gp.Id), new ResizeFacility(school.Id, 999)]);
        var facilities = (IReadOnlyList<Facility>)inputs[FacilitiesPorts.Facilities.Name];

        Assert.Contains(facilities, f => f.Id == "scenario:0" && f.Kind == "huisarts" && f.Capacity == 3 && f.CapacityUnit == "fte");
        Assert.DoesNotContain(facilities, f => f.Id == gp.Id);
        Assert.Equal(999, facilities.Single(f => f.Id == school.Id).Capacity);
        var problem = Assert.Throws<ScenarioInputException>(() => City.Inputs([new RemoveFacility("geen-voorziening")]));
        Assert.Contains("geen-voorziening", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Road_interventions_close_links_and_set_speeds_and_an_unknown_link_is_refused()
    {
        var (first, second) = (City.Roads[0], City.Roads[1]);

        var inputs = City.Inputs([new CloseRoads([first.Id]), new SetRoadSpeed([second.Id], 30)]);

        Assert.Equal([first.Id], (IReadOnlyList<string>)inputs[TrafficPorts.ClosedLinks.Name]);
        // Closed links stay in the network: walkers and cyclists still use them.
        Assert.Contains((IReadOnlyList<RoadLink>)inputs[CityPorts.Roads.Name], l => l.Id == first.Id);
        Assert.Equal(30, ((IReadOnlyList<RoadLink>)inputs[CityPorts.Roads.Name]).Single(l => l.Id == second.Id).SpeedLimitKmh);
        Assert.Throws<ScenarioInputException>(() => City.Inputs([new CloseRoads(["geen-wegvak"])]));
    }

    [Fact]
    public void A_traffic_factor_applies_to_the_motor_links_in_its_zone_and_multiplies()
    {
        var inputs = City.Inputs([new TrafficFactor(DemoCityStore.StationArea, 1.5), new TrafficFactor(DemoCityStore.StationArea, 2)]);
        var factors = (IReadOnlyList<LinkTrafficFactor>)inputs[TrafficPorts.LinkFactors.Name];

        var inZone = City.Roads.Where(l => l.Class != RoadClass.Fietspad && l.Geometry.Intersects(DemoCityStore.StationArea)).Select(l => l.Id).Order(StringComparer.Ordinal);
        Assert.NotEmpty(factors);
        Assert.Equal(inZone, factors.Select(f => f.LinkId));
        Assert.All(factors, f => Assert.Equal(3, f.Factor, 12));
        // The trips are left alone: the factor acts on the assigned traffic, so nothing re-routes.
        Assert.Same(City.Baseline[TrafficPorts.Zones.Name], inputs[TrafficPorts.Zones.Name]);
        Assert.Empty((IReadOnlyList<LinkTrafficFactor>)City.Baseline[TrafficPorts.LinkFactors.Name]);
    }

    [Fact]
    public void Green_replaces_paving_adds_public_green_and_trees_and_unpaving_only_removes_paving()
    {
        var area = DemoCityStore.StationArea;
        var paved = PavedArea((IReadOnlyList<LandCoverArea>)City.Baseline[HeatPorts.LandCover.Name], area);

        var trees = City.Inputs([new AddGreen(area, GreenKind.Bomen)]);
        var unpaved = City.Inputs([new AddGreen(area, GreenKind.Onthard)]);

        Assert.True(paved > 1_000, $"{paved:F0} m² paved in the area");
        Assert.Equal(0, PavedArea((IReadOnlyList<LandCoverArea>)trees[HeatPorts.LandCover.Name], area), 3);
        Assert.Contains((IReadOnlyList<GreenSpace>)trees[GreenPorts.PublicGreen.Name], g => g.Id == "scenario:0");
        Assert.True(((IReadOnlyList<TreeLocation>)trees[GreenPorts.Trees.Name]).Count > City.Trees.Count + 500);
        Assert.Equal(0, PavedArea((IReadOnlyList<LandCoverArea>)unpaved[HeatPorts.LandCover.Name], area), 3);
        Assert.Same(City.Baseline[GreenPorts.PublicGreen.Name], unpaved[GreenPorts.PublicGreen.Name]);
    }

    [Fact]
    public void Ageing_adds_up_and_moved_jobs_leave_one_area_for_another()
    {
        var from = DemoCityStore.Box(98_750, 420_450, 102_000, 422_500);
        var before = (IReadOnlyList<ZoneActivity>)City.Baseline[TrafficPorts.Activity.Name];

        var inputs = City.Inputs([new AgePopulation(5), new AgePopulation(3), new MoveJobs(from, DemoCityStore.StationArea, 1_000)]);
        var after = (IReadOnlyList<ZoneActivity>)inputs[TrafficPorts.Activity.Name];

        Assert.Equal(8, (int)inputs[CityPorts.AgeingYears.Name]);
        Assert.InRange(after.Sum(a => a.Jobs) - before.Sum(a => a.Jobs), -130, 130); // rounding per zone only
        var available = City.Buildings.Where(b => b.Jobs > 0 && from.Contains(b.Footprint.Centroid)).Sum(b => b.Jobs);
        Assert.True(available > 0, "the area the jobs leave holds jobs");
        var target = City.Locator.Find(DemoCityStore.StationArea.InteriorPoint);
        Assert.Equal(before.Single(a => a.ZoneCode == target).Jobs + Math.Min(1_000, available), after.Single(a => a.ZoneCode == target).Jobs, 1.0);
    }

    private static IReadOnlyList<DwellingStock> Dwellings(IReadOnlyDictionary<string, object> inputs) => (IReadOnlyList<DwellingStock>)inputs[CityPorts.Dwellings.Name];

    private static double CoverIn(IReadOnlyList<LandCoverArea> cover, Polygon area, LandCover kind) =>
        cover.Where(c => c.Cover == kind && c.Geometry.EnvelopeInternal.Intersects(area.EnvelopeInternal)).Sum(c => c.Geometry.Intersection(area).Area);

    private static double PavedArea(IReadOnlyList<LandCoverArea> cover, Polygon area) =>
        cover.Where(c => c.Cover == LandCover.Paved && c.Geometry.EnvelopeInternal.Intersects(area.EnvelopeInternal)).Sum(c => c.Geometry.Intersection(area).Area);
}
