using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Tweeling.Server.Tests.Hardening;

/// <summary>
/// CORS as the NL API Design Rules ask: public documents readable from any origin without credentials,
/// writes only from the configured web UI origin — refused on the server too, not only hidden by the browser.
/// </summary>
public sealed class CrossOriginTests : IAsyncLifetime
{
    private const string WebUi = "https://tweeling.gemeente.example";
    private const string Elsewhere = "https://elders.example";
    private const string Thing = """{"name": "Kast 1", "description": "meetkast"}""";

    private TwinServer? _server;

    private TwinServer Server => _server!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _server = await TwinServer.StartAsync(_ => Task.CompletedTask, new Dictionary<string, string?> { ["Tweeling:Cors:WriteOrigins:0"] = WebUi });

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();

    [Theory]
    [InlineData("/api/v1/openapi.json")]
    [InlineData("/api/v1/datasets")]
    [InlineData("/ogc/collections")]
    [InlineData("/ogc/api")]
    [InlineData("/sta/v1.1/")]
    [InlineData("/sta/v1.1/Things")]
    [InlineData("/api/v1/bestaat-niet")]
    public async Task Public_documents_are_readable_from_any_origin_without_credentials(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Origin", Elsewhere);
        using var response = await Server.Client.SendAsync(request, Cancel);

        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
        Assert.Contains("API-Version", string.Join(",", response.Headers.GetValues("Access-Control-Expose-Headers")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_preflight_from_any_origin_may_send_a_bearer_token_and_a_purpose()
    {
        using var response = await PreflightAsync("/ogc/collections", Elsewhere, "GET", "authorization, x-tweeling-doel");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var allowed = string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers"));
        Assert.Contains("Authorization", allowed, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("X-Tweeling-Doel", allowed, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("POST", "/sta/v1.1/Things")]
    [InlineData("PATCH", "/sta/v1.1/Things(1)")]
    [InlineData("DELETE", "/sta/v1.1/Things(1)")]
    [InlineData("POST", "/sta/v1.1/CreateObservations")]
    [InlineData("POST", "/api/v1/datasets")]
    public async Task A_write_preflight_from_another_origin_is_not_allowed(string method, string path)
    {
        using var response = await PreflightAsync(path, Elsewhere, method, "content-type");

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"), $"{method} {path} allowed {Elsewhere}");
    }

    [Fact]
    public async Task A_write_preflight_from_the_configured_web_ui_is_allowed_for_that_origin_only()
    {
        using var response = await PreflightAsync("/sta/v1.1/Things", WebUi, "POST", "content-type, authorization");

        Assert.Equal(WebUi, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods")), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"), "credentials are off unless configured");
    }

    /// <summary>A text/plain POST is a "simple" request a browser sends without a preflight: the server itself must refuse it.</summary>
    [Fact]
    public async Task A_simple_write_from_another_origin_is_refused_and_stores_nothing()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/sta/v1.1/Things") { Content = new StringContent(Thing, Encoding.UTF8, "text/plain") };
        request.Headers.Add("Origin", Elsewhere);
        using var response = await Server.Client.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal("/problems/cross-origin-write", problem.GetProperty("type").GetString());
        Assert.Contains(Elsewhere, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await Server.GetJsonAsync("/sta/v1.1/Things?$count=true")).GetProperty("@iot.count").GetInt64());
    }

    [Theory]
    [InlineData(WebUi)]
    [InlineData(null)]
    public async Task Writes_from_the_web_ui_from_this_server_and_from_non_browser_clients_pass(string? origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/sta/v1.1/Things") { Content = new StringContent(Thing, Encoding.UTF8, "application/json") };
        request.Headers.Add("Origin", origin ?? Server.Address.GetLeftPart(UriPartial.Authority));
        using var response = await Server.Writer.SendAsync(request, Cancel);
        using var plain = await Server.Writer.PostAsync("/sta/v1.1/Things", new StringContent(Thing, Encoding.UTF8, "application/json"), Cancel);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(HttpStatusCode.Created, plain.StatusCode);
        if (origin is not null)
        {
            Assert.Equal(origin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
            Assert.Contains("Location", string.Join(",", response.Headers.GetValues("Access-Control-Expose-Headers")), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_wildcard_write_origin_is_refused_at_start_up()
    {
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => TwinServer.StartAsync(_ => Task.CompletedTask, new Dictionary<string, string?> { ["Tweeling:Cors:WriteOrigins:0"] = "*" }));

        Assert.Contains("WriteOrigins", refused.Message, StringComparison.Ordinal);
    }

    private Task<HttpResponseMessage> PreflightAsync(string path, string origin, string method, string headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", headers);
        return Server.Client.SendAsync(request, Cancel);
    }
}
