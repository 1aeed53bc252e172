using System.Diagnostics;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Scenarios;
using Tweeling.Models.City;
using Tweeling.Models.Graph;
using Tweeling.Models.Population;

namespace Tweeling.Models.Tests.Population;

/// <summary>The population model (docs/models/bevolking.md): occupancy, calibration, ageing, invariants and scale.</summary>
public sealed class PopulationModelTests
{
    private static readonly GeometryFactory s_rd = new(new PrecisionModel(), 28992);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Without_statistics_residents_are_dwellings_times_occupancy_by_type_and_tenure()
    {
        var stock = new[] { Stock("BU1", 100, DwellingType.Appartement, Tenure.Koop), Stock("BU1", 100, DwellingType.Tussenwoning, Tenure.SocialeHuur) };

        var buurt = Single(Run(stock, stock, [], 0));

        // 100 × 1.65 × 1.00 + 100 × 2.45 × 0.95 (occupancy table in docs/models/bevolking.md).
        Assert.Equal(165 + 232.75, buurt.Residents, 9);
        Assert.Equal(200 * 0.965, buurt.Households, 9);
        Assert.Equal(200, buurt.Dwellings);
        Assert.Equal(buurt.Residents, buurt.AgeGroups.Sum(), 9);
        Assert.Equal(PopulationModel.NationalAgeProfile[4] * buurt.Residents, buurt.AgeGroups[4], 9);
    }

    [Fact]
    public void Dordrecht_mix_gives_its_persons_per_dwelling_within_five_percent()
    {
        // Dordrecht (CBS KWB 2024, 85984NED): 122,070 inhabitants in 57,276 dwellings, 2.13 per dwelling; about 40% flats
        // (docs/models/bevolking.md). The rest split over the other types and tenures as in the demo city's mix.
        var stock = new[]
        {
            Stock("BU1", 400, DwellingType.Appartement, Tenure.SocialeHuur),
            Stock("BU1", 200, DwellingType.Tussenwoning, Tenure.Koop),
            Stock("BU1", 100, DwellingType.Tussenwoning, Tenure.SocialeHuur),
            Stock("BU1", 100, DwellingType.Hoekwoning, Tenure.Koop),
            Stock("BU1", 100, DwellingType.TweeOnderEenKap, Tenure.Koop),
            Stock("BU1", 100, DwellingType.Vrijstaand, Tenure.Koop),
        };

        var perDwelling = Single(Run(stock, stock, [], 0)).Residents / 1000;

        Assert.InRange(perDwelling, 122_070.0 / 57_276 * 0.95, 122_070.0 / 57_276 * 1.05);
    }

    [Fact]
    public void A_buurt_with_statistics_is_calibrated_on_them_and_keeps_its_age_profile()
    {
        var baseline = new[] { Stock("BU1", 100, DwellingType.Appartement, Tenure.Koop) };
        var scenario = baseline.Append(Stock("BU1", 100, DwellingType.Appartement, Tenure.Koop, "nieuw")).ToArray();
        var statistics = new BuurtStatistics("BU1", 200, 90, [20, 20, 60, 60, 40]);

        var before = Single(Run(baseline, baseline, [statistics], 0));
        var after = Single(Run(scenario, baseline, [statistics], 0));

        Assert.Equal(200, before.Residents, 9);
        Assert.Equal(90, before.Households, 9);
        Assert.Equal([20, 20, 60, 60, 40], before.AgeGroups.Select(a => Math.Round(a, 9)));
        Assert.Equal(400, after.Residents, 9);
        Assert.Equal(180, after.Households, 9);
    }

    [Fact]
    public void More_dwellings_never_give_fewer_residents_in_any_buurt()
    {
        var baseline = new[] { Stock("BU1", 50, DwellingType.Tussenwoning, Tenure.Koop), Stock("BU2", 80, DwellingType.Appartement, Tenure.ParticuliereHuur) };
        var statistics = new[] { new BuurtStatistics("BU1", 130, null, null), new BuurtStatistics("BU2", 120, 70, [10, 30, 40, 25, 15]) };
        var before = Run(baseline, baseline, statistics, 0).ToDictionary(p => p.Buurtcode);
        foreach (var type in Enum.GetValues<DwellingType>())
        {
            foreach (var tenure in Enum.GetValues<Tenure>())
            {
                foreach (var code in new[] { "BU1", "BU2", "BU3" })
                {
                    var after = Run([.. baseline, Stock(code, 1, type, tenure, "extra")], baseline, statistics, 0).ToDictionary(p => p.Buurtcode);
                    foreach (var (buurt, population) in after)
                    {
                        Assert.True(population.Residents >= (before.TryGetValue(buurt, out var b) ? b.Residents : 0), $"{type}/{tenure} in {code} lowered {buurt}.");
                    }
                }
            }
        }
    }

    [Fact]
    public void A_buurt_whose_dwellings_are_all_demolished_shows_zero_residents()
    {
        var baseline = new[] { Stock("BU1", 50, DwellingType.Tussenwoning, Tenure.Koop), Stock("BU2", 10, DwellingType.Vrijstaand, Tenure.Koop) };

        var after = Run([baseline[0]], baseline, [], 0);

        Assert.Equal(0, after.Single(p => p.Buurtcode == "BU2").Residents);
    }

    [Fact]
    public void Ageing_keeps_the_total_and_moves_people_up_the_age_groups()
    {
        IReadOnlyList<double> groups = [150, 100, 200, 200, 100];

        var oneYear = PopulationModel.Age(groups, 1);
        var thirty = PopulationModel.Age(groups, 30);

        // Ages spread evenly within a group: each year 1/15 of 0–15 turns 15, 1/10 of 15–25 turns 25, and so on.
        Assert.Equal([140, 100, 200, 200, 110], oneYear.Select(a => Math.Round(a, 9)));
        Assert.Equal(750, thirty.Sum(), 9);
        Assert.True(thirty[0] < groups[0] && thirty[4] > groups[4]);
        var baseline = new[] { Stock("BU1", 100, DwellingType.Appartement, Tenure.Koop) };
        var aged = Single(Run(baseline, baseline, [], 10));
        var young = Single(Run(baseline, baseline, [], 0));
        Assert.Equal(young.Residents, aged.AgeGroups.Sum(), 9);
        Assert.True(aged.AgeGroups[4] > young.AgeGroups[4]);
    }

    [Fact]
    public void A_Dordrecht_size_city_runs_well_under_a_second_and_reproduces_its_hash()
    {
        // Dordrecht: about 57,000 dwellings in 132 buurten (CBS 2024); here 12,000 buildings of 5 dwellings.
        var stock = Enumerable.Range(0, 12_000)
            .Select(i => Stock($"BU{i % 132:D4}", 5, (DwellingType)(i % 5), (Tenure)(i % 3), $"P{i}"))
            .ToList();
        var statistics = Enumerable.Range(0, 132).Select(b => new BuurtStatistics($"BU{b:D4}", 900 + b, 400 + b, [150, 100, 250, 250, 150 + b])).ToList();
        var inputs = new Dictionary<string, object>
        {
            [City.CityPorts.Dwellings.Name] = stock,
            [City.CityPorts.BaselineDwellings.Name] = stock,
            [City.CityPorts.BuurtStatistics.Name] = statistics,
            [City.CityPorts.AgeingYears.Name] = 0,
            [City.CityPorts.BuurtAreas.Name] = Areas(stock),
        };

        // Warm the code paths (JIT, serializer metadata) on a small city first, as a running server has: the target is
        // the run, not the process start.
        var small = inputs.ToDictionary(p => p.Key, p => p.Value is List<DwellingStock> all ? (object)all.Take(10).ToList() : p.Value);
        new ModelGraph([new PopulationModel()], BaselinePorts()).Run(small, 7, Ct);

        // The best of three runs, each on a fresh graph and fresh copies of the inputs (nothing cached or memoised):
        // the machine is shared, and the best run is the one least disturbed by other work.
        var elapsed = TimeSpan.MaxValue;
        GraphRun? first = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var fresh = inputs.ToDictionary(p => p.Key, p => p.Value is List<DwellingStock> all ? (object)all.ToList() : p.Value);
            var started = Stopwatch.GetTimestamp();
            first = new ModelGraph([new PopulationModel()], BaselinePorts()).Run(fresh, 7, Ct);
            elapsed = TimeSpan.FromTicks(Math.Min(elapsed.Ticks, Stopwatch.GetElapsedTime(started).Ticks));
        }

        var again = new ModelGraph([new PopulationModel()], BaselinePorts()).Run(inputs, 7, Ct);

        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"took {elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(132, first!.Value(PopulationPorts.Population).Count);
        Assert.Equal(ContentHash.Of(first.Value(PopulationPorts.Population)), ContentHash.Of(again.Value(PopulationPorts.Population)));
    }

    private static Port[] BaselinePorts() => [City.CityPorts.Dwellings, City.CityPorts.BaselineDwellings, City.CityPorts.BuurtStatistics, City.CityPorts.AgeingYears, City.CityPorts.BuurtAreas];

    /// <summary>A square around the test point for every buurt of the stock: the population model needs each buurt's polygon.</summary>
    private static List<BuurtArea> Areas(IEnumerable<DwellingStock> stock) =>
        [.. stock.Select(d => d.Buurtcode).Distinct().Order(StringComparer.Ordinal).Select(code => new BuurtArea(code, Support.Geo.Box(104_000, 424_000, 106_000, 426_000)))];

    private static BuurtResidents Single(IReadOnlyList<BuurtResidents> population) => Assert.Single(population);

    private static IReadOnlyList<BuurtResidents> Run(IReadOnlyList<DwellingStock> dwellings, IReadOnlyList<DwellingStock> baseline, IReadOnlyList<BuurtStatistics> statistics, int years)
    {
        var outputs = ModelRun.Execute(
            new PopulationModel(),
            new Dictionary<string, object>
            {
                [City.CityPorts.Dwellings.Name] = dwellings,
                [City.CityPorts.BaselineDwellings.Name] = baseline,
                [City.CityPorts.BuurtStatistics.Name] = statistics,
                [City.CityPorts.AgeingYears.Name] = years,
                [City.CityPorts.BuurtAreas.Name] = Areas(dwellings.Concat(baseline)),
            },
            seed: 0,
            Ct);
        return (IReadOnlyList<BuurtResidents>)outputs[PopulationPorts.Population.Name];
    }

    private static DwellingStock Stock(string buurt, int count, DwellingType type, Tenure tenure, string id = "P1") =>
        new(id, buurt, s_rd.CreatePoint(new Coordinate(105_000, 425_000)), count, type, tenure);
}
