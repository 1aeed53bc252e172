using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tweeling.Domain.Algorithms;
using Tweeling.Domain.Audit;
using Tweeling.Domain.Reviews;
using Tweeling.Server.Hosting;
using Tweeling.Storage.Sqlite;
using Tweeling.TestSupport;

namespace Tweeling.Server.Tests.Governance;

/// <summary>
/// The review workflow and the algorithm switch over real HTTP, on a server whose register also holds a model that
/// needs the ethics committee's approval: who may record, decide and switch (standards.md §2), enabling refused with
/// a problem until the approval exists, and every write in the audit log.
/// </summary>
public sealed class BeoordelingWritesTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private SqliteTwinStore? _store;
    private WebApplication? _app;
    private Uri? _address;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SqliteTwinStore Store => _store!;

    public async ValueTask InitializeAsync()
    {
        _store = await SqliteTwinStore.OpenAsync(_directory.File("twin.db"), TwinHost.GeometryServices, Ct);
        _app = TwinHost.Build(_store, "http://127.0.0.1:0", new FakeTimeProvider(TwinServer.Now), demoFeed: false, algorithms: [.. PlatformAlgorithms.All, new EthicsOnlyModel()]);
        await _app.StartAsync(Ct);
        _address = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        _directory.Dispose();
    }

    [Fact]
    public async Task An_algorithm_is_enabled_only_after_the_required_review_is_approved_by_the_role_that_decides_it_and_every_write_is_audited()
    {
        using var steward = await As("datasteward");
        using var committee = await As("ethische-commissie");
        using var beheerder = await As("beheerder");
        const string Status = $"/api/v1/algoritmes/{EthicsOnlyModel.AlgorithmId}/status";

        // Refused while the ethics review is missing: 409 naming it, and nothing switched.
        var blocked = await SendAsync(beheerder, HttpMethod.Put, Status, """{"ingeschakeld": true}""", 409);
        Assert.Contains("/problems/algorithm-blocked", blocked.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Contains("ethische-commissie", blocked.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Null(await Store.Reviews.FindActivationAsync(EthicsOnlyModel.AlgorithmId, Ct));

        var review = await SendAsync(steward, HttpMethod.Post, "/api/v1/beoordelingen",
            $$"""{"soort": "ethische-commissie", "onderwerp": "algoritme/{{EthicsOnlyModel.AlgorithmId}}", "beoordelaars": [{"id": "ec-01", "rol": "ethische-commissie"}], "indienen": true}""", 201);
        Assert.Equal("in-behandeling", review.GetProperty("status").GetString());
        var decision = $"/api/v1/beoordelingen/{review.GetProperty("id").GetInt64()}/besluit";

        // Only the ethics committee decides its own review; the data steward may not.
        await SendAsync(steward, HttpMethod.Post, decision, """{"status": "goedgekeurd"}""", 403);
        var approved = await SendAsync(committee, HttpMethod.Post, decision, """{"status": "goedgekeurd", "voorwaarden": ["Na een jaar opnieuw toetsen."], "geldigTot": "2026-03-01"}""", 200);
        Assert.Equal(("goedgekeurd", "Na een jaar opnieuw toetsen."), (approved.GetProperty("status").GetString(), approved.GetProperty("voorwaarden")[0].GetString()));

        var enabled = await SendAsync(beheerder, HttpMethod.Put, Status, """{"ingeschakeld": true}""", 200);
        Assert.True(enabled.GetProperty("ingeschakeld").GetBoolean());
        var disabled = await SendAsync(beheerder, HttpMethod.Put, Status, """{"ingeschakeld": false}""", 200);
        Assert.False(disabled.GetProperty("ingeschakeld").GetBoolean());

        var records = new List<AuditRecord>();
        await foreach (var record in Store.Audit.ReadAsync(AuditFilter.All, Ct))
        {
            records.Add(record);
        }

        Assert.Equal(
            [
                ("datasteward", "create", $"POST /api/v1/beoordelingen: ethische-commissie of algoritme/{EthicsOnlyModel.AlgorithmId}"),
                ("ethische-commissie", "update", $"POST {decision}: goedgekeurd"),
                ("beheerder", "update", $"PUT {Status}: ingeschakeld"),
                ("beheerder", "update", $"PUT {Status}: uitgeschakeld"),
            ],
            records.Select(r => (r.Entry.Role, r.Entry.Action, r.Entry.Resource)));
    }

    [Fact]
    public async Task Roles_outside_the_workflow_are_refused_and_bad_bodies_are_problems_that_store_nothing()
    {
        using var anonymous = new HttpClient { BaseAddress = _address };
        using var analist = await As("analist");
        using var steward = await As("datasteward");
        using var beheerder = await As("beheerder");
        const string Review = """{"soort": "dpia", "onderwerp": "dataset/zorg", "beoordelaars": [{"id": "ds-01", "rol": "datasteward"}]}""";

        await SendAsync(anonymous, HttpMethod.Post, "/api/v1/beoordelingen", Review, 401);
        await SendAsync(analist, HttpMethod.Post, "/api/v1/beoordelingen", Review, 403);
        await SendAsync(steward, HttpMethod.Put, "/api/v1/algoritmes/drempelalarmen/status", """{"ingeschakeld": false}""", 403);

        foreach (var (path, body, named) in new[]
        {
            ("/api/v1/beoordelingen", "geen json", "not valid JSON"),
            ("/api/v1/beoordelingen", "[]", "JSON object"),
            ("/api/v1/beoordelingen", """{"soort": "keuring", "onderwerp": "dataset/zorg", "beoordelaars": [{"id": "ds-01", "rol": "datasteward"}]}""", "'soort'"),
            ("/api/v1/beoordelingen", """{"soort": "dpia", "onderwerp": "algoritme/bestaat-niet", "beoordelaars": [{"id": "ds-01", "rol": "datasteward"}]}""", "bestaat-niet"),
            ("/api/v1/beoordelingen", """{"soort": "dpia", "onderwerp": "dataset/zorg", "beoordelaars": []}""", "reviewer"),
            ("/api/v1/algoritmes/drempelalarmen/status", """{"ingeschakeld": "ja"}""", "'ingeschakeld'"),
        })
        {
            var problem = await SendAsync(path.EndsWith("status", StringComparison.Ordinal) ? beheerder : steward, path.EndsWith("status", StringComparison.Ordinal) ? HttpMethod.Put : HttpMethod.Post, path, body, 400);
            Assert.Contains(named, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        var added = await SendAsync(steward, HttpMethod.Post, "/api/v1/beoordelingen", Review, 201);
        var decision = $"/api/v1/beoordelingen/{added.GetProperty("id").GetInt64()}/besluit";
        await SendAsync(steward, HttpMethod.Post, decision, """{"status": "gekeurd"}""", 400);
        await SendAsync(steward, HttpMethod.Post, "/api/v1/beoordelingen/999/besluit", """{"status": "afgewezen"}""", 404);

        // A DPIA is approved only with every section answered: refused, and the review stays as it was.
        var incomplete = await SendAsync(steward, HttpMethod.Post, decision, """{"status": "goedgekeurd"}""", 400);
        Assert.Contains("every section answered", incomplete.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Single(await Store.Reviews.ListAsync(null, Ct));
        Assert.Equal(ReviewStatus.Concept, (await Store.Reviews.FindAsync(added.GetProperty("id").GetInt64(), Ct))!.Status);
        var records = new List<AuditRecord>();
        await foreach (var record in Store.Audit.ReadAsync(AuditFilter.All, Ct))
        {
            records.Add(record);
        }

        Assert.Equal("create", Assert.Single(records).Entry.Action);
    }

    private Task<HttpClient> As(string role) => TwinServer.SignedInClientAsync(Store, _address!, role);

    private static async Task<JsonElement> SendAsync(HttpClient client, HttpMethod method, string path, string body, int status)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(status == (int)response.StatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A model that needs only the ethics committee's approval.</summary>
    private sealed class EthicsOnlyModel : IRegisteredAlgorithm
    {
        public const string AlgorithmId = "proef-drukte";

        public string Id => AlgorithmId;

        public RequiredApprovals Approvals { get; } = new(new HashSet<ReviewKind> { ReviewKind.EthicsCommittee }, "Een proef in de openbare ruimte.");

        public RegisterEntry Describe(RegisterPublisher publisher) => new()
        {
            Name = "Drukte voorspellen (proef)",
            DescriptionShort = "Een testmodel dat een toets van de ethische commissie vraagt.",
            Organization = publisher.Organization,
            Status = RegisterValues.StatusInDevelopment,
            ContactEmail = publisher.Contact,
            PublicationCategory = RegisterValues.OtherAlgorithms,
            SourceId = AlgorithmId,
        };
    }
}
