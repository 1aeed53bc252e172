using Microsoft.Net.Http.Headers;

namespace Tweeling.Server.Hosting;

/// <summary>
/// The security headers on every response, as the NL API Design Rules' transport security module asks
/// (/transport/security-headers: nosniff, frame-ancestors 'none', X-Frame-Options DENY, Cache-Control
/// no-store, Strict-Transport-Security, Referrer-Policy), plus what the coming web UI needs from a
/// browser: a Content-Security-Policy without inline script that MapLibre GL can run under.
/// </summary>
/// <remarks>
/// Headers are set when the response starts, so they are on every answer: JSON, problems written by
/// the exception handler or status-code pages, server-sent events and static files. A header an
/// endpoint set itself is kept.
/// </remarks>
internal static class SecurityHeaders
{
    /// <summary>
    /// The policy for HTML (the web UI): only this origin's scripts, styles, fonts and connections;
    /// MapLibre GL builds its tile workers from blob URLs and draws sprites and images from data and blob
    /// URLs, so <c>worker-src</c> and <c>img-src</c> allow those. No inline script or style at all.
    /// </summary>
    public const string HtmlPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; " +
        "connect-src 'self'; worker-src 'self' blob:; child-src 'self' blob:; object-src 'none'; base-uri 'self'; " +
        "form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// <see cref="HtmlPolicy"/> that also lets the page load tiles from <paramref name="origin"/> (a configured
    /// online basemap; MapLibre fetches them, so <c>connect-src</c> and <c>img-src</c>); unchanged for <c>null</c>.
    /// </summary>
    public static string HtmlPolicyAllowing(string? origin) =>
        origin is null
            ? HtmlPolicy
            : HtmlPolicy.Replace("img-src 'self' data: blob:", $"img-src 'self' data: blob: {origin}", StringComparison.Ordinal)
                .Replace("connect-src 'self'", $"connect-src 'self' {origin}", StringComparison.Ordinal);

    /// <summary>The policy for everything that is not HTML (JSON, GeoJSON, problems, events): nothing may load or frame it.</summary>
    public const string DocumentPolicy = "default-src 'none'; frame-ancestors 'none'";

    /// <summary>
    /// Browser features the platform never uses, off for the page and everything it embeds.
    /// Geolocation too: the map centres on the municipality, never on the visitor.
    /// </summary>
    public const string PermissionsPolicy = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";

    /// <summary>
    /// HSTS for a year, on HTTPS responses only (over plain HTTP a browser ignores it, RFC 6797 §7.2).
    /// Subdomains are left to the municipality's own policy: the platform does not own its parent domain.
    /// </summary>
    public const string StrictTransportSecurity = "max-age=31536000";

    /// <summary>Adds the headers to every response of the pipeline after this point; HTML gets <paramref name="htmlPolicy"/>.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, string htmlPolicy = HtmlPolicy) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                Apply(context, htmlPolicy);
                return Task.CompletedTask;
            });
            return next(context);
        });

    private static void Apply(HttpContext context, string htmlPolicy)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers.TryAdd("Referrer-Policy", "no-referrer");
        headers.TryAdd("Permissions-Policy", PermissionsPolicy);
        headers.TryAdd("Cross-Origin-Opener-Policy", "same-origin");
        var html = context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true;
        headers.TryAdd(HeaderNames.ContentSecurityPolicy, html ? htmlPolicy : DocumentPolicy);
        if (context.Request.IsHttps)
        {
            headers.StrictTransportSecurity = StrictTransportSecurity;
        }

        // API answers depend on the caller's role and on the moment (latest observations, live alerts),
        // so no cache may keep them. The web UI's files set their own caching (WebApp), which TryAdd keeps.
        if (context.GetEndpoint() is not null || context.Response.StatusCode >= 400)
        {
            headers.TryAdd(HeaderNames.CacheControl, "no-store");
        }
    }
}
