using NetTopologySuite.Geometries;
using Tweeling.Models.City;
using Tweeling.Models.Facilities;
using Tweeling.Models.Graph;
using Tweeling.Models.Tests.Accessibility;

namespace Tweeling.Models.Tests.Facilities;

/// <summary>The facilities model: demand by the norms of models.md §5, capacity shared by 2SFCA (models.md §6).</summary>
[Collection(nameof(ModelTiming))]
public sealed class FacilitiesModelTests
{
    private static readonly GeometryFactory s_rd = new(new PrecisionModel(), 28992);

    /// <summary>models.md §5: GP 2,095 patients per FTE; school = 4–11 × participation; childcare = 0–3 × take-up (½); nursing home ≈ 75 per 1,000 aged 75+.</summary>
    [Fact]
    public void Demand_follows_the_norm_of_each_kind()
    {
        var buurt = Buurt("BU1", 0, 0, aged0To3: 40, aged4To11: 80, aged18To64: 3_870, aged75Plus: 200);

        Assert.Equal(4_190, buurt.Total);
        Assert.Equal(2.0, FacilitiesModel.Demand(buurt, Norm("huisarts")), 12);
        Assert.Equal(4_190, FacilitiesModel.Demand(buurt, Norm("apotheek")), 12);
        Assert.Equal(80, FacilitiesModel.Demand(buurt, Norm("basisschool")), 12);
        Assert.Equal(20, FacilitiesModel.Demand(buurt, Norm("kinderopvang")), 12);
        Assert.Equal(15, FacilitiesModel.Demand(buurt, Norm("verpleeghuis")), 12);
    }

    /// <summary>
    /// Hand-computed 2SFCA (Luo &amp; Wang 2003, models.md §6) with the GP norm of §5 and the detour factor 1.3 of §6:
    /// buurt A (4,190 inhabitants, 2 FTE needed) at x = 0, buurt B (2,095, 1 FTE) at x = 3,000; practice P1 (1.5 FTE)
    /// at x = 500 reaches only A (650 m; B is 3,250 m), P2 (1 FTE) at x = 1,500 reaches both (1,950 m ≤ 2,000 m).
    /// R₁ = 1.5 / 2 = 0.75, R₂ = 1 / 3; A_A = 0.75 + 1/3, A_B = 1/3.
    /// </summary>
    [Fact]
    public void Two_step_floating_catchment_matches_a_hand_computed_case()
    {
        var (supply, load) = Run(
            [Buurt("A", 0, 0, aged18To64: 4_190), Buurt("B", 3_000, 0, aged18To64: 2_095)],
            [Gp("P1", 500, 0, 1.5), Gp("P2", 1_500, 0, 1.0)]);

        var a = supply.Single(s => s is { Buurtcode: "A", Kind: "huisarts" });
        var b = supply.Single(s => s is { Buurtcode: "B", Kind: "huisarts" });
        Assert.Equal(("fte", 2.0, 2.5, 2), (a.Unit, a.Demand, a.CapacityInCatchment, a.FacilitiesInCatchment));
        Assert.Equal(0.75 + (1.0 / 3), a.Ratio, 12);
        Assert.Equal(2 * (0.75 + (1.0 / 3)), a.AccessibleCapacity, 12);
        Assert.Equal(0, a.Shortage);
        Assert.Equal((1.0, 1.0, 1), (b.Demand, b.CapacityInCatchment, b.FacilitiesInCatchment));
        Assert.Equal(1.0 / 3, b.Ratio, 12);
        Assert.Equal(2.0 / 3, b.Shortage, 12);
        Assert.Equal(2.0 / 1.5, load.Single(l => l.FacilityId == "P1").Load, 12);
        Assert.Equal((3.0, 3.0), (load.Single(l => l.FacilityId == "P2").DemandInCatchment, load.Single(l => l.FacilityId == "P2").Load));
    }

    [Fact]
    public void Every_facility_with_demand_in_reach_hands_out_exactly_its_capacity()
    {
        var (buurten, facilities) = RandomCity(new Random(7), 60, 25);
        var (supply, load) = Run(buurten, facilities);

        foreach (var kind in FacilityNorm.Dutch.Select(n => n.Kind))
        {
            var handedOut = supply.Where(s => s.Kind == kind).Sum(s => s.AccessibleCapacity);
            var sharedCapacity = load.Where(l => l.Kind == kind && l.DemandInCatchment > 0).Sum(l => l.Capacity);
            Assert.Equal(sharedCapacity, handedOut, 6);
        }
    }

    [Fact]
    public void A_buurt_without_a_facility_in_reach_lacks_all_its_demand_and_kinds_without_a_norm_are_left_out()
    {
        var far = new Facility("VZ9", "huisarts", s_rd.CreatePoint(new Coordinate(10_000, 0)), 1, "fte");
        var shop = new Facility("VZ8", "supermarkt", s_rd.CreatePoint(new Coordinate(0, 0)), 1_000, "m2");

        var (supply, load) = Run([Buurt("A", 0, 0, aged18To64: 2_095)], [far, shop]);

        var gp = supply.Single(s => s.Kind == "huisarts");
        Assert.Equal((0.0, 0.0, 1.0, 0), (gp.Ratio, gp.CapacityInCatchment, gp.Shortage, gp.FacilitiesInCatchment));
        Assert.Equal((0.0, 0.0), (load.Single().DemandInCatchment, load.Single().Load));
        Assert.DoesNotContain(supply, s => s.Kind == "supermarkt");
        Assert.Equal(FacilityNorm.Dutch.Select(n => n.Kind).Order(StringComparer.Ordinal), supply.Select(s => s.Kind).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void More_capacity_never_lowers_any_buurts_accessibility()
    {
        for (var seed = 0; seed < 20; seed++)
        {
            var random = new Random(seed);
            var (buurten, facilities) = RandomCity(random, 30, 15);
            var grown = facilities.ToList();
            var j = random.Next(grown.Count);
            grown[j] = grown[j] with { Capacity = grown[j].Capacity * (1 + random.NextDouble()) };

            var before = Run(buurten, facilities).Supply;
            var after = Run(buurten, grown).Supply;

            Assert.All(before.Zip(after), p => Assert.True(p.Second.Ratio >= p.First.Ratio - 1e-12, $"seed {seed}: {p.First} → {p.Second}"));
        }
    }

    [Fact]
    public void More_residents_never_lower_demand()
    {
        for (var seed = 0; seed < 20; seed++)
        {
            var random = new Random(seed);
            var (buurten, facilities) = RandomCity(random, 30, 15);
            var more = buurten.ToList();
            var i = random.Next(more.Count);
            more[i] = random.Next(6) switch
            {
                0 => more[i] with { Aged0To3 = more[i].Aged0To3 + 10 },
                1 => more[i] with { Aged4To11 = more[i].Aged4To11 + 10 },
                2 => more[i] with { Aged12To17 = more[i].Aged12To17 + 10 },
                3 => more[i] with { Aged18To64 = more[i].Aged18To64 + 10 },
                4 => more[i] with { Aged65To74 = more[i].Aged65To74 + 10 },
                _ => more[i] with { Aged75Plus = more[i].Aged75Plus + 10 },
            };

            var before = Run(buurten, facilities).Supply;
            var after = Run(more, facilities).Supply;

            Assert.All(before.Zip(after), p => Assert.True(p.Second.Demand >= p.First.Demand, $"seed {seed}: {p.First} → {p.Second}"));
            Assert.Contains(before.Zip(after), p => p.Second.Demand > p.First.Demand);
        }
    }

    [Fact]
    public void The_same_input_gives_the_same_output()
    {
        var (buurten, facilities) = RandomCity(new Random(3), 40, 20);

        var first = Run(buurten, facilities);
        var second = Run(buurten, facilities);

        Assert.Equal(first.Supply, second.Supply);
        Assert.Equal(first.Load, second.Load);
    }

    [Fact]
    public void Invalid_input_is_refused_with_the_offending_item_named()
    {
        var buurt = Buurt("A", 0, 0, aged18To64: 100);

        var unit = Assert.Throws<ArgumentException>(() => Run([buurt], [new Facility("VZ1", "huisarts", s_rd.CreatePoint(new Coordinate(0, 0)), 2, "patienten")]));
        var capacity = Assert.Throws<ArgumentException>(() => Run([buurt], [Gp("VZ2", 0, 0, 0)]));
        var twice = Assert.Throws<ArgumentException>(() => Run([buurt, buurt], []));
        var negative = Assert.Throws<ArgumentException>(() => Run([buurt with { Aged75Plus = -1 }], []));

        Assert.Contains("'VZ1'", unit.Message, StringComparison.Ordinal);
        Assert.Contains("'fte'", unit.Message, StringComparison.Ordinal);
        Assert.Contains("'VZ2'", capacity.Message, StringComparison.Ordinal);
        Assert.Contains("'A'", twice.Message, StringComparison.Ordinal);
        Assert.Contains("'A'", negative.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new FacilitiesModel(detourFactor: 0.9));
        Assert.Throws<ArgumentException>(() => new FacilitiesModel([Norm("huisarts"), Norm("huisarts")]));
    }

    /// <summary>500 buurten of 200–2,200 inhabitants (≈ 600,000, five times Dordrecht) and 960 facilities run far below DESIGN §7's 2 s.</summary>
    [Fact]
    public void A_city_five_times_dordrecht_runs_in_well_under_a_second()
    {
        var (buurten, facilities) = RandomCity(new Random(11), 500, 160);
        Run(buurten, facilities);

        IReadOnlyList<BuurtFacilitySupply> supply = [];
        var time = ModelTiming.Measure(() => (supply, _) = Run(buurten, facilities));

        TestContext.Current.TestOutputHelper!.WriteLine($"500 buurten, {facilities.Count} facilities: {time.Cpu.TotalMilliseconds:F0} ms CPU ({time.Wall.TotalMilliseconds:F0} ms wall)");
        Assert.Equal(500 * FacilityNorm.Dutch.Count, supply.Count);
        Assert.True(time.Cpu < TimeSpan.FromSeconds(1), $"took {time.Cpu.TotalMilliseconds:F0} ms CPU");
    }

    private static (IReadOnlyList<BuurtFacilitySupply> Supply, IReadOnlyList<FacilityLoad> Load) Run(IReadOnlyList<BuurtPopulation> buurten, IReadOnlyList<Facility> facilities)
    {
        var outputs = ModelRun.Execute(
            new FacilitiesModel(),
            new Dictionary<string, object> { [FacilitiesPorts.Population.Name] = buurten, [FacilitiesPorts.Facilities.Name] = facilities },
            seed: 0,
            TestContext.Current.CancellationToken);
        return ((IReadOnlyList<BuurtFacilitySupply>)outputs[FacilitiesPorts.Supply.Name], (IReadOnlyList<FacilityLoad>)outputs[FacilitiesPorts.Load.Name]);
    }

    /// <summary>Buurten on a 6 km square with Dutch-like age shares, and <paramref name="perKind"/> facilities of each normed kind plus supermarkets.</summary>
    internal static (IReadOnlyList<BuurtPopulation>, IReadOnlyList<Facility>) RandomCity(Random random, int buurten, int perKind)
    {
        var population = Enumerable.Range(0, buurten).Select(i =>
        {
            var inhabitants = 200 + random.Next(2_000);
            return Buurt($"BU{i:D4}", random.NextDouble() * 6_000, random.NextDouble() * 6_000,
                aged0To3: inhabitants * 0.04, aged4To11: inhabitants * 0.08, aged12To17: inhabitants * 0.06,
                aged18To64: inhabitants * 0.6, aged65To74: inhabitants * 0.12, aged75Plus: inhabitants * 0.1);
        }).ToList();
        var facilities = new List<Facility>();
        foreach (var norm in FacilityNorm.Dutch.Append(new FacilityNorm("supermarkt", "m2", AgeRates.All(0), 1, "-")))
        {
            for (var j = 0; j < perKind; j++)
            {
                var at = s_rd.CreatePoint(new Coordinate(random.NextDouble() * 6_000, random.NextDouble() * 6_000));
                facilities.Add(new($"{norm.Kind}-{j}", norm.Kind, at, 1 + (random.NextDouble() * 100), norm.CapacityUnit));
            }
        }

        return (population, facilities);
    }

    private static FacilityNorm Norm(string kind) => FacilityNorm.Dutch.Single(n => n.Kind == kind);

    private static Facility Gp(string id, double x, double y, double fte) => new(id, "huisarts", s_rd.CreatePoint(new Coordinate(x, y)), fte, "fte");

    private static BuurtPopulation Buurt(
        string code, double x, double y, double aged0To3 = 0, double aged4To11 = 0, double aged12To17 = 0, double aged18To64 = 0, double aged65To74 = 0, double aged75Plus = 0) =>
        new(code, s_rd.CreatePoint(new Coordinate(x, y)), aged0To3, aged4To11, aged12To17, aged18To64, aged65To74, aged75Plus);
}
