using Microsoft.AspNetCore.Http.HttpResults;
using Tweeling.Governance.Identity;
using Tweeling.Server.Hosting;

namespace Tweeling.Server.Features.Platform;

/// <summary>
/// <c>GET /api/v1/ik</c>: who the platform takes the caller for — role, pseudonymous subject and stated purpose —
/// so that a client can check its token and a person can see in which role they act.
/// </summary>
internal static class Ik
{
    public static Results<Ok<IkView>, ProblemHttpResult> Handle(HttpContext http)
    {
        if (PlatformApi.RejectUnknown(http.Request.Query) is { } problem)
        {
            return problem;
        }

        var caller = ReadAccess.CallerOf(http);
        return TypedResults.Ok(new IkView(RoleNames.Name(caller.Role), caller.Subject is not null, caller.Subject, caller.Purpose));
    }
}

/// <summary>The caller as <c>/api/v1/ik</c> shows it.</summary>
/// <param name="Rol">The role's API name: <c>publiek</c> when not signed in.</param>
/// <param name="Aangemeld">Whether the request signed in.</param>
/// <param name="Pseudoniem">The pseudonymous id of the account or identity-provider subject; never a name or e-mail address.</param>
/// <param name="Doel">The purpose stated in the <c>X-Tweeling-Doel</c> header, if any.</param>
internal sealed record IkView(string Rol, bool Aangemeld, string? Pseudoniem, string? Doel);
