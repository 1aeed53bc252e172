using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Tweeling.Domain.Audit;
using Tweeling.Domain.Identity;
using Tweeling.Governance.Identity;

namespace Tweeling.Server.Tests.Hosting;

/// <summary>
/// <c>POST /api/v1/sessies</c> over real HTTP: a password is swapped once for a short-lived API token, which then signs
/// in as the same account and role until it expires; the public role gets none, and each session is audited.
/// </summary>
public sealed class SessionTests
{
    private const string Password = "correct horse battery staple";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_password_is_swapped_for_a_token_that_signs_in_as_the_same_account_until_it_expires()
    {
        await using var server = await TwinServer.StartAsync(_ => Task.CompletedTask);
        var account = Account.Create("de-vries", "analist", PasswordHasher.Hash(Password), TwinServer.Now);
        Assert.True(await server.Store.Identity.AddAccountAsync(account, Ct));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/sessies");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"de-vries:{Password}")));
        using var created = await server.Client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var session = JsonDocument.Parse(await created.Content.ReadAsStringAsync(Ct)).RootElement;
        var token = session.GetProperty("token").GetString()!;
        var id = session.GetProperty("id").GetString()!;
        Assert.StartsWith(ApiToken.Prefix, token, StringComparison.Ordinal);
        Assert.Equal(TwinServer.Now.AddHours(8), session.GetProperty("verlooptOp").GetDateTimeOffset());
        Assert.EndsWith("/api/v1/sessies/" + id, created.Headers.Location!.ToString(), StringComparison.Ordinal);

        // The token is an ordinary, listed token of the account, and the session is in the audit log (never its secret).
        var tokens = await server.Store.Identity.ListTokensAsync(account.Id, Ct);
        Assert.Equal(id, Assert.Single(tokens).Id);
        var records = new List<AuditRecord>();
        await foreach (var record in server.Store.Audit.ReadAsync(new AuditFilter(Subject: account.Id, Action: "create"), Ct))
        {
            records.Add(record);
        }

        var recorded = Assert.Single(records).Entry;
        Assert.Contains(id, recorded.Resource, StringComparison.Ordinal);
        Assert.DoesNotContain(token, recorded.Resource, StringComparison.Ordinal);

        var ik = await IkAsync(server, token);
        Assert.Equal(HttpStatusCode.OK, ik.Status);
        Assert.Equal("analist", ik.Body!.Value.GetProperty("rol").GetString());
        Assert.Equal(account.Id, ik.Body.Value.GetProperty("pseudoniem").GetString());

        server.Time.Advance(TimeSpan.FromHours(8));
        Assert.Equal(HttpStatusCode.Unauthorized, (await IkAsync(server, token)).Status);
    }

    [Fact]
    public async Task Signing_out_revokes_the_own_session_and_another_accounts_session_is_not_found()
    {
        await using var server = await TwinServer.StartAsync(_ => Task.CompletedTask);
        using var owner = await server.ClientAsAsync("medewerker");
        using var other = await server.ClientAsAsync("beheerder");
        using var created = await owner.PostAsync("/api/v1/sessies", null, Ct);
        var session = JsonDocument.Parse(await created.Content.ReadAsStringAsync(Ct)).RootElement;
        var (id, token) = (session.GetProperty("id").GetString()!, session.GetProperty("token").GetString()!);

        using var notTheirs = await other.DeleteAsync("/api/v1/sessies/" + id, Ct);
        Assert.Equal(HttpStatusCode.NotFound, notTheirs.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await IkAsync(server, token)).Status);

        using var anonymous = await server.Client.DeleteAsync("/api/v1/sessies/" + id, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var ended = await owner.DeleteAsync("/api/v1/sessies/" + id, Ct);
        Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await IkAsync(server, token)).Status);
        using var again = await owner.DeleteAsync("/api/v1/sessies/" + id, Ct);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task The_public_role_gets_no_session_and_a_session_token_can_make_another_one()
    {
        await using var server = await TwinServer.StartAsync(_ => Task.CompletedTask);
        using var anonymous = await server.Client.PostAsync("/api/v1/sessies", null, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);

        // Signed in with an API token, the caller may renew: the new token belongs to the same account.
        using var medewerker = await server.ClientAsAsync("medewerker");
        using var renewed = await medewerker.PostAsync("/api/v1/sessies", null, Ct);
        Assert.Equal(HttpStatusCode.Created, renewed.StatusCode);
        var token = JsonDocument.Parse(await renewed.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("token").GetString()!;
        var before = JsonDocument.Parse(await medewerker.GetStringAsync("/api/v1/ik", Ct)).RootElement.GetProperty("pseudoniem").GetString();
        Assert.Equal(before, (await IkAsync(server, token)).Body!.Value.GetProperty("pseudoniem").GetString());

        using var unknownParameter = await medewerker.PostAsync("/api/v1/sessies?duur=99", null, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknownParameter.StatusCode);
    }

    private static async Task<(HttpStatusCode Status, JsonElement? Body)> IkAsync(TwinServer server, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/ik");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await server.Client.SendAsync(request, Ct);
        return (response.StatusCode, response.IsSuccessStatusCode ? JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone() : null);
    }
}
