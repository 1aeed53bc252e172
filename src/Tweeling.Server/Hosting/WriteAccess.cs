using Tweeling.Governance.Access;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Hosting;

/// <summary>
/// Who may change data: SensorThings creates, updates, deletes, <c>CreateObservations</c> and <c>$batch</c>
/// over HTTP, and Observations published over MQTT. The roles that run the city's sensors and data may:
/// <c>medewerker</c> (a municipal employee, or a sensor partner's token), <c>datasteward</c> and
/// <c>beheerder</c>. <c>analist</c> and <c>ethische-commissie</c> read and review; <c>publiek</c> reads open data.
/// </summary>
internal static class WriteAccess
{
    /// <summary>Whether <paramref name="caller"/> may create, change or delete data.</summary>
    public static bool MayWrite(Caller caller) => caller.Role is Role.Medewerker or Role.Datasteward or Role.Beheerder;

    /// <summary>
    /// An endpoint filter for a route group: requests that only read (GET, HEAD, OPTIONS) pass; any other method
    /// needs a role that <see cref="MayWrite"/>: 401 without sign-in, 403 for a role that may not. Placed on a
    /// whole group, a write route added later is covered without anyone remembering to.
    /// </summary>
    public static async ValueTask<object?> RequireWriterAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method))
        {
            return await next(invocation);
        }

        var caller = ReadAccess.CallerOf(http);
        if (MayWrite(caller))
        {
            return await next(invocation);
        }

        if (caller.Subject is null && caller.Role == Role.Publiek)
        {
            http.Response.Headers.WWWAuthenticate = Authentication.SignInSchemes;
            return ProblemType.Unauthorized.With(
                $"{http.Request.Method} changes data and needs sign-in with a role that may write (medewerker, datasteward or beheerder): send an API token as 'Authorization: Bearer <token>'.");
        }

        return ProblemType.Forbidden.With(
            $"{http.Request.Method} changes data; the role '{Governance.Identity.RoleNames.Name(caller.Role)}' may not. Writing takes medewerker, datasteward or beheerder.");
    }
}
