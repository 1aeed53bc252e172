using Tweeling.Models.Graph;
using Tweeling.Models.Heat;
using Tweeling.Models.Tests.Support;

namespace Tweeling.Models.Tests.Heat;

public sealed class HeatModelTests
{
    [Fact]
    public void Uhi_max_follows_Theeuwes_2017()
    {
        // models.md §4.2: S = 300 W/m² / (1.2 kg/m³ · 1005 J/(kg·K)) = 0.248756 K·m/s; S·DTR³/U = 0.248756·1000/2 = 124.378;
        // its fourth root is 3.33953 K; with SVF 0.6 and f_veg 0.3: (2 − 0.6 − 0.3)·3.33953 = 3.67349 K.
        Assert.Equal(3.67349, HeatModel.UhiMax(0.6, 0.3, 300, 10, 2), 5);

        // ∂UHI/∂f_veg = −(S·DTR³/U)^¼: +10 pp vegetation takes off 0.334 K, within the 0.3–0.6 K band of models.md §4.2.
        Assert.Equal(-0.333953, HeatModel.UhiMax(0.6, 0.4, 300, 10, 2) - HeatModel.UhiMax(0.6, 0.3, 300, 10, 2), 6);
    }

    [Fact]
    public void Wet_bulb_and_pet_follow_Stull_and_the_DPRA_regressions()
    {
        // Stull (2011), the paper's own check: 20 °C and 50 % RH give a wet-bulb temperature of 13.7 °C.
        Assert.Equal(13.70, HeatModel.WetBulb(20, 50), 2);

        // models.md §4.1, Ta 30 °C, RH 40 % (Tw 20.4492 °C), Q_gl 800 W/m², u 2 m/s (ln u = 0.693147), φ 50° (sin φ = 0.766044),
        // B_b 4, S_vf 0.6: −13.26 + 37.5 + 8.8 − 2.33591 + 1.59504 + 3.04985 + 4.25921 − 4.37574 + 2.184 + 1.164 = 38.5809 °C.
        var wetBulb = HeatModel.WetBulb(30, 40);
        Assert.Equal(20.4492, wetBulb, 4);
        Assert.Equal(38.5809, HeatModel.PetSun(30, wetBulb, 800, 2, 50, 4, 0.6), 4);

        // Shade, Q_d 150 W/m²: −12.14 + 37.5 − 1.01893 + 1.22695 + 1.35 + 0.006·0.4·5.670374e−8·303.15⁴ (= 1.14931) = 28.0674 °C.
        Assert.Equal(28.0674, HeatModel.PetShade(30, wetBulb, 150, 2, 0.6), 4);
    }

    [Theory]
    [InlineData(20, PetStress.None)]
    [InlineData(23.5, PetStress.Slight)]
    [InlineData(30, PetStress.Moderate)]
    [InlineData(36, PetStress.Strong)]
    [InlineData(42, PetStress.Extreme)]
    public void Pet_maps_to_the_Matzarakis_stress_classes(double pet, PetStress expected) => Assert.Equal(expected, HeatModel.Stress(pet));

    [Fact]
    public void Polygons_are_split_over_the_cells_they_cover()
    {
        // A 100 m × 50 m paved rectangle centred on the corner of four 100 m cells puts 50·25 = 1,250 m² (12.5 %) in each.
        var grid = new HeatGrid(0, 0, 2, 2, 100);
        var fractions = LandCoverRaster.Fractions(grid, [new LandCoverArea(Geo.Box(50, 75, 150, 125), LandCover.Paved)], TestContext.Current.CancellationToken);

        Assert.All(fractions, f => Assert.Equal(0.125, f.Paved, 9));

        // A small building inside one cell counts in that cell only.
        var building = LandCoverRaster.Fractions(grid, [new LandCoverArea(Geo.Box(110, 10, 130, 30), LandCover.Building)], TestContext.Current.CancellationToken);
        Assert.Equal([0, 0.04, 0, 0], building.Select(f => f.Building));
    }

    [Fact]
    public void Clipping_gives_the_overlay_area_also_for_concave_polygons_with_holes()
    {
        // An L-shaped polygon with a square hole, clipped by rectangles that cut through the notch and the hole:
        // the clipped area must equal NetTopologySuite's general overlay.
        var shell = Geo.Line((0, 0), (120, 0), (120, 40), (40, 40), (40, 120), (0, 120), (0, 0));
        var hole = Geo.Line((10, 10), (30, 10), (30, 30), (10, 30), (10, 10));
        var polygon = Geo.Factory.CreatePolygon(Geo.Factory.CreateLinearRing(shell.Coordinates), [Geo.Factory.CreateLinearRing(hole.Coordinates)]);
        foreach (var clip in new[] { Geo.Box(20, 20, 100, 100), Geo.Box(-10, 35, 60, 60), Geo.Box(25, -5, 200, 15), Geo.Box(200, 200, 300, 300) })
        {
            Assert.Equal(polygon.Intersection(clip).Area, LandCoverRaster.ClippedArea(polygon, clip.EnvelopeInternal), 9);
        }
    }

    [Fact]
    public void A_fully_built_area_has_twice_the_heat_island_of_a_fully_paved_one()
    {
        // Paved: SVF proxy 1, f_veg 0 → (2 − 1 − 0)·m; built: SVF proxy 0 → (2 − 0 − 0)·m, m = (S·DTR³/U)^¼.
        var grid = new HeatGrid(0, 0, 3, 3, 100);
        var weather = new HeatWeather(300, 10, 2);
        var paved = Run([new LandCoverArea(Geo.Box(0, 0, 300, 300), LandCover.Paved)], grid, weather);
        var built = Run([new LandCoverArea(Geo.Box(0, 0, 300, 300), LandCover.Building)], grid, weather);

        Assert.All(paved, c => Assert.Equal(3.33953, c.UhiMaxK, 5));
        Assert.All(built, c => Assert.Equal(6.67907, c.UhiMaxK, 5));
        Assert.All(paved, c => Assert.Null(c.Pet));
    }

    [Fact]
    public void More_green_never_raises_the_heat_island_or_pet()
    {
        var (areas, grid) = RandomCity(seed: 5, sizeM: 3_000, cellSizeM: 100, polygonsPerCell: 8);
        var greener = areas.Select((a, i) => a.Cover == LandCover.Paved && i % 3 == 0 ? a with { Cover = LandCover.LowVegetation } : a).ToList();
        var withTrees = areas.Concat(areas.Where((a, i) => a.Cover == LandCover.Paved && i % 5 == 0).Select(a => a with { Cover = LandCover.TreeCanopy })).ToList();
        var baseline = Run(areas, grid, HeatWeather.IllustrativeHotDay);

        foreach (var changed in new[] { Run(greener, grid, HeatWeather.IllustrativeHotDay), Run(withTrees, grid, HeatWeather.IllustrativeHotDay) })
        {
            Assert.All(baseline.Zip(changed), pair =>
            {
                Assert.True(pair.Second.UhiMaxK <= pair.First.UhiMaxK + 1e-12, $"UHI in cell {pair.First.Column},{pair.First.Row}");
                Assert.True(pair.Second.Pet!.MeanC <= pair.First.Pet!.MeanC + 1e-12, $"PET in cell {pair.First.Column},{pair.First.Row}");
            });
            Assert.True(changed.Average(c => c.UhiMaxK) < baseline.Average(c => c.UhiMaxK) - 0.01);
        }
    }

    [Fact]
    public void Shade_under_trees_lowers_pet_and_night_pet_is_the_shade_formula()
    {
        var grid = new HeatGrid(0, 0, 1, 1, 100);
        var open = Assert.Single(Run([new LandCoverArea(Geo.Box(0, 0, 100, 100), LandCover.Paved)], grid, HeatWeather.IllustrativeHotDay)).Pet!;
        var half = Assert.Single(Run(
            [new LandCoverArea(Geo.Box(0, 0, 100, 100), LandCover.Paved), new LandCoverArea(Geo.Box(0, 0, 50, 100), LandCover.TreeCanopy)],
            grid,
            HeatWeather.IllustrativeHotDay)).Pet!;

        Assert.Equal(open.SunC, open.MeanC);
        Assert.True(half.ShadeC < half.SunC);
        Assert.Equal((half.SunC + half.ShadeC) / 2, half.MeanC, 9);
        Assert.True(half.MeanC < open.MeanC);

        var night = HeatWeather.IllustrativeHotDay with { Hour = HeatWeather.IllustrativeHotDay.Hour! with { SolarAltitudeDeg = -5, GlobalRadiationWm2 = 0, DiffuseRadiationWm2 = 0 } };
        var dark = Assert.Single(Run([new LandCoverArea(Geo.Box(0, 0, 100, 100), LandCover.Paved)], grid, night)).Pet!;
        Assert.Equal(dark.ShadeC, dark.MeanC);
        Assert.Equal(dark.ShadeC, dark.SunC);
    }

    [Fact]
    public void Bad_weather_or_grid_input_is_named()
    {
        var grid = new HeatGrid(0, 0, 2, 2, 100);
        var calm = Assert.Throws<ArgumentException>(() => Run([], grid, new HeatWeather(300, 10, 0)));
        var empty = Assert.Throws<ArgumentException>(() => Run([], grid with { Columns = 0 }, new HeatWeather(300, 10, 2)));

        Assert.Contains("wind > 0", calm.Message, StringComparison.Ordinal);
        Assert.Contains("0 × 2", empty.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_input_gives_the_same_cells()
    {
        var (areas, grid) = RandomCity(seed: 9, sizeM: 2_000, cellSizeM: 100, polygonsPerCell: 6);

        Assert.Equal(Run(areas, grid, HeatWeather.IllustrativeHotDay), Run(areas, grid, HeatWeather.IllustrativeHotDay));
    }

    [Fact]
    public void The_results_are_bit_identical_to_those_before_the_speed_work()
    {
        // The fingerprint of this input's outputs at commit d400bbd. Work on the model's speed (docs/benchmarks.md,
        // "Impact models: CPU per model at scale 1") keeps the arithmetic and its order, so it must not change.
        var (areas, grid) = RandomCity(seed: 17, sizeM: 3_000, cellSizeM: 100, polygonsPerCell: 12);

        Assert.Equal("4460ee46a599c8ff3577509b44729200", OutputFingerprint.Of(ModelRun.Execute(new HeatModel(), Inputs(areas, grid, HeatWeather.IllustrativeHotDay), 0, TestContext.Current.CancellationToken)));
    }

    [Fact]
    public void A_100_km2_grid_at_100_m_runs_in_well_under_the_time_bound()
    {
        // 10 km × 10 km at 100 m: 10,000 cells and ~120,000 land-cover polygons, some crossing cell edges.
        var (areas, grid) = RandomCity(seed: 13, sizeM: 10_000, cellSizeM: 100, polygonsPerCell: 12);
        var inputs = Inputs(areas, grid, HeatWeather.IllustrativeHotDay);

        IReadOnlyDictionary<string, object> outputs = new Dictionary<string, object>();
        var cpu = ThreadCpu.Measure(() => outputs = ModelRun.Execute(new HeatModel(), inputs, 0, TestContext.Current.CancellationToken));

        Assert.Equal(10_000, ((IReadOnlyList<HeatCell>)outputs[HeatPorts.Cells.Name]).Count);
        Assert.True(cpu < TimeSpan.FromSeconds(5), $"heat: {areas.Count} polygons, 10,000 cells took {cpu.TotalMilliseconds} ms CPU");
    }

    private static Dictionary<string, object> Inputs(IReadOnlyList<LandCoverArea> areas, HeatGrid grid, HeatWeather weather) => new()
    {
        [HeatPorts.LandCover.Name] = areas,
        [HeatPorts.Grid.Name] = grid,
        [HeatPorts.Weather.Name] = weather,
    };

    private static IReadOnlyList<HeatCell> Run(IReadOnlyList<LandCoverArea> areas, HeatGrid grid, HeatWeather weather) =>
        (IReadOnlyList<HeatCell>)ModelRun.Execute(new HeatModel(), Inputs(areas, grid, weather), 0, TestContext.Current.CancellationToken)[HeatPorts.Cells.Name];

    /// <summary>Random rectangles of 5–60 m of buildings, paving, low vegetation, canopy and water over a square.</summary>
    private static (List<LandCoverArea> Areas, HeatGrid Grid) RandomCity(int seed, double sizeM, double cellSizeM, int polygonsPerCell)
    {
        var random = new Random(seed);
        var cells = (int)(sizeM / cellSizeM);
        var covers = Enum.GetValues<LandCover>();
        var areas = new List<LandCoverArea>(cells * cells * polygonsPerCell);
        for (var i = 0; i < cells * cells * polygonsPerCell; i++)
        {
            var (x, y) = (random.NextDouble() * sizeM, random.NextDouble() * sizeM);
            var (w, h) = (5 + (random.NextDouble() * 55), 5 + (random.NextDouble() * 55));
            areas.Add(new LandCoverArea(Geo.Box(x, y, Math.Min(sizeM, x + w), Math.Min(sizeM, y + h)), covers[random.Next(covers.Length)]));
        }

        return (areas, new HeatGrid(0, 0, cells, cells, cellSizeM));
    }
}
