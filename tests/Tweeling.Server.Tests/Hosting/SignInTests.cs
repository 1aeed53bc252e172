using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tweeling.Domain.Identity;
using Tweeling.Governance.Identity;
using Tweeling.TestSupport;

namespace Tweeling.Server.Tests.Hosting;

/// <summary>
/// Sign-in over real HTTP: API tokens, HTTP Basic, an identity provider's JWTs signed with a test RSA key (its
/// public key given as a JWKS file, so no network), the purpose header, and the roles that may write.
/// </summary>
public sealed class SignInTests : IAsyncDisposable
{
    private const string Issuer = "https://login.gemeente.example";
    private const string Audience = "tweeling";
    private const string Observation = """{"result": 1, "phenomenonTime": "2025-03-01T11:00:00Z", "Datastream": {"@iot.id": 1}}""";

    private readonly TempDirectory _keys = new();
    private readonly RSA _signingKey = RSA.Create(2048);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        _signingKey.Dispose();
        _keys.Dispose();
        await ValueTask.CompletedTask;
    }

    [Fact]
    public async Task An_anonymous_write_is_401_and_a_role_that_may_not_write_is_403_and_nothing_is_stored()
    {
        await using var server = await TwinServer.StartAsync(_ => Task.CompletedTask);
        using var analist = await server.ClientAsAsync("analist");

        using var anonymous = await PostAsync(server.Client, "/sta/v1.1/Things", """{"name": "x", "description": "y"}""");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("Bearer", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal("/problems/unauthorized", await ProblemTypeAsync(anonymous));

        using var forbidden = await PostAsync(analist, "/sta/v1.1/Things", """{"name": "x", "description": "y"}""");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("/problems/forbidden", await ProblemTypeAsync(forbidden));

        foreach (var path in new[] { "/sta/v1.1/$batch", "/sta/v1.1/CreateObservations", "/sta/v1.1/Observations" })
        {
            using var refused = await PostAsync(server.Client, path, Observation);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var delete = await server.Client.DeleteAsync("/sta/v1.1/Things(1)", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, delete.StatusCode);
        Assert.Empty((await server.GetJsonAsync("/sta/v1.1/Things")).GetProperty("value").EnumerateArray());

        using var created = await PostAsync(server.Writer, "/sta/v1.1/Things", """{"name": "x", "description": "y"}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Fact]
    public async Task Ik_shows_the_role_pseudonym_and_purpose_and_bad_tokens_are_refused_even_on_reads()
    {
        await using var server = await TwinServer.StartAsync(_ => Task.CompletedTask);
        var (user, token) = await TwinServer.AccountWithTokenAsync(server.Store, "datasteward");
        var account = (await server.Store.Identity.FindAccountAsync(user, Ct))!;

        var anonymous = await server.GetJsonAsync("/api/v1/ik");
        Assert.Equal("publiek", anonymous.GetProperty("rol").GetString());
        Assert.False(anonymous.GetProperty("aangemeld").GetBoolean());

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/ik");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("X-Tweeling-Doel", "leefbaarheidsmonitor");
        using var response = await server.Client.SendAsync(request, Ct);
        var ik = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal("datasteward", ik.GetProperty("rol").GetString());
        Assert.Equal(account.Id, ik.GetProperty("pseudoniem").GetString());
        Assert.Equal("leefbaarheidsmonitor", ik.GetProperty("doel").GetString());
        Assert.DoesNotContain(user, ik.ToString(), StringComparison.Ordinal);

        foreach (var bad in new[] { "Bearer twl_unknown", "Bearer " + token + "x", "Digest abc", "Basic !!!" })
        {
            using var refused = new HttpRequestMessage(HttpMethod.Get, "/api/v1/datasets");
            refused.Headers.TryAddWithoutValidation("Authorization", bad);
            using var answer = await server.Client.SendAsync(refused, Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
            Assert.NotEmpty(answer.Headers.WwwAuthenticate);
            Assert.Equal("/problems/unauthorized", await ProblemTypeAsync(answer));
        }
    }

    [Fact]
    public async Task A_revoked_or_expired_token_and_a_disabled_account_no_longer_sign_in()
    {
        await using var server = await TwinServer.StartAsync(_ => Task.CompletedTask);
        var (user, token) = await TwinServer.AccountWithTokenAsync(server.Store, "medewerker");
        Assert.Equal("medewerker", await RoleWithAsync(server, "Bearer " + token));

        Assert.True(await server.Store.Identity.SetDisabledAsync(user, true, Ct));
        Assert.Null(await RoleWithAsync(server, "Bearer " + token));
        Assert.True(await server.Store.Identity.SetDisabledAsync(user, false, Ct));

        var account = (await server.Store.Identity.FindAccountAsync(user, Ct))!;
        var (expiring, secret) = ApiToken.Create(account.Id, "kort", TwinServer.Now, TwinServer.Now.AddHours(1));
        await server.Store.Identity.AddTokenAsync(expiring, ApiToken.HashOf(secret), Ct);
        Assert.Equal("medewerker", await RoleWithAsync(server, "Bearer " + secret));
        server.Time.Advance(TimeSpan.FromHours(2));
        Assert.Null(await RoleWithAsync(server, "Bearer " + secret));

        var tokenId = (await server.Store.Identity.ListTokensAsync(account.Id, Ct)).Single(t => t.Id != expiring.Id).Id;
        Assert.True(await server.Store.Identity.RevokeTokenAsync(tokenId, TwinServer.Now, Ct));
        Assert.Null(await RoleWithAsync(server, "Bearer " + token));
    }

    [Fact]
    public async Task Basic_signs_in_with_the_password_and_a_wrong_password_answers_as_an_unknown_user()
    {
        await using var server = await TwinServer.StartAsync(_ => Task.CompletedTask);
        const string Password = "correct horse battery staple";
        Assert.True(await server.Store.Identity.AddAccountAsync(Account.Create("jansen", "beheerder", PasswordHasher.Hash(Password), TwinServer.Now), Ct));

        Assert.Equal("beheerder", await RoleWithAsync(server, Basic("jansen", Password)));
        using var wrongPassword = await SendWithAsync(server, Basic("jansen", "wrong horse battery staple"));
        using var unknownUser = await SendWithAsync(server, Basic("pietersen", Password));
        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownUser.StatusCode);
        Assert.Equal(await DetailAsync(wrongPassword), await DetailAsync(unknownUser));
        Assert.Equal(wrongPassword.Headers.WwwAuthenticate.ToString(), unknownUser.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_password_hash_of_older_parameters_signs_in_and_is_upgraded_to_the_current_ones()
    {
        await using var server = await TwinServer.StartAsync(_ => Task.CompletedTask);
        const string Password = "correct horse battery staple";
        var salt = RandomNumberGenerator.GetBytes(16);
        var key = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(Password), salt, 100_000, HashAlgorithmName.SHA256, 32);
        var older = $"pbkdf2-sha256$100000${Convert.ToBase64String(salt)}${Convert.ToBase64String(key)}";
        Assert.True(await server.Store.Identity.AddAccountAsync(Account.Create("jansen", "beheerder", older, TwinServer.Now), Ct));

        using var wrong = await SendWithAsync(server, Basic("jansen", "wrong horse battery staple"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(older, (await server.Store.Identity.FindAccountAsync("jansen", Ct))!.PasswordHash);

        Assert.Equal("beheerder", await RoleWithAsync(server, Basic("jansen", Password)));
        var upgraded = (await server.Store.Identity.FindAccountAsync("jansen", Ct))!.PasswordHash!;
        Assert.StartsWith($"pbkdf2-sha256${PasswordHasher.Iterations}$", upgraded, StringComparison.Ordinal);
        Assert.False(PasswordHasher.NeedsRehash(upgraded));
        Assert.Equal("beheerder", await RoleWithAsync(server, Basic("jansen", Password)));
    }

    [Fact]
    public async Task An_identity_provider_token_signs_in_with_its_mapped_role_and_bad_ones_are_401()
    {
        await using var server = await TwinServer.StartAsync(_ => Task.CompletedTask, await OidcSettingsAsync());

        Assert.Equal("medewerker", await RoleWithAsync(server, "Bearer " + Jwt(Audience, TwinServer.Now.AddMinutes(30), "Tweeling.Sensorbeheer")));
        Assert.Equal("analist", await RoleWithAsync(server, "Bearer " + Jwt(Audience, TwinServer.Now.AddMinutes(30), "analist")));
        Assert.Equal("publiek", await RoleWithAsync(server, "Bearer " + Jwt(Audience, TwinServer.Now.AddMinutes(30), "onbekend")));

        using var otherKey = RSA.Create(2048);
        foreach (var bad in new[]
        {
            Jwt(Audience, TwinServer.Now.AddMinutes(-10), "medewerker"),
            Jwt("een-andere-applicatie", TwinServer.Now.AddMinutes(30), "medewerker"),
            Jwt(Audience, TwinServer.Now.AddMinutes(30), "medewerker", otherKey),
        })
        {
            using var answer = await SendWithAsync(server, "Bearer " + bad);
            Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
            Assert.Contains("invalid_token", answer.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            Assert.Equal("/problems/unauthorized", await ProblemTypeAsync(answer));
        }
    }

    private async Task<IReadOnlyDictionary<string, string?>> OidcSettingsAsync()
    {
        var jwks = _keys.File("jwks.json");
        var key = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(RSA.Create(_signingKey.ExportParameters(false))) { KeyId = "test" });
        await File.WriteAllTextAsync(jwks, JsonSerializer.Serialize(new { keys = new[] { new { kty = key.Kty, kid = key.Kid, n = key.N, e = key.E, use = "sig", alg = "RS256" } } }), Ct);
        return new Dictionary<string, string?>
        {
            ["Tweeling:Identity:Oidc:Issuer"] = Issuer,
            ["Tweeling:Identity:Oidc:Audience"] = Audience,
            ["Tweeling:Identity:Oidc:JwksFile"] = jwks,
            ["Tweeling:Identity:Oidc:Roles:Tweeling.Sensorbeheer"] = "medewerker",
        };
    }

    private string Jwt(string audience, DateTimeOffset expires, string role, RSA? key = null) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = audience,
        IssuedAt = expires.AddHours(-1).UtcDateTime,
        NotBefore = expires.AddHours(-1).UtcDateTime,
        Expires = expires.UtcDateTime,
        Claims = new Dictionary<string, object> { ["sub"] = "f3a9c2", ["roles"] = role },
        SigningCredentials = new SigningCredentials(new RsaSecurityKey(key ?? _signingKey) { KeyId = "test" }, SecurityAlgorithms.RsaSha256),
    });

    private static string Basic(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    private static async Task<HttpResponseMessage> SendWithAsync(TwinServer server, string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/ik");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return await server.Client.SendAsync(request, Ct);
    }

    /// <summary>The role <c>/api/v1/ik</c> gives with <paramref name="authorization"/>, or <c>null</c> when it is refused with 401.</summary>
    private static async Task<string?> RoleWithAsync(TwinServer server, string authorization)
    {
        using var response = await SendWithAsync(server, authorization);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            return null;
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("rol").GetString();
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Ct);

    private static async Task<string?> DetailAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("detail").GetString();

    private static async Task<string?> ProblemTypeAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("type").GetString();
    }
}
