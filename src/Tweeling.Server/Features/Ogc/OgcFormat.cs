using Microsoft.AspNetCore.Http.HttpResults;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.Ogc;

/// <summary>Media types and the <c>f</c> parameter of the OGC API; JSON is the one encoding served.</summary>
internal static class OgcFormat
{
    public const string Json = "application/json";
    public const string GeoJson = "application/geo+json";
    public const string OpenApi = "application/vnd.oai.openapi+json;version=3.0";

    /// <summary>
    /// Checks <c>f</c>: <c>json</c> (and <c>geojson</c>) are accepted because common clients such as
    /// ogc-client add <c>f=json</c> to every request; any other value is a client error.
    /// </summary>
    public static ProblemHttpResult? Check(IQueryCollection query) =>
        query.TryGetValue("f", out var f) && f.ToString() is not ("json" or "geojson")
            ? ProblemType.InvalidParameter.With($"'f' must be 'json'; got '{f}'. This API serves JSON only.")
            : null;

    /// <summary>A problem when the request carries parameters a metadata resource does not know; <c>f</c> is always allowed.</summary>
    public static ProblemHttpResult? CheckOnly(IQueryCollection query, params string[] allowed)
    {
        foreach (var name in query.Keys)
        {
            if (name != "f" && !allowed.Contains(name, StringComparer.Ordinal))
            {
                return ProblemType.UnknownParameter.With($"Unknown query parameter '{name}'.");
            }
        }

        return Check(query);
    }
}

/// <summary>Builds absolute link URLs for OGC API responses from the request's own base address.</summary>
internal static class OgcLinks
{
    public static string Base(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}/ogc";

    public static object Link(string href, string rel, string type, string? title = null) =>
        title is null ? new { href, rel, type } : new { href, rel, type, title };
}
