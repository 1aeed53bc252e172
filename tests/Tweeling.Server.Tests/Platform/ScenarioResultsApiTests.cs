using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;
using NetTopologySuite.IO.VectorTiles.Mapbox;
using Tweeling.Domain.Audit;
using Tweeling.Domain.Geo;
using Tweeling.Server.Features.Ogc.Tiles;
using Tweeling.Server.Features.Platform;
using Tweeling.Server.Hosting;

namespace Tweeling.Server.Tests.Platform;

/// <summary>
/// The results endpoints of issue 6 item 4 over HTTP, a real SQLite file of the demo city and the real
/// <c>ScenarioRunner</c>: run, results as JSON and GeoJSON, delta tiles, impact matrix, comparison, report, problems.
/// </summary>
[Collection(DemoCityCollection.Name)]
public sealed class ScenarioResultsApiTests(DemoCityServer fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TwinServer Server => fixture.Server;

    [Fact]
    public async Task An_analist_runs_a_version_once_and_every_signed_in_role_reads_the_same_results_again()
    {
        using var analist = await ClientAsync("analist");
        using var medewerker = await ClientAsync("medewerker");
        var (id, version) = await CreateAsync(analist, DwellingsAtStation(2000));

        using var first = await analist.PostAsync($"/api/v1/scenarios/{id}/versies/{version}/doorrekening", null, Ct);
        var summary = await ReadAsync(first);
        using var again = await analist.PostAsync($"/api/v1/scenarios/{id}/versies/{version}/doorrekening", null, Ct);
        var repeat = await ReadAsync(again);
        var results = await medewerker.GetStringAsync($"/api/v1/scenarios/{id}/versies/{version}/resultaten", Ct);
        var resultsAgain = await medewerker.GetStringAsync($"/api/v1/scenarios/{id}/versies/{version}/resultaten", Ct);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.EndsWith($"/api/v1/scenarios/{id}/versies/{version}/resultaten", first.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(summary.GetProperty("resultaathash").ToString(), repeat.GetProperty("resultaathash").ToString());
        Assert.Equal(results, resultsAgain);
        var read = JsonDocument.Parse(results).RootElement;
        Assert.Equal(summary.GetProperty("resultaathash").ToString(), read.GetProperty("resultaathash").ToString());
        Assert.Equal(64, read.GetProperty("resultaathash").GetProperty("scenario").GetString()!.Length);
        Assert.NotEqual(read.GetProperty("resultaathash").GetProperty("basis").GetString(), read.GetProperty("resultaathash").GetProperty("scenario").GetString());

        // Every indicator has the municipality first and then buurten; 2,000 dwellings move at least one indicator somewhere.
        var values = read.GetProperty("waarden").EnumerateArray().ToList();
        var indicators = read.GetProperty("indicatoren").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
        Assert.NotEmpty(indicators);
        Assert.All(indicators, i => Assert.StartsWith("GM", values.First(v => v.GetProperty("indicator").GetString() == i).GetProperty("gebied").GetString()!, StringComparison.Ordinal));
        Assert.Contains(values, v => v.GetProperty("delta").ValueKind == JsonValueKind.Number && v.GetProperty("delta").GetDouble() != 0);
        Assert.All(values.Where(v => v.GetProperty("delta").ValueKind == JsonValueKind.Number), v =>
            Assert.Equal(v.GetProperty("scenario").GetDouble() - v.GetProperty("basis").GetDouble(), v.GetProperty("delta").GetDouble(), 9));
        Assert.Equal(indicators.Count, summary.GetProperty("gemeente").GetArrayLength());

        var runs = await Server.Store.Audit.ReadAsync(AuditFilter.All, Ct).Where(r => r.Entry.Action == "run" && r.Entry.Resource.Contains($"/scenarios/{id}/", StringComparison.Ordinal)).CountAsync(Ct);
        Assert.Equal(2, runs);
    }

    [Fact]
    public async Task Concurrent_runs_of_one_version_share_one_run_and_one_result()
    {
        using var beheerder = await ClientAsync("beheerder");
        var (id, version) = await CreateAsync(beheerder, DwellingsAtStation(500));

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => beheerder.PostAsync($"/api/v1/scenarios/{id}/versies/{version}/doorrekening?seed=7", null, Ct)));
        var bodies = await Task.WhenAll(responses.Select(ReadAsync));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Single(bodies.Select(b => b.GetProperty("resultaathash").ToString()).Distinct());
        Assert.All(bodies, b => Assert.Equal(7, b.GetProperty("seed").GetInt32()));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Results_filter_by_indicator_and_area_and_come_as_crs84_geojson_of_the_buurten()
    {
        using var medewerker = await ClientAsync("medewerker");
        using var analist = await ClientAsync("analist");
        var (id, version) = await CreateAsync(analist, DwellingsAtStation(2000));
        var all = await ReadAsync(await medewerker.GetAsync($"/api/v1/scenarios/{id}/versies/{version}/resultaten", Ct));
        var (indicator, buurt) = FirstBuurtValue(all);

        var filtered = await ReadAsync(await medewerker.GetAsync($"/api/v1/scenarios/{id}/versies/{version}/resultaten?indicator={indicator}&gebied={buurt}", Ct));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/scenarios/{id}/versies/{version}/resultaten?indicator={indicator}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/geo+json"));
        using var geo = await medewerker.SendAsync(request, Ct);
        var geojson = await geo.Content.ReadFromJsonAsync<JsonElement>(Ct);

        var only = Assert.Single(filtered.GetProperty("waarden").EnumerateArray());
        Assert.Equal((indicator, buurt), (only.GetProperty("indicator").GetString(), only.GetProperty("gebied").GetString()));
        Assert.Equal("application/geo+json", geo.Content.Headers.ContentType!.MediaType);
        Assert.Equal("FeatureCollection", geojson.GetProperty("type").GetString());
        var features = geojson.GetProperty("features").EnumerateArray().ToList();
        var buurtValues = all.GetProperty("waarden").EnumerateArray().Count(v => v.GetProperty("indicator").GetString() == indicator && v.GetProperty("gebied").GetString()!.StartsWith("BU", StringComparison.Ordinal));
        Assert.Equal(buurtValues, features.Count);
        var feature = features.Single(f => f.GetProperty("id").GetString() == buurt);
        Assert.Equal(only.GetProperty("delta").ToString(), feature.GetProperty("properties").GetProperty($"{indicator}.delta").ToString());
        var position = FirstPosition(feature.GetProperty("geometry"));
        Assert.InRange(position[0].GetDouble(), 3.3, 7.3);
        Assert.InRange(position[1].GetDouble(), 50.7, 53.6);
    }

    [Fact]
    public async Task A_delta_tile_carries_the_buurten_with_one_indicator_and_needs_that_indicator()
    {
        using var analist = await ClientAsync("analist");
        var (longitude, latitude) = Crs84(StationX, StationY);
        var (id, version) = await CreateAsync(analist, DwellingsAtStation(2000));
        var residents = await ReadAsync(await analist.GetAsync($"/api/v1/scenarios/{id}/versies/{version}/resultaten?indicator=inwoners", Ct));
        // The station's buurt: the one the 2,000 flats move most.
        var station = residents.GetProperty("waarden").EnumerateArray()
            .Where(v => v.GetProperty("gebied").GetString()!.StartsWith("BU", StringComparison.Ordinal) && v.GetProperty("delta").ValueKind == JsonValueKind.Number)
            .MaxBy(v => v.GetProperty("delta").GetDouble());
        const string indicator = "inwoners";
        double x = longitude, y = latitude;
        WebMercatorQuad.FromCrs84(ref x, ref y);
        const int Zoom = 12;
        var size = WebMercatorQuad.TileSize(Zoom);
        var (column, row) = ((long)Math.Floor((x + WebMercatorQuad.HalfWorld) / size), (long)Math.Floor((WebMercatorQuad.HalfWorld - y) / size));

        using var tile = await analist.GetAsync($"/api/v1/scenarios/{id}/versies/{version}/resultaten/tiles/WebMercatorQuad/{Zoom}/{row}/{column}?indicator={indicator}", Ct);
        var body = await tile.Content.ReadAsByteArrayAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, tile.StatusCode);
        Assert.Equal(TileEndpoints.MvtMediaType, tile.Content.Headers.ContentType!.MediaType);
        using var stream = new MemoryStream(body);
        var layer = Assert.Single(new MapboxTileReader().Read(stream, new NetTopologySuite.IO.VectorTiles.Tiles.Tile((int)column, (int)row, Zoom)).Layers);
        Assert.Equal(ScenarioResultsGeo.TileLayerName, layer.Name);
        Assert.NotEmpty(layer.Features);
        Assert.All(layer.Features, f => Assert.StartsWith("BU", (string)f.Attributes["gebied"], StringComparison.Ordinal));
        // The station's buurt carries the same numbers as the JSON results: basis, scenario, their delta and its name.
        var buurt = Assert.Single(layer.Features, f => (string)f.Attributes["gebied"] == station.GetProperty("gebied").GetString());
        Assert.True(station.GetProperty("delta").GetDouble() > 2_000);
        Assert.Equal(station.GetProperty("basis").GetDouble(), Convert.ToDouble(buurt.Attributes["basis"], CultureInfo.InvariantCulture));
        Assert.Equal(station.GetProperty("scenario").GetDouble(), Convert.ToDouble(buurt.Attributes["scenario"], CultureInfo.InvariantCulture));
        Assert.Equal(station.GetProperty("delta").GetDouble(), Convert.ToDouble(buurt.Attributes["delta"], CultureInfo.InvariantCulture));
        Assert.Equal(station.GetProperty("relatieveDelta").GetDouble(), Convert.ToDouble(buurt.Attributes["relatieveDelta"], CultureInfo.InvariantCulture));
        Assert.False(string.IsNullOrWhiteSpace((string)buurt.Attributes["naam"]));
        Assert.IsAssignableFrom<NetTopologySuite.Geometries.IPolygonal>(buurt.Geometry);
        Assert.Contains("'indicator' is required", await Problems.AssertProblemAsync(analist, $"/api/v1/scenarios/{id}/versies/{version}/resultaten/tiles/WebMercatorQuad/{Zoom}/{row}/{column}", 400), StringComparison.Ordinal);
        await Problems.AssertProblemAsync(analist, $"/api/v1/scenarios/{id}/versies/{version}/resultaten/tiles/WebMercatorQuad/3/0/0?indicator={indicator}", 404);
    }

    [Fact]
    public async Task A_grid_holds_baseline_scenario_and_delta_per_cell_and_the_flats_warm_the_station_cell()
    {
        using var medewerker = await ClientAsync("medewerker");
        using var analist = await ClientAsync("analist");
        var (id, version) = await CreateAsync(analist, DwellingsAtStation(2000));
        var results = await ReadAsync(await medewerker.GetAsync($"/api/v1/scenarios/{id}/versies/{version}/resultaten?indicator=hitte-eiland", Ct));
        var link = Assert.Single(results.GetProperty("rasters").EnumerateArray());

        using var response = await medewerker.GetAsync(link.GetProperty("href").GetString(), Ct);
        var grid = await ReadAsync(response);

        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("hitte-eiland", grid.GetProperty("indicator").GetString());
        Assert.Equal("EPSG:28992", grid.GetProperty("crs").GetString());
        var (columns, rows, size) = (grid.GetProperty("kolommen").GetInt32(), grid.GetProperty("rijen").GetInt32(), grid.GetProperty("celgrootte").GetDouble());
        Assert.Equal(100, size);
        double? At(JsonElement cell) => cell.ValueKind == JsonValueKind.Number ? cell.GetDouble() : null;
        var basis = grid.GetProperty("basis").EnumerateArray().Select(At).ToList();
        var scenario = grid.GetProperty("scenario").EnumerateArray().Select(At).ToList();
        var delta = grid.GetProperty("delta").EnumerateArray().Select(At).ToList();
        Assert.All(new[] { basis.Count, scenario.Count, delta.Count }, n => Assert.Equal(columns * rows, n));
        Assert.All(Enumerable.Range(0, delta.Count).Where(i => basis[i] is not null && scenario[i] is not null), i => Assert.Equal(scenario[i]!.Value - basis[i]!.Value, delta[i]!.Value, 12));
        // Row-major from the south-west cell: the cell of the station area warms under the new blocks and their paving.
        var (column, row) = ((int)((StationX - grid.GetProperty("origineX").GetDouble()) / size), (int)((StationY - grid.GetProperty("origineY").GetDouble()) / size));
        Assert.True(delta[(row * columns) + column] > 0, $"UHI delta {delta[(row * columns) + column]} in the station cell");
        Assert.Contains(delta, d => d is 0);
    }

    [Fact]
    public async Task The_impact_matrix_has_the_five_domains_and_two_thousand_dwellings_raise_the_social_domain()
    {
        using var analist = await ClientAsync("analist");
        var (id, version) = await CreateAsync(analist, DwellingsAtStation(2000));

        var matrix = await ReadAsync(await analist.GetAsync($"/api/v1/scenarios/{id}/versies/{version}/impactmatrix", Ct));

        var domains = matrix.GetProperty("domeinen").EnumerateArray().ToList();
        Assert.Equal(["sociaal", "fysiek", "mobiliteit", "milieu", "beheer"], domains.Select(d => d.GetProperty("domein").GetString()));
        Assert.Equal(ScenarioResultsImpact.Threshold, matrix.GetProperty("drempel").GetDouble());
        var social = domains[0];
        Assert.True(social.GetProperty("beweegt").GetBoolean());
        Assert.Contains(social.GetProperty("indicatoren").EnumerateArray(), c => c.GetProperty("richting").GetString() == "hoger" && c.GetProperty("buurtenHoger").GetInt32() > 0);
        Assert.All(domains.SelectMany(d => d.GetProperty("indicatoren").EnumerateArray()), c =>
            Assert.Contains(c.GetProperty("zekerheid").GetString(), new[] { "hoog", "middel", "laag" }));
    }

    [Fact]
    public async Task Two_versions_are_compared_over_their_common_baseline()
    {
        using var analist = await ClientAsync("analist");
        var (a, va) = await CreateAsync(analist, DwellingsAtStation(2000));
        var (b, vb) = await CreateAsync(analist, "[]");
        var (c, vc) = await CreateAsync(analist, "[]", "2023-06-01");

        var comparison = await ReadAsync(await analist.GetAsync($"/api/v1/scenarios/vergelijking?a={a}:{va}&b={b}:{vb}", Ct));

        var values = comparison.GetProperty("waarden").EnumerateArray().ToList();
        Assert.NotEmpty(values);
        Assert.Equal(comparison.GetProperty("resultaathashA").GetProperty("basis").GetString(), comparison.GetProperty("resultaathashB").GetProperty("basis").GetString());
        Assert.Equal(comparison.GetProperty("resultaathashB").GetProperty("basis").GetString(), comparison.GetProperty("resultaathashB").GetProperty("scenario").GetString());
        foreach (var v in values.Where(v => v.GetProperty("deltaA").ValueKind == JsonValueKind.Number && v.GetProperty("b").ValueKind == JsonValueKind.Number))
        {
            // B has no interventions: it is the baseline, so B − A is minus A's delta.
            Assert.Equal(0, v.GetProperty("deltaB").GetDouble(), 9);
            Assert.Equal(-v.GetProperty("deltaA").GetDouble(), v.GetProperty("verschilBA").GetDouble(), 9);
        }

        Assert.Contains("'a' and 'b' must share a reference date", await Problems.AssertProblemAsync(analist, $"/api/v1/scenarios/vergelijking?a={a}:{va}&b={c}:{vc}", 400), StringComparison.Ordinal);
        Assert.Contains("'a' is required", await Problems.AssertProblemAsync(analist, $"/api/v1/scenarios/vergelijking?a={a}&b={b}:{vb}", 400), StringComparison.Ordinal);
        await Problems.AssertProblemAsync(analist, $"/api/v1/scenarios/vergelijking?a={a}:{va}&b=99999:1", 404);
    }

    [Fact]
    public async Task The_report_is_dutch_html_with_a_map_of_every_buurt()
    {
        using var medewerker = await ClientAsync("medewerker");
        using var analist = await ClientAsync("analist");
        var (id, version) = await CreateAsync(analist, DwellingsAtStation(2000));

        using var response = await medewerker.GetAsync($"/api/v1/scenarios/{id}/versies/{version}/rapport", Ct);
        var document = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync(Ct));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nl", document.DocumentElement.GetAttribute("lang"));
        Assert.Empty(document.QuerySelectorAll("script"));
        var buurten = await BuurtCountAsync();
        var maps = document.QuerySelectorAll("svg").Where(s => s.QuerySelector("title")!.TextContent.StartsWith("Kaart:", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(maps);
        Assert.All(maps, m => Assert.Equal(buurten, m.QuerySelectorAll("path").Length));
        Assert.Contains("2.000 woningen toevoegen (appartement, sociale-huur)", document.QuerySelector("#ingrepen + ol")!.TextContent, StringComparison.Ordinal);
        // Self-contained, so it prints and mails as it is: no image, stylesheet, frame or object from elsewhere; maps and charts are inline SVG.
        Assert.Empty(document.QuerySelectorAll("[src], link, iframe, object, embed, img"));
        Assert.Contains(document.QuerySelectorAll("svg"), svg => !svg.QuerySelector("title")!.TextContent.StartsWith("Kaart:", StringComparison.Ordinal));
        // A summary in plain Dutch first: how many indicators move, and the biggest changes as sentences with numbers.
        var summary = document.QuerySelector("#samenvatting")!.ParentElement!;
        Assert.Contains("Voor de hele gemeente veranderen", summary.TextContent, StringComparison.Ordinal);
        Assert.Contains(summary.QuerySelectorAll("li"), li => li.TextContent.Contains(": van ", StringComparison.Ordinal) && li.TextContent.Contains(" naar ", StringComparison.Ordinal) && li.TextContent.Contains("zekerheid", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bad_requests_are_problems_that_name_what_is_wrong_and_roles_decide_who_runs()
    {
        using var analist = await ClientAsync("analist");
        using var medewerker = await ClientAsync("medewerker");
        var (id, version) = await CreateAsync(analist, "[]");
        var results = $"/api/v1/scenarios/{id}/versies/{version}/resultaten";

        await Problems.AssertProblemAsync(analist, "/api/v1/scenarios/99999/versies/1/resultaten", 404);
        await Problems.AssertProblemAsync(analist, $"/api/v1/scenarios/{id}/versies/99/impactmatrix", 404);
        await Problems.AssertProblemAsync(analist, $"/api/v1/scenarios/{id}/versies/x/rapport", 404);
        Assert.Contains("'seed'", await Problems.AssertProblemAsync(analist, $"{results}?seed=abc", 400), StringComparison.Ordinal);
        Assert.Contains("'indicator'", await Problems.AssertProblemAsync(analist, $"{results}?indicator=bestaat-niet", 400), StringComparison.Ordinal);
        Assert.Contains("'gebied'", await Problems.AssertProblemAsync(analist, $"{results}?gebied=BU99999999", 400), StringComparison.Ordinal);
        Assert.Contains("'formaat'", await Problems.AssertProblemAsync(analist, $"{results}?formaat=csv", 400), StringComparison.Ordinal);
        Assert.Contains("'kleur'", await Problems.AssertProblemAsync(analist, $"{results}?kleur=rood", 400), StringComparison.Ordinal);
        await Problems.AssertProblemAsync(analist, $"{results}/rasters/bestaat-niet", 404);
        Assert.Equal(HttpStatusCode.Forbidden, (await medewerker.PostAsync($"/api/v1/scenarios/{id}/versies/{version}/doorrekening", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.Client.GetAsync(results, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await analist.PostAsync("/api/v1/scenarios/99999/versies/1/doorrekening", null, Ct)).StatusCode);

        // A stored, valid version that names a road link the city does not have cannot run: 409, nothing kept.
        var (unfit, unfitVersion) = await CreateAsync(analist, """[{"soort":"wegen-afsluiten","wegvakken":["WV-BESTAAT-NIET"]}]""");
        Assert.Contains("WV-BESTAAT-NIET", await Problems.AssertProblemAsync(analist, $"/api/v1/scenarios/{unfit}/versies/{unfitVersion}/impactmatrix", 409), StringComparison.Ordinal);
        using var unfitRun = await analist.PostAsync($"/api/v1/scenarios/{unfit}/versies/{unfitVersion}/doorrekening", null, Ct);
        Assert.Equal(HttpStatusCode.Conflict, unfitRun.StatusCode);
        Assert.Equal("application/problem+json", unfitRun.Content.Headers.ContentType!.MediaType);
    }

    private const double StationX = 105_100, StationY = 424_400;

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    /// <summary>The first indicator with a buurt value, and that buurt.</summary>
    private static (string Indicator, string Buurt) FirstBuurtValue(JsonElement results)
    {
        var value = results.GetProperty("waarden").EnumerateArray()
            .First(v => v.GetProperty("gebied").GetString()!.StartsWith("BU", StringComparison.Ordinal) && v.GetProperty("delta").ValueKind == JsonValueKind.Number);
        return (value.GetProperty("indicator").GetString()!, value.GetProperty("gebied").GetString()!);
    }

    private async Task<(long Id, int Version)> CreateAsync(HttpClient client, string interventions, string peildatum = "2024-01-01")
    {
        var body = $$"""{"naam":"Resultaten {{Guid.NewGuid():N}}","peildatum":"{{peildatum}}","ingrepen":{{interventions}}}""";
        var created = await ReadAsync(await client.PostAsync("/api/v1/scenarios", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct));
        return (created.GetProperty("id").GetInt64(), created.GetProperty("versie").GetInt32());
    }

    /// <summary>
    /// A run of the demo city takes seconds on an idle machine but minutes on a loaded one (load 40 to 60 while these
    /// tests were written): no request may time out before its run ends.
    /// </summary>
    private async Task<HttpClient> ClientAsync(string role)
    {
        var client = await Server.ClientAsAsync(role);
        client.Timeout = TimeSpan.FromMinutes(15);
        return client;
    }

    /// <summary>
    /// Adds <paramref name="count"/> social-rent flats in the demo city's station area (RD New x 104,900–105,300,
    /// y 424,250–424,550; docs/scenarios.md), sent in CRS84 as a client would.
    /// </summary>
    private static string DwellingsAtStation(int count)
    {
        string P(double x, double y)
        {
            var (longitude, latitude) = Crs84(x, y);
            return $"[{longitude.ToString(CultureInfo.InvariantCulture)},{latitude.ToString(CultureInfo.InvariantCulture)}]";
        }

        var polygon = $$"""{"type":"Polygon","coordinates":[[{{P(104_900, 424_250)}},{{P(105_300, 424_250)}},{{P(105_300, 424_550)}},{{P(104_900, 424_550)}},{{P(104_900, 424_250)}}]]}""";
        return $$"""[{"soort":"woningen-toevoegen","gebied":{{polygon}},"aantal":{{count}},"woningtype":"appartement","eigendom":"sociale-huur"}]""";
    }

    private static (double Longitude, double Latitude) Crs84(double x, double y)
    {
        new CrsTransformer(TwinHost.GeometryServices).Transform(Crs.RdNewSrid, Crs.Crs84Srid, ref x, ref y);
        return (x, y);
    }

    private static JsonElement FirstPosition(JsonElement geometry) => geometry.GetProperty("type").GetString() == "MultiPolygon"
        ? geometry.GetProperty("coordinates")[0][0][0]
        : geometry.GetProperty("coordinates")[0][0];

    private async Task<int> BuurtCountAsync()
    {
        var page = await Server.Writer.GetFromJsonAsync<JsonElement>("/ogc/collections/buurten/items?limit=1000&f=json", Ct);
        return page.GetProperty("features").GetArrayLength();
    }
}
