using NetTopologySuite.Geometries;
using Tweeling.Domain.Scenarios;
using Tweeling.Models.City;
using Tweeling.Models.Heat;
using DwellingType = Tweeling.Domain.Scenarios.DwellingType;
using Tenure = Tweeling.Domain.Scenarios.Tenure;

namespace Tweeling.Models.Tests.Scenario;

/// <summary>
/// Adding or removing one dwelling moves nothing else (docs/scenarios.md, <c>woningen-toevoegen</c>): the buildings of
/// an edited count keep their ids, locations, counts and plots, and at most one building is added, removed or changed.
/// </summary>
[Collection(DemoCityStoreCollection.Name)]
public sealed class StableLayoutTests(DemoCityStore demo)
{
    private CityBaseline City => demo.City;

    public static TheoryData<DwellingType, int, int> Edits => new()
    {
        // Flats at the station: one flat more in a new building, one more in the last building, and the other way.
        { DwellingType.Appartement, 2_000, 2_001 },
        { DwellingType.Appartement, 2_001, 2_002 },
        { DwellingType.Appartement, 2_040, 2_041 },
        { DwellingType.Appartement, 2_041, 2_040 },
        { DwellingType.Appartement, 39, 40 },
        // Houses, one a building: one house more or less.
        { DwellingType.Tussenwoning, 300, 301 },
        { DwellingType.Vrijstaand, 12, 11 },
    };

    [Theory]
    [MemberData(nameof(Edits))]
    public void An_edit_of_the_count_by_one_changes_adds_or_removes_one_building_and_leaves_the_others_and_their_plots(DwellingType type, int before, int after)
    {
        var area = DemoCityStore.StationArea;

        var (then, thenFootprints) = Added(area, before, type);
        var (now, nowFootprints) = Added(area, after, type);

        // Every building but one is the same record: id, buurt, location, count, type, tenure.
        Assert.Equal(before, then.Sum(d => d.Count));
        Assert.Equal(after, now.Sum(d => d.Count));
        Assert.InRange(then.Count - now.Count, -1, 1);
        var gone = then.Except(now).ToList();
        var come = now.Except(then).ToList();
        Assert.True(gone.Count <= 1 && come.Count <= 1, $"{gone.Count} buildings left, {come.Count} came");
        Assert.Equal(then.Count - gone.Count, now.Count - come.Count);
        // The one that changed is the last in the layout's order.
        Assert.All(gone.Concat(come), d => Assert.Equal($"scenario:0:{Math.Max(then.Count, now.Count) - 1}", d.BuildingId));

        // And so is every building's plot: the footprints in the land cover differ by the one building's at most.
        Assert.True(thenFootprints.Except(nowFootprints).Count() <= 1 && nowFootprints.Except(thenFootprints).Count() <= 1, "more than one footprint changed");
        Assert.Equal(then.Count, thenFootprints.Count);
        Assert.Equal(now.Count, nowFootprints.Count);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(13)]
    [InlineData(30)]
    [InlineData(50)]
    [InlineData(100)]
    public void Whole_buildings_spread_over_the_area_with_every_quadrant_built_from_eight_on(int buildings)
    {
        // 500 × 500 m south of the station.
        var area = DemoCityStore.Box(104_700, 423_700, 105_200, 424_200);
        var inputs = City.Inputs([new AddDwellings(area, buildings * CityBaseline.FlatsPerBuilding, DwellingType.Appartement, Tenure.Koop)]);
        var added = ((IReadOnlyList<DwellingStock>)inputs[CityPorts.Dwellings.Name]).Where(d => d.BuildingId.StartsWith("scenario:0:", StringComparison.Ordinal)).ToList();

        Assert.Equal(buildings, added.Count);
        Assert.All(added, d => Assert.Equal(CityBaseline.FlatsPerBuilding, d.Count));
        var centre = area.Centroid.Coordinate;
        Assert.Equal(4, added.Select(d => (d.Location.X < centre.X, d.Location.Y < centre.Y)).Distinct().Count());
    }

    // The added buildings (as records) and the footprints the land cover holds besides the baseline's, as their WKB.
    private (List<DwellingStock> Buildings, HashSet<string> Footprints) Added(Polygon area, int count, DwellingType type)
    {
        IReadOnlyList<Intervention> interventions = [new AddDwellings(area, count, type, Tenure.SocialeHuur)];
        var inputs = City.Inputs(interventions);
        var buildings = ((IReadOnlyList<DwellingStock>)inputs[CityPorts.Dwellings.Name]).Where(d => d.BuildingId.StartsWith("scenario:0:", StringComparison.Ordinal)).ToList();
        var baseline = ((IReadOnlyList<LandCoverArea>)City.Baseline[HeatPorts.LandCover.Name]).Where(c => c.Cover == LandCover.Building).Select(c => c.Geometry).ToHashSet(ReferenceEqualityComparer.Instance);
        var footprints = ((IReadOnlyList<LandCoverArea>)inputs[HeatPorts.LandCover.Name])
            .Where(c => c.Cover == LandCover.Building && !baseline.Contains(c.Geometry))
            .Select(c => Convert.ToHexString(c.Geometry.AsBinary()))
            .ToHashSet(StringComparer.Ordinal);
        return (buildings, footprints);
    }
}
