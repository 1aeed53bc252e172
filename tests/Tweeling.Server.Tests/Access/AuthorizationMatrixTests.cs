using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tweeling.Governance.Access;
using Tweeling.Server.Hosting;
using Tweeling.Server.Tests.Ogc;
using Tweeling.Governance.Identity;

namespace Tweeling.Server.Tests.Access;

/// <summary>
/// The authorization matrix: every endpoint the real application registers × every role. An endpoint without an
/// access rule, or whose rule decides otherwise than this table, fails the test — so a new endpoint cannot slip
/// through — and a real request to each endpoint as <c>publiek</c> shows the rule is enforced.
/// </summary>
public sealed class AuthorizationMatrixTests(SensorCollectionServer fixture) : IClassFixture<SensorCollectionServer>
{
    /// <summary>
    /// The expected decision per endpoint, one letter per role in the order publiek, medewerker, analist,
    /// datasteward, beheerder, ethische-commissie (a method of * is any method): A = allowed, F = allowed with the answer filtered to the
    /// datasets the caller may read, D = denied.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Expected = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["* /healthz"] = "AAAAAA",

        // The web UI: its files and settings hold no data; what it shows comes through the endpoints below.
        ["GET /config.json"] = "AAAAAA",
        ["GET /"] = "AAAAAA",
        ["GET /assets/{**bestand}"] = "AAAAAA",
        ["GET /{bestand:webpad}"] = "AAAAAA",
        ["GET /ogc/"] = "AAAAAA",
        ["GET /ogc/conformance"] = "AAAAAA",
        ["GET /ogc/api"] = "AAAAAA",
        ["GET /ogc/collections"] = "FFFFFF",
        ["GET /ogc/collections/{collectionId}"] = "FFFFFF",
        ["GET /ogc/collections/{collectionId}/queryables"] = "FFFFFF",
        ["GET /ogc/collections/{collectionId}/items"] = "FFFFFF",
        ["GET /ogc/collections/{collectionId}/items/{featureId}"] = "FFFFFF",
        ["GET /ogc/tileMatrixSets"] = "AAAAAA",
        ["GET /ogc/tileMatrixSets/{tileMatrixSetId}"] = "AAAAAA",
        ["GET /ogc/collections/{collectionId}/tiles"] = "FFFFFF",
        ["GET /ogc/collections/{collectionId}/tiles/{tileMatrixSetId}"] = "FFFFFF",
        ["GET /ogc/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}"] = "FFFFFF",
        ["GET /api/v1/openapi.json"] = "AAAAAA",
        ["GET /api/v1/ik"] = "AAAAAA",
        ["POST /api/v1/sessies"] = "DAAAAA",
        ["DELETE /api/v1/sessies/{id}"] = "DAAAAA",
        ["GET /api/v1/algoritmes"] = "AAAAAA",
        ["GET /api/v1/algoritmes/export"] = "AAAAAA",
        ["GET /api/v1/algoritmes/{id}"] = "AAAAAA",
        ["GET /api/v1/beoordelingen"] = "AAAAAA",
        ["GET /api/v1/beoordelingen/{id}"] = "AAAAAA",
        ["GET /api/v1/audit"] = "DDDAAD",
        ["POST /api/v1/beoordelingen"] = "DDDAAD",
        ["POST /api/v1/beoordelingen/{id}/besluit"] = "DDDAAA",
        ["PUT /api/v1/algoritmes/{id}/status"] = "DDDDAD",
        ["GET /api/v1/modellen"] = "AAAAAA",
        ["GET /api/v1/scenarios"] = "DAAAAA",
        ["POST /api/v1/scenarios"] = "DDADAD",
        ["GET /api/v1/scenarios/{id}"] = "DAAAAA",
        ["PUT /api/v1/scenarios/{id}"] = "DDADAD",
        ["DELETE /api/v1/scenarios/{id}"] = "DDADAD",
        ["GET /api/v1/scenarios/{id}/versies/{versie}"] = "DAAAAA",
        ["POST /api/v1/scenarios/{id}/versies/{versie}/doorrekening"] = "DDADAD",
        ["GET /api/v1/scenarios/{id}/versies/{versie}/resultaten"] = "DAAAAA",
        ["GET /api/v1/scenarios/{id}/versies/{versie}/resultaten/rasters/{indicator}"] = "DAAAAA",
        ["GET /api/v1/scenarios/{id}/versies/{versie}/resultaten/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}"] = "DAAAAA",
        ["GET /api/v1/scenarios/{id}/versies/{versie}/impactmatrix"] = "DAAAAA",
        ["GET /api/v1/scenarios/{id}/versies/{versie}/rapport"] = "DAAAAA",
        ["GET /api/v1/scenarios/vergelijking"] = "DAAAAA",
        ["GET /api/v1/datasets"] = "FFFFFF",
        ["GET /api/v1/datasets/{id}"] = "FFFFFF",
        ["GET /api/v1/catalogus"] = "FFFFFF",
        ["GET /api/v1/gebieden"] = "FFFFFF",
        ["GET /api/v1/gebieden/{code}"] = "FFFFFF",
        ["GET /api/v1/indicatoren"] = "FFFFFF",
        ["GET /api/v1/indicatoren/{code}"] = "FFFFFF",
        ["GET /api/v1/live"] = "FFFFFF",
        ["GET /api/v1/drempels"] = "FFFFFF",
        ["GET /api/v1/drempels/{id}"] = "FFFFFF",
        ["GET /api/v1/alarmen"] = "FFFFFF",
        ["GET /api/v1/alarmen/{id}"] = "FFFFFF",
        ["GET /api/v1/sensoren/{sensor}/reeksen/{reeks}/aggregaten"] = "FFFFFF",
        ["GET /api/v1/zoeken"] = "FFFFFF",
        ["GET /api/v1/herkomst/{collectionId}/{featureId}"] = "FFFFFF",
        ["GET /api/v1/dashboards/armoede"] = "FFFFFF",
        ["GET /api/v1/dashboards/binnenstad"] = "FFFFFF",
        ["GET /sta/v1.1/"] = "AAAAAA",
        ["GET /sta/v1.1/{**path}"] = "FFFFFF",

        // Sensor writes: the roles that operate sensors (medewerker, datasteward, beheerder).
        ["POST /sta/v1.1/CreateObservations"] = "DADAAD",
        ["POST /sta/v1.1/$batch"] = "DADAAD",
        ["POST /sta/v1.1/{**path}"] = "DADAAD",
        ["PATCH /sta/v1.1/{**path}"] = "DADAAD",
        ["PUT /sta/v1.1/{**path}"] = "DADAAD",
        ["DELETE /sta/v1.1/{**path}"] = "DADAAD",
    };

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private TwinServer Server => fixture.Server;

    [Fact]
    public void Every_endpoint_declares_an_access_rule()
    {
        var missing = Endpoints().Where(e => e.Rule is null).Select(e => e.Key).ToList();

        Assert.True(missing.Count == 0, $"Endpoints without an access rule (attach one with WithAccessRule): {string.Join(", ", missing)}");
    }

    [Fact]
    public void The_table_names_exactly_the_registered_endpoints()
    {
        var registered = Endpoints().Select(e => e.Key).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(Expected.Keys.Order(StringComparer.Ordinal), registered);
    }

    [Fact]
    public void Every_endpoint_decides_for_every_role_as_the_table_says()
    {
        var wrong = new List<string>();
        foreach (var (key, rule) in Endpoints())
        {
            foreach (var role in Enum.GetValues<Role>())
            {
                var expected = Letter(Expected[key][(int)role]);
                var actual = rule!.Decide(role);
                if (actual != expected)
                {
                    wrong.Add($"{key} for {RoleNames.Name(role)}: {actual}, expected {expected}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    [Fact]
    public async Task A_request_as_publiek_to_every_endpoint_is_answered_as_its_rule_decides()
    {
        var requests = Requests();
        Assert.Equal(Expected.Keys.Order(StringComparer.Ordinal), requests.Select(r => r.Endpoint).Distinct().Order(StringComparer.Ordinal));
        foreach (var (endpoint, method, path, body) in requests)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            using var response = await Server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Cancel);
            var status = (int)response.StatusCode;
            if (Letter(Expected[endpoint][(int)Role.Publiek]) == AccessDecision.Deny)
            {
                Assert.True(status == 401, $"{method} {path} as publiek gave {status}, expected 401.");
                Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            }
            else
            {
                Assert.True(status is not (401 or 403) and < 500, $"{method} {path} as publiek gave {status}.");
            }

            // The live stream never ends (its filtering is LiveAndAlarmAccessTests'); every other answer with data is read
            // whole. A problem may repeat the id the client asked for, which tells it nothing new.
            if (method == "GET" && status < 300 && endpoint != "GET /api/v1/live")
            {
                var answer = await response.Content.ReadAsStringAsync(Cancel);
                Assert.False(answer.Contains("Geheim", StringComparison.Ordinal) || answer.Contains(SensorWorld.InternalDataset, StringComparison.Ordinal),
                    $"{method} {path} as publiek shows data of the internal dataset: {answer}");
            }
        }
    }

    [Fact]
    public async Task A_role_bound_rule_refuses_the_public_role_with_401_before_the_handler_runs()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        var ran = false;
        app.UseAccessRules();
        app.MapGet("/beheer", () => ran = true).WithAccessRule(AccessRule.RoleOnly(Role.Beheerder));
        app.MapGet("/zonder-regel", () => ran = true);
        await app.StartAsync(Cancel);
        var address = app.Services.GetRequiredService<IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var client = new HttpClient { BaseAddress = new Uri(address) };

        using var denied = await client.GetAsync("/beheer", Cancel);
        using var unruled = await client.GetAsync("/zonder-regel", Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        Assert.Contains("/problems/unauthorized", await denied.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, unruled.StatusCode);
        Assert.Contains("/problems/forbidden", await unruled.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.False(ran);
        await app.StopAsync(Cancel);
    }

    private IReadOnlyList<(string Key, AccessRule? Rule)> Endpoints() =>
        AccessMatrix.Endpoints(Server.Services.GetRequiredService<EndpointDataSource>());

    private static AccessDecision Letter(char letter) => letter switch
    {
        'A' => AccessDecision.Allow,
        'F' => AccessDecision.Filter,
        _ => AccessDecision.Deny,
    };

    /// <summary>
    /// At least one real request per endpoint; ids are those of <see cref="SensorWorld"/> or deliberately unknown (a 404
    /// is an answer too). No answer to <c>publiek</c> may name the internal dataset or its Thing ("Meetpunt Geheim").
    /// </summary>
    private List<(string Endpoint, string Method, string Path, string? Body)> Requests()
    {
        var geheim = fixture.World.Geheim;
        return
        [
            ("* /healthz", "GET", "/healthz", null),
            ("GET /config.json", "GET", "/config.json", null),
            ("GET /", "GET", "/", null),
            ("GET /assets/{**bestand}", "GET", "/assets/bestaat-niet.js", null),
            ("GET /{bestand:webpad}", "GET", "/tweeling.css", null),
            ("GET /{bestand:webpad}", "GET", "/kaart", null),
            ("GET /ogc/", "GET", "/ogc/", null),
            ("GET /ogc/conformance", "GET", "/ogc/conformance", null),
            ("GET /ogc/api", "GET", "/ogc/api", null),
            ("GET /ogc/collections", "GET", "/ogc/collections", null),
            ("GET /ogc/collections/{collectionId}", "GET", "/ogc/collections/sensoren", null),
            ("GET /ogc/collections/{collectionId}/queryables", "GET", "/ogc/collections/sensoren/queryables", null),
            ("GET /ogc/collections/{collectionId}/items", "GET", "/ogc/collections/sensoren/items", null),
            ("GET /ogc/collections/{collectionId}/items/{featureId}", "GET", $"/ogc/collections/sensoren/items/{geheim}", null),
            ("GET /ogc/tileMatrixSets", "GET", "/ogc/tileMatrixSets", null),
            ("GET /ogc/tileMatrixSets/{tileMatrixSetId}", "GET", "/ogc/tileMatrixSets/WebMercatorQuad", null),
            ("GET /ogc/collections/{collectionId}/tiles", "GET", "/ogc/collections/panden/tiles", null),
            ("GET /ogc/collections/{collectionId}/tiles/{tileMatrixSetId}", "GET", "/ogc/collections/panden/tiles/WebMercatorQuad", null),
            ("GET /ogc/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}", "GET",
                "/ogc/collections/panden/tiles/WebMercatorQuad/14/5384/8414", null),
            ("GET /api/v1/openapi.json", "GET", "/api/v1/openapi.json", null),
            ("GET /api/v1/ik", "GET", "/api/v1/ik", null),
            ("GET /api/v1/algoritmes", "GET", "/api/v1/algoritmes", null),
            ("GET /api/v1/algoritmes/export", "GET", "/api/v1/algoritmes/export", null),
            ("GET /api/v1/algoritmes/{id}", "GET", "/api/v1/algoritmes/drempelalarmen", null),
            ("GET /api/v1/beoordelingen", "GET", "/api/v1/beoordelingen", null),
            ("GET /api/v1/beoordelingen/{id}", "GET", "/api/v1/beoordelingen/1", null),
            ("GET /api/v1/audit", "GET", "/api/v1/audit", null),
            ("POST /api/v1/sessies", "POST", "/api/v1/sessies", null),
            ("DELETE /api/v1/sessies/{id}", "DELETE", "/api/v1/sessies/tok_0000000000000000", null),
            ("POST /api/v1/beoordelingen", "POST", "/api/v1/beoordelingen", "{}"),
            ("POST /api/v1/beoordelingen/{id}/besluit", "POST", "/api/v1/beoordelingen/1/besluit", "{}"),
            ("PUT /api/v1/algoritmes/{id}/status", "PUT", "/api/v1/algoritmes/drempelalarmen/status", "{}"),
            ("GET /api/v1/modellen", "GET", "/api/v1/modellen", null),
            ("GET /api/v1/scenarios", "GET", "/api/v1/scenarios", null),
            ("POST /api/v1/scenarios", "POST", "/api/v1/scenarios", "{}"),
            ("GET /api/v1/scenarios/{id}", "GET", "/api/v1/scenarios/1", null),
            ("PUT /api/v1/scenarios/{id}", "PUT", "/api/v1/scenarios/1", "{}"),
            ("DELETE /api/v1/scenarios/{id}", "DELETE", "/api/v1/scenarios/999", null),
            ("GET /api/v1/scenarios/{id}/versies/{versie}", "GET", "/api/v1/scenarios/1/versies/1", null),
            ("POST /api/v1/scenarios/{id}/versies/{versie}/doorrekening", "POST", "/api/v1/scenarios/1/versies/1/doorrekening", null),
            ("GET /api/v1/scenarios/{id}/versies/{versie}/resultaten", "GET", "/api/v1/scenarios/1/versies/1/resultaten", null),
            ("GET /api/v1/scenarios/{id}/versies/{versie}/resultaten/rasters/{indicator}", "GET", "/api/v1/scenarios/1/versies/1/resultaten/rasters/hitte", null),
            ("GET /api/v1/scenarios/{id}/versies/{versie}/resultaten/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}", "GET",
                "/api/v1/scenarios/1/versies/1/resultaten/tiles/WebMercatorQuad/14/5384/8414?indicator=inwoners", null),
            ("GET /api/v1/scenarios/{id}/versies/{versie}/impactmatrix", "GET", "/api/v1/scenarios/1/versies/1/impactmatrix", null),
            ("GET /api/v1/scenarios/{id}/versies/{versie}/rapport", "GET", "/api/v1/scenarios/1/versies/1/rapport", null),
            ("GET /api/v1/scenarios/vergelijking", "GET", "/api/v1/scenarios/vergelijking?a=1:1&b=1:1", null),
            ("GET /api/v1/datasets", "GET", "/api/v1/datasets", null),
            ("GET /api/v1/datasets/{id}", "GET", $"/api/v1/datasets/{SensorWorld.InternalDataset}", null),
            ("GET /api/v1/catalogus", "GET", "/api/v1/catalogus", null),
            ("GET /api/v1/gebieden", "GET", "/api/v1/gebieden", null),
            ("GET /api/v1/gebieden/{code}", "GET", "/api/v1/gebieden/BU00000000", null),
            ("GET /api/v1/indicatoren", "GET", "/api/v1/indicatoren", null),
            ("GET /api/v1/indicatoren/{code}", "GET", "/api/v1/indicatoren/bestaat-niet", null),
            ("GET /api/v1/live", "GET", "/api/v1/live", null),
            ("GET /api/v1/drempels", "GET", "/api/v1/drempels", null),
            ("GET /api/v1/drempels/{id}", "GET", "/api/v1/drempels/1", null),
            ("GET /api/v1/alarmen", "GET", "/api/v1/alarmen", null),
            ("GET /api/v1/alarmen/{id}", "GET", "/api/v1/alarmen/1", null),
            ("GET /api/v1/sensoren/{sensor}/reeksen/{reeks}/aggregaten", "GET", $"/api/v1/sensoren/{geheim}/reeksen/1/aggregaten", null),
            ("GET /api/v1/zoeken", "GET", "/api/v1/zoeken?q=Meetpunt", null),
            ("GET /api/v1/zoeken", "GET", "/api/v1/zoeken?q=Geheim", null),
            ("GET /api/v1/herkomst/{collectionId}/{featureId}", "GET", $"/api/v1/herkomst/sensoren/{geheim}", null),
            ("GET /api/v1/dashboards/armoede", "GET", "/api/v1/dashboards/armoede?formaat=csv", null),
            ("GET /api/v1/dashboards/binnenstad", "GET", "/api/v1/dashboards/binnenstad", null),
            ("GET /api/v1/dashboards/binnenstad", "GET", "/api/v1/dashboards/binnenstad?formaat=geojson", null),
            ("GET /sta/v1.1/", "GET", "/sta/v1.1/", null),
            ("GET /sta/v1.1/{**path}", "GET", "/sta/v1.1/Things", null),
            ("GET /sta/v1.1/{**path}", "GET", $"/sta/v1.1/Things({geheim})", null),
            ("GET /sta/v1.1/{**path}", "GET", "/sta/v1.1/Things?$expand=Datastreams($expand=Observations),Locations", null),
            ("GET /sta/v1.1/{**path}", "GET", "/sta/v1.1/Observations?$expand=Datastream($expand=Thing)", null),
            ("GET /sta/v1.1/{**path}", "GET", "/sta/v1.1/Locations?$expand=Things", null),
            ("GET /sta/v1.1/{**path}", "GET", "/sta/v1.1/ObservedProperties?$expand=Datastreams($expand=Thing)", null),
            ("GET /sta/v1.1/{**path}", "GET", "/sta/v1.1/Sensors?$expand=Datastreams($expand=Thing)", null),
            ("POST /sta/v1.1/CreateObservations", "POST", "/sta/v1.1/CreateObservations", "[]"),
            ("POST /sta/v1.1/$batch", "POST", "/sta/v1.1/$batch", "{}"),
            ("POST /sta/v1.1/{**path}", "POST", "/sta/v1.1/Things", "{}"),
            ("PATCH /sta/v1.1/{**path}", "PATCH", "/sta/v1.1/Things(999999)", "{}"),
            ("PUT /sta/v1.1/{**path}", "PUT", "/sta/v1.1/Things(999999)", "{}"),
            ("DELETE /sta/v1.1/{**path}", "DELETE", "/sta/v1.1/Things(999999)", null),
        ];
    }
}
