using Tweeling.Domain.Audit;
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
/// <remarks>
/// Wrong passwords count against the user name in <see cref="SignInLockout"/>; a locked-out name is refused
/// without a password check. Every refused password is appended to the audit log (never the password, and the
/// account's id only when the account exists).
/// </remarks>
public sealed class SignIn(IIdentityStore store, TimeProvider time, SignInLockout lockout, IAuditLog audit)
{
    /// <summary>The audit action of a refused password sign-in.</summary>
    public const string FailedAction = "sign-in-failed";

    /// <summary>The audit outcome of a wrong password (or a user name without an account that may sign in).</summary>
    public const string DeniedOutcome = "denied";

    /// <summary>The audit outcome of a password refused because its user name is locked out.</summary>
    public const string LockedOutcome = "locked";

    /// <summary>
    /// A token's last use is written at most once per this interval, so that a sensor posting every second
    /// does not turn each request into an extra write.
    /// </summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    /// <summary>The caller that <paramref name="userName"/> with <paramref name="password"/> signs in as, or <c>null</c>.</summary>
    public async Task<Caller?> WithPasswordAsync(string userName, string password, CancellationToken cancellationToken) =>
        (await PasswordAsync(userName, password, cancellationToken).ConfigureAwait(false)).Caller;

    /// <summary>
    /// Signs <paramref name="userName"/> in with <paramref name="password"/>: the caller, or why not — locked out
    /// (with the time left) or not accepted. An unknown user name gets the same answers as a known one.
    /// </summary>
    public async Task<PasswordSignIn> PasswordAsync(string userName, string password, CancellationToken cancellationToken)
    {
        var validName = Account.IsValidUserName(userName);
        if (validName && lockout.LockedFor(userName) is { } wait)
        {
            await AuditRefusalAsync(null, LockedOutcome).ConfigureAwait(false);
            return new PasswordSignIn(null, wait);
        }

        var account = validName && password.Length <= PasswordHasher.MaxLength
            ? await store.FindAccountAsync(userName, cancellationToken).ConfigureAwait(false)
            : null;

        // Verify runs the key derivation also when there is no account, so the time taken does not tell.
        var matches = PasswordHasher.Verify(password, account?.PasswordHash);
        if (!matches || account is not { Disabled: false } || CallerOf(account) is not { } caller)
        {
            // Invalid names are not counted: no account can have one, and they would only fill the lockout's memory.
            if (validName)
            {
                lockout.Failed(userName);
            }

            await AuditRefusalAsync(account?.Id, DeniedOutcome).ConfigureAwait(false);
            return new PasswordSignIn(null, null);
        }

        lockout.Succeeded(userName);

        // A hash made with older, weaker parameters is replaced now that the password is known (ADR 0001).
        if (PasswordHasher.NeedsRehash(account.PasswordHash!))
        {
            await store.SetPasswordHashAsync(account.UserName, PasswordHasher.Hash(password), cancellationToken).ConfigureAwait(false);
        }

        return new PasswordSignIn(caller, null);
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

    /// <summary>
    /// Records a refused password. Not cancellable: the refusal happened, whether or not the caller still waits.
    /// The role is <c>publiek</c> because nobody signed in.
    /// </summary>
    private Task AuditRefusalAsync(string? accountId, string outcome) =>
        audit.AppendAsync(new AuditEntry(time.GetUtcNow(), accountId, "publiek", null, FailedAction, "password", 1, "attempts", outcome), CancellationToken.None);

    /// <summary>The caller an account signs in as; <c>null</c> when its stored role is not one that signs in.</summary>
    private static Caller? CallerOf(Account account) =>
        RoleNames.Parse(account.Role) is { } role and not Role.Publiek ? new Caller(role, Subject: account.Id) : null;
}

/// <summary>The answer to a password sign-in.</summary>
/// <param name="Caller">Who signed in; <c>null</c> when the password was refused.</param>
/// <param name="LockedFor">How much longer the user name is locked out, when that is why it was refused.</param>
public sealed record PasswordSignIn(Caller? Caller, TimeSpan? LockedFor);
