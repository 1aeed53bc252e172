using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Hosting;

/// <summary>
/// Which web pages on other origins may use the APIs from a browser (CORS), as the NL API Design Rules
/// ask: public documents (/core/publish-openapi, /transport/cors) are readable from any origin, and
/// everything that changes data only from the origins a municipality lists (its own web UI).
/// </summary>
/// <remarks>
/// One policy, decided per request by method: a read (GET, HEAD, or a preflight asking for one) gets
/// <c>Access-Control-Allow-Origin: *</c> and never credentials — a wildcard with credentials would let
/// any site read with a signed-in visitor's cookies, and browsers refuse the combination anyway. Every
/// other method is allowed only from <see cref="CrossOriginOptions.WriteOrigins"/> (none by default,
/// so a browser on another origin cannot write at all). Bearer tokens travel in the Authorization
/// header, which the page sets itself, so reads need no credentials mode.
/// </remarks>
internal sealed class CrossOrigin : ICorsPolicyProvider
{
    /// <summary>The policy name endpoints ask for with <c>RequireCors</c>.</summary>
    public const string PolicyName = "tweeling";

    /// <summary>Request headers a cross-origin page may send: the ones the APIs read.</summary>
    private static readonly string[] s_requestHeaders = ["Accept", "Accept-Crs", "Authorization", "Content-Type", "X-Tweeling-Doel"];

    /// <summary>Response headers a cross-origin page may read besides the CORS-safelisted ones.</summary>
    private static readonly string[] s_exposedHeaders = ["API-Version", "Content-Crs", "Link", "Location", "Retry-After"];

    private readonly CorsPolicy _reads;
    private readonly CorsPolicy _writes;

    public CrossOrigin(IOptions<CrossOriginOptions> options)
    {
        _reads = new CorsPolicyBuilder()
            .AllowAnyOrigin()
            .WithMethods(HttpMethods.Get, HttpMethods.Head)
            .WithHeaders(s_requestHeaders)
            .WithExposedHeaders(s_exposedHeaders)
            .SetPreflightMaxAge(TimeSpan.FromHours(1))
            .Build();
        var writes = new CorsPolicyBuilder()
            .WithOrigins(options.Value.WriteOrigins)
            .WithMethods(HttpMethods.Get, HttpMethods.Head, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete)
            .WithHeaders(s_requestHeaders)
            .WithExposedHeaders(s_exposedHeaders)
            .SetPreflightMaxAge(TimeSpan.FromHours(1));
        _writes = (options.Value.AllowCredentials ? writes.AllowCredentials() : writes.DisallowCredentials()).Build();
    }

    /// <inheritdoc/>
    public Task<CorsPolicy?> GetPolicyAsync(HttpContext context, string? policyName)
    {
        var request = context.Request;
        var method = HttpMethods.IsOptions(request.Method) && request.Headers.AccessControlRequestMethod is { Count: > 0 } asked
            ? asked.ToString()
            : request.Method;
        return Task.FromResult<CorsPolicy?>(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) ? _reads : _writes);
    }
}

/// <summary>The server-side half of "writes only from listed origins": CORS alone leaves simple requests through.</summary>
internal static class ForeignWrites
{
    /// <summary>
    /// Refuses a write that a page on another origin sent without asking (403): CORS only hides the answer
    /// from such a page, and a "simple" request (a form post, or <c>text/plain</c> JSON) needs no preflight,
    /// so without this check a site a municipal employee visits could write through their browser to a
    /// server on the intranet. Requests without an <c>Origin</c> header (curl, servers, sensors) pass.
    /// </summary>
    public static IApplicationBuilder UseForeignWriteRefusal(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method)
                && request.Headers.Origin is { Count: > 0 } origin && !IsOwnOrListed(origin.ToString(), request, context.RequestServices))
            {
                await ProblemType.CrossOriginWrite.With(
                    $"A page on '{origin}' may not write here: only this server's own pages and the origins in Tweeling:Cors:WriteOrigins may. Nothing was stored.")
                    .ExecuteAsync(context);
                return;
            }

            await next(context);
        });

    /// <summary>
    /// The origin is this server's (same host and port; the scheme is not compared, since a TLS-terminating
    /// proxy makes the server see http for an https page) or one of the configured write origins.
    /// </summary>
    private static bool IsOwnOrListed(string origin, HttpRequest request, IServiceProvider services) =>
        (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase))
        || services.GetRequiredService<IOptions<CrossOriginOptions>>().Value.WriteOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// CORS settings (<c>Tweeling:Cors</c>): the origins of web pages that may write, e.g. the environment
/// variable <c>Tweeling__Cors__WriteOrigins__0=https://tweeling.gemeente.nl</c>. Validated at start-up.
/// </summary>
internal sealed class CrossOriginOptions
{
    public const string Section = "Tweeling:Cors";

    /// <summary>Origins (scheme, host and port; no path, no wildcard) whose pages may create, change and delete. Default: none.</summary>
    public string[] WriteOrigins { get; init; } = [];

    /// <summary>Whether those origins may send credentials (cookies); only ever for listed origins, never for <c>*</c>. Default: no.</summary>
    public bool AllowCredentials { get; init; }

    /// <summary>True when every origin is an absolute http(s) origin without path, query or wildcard.</summary>
    public bool OriginsAreExact() =>
        WriteOrigins.All(o => Uri.TryCreate(o, UriKind.Absolute, out var uri)
            && uri.Scheme is "http" or "https"
            && !o.Contains('*', StringComparison.Ordinal)
            && uri.AbsolutePath == "/" && !o.EndsWith('/') && string.IsNullOrEmpty(uri.Query));
}
