using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.Platform;

/// <summary>Shared rules of the platform API <c>/api/v1</c> (NL API Design Rules).</summary>
internal static class PlatformApi
{
    /// <summary>The full version, returned in the <c>API-Version</c> header (/core/version-header).</summary>
    public const string Version = "1.0.0";

    /// <summary>The path prefix, with the major version in the URI (/core/uri-version).</summary>
    public const string Prefix = "/api/v1";

    /// <summary>A problem when the request carries query parameters the resource does not know.</summary>
    public static ProblemHttpResult? RejectUnknown(IQueryCollection query, params string[] allowed)
    {
        var unknown = query.Keys.FirstOrDefault(k => !allowed.Contains(k, StringComparer.Ordinal));
        return unknown is null
            ? null
            : ProblemType.UnknownParameter.With(allowed.Length == 0
                ? $"Unknown query parameter '{unknown}'; this resource takes none."
                : $"Unknown query parameter '{unknown}'. Known: {string.Join(", ", allowed)}.");
    }

    /// <summary>Parses the <c>peildatum</c> parameter (ISO date); absent means today.</summary>
    public static (DateOnly Date, ProblemHttpResult? Problem) ReferenceDate(IQueryCollection query, TimeProvider time)
    {
        if (!query.TryGetValue("peildatum", out var text))
        {
            return (DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), null);
        }

        return DateOnly.TryParseExact(text.ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? (date, null)
            : (default, ProblemType.InvalidParameter.With($"'peildatum' must be a date as yyyy-MM-dd; got '{text}'."));
    }

    /// <summary>Parses an optional id parameter (a positive whole number) such as <c>datastream</c>.</summary>
    public static (long? Id, ProblemHttpResult? Problem) Id(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out var text))
        {
            return (null, null);
        }

        return long.TryParse(text.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? (id, null)
            : (null, ProblemType.InvalidParameter.With($"'{name}' must be an id (a positive whole number); got '{text}'."));
    }

    /// <summary>The absolute URL of the platform API for links: scheme, host and <see cref="Prefix"/>.</summary>
    public static string Root(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}{Prefix}";

    /// <summary>A link object as the API returns them (<c>{ "href": … }</c>).</summary>
    public sealed record Link(string Href);
}
