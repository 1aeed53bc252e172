using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tweeling.Server.Hosting;
using Tweeling.TestSupport;

namespace Tweeling.Server.Tests.Hardening;

/// <summary>
/// The security headers of the NL API Design Rules' transport security module on every kind of response
/// a browser can meet: the web UI's HTML, JSON documents, problems and the live event stream.
/// </summary>
public sealed class SecurityHeadersTests : IAsyncLifetime
{
    private TwinServer? _server;

    private TwinServer Server => _server!;

    public async ValueTask InitializeAsync() => _server = await TwinServer.StartAsync(_ => Task.CompletedTask);

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();

    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/api/v1/datasets", "application/json")]
    [InlineData("/ogc/collections", "application/json")]
    [InlineData("/sta/v1.1/Things", "application/json")]
    [InlineData("/api/v1/bestaat-niet", "application/problem+json")]
    [InlineData("/api/v1/datasets?onbekend=1", "application/problem+json")]
    [InlineData("/sta/v1.1/Things(999)", "application/problem+json")]
    [InlineData("/api/v1/live", "text/event-stream")]
    public async Task Every_response_carries_the_security_headers(string path, string mediaType)
    {
        using var response = await Server.Client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);

        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Equal("same-origin", Header(response, "Cross-Origin-Opener-Policy"));
        Assert.Contains("geolocation=()", Header(response, "Permissions-Policy"), StringComparison.Ordinal);
        var policy = Header(response, "Content-Security-Policy");
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Equal(mediaType == "text/html" ? SecurityHeaders.HtmlPolicy : SecurityHeaders.DocumentPolicy, policy);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "HSTS is for HTTPS responses only (RFC 6797 §7.2)");
    }

    [Theory]
    [InlineData("/api/v1/datasets")]
    [InlineData("/ogc/collections")]
    [InlineData("/sta/v1.1/Things")]
    [InlineData("/api/v1/bestaat-niet")]
    [InlineData("/api/v1/live")]
    public async Task Api_answers_are_not_stored_by_caches(string path)
    {
        using var response = await Server.Client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);

        Assert.True(response.Headers.CacheControl?.NoStore, $"{path}: Cache-Control is '{response.Headers.CacheControl}'");
    }

    [Fact]
    public async Task The_web_ui_policy_allows_no_inline_script_and_what_maplibre_needs()
    {
        Assert.DoesNotContain("unsafe-inline", SecurityHeaders.HtmlPolicy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", SecurityHeaders.HtmlPolicy, StringComparison.Ordinal);
        Assert.Contains("worker-src 'self' blob:", SecurityHeaders.HtmlPolicy, StringComparison.Ordinal);
        Assert.Contains("img-src 'self' data: blob:", SecurityHeaders.HtmlPolicy, StringComparison.Ordinal);

        // The page itself obeys the policy: no inline script or style, its stylesheet is served from here.
        var page = await Server.Client.GetStringAsync("/", TestContext.Current.CancellationToken);
        Assert.DoesNotContain("<script>", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<style", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" style=", page, StringComparison.OrdinalIgnoreCase);
        using var css = await Server.Client.GetAsync("/tweeling.css", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", Header(css, "X-Content-Type-Options"));
    }

    /// <summary>Over HTTPS (a self-signed certificate for 127.0.0.1, trusted by this client only) the answer carries HSTS.</summary>
    [Fact]
    public async Task Https_responses_carry_strict_transport_security()
    {
        using var directory = new TempDirectory();
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var pfx = directory.File("server.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "test"), TestContext.Current.CancellationToken);
        var thumbprint = certificate.Thumbprint;
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == thumbprint,
        };
        var settings = new Dictionary<string, string?>
        {
            ["Kestrel:Certificates:Default:Path"] = pfx,
            ["Kestrel:Certificates:Default:Password"] = "test",
        };
        await using var server = await TwinServer.StartAsync(_ => Task.CompletedTask, settings, "https", handler);

        foreach (var path in new[] { "/", "/api/v1/datasets", "/api/v1/bestaat-niet" })
        {
            using var response = await server.Client.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.Equal(SecurityHeaders.StrictTransportSecurity, Header(response, "Strict-Transport-Security"));
            Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        }
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : throw new Xunit.Sdk.XunitException($"{response.RequestMessage?.RequestUri}: no {name} header");
}
