using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tweeling.Domain.Reviews;
using Tweeling.Governance.Register;
using Tweeling.Server.Hosting;

namespace Tweeling.Server.Tests.Governance;

/// <summary>The platform's algorithm register: every declared algorithm conforms to publication standard v1.0.0, over the public API and the export.</summary>
public sealed class AlgorithmRegisterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// The register test every later model must pass: an algorithm whose entry lacks a required field or breaks
    /// a limit or value list fails here, naming the field and rule. Checked with the shipped configuration and
    /// with an organisation name at its 100-character limit.
    /// </summary>
    [Fact]
    public void Every_platform_algorithm_has_an_entry_within_the_publication_standard()
    {
        var shipped = RegisterOptions.Load();
        var longest = new RegisterOptions { Organisatie = new string('G', 100), Contact = "algoritmes@gemeente.example", RegisterUrl = "https://tweeling.gemeente.example/api/v1/algoritmes" };

        foreach (var options in new[] { shipped, longest })
        {
            var registry = PlatformAlgorithms.Registry(options);
            Assert.Equal(PlatformAlgorithms.All.Count, registry.All.Count);
            foreach (var registration in registry.All)
            {
                var violations = registration.Violations;
                Assert.True(violations.Count == 0, $"{registration.Algorithm.Id}: {string.Join("; ", violations.Select(v => $"{v.Field} ({v.Rule}): {v.Message}"))}");
                Assert.Equal(registration.Algorithm.Id, registration.Entry.SourceId);
                Assert.False(string.IsNullOrWhiteSpace(registration.Algorithm.Approvals.Reason), $"{registration.Algorithm.Id} must say why it needs the approvals it needs.");
            }
        }
    }

    [Fact]
    public void The_threshold_alerts_the_demo_generators_and_every_impact_model_are_registered()
    {
        Assert.Equal(
            ["bereikbaarheid", "bevolking", "demo-sensorfeed", "demostad-generator", "drempelalarmen", "geluid", "groen", "hitte", "leefbaarheid", "luchtkwaliteit", "sociaal", "verkeer", "voorzieningen"],
            PlatformAlgorithms.All.Select(a => a.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_export_is_the_standards_json_and_every_object_validates()
    {
        await using var server = await TwinServer.StartAsync(_ => Task.CompletedTask);
        using var response = await server.Client.GetAsync("/api/v1/algoritmes/export", Ct);
        var export = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!.AsArray();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(PlatformAlgorithms.All.Count, export.Count);
        foreach (var entry in export.Select(e => e!.AsObject()))
        {
            Assert.Empty(RegisterValidator.Validate(entry));
            Assert.Equal("1.0.0", (string?)entry["standard_version"]);
            Assert.Equal("nld", (string?)entry["lang"]);
            Assert.Equal("Tweeling (voorbeeldorganisatie)", (string?)entry["organization"]);
        }

        var alerts = export.Single(e => (string?)e!["source_id"] == "drempelalarmen")!;
        Assert.Equal("Overige algoritmes", (string?)alerts["publication_category"]);
        Assert.Equal("https://wetten.overheid.nl/BWBR0005416", (string?)alerts["lawful_basis_grouping"]![1]!["link"]);
    }

    [Fact]
    public async Task The_register_is_public_and_paged_and_shows_whether_each_algorithm_runs()
    {
        await using var server = await TwinServer.StartAsync(_ => Task.CompletedTask);

        using var first = await server.Client.GetAsync("/api/v1/algoritmes?limit=3", Ct);
        var page = JsonDocument.Parse(await first.Content.ReadAsStringAsync(Ct)).RootElement;
        var next = first.Headers.GetValues("Link").Single();
        var rest = await server.GetJsonAsync("/api/v1/algoritmes?limit=3&offset=3");
        var alerts = await server.GetJsonAsync("/api/v1/algoritmes/drempelalarmen");

        Assert.Equal(3, page.GetArrayLength());
        Assert.EndsWith("/api/v1/algoritmes?limit=3&offset=3>; rel=\"next\"", next, StringComparison.Ordinal);
        Assert.Equal(Math.Min(3, PlatformAlgorithms.All.Count - 3), rest.GetArrayLength());
        Assert.Equal("Drempelalarmen op sensormetingen melden", alerts.GetProperty("naam").GetString());
        Assert.True(alerts.GetProperty("ingeschakeld").GetBoolean());
        Assert.Equal(0, alerts.GetProperty("belemmeringen").GetArrayLength());
        Assert.Equal(0, alerts.GetProperty("vereisteBeoordelingen").GetArrayLength());
        Assert.Equal("drempelalarmen", alerts.GetProperty("registratie").GetProperty("source_id").GetString());
        Assert.EndsWith("/api/v1/beoordelingen?onderwerp=algoritme/drempelalarmen", alerts.GetProperty("links").GetProperty("beoordelingen").GetProperty("href").GetString(), StringComparison.Ordinal);

        await AssertProblemAsync(server, "/api/v1/algoritmes/onbekend", HttpStatusCode.NotFound, "There is no algorithm 'onbekend'");
        await AssertProblemAsync(server, "/api/v1/algoritmes?limit=0", HttpStatusCode.BadRequest, "'limit' must be a whole number from 1 to 1000");
        await AssertProblemAsync(server, "/api/v1/algoritmes?status=x", HttpStatusCode.BadRequest, "Unknown query parameter 'status'");
    }

    [Fact]
    public async Task A_disabled_algorithm_shows_as_not_running()
    {
        await using var server = await TwinServer.StartAsync(store => store.Reviews.SetActivationAsync(
            new AlgorithmActivation("demo-sensorfeed", false, TwinServer.Now, "beheer-01"), Ct));

        var feed = await server.GetJsonAsync("/api/v1/algoritmes/demo-sensorfeed");

        Assert.False(feed.GetProperty("ingeschakeld").GetBoolean());
    }

    [Fact]
    public async Task Reviews_are_listed_per_subject_without_their_answers()
    {
        await using var server = await TwinServer.StartAsync(async store =>
        {
            await store.Reviews.AddAsync(new Review
            {
                Kind = ReviewKind.EthicsCommittee,
                Subject = new ReviewSubject(ReviewSubjectKind.Algorithm, "drempelalarmen"),
                Status = ReviewStatus.Approved,
                Reviewers = [new Reviewer("ec-03", "ethische-commissie")],
                Conditions = ["Jaarlijks evalueren."],
                CreatedAt = TwinServer.Now.AddDays(-2),
                DecidedAt = TwinServer.Now.AddDays(-1),
                ValidUntil = new DateOnly(2026, 3, 1),
            }, Ct);
            await store.Reviews.AddAsync(new Review
            {
                Kind = ReviewKind.Dpia,
                Subject = new ReviewSubject(ReviewSubjectKind.Dataset, "demo-sensoren"),
                Status = ReviewStatus.Concept,
                Reviewers = [new Reviewer("ds-17", "datasteward")],
                Sections = [new ReviewSection("1", "Geheim intern antwoord")],
                CreatedAt = TwinServer.Now,
            }, Ct);
        });

        var ofAlerts = (await server.GetJsonAsync("/api/v1/beoordelingen?onderwerp=algoritme/drempelalarmen")).EnumerateArray().Single();
        using var all = await server.Client.GetAsync("/api/v1/beoordelingen?limit=1", Ct);
        var dpia = await server.GetJsonAsync("/api/v1/beoordelingen/2");

        Assert.Equal("ethische-commissie", ofAlerts.GetProperty("soort").GetString());
        Assert.Equal("goedgekeurd", ofAlerts.GetProperty("status").GetString());
        Assert.Equal("ec-03", ofAlerts.GetProperty("beoordelaars")[0].GetProperty("id").GetString());
        Assert.Equal("Jaarlijks evalueren.", ofAlerts.GetProperty("voorwaarden")[0].GetString());
        Assert.Equal("2026-03-01", ofAlerts.GetProperty("geldigTot").GetString());
        Assert.Contains("rel=\"next\"", all.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
        Assert.Equal("dataset/demo-sensoren", dpia.GetProperty("onderwerp").GetString());
        Assert.Equal("1", dpia.GetProperty("beantwoordeSecties")[0].GetString());
        Assert.DoesNotContain("Geheim", dpia.GetRawText(), StringComparison.Ordinal);

        await AssertProblemAsync(server, "/api/v1/beoordelingen?onderwerp=persoon/1", HttpStatusCode.BadRequest, "'onderwerp' must be dataset/<id>");
        await AssertProblemAsync(server, "/api/v1/beoordelingen/99", HttpStatusCode.NotFound, "There is no beoordeling '99'");
    }

    private static async Task AssertProblemAsync(TwinServer server, string path, HttpStatusCode status, string detail)
    {
        using var response = await server.Client.GetAsync(path, Ct);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detail, JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
