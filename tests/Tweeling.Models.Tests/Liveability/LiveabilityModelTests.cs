using Tweeling.Models.Accessibility;
using Tweeling.Models.AirQuality;
using Tweeling.Models.City;
using Tweeling.Models.Facilities;
using Tweeling.Models.Graph;
using Tweeling.Models.Green;
using Tweeling.Models.Heat;
using Tweeling.Models.Liveability;
using Tweeling.Models.Noise;
using Tweeling.Models.Results;
using Tweeling.Models.Social;
using Tweeling.Models.Tests.Support;
using Tweeling.Models.Traffic;
using DwellingType = Tweeling.Domain.Scenarios.DwellingType;
using Tenure = Tweeling.Domain.Scenarios.Tenure;

namespace Tweeling.Models.Tests.Liveability;

/// <summary>The liveability model (docs/models/leefbaarheid.md): a hand-computed buurt, monotonicity, missing inputs and its reporter.</summary>
public sealed class LiveabilityModelTests
{
    [Fact]
    public void A_buurt_scores_as_computed_by_hand()
    {
        var bu1 = Run(new Scene()).Single(b => b.Buurtcode == "BU1");

        // Woningvoorraad: two types and two tenures in equal numbers, evenness ln 2 / ln 5 and ln 2 / ln 3.
        Assert.Equal((Math.Log(2) / Math.Log(5)) + (Math.Log(2) / Math.Log(3)), bu1.Woningvoorraad!.Value / 50, 9);
        // Fysieke omgeving: Lden (61.5 + 57.25) / 2 = 59.375 → 0.625; NO2 25 → 0.5; UHI 1.5 K → 0.5; 25 m² green → 0.5; 15 % canopy → 0.5.
        Assert.Equal(59.375, bu1.Inputs.LdenDb!.Value, 9);
        Assert.Equal(52.5, bu1.FysiekeOmgeving!.Value, 9);
        // Voorzieningen: capacity mean(min(1, 0.8), min(1, 1.5)) = 0.9; walking mean(800, 400) = 600 m → 0.95.
        Assert.Equal(92.5, bu1.Voorzieningen!.Value, 9);
        // Bewoners: 10 % low income → 0.75. Veiligheid: 12,500 vehicles/day within 50 m → 0.5.
        Assert.Equal(75, bu1.Bewoners!.Value, 9);
        Assert.Equal(50, bu1.Veiligheid!.Value, 9);
        Assert.Equal(new[] { bu1.Woningvoorraad!.Value, 52.5, 92.5, 75, 50 }.Average(), bu1.Composite!.Value, 9);
    }

    [Fact]
    public void Receptors_join_buildings_by_id_else_the_nearest_within_the_match_radius()
    {
        // BU2's only building has no noise receptor within 100 m, but an air grid point 10 m away.
        var bu2 = Run(new Scene()).Single(b => b.Buurtcode == "BU2");

        Assert.Null(bu2.Inputs.LdenDb);
        Assert.Equal(18, bu2.Inputs.No2!.Value, 9);
        Assert.Equal(0, bu2.Inputs.VehiclesPerDay!.Value, 9);
        Assert.Equal(100, bu2.Veiligheid!.Value, 9);
    }

    [Fact]
    public void More_noise_never_raises_the_physical_environment_or_the_composite()
    {
        double? previous = null, previousComposite = null;
        for (var lden = 40.0; lden <= 80; lden += 0.5)
        {
            var bu1 = Run(new Scene { Lden = lden }).Single(b => b.Buurtcode == "BU1");
            if (previous is not null)
            {
                Assert.True(bu1.FysiekeOmgeving <= previous, $"Lden {lden}: {previous} → {bu1.FysiekeOmgeving}");
                Assert.True(bu1.Composite <= previousComposite);
            }

            (previous, previousComposite) = (bu1.FysiekeOmgeving, bu1.Composite);
        }

        Assert.True(Run(new Scene { Lden = 75 }).Single(b => b.Buurtcode == "BU1").FysiekeOmgeving < Run(new Scene { Lden = 55 }).Single(b => b.Buurtcode == "BU1").FysiekeOmgeving);
    }

    [Fact]
    public void More_green_never_lowers_the_physical_environment()
    {
        double? previous = null;
        for (var step = 0; step <= 40; step++)
        {
            var bu1 = Run(new Scene { GreenM2 = step * 2.5, Canopy = step * 0.01 }).Single(b => b.Buurtcode == "BU1");
            if (previous is not null)
            {
                Assert.True(bu1.FysiekeOmgeving >= previous, $"step {step}: {previous} → {bu1.FysiekeOmgeving}");
            }

            previous = bu1.FysiekeOmgeving;
        }

        Assert.True(Run(new Scene { GreenM2 = 60, Canopy = 0.35 }).Single(b => b.Buurtcode == "BU1").FysiekeOmgeving > Run(new Scene { GreenM2 = 5, Canopy = 0.02 }).Single(b => b.Buurtcode == "BU1").FysiekeOmgeving);
    }

    [Fact]
    public void For_random_inputs_noise_traffic_and_green_move_their_dimensions_one_way_only()
    {
        var random = new Random(20261201);
        for (var i = 0; i < 2_000; i++)
        {
            var inputs = new LiveabilityInputs(
                random.NextDouble(), random.NextDouble(), 40 + (random.NextDouble() * 40), 5 + (random.NextDouble() * 45), random.NextDouble() * 4,
                random.NextDouble() * 80, random.NextDouble() * 0.5, random.NextDouble() * 1.5, 200 + (random.NextDouble() * 3_000), random.NextDouble() * 50,
                random.NextDouble() * 30_000);
            var score = LiveabilityModel.Score("BU1", 100, inputs);

            var louder = LiveabilityModel.Score("BU1", 100, inputs with { LdenDb = inputs.LdenDb + (random.NextDouble() * 10) });
            var greener = LiveabilityModel.Score("BU1", 100, inputs with { GreenM2PerInhabitant = inputs.GreenM2PerInhabitant + (random.NextDouble() * 20), CanopyShare = inputs.CanopyShare + (random.NextDouble() * 0.1) });
            var busier = LiveabilityModel.Score("BU1", 100, inputs with { VehiclesPerDay = inputs.VehiclesPerDay + (random.NextDouble() * 5_000) });

            Assert.True(louder.FysiekeOmgeving <= score.FysiekeOmgeving + 1e-12);
            Assert.True(greener.FysiekeOmgeving >= score.FysiekeOmgeving - 1e-12);
            Assert.True(busier.Veiligheid <= score.Veiligheid + 1e-12);
            Assert.True(louder.Composite <= score.Composite + 1e-12 && greener.Composite >= score.Composite - 1e-12);
            Assert.InRange(score.Composite!.Value, 0, 100);
        }
    }

    [Fact]
    public void A_composite_needs_three_known_dimensions_and_bewoners_can_be_left_out()
    {
        var sparse = LiveabilityModel.Score("BU1", 10, new LiveabilityInputs(0.5, 0.5, null, null, null, null, null, null, null, null, 0));
        Assert.Null(sparse.Composite);
        Assert.Null(sparse.FysiekeOmgeving);
        Assert.Equal(100, sparse.Veiligheid);

        var scene = new Scene();
        var without = Run(scene, new LiveabilityModel(scoreResidents: false)).Single(b => b.Buurtcode == "BU1");
        Assert.Null(without.Bewoners);
        Assert.Null(without.Inputs.LowIncomePercent);
        Assert.Equal(new[] { without.Woningvoorraad!.Value, 52.5, 92.5, 50 }.Average(), without.Composite!.Value, 9);
    }

    [Fact]
    public void The_reporter_gives_six_indicators_per_buurt_and_the_dwelling_weighted_city_mean()
    {
        var scene = new Scene();
        var model = new LiveabilityModel();
        var run = new ModelGraph([model], model.Descriptor.Inputs).Run(scene.Inputs(), 3, TestContext.Current.CancellationToken);
        var reporter = new LiveabilityReporter();
        var buurten = run.Value(LiveabilityPorts.Liveability);

        var areas = reporter.Areas(run, "GM0505");

        Assert.Equal(6, reporter.Indicators.Count);
        Assert.All(reporter.Indicators, i => Assert.Equal((Certainty.Laag, "score 0–100", LiveabilityModel.ModelId), (i.Certainty, i.Unit, i.ModelId)));
        Assert.Equal(6 * 3, areas.Count);
        var expected = buurten.Sum(b => b.Veiligheid!.Value * b.Dwellings) / buurten.Sum(b => b.Dwellings);
        Assert.Equal(expected, areas.Single(a => a.Indicator == "leefbaarheid-veiligheid" && a.AreaCode == "GM0505").Value!.Value, 9);
        Assert.Equal(buurten.Single(b => b.Buurtcode == "BU1").Composite, areas.Single(a => a.Indicator == "leefbaarheid" && a.AreaCode == "BU1").Value);
        Assert.Empty(reporter.Grids(run));
    }

    private static IReadOnlyList<BuurtLiveability> Run(Scene scene, LiveabilityModel? model = null) =>
        (IReadOnlyList<BuurtLiveability>)ModelRun.Execute(model ?? new LiveabilityModel(), scene.Inputs(), 0, TestContext.Current.CancellationToken)[LiveabilityPorts.Liveability.Name];

    /// <summary>
    /// Two buurten in RD New metres: BU1 with buildings B1 (1000, 1000) and B2 (1100, 1000) along a road of 12,500
    /// vehicles/day 20 m away; BU2 with B3 (3000, 1000) far from every road and noise receptor.
    /// </summary>
    internal sealed record Scene
    {
        public double Lden { get; init; } = 61.5;

        public double GreenM2 { get; init; } = 25;

        public double Canopy { get; init; } = 0.15;

        public Dictionary<string, object> Inputs()
        {
            var heatGrid = new HeatGrid(0, 0, 40, 20, 100);
            var cover = new CoverFractions(0.3, 0.3, 0.2, 0.1, 0);
            return new()
            {
                [CityPorts.Dwellings.Name] = new List<DwellingStock>
                {
                    new("B1", "BU1", Geo.Point(1000, 1000), 100, DwellingType.Appartement, Tenure.SocialeHuur),
                    new("B2", "BU1", Geo.Point(1100, 1000), 100, DwellingType.Tussenwoning, Tenure.Koop),
                    new("B3", "BU2", Geo.Point(3000, 1000), 300, DwellingType.Vrijstaand, Tenure.Koop),
                },
                [NoisePorts.Receptors.Name] = new List<NoiseReceptor> { new("B1", Geo.Point(1000, 1010)), new("R2", Geo.Point(1105, 1010)) },
                [NoisePorts.FacadeLevels.Name] = new List<FacadeNoise> { new("B1", 0, 0, 0, Lden, 0), new("R2", 0, 0, 0, Lden - 4.25, 0) },
                [AirQualityPorts.ReceptorConcentrations.Name] = new List<AirConcentration> { new("B1", 1000, 1010, 25, 20, 12, 5, 10, 1, 0.5, "L1", 10) },
                [AirQualityPorts.GridConcentrations.Name] = new List<AirConcentration> { new("30-10", 3010, 1000, 18, 18, 11, 0, 0, 0, 0, null, null) },
                [HeatPorts.Grid.Name] = heatGrid,
                [HeatPorts.Cells.Name] = new List<HeatCell>
                {
                    new(10, 10, 1050, 1050, cover, 0.6, 1.5, null), new(11, 10, 1150, 1050, cover, 0.6, 1.5, null), new(30, 10, 3050, 1050, cover, 0.8, 0.3, null),
                },
                [GreenPorts.PerNeighbourhood.Name] = new List<NeighbourhoodGreen> { new("BU1", 400, GreenM2 * 400, GreenM2, Canopy, Canopy >= 0.3) },
                [FacilitiesPorts.Supply.Name] = new List<BuurtFacilitySupply>
                {
                    new("BU1", "huisarts", "fte", 0.2, 0.2, 0.16, 0.8, 0.04, 1), new("BU1", "basisschool", "leerlingplaatsen", 40, 80, 60, 1.5, 0, 1),
                },
                [AccessibilityPorts.BuurtDistances.Name] = new List<BuurtFacilityDistance>
                {
                    new("BU1", "huisarts", 2, 0, 800, 9.6, 800, 3.2), new("BU1", "basisschool", 2, 0, 400, 4.8, 400, 1.6), new("BU2", "huisarts", 1, 1, null, null, null, null),
                },
                [SocialPorts.LowIncome.Name] = new List<BuurtLowIncomeEstimate> { new("BU1", 200, 193, 10, 6, 14, true, false), new("BU2", 300, 290, 3, 1.5, 4.5, false, false) },
                [CityPorts.Roads.Name] = new List<RoadLink>
                {
                    new("L1", Geo.Line((900, 1020), (1200, 1020)), RoadClass.Gebiedsontsluitingsweg, 50, false),
                    new("L2", Geo.Line((2000, 500), (2000, 1500)), RoadClass.Stroomweg, 100, false),
                },
                [TrafficPorts.LinkTraffic.Name] = new List<LinkTraffic> { new("L1", 12_500, 0.05, 0.02, 0.01, 0.1, 45), new("L2", 40_000, 0.1, 0.1, 0, 0.2, 90) },
            };
        }
    }
}
