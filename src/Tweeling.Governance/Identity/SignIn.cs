using Tweeling.Domain.Identity;
using Tweeling.Domain.Ports;
using Tweeling.Governance.Access;

namespace Tweeling.Governance.Identity;

/// <summary>
/// Checks a local credential (password or API token) against the <see cref="IIdentityStore"/> and says who
/// it signs in as. Every failure is the same <c>null</c>: an unknown user, a wrong password, a disabled
/// account and an expired or revoked token are not told apart, so a caller learns nothing about which
/// accounts exist.
/// </summary>
public sealed class SignIn(IIdentityStore store, TimeProvider time)
{
    /// <summary>
    /// A token's last use is written at most once per this interval, so that a sensor posting every second
    /// does not turn each request into an extra write.
    /// </summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    /// <summary>The caller that <paramref name="userName"/> with <paramref name="password"/> signs in as, or <c>null</c>.</summary>
    public async Task<Caller?> WithPasswordAsync(string userName, string password, CancellationToken cancellationToken)
    {
        var account = Account.IsValidUserName(userName) && password.Length <= PasswordHasher.MaxLength
            ? await store.FindAccountAsync(userName, cancellationToken).ConfigureAwait(false)
            : null;

        // Verify runs the key derivation also when there is no account, so the time taken does not tell.
        var matches = PasswordHasher.Verify(password, account?.PasswordHash);
        return matches && account is { Disabled: false } ? CallerOf(account) : null;
    }

    /// <summary>The caller that the API token <paramref name="secret"/> signs in as, or <c>null</c>.</summary>
    public async Task<Caller?> WithTokenAsync(string secret, CancellationToken cancellationToken)
    {
        if (!secret.StartsWith(ApiToken.Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        // The lookup is by the SHA-256 of the secret: equal hashes of a 256-bit secret are equal secrets, and
        // the index search reveals nothing useful about a secret that does not exist.
        if (await store.FindTokenAsync(ApiToken.HashOf(secret), cancellationToken).ConfigureAwait(false) is not var (token, account))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (!token.IsValidAt(now) || account.Disabled || CallerOf(account) is not { } caller)
        {
            return null;
        }

        if (token.LastUsed is not { } used || now - used >= LastUsedResolution)
        {
            await store.MarkTokenUsedAsync(token.Id, now, cancellationToken).ConfigureAwait(false);
        }

        return caller;
    }

    /// <summary>
    /// The caller of an MQTT CONNECT's user name and password: the password is an API token of that account,
    /// or the account's password. <c>null</c> when neither signs in as <paramref name="userName"/>.
    /// </summary>
    public async Task<Caller?> WithUserNameAndSecretAsync(string userName, string secret, CancellationToken cancellationToken)
    {
        if (secret.StartsWith(ApiToken.Prefix, StringComparison.Ordinal))
        {
            var byToken = await WithTokenAsync(secret, cancellationToken).ConfigureAwait(false);
            var account = byToken is null ? null : await store.FindAccountAsync(userName, cancellationToken).ConfigureAwait(false);
            return account is not null && account.Id == byToken!.Subject ? byToken : null;
        }

        return await WithPasswordAsync(userName, secret, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The caller an account signs in as; <c>null</c> when its stored role is not one that signs in.</summary>
    private static Caller? CallerOf(Account account) =>
        RoleNames.Parse(account.Role) is { } role and not Role.Publiek ? new Caller(role, Subject: account.Id) : null;
}
