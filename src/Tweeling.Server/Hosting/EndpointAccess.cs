using Tweeling.Governance.Access;
using Tweeling.Server.Problems;
using Tweeling.Governance.Identity;

namespace Tweeling.Server.Hosting;

/// <summary>
/// Attaches an <see cref="AccessRule"/> to endpoints and enforces it: the rule is the enforcement, not only
/// documentation. The authorization-matrix test reads the same metadata.
/// </summary>
internal static class EndpointAccess
{
    /// <summary>Declares how the endpoints of <paramref name="builder"/> are governed.</summary>
    public static TBuilder WithAccessRule<TBuilder>(this TBuilder builder, AccessRule rule)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(rule);

    /// <summary>
    /// Refuses a request whose endpoint's rule denies the caller's role — 401 with <c>WWW-Authenticate</c> for an
    /// anonymous caller, 403 for a signed-in one — and a request to an endpoint that declares no rule at all
    /// (closed by default). Requests that match no route (static files, 404s, 405s) pass untouched.
    /// </summary>
    /// <remarks>
    /// Runs after routing has chosen the endpoint (the host adds routing first) and before the endpoint runs.
    /// <see cref="AccessDecision.Filter"/> passes: the handler narrows the answer through <see cref="ReadAccess"/>.
    /// </remarks>
    public static IApplicationBuilder UseAccessRules(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        // Routing's own answers (405 for a method a path lacks) are plain endpoints, not routes: they pass.
        if (context.GetEndpoint() is not RouteEndpoint endpoint)
        {
            await next(context);
            return;
        }

        var caller = ReadAccess.CallerOf(context);
        if (endpoint.Metadata.GetMetadata<AccessRule>() is not { } rule)
        {
            await ProblemType.Forbidden.With($"'{endpoint.DisplayName}' declares no access rule, so nobody may call it.").ExecuteAsync(context);
            return;
        }

        if (rule.Decide(caller.Role) != AccessDecision.Deny)
        {
            await next(context);
            return;
        }

        var allowed = string.Join(", ", rule.Roles.Select(RoleNames.Name));
        if (caller.Role == Role.Publiek)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await ProblemType.Unauthorized.With($"'{context.Request.Method} {context.Request.Path}' is for the roles {allowed}; sign in as one of them.").ExecuteAsync(context);
            return;
        }

        await ProblemType.Forbidden.With($"'{context.Request.Method} {context.Request.Path}' is for the roles {allowed}, not for {RoleNames.Name(caller.Role)}.").ExecuteAsync(context);
    });
}
