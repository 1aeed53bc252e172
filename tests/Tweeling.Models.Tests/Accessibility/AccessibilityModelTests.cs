using NetTopologySuite.Geometries;
using Tweeling.Models.Accessibility;
using Tweeling.Models.City;
using Tweeling.Models.Facilities;
using Tweeling.Models.Graph;

namespace Tweeling.Models.Tests.Accessibility;

/// <summary>The accessibility model: network distance to the nearest facility (models.md §6, multi-source Dijkstra) and isochrones.</summary>
public sealed class AccessibilityModelTests
{
    private static readonly GeometryFactory s_rd = new(new PrecisionModel(), 28992);

    /// <summary>
    /// A hand-computed case. A(0,0)–B(100,0) access road, B–C(200,0) one-way distributor (pedestrians and
    /// cyclists use it both ways), C–D(200,100) cycle path, and a stroomweg A–D that walking and cycling may not use.
    /// The GP at (200,110) joins at D (10 m), the pharmacy at (90,−5) joins A–B 90 m from A (5 m).
    /// </summary>
    [Fact]
    public void Distances_over_the_network_match_a_hand_computed_case()
    {
        var (perDwelling, perBuurt, _) = Run(SmallNetwork(), SmallDwellings(), SmallFacilities(), []);

        // W1 (50,−20) joins A–B at 50 m (20 m access): 20 + 50 + 100 + 100 + 10 = 280 m to the GP, and along
        // its own link 20 + 40 + 5 = 65 m to the pharmacy. W2 (100,45) is 4.5 m from the stroomweg but joins at B
        // (45 m): 45 + 100 + 100 + 10 = 255 m and 45 + 10 + 5 = 60 m.
        Assert.Equal(280, Distance(perDwelling, "W1", "huisarts").WalkMetres!.Value, 9);
        Assert.Equal(65, Distance(perDwelling, "W1", "apotheek").WalkMetres!.Value, 9);
        Assert.Equal(255, Distance(perDwelling, "W2", "huisarts").WalkMetres!.Value, 9);
        Assert.Equal(60, Distance(perDwelling, "W2", "apotheek").CycleMetres!.Value, 9);

        // models.md §6: walking 5 km/h = 83.3 m/min, cycling 15 km/h = 250 m/min.
        var w1 = Distance(perDwelling, "W1", "huisarts");
        Assert.Equal(280 / (5_000.0 / 60), w1.WalkMinutes!.Value, 9);
        Assert.Equal(280 / 250.0, w1.CycleMinutes!.Value, 9);

        var b1 = perBuurt.Single(b => b is { Buurtcode: "B1", Kind: "huisarts" });
        Assert.Equal((2, 0), (b1.Dwellings, b1.Unreached));
        Assert.Equal((280 + 255) / 2.0, b1.MeanWalkMetres!.Value, 9);
        Assert.Equal(b1.MeanWalkMetres.Value / 250.0, b1.MeanCycleMinutes!.Value, 9);
    }

    [Fact]
    public void A_dwelling_on_a_network_part_without_facilities_is_reported_unreached()
    {
        var (perDwelling, perBuurt, _) = Run(SmallNetwork(), SmallDwellings(), SmallFacilities(), []);

        var island = Distance(perDwelling, "W3", "huisarts");
        var b2 = perBuurt.Single(b => b is { Buurtcode: "B2", Kind: "apotheek" });
        Assert.Equal((null, null, null, null), (island.WalkMetres, island.WalkMinutes, island.CycleMetres, island.CycleMinutes));
        Assert.Equal((1, 1, null, null), (b2.Dwellings, b2.Unreached, b2.MeanWalkMetres, b2.MeanCycleMinutes));
        Assert.Equal(3 * 2, perDwelling.Count);
    }

    /// <summary>
    /// The output is a table of columns (scenario-access-values): a kind's column, a row and the list form must say the
    /// same, and a row must print as the records the model wrote before did, which the demo city's fingerprints read.
    /// </summary>
    [Fact]
    public void The_distance_table_s_columns_rows_and_list_form_agree()
    {
        var table = Assert.IsType<DwellingDistanceTable>(Run(SmallNetwork(), SmallDwellings(), SmallFacilities(), []).PerDwelling);

        Assert.Equal(["apotheek", "huisarts"], table.Kinds);
        Assert.Equal(["W1", "W2", "W3"], table.Dwellings.Select(d => d.Id));
        Assert.Equal((0, 1, -1), (table.IndexOfKind("apotheek"), table.IndexOfKind("huisarts"), table.IndexOfKind("bakker")));

        // The hand-computed case above; W3, on an island, reaches nothing: +∞ in the columns, null in its rows.
        var huisarts = table.WalkMetres(table.IndexOfKind("huisarts"));
        Assert.Equal(280, huisarts[0], 9);
        Assert.Equal(255, huisarts[1], 9);
        Assert.Equal(double.PositiveInfinity, huisarts[2]);
        Assert.Equal(60, table.CycleMetres(table.IndexOfKind("apotheek"))[1], 9);
        Assert.Equal(
            "DwellingFacilityDistance { DwellingId = W3, Kind = huisarts, WalkMetres = , WalkMinutes = , CycleMetres = , CycleMinutes =  }",
            table.Row(2, 1).ToString());

        // Row d × kinds + k is dwelling d's distance to kind k, by index and when enumerated, and its values are the columns'.
        Assert.Equal(3 * 2, table.Count);
        Assert.Equal(Enumerable.Range(0, table.Count).Select(i => table[i]), table);
        for (var d = 0; d < table.Dwellings.Count; d++)
        {
            for (var k = 0; k < table.Kinds.Count; k++)
            {
                var row = table[(d * table.Kinds.Count) + k];
                Assert.Equal((table.Dwellings[d].Id, table.Kinds[k]), (row.DwellingId, row.Kind));
                Assert.Equal(double.IsFinite(table.WalkMetres(k)[d]) ? table.WalkMetres(k)[d] : null, row.WalkMetres);
                Assert.Equal(row.WalkMetres / (5_000.0 / 60), row.WalkMinutes);
                Assert.Equal(double.IsFinite(table.CycleMetres(k)[d]) ? table.CycleMetres(k)[d] : null, row.CycleMetres);
                Assert.Equal(row.CycleMetres / 250.0, row.CycleMinutes);
            }
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => table[table.Count]);
    }

    [Fact]
    public void Walking_and_cycling_avoid_stroomwegen_and_ignore_one_way_rules_for_motor_traffic()
    {
        var stroomweg = SmallNetwork().Single(l => l.Id == "S");
        var oneWay = SmallNetwork().Single(l => l.Id == "L2");

        Assert.False(AccessibilityModel.Allows(TravelMode.Walk, stroomweg));
        Assert.False(AccessibilityModel.Allows(TravelMode.Cycle, stroomweg));
        Assert.True(AccessibilityModel.Allows(TravelMode.Cycle, oneWay));

        // W2's route to the GP runs B → C along L2, one-way in that direction for motor traffic; with L2 one-way
        // the other way (its line reversed) the walking distance stays 255 m.
        var reversed = SmallNetwork().Select(l => l.Id == "L2" ? l with { Geometry = (LineString)l.Geometry.Reverse() } : l).ToList();
        var (perDwelling, _, _) = Run(reversed, SmallDwellings(), SmallFacilities(), []);
        Assert.Equal(255, Distance(perDwelling, "W2", "huisarts").WalkMetres!.Value, 9);
    }

    [Fact]
    public void A_new_facility_never_increases_any_distance()
    {
        for (var seed = 0; seed < 10; seed++)
        {
            var random = new Random(seed);
            var links = Grid(15, 100, random);
            var dwellings = RandomDwellings(random, 500, 1_400);
            var facilities = RandomFacilities(random, 3, 1_400);
            var added = facilities.Append(new Facility("nieuw", "huisarts", Point(random.NextDouble() * 1_400, random.NextDouble() * 1_400), 1, "fte")).ToList();

            var before = Run(links, dwellings, facilities, []).PerDwelling;
            var after = Run(links, dwellings, added, []).PerDwelling;

            Assert.All(before.Zip(after), p => Assert.True((p.Second.WalkMetres ?? double.MaxValue) <= (p.First.WalkMetres ?? double.MaxValue) + 1e-9, $"seed {seed}: {p.First} → {p.Second}"));
            Assert.Contains(before.Zip(after), p => p.Second.WalkMetres < p.First.WalkMetres - 1e-9);
        }
    }

    [Fact]
    public void The_same_input_gives_the_same_output()
    {
        var random = new Random(5);
        var links = Grid(20, 100, random);
        var dwellings = RandomDwellings(random, 1_000, 1_900);
        var facilities = RandomFacilities(random, 4, 1_900);
        IsochroneRequest[] requests = [new("i", Point(950, 950), TravelMode.Walk, 10)];

        var first = Run(links, dwellings, facilities, requests);
        var second = Run(links, dwellings, facilities, requests);

        Assert.Equal(first.PerDwelling, second.PerDwelling);
        Assert.Equal(first.PerBuurt, second.PerBuurt);
        Assert.True(first.Isochrones[0].Area.EqualsExact(second.Isochrones[0].Area));
    }

    /// <summary>
    /// Origin in the middle of a 1 km straight street (two links): 5 minutes' walking (416.7 m, models.md §6) reaches
    /// 833.3 m of street; buffered by 30 m (4 segments per quarter circle) that is 833.3 × 60 + a 16-gon of radius 30.
    /// </summary>
    [Fact]
    public void An_isochrone_is_the_reachable_network_buffered()
    {
        List<RoadLink> street = [Link("west", RoadClass.Erftoegangsweg, (0, 0), (500, 0)), Link("oost", RoadClass.Erftoegangsweg, (500, 0), (1_000, 0))];
        IsochroneRequest[] requests =
        [
            new("lopen", Point(500, 0), TravelMode.Walk, 5),
            new("fietsen", Point(500, 0), TravelMode.Cycle, 5),
            new("ver weg", Point(500, 1_000), TravelMode.Walk, 5),
        ];

        var isochrones = Run(street, [], [], requests).Isochrones;

        var walk = isochrones.Single(i => i.Id == "lopen");
        var reach = 5 * 5_000.0 / 60;
        Assert.Equal(2 * reach, walk.ReachedNetworkMetres, 6);
        Assert.Equal((2 * reach * 60) + (8 * 30 * 30 * Math.Sin(Math.PI / 8)), walk.Area.Area, 0);
        Assert.True(walk.Area.Contains(Point(900, 0)));
        Assert.True(walk.Area.Contains(Point(500, 25)));
        Assert.False(walk.Area.Contains(Point(960, 0)));
        Assert.False(walk.Area.Contains(Point(500, 40)));
        Assert.Equal(1_000, isochrones.Single(i => i.Id == "fietsen").ReachedNetworkMetres, 6);
        var tooFar = isochrones.Single(i => i.Id == "ver weg");
        Assert.Equal((true, 0.0), (tooFar.Area.IsEmpty, tooFar.ReachedNetworkMetres));
    }

    [Fact]
    public void A_longer_time_budget_never_reaches_less()
    {
        var random = new Random(9);
        var links = Grid(20, 100, random);
        IsochroneRequest[] requests = [.. new[] { 3.0, 6, 9, 12 }.Select(m => new IsochroneRequest($"{m}", Point(930, 1_010), TravelMode.Walk, m))];

        var isochrones = Run(links, [], [], requests).Isochrones;

        foreach (var (smaller, larger) in isochrones.Zip(isochrones.Skip(1)))
        {
            Assert.True(larger.ReachedNetworkMetres > smaller.ReachedNetworkMetres);
            Assert.True(smaller.Area.Difference(larger.Area).Area < 1e-6 * smaller.Area.Area, $"{smaller.Minutes} min is not inside {larger.Minutes} min");
        }
    }

    [Fact]
    public void Invalid_input_is_refused_with_the_offending_item_named()
    {
        var links = SmallNetwork();
        var broken = links.Append(new RoadLink("kapot", s_rd.CreateLineString(), RoadClass.Erftoegangsweg, 30, false)).ToList();

        var link = Assert.Throws<ArgumentException>(() => Run(broken, [], [], []));
        var budget = Assert.Throws<ArgumentException>(() => Run(links, [], [], [new("nul", Point(0, 0), TravelMode.Walk, 0)]));
        var twice = Assert.Throws<ArgumentException>(() => Run(links, [], [], [new("x", Point(0, 0), TravelMode.Walk, 1), new("x", Point(0, 0), TravelMode.Cycle, 1)]));
        var nowhere = Assert.Throws<ArgumentException>(() => Run(links, [new("W9", s_rd.CreatePoint(), "B1")], [], []));

        Assert.Contains("'kapot'", link.Message, StringComparison.Ordinal);
        Assert.Contains("'nul'", budget.Message, StringComparison.Ordinal);
        Assert.Contains("'x'", twice.Message, StringComparison.Ordinal);
        Assert.Contains("'W9'", nowhere.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AccessibilityModel(walkKmh: 0));
    }

    internal static (IReadOnlyList<DwellingFacilityDistance> PerDwelling, IReadOnlyList<BuurtFacilityDistance> PerBuurt, IReadOnlyList<Isochrone> Isochrones) Run(
        IReadOnlyList<RoadLink> links, IReadOnlyList<Dwelling> dwellings, IReadOnlyList<Facility> facilities, IReadOnlyList<IsochroneRequest> requests)
    {
        var outputs = ModelRun.Execute(
            new AccessibilityModel(),
            new Dictionary<string, object>
            {
                [AccessibilityPorts.RoadLinks.Name] = links,
                [AccessibilityPorts.Dwellings.Name] = dwellings,
                [FacilitiesPorts.Facilities.Name] = facilities,
                [AccessibilityPorts.IsochroneRequests.Name] = requests,
            },
            seed: 0,
            TestContext.Current.CancellationToken);
        return (
            (IReadOnlyList<DwellingFacilityDistance>)outputs[AccessibilityPorts.DwellingDistances.Name],
            (IReadOnlyList<BuurtFacilityDistance>)outputs[AccessibilityPorts.BuurtDistances.Name],
            (IReadOnlyList<Isochrone>)outputs[AccessibilityPorts.Isochrones.Name]);
    }

    /// <summary>
    /// A square grid of <paramref name="n"/> × <paramref name="n"/> nodes <paramref name="spacing"/> metres apart: every
    /// fifth line a distributor road, one line in ten of the rest a cycle path, and one stroomweg diagonal across it.
    /// </summary>
    internal static List<RoadLink> Grid(int n, double spacing, Random random)
    {
        var links = new List<RoadLink>();
        for (var a = 0; a < n; a++)
        {
            var roadClass = a % 5 == 0 ? RoadClass.Gebiedsontsluitingsweg : random.Next(10) == 0 ? RoadClass.Fietspad : RoadClass.Erftoegangsweg;
            for (var b = 0; b + 1 < n; b++)
            {
                links.Add(Link($"h{a}-{b}", roadClass, (b * spacing, a * spacing), ((b + 1) * spacing, a * spacing)));
                links.Add(Link($"v{a}-{b}", roadClass, (a * spacing, b * spacing), (a * spacing, (b + 1) * spacing)));
            }
        }

        links.Add(Link("stroomweg", RoadClass.Stroomweg, (0, 0), ((n - 1) * spacing, (n - 1) * spacing)));
        return links;
    }

    internal static List<Dwelling> RandomDwellings(Random random, int count, double size) =>
        [.. Enumerable.Range(0, count).Select(i =>
        {
            var (x, y) = (random.NextDouble() * size, random.NextDouble() * size);
            return new Dwelling($"W{i}", Point(x, y), $"BU{(int)(x / 500)}{(int)(y / 500)}");
        })];

    internal static List<Facility> RandomFacilities(Random random, int perKind, double size) =>
        [.. new[] { "apotheek", "basisschool", "huisarts", "kinderopvang", "sport", "supermarkt", "verpleeghuis" }
            .SelectMany(kind => Enumerable.Range(0, perKind).Select(j => new Facility($"{kind}-{j}", kind, Point(random.NextDouble() * size, random.NextDouble() * size), 1, "-")))];

    private static DwellingFacilityDistance Distance(IReadOnlyList<DwellingFacilityDistance> all, string dwelling, string kind) =>
        all.Single(d => d.DwellingId == dwelling && d.Kind == kind);

    internal static List<RoadLink> SmallNetwork() =>
    [
        Link("L1", RoadClass.Erftoegangsweg, (0, 0), (100, 0)),
        Link("L2", RoadClass.Gebiedsontsluitingsweg, (100, 0), (200, 0)) with { OneWay = true },
        Link("L3", RoadClass.Fietspad, (200, 0), (200, 100)),
        Link("S", RoadClass.Stroomweg, (0, 0), (200, 100)),
        Link("L4", RoadClass.Erftoegangsweg, (1_000, 1_000), (1_100, 1_000)),
    ];

    internal static List<Dwelling> SmallDwellings() =>
        [new("W1", Point(50, -20), "B1"), new("W2", Point(100, 45), "B1"), new("W3", Point(1_050, 1_010), "B2")];

    internal static List<Facility> SmallFacilities() =>
        [new("GP", "huisarts", Point(200, 110), 1, "fte"), new("AP", "apotheek", Point(90, -5), 9_000, "patienten")];

    internal static RoadLink Link(string id, RoadClass roadClass, (double X, double Y) from, (double X, double Y) to) =>
        new(id, s_rd.CreateLineString([new Coordinate(from.X, from.Y), new Coordinate(to.X, to.Y)]), roadClass, roadClass == RoadClass.Fietspad ? null : 30, false);

    internal static Point Point(double x, double y) => s_rd.CreatePoint(new Coordinate(x, y));
}
