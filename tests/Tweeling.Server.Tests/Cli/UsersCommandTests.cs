using Tweeling.TestSupport;

namespace Tweeling.Server.Tests.Cli;

/// <summary><c>tweeling users</c> as an administrator runs it: the password from standard input, tokens shown once.</summary>
public sealed class UsersCommandTests : IDisposable
{
    private readonly TempDirectory _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Users_add_list_token_revoke_and_disable_work_and_no_secret_is_stored_or_listed()
    {
        var added = await RunWithInputAsync("correct horse battery staple\n", "users", "add", "beheer", "--role", "beheerder");
        Assert.True(added.Code == 0, added.Error);

        var token = await TweelingProcess.RunAsync(_work.Path, "users", "token", "add", "beheer", "--name", "script");
        Assert.True(token.Code == 0, token.Error);
        var secret = token.Output.Trim();
        Assert.StartsWith("twl_", secret, StringComparison.Ordinal);

        var users = await TweelingProcess.RunAsync(_work.Path, "users", "list");
        Assert.Contains("beheer", users.Output, StringComparison.Ordinal);
        Assert.Contains("beheerder", users.Output, StringComparison.Ordinal);
        var tokens = await TweelingProcess.RunAsync(_work.Path, "users", "token", "list");
        Assert.Contains("script", tokens.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, tokens.Output, StringComparison.Ordinal);

        // Neither the token nor the password is in the store file, in any form a search would find.
        var file = await File.ReadAllBytesAsync(Path.Combine(_work.Path, "var", "tweeling.db"), TestContext.Current.CancellationToken);
        var text = System.Text.Encoding.UTF8.GetString(file);
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain("correct horse", text, StringComparison.Ordinal);

        var id = token.Error.Split(' ').First(w => w.StartsWith("tok_", StringComparison.Ordinal));
        Assert.Equal(0, (await TweelingProcess.RunAsync(_work.Path, "users", "token", "revoke", id)).Code);
        Assert.Equal(2, (await TweelingProcess.RunAsync(_work.Path, "users", "token", "revoke", id)).Code);
        Assert.Equal(0, (await TweelingProcess.RunAsync(_work.Path, "users", "disable", "beheer")).Code);
        Assert.Contains("disabled", (await TweelingProcess.RunAsync(_work.Path, "users", "list")).Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kort\n", "at least 15 characters")]
    [InlineData("", "no password on standard input")]
    public async Task A_short_or_missing_password_is_refused_and_no_account_is_made(string input, string expected)
    {
        var added = await RunWithInputAsync(input, "users", "add", "beheer", "--role", "beheerder");

        Assert.Equal(2, added.Code);
        Assert.Contains(expected, added.Error, StringComparison.Ordinal);
        Assert.Contains("no accounts", (await TweelingProcess.RunAsync(_work.Path, "users", "list")).Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("users", "add", "Beheer", "--role", "beheerder", "--no-password", "not a valid user name")]
    [InlineData("users", "add", "beheer", "--role", "publiek", "--no-password", "--role must be one of")]
    [InlineData("users", "passwd", "niemand", "", "", "", "there is no account 'niemand'")]
    public async Task Bad_arguments_are_errors_that_say_what_is_wrong(string a, string b, string c, string d, string e, string f, string expected)
    {
        var added = await RunWithInputAsync("correct horse battery staple\n", [.. new[] { a, b, c, d, e, f }.Where(x => x.Length > 0)]);

        Assert.Equal(2, added.Code);
        Assert.Contains(expected, added.Error, StringComparison.Ordinal);
    }

    private Task<(int Code, string Output, string Error)> RunWithInputAsync(string input, params string[] arguments) =>
        TweelingProcess.RunWithInputAsync(_work.Path, input, arguments);
}
