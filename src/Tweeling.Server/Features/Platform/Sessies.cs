using Microsoft.AspNetCore.Http.HttpResults;
using Tweeling.Domain.Identity;
using Tweeling.Domain.Ports;
using Tweeling.Governance.Audit;
using Tweeling.Server.Hosting;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.Platform;

/// <summary>
/// <c>POST /api/v1/sessies</c> swaps a signed-in local account's password for a short-lived API token, so that a
/// client such as the web UI signs in once and then sends a token whose check is one SHA-256 look-up, instead of
/// HTTP Basic on every request, which costs a full password hash (PBKDF2, 600,000 iterations) each time.
/// <c>DELETE /api/v1/sessies/{id}</c> ends a session of the caller's own account (signing out).
/// </summary>
/// <remarks>
/// The token is an ordinary API token of the account (listed and revoked with <c>tweeling users token</c>), named
/// <see cref="TokenName"/> and expiring after <see cref="Lifetime"/>; its secret is in this answer only. The
/// creation and the end are recorded in the audit log right after the token is stored or revoked (the identity and audit stores commit
/// separately, so a crash between the two leaves a token without its record, never a record without a token).
/// </remarks>
internal static class Sessies
{
    /// <summary>How long a session token is valid: a working day, after which the person signs in again.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    /// <summary>The name the session tokens carry in the account's token list.</summary>
    public const string TokenName = "sessie";

    public static async Task<Results<Created<SessieView>, ProblemHttpResult>> Create(
        HttpContext http, IIdentityStore identities, IAuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        if (PlatformApi.RejectUnknown(http.Request.Query) is { } unknown)
        {
            return unknown;
        }

        var caller = ReadAccess.CallerOf(http);
        // Local accounts only: a caller of the identity provider already holds a bearer token of its own, and its
        // subject names no account here.
        if (caller.Subject is not { } accountId || accountId.StartsWith("oidc:", StringComparison.Ordinal))
        {
            return ProblemType.Forbidden.With("A session is made for a local account signed in with its user name and password or an API token; a caller of the identity provider uses the provider's token.");
        }

        var now = time.GetUtcNow();
        var (token, secret) = ApiToken.Create(accountId, TokenName, now, now + Lifetime);
        await identities.AddTokenAsync(token, ApiToken.HashOf(secret), cancellationToken);
        await audit.AppendAsync(AuditEntries.For(caller, now, "create", $"POST {http.Request.Path}: API token {token.Id}", 1, "tokens"), cancellationToken);
        return TypedResults.Created($"{PlatformApi.Root(http.Request)}/sessies/{token.Id}", new SessieView(secret, token.Id, token.Expires!.Value));
    }

    /// <summary>
    /// Ends session <paramref name="id"/>: 204 once its token is revoked; 404 for a session that is not one of the caller's
    /// own (another account's session is not revealed to exist) or that has ended already.
    /// </summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> End(
        string id, HttpContext http, IIdentityStore identities, IAuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        if (PlatformApi.RejectUnknown(http.Request.Query) is { } unknown)
        {
            return unknown;
        }

        var caller = ReadAccess.CallerOf(http);
        var now = time.GetUtcNow();
        var own = caller.Subject is { } accountId
            && (await identities.ListTokensAsync(accountId, cancellationToken)).Any(t => t.Id == id && t.Name == TokenName && t.IsValidAt(now));
        if (!own || !await identities.RevokeTokenAsync(id, now, cancellationToken))
        {
            return ProblemType.NotFound.With($"There is no open session '{id}' of the signed-in account.");
        }

        await audit.AppendAsync(AuditEntries.For(caller, now, "delete", $"DELETE {http.Request.Path}: API token {id}", 1, "tokens"), cancellationToken);
        return TypedResults.NoContent();
    }
}

/// <summary>A new session as <c>POST /api/v1/sessies</c> answers it.</summary>
/// <param name="Token">The API token's secret, to send as <c>Authorization: Bearer …</c>; shown this once only.</param>
/// <param name="Id">The token's public id, to revoke it by.</param>
/// <param name="VerlooptOp">When the token stops being valid.</param>
internal sealed record SessieView(string Token, string Id, DateTimeOffset VerlooptOp);
