using System.Net;
using System.Text;
using System.Text.Json;
using Tweeling.Domain.Audit;
using Tweeling.Domain.Identity;
using Tweeling.Governance.Identity;

namespace Tweeling.Server.Tests.Hosting;

/// <summary>
/// Per-user-name password lockout over real HTTP Basic: after the configured number of wrong passwords within the
/// window, further attempts — the right password included — are 429 with Retry-After until the window has passed on
/// the server's clock (a FakeTimeProvider here). An unknown user name gets exactly the same answers, so the lockout
/// tells nothing about which accounts exist; every refusal is in the audit log, without the password.
/// </summary>
public sealed class SignInLockoutTests
{
    private const string Password = "correct horse battery staple";
    private const string WrongPassword = "wrong horse battery staple!";

    private static readonly Dictionary<string, string?> s_threeIn10Minutes = new()
    {
        ["Tweeling:Identity:Lockout:MaxFailures"] = "3",
        ["Tweeling:Identity:Lockout:Window"] = "00:10:00",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void The_default_is_10_failures_in_15_minutes()
    {
        Assert.Equal(10, SignInLockout.DefaultMaxFailures);
        Assert.Equal(TimeSpan.FromMinutes(15), SignInLockout.DefaultWindow);
    }

    [Fact]
    public async Task Wrong_passwords_lock_the_user_name_out_with_429_until_the_window_has_passed()
    {
        await using var server = await TwinServer.StartAsync(_ => Task.CompletedTask, s_threeIn10Minutes);
        var account = Account.Create("jansen", "analist", PasswordHasher.Hash(Password), TwinServer.Now);
        Assert.True(await server.Store.Identity.AddAccountAsync(account, Ct));

        for (var i = 0; i < 3; i++)
        {
            using var wrong = await SendAsync(server, "jansen", WrongPassword);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            server.Time.Advance(TimeSpan.FromMinutes(1));
        }

        // Locked: even the right password is refused, and Retry-After says when the first failure leaves the window.
        using (var locked = await SendAsync(server, "jansen", Password))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
            Assert.Equal(TimeSpan.FromMinutes(7), locked.Headers.RetryAfter?.Delta);
            Assert.Equal("/problems/too-many-requests", (await ProblemAsync(locked)).GetProperty("type").GetString());
        }

        // Another account is not affected.
        Assert.True(await server.Store.Identity.AddAccountAsync(Account.Create("pietersen", "analist", PasswordHasher.Hash(Password), TwinServer.Now), Ct));
        using (var other = await SendAsync(server, "pietersen", Password))
        {
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        }

        server.Time.Advance(TimeSpan.FromMinutes(7) - TimeSpan.FromSeconds(1));
        using (var stillLocked = await SendAsync(server, "jansen", Password))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, stillLocked.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), stillLocked.Headers.RetryAfter?.Delta);
        }

        server.Time.Advance(TimeSpan.FromSeconds(1));
        using (var signedIn = await SendAsync(server, "jansen", Password))
        {
            Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        }

        var refusals = await server.Store.Audit.ReadAsync(new AuditFilter(Action: SignIn.FailedAction), Ct).ToListAsync(Ct);
        Assert.Equal(
            [SignIn.DeniedOutcome, SignIn.DeniedOutcome, SignIn.DeniedOutcome, SignIn.LockedOutcome, SignIn.LockedOutcome],
            refusals.Select(r => r.Entry.Outcome));
        Assert.All(refusals.Take(3), r => Assert.Equal(account.Id, r.Entry.Subject));
        Assert.All(refusals, r => Assert.Equal("publiek", r.Entry.Role));
        var everything = JsonSerializer.Serialize(await server.Store.Audit.ReadAsync(AuditFilter.All, Ct).ToListAsync(Ct));
        Assert.DoesNotContain(WrongPassword, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_user_name_is_locked_out_with_the_same_answers_as_a_real_account()
    {
        await using var server = await TwinServer.StartAsync(_ => Task.CompletedTask, s_threeIn10Minutes);
        Assert.True(await server.Store.Identity.AddAccountAsync(Account.Create("jansen", "analist", PasswordHasher.Hash(Password), TwinServer.Now), Ct));

        var known = new List<(HttpStatusCode, string?, string?)>();
        var unknown = new List<(HttpStatusCode, string?, string?)>();
        for (var i = 0; i < 5; i++)
        {
            known.Add(await AnswerAsync(server, "jansen"));
            unknown.Add(await AnswerAsync(server, "bestaat-niet"));
        }

        Assert.Equal(known, unknown);
        Assert.Equal(
            [HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests],
            known.Select(a => a.Item1));
    }

    [Fact]
    public async Task A_right_password_before_the_limit_clears_the_earlier_failures()
    {
        await using var server = await TwinServer.StartAsync(_ => Task.CompletedTask, s_threeIn10Minutes);
        Assert.True(await server.Store.Identity.AddAccountAsync(Account.Create("jansen", "analist", PasswordHasher.Hash(Password), TwinServer.Now), Ct));

        foreach (var password in new[] { WrongPassword, WrongPassword, Password, WrongPassword, WrongPassword, Password })
        {
            using var answer = await SendAsync(server, "jansen", password);
            Assert.Equal(password == Password ? HttpStatusCode.OK : HttpStatusCode.Unauthorized, answer.StatusCode);
        }
    }

    /// <summary>Status, detail and Retry-After of a wrong password for <paramref name="userName"/>.</summary>
    private static async Task<(HttpStatusCode, string?, string?)> AnswerAsync(TwinServer server, string userName)
    {
        using var answer = await SendAsync(server, userName, WrongPassword);
        return (answer.StatusCode, (await ProblemAsync(answer)).GetProperty("detail").GetString(), answer.Headers.RetryAfter?.ToString());
    }

    private static async Task<HttpResponseMessage> SendAsync(TwinServer server, string userName, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/ik");
        request.Headers.TryAddWithoutValidation("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{userName}:{password}")));
        return await server.Client.SendAsync(request, Ct);
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
}
