using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Tweeling.Server.Tests.Hosting;

/// <summary>
/// OpenID Connect sign-in through the provider's discovery metadata, as a municipality configures it: a real
/// identity provider (Kestrel in the test) serves <c>/.well-known/openid-configuration</c> and its
/// <c>jwks_uri</c>; the platform is given only its Authority and fetches the signing keys from there. A token
/// signed with the provider's key signs in; a wrong issuer, a wrong audience, an expired token and a key the
/// provider does not publish are 401.
/// </summary>
public sealed class OidcDiscoveryTests : IAsyncLifetime
{
    private const string Audience = "tweeling";
    private const string KeyId = "idp-2026";

    private readonly RSA _signingKey = RSA.Create(2048);
    private WebApplication? _provider;
    private int _metadataRequests;
    private int _keyRequests;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The provider's base address, which is also its issuer, as with Keycloak and Entra ID.</summary>
    private string Issuer { get; set; } = string.Empty;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _provider = builder.Build();
        _provider.MapGet("/.well-known/openid-configuration", () =>
        {
            Interlocked.Increment(ref _metadataRequests);
            return Results.Json(new
            {
                issuer = Issuer,
                jwks_uri = Issuer + "/protocol/openid-connect/certs",
                authorization_endpoint = Issuer + "/protocol/openid-connect/auth",
                token_endpoint = Issuer + "/protocol/openid-connect/token",
                id_token_signing_alg_values_supported = new[] { "RS256" },
            });
        });
        _provider.MapGet("/protocol/openid-connect/certs", () =>
        {
            Interlocked.Increment(ref _keyRequests);
            var key = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(RSA.Create(_signingKey.ExportParameters(false))) { KeyId = KeyId });
            return Results.Json(new { keys = new[] { new { kty = key.Kty, kid = key.Kid, n = key.N, e = key.E, use = "sig", alg = "RS256" } } });
        });
        await _provider.StartAsync(Ct);
        Issuer = _provider.Urls.Single().TrimEnd('/');
    }

    public async ValueTask DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }

        _signingKey.Dispose();
    }

    [Fact]
    public async Task A_token_of_the_provider_signs_in_with_keys_from_its_discovery_metadata()
    {
        await using var server = await StartPlatformAsync();

        using var answer = await SendWithAsync(server, Jwt(Issuer, Audience, TwinServer.Now.AddMinutes(30)));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var me = JsonDocument.Parse(await answer.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal("analist", me.GetProperty("rol").GetString());
        Assert.True(_metadataRequests >= 1, "the platform did not read the discovery document");
        Assert.True(_keyRequests >= 1, "the platform did not fetch the jwks_uri");
    }

    [Fact]
    public async Task A_wrong_issuer_a_wrong_audience_an_expired_token_and_an_unknown_key_are_401()
    {
        await using var server = await StartPlatformAsync();
        using var unknownKey = RSA.Create(2048);
        var cases = new Dictionary<string, (string Token, string Reason)>
        {
            ["wrong issuer"] = (Jwt("https://login.andere-gemeente.example", Audience, TwinServer.Now.AddMinutes(30)), "issued by the configured identity provider"),
            ["wrong audience"] = (Jwt(Issuer, "een-andere-applicatie", TwinServer.Now.AddMinutes(30)), "audience"),
            ["expired"] = (Jwt(Issuer, Audience, TwinServer.Now.AddMinutes(-10)), "expired"),
            ["unknown key"] = (Jwt(Issuer, Audience, TwinServer.Now.AddMinutes(30), unknownKey, "onbekend"), "signature"),
        };

        foreach (var (name, (token, reason)) in cases)
        {
            using var answer = await SendWithAsync(server, token);
            Assert.True(answer.StatusCode == HttpStatusCode.Unauthorized, $"{name}: {answer.StatusCode}");
            Assert.Contains("invalid_token", answer.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            var detail = JsonDocument.Parse(await answer.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("detail").GetString();
            Assert.Contains(reason, detail, StringComparison.Ordinal);
        }

        // The good token still signs in after the refusals: refusing did not break the cached metadata.
        using var good = await SendWithAsync(server, Jwt(Issuer, Audience, TwinServer.Now.AddMinutes(30)));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
    }

    private Task<TwinServer> StartPlatformAsync() => TwinServer.StartAsync(_ => Task.CompletedTask, new Dictionary<string, string?>
    {
        ["Tweeling:Identity:Oidc:Issuer"] = Issuer,
        ["Tweeling:Identity:Oidc:Audience"] = Audience,
        ["Tweeling:Identity:Oidc:Authority"] = Issuer,

        // The test provider listens on plain HTTP on the loopback address.
        ["Tweeling:Identity:Oidc:RequireHttpsMetadata"] = "false",
    });

    private string Jwt(string issuer, string audience, DateTimeOffset expires, RSA? key = null, string keyId = KeyId) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = issuer,
        Audience = audience,
        IssuedAt = expires.AddHours(-1).UtcDateTime,
        NotBefore = expires.AddHours(-1).UtcDateTime,
        Expires = expires.UtcDateTime,
        Claims = new Dictionary<string, object> { ["sub"] = "b71e04", ["roles"] = "analist" },
        SigningCredentials = new SigningCredentials(new RsaSecurityKey(key ?? _signingKey) { KeyId = keyId }, SecurityAlgorithms.RsaSha256),
    });

    private static async Task<HttpResponseMessage> SendWithAsync(TwinServer server, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/ik");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        return await server.Client.SendAsync(request, Ct);
    }
}
