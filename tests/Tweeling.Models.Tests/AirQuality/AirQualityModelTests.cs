using Tweeling.Domain.Algorithms;
using Tweeling.Governance.Register;
using Tweeling.Models.AirQuality;
using Tweeling.Models.City;
using Tweeling.Models.Graph;
using Tweeling.Models.Tests.Traffic;
using Tweeling.Models.Traffic;
using static Tweeling.Models.Tests.Traffic.TestNetworks;

namespace Tweeling.Models.Tests.AirQuality;

/// <summary>The SRM1 model against the worked example of models.md §1.2 and its invariants.</summary>
public sealed class AirQualityModelTests
{
    private static readonly AirBackground s_background = new(No2: 18, Pm10: 16, Pm25: 9, O3: 45);

    // The worked example of models.md §1.2: 10,000 vehicles/day, 8% trucks (2:1 medium to heavy), class c, no congestion.
    private static readonly LinkTraffic s_example = new("straat", 10_000, 0.08 * 2 / 3, 0.08 / 3, 0, 0, 30);

    [Fact]
    public void The_formulas_reproduce_the_worked_example()
    {
        // E = 10,000 × (0.92 × 0.272 + 0.08 × 4.532) × 1000/86,400 = 10,000 × 0.6128 / 86.4 = 70.926 µg/(m·s).
        var nox = Srm1.Emission(10_000, 0.08, 0, 0.272, 4.532, 0.377, 7.277);
        Assert.Equal(70.9259, nox, 4);

        // s(10): type 4 = 0.00031·100 − 0.182 + 0.33 = 0.179; type 2 = 0.0488 − 0.308 + 0.59 = 0.3308.
        Assert.Equal(0.179, Srm1.Dilution(StreetType.Open, 10), 12);
        Assert.Equal(0.3308, Srm1.Dilution(StreetType.NarrowCanyon, 10), 12);

        // NOx = 0.62 × 70.926 × s × 1 × 5/4.5: 8.746 (type 4) and 16.163 (type 2); models.md: 8.7 to 16.2.
        var regional = Srm1.RegionalFactor(4.5);
        var noxOpen = Srm1.Concentration(nox, 0.179, 1, regional);
        var noxCanyon = Srm1.Concentration(nox, 0.3308, 1, regional);
        Assert.Equal(8.7460, noxOpen, 4);
        Assert.Equal(16.1629, noxCanyon, 4);

        // NO2 = 0.2·NOx + 0.6 × 45 × 0.8·NOx / (0.8·NOx + 100): 1.749 + 1.766 = 3.515 and 3.233 + 3.091 = 6.324; models.md: 3.5 to 6.3.
        Assert.Equal(3.5148, Srm1.No2(noxOpen, 0.2 * noxOpen, 45), 4);
        Assert.Equal(6.3240, Srm1.No2(noxCanyon, 0.2 * noxCanyon, 45), 4);

        // PM10: E = 10,000 × (0.92 × 0.031 + 0.08 × 0.157) / 86.4 = 4.7546; × 0.62 × s × 5/4.5 = 0.586 and 1.084; models.md: 0.6 to 1.1.
        var pm10 = Srm1.Emission(10_000, 0.08, 0, 0.031, 0.157, 0.033, 0.185);
        Assert.Equal(0.5863, Srm1.Concentration(pm10, 0.179, 1, regional), 4);
        Assert.Equal(1.0835, Srm1.Concentration(pm10, 0.3308, 1, regional), 4);
    }

    [Fact]
    public void A_receptor_ten_metres_from_the_street_gets_background_plus_the_worked_example()
    {
        var result = Run([s_example], [Link("straat", 0, 0, 200, 0)], [new("school", Point(100, 10))]);

        var school = Assert.Single(result.Receptors);
        Assert.Equal(18 + 3.5148, school.No2, 4);
        Assert.Equal(16 + 0.5863, school.Pm10, 4);

        // PM2.5: half the PM10 contribution (the assumed share, luchtkwaliteit.md).
        Assert.Equal(9 + (0.5 * 0.5863), school.Pm25, 1e-4);
        Assert.Equal(8.7460, school.NoxStreet, 4);
        Assert.Equal(("straat", 10.0), (school.StreetLinkId, school.DistanceToAxis));
    }

    [Fact]
    public void Outside_the_SRM1_domain_a_receptor_gets_the_background_only()
    {
        var link = Link("straat", 0, 0, 200, 0);
        StreetProfile[] canyon = [new("straat", StreetType.NarrowCanyon, TreeCover.FewOrNone)];
        AirReceptor[] at45 = [new("p", Point(100, 45))];

        var inCanyon = Assert.Single(Run([s_example], [link], at45, canyon).Receptors);
        var inOpen = Assert.Single(Run([s_example], [link], at45).Receptors);
        var beyond = Assert.Single(Run([s_example], [link], [new("p", Point(100, 61))]).Receptors);

        // Type 2 is valid to 30 m only.
        Assert.Equal((18.0, 16.0, 9.0, (string?)null), (inCanyon.No2, inCanyon.Pm10, inCanyon.Pm25, inCanyon.StreetLinkId));

        // Type 4 reaches 60 m with s = 0.799 × 45^−0.747 = 0.046515: NOx = 0.62 × 70.926 × 0.046515 × 5/4.5 = 2.2727.
        Assert.Equal(0.046515, Srm1.Dilution(StreetType.Open, 45), 6);
        Assert.Equal(2.2727, inOpen.NoxStreet, 1e-4);
        Assert.Equal((18.0, (string?)null), (beyond.No2, beyond.StreetLinkId));
    }

    [Fact]
    public void The_dilution_falls_with_distance_within_each_road_types_domain()
    {
        foreach (var type in Enum.GetValues<StreetType>())
        {
            var previous = Srm1.Dilution(type, 0);
            Assert.Equal(Srm1.Dilution(type, Srm1.MinimumDistance), previous);
            for (var x = 0.5; x <= Srm1.MaximumDistance(type); x += 0.25)
            {
                var s = Srm1.Dilution(type, x);
                if (type == StreetType.Open && x is > 29.35 and <= 30)
                {
                    // The published type-4 parabola has its minimum at x = 0.0182 / 0.00062 = 29.35 m: it rises by at most 0.3% to 30 m.
                    Assert.True(s <= previous * 1.003, $"Type {type} at {x} m: {s} after {previous}.");
                }
                else
                {
                    Assert.True(s <= previous, $"Type {type} at {x} m: {s} after {previous}.");
                }

                previous = s;
            }

            Assert.Equal(0, Srm1.Dilution(type, Srm1.MaximumDistance(type) + 0.01));
        }
    }

    [Fact]
    public void More_traffic_never_lowers_NO2_or_PM()
    {
        var (links, zones, dwellings, activity) = SyntheticCity(side: 21, zonesPerSide: 4);
        var traffic = TrafficModelTests.Run(zones, dwellings, activity, links).Links;
        var receptors = Enumerable.Range(0, 200).Select(i => new AirReceptor($"r{i}", Point(i * 10.3 % 2000, i * 37.7 % 2000))).ToList();

        // More vehicles everywhere, and on every third link more congestion and more trucks too.
        var more = traffic.Select((t, i) => t with
        {
            VehiclesPerDay = (t.VehiclesPerDay * 1.3) + 10,
            CongestionShare = i % 3 == 0 ? Math.Min(1, t.CongestionShare + 0.2) : t.CongestionShare,
            HeavyShare = i % 3 == 0 ? t.HeavyShare + 0.05 : t.HeavyShare,
        }).ToList();
        var baseline = Run(traffic, links, receptors);
        var busier = Run(more, links, receptors);

        Assert.All(baseline.Receptors.Zip(busier.Receptors), pair =>
        {
            Assert.True(pair.Second.No2 >= pair.First.No2, $"{pair.First.Id}: NO2 {pair.Second.No2} < {pair.First.No2}");
            Assert.True(pair.Second.Pm10 >= pair.First.Pm10, $"{pair.First.Id}: PM10 {pair.Second.Pm10} < {pair.First.Pm10}");
            Assert.True(pair.Second.Pm25 >= pair.First.Pm25, $"{pair.First.Id}: PM2.5 {pair.Second.Pm25} < {pair.First.Pm25}");
        });
        Assert.Contains(baseline.Receptors.Zip(busier.Receptors), pair => pair.Second.No2 > pair.First.No2);
    }

    [Fact]
    public void Closing_a_street_returns_its_receptor_to_background_and_burdens_the_detour()
    {
        // The traffic model's detour network: direct road A–B, detour A–C–B. A receptor 10 m from the direct road's
        // middle is 377 m from the detour: once the direct road is closed, nothing within SRM1's domain drives past it.
        var (zones, links) = TrafficModelTests.Detour();
        ZoneDwellings[] dwellings = [new("A", DwellingType.Terraced, Tenure.OwnerOccupied, 1000)];
        ZoneActivity[] jobs = [new("B", 500, 0)];
        AirReceptor[] receptors = [new("direct", Point(500, 10)), new("detour", Point(250, 310))];
        var open = Run(TrafficModelTests.Run(zones, dwellings, jobs, links).Links, links, receptors);
        var closed = Run(TrafficModelTests.Run(zones, dwellings, jobs, links, closedLinks: ["ab"]).Links, links, receptors);

        Assert.Equal("ab", open.Receptors[0].StreetLinkId);
        Assert.True(open.Receptors[0].No2 > s_background.No2);
        Assert.Equal((s_background.No2, (string?)null), (closed.Receptors[0].No2, closed.Receptors[0].StreetLinkId));
        Assert.Equal(s_background.No2, open.Receptors[1].No2);
        Assert.True(closed.Receptors[1].No2 > s_background.No2);
    }

    [Fact]
    public void Trees_over_the_street_and_congestion_raise_the_contribution()
    {
        var link = Link("straat", 0, 0, 200, 0);
        AirReceptor[] receptor = [new("p", Point(100, 10))];
        var open = Assert.Single(Run([s_example], [link], receptor).Receptors);
        var trees = Assert.Single(Run([s_example], [link], receptor, [new("straat", StreetType.Open, TreeCover.Dense)]).Receptors);
        var jammed = Assert.Single(Run([s_example with { CongestionShare = 1 }], [link], receptor).Receptors);

        Assert.Equal(1.5 * open.NoxStreet, trees.NoxStreet, 9);

        // All traffic stagnant: class-d factors, 0.92 × 0.377 + 0.08 × 7.277 = 0.3468 + 0.5822 = 0.9290 instead of 0.6128 g/km.
        Assert.Equal(open.NoxStreet * 0.92900 / 0.6128, jammed.NoxStreet, 6);
    }

    [Fact]
    public void The_grid_covers_the_network_and_is_background_away_from_the_roads()
    {
        // One 200 m link; the grid spans it plus 60 m on every side: 320 × 120 m in 10 m cells = 32 × 12 cells.
        var result = Run([s_example], [Link("straat", 0, 0, 200, 0)], [], parameters: new AirQualityParameters { CellSize = 10 });

        Assert.Equal(384, result.Grid.Count);
        var corner = result.Grid[0];
        Assert.Equal(("0-0", OriginX - 55, OriginY - 55), (corner.Id, corner.X, corner.Y));
        Assert.Equal((18.0, (string?)null), (corner.No2, corner.StreetLinkId));

        // The highest NO2 is in the cells whose centres are 5 m from the axis: clipped distance 5 m, the closest a cell centre gets.
        var highest = result.Grid.MaxBy(c => c.No2)!;
        Assert.Equal(5, highest.DistanceToAxis!.Value, 9);
    }

    [Fact]
    public void Bad_input_is_named()
    {
        var link = Link("straat", 0, 0, 200, 0);

        var unknownLink = Assert.Throws<ArgumentException>(() => Run([s_example with { LinkId = "elders" }], [link], []));
        var unknownProfile = Assert.Throws<ArgumentException>(() => Run([s_example], [link], [], [new("elders", StreetType.Open, TreeCover.Some)]));
        var badShare = Assert.Throws<ArgumentException>(() => Run([s_example with { CongestionShare = 1.5 }], [link], []));
        var tooFine = Assert.Throws<ArgumentException>(() => Run([s_example], [link], [], parameters: new AirQualityParameters { CellSize = 1, MaximumCells = 1000 }));

        Assert.Contains("'elders'", unknownLink.Message, StringComparison.Ordinal);
        Assert.Contains("'elders'", unknownProfile.Message, StringComparison.Ordinal);
        Assert.Contains("congestion share 1.5", badShare.Message, StringComparison.Ordinal);
        Assert.Contains("Take larger cells", tooFine.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AirQualityModel(new AirQualityParameters { WindSpeed = 0 }));
    }

    [Fact]
    public void The_same_input_gives_the_same_output_bit_for_bit()
    {
        var (links, zones, dwellings, activity) = SyntheticCity(side: 21, zonesPerSide: 4);
        var traffic = TrafficModelTests.Run(zones, dwellings, activity, links).Links;
        var receptors = Enumerable.Range(0, 50).Select(i => new AirReceptor($"r{i}", Point(i * 41.3 % 2000, i * 17.9 % 2000))).ToList();

        var first = Run(traffic, links, receptors);
        var second = Run(traffic, links, receptors);

        Assert.Equal(first.Receptors, second.Receptors);
        Assert.Equal(first.Grid, second.Grid);
    }

    [Fact]
    public void The_register_entry_meets_the_publication_standard()
    {
        var entry = new AirQualityAlgorithm().Describe(new RegisterPublisher("Gemeente Dordrecht", "algoritmes@dordrecht.example"));

        Assert.Empty(RegisterValidator.Validate(entry));
        Assert.Equal(AirQualityModel.ModelId, entry.SourceId);
    }

    internal static AirResult Run(
        IReadOnlyList<LinkTraffic> traffic, IReadOnlyList<RoadLink> links, IReadOnlyList<AirReceptor> receptors,
        IReadOnlyList<StreetProfile>? profiles = null, AirQualityParameters? parameters = null)
    {
        var outputs = ModelRun.Execute(
            new AirQualityModel(parameters),
            new Dictionary<string, object>
            {
                [TrafficPorts.LinkTraffic.Name] = traffic,
                [TrafficPorts.RoadLinks.Name] = links,
                [AirQualityPorts.StreetProfiles.Name] = profiles ?? [],
                [AirQualityPorts.Receptors.Name] = receptors,
                [AirQualityPorts.Background.Name] = s_background,
            },
            seed: 0,
            TestContext.Current.CancellationToken);
        return new(
            (IReadOnlyList<AirConcentration>)outputs[AirQualityPorts.ReceptorConcentrations.Name],
            (IReadOnlyList<AirConcentration>)outputs[AirQualityPorts.GridConcentrations.Name]);
    }

    internal sealed record AirResult(IReadOnlyList<AirConcentration> Receptors, IReadOnlyList<AirConcentration> Grid);
}
