using System.Net;
using System.Text.Json;
using static Tweeling.Server.Tests.SensorThings.Api.StaWrite;

namespace Tweeling.Server.Tests.Audit;

/// <summary>
/// <c>GET /api/v1/audit</c> over real HTTP: the data protection officer's view of the audit log, for datasteward and
/// beheerder only, filtered and paged, and every read of it recorded before it is answered.
/// </summary>
public sealed class AuditTrailApiTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Only_datasteward_and_beheerder_read_the_log_publiek_gets_401_and_the_other_roles_403()
    {
        await using var server = await TwinServer.StartAsync(_ => Task.CompletedTask);

        await Problems.AssertProblemAsync(server.Client, "/api/v1/audit", 401);
        foreach (var role in new[] { "medewerker", "analist", "ethische-commissie" })
        {
            using var client = await server.ClientAsAsync(role);
            await Problems.AssertProblemAsync(client, "/api/v1/audit", 403);
        }

        foreach (var role in new[] { "datasteward", "beheerder" })
        {
            using var client = await server.ClientAsAsync(role);
            using var response = await client.GetAsync("/api/v1/audit", Cancel);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task The_log_is_filtered_by_action_subject_and_period_paged_and_each_read_is_itself_recorded()
    {
        await using var server = await TwinServer.StartAsync(_ => Task.CompletedTask);
        foreach (var name in new[] { "Paal 1", "Paal 2", "Paal 3" })
        {
            await ExpectAsync(server, "POST", "/sta/v1.1/Things", $$"""{"name":"{{name}}","description":"meetpaal"}""", 201);
        }

        using var steward = await server.ClientAsAsync("datasteward");
        var creates = await JsonAsync(steward, "/api/v1/audit?actie=create");
        Assert.Equal(3, creates.GetArrayLength());
        Assert.All(creates.EnumerateArray(), r => Assert.Equal(("create", "medewerker", 1L, "entities"),
            (r.GetProperty("actie").GetString(), r.GetProperty("rol").GetString(), r.GetProperty("omvang").GetInt64(), r.GetProperty("eenheid").GetString())));
        Assert.Equal([1L, 2, 3], creates.EnumerateArray().Select(r => r.GetProperty("volgnummer").GetInt64()));
        var writer = creates[0].GetProperty("pseudoniem").GetString()!;

        // That read is now in the log, as the data steward, with the filter and the number of records it returned.
        var reads = await JsonAsync(steward, "/api/v1/audit?actie=read");
        var first = reads[0];
        Assert.Equal(("datasteward", "GET /api/v1/audit?actie=create", 3L, "records"),
            (first.GetProperty("rol").GetString(), first.GetProperty("bron").GetString(), first.GetProperty("omvang").GetInt64(), first.GetProperty("eenheid").GetString()));
        Assert.Equal(4, first.GetProperty("volgnummer").GetInt64());

        Assert.Equal(3, (await JsonAsync(steward, $"/api/v1/audit?pseudoniem={writer}")).GetArrayLength());
        Assert.Equal(0, (await JsonAsync(steward, "/api/v1/audit?pseudoniem=acc_onbekend")).GetArrayLength());
        var now = TwinServer.Now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0, (await JsonAsync(steward, $"/api/v1/audit?tot={now}")).GetArrayLength());
        Assert.True((await JsonAsync(steward, $"/api/v1/audit?van={now}&actie=create")).GetArrayLength() == 3);

        using var page = await steward.GetAsync("/api/v1/audit?actie=create&limit=2", Cancel);
        var link = page.Headers.GetValues("Link").Single();
        Assert.Equal($"<{server.Address.ToString().TrimEnd('/')}/api/v1/audit?actie=create&limit=2&offset=2>; rel=\"next\"", link);
        var last = await JsonAsync(steward, "/api/v1/audit?actie=create&limit=2&offset=2");
        Assert.Equal(3, Assert.Single(last.EnumerateArray()).GetProperty("volgnummer").GetInt64());
    }

    [Theory]
    [InlineData("/api/v1/audit?limit=0", "'limit'")]
    [InlineData("/api/v1/audit?van=2025-03-01", "'van'")]
    [InlineData("/api/v1/audit?van=2025-03-02T00:00:00Z&tot=2025-03-01T00:00:00Z", "'van'")]
    [InlineData("/api/v1/audit?pseudoniem=", "'pseudoniem'")]
    [InlineData("/api/v1/audit?wie=iemand", "'wie'")]
    public async Task Bad_parameters_are_problems_that_name_them_and_record_nothing(string path, string named)
    {
        await using var server = await TwinServer.StartAsync(_ => Task.CompletedTask);
        using var steward = await server.ClientAsAsync("datasteward");

        Assert.Contains(named, await Problems.AssertProblemAsync(steward, path, 400), StringComparison.Ordinal);
        await foreach (var record in server.Store.Audit.ReadAsync(Domain.Audit.AuditFilter.All, Cancel))
        {
            Assert.Fail($"a refused request left record {record.Sequence}: {record.Entry.Resource}");
        }
    }

    private static async Task<JsonElement> JsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement.Clone();
    }
}
