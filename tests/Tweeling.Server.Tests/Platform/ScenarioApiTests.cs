using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tweeling.Domain.Audit;

namespace Tweeling.Server.Tests.Platform;

/// <summary><c>/api/v1/scenarios</c> and <c>/api/v1/modellen</c> over real HTTP and a real SQLite file.</summary>
public sealed class ScenarioApiTests
{
    // A block near Dordrecht Centraal, in CRS84 (longitude, latitude).
    private const string Stationsgebied = """{"type":"Polygon","coordinates":[[[4.6680,51.8080],[4.6720,51.8080],[4.6720,51.8105],[4.6680,51.8105],[4.6680,51.8080]]]}""";

    private static readonly string s_body = $$"""
        {"naam":"Stationsgebied 2000 woningen","peildatum":"2025-01-01","ingrepen":[
          {"soort":"woningen-toevoegen","gebied":{{Stationsgebied}},"aantal":2000,"woningtype":"appartement","eigendom":"sociale-huur"},
          {"soort":"bevolking-vergrijzen","jaren":10},
          {"soort":"wegen-afsluiten","wegvakken":["WV1"]}]}
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_analist_creates_versions_reads_them_and_deletes_the_scenario_and_every_write_is_audited()
    {
        await using var server = await TwinServer.StartAsync(_ => Task.CompletedTask);
        using var analist = await server.ClientAsAsync("analist");
        using var medewerker = await server.ClientAsAsync("medewerker");

        var created = await analist.PostAsync("/api/v1/scenarios", Json(s_body), Ct);
        var first = await ReadAsync(created);
        var updated = await analist.PutAsync("/api/v1/scenarios/1", Json(s_body.Replace("\"aantal\":2000", "\"aantal\":3000", StringComparison.Ordinal)), Ct);
        var second = await ReadAsync(updated);
        var same = await ReadAsync(await analist.PutAsync("/api/v1/scenarios/1", Json(s_body.Replace("Stationsgebied 2000", "Andere naam", StringComparison.Ordinal)), Ct));
        var versionOne = await ReadAsync(await medewerker.GetAsync("/api/v1/scenarios/1/versies/1", Ct));
        var latest = await ReadAsync(await medewerker.GetAsync("/api/v1/scenarios/1", Ct));
        var list = await ReadAsync(await medewerker.GetAsync("/api/v1/scenarios", Ct));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.EndsWith("/api/v1/scenarios/1/versies/1", created.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, first.GetProperty("versie").GetInt32());
        Assert.Equal(2, second.GetProperty("versie").GetInt32());
        Assert.Equal(3, latest.GetProperty("versie").GetInt32());
        Assert.Equal(2000, versionOne.GetProperty("ingrepen")[0].GetProperty("aantal").GetInt32());
        Assert.NotEqual(first.GetProperty("inhoudshash").GetString(), second.GetProperty("inhoudshash").GetString());
        Assert.Equal(first.GetProperty("inhoudshash").GetString(), same.GetProperty("inhoudshash").GetString());
        Assert.Equal(64, first.GetProperty("inhoudshash").GetString()!.Length);
        Assert.Equal("Andere naam woningen", list[0].GetProperty("naam").GetString());

        // The polygon comes back in CRS84 within a millimetre's worth of degrees of what was sent.
        var corner = versionOne.GetProperty("ingrepen")[0].GetProperty("gebied").GetProperty("coordinates")[0][0];
        Assert.Equal(4.6680, corner[0].GetDouble(), 6);
        Assert.Equal(51.8080, corner[1].GetDouble(), 6);

        Assert.Equal(HttpStatusCode.NoContent, (await analist.DeleteAsync("/api/v1/scenarios/1", Ct)).StatusCode);
        await Problems.AssertProblemAsync(medewerker, "/api/v1/scenarios/1/versies/1", 404);
        var actions = await server.Store.Audit.ReadAsync(AuditFilter.All, Ct).Where(r => r.Entry.Resource.Contains("/scenarios", StringComparison.Ordinal))
            .Select(r => r.Entry.Action).ToListAsync(Ct);
        Assert.Equal(["create", "update", "update", "delete"], actions);
    }

    [Fact]
    public async Task A_body_with_problems_is_refused_with_every_problem_named_and_nothing_is_stored()
    {
        await using var server = await TwinServer.StartAsync(_ => Task.CompletedTask);
        using var analist = await server.ClientAsAsync("analist");
        const string Bad = """
            {"naam":"","peildatum":"1-1-2025","kleur":"rood","ingrepen":[
              {"soort":"woningen-toevoegen","gebied":{"type":"Polygon","coordinates":[[[4.66,51.80],[4.67,51.80],[4.66,51.80]]]},"aantal":0,"woningtype":"villa","eigendom":"koop"},
              {"soort":"voorziening-toevoegen","voorzieningtype":"huisarts","locatie":{"type":"Point","coordinates":[200.0,51.8]},"capaciteit":2},
              {"soort":"vliegveld"},
              {"soort":"bevolking-vergrijzen","jaren":10,"extra":1}]}
            """;

        var response = await analist.PostAsync("/api/v1/scenarios", Json(Bad), Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var detail = problem.GetProperty("detail").GetString()!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("'naam' is required", detail, StringComparison.Ordinal);
        Assert.Contains("'peildatum'", detail, StringComparison.Ordinal);
        Assert.Contains("'kleur'", detail, StringComparison.Ordinal);
        Assert.Contains("ingrepen[0]: 'gebied' must be a GeoJSON Polygon", detail, StringComparison.Ordinal);
        Assert.Contains("ingrepen[0]: 'aantal' must be a whole number from 1 to 100000", detail, StringComparison.Ordinal);
        Assert.Contains("ingrepen[0]: 'woningtype'", detail, StringComparison.Ordinal);
        Assert.Contains("ingrepen[1]: 'locatie' lies outside the Netherlands", detail, StringComparison.Ordinal);
        Assert.Contains("ingrepen[2]: 'soort' must be one of", detail, StringComparison.Ordinal);
        Assert.Contains("ingrepen[3] (bevolking-vergrijzen): unknown member 'extra'", detail, StringComparison.Ordinal);
        Assert.Contains("Nothing was stored", detail, StringComparison.Ordinal);
        Assert.Empty(await server.Store.Scenarios.ListAsync(Ct));
        Assert.Equal(HttpStatusCode.BadRequest, (await analist.PostAsync("/api/v1/scenarios", Json("[1,"), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await analist.PutAsync("/api/v1/scenarios/7", Json(s_body), Ct)).StatusCode);
    }

    [Fact]
    public async Task Roles_decide_who_reads_and_writes_scenarios()
    {
        await using var server = await TwinServer.StartAsync(_ => Task.CompletedTask);
        using var medewerker = await server.ClientAsAsync("medewerker");
        using var beheerder = await server.ClientAsAsync("beheerder");

        Assert.Equal(HttpStatusCode.Created, (await beheerder.PostAsync("/api/v1/scenarios", Json(s_body), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await medewerker.PostAsync("/api/v1/scenarios", Json(s_body), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await medewerker.GetAsync("/api/v1/scenarios/1", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.GetAsync("/api/v1/scenarios", Ct)).StatusCode);
    }

    [Fact]
    public async Task The_model_list_is_public_and_describes_ports_units_crs_and_register_entry()
    {
        await using var server = await TwinServer.StartAsync(_ => Task.CompletedTask);

        var models = await ReadAsync(await server.Client.GetAsync("/api/v1/modellen", Ct));
        var bevolking = models.EnumerateArray().Single(m => m.GetProperty("id").GetString() == "bevolking");
        var register = await server.Client.GetAsync(new Uri(bevolking.GetProperty("algoritme").GetProperty("href").GetString()!).PathAndQuery, Ct);

        Assert.Equal("EPSG:28992", bevolking.GetProperty("crs").GetString());
        Assert.Contains(bevolking.GetProperty("invoer").EnumerateArray(), p => p.GetProperty("naam").GetString() == "dwellings" && p.GetProperty("eenheid").GetString() == "dwellings");
        Assert.Contains(bevolking.GetProperty("uitvoer").EnumerateArray(), p => p.GetProperty("naam").GetString() == "population");
        Assert.Equal(HttpStatusCode.OK, register.StatusCode);
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }
}
