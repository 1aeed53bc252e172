using NetTopologySuite.Geometries;
using Tweeling.Domain.Scenarios;
using Tweeling.Models.City;
using Tweeling.Models.Graph;
using Tweeling.Models.Population;
using Tweeling.Models.Results;
using Tweeling.Models.Social;

namespace Tweeling.Models.Tests.Social;

/// <summary>The social model (docs/models/sociaal.md): shift-share, calibration, scenarios, disclosure and its reporter; run behind the real population model.</summary>
public sealed class SocialModelTests
{
    private static readonly GeometryFactory s_rd = new(new PrecisionModel(), 28992);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Without_an_observation_the_share_is_the_composition_times_the_rates_by_hand()
    {
        var stock = new[]
        {
            Stock("BU1", 100, DwellingType.Appartement, Tenure.SocialeHuur, "P1"),
            Stock("BU1", 60, DwellingType.Tussenwoning, Tenure.Koop, "P2"),
            Stock("BU1", 40, DwellingType.Appartement, Tenure.ParticuliereHuur, "P3"),
        };

        var buurt = Assert.Single(Run(stock, stock, []).Buurten);

        // (100 × 22 + 60 × 3 + 40 × 11) / 200 = (2,200 + 180 + 440) / 200 = 14.1 %; the band takes every rate ×0.5 and ×1.5.
        Assert.Equal(14.1, buurt.Percent!.Value, 9);
        Assert.Equal(7.05, buurt.LowPercent!.Value, 9);
        Assert.Equal(21.15, buurt.HighPercent!.Value, 9);
        Assert.False(buurt.Calibrated);
        Assert.Equal(200 * PopulationModel.HouseholdsPerDwelling, buurt.Households, 9);
    }

    [Fact]
    public void The_baseline_reproduces_the_observed_share_exactly_with_no_band()
    {
        var stock = new[] { Stock("BU1", 300, DwellingType.Tussenwoning, Tenure.Koop, "P1"), Stock("BU2", 500, DwellingType.Appartement, Tenure.SocialeHuur, "P2") };

        var result = Run(stock, stock, [new BuurtLowIncome("BU1", 8.4), new BuurtLowIncome("BU2", 31)]).Buurten.ToDictionary(b => b.Buurtcode);

        Assert.Equal(8.4, result["BU1"].Percent!.Value, 9);
        Assert.Equal(8.4, result["BU1"].LowPercent!.Value, 9);
        Assert.Equal(8.4, result["BU1"].HighPercent!.Value, 9);
        Assert.Equal(31, result["BU2"].Percent!.Value, 9);
        Assert.True(result["BU2"].Calibrated);
    }

    [Fact]
    public void New_dwellings_take_their_rate_and_the_residual_stays_with_the_existing_ones_by_hand()
    {
        var baseline = new[] { Stock("BU1", 100, DwellingType.Tussenwoning, Tenure.Koop, "P1") };
        var scenario = baseline.Append(Stock("BU1", 100, DwellingType.Appartement, Tenure.SocialeHuur, "scenario:1")).ToArray();

        var buurt = Assert.Single(Run(scenario, baseline, [new BuurtLowIncome("BU1", 10)]).Buurten);

        // Composition (100 × 3 + 100 × 22) / 200 = 12.5 %; residual 10 − 3 = 7 points on the 100 of 200 dwellings that were there: 12.5 + 3.5 = 16 %.
        Assert.Equal(16, buurt.Percent!.Value, 9);
        // Rates ×0.5: 6.25 + (10 − 1.5) × 0.5 = 10.5; ×1.5: 18.75 + (10 − 4.5) × 0.5 = 21.5.
        Assert.Equal(10.5, buurt.LowPercent!.Value, 9);
        Assert.Equal(21.5, buurt.HighPercent!.Value, 9);
    }

    [Fact]
    public void Adding_2000_social_rent_dwellings_raises_the_share_where_they_are_built_and_nowhere_else()
    {
        var (baseline, observed) = City();
        var before = Run(baseline, baseline, observed).Buurten.ToDictionary(b => b.Buurtcode);
        var scenario = baseline.Append(Stock("BU3", 2_000, DwellingType.Appartement, Tenure.SocialeHuur, "scenario:1")).ToArray();

        var after = Run(scenario, baseline, observed);

        var built = after.Buurten.Single(b => b.Buurtcode == "BU3");
        Assert.True(built.Percent > before["BU3"].Percent + 5, $"{before["BU3"].Percent} → {built.Percent}");
        Assert.True(built.LowPercent < built.Percent && built.Percent < built.HighPercent);
        Assert.All(after.Buurten.Where(b => b.Buurtcode != "BU3"), b => Assert.Equal(before[b.Buurtcode].Percent!.Value, b.Percent!.Value, 9));
        Assert.True(after.City.Percent > Run(baseline, baseline, observed).City.Percent);
    }

    [Fact]
    public void Adding_owner_occupied_dwellings_lowers_the_share_where_they_are_built()
    {
        var (baseline, observed) = City();
        var before = Run(baseline, baseline, observed).Buurten.Single(b => b.Buurtcode == "BU2");
        var scenario = baseline.Append(Stock("BU2", 2_000, DwellingType.TweeOnderEenKap, Tenure.Koop, "scenario:1")).ToArray();

        var after = Run(scenario, baseline, observed).Buurten.Single(b => b.Buurtcode == "BU2");

        Assert.True(after.Percent < before.Percent - 5, $"{before.Percent} → {after.Percent}");
    }

    [Fact]
    public void Demolishing_social_rent_lowers_the_share_and_a_buurt_left_without_dwellings_has_none()
    {
        var baseline = new[]
        {
            Stock("BU1", 200, DwellingType.Appartement, Tenure.SocialeHuur, "P1"), Stock("BU1", 200, DwellingType.Tussenwoning, Tenure.Koop, "P2"),
            Stock("BU2", 150, DwellingType.Appartement, Tenure.SocialeHuur, "P3"),
        };
        var observed = new[] { new BuurtLowIncome("BU1", 15), new BuurtLowIncome("BU2", 25) };

        var after = Run([baseline[1]], baseline, observed).Buurten.ToDictionary(b => b.Buurtcode);

        // BU1 keeps only its koop row: 3 % + (15 − 12.5) × 200/200 = 5.5 %.
        Assert.Equal(5.5, after["BU1"].Percent!.Value, 9);
        Assert.Equal(0, after["BU2"].Dwellings);
        Assert.Null(after["BU2"].Percent);
    }

    [Fact]
    public void A_buurt_under_100_households_is_suppressed_but_counts_in_the_city()
    {
        var stock = new[] { Stock("BU1", 60, DwellingType.Appartement, Tenure.SocialeHuur, "P1"), Stock("BU2", 400, DwellingType.Tussenwoning, Tenure.Koop, "P2") };

        var run = Run(stock, stock, [new BuurtLowIncome("BU1", 40), new BuurtLowIncome("BU2", 2)]);

        var small = run.Buurten.Single(b => b.Buurtcode == "BU1");
        Assert.True(small.Suppressed);
        Assert.Null(small.Percent);
        Assert.Null(small.LowPercent);
        // City: (57.9 × 40 + 386 × 2) / 443.9 households.
        Assert.Equal(((60 * 0.965 * 40) + (400 * 0.965 * 2)) / (460 * 0.965), run.City.Percent!.Value, 9);
    }

    [Fact]
    public void An_observed_share_outside_0_to_100_is_refused()
    {
        var stock = new[] { Stock("BU1", 200, DwellingType.Appartement, Tenure.SocialeHuur, "P1") };

        var error = Assert.Throws<ArgumentException>(() => Run(stock, stock, [new BuurtLowIncome("BU1", 120)]));
        Assert.Contains("BU1", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => LowIncomeRates.ByTenure(3, 101, 11));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SocialModel(rateUncertainty: 1.5));
    }

    [Fact]
    public void Type_specific_rates_enter_the_composition()
    {
        var table = new double[5, 3];
        table[(int)DwellingType.Appartement, (int)Tenure.SocialeHuur] = 30;
        table[(int)DwellingType.Tussenwoning, (int)Tenure.SocialeHuur] = 10;
        var stock = new[] { Stock("BU1", 100, DwellingType.Appartement, Tenure.SocialeHuur, "P1"), Stock("BU1", 300, DwellingType.Tussenwoning, Tenure.SocialeHuur, "P2") };

        var buurt = Assert.Single(Run(stock, stock, [], new SocialModel(LowIncomeRates.ByTypeAndTenure(table))).Buurten);

        Assert.Equal(((100 * 30) + (300 * 10)) / 400.0, buurt.Percent!.Value, 9);
    }

    [Fact]
    public void The_reporter_writes_value_and_band_per_buurt_and_for_the_municipality()
    {
        var (baseline, observed) = City();
        var graph = Graph();
        var run = graph.Run(Inputs(baseline, baseline, observed), 1, Ct);
        var reporter = new SocialReporter();

        var areas = reporter.Areas(run, "GM0505");

        Assert.Equal(["huishoudens-laag-inkomen", "huishoudens-laag-inkomen-ondergrens", "huishoudens-laag-inkomen-bovengrens"], reporter.Indicators.Select(i => i.Id));
        Assert.All(reporter.Indicators, i => Assert.Equal((ImpactDomain.Sociaal, SocialModel.ModelId, Desirability.Neutral), (i.Domain, i.ModelId, i.Desirability)));
        Assert.Equal(3 * 4, areas.Count);
        Assert.Equal(12.0, areas.Single(a => a.Indicator == "huishoudens-laag-inkomen" && a.AreaCode == "BU1").Value!.Value, 9);
        var city = run.Value(SocialPorts.CityLowIncome);
        Assert.Equal(city.Percent, areas.Single(a => a.Indicator == "huishoudens-laag-inkomen" && a.AreaCode == "GM0505").Value);
        Assert.Equal(city.HighPercent, areas.Single(a => a.Indicator == "huishoudens-laag-inkomen-bovengrens" && a.AreaCode == "GM0505").Value);
        Assert.Empty(reporter.Grids(run));
    }

    // Three buurten: mixed, mostly social rent, mostly owner-occupied, each with an observed share near its composition.
    private static (DwellingStock[] Stock, BuurtLowIncome[] Observed) City() =>
    (
        [
            Stock("BU1", 400, DwellingType.Appartement, Tenure.SocialeHuur, "P1"), Stock("BU1", 600, DwellingType.Tussenwoning, Tenure.Koop, "P2"),
            Stock("BU2", 900, DwellingType.Appartement, Tenure.SocialeHuur, "P3"), Stock("BU2", 100, DwellingType.Hoekwoning, Tenure.ParticuliereHuur, "P4"),
            Stock("BU3", 800, DwellingType.Tussenwoning, Tenure.Koop, "P5"), Stock("BU3", 200, DwellingType.Vrijstaand, Tenure.Koop, "P6"),
        ],
        [new BuurtLowIncome("BU1", 12), new BuurtLowIncome("BU2", 24), new BuurtLowIncome("BU3", 2.5)]
    );

    private static ModelGraph Graph(SocialModel? model = null) => new(
        [new PopulationModel(), model ?? new SocialModel()],
        [CityPorts.Dwellings, CityPorts.BaselineDwellings, CityPorts.BuurtStatistics, CityPorts.AgeingYears, CityPorts.BuurtLowIncome, CityPorts.BuurtAreas]);

    private static Dictionary<string, object> Inputs(IReadOnlyList<DwellingStock> dwellings, IReadOnlyList<DwellingStock> baseline, IReadOnlyList<BuurtLowIncome> observed) => new()
    {
        [CityPorts.Dwellings.Name] = dwellings,
        [CityPorts.BaselineDwellings.Name] = baseline,
        [CityPorts.BuurtStatistics.Name] = Array.Empty<BuurtStatistics>(),
        [CityPorts.AgeingYears.Name] = 0,
        [CityPorts.BuurtLowIncome.Name] = observed,
        [CityPorts.BuurtAreas.Name] = dwellings.Concat(baseline).Select(d => d.Buurtcode).Concat(observed.Select(o => o.Buurtcode)).Distinct().Order(StringComparer.Ordinal)
            .Select(code => new BuurtArea(code, Support.Geo.Box(104_000, 424_000, 106_000, 426_000))).ToList(),
    };

    private static (IReadOnlyList<BuurtLowIncomeEstimate> Buurten, CityLowIncomeEstimate City) Run(
        IReadOnlyList<DwellingStock> dwellings, IReadOnlyList<DwellingStock> baseline, IReadOnlyList<BuurtLowIncome> observed, SocialModel? model = null)
    {
        var run = Graph(model).Run(Inputs(dwellings, baseline, observed), 1, Ct);
        return (run.Value(SocialPorts.LowIncome), run.Value(SocialPorts.CityLowIncome));
    }

    private static DwellingStock Stock(string buurt, int count, DwellingType type, Tenure tenure, string id) =>
        new(id, buurt, s_rd.CreatePoint(new Coordinate(105_000, 425_000)), count, type, tenure);
}
