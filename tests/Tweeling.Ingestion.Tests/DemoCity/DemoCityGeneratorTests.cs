using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;
using Tweeling.Domain.Catalog;
using Tweeling.Domain.Features;

namespace Tweeling.Ingestion.Tests.DemoCity;

/// <summary>The scale-1 demo city has Dordrecht's size and structure, valid geometry and consistent statistics.</summary>
[Collection(DemoCityCollection.Name)]
public sealed class DemoCityGeneratorTests(DemoCityFixture fixture)
{
    /// <summary>Buurten may overlap by at most this area, m² in RD New: floating-point noise along shared Voronoi edges.</summary>
    private const double OverlapTolerance = 0.01;

    private static readonly string[] s_facilityTypes =
        ["huisarts", "apotheek", "basisschool", "kinderopvang", "supermarkt", "verpleeghuis", "speeltuin", "park", "sport"];

    private static readonly DateTimeOffset s_reference = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The features of a collection as of the reference date, which every indicator describes (renewals come later).</summary>
    private List<Feature> Of(string collection) => [.. fixture.City.Features.Where(f => f.Collection == collection && f.Validity.Contains(s_reference))];

    private double Value(string code, string area) =>
        fixture.City.IndicatorValues.Single(v => v.IndicatorCode == code && v.AreaCode == area).Value ?? double.NaN;

    private static string Text(Feature f, string key) => (string)f.Properties[key]!;

    private static long Whole(Feature f, string key) => (long)f.Properties[key]!;

    private static double Number(Feature f, string key) => (double)f.Properties[key]!;

    [Fact]
    public void Counts_have_Dordrechts_size()
    {
        var counts = fixture.City.CountByCollection();
        Assert.InRange(Value("inwoners", "GM9999"), 110_000, 130_000);
        Assert.InRange(Value("woningen", "GM9999"), 54_000, 60_000);
        Assert.Equal(1, counts[TwinCollections.Gemeenten]);
        Assert.Equal(13, counts[TwinCollections.Wijken]);
        Assert.InRange(counts[TwinCollections.Buurten], 120, 140);
        Assert.True(counts[TwinCollections.Panden] >= 45_000, $"{counts[TwinCollections.Panden]} panden");
        Assert.True(counts[TwinCollections.Wegvakken] >= 15_000, $"{counts[TwinCollections.Wegvakken]} wegvakken");
        Assert.True(counts[TwinCollections.Bomen] >= 20_000, $"{counts[TwinCollections.Bomen]} bomen");
        Assert.Equal(Value("woningen", "GM9999"), Of(TwinCollections.Panden).Sum(p => Whole(p, "woningen")));
    }

    [Fact]
    public void Every_facility_type_asset_type_and_land_cover_class_is_present()
    {
        var facilities = Of(TwinCollections.Voorzieningen);
        foreach (var type in s_facilityTypes)
        {
            var ofType = facilities.Where(f => Text(f, "type") == type).ToList();
            Assert.True(ofType.Count > 0, $"no {type}");
            Assert.All(ofType, f => Assert.True(Number(f, "capaciteit") > 0, $"{f.Id} has no capacity"));
            Assert.All(ofType, f => Assert.False(string.IsNullOrEmpty(Text(f, "capaciteitseenheid"))));
        }

        Assert.Equal(["bebouwd", "groen", "verhard", "water"], Of(TwinCollections.Groenvlakken).Select(f => Text(f, "bodemgebruik")).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(["brug", "gemaal", "kademuur", "lichtmast"], Of(TwinCollections.Beheerobjecten).Select(f => Text(f, "type")).Distinct().Order(StringComparer.Ordinal));
        Assert.All(Of(TwinCollections.Beheerobjecten), f => Assert.InRange(Whole(f, "conditie"), 1, 6));
        Assert.True(Of(TwinCollections.Beheerobjecten).Count(f => Text(f, "type") == "lichtmast") >= 2_000);
    }

    [Fact]
    public void Facility_capacity_matches_the_population()
    {
        var facilities = Of(TwinCollections.Voorzieningen);
        var inhabitants = Value("inwoners", "GM9999");
        var gps = facilities.Where(f => Text(f, "type") == "huisarts").ToList();
        Assert.InRange(gps.Count, 25, 35);
        Assert.InRange(gps.Sum(f => Number(f, "capaciteit")) * 2_095, inhabitants * 0.97, inhabitants * 1.03);
        Assert.All(gps, f => Assert.Equal("fte", Text(f, "capaciteitseenheid")));
        Assert.InRange(facilities.Count(f => Text(f, "type") == "basisschool"), 30, 50);
        Assert.InRange(facilities.Count(f => Text(f, "type") == "supermarkt"), 40, 60);
        Assert.InRange(facilities.Count(f => Text(f, "type") == "apotheek"), 20, 30);
    }

    [Fact]
    public void Buurten_partition_the_gemeente_and_nest_in_their_wijken()
    {
        var gemeente = Of(TwinCollections.Gemeenten).Single();
        var wijken = Of(TwinCollections.Wijken);
        var buurten = Of(TwinCollections.Buurten);
        var area = gemeente.Geometry.Area;
        Assert.Equal(area, buurten.Sum(b => b.Geometry.Area), area * 0.001);
        Assert.Equal(area, wijken.Sum(w => w.Geometry.Area), area * 0.001);
        Assert.Equal(area, new GeometryCollection([.. buurten.Select(b => b.Geometry)]).Union().Area, area * 0.001);

        var index = new STRtree<Feature>();
        buurten.ForEach(b => index.Insert(b.Geometry.EnvelopeInternal, b));
        foreach (var buurt in buurten)
        {
            foreach (var other in index.Query(buurt.Geometry.EnvelopeInternal).Where(o => string.CompareOrdinal(o.Id, buurt.Id) > 0))
            {
                Assert.True(buurt.Geometry.Intersection(other.Geometry).Area <= OverlapTolerance, $"{buurt.Id} overlaps {other.Id}");
            }

            var wijk = wijken.Single(w => w.Id == Text(buurt, "wijkcode"));
            Assert.StartsWith("BU" + wijk.Id[2..], buurt.Id, StringComparison.Ordinal);
            Assert.True(wijk.Geometry.Buffer(0.01).Covers(buurt.Geometry), $"{buurt.Id} sticks out of {wijk.Id}");
            Assert.Equal("GM9999", Text(buurt, "gemeentecode"));
        }
    }

    [Fact]
    public void Every_geometry_is_valid_and_in_rd_new_near_dordrecht()
    {
        var invalid = fixture.City.Features.Where(f => !f.Geometry.IsValid).Select(f => f.Collection + "/" + f.Id).Take(5).ToList();
        Assert.Empty(invalid);
        Assert.All(fixture.City.Features, f => Assert.Equal(28992, f.Geometry.SRID));
        var gemeente = Of(TwinCollections.Gemeenten).Single().Geometry;
        Assert.True(gemeente.Covers(new Point(105_400, 425_300)));
        Assert.InRange(gemeente.Area / 1e6, 25, 60);
    }

    [Fact]
    public void Every_building_lies_in_its_stated_buurt()
    {
        var buurten = Of(TwinCollections.Buurten).ToDictionary(b => b.Id, b => PreparedGeometryFactory.Prepare(b.Geometry), StringComparer.Ordinal);
        var outside = Of(TwinCollections.Panden).Where(p => !buurten[Text(p, "buurtcode")].Covers(p.Geometry)).Select(p => p.Id).Take(5).ToList();
        Assert.Empty(outside);
        foreach (var collection in new[] { TwinCollections.Voorzieningen, TwinCollections.Bomen })
        {
            Assert.All(Of(collection), f => Assert.True(buurten[Text(f, "buurtcode")].Covers(f.Geometry), $"{f.Id} not in {Text(f, "buurtcode")}"));
        }
    }

    [Fact]
    public void Buildings_overlap_neither_each_other_nor_roads_nor_water()
    {
        var panden = Of(TwinCollections.Panden);
        var index = new STRtree<Feature>();
        panden.ForEach(p => index.Insert(p.Geometry.EnvelopeInternal, p));
        index.Build();
        foreach (var pand in panden)
        {
            foreach (var other in index.Query(pand.Geometry.EnvelopeInternal))
            {
                if (!ReferenceEquals(other, pand))
                {
                    Assert.False(pand.Geometry.Relate(other.Geometry, "2********"), $"{pand.Id} overlaps {other.Id}");
                }
            }
        }

        foreach (var road in Of(TwinCollections.Wegvakken))
        {
            Assert.DoesNotContain(index.Query(road.Geometry.EnvelopeInternal), p => p.Geometry.Intersects(road.Geometry));
        }

        foreach (var water in Of(TwinCollections.Groenvlakken).Where(g => Text(g, "bodemgebruik") == "water"))
        {
            var prepared = PreparedGeometryFactory.Prepare(water.Geometry);
            Assert.DoesNotContain(index.Query(water.Geometry.EnvelopeInternal), p => prepared.Intersects(p.Geometry));
        }
    }

    [Fact]
    public void Building_properties_follow_the_queryables()
    {
        string[] functions = ["wonen", "winkel", "kantoor", "industrie", "onderwijs", "zorg", "sport", "bijeenkomst", "overig"];
        foreach (var pand in Of(TwinCollections.Panden))
        {
            Assert.InRange(Whole(pand, "bouwjaar"), 1600, 2023);
            Assert.Contains(Text(pand, "functie"), functions);
            Assert.InRange(Number(pand, "hoogte"), 2, 45);
            Assert.InRange(Whole(pand, "bouwlagen"), 1, 13);
            var dwellings = Whole(pand, "woningen");
            Assert.Equal(dwellings > 0, pand.Properties["woningtype"] is string);
            Assert.Equal(dwellings > 0, pand.Properties["eigendom"] is string);
        }

        var tenures = Of(TwinCollections.Panden).Where(p => Whole(p, "woningen") > 0).Select(p => Text(p, "eigendom")).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(["koop", "particuliere-huur", "sociale-huur"], tenures);
    }

    [Fact]
    public void Buildings_with_a_use_have_a_unique_address_on_the_street_they_face_odd_and_even_on_opposite_sides()
    {
        var panden = Of(TwinCollections.Panden);
        var used = panden.Where(p => Text(p, "functie") != "overig").ToList();
        var addressed = used.Where(p => p.Properties.GetValueOrDefault("openbareruimtenaam") is string).ToList();

        // Only buildings whose block has no residential street or arterial (a block on the motorway) go without.
        Assert.True(addressed.Count >= used.Count * 0.97, $"{addressed.Count} of {used.Count} buildings with a use have an address");
        Assert.All(panden.Where(p => Text(p, "functie") == "overig"), p => Assert.False(p.Properties.ContainsKey("openbareruimtenaam")));
        var keys = addressed.Select(p => $"{Text(p, "openbareruimtenaam")} {Whole(p, "huisnummer")}{p.Properties["huisletter"]}").ToList();
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.All(addressed, p => Assert.Matches("^33[0-9]{2}[A-Z]{2}$", Text(p, "postcode")));
        Assert.All(addressed, p => Assert.DoesNotMatch("^....(SA|SD|SS)$", Text(p, "postcode")));
        Assert.Contains(addressed, p => p.Properties["huisletter"] is "a");

        // The street is one of the roads of the building's block: a link of that name within a block's width (40 m).
        var links = new STRtree<Feature>();
        foreach (var link in Of(TwinCollections.Wegvakken))
        {
            links.Insert(link.Geometry.EnvelopeInternal, link);
        }

        Assert.All(addressed, p =>
        {
            var near = p.Geometry.EnvelopeInternal.Copy();
            near.ExpandBy(40);
            Assert.Contains(links.Query(near), l => Text(l, "naam") == Text(p, "openbareruimtenaam") && l.Geometry.Distance(p.Geometry) < 40);
        });

        // A street's numbers split by side: the odd ones lie on one side of its line, the even ones on the other.
        var street = addressed.GroupBy(p => Text(p, "openbareruimtenaam")).OrderByDescending(g => g.Count()).First();
        var postcodes = street.GroupBy(p => Text(p, "postcode"));
        Assert.All(postcodes, g => Assert.Single(g.Select(p => Whole(p, "huisnummer") % 2).Distinct()));
        Assert.Contains(street, p => Whole(p, "huisnummer") == 1);
        Assert.Contains(street, p => Whole(p, "huisnummer") == 2);
    }

    [Fact]
    public void Indicators_are_consistent_with_the_buildings_and_aggregate_exactly()
    {
        var buurtDwellings = Of(TwinCollections.Panden).GroupBy(p => Text(p, "buurtcode")).ToDictionary(g => g.Key, g => g.Sum(p => Whole(p, "woningen")), StringComparer.Ordinal);
        var buurten = Of(TwinCollections.Buurten);
        var wijken = Of(TwinCollections.Wijken);
        foreach (var buurt in buurten)
        {
            Assert.Equal(buurtDwellings.GetValueOrDefault(buurt.Id), Value("woningen", buurt.Id));
            Assert.Equal(Value("inwoners", buurt.Id), new[] { "leeftijd_0_15", "leeftijd_15_25", "leeftijd_25_45", "leeftijd_45_65", "leeftijd_65_plus" }.Sum(c => Value(c, buurt.Id)));
            Assert.Equal(Value("huishoudens", buurt.Id), new[] { "huishoudens_eenpersoons", "huishoudens_zonder_kinderen", "huishoudens_met_kinderen" }.Sum(c => Value(c, buurt.Id)));
            Assert.Equal(Value("huishoudens", buurt.Id), new[] { "huishoudens_inkomen_laagste_40", "huishoudens_inkomen_midden_40", "huishoudens_inkomen_hoogste_20" }.Sum(c => Value(c, buurt.Id)));
        }

        // The household register's indicators (two snapshots, a euro mean) are tested in DemoRegisterTests.
        var basis = fixture.City.Indicators.Where(d => d.SourceDatasetId == "demostad-basis").ToList();
        var counts = basis.Where(d => d.Unit == "aantal").Select(d => d.Code).ToList();
        Assert.Contains("inwoners", counts);
        foreach (var code in counts)
        {
            foreach (var wijk in wijken)
            {
                Assert.Equal(Value(code, wijk.Id), buurten.Where(b => Text(b, "wijkcode") == wijk.Id).Sum(b => Value(code, b.Id)));
            }

            Assert.Equal(Value(code, "GM9999"), wijken.Sum(w => Value(code, w.Id)));
        }

        foreach (var (share, weight) in new[] { ("huishoudens_laag_inkomen_pct", "huishoudens"), ("woningen_sociale_huur_pct", "woningen"), ("woningen_appartement_pct", "woningen") })
        {
            foreach (var wijk in wijken.Where(w => Value(weight, w.Id) > 0))
            {
                var parts = buurten.Where(b => Text(b, "wijkcode") == wijk.Id && Value(weight, b.Id) > 0).ToList();
                var weighted = parts.Sum(b => Value(share, b.Id) * Value(weight, b.Id)) / parts.Sum(b => Value(weight, b.Id));
                Assert.Equal(weighted, Value(share, wijk.Id), 0.1);
            }
        }

        Assert.All(basis, d => Assert.Contains(d.Unit, new[] { "aantal", "%" }));
        var registerIndicators = fixture.City.Indicators.Count - basis.Count;
        Assert.Equal((1 + wijken.Count + buurten.Count) * (basis.Count + (2 * registerIndicators)), fixture.City.IndicatorValues.Count);
    }

    [Fact]
    public void Low_incomes_concentrate_where_social_housing_dominates()
    {
        var buurten = Of(TwinCollections.Buurten).Where(b => Value("huishoudens", b.Id) > 200).ToList();
        var social = buurten.Where(b => Value("woningen_sociale_huur_pct", b.Id) > 50).Select(b => Value("huishoudens_laag_inkomen_pct", b.Id)).ToList();
        var owned = buurten.Where(b => Value("woningen_koop_pct", b.Id) > 60).Select(b => Value("huishoudens_laag_inkomen_pct", b.Id)).ToList();
        Assert.NotEmpty(social);
        Assert.NotEmpty(owned);
        Assert.True(social.Average() > owned.Average() + 5, $"social {social.Average():F1}% vs owned {owned.Average():F1}%");
    }

    [Fact]
    public void Income_classes_follow_tenure_and_come_near_the_national_forty_forty_twenty()
    {
        double Share(string code, string area) => Value(code, area) / Value("huishoudens", area);
        var buurten = Of(TwinCollections.Buurten).Where(b => Value("huishoudens", b.Id) > 200).ToList();
        var social = buurten.Where(b => Value("woningen_sociale_huur_pct", b.Id) > 50).Average(b => Share("huishoudens_inkomen_laagste_40", b.Id));
        var owned = buurten.Where(b => Value("woningen_koop_pct", b.Id) > 60).Average(b => Share("huishoudens_inkomen_laagste_40", b.Id));

        Assert.True(social > owned + 0.1, $"lowest 40%: social {social:P0} vs owned {owned:P0}");
        Assert.InRange(Share("huishoudens_inkomen_laagste_40", "GM9999"), 0.30, 0.55);
        Assert.InRange(Share("huishoudens_inkomen_hoogste_20", "GM9999"), 0.10, 0.30);
    }

    [Fact]
    public void The_old_centre_by_the_river_is_older_and_taller_than_the_rest()
    {
        var centre = Of(TwinCollections.Wijken).Single(w => w.Geometry.Covers(new Point(105_400, 425_300)));
        var buurtWijk = Of(TwinCollections.Buurten).ToDictionary(b => b.Id, b => Text(b, "wijkcode"), StringComparer.Ordinal);
        var homes = Of(TwinCollections.Panden).Where(p => Whole(p, "woningen") > 0).ToList();
        var inCentre = homes.Where(p => buurtWijk[Text(p, "buurtcode")] == centre.Id).ToList();
        var elsewhere = homes.Where(p => buurtWijk[Text(p, "buurtcode")] != centre.Id).ToList();
        Assert.True(inCentre.Average(p => Whole(p, "bouwjaar")) < elsewhere.Average(p => Whole(p, "bouwjaar")) - 50);
        Assert.True(inCentre.Average(p => Number(p, "hoogte")) > elsewhere.Average(p => Number(p, "hoogte")) + 3);
        Assert.True(inCentre.Count(p => Whole(p, "bouwjaar") < 1900) > inCentre.Count / 3);

        var centreBuurten = buurtWijk.Where(p => p.Value == centre.Id).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        Assert.Contains(Of(TwinCollections.Groenvlakken), g => Text(g, "bodemgebruik") == "water" && centreBuurten.Contains(Text(g, "buurtcode")) && g.Geometry.Area > 100_000);
        Assert.Contains(Of(TwinCollections.Beheerobjecten), a => Text(a, "type") == "kademuur" && centreBuurten.Contains(Text(a, "buurtcode")));
        Assert.Contains(Of(TwinCollections.Wegvakken), w => Text(w, "richting") != "beide");
    }

    [Fact]
    public void Lengths_and_areas_equal_the_geometry()
    {
        Assert.All(Of(TwinCollections.Wegvakken), w => Assert.Equal(w.Geometry.Length, Number(w, "lengte"), 0.006));
        Assert.All(Of(TwinCollections.Groenvlakken), g => Assert.Equal(g.Geometry.Area, Number(g, "oppervlakte"), 0.006));
    }

    [Fact]
    public void The_car_network_is_one_connected_component_with_a_hierarchy()
    {
        var cars = Of(TwinCollections.Wegvakken).Where(w => Text(w, "wegklasse") != "fietspad").ToList();
        var nodes = new Dictionary<(double, double), int>();
        int Node(Coordinate c) => nodes.TryGetValue((Math.Round(c.X, 3), Math.Round(c.Y, 3)), out var n) ? n : nodes[(Math.Round(c.X, 3), Math.Round(c.Y, 3))] = nodes.Count;
        var edges = cars.Select(w => (Node(w.Geometry.Coordinates[0]), Node(w.Geometry.Coordinates[^1]))).ToList();
        var parent = Enumerable.Range(0, nodes.Count).ToArray();
        int Find(int a) => parent[a] == a ? a : parent[a] = Find(parent[a]);
        foreach (var (a, b) in edges)
        {
            parent[Find(a)] = Find(b);
        }

        Assert.Single(Enumerable.Range(0, nodes.Count).Select(Find).Distinct());
        var classes = cars.GroupBy(w => Text(w, "wegklasse")).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        Assert.True(classes["stroomweg"] > 50);
        Assert.True(classes["gebiedsontsluitingsweg"] > 500);
        Assert.True(classes["erftoegangsweg"] > classes["gebiedsontsluitingsweg"]);
        Assert.All(cars, w => Assert.Contains(Whole(w, "maximumsnelheid"), new long[] { 30, 50, 60, 80, 100 }));
    }

    [Fact]
    public void One_way_streets_leave_every_junction_reachable_from_every_other()
    {
        var cars = Of(TwinCollections.Wegvakken).Where(w => Text(w, "wegklasse") != "fietspad").ToList();
        var nodes = new Dictionary<(double, double), int>();
        int Node(Coordinate c) => nodes.TryGetValue((c.X, c.Y), out var n) ? n : nodes[(c.X, c.Y)] = nodes.Count;
        var arcs = new List<(int From, int To)>();
        foreach (var w in cars)
        {
            int a = Node(w.Geometry.Coordinates[0]), b = Node(w.Geometry.Coordinates[^1]);
            var richting = Text(w, "richting");
            if (richting != "terug")
            {
                arcs.Add((a, b));
            }

            if (richting != "heen")
            {
                arcs.Add((b, a));
            }
        }

        Assert.Equal(nodes.Count, Reachable(nodes.Count, arcs));
        Assert.Equal(nodes.Count, Reachable(nodes.Count, [.. arcs.Select(a => (a.To, a.From))]));
    }

    private static int Reachable(int count, List<(int From, int To)> arcs)
    {
        var next = arcs.ToLookup(a => a.From, a => a.To);
        var seen = new bool[count];
        var stack = new Stack<int>([0]);
        seen[0] = true;
        var reached = 1;
        while (stack.TryPop(out var node))
        {
            foreach (var to in next[node].Where(to => !seen[to]))
            {
                seen[to] = true;
                reached++;
                stack.Push(to);
            }
        }

        return reached;
    }

    [Fact]
    public void Everything_is_marked_synthetic_and_valid_from_the_reference_date()
    {
        var dataset = fixture.City.Datasets[0];
        Assert.All(fixture.City.Datasets, d => Assert.True(d.IsSynthetic));
        Assert.All(fixture.City.Datasets, d => Assert.Contains("synthetisch", d.Title, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(Classification.Open, dataset.Classification);
        Assert.Equal(CatalogVocabulary.LicenseCc0, dataset.License);
        Assert.Contains("synthetisch", dataset.Title, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("seed 1", dataset.Lineage, StringComparison.Ordinal);
        Assert.Contains("schaal 1", dataset.Lineage, StringComparison.Ordinal);
        Assert.Equal("Demostad (synthetisch)", Text(Of(TwinCollections.Gemeenten).Single(), "naam"));

        Assert.All(fixture.City.Features.Where(f => f.Validity.From == s_reference), f => Assert.True(f.Validity.To is null || f.Collection == TwinCollections.Panden));
        Assert.All(fixture.City.Features.Where(f => f.Validity.From != s_reference), f => Assert.Equal(TwinCollections.Panden, f.Collection));
        Assert.All(fixture.City.Features, f => Assert.Equal(dataset.Id, f.DatasetId));
        var register = fixture.City.Indicators.Where(d => d.Code.StartsWith("register_", StringComparison.Ordinal)).Select(d => d.Code).ToHashSet();
        Assert.All(fixture.City.Indicators.Where(d => !register.Contains(d.Code)), d => Assert.Equal(dataset.Id, d.SourceDatasetId));
        Assert.All(fixture.City.IndicatorValues.Where(v => !register.Contains(v.IndicatorCode)), v => Assert.Equal(DemoCityFixture.ReferenceDate, v.ReferenceDate));
        Assert.Equal(fixture.City.Features.Count, fixture.City.Features.Select(f => (f.Collection, f.Id)).Distinct().Count());
    }

    [Fact]
    public void Post_war_flats_are_demolished_after_the_reference_date_and_replaced_on_the_same_plot_within_the_year()
    {
        var all = fixture.City.Features.Where(f => f.Collection == TwinCollections.Panden).ToList();
        var demolished = all.Where(p => p.Validity.To is not null).ToList();
        var rebuilt = all.Where(p => p.Validity.From > s_reference).ToList();
        var yearLater = s_reference.AddYears(1);

        Assert.InRange(demolished.Count, 10, 500);
        Assert.Equal(demolished.Count, rebuilt.Count);
        Assert.All(demolished, p => Assert.InRange(p.Validity.To!.Value, s_reference.AddMonths(2), s_reference.AddMonths(6)));
        Assert.All(rebuilt, p => Assert.True(p.Validity.From < yearLater && p.Validity.To is null));
        Assert.Empty(rebuilt.Select(p => p.Id).Intersect(demolished.Select(p => p.Id)));
        // Each new block stands on a demolished one's footprint, one storey taller, with its completion year and the same dwellings.
        var byFootprint = demolished.ToDictionary(p => p.Geometry.AsText());
        Assert.All(rebuilt, p =>
        {
            var old = byFootprint[p.Geometry.AsText()];
            Assert.Equal(Whole(old, "bouwlagen") + 1, Whole(p, "bouwlagen"));
            Assert.Equal(p.Validity.From.Year, Whole(p, "bouwjaar"));
            Assert.Equal(Whole(old, "woningen"), Whole(p, "woningen"));
            Assert.True(old.Validity.To < p.Validity.From);
        });
        // A year later the city has as many buildings and dwellings as on the reference date.
        var later = all.Where(p => p.Validity.Contains(yearLater)).ToList();
        Assert.Equal(Of(TwinCollections.Panden).Count, later.Count);
        Assert.Equal(Of(TwinCollections.Panden).Sum(p => Whole(p, "woningen")), later.Sum(p => Whole(p, "woningen")));
    }
}
