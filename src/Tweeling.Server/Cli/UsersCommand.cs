using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Tweeling.Domain.Audit;
using Tweeling.Domain.Identity;
using Tweeling.Domain.Ports;
using Tweeling.Governance.Audit;
using Tweeling.Governance.Identity;

namespace Tweeling.Server.Cli;

/// <summary>
/// <c>tweeling users add|list|disable|enable|passwd|token add|token list|token revoke</c>: the local accounts
/// and API tokens of the embedded identity store. A password is read from standard input (one line) or, at a
/// terminal, asked for without echo; never from the command line, where it would land in the shell history and
/// the process list. A new API token is printed once and only its SHA-256 is stored.
/// </summary>
internal static class UsersCommand
{
    private static readonly Argument<string> s_user = new("user") { Description = "The user name: lowercase letters, digits, '.', '_' or '-'." };

    private static readonly Option<string?> s_role = new("--role")
    {
        Description = $"The account's role: {string.Join(", ", RoleNames.SignedIn)}.",
    };

    private static readonly Option<bool> s_noPassword = new("--no-password")
    {
        Description = "An account without a password, that signs in with API tokens only (a sensor partner's gateway).",
    };

    private static readonly Option<string?> s_tokenName = new("--name") { Description = "What the token is for, e.g. \"gateway Grote Markt\"." };

    private static readonly Option<int?> s_expiresDays = new("--expires-days") { Description = "The token stops working after this many days (1 to 3660); default: it does not expire." };

    private static readonly Option<string?> s_tokenUser = new("--user") { Description = "Only the tokens of this user." };

    private static readonly Argument<string> s_tokenId = new("id") { Description = "The token's id (tok_…), as 'tweeling users token list' shows it." };

    public static Command Create()
    {
        var add = new Command("add", "Add an account. Its password is read from standard input, or asked for at a terminal.") { s_user, s_role, s_noPassword };
        add.SetAction((result, cancellationToken) => AddAsync(result.GetValue(TweelingCli.Store)!, result.GetValue(s_user)!, result.GetValue(s_role), result.GetValue(s_noPassword), cancellationToken));

        var list = new Command("list", "List the accounts with their roles.");
        list.SetAction((result, cancellationToken) => ListAsync(result.GetValue(TweelingCli.Store)!, cancellationToken));

        var disable = new Command("disable", "Disable an account: neither its password nor its tokens sign in any more.") { s_user };
        disable.SetAction((result, cancellationToken) => SetDisabledAsync(result.GetValue(TweelingCli.Store)!, result.GetValue(s_user)!, true, cancellationToken));

        var enable = new Command("enable", "Enable a disabled account again.") { s_user };
        enable.SetAction((result, cancellationToken) => SetDisabledAsync(result.GetValue(TweelingCli.Store)!, result.GetValue(s_user)!, false, cancellationToken));

        var passwd = new Command("passwd", "Set an account's password, read from standard input or asked for at a terminal.") { s_user };
        passwd.SetAction((result, cancellationToken) => PasswdAsync(result.GetValue(TweelingCli.Store)!, result.GetValue(s_user)!, cancellationToken));

        var tokenAdd = new Command("add", "Make an API token for an account and print it once; only its hash is kept.") { s_user, s_tokenName, s_expiresDays };
        tokenAdd.SetAction((result, cancellationToken) => AddTokenAsync(
            result.GetValue(TweelingCli.Store)!, result.GetValue(s_user)!, result.GetValue(s_tokenName), result.GetValue(s_expiresDays), cancellationToken));

        var tokenList = new Command("list", "List API tokens (never the tokens themselves): id, user, name, created, expires, last used, revoked.") { s_tokenUser };
        tokenList.SetAction((result, cancellationToken) => ListTokensAsync(result.GetValue(TweelingCli.Store)!, result.GetValue(s_tokenUser), cancellationToken));

        var tokenRevoke = new Command("revoke", "Revoke an API token: it never signs in again.") { s_tokenId };
        tokenRevoke.SetAction((result, cancellationToken) => RevokeTokenAsync(result.GetValue(TweelingCli.Store)!, result.GetValue(s_tokenId)!, cancellationToken));

        var token = new Command("token", "API tokens of accounts: 'Authorization: Bearer <token>', or the MQTT password.") { tokenAdd, tokenList, tokenRevoke };
        return new Command("users", "Local accounts and API tokens: who may sign in, in which role.") { add, list, disable, enable, passwd, token };
    }

    private static async Task<int> AddAsync(string storePath, string userName, string? roleName, bool noPassword, CancellationToken cancellationToken)
    {
        if (!Account.IsValidUserName(userName))
        {
            TweelingCli.Error($"user: '{userName}' is not a valid user name; use 1 to {Account.MaxUserNameLength} lowercase letters, digits, '.', '_' or '-', starting with a letter or digit.");
            return TweelingCli.UserError;
        }

        if (RoleNames.Parse(roleName) is not { } role || role == Governance.Access.Role.Publiek)
        {
            TweelingCli.Error($"--role must be one of {string.Join(", ", RoleNames.SignedIn)}; got '{roleName}'.");
            return TweelingCli.UserError;
        }

        string? hash = null;
        if (!noPassword)
        {
            if (ReadNewPassword() is not { } password)
            {
                return TweelingCli.UserError;
            }

            hash = PasswordHasher.Hash(password);
        }

        return await WithIdentitiesAsync(storePath, async (identities, path) =>
        {
            var account = Account.Create(userName, RoleNames.Name(role), hash, TimeProvider.System.GetUtcNow());
            if (!await identities.AddAccountAsync(account, Change(account.Created, "create", $"tweeling users add: account {account.Id} as {account.Role}", "accounts"), cancellationToken))
            {
                TweelingCli.Error($"user: there is already an account '{userName}' in {path}.");
                return TweelingCli.UserError;
            }

            Console.Out.WriteLine($"Added {RoleNames.Name(role)} '{userName}' ({account.Id}){(noPassword ? " without a password: make it an API token with 'tweeling users token add'" : "")}.");
            return 0;
        }, cancellationToken);
    }

    private static Task<int> ListAsync(string storePath, CancellationToken cancellationToken) => WithIdentitiesAsync(storePath, async (identities, path) =>
    {
        var accounts = await identities.ListAccountsAsync(cancellationToken);
        if (accounts.Count == 0)
        {
            Console.Out.WriteLine($"The store {path} has no accounts. Add the first beheerder with 'tweeling users add <name> --role beheerder'.");
            return 0;
        }

        var table = new Table().AddColumns("user", "id", "role", "password", "created", "status");
        foreach (var a in accounts)
        {
            table.AddRow(a.UserName, a.Id, a.Role, a.PasswordHash is null ? "no (tokens only)" : "yes", Format(a.Created), a.Disabled ? "disabled" : "active");
        }

        TweelingCli.Terminal.Write(table);
        return 0;
    }, cancellationToken);

    private static Task<int> SetDisabledAsync(string storePath, string userName, bool disabled, CancellationToken cancellationToken) =>
        WithIdentitiesAsync(storePath, async (identities, path) =>
        {
            // The record names the account by its id: a user name is often a person's name.
            if (await identities.FindAccountAsync(userName, cancellationToken) is not { } account ||
                !await identities.SetDisabledAsync(userName, disabled, Change(TimeProvider.System.GetUtcNow(), "update", $"tweeling users {(disabled ? "disable" : "enable")}: account {account.Id}", "accounts"), cancellationToken))
            {
                return NoSuchUser(userName, path);
            }

            Console.Out.WriteLine(disabled ? $"Disabled '{userName}': its password and tokens no longer sign in." : $"Enabled '{userName}'.");
            return 0;
        }, cancellationToken);

    private static async Task<int> PasswdAsync(string storePath, string userName, CancellationToken cancellationToken)
    {
        if (ReadNewPassword() is not { } password)
        {
            return TweelingCli.UserError;
        }

        var hash = PasswordHasher.Hash(password);
        return await WithIdentitiesAsync(storePath, async (identities, path) =>
        {
            if (await identities.FindAccountAsync(userName, cancellationToken) is not { } account ||
                !await identities.SetPasswordHashAsync(userName, hash, Change(TimeProvider.System.GetUtcNow(), "update", $"tweeling users passwd: account {account.Id}", "accounts"), cancellationToken))
            {
                return NoSuchUser(userName, path);
            }

            Console.Out.WriteLine($"Set the password of '{userName}'.");
            return 0;
        }, cancellationToken);
    }

    private static Task<int> AddTokenAsync(string storePath, string userName, string? name, int? expiresDays, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            TweelingCli.Error("--name is required: say what the token is for, e.g. --name \"gateway Grote Markt\".");
            return Task.FromResult(TweelingCli.UserError);
        }

        if (expiresDays is < 1 or > 3660)
        {
            TweelingCli.Error($"--expires-days must be from 1 to 3660; got {expiresDays}.");
            return Task.FromResult(TweelingCli.UserError);
        }

        return WithIdentitiesAsync(storePath, async (identities, path) =>
        {
            if (await identities.FindAccountAsync(userName, cancellationToken) is not { } account)
            {
                return NoSuchUser(userName, path);
            }

            var now = TimeProvider.System.GetUtcNow();
            var (token, secret) = ApiToken.Create(account.Id, name, now, expiresDays is { } days ? now.AddDays(days) : null);
            await identities.AddTokenAsync(token, ApiToken.HashOf(secret), Change(now, "create", $"tweeling users token add: token {token.Id} of account {account.Id}", "tokens"), cancellationToken);

            // The secret goes to standard output alone on its line, so a script can capture it; the rest to standard error.
            Console.Error.WriteLine($"API token {token.Id} for '{userName}' ({account.Role}){(token.Expires is { } e ? $", expires {Format(e)}" : "")}. It is shown only now; store it safely:");
            Console.Out.WriteLine(secret);
            return 0;
        }, cancellationToken);
    }

    private static Task<int> ListTokensAsync(string storePath, string? userName, CancellationToken cancellationToken) => WithIdentitiesAsync(storePath, async (identities, path) =>
    {
        var accounts = (await identities.ListAccountsAsync(cancellationToken)).ToDictionary(a => a.Id, StringComparer.Ordinal);
        string? accountId = null;
        if (userName is not null)
        {
            if (accounts.Values.FirstOrDefault(a => a.UserName == userName) is not { } account)
            {
                return NoSuchUser(userName, path);
            }

            accountId = account.Id;
        }

        var tokens = await identities.ListTokensAsync(accountId, cancellationToken);
        if (tokens.Count == 0)
        {
            Console.Out.WriteLine($"The store {path} has no API tokens{(userName is null ? "" : $" of '{userName}'")}. Make one with 'tweeling users token add'.");
            return 0;
        }

        var table = new Table().AddColumns("id", "user", "name", "created", "expires", "last used", "revoked");
        foreach (var t in tokens)
        {
            table.AddRow(
                t.Id, accounts.TryGetValue(t.AccountId, out var a) ? a.UserName : t.AccountId, Markup.Escape(t.Name), Format(t.Created),
                t.Expires is { } e ? Format(e) : "never", t.LastUsed is { } u ? Format(u) : "never", t.Revoked is { } r ? Format(r) : "");
        }

        TweelingCli.Terminal.Write(table);
        return 0;
    }, cancellationToken);

    private static Task<int> RevokeTokenAsync(string storePath, string tokenId, CancellationToken cancellationToken) => WithIdentitiesAsync(storePath, async (identities, path) =>
    {
        var now = TimeProvider.System.GetUtcNow();
        if (!await identities.RevokeTokenAsync(tokenId, now, Change(now, "update", $"tweeling users token revoke: token {tokenId}", "tokens"), cancellationToken))
        {
            TweelingCli.Error($"id: there is no API token '{tokenId}' that is not revoked yet in {path}; 'tweeling users token list' shows them.");
            return TweelingCli.UserError;
        }

        Console.Out.WriteLine($"Revoked API token {tokenId}: it no longer signs in.");
        return 0;
    }, cancellationToken);

    private static async Task<int> WithIdentitiesAsync(string storePath, Func<IIdentityStore, string, Task<int>> action, CancellationToken cancellationToken)
    {
        if (await TweelingCli.OpenStoreAsync(storePath, cancellationToken) is not { } store)
        {
            return TweelingCli.EnvironmentError;
        }

        await using (store)
        {
            return await action(store.Identity, store.Path);
        }
    }

    /// <summary>The audit record of a change to accounts or tokens (never a password or a token's secret).</summary>
    private static AuditEntry Change(DateTimeOffset time, string action, string resource, string unit) =>
        AuditEntries.For(AuditEntries.CommandLineOperator, time, action, resource, 1, unit);

    private static int NoSuchUser(string userName, string path)
    {
        TweelingCli.Error($"user: there is no account '{userName}' in {path}; 'tweeling users list' shows them.");
        return TweelingCli.UserError;
    }

    /// <summary>
    /// A new password: the first line of standard input when it is redirected (a script, a secret manager), or
    /// asked twice without echo at a terminal. <c>null</c> after reporting why it cannot be used.
    /// </summary>
    private static string? ReadNewPassword()
    {
        string? password;
        if (Console.IsInputRedirected)
        {
            password = Console.In.ReadLine();
            if (password is null)
            {
                TweelingCli.Error("no password on standard input: pipe it in (one line), or run at a terminal to be asked; use --no-password for a tokens-only account.");
                return null;
            }
        }
        else
        {
            password = TweelingCli.Terminal.Prompt(new TextPrompt<string>("New password:").Secret());
            if (TweelingCli.Terminal.Prompt(new TextPrompt<string>("Repeat it:").Secret()) != password)
            {
                TweelingCli.Error("the two passwords differ; nothing was changed.");
                return null;
            }
        }

        if (PasswordHasher.Weakness(password) is { } weakness)
        {
            TweelingCli.Error("password: " + weakness);
            return null;
        }

        return password;
    }

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
