using Tweeling.Domain.Audit;
using Tweeling.Domain.Identity;

namespace Tweeling.Domain.Ports;

/// <summary>Where local accounts and the hashes of their API tokens are kept (the embedded default's sign-in).</summary>
public interface IIdentityStore
{
    /// <summary>Adds <paramref name="account"/>; <c>false</c> when its user name is taken (nothing is stored then).</summary>
    Task<bool> AddAccountAsync(Account account, CancellationToken cancellationToken);

    /// <summary>As <see cref="AddAccountAsync(Account, CancellationToken)"/>, appending <paramref name="audit"/> in the same transaction when the account is added.</summary>
    Task<bool> AddAccountAsync(Account account, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>The account with user name <paramref name="userName"/>, or <c>null</c>.</summary>
    Task<Account?> FindAccountAsync(string userName, CancellationToken cancellationToken);

    /// <summary>Every account, by user name.</summary>
    Task<IReadOnlyList<Account>> ListAccountsAsync(CancellationToken cancellationToken);

    /// <summary>Disables or enables an account; <c>false</c> when there is no such user name.</summary>
    Task<bool> SetDisabledAsync(string userName, bool disabled, CancellationToken cancellationToken);

    /// <summary>As <see cref="SetDisabledAsync(string, bool, CancellationToken)"/>, appending <paramref name="audit"/> in the same transaction when the account exists.</summary>
    Task<bool> SetDisabledAsync(string userName, bool disabled, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>Replaces an account's password hash; <c>false</c> when there is no such user name.</summary>
    Task<bool> SetPasswordHashAsync(string userName, string passwordHash, CancellationToken cancellationToken);

    /// <summary>As <see cref="SetPasswordHashAsync(string, string, CancellationToken)"/>, appending <paramref name="audit"/> in the same transaction when the account exists.</summary>
    Task<bool> SetPasswordHashAsync(string userName, string passwordHash, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>Stores a token by the hash of its secret (<see cref="ApiToken.HashOf"/>); never the secret itself.</summary>
    Task AddTokenAsync(ApiToken token, byte[] secretHash, CancellationToken cancellationToken);

    /// <summary>As <see cref="AddTokenAsync(ApiToken, byte[], CancellationToken)"/>, appending <paramref name="audit"/> in the same transaction.</summary>
    Task AddTokenAsync(ApiToken token, byte[] secretHash, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>The token whose secret hashes to <paramref name="secretHash"/>, with its account; <c>null</c> when there is none.</summary>
    Task<(ApiToken Token, Account Account)?> FindTokenAsync(byte[] secretHash, CancellationToken cancellationToken);

    /// <summary>The tokens of the account <paramref name="accountId"/>, or of every account when it is <c>null</c>, oldest first.</summary>
    Task<IReadOnlyList<ApiToken>> ListTokensAsync(string? accountId, CancellationToken cancellationToken);

    /// <summary>Revokes the token <paramref name="tokenId"/> at <paramref name="time"/>; <c>false</c> when there is no such token or it was revoked already.</summary>
    Task<bool> RevokeTokenAsync(string tokenId, DateTimeOffset time, CancellationToken cancellationToken);

    /// <summary>As <see cref="RevokeTokenAsync(string, DateTimeOffset, CancellationToken)"/>, appending <paramref name="audit"/> in the same transaction when a token is revoked.</summary>
    Task<bool> RevokeTokenAsync(string tokenId, DateTimeOffset time, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>Records that the token <paramref name="tokenId"/> signed in at <paramref name="time"/>.</summary>
    Task MarkTokenUsedAsync(string tokenId, DateTimeOffset time, CancellationToken cancellationToken);
}
