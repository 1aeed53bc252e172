using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tweeling.Domain.Ports;

namespace Tweeling.Server.Tests.Platform;

/// <summary>
/// The APIs the web UI needs, over the demo city: search (<c>/api/v1/zoeken</c>), lineage of a clicked feature
/// (<c>/api/v1/herkomst</c>) and the theme dashboards with their CSV and GeoJSON exports, as publiek and as analist.
/// </summary>
[Collection(DemoCityCollection.Name)]
public sealed class UiApiTests(DemoCityServer fixture)
{
    private TwinServer Server => fixture.Server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<List<JsonElement>> SearchAsync(string q, HttpClient? client = null)
    {
        using var response = await (client ?? Server.Client).GetAsync("/api/v1/zoeken?limit=50&q=" + Uri.EscapeDataString(q), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateArray()];
    }

    [Fact]
    public async Task Search_finds_a_buurt_by_name_and_by_code_exact_match_first_with_a_place_to_fly_to()
    {
        var buurt = (await Server.GetJsonAsync("/api/v1/gebieden?niveau=buurt")).EnumerateArray().First();
        var name = buurt.GetProperty("naam").GetString()!;
        var code = buurt.GetProperty("code").GetString()!;

        var byName = await SearchAsync(name.ToUpperInvariant());
        var byCode = await SearchAsync(code.ToLowerInvariant());

        Assert.Equal(("buurt", code, "buurten"), (byName[0].GetProperty("type").GetString(), byName[0].GetProperty("id").GetString(), byName[0].GetProperty("collectie").GetString()));
        Assert.Equal(code, byCode[0].GetProperty("id").GetString());
        var point = byName[0].GetProperty("punt").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var bbox = byName[0].GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        // CRS84 in the Netherlands: longitude 3–8, latitude 50–54; the point lies in the box.
        Assert.InRange(point[0], 3, 8);
        Assert.InRange(point[1], 50, 54);
        Assert.InRange(point[0], bbox[0], bbox[2]);
        Assert.InRange(point[1], bbox[1], bbox[3]);
    }

    [Fact]
    public async Task Search_ranks_exact_matches_before_prefixes_before_substrings_and_finds_streets_facilities_and_sensors()
    {
        var thing = (await Server.GetJsonAsync("/sta/v1.1/Things?$top=1")).GetProperty("value")[0];
        var sensors = await SearchAsync(thing.GetProperty("name").GetString()!);
        var streets = await SearchAsync("straat");
        var facilities = await SearchAsync("huisarts");

        Assert.Equal(("sensor", thing.GetProperty("@iot.id").GetInt64().ToString(CultureInfo.InvariantCulture)), (sensors[0].GetProperty("type").GetString(), sensors[0].GetProperty("id").GetString()));
        Assert.Contains(streets, s => s.GetProperty("type").GetString() == "straat");
        Assert.Contains(facilities, f => f.GetProperty("type").GetString() == "voorziening");

        // Every street label ends in "straat" (a substring match) unless it is exactly "straat" or a word starts with it: none may come
        // before a better one. The rank of each hit, recomputed from its label, never decreases down the list.
        static int Rank(string label, string q)
        {
            var key = label.ToLowerInvariant();
            return key == q ? 0 : key.StartsWith(q, StringComparison.Ordinal) || key.Contains(" " + q, StringComparison.Ordinal) ? 1 : 2;
        }

        var ranks = streets.Select(s => Rank(s.GetProperty("label").GetString()!, "straat")).ToList();
        Assert.Equal(ranks.Order(), ranks);
        Assert.All(await SearchAsync("zzqqxx-bestaat-niet"), _ => Assert.Fail("A nonsense query found something."));
    }

    [Fact]
    public async Task Search_finds_an_address_by_street_and_number_or_postcode_and_number_and_flies_to_its_building()
    {
        // Old-town shops stand on narrow plots, some of them split: among them are addresses with a house letter.
        var shops = (await Server.GetJsonAsync("/ogc/collections/panden/items?functie=winkel&limit=1000")).GetProperty("features").EnumerateArray()
            .Where(f => f.GetProperty("properties").TryGetProperty("openbareruimtenaam", out _)).ToList();
        static string? Letter(JsonElement pand) => pand.GetProperty("properties").TryGetProperty("huisletter", out var letter) ? letter.GetString() : null;
        var plain = shops.First(f => Letter(f) is null);
        var lettered = shops.First(f => Letter(f) is not null);
        static (string Id, string Street, string House, string Postcode) Address(JsonElement pand)
        {
            var p = pand.GetProperty("properties");
            return (pand.GetProperty("id").GetString()!, p.GetProperty("openbareruimtenaam").GetString()!,
                p.GetProperty("huisnummer").GetInt64().ToString(CultureInfo.InvariantCulture) + Letter(pand), p.GetProperty("postcode").GetString()!);
        }

        var (id, street, house, postcode) = Address(plain);
        var byStreet = await SearchAsync($"{street.ToUpperInvariant()} {house}");
        var byPostcode = await SearchAsync($"{postcode[..4]} {postcode[4..].ToLowerInvariant()} {house}");
        var byPostcodeOnly = await SearchAsync(postcode);

        Assert.Equal(("adres", id, "panden", $"{street} {house}, {postcode[..4]} {postcode[4..]}"),
            (byStreet[0].GetProperty("type").GetString(), byStreet[0].GetProperty("id").GetString(), byStreet[0].GetProperty("collectie").GetString(), byStreet[0].GetProperty("label").GetString()));
        Assert.Equal(id, byPostcode[0].GetProperty("id").GetString());
        Assert.All(byPostcodeOnly, hit => Assert.EndsWith($", {postcode[..4]} {postcode[4..]}", hit.GetProperty("label").GetString(), StringComparison.Ordinal));
        Assert.Contains(byPostcodeOnly, hit => hit.GetProperty("id").GetString() == id);

        // The place to fly to lies on the building: inside its footprint's extent (CRS84).
        var ring = plain.GetProperty("geometry").GetProperty("coordinates")[0].EnumerateArray().Select(c => (X: c[0].GetDouble(), Y: c[1].GetDouble())).ToList();
        var point = byStreet[0].GetProperty("punt").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.InRange(point[0], ring.Min(c => c.X), ring.Max(c => c.X));
        Assert.InRange(point[1], ring.Min(c => c.Y), ring.Max(c => c.Y));

        // A house letter is found however it is written: "12a", "12 A", "12-a".
        var (letteredId, letteredStreet, letteredHouse, _) = Address(lettered);
        var number = letteredHouse[..^1];
        var letter = letteredHouse[^1..];
        foreach (var query in new[] { $"{letteredStreet} {letteredHouse}", $"{letteredStreet} {number} {letter.ToUpperInvariant()}", $"{letteredStreet} {number}-{letter}" })
        {
            Assert.Equal(letteredId, (await SearchAsync(query))[0].GetProperty("id").GetString());
        }

        // The street itself still comes first for its name; its addresses follow it.
        var byName = await SearchAsync(street);
        Assert.Equal(("straat", street), (byName[0].GetProperty("type").GetString(), byName[0].GetProperty("label").GetString()));
        Assert.Contains(byName, hit => hit.GetProperty("type").GetString() == "adres");
    }

    [Theory]
    [InlineData("/api/v1/zoeken")]
    [InlineData("/api/v1/zoeken?q=")]
    [InlineData("/api/v1/zoeken?q=markt&limit=0")]
    [InlineData("/api/v1/zoeken?q=markt&limit=51")]
    [InlineData("/api/v1/zoeken?q=markt&soort=buurt")]
    [InlineData("/api/v1/dashboards/armoede?formaat=xlsx")]
    [InlineData("/api/v1/dashboards/binnenstad?peildatum=gisteren")]
    [InlineData("/api/v1/herkomst/panden/x?peildatum=2024-13-01")]
    public async Task Bad_parameters_are_a_400_problem(string path)
    {
        using var response = await Server.Client.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Lineage_of_a_building_names_dataset_owner_source_last_update_classification_and_licence()
    {
        var pand = (await Server.GetJsonAsync("/ogc/collections/panden/items?limit=1")).GetProperty("features")[0];
        var id = pand.GetProperty("id").GetString()!;
        var dataset = await Server.GetJsonAsync($"/api/v1/datasets/{pand.GetProperty("properties").GetProperty("dataset").GetString()}");

        var lineage = await Server.GetJsonAsync($"/api/v1/herkomst/panden/{Uri.EscapeDataString(id)}");

        Assert.Equal(dataset.GetProperty("id").GetString(), lineage.GetProperty("dataset").GetString());
        Assert.Equal(dataset.GetProperty("titel").GetString(), lineage.GetProperty("datasetTitel").GetString());
        Assert.Equal(dataset.GetProperty("uitgever").GetProperty("naam").GetString(), lineage.GetProperty("eigenaar").GetString());
        Assert.Equal(dataset.GetProperty("herkomst").GetString(), lineage.GetProperty("bron").GetString());
        Assert.Equal(dataset.GetProperty("gewijzigd").GetDateTimeOffset(), lineage.GetProperty("laatstBijgewerkt").GetDateTimeOffset());
        Assert.Equal(dataset.GetProperty("classificatie").GetString(), lineage.GetProperty("classificatie").GetString());
        Assert.Equal(dataset.GetProperty("licentie").GetString(), lineage.GetProperty("licentie").GetString());
        Assert.Equal(pand.GetProperty("properties").GetProperty("geldigVanaf").GetDateTimeOffset(), lineage.GetProperty("geldigVanaf").GetDateTimeOffset());
        Assert.EndsWith($"/ogc/collections/panden/items/{id}", lineage.GetProperty("links").GetProperty("feature").GetProperty("href").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lineage_of_a_sensor_names_its_dataset_and_an_unknown_feature_is_a_404()
    {
        var thing = (await Server.GetJsonAsync("/sta/v1.1/Things?$top=1")).GetProperty("value")[0];
        var dataset = thing.GetProperty("properties").GetProperty("dataset").GetString();

        var lineage = await Server.GetJsonAsync($"/api/v1/herkomst/sensoren/{thing.GetProperty("@iot.id").GetInt64()}");
        using var unknown = await Server.Client.GetAsync("/api/v1/herkomst/panden/bestaat-niet", Ct);
        using var badCollection = await Server.Client.GetAsync("/api/v1/herkomst/kastelen/1", Ct);

        Assert.Equal(dataset, lineage.GetProperty("dataset").GetString());
        Assert.Equal(JsonValueKind.Null, lineage.GetProperty("geldigVanaf").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, badCollection.StatusCode);
    }

    private static Dictionary<string, JsonElement> Figures(JsonElement dashboard) =>
        dashboard.GetProperty("kengetallen").EnumerateArray().ToDictionary(f => f.GetProperty("code").GetString()!);

    private static Dictionary<string, double?> Column(JsonElement dashboard, string code, string level) =>
        dashboard.GetProperty("gebieden").EnumerateArray().Where(g => g.GetProperty("niveau").GetString() == level).ToDictionary(
            g => g.GetProperty("code").GetString()!,
            g => g.GetProperty("waarden").GetProperty(code) is { ValueKind: JsonValueKind.Number } v ? v.GetDouble() : (double?)null);

    [Fact]
    public async Task The_poverty_dashboard_shows_the_public_only_disclosure_controlled_register_figures()
    {
        var dashboard = await Server.GetJsonAsync("/api/v1/dashboards/armoede?peildatum=2024-03-01");
        var figures = Figures(dashboard);

        Assert.Equal("open", figures["huishoudens_laag_inkomen_pct"].GetProperty("classificatie").GetString());
        Assert.False(figures["huishoudens_laag_inkomen_pct"].GetProperty("beschermd").GetBoolean());
        Assert.True(figures["register_huishoudens_laag_inkomen"].GetProperty("beschermd").GetBoolean());
        Assert.Equal("vertrouwelijk", figures["register_huishoudens_laag_inkomen"].GetProperty("classificatie").GetString());
        Assert.Equal(["demostad-multiprobleem"], figures["register_huishoudens_multiprobleem"].GetProperty("bronnen").EnumerateArray().Select(b => b.GetString()));
        Assert.Equal("bijzondere-persoonsgegevens", figures["register_huishoudens_multiprobleem"].GetProperty("classificatie").GetString());

        // Payment-arrears signals are never shown per buurt to the public, only per wijk; counts are rounded (to 100 and to 5).
        Assert.All(Column(dashboard, "register_huishoudens_betalingsachterstand", "buurt").Values, Assert.Null);
        Assert.Contains(Column(dashboard, "register_huishoudens_betalingsachterstand", "wijk").Values, v => v is not null);
        Assert.All(Column(dashboard, "register_huishoudens_laag_inkomen", "buurt").Values.OfType<double>(), v => Assert.Equal(0, v % 100));
        Assert.All(Column(dashboard, "register_huishoudens_multiprobleem", "buurt").Values.OfType<double>(), v => Assert.Equal(0, v % 5));
        // Below the threshold of 10 households a multi-problem cell is suppressed; the demo city has such small buurten.
        var truth = await TruthAsync("register_huishoudens_multiprobleem", new DateOnly(2024, 1, 1));
        Assert.All(Column(dashboard, "register_huishoudens_multiprobleem", "buurt").Where(c => truth.GetValueOrDefault(c.Key) is < 10), c => Assert.Null(c.Value));
        Assert.Contains(Column(dashboard, "register_huishoudens_multiprobleem", "buurt").Values, v => v is null);
    }

    [Fact]
    public async Task An_analist_with_the_poverty_purpose_sees_the_register_exactly_but_the_multi_problem_figures_still_protected()
    {
        using var analist = await Server.ClientAsAsync("analist");
        analist.DefaultRequestHeaders.Add("X-Tweeling-Doel", "armoedebeleid");
        using var response = await analist.GetAsync("/api/v1/dashboards/armoede?peildatum=2024-03-01", Ct);
        var dashboard = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var figures = Figures(dashboard);
        var truth = await TruthAsync("register_huishoudens_laag_inkomen", new DateOnly(2024, 1, 1));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(figures["register_huishoudens_laag_inkomen"].GetProperty("beschermd").GetBoolean());
        Assert.True(figures["register_huishoudens_multiprobleem"].GetProperty("beschermd").GetBoolean());
        Assert.All(Column(dashboard, "register_huishoudens_laag_inkomen", "buurt"), c => Assert.Equal(truth[c.Key], c.Value));
        Assert.Contains(Column(dashboard, "register_huishoudens_betalingsachterstand", "buurt").Values, v => v is not null);
    }

    private async Task<Dictionary<string, double?>> TruthAsync(string code, DateOnly date) =>
        (await ((IIndicatorStore)Server.Store).TableAsync([code], date, Ct)).ToDictionary(r => r.AreaCode, r => r.Value);

    [Fact]
    public async Task The_inner_city_dashboard_has_health_accessibility_and_safety_figures_with_their_sources()
    {
        // The seeded sensor history covers the day before the machine's clock (TimeProvider.System in the seed).
        var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var dashboard = await Server.GetJsonAsync($"/api/v1/dashboards/binnenstad?peildatum={day}");
        var figures = Figures(dashboard);

        Assert.Equal(["bereikbaarheid", "gezondheid", "veiligheid"], figures.Values.Select(f => f.GetProperty("thema").GetString()).Distinct().Order());
        Assert.Equal(["demo-sensoren"], figures["no2"].GetProperty("bronnen").EnumerateArray().Select(b => b.GetString()));
        Assert.Contains(Column(dashboard, "no2", "buurt").Values, v => v is > 0 and < 400);
        Assert.Contains(Column(dashboard, "drukte", "buurt").Values, v => v is > 0);
        Assert.All(Column(dashboard, "verhard_pct", "buurt").Values.OfType<double>(), v => Assert.InRange(v, 0, 100));
        Assert.Contains(Column(dashboard, "groen_per_inwoner", "buurt").Values, v => v is > 0);
        Assert.Contains(Column(dashboard, "afstand_huisarts", "buurt").Values, v => v is >= 0);
        Assert.All(figures.Values, f => Assert.Equal("open", f.GetProperty("classificatie").GetString()));
    }

    [Fact]
    public async Task Dashboard_exports_as_csv_and_geojson_hold_exactly_what_the_json_shows()
    {
        const string Path = "/api/v1/dashboards/armoede?peildatum=2024-03-01";
        var dashboard = await Server.GetJsonAsync(Path);
        using var csvResponse = await Server.Client.GetAsync(Path + "&formaat=csv", Ct);
        using var geoRequest = new HttpRequestMessage(HttpMethod.Get, Path);
        geoRequest.Headers.Accept.ParseAdd("application/geo+json");
        using var geoResponse = await Server.Client.SendAsync(geoRequest, Ct);
        var csv = (await csvResponse.Content.ReadAsStringAsync(Ct)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var geo = await geoResponse.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", csvResponse.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("application/geo+json", geoResponse.Content.Headers.ContentType?.MediaType);
        var codes = Figures(dashboard).Keys.ToList();
        Assert.Equal(string.Join(',', ["code", "naam", "niveau", .. codes]), csv[0]);
        var areas = dashboard.GetProperty("gebieden").EnumerateArray().ToList();
        Assert.Equal(areas.Count, csv.Length - 1);
        Assert.Equal(areas.Count, geo.GetProperty("features").GetArrayLength());
        Assert.Equal(codes, geo.GetProperty("kengetallen").EnumerateArray().Select(f => f.GetProperty("code").GetString()));
        for (var k = 0; k < areas.Count; k++)
        {
            var values = areas[k].GetProperty("waarden");
            // Names of the demo city hold no commas, so a plain split reads the row.
            var cells = csv[k + 1].Split(',');
            var feature = geo.GetProperty("features")[k];
            Assert.Equal(areas[k].GetProperty("code").GetString(), cells[0]);
            Assert.Equal(areas[k].GetProperty("code").GetString(), feature.GetProperty("id").GetString());
            for (var c = 0; c < codes.Count; c++)
            {
                var expected = values.GetProperty(codes[c]);
                Assert.Equal(expected.ValueKind == JsonValueKind.Null ? "" : expected.GetDouble().ToString("R", CultureInfo.InvariantCulture), cells[3 + c]);
                Assert.Equal(expected.ValueKind, feature.GetProperty("properties").GetProperty(codes[c]).ValueKind);
            }

            var ring = feature.GetProperty("geometry").GetProperty("coordinates")[0][0];
            Assert.InRange(ring[0].GetDouble(), 3, 8);
        }
    }
}
