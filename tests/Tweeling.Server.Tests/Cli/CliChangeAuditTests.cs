using System.Text.Json;
using Tweeling.Domain.Audit;
using Tweeling.Server.Cli;
using Tweeling.Server.Hosting;
using Tweeling.Storage.Sqlite;
using Tweeling.TestSupport;

namespace Tweeling.Server.Tests.Cli;

/// <summary>
/// Every change made with the command line — accounts, passwords and API tokens (<c>tweeling users</c>), reviews
/// (<c>tweeling reviews add|decide</c>) and algorithm switches (<c>tweeling algoritmes enable|disable</c>) — is
/// appended to the audit log in the change's own transaction, as the API's writes are: who (the command-line
/// operator), role, what, when. A refused change records nothing, no password or token secret is recorded, and
/// <c>tweeling audit verify</c> still finds the chain intact. Run as the real executable.
/// </summary>
public sealed class CliChangeAuditTests : IDisposable
{
    private const string Password = "correct horse battery staple";
    private const string NewPassword = "a different long passphrase";
    private readonly TempDirectory _work = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Store => _work.File("twin.db");

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Users_passwords_and_tokens_changed_on_the_command_line_are_audited_without_secrets()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        Assert.Equal(0, (await RunWithInputAsync(Password + "\n", "users", "add", "beheer", "--role", "beheerder")).Code);
        Assert.Equal(0, (await RunWithInputAsync(NewPassword + "\n", "users", "passwd", "beheer")).Code);
        var token = await RunAsync("users", "token", "add", "beheer", "--name", "script");
        Assert.True(token.Code == 0, token.Error);
        var tokenId = token.Error.Split(' ').First(w => w.StartsWith("tok_", StringComparison.Ordinal));
        Assert.Equal(0, (await RunAsync("users", "token", "revoke", tokenId)).Code);
        Assert.Equal(0, (await RunAsync("users", "disable", "beheer")).Code);
        Assert.Equal(0, (await RunAsync("users", "enable", "beheer")).Code);

        // Refused changes: nothing happened, so nothing is recorded.
        Assert.Equal(2, (await RunAsync("users", "token", "revoke", tokenId)).Code);
        Assert.Equal(2, (await RunWithInputAsync(NewPassword + "\n", "users", "passwd", "niemand")).Code);
        Assert.Equal(2, (await RunWithInputAsync(Password + "\n", "users", "add", "beheer", "--role", "analist")).Code);

        var accountId = await AccountIdAsync("beheer");
        var records = await RecordsAsync();
        Assert.Equal(
            [
                ("create", $"tweeling users add: account {accountId} as beheerder", "accounts"),
                ("update", $"tweeling users passwd: account {accountId}", "accounts"),
                ("create", $"tweeling users token add: token {tokenId} of account {accountId}", "tokens"),
                ("update", $"tweeling users token revoke: token {tokenId}", "tokens"),
                ("update", $"tweeling users disable: account {accountId}", "accounts"),
                ("update", $"tweeling users enable: account {accountId}", "accounts"),
            ],
            records.Select(r => (r.Entry.Action, r.Entry.Resource, r.Entry.ResultUnit)));
        AssertMadeByTheCommandLine(records, before);
        var logged = JsonSerializer.Serialize(records);
        Assert.DoesNotContain(Password, logged, StringComparison.Ordinal);
        Assert.DoesNotContain(NewPassword, logged, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Output.Trim(), logged, StringComparison.Ordinal);
        await AssertIntactAsync(6);
    }

    [Fact]
    public async Task Reviews_and_algorithm_switches_changed_on_the_command_line_are_audited()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var added = await RunAsync("reviews", "add", "--kind", "ethische-commissie", "--subject", "algoritme/drempelalarmen", "--reviewer", "ec-03:ethische-commissie", "--submit");
        Assert.True(added.Code == 0, added.Error);
        Assert.Equal(2, (await RunAsync("reviews", "decide", "1", "--status", "goedgekeurd", "--reviewer", "ds-17:datasteward")).Code);
        var decided = await RunAsync("reviews", "decide", "1", "--status", "goedgekeurd", "--reviewer", "ec-03:ethische-commissie", "--valid-until", "2099-01-01");
        Assert.True(decided.Code == 0, decided.Error);
        Assert.Equal(0, (await RunAsync("algoritmes", "disable", "demo-sensorfeed", "--by", "beheer-01")).Code);
        Assert.Equal(0, (await RunAsync("algoritmes", "enable", "demo-sensorfeed", "--by", "beheer-01")).Code);
        Assert.Equal(2, (await RunAsync("algoritmes", "enable", "onbekend", "--by", "beheer-01")).Code);

        var records = await RecordsAsync();
        Assert.Equal(
            [
                ("create", "tweeling reviews add: ethische-commissie of algoritme/drempelalarmen", "reviews"),
                ("update", "tweeling reviews decide: review 1 goedgekeurd", "reviews"),
                ("update", "tweeling algoritmes disable: demo-sensorfeed", "algorithms"),
                ("update", "tweeling algoritmes enable: demo-sensorfeed", "algorithms"),
            ],
            records.Select(r => (r.Entry.Action, r.Entry.Resource, r.Entry.ResultUnit)));
        AssertMadeByTheCommandLine(records, before);
        await AssertIntactAsync(4);
    }

    private static void AssertMadeByTheCommandLine(List<AuditRecord> records, DateTimeOffset before)
    {
        var after = DateTimeOffset.UtcNow.AddSeconds(1);
        Assert.All(records, r => Assert.Equal(("cli", "beheerder", (string?)null, AuditEntry.Ok), (r.Entry.Subject, r.Entry.Role, r.Entry.Purpose, r.Entry.Outcome)));
        Assert.All(records, r => Assert.InRange(r.Entry.Time, before, after));
    }

    private async Task AssertIntactAsync(int count)
    {
        var verified = await RunAsync("audit", "verify");
        Assert.True(verified.Code == 0, verified.Error);
        Assert.Contains($"is intact: {count} records", verified.Output, StringComparison.Ordinal);
        Assert.NotEqual(AuditCommand.Tampered, verified.Code);
    }

    private async Task<List<AuditRecord>> RecordsAsync()
    {
        await using var store = await SqliteTwinStore.OpenAsync(Store, TwinHost.GeometryServices, Ct);
        return await store.Audit.ReadAsync(AuditFilter.All, Ct).ToListAsync(Ct);
    }

    private async Task<string> AccountIdAsync(string userName)
    {
        await using var store = await SqliteTwinStore.OpenAsync(Store, TwinHost.GeometryServices, Ct);
        return (await store.Identity.FindAccountAsync(userName, Ct))!.Id;
    }

    private Task<(int Code, string Output, string Error)> RunAsync(params string[] arguments) =>
        TweelingProcess.RunAsync(_work.Path, [.. arguments, "--store", Store]);

    private Task<(int Code, string Output, string Error)> RunWithInputAsync(string input, params string[] arguments) =>
        TweelingProcess.RunWithInputAsync(_work.Path, input, [.. arguments, "--store", Store]);
}
