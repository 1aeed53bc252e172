using System.Security.Cryptography;
using System.Text;

namespace Tweeling.Domain.Identity;

/// <summary>
/// An API token of an account: a bearer credential for machines (a sensor partner's gateway, a script).
/// The store keeps only the token's SHA-256 (<see cref="HashOf"/>); the token itself is shown once, when made.
/// </summary>
/// <param name="Id">The token's public id (<c>tok_</c> and 16 hex digits), to list and revoke it by.</param>
/// <param name="AccountId">The <see cref="Account.Id"/> it signs in as.</param>
/// <param name="Name">What the token is for, e.g. "gateway Grote Markt".</param>
/// <param name="Created">When it was made.</param>
/// <param name="Expires">After this moment it no longer signs in; <c>null</c>: it does not expire.</param>
/// <param name="LastUsed">The last sign-in with it, to the minute; <c>null</c>: never used.</param>
/// <param name="Revoked">When it was revoked; a revoked token never signs in again.</param>
public sealed record ApiToken(string Id, string AccountId, string Name, DateTimeOffset Created, DateTimeOffset? Expires, DateTimeOffset? LastUsed, DateTimeOffset? Revoked)
{
    /// <summary>What every token starts with, so a leaked one is recognisable (by secret scanners too).</summary>
    public const string Prefix = "twl_";

    /// <summary>Whether the token signs in at <paramref name="now"/>.</summary>
    public bool IsValidAt(DateTimeOffset now) => Revoked is null && (Expires is null || now < Expires);

    /// <summary>
    /// A new token for <paramref name="accountId"/>: 256 random bits, base64url, after <see cref="Prefix"/>.
    /// Returns the record to store and the secret to show once.
    /// </summary>
    public static (ApiToken Token, string Secret) Create(string accountId, string name, DateTimeOffset created, DateTimeOffset? expires)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("a token needs a name that says what it is for.", nameof(name));
        }

        if (expires <= created)
        {
            throw new ArgumentException("a token must expire after it is made.", nameof(expires));
        }

        var secret = Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var token = new ApiToken("tok_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), accountId, name.Trim(), created, expires, null, null);
        return (token, secret);
    }

    /// <summary>
    /// The SHA-256 of a token, as stored and looked up. A fast hash is enough here, unlike for passwords:
    /// the token has 256 random bits, so there is nothing to guess.
    /// </summary>
    public static byte[] HashOf(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
