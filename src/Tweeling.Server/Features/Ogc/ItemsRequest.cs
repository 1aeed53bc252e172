using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Features;
using Tweeling.Domain.Geo;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.Ogc;

/// <summary>The validated query parameters of <c>/ogc/collections/{id}/items</c> (OGC API – Features Part 1 and 2).</summary>
internal sealed record ItemsRequest(
    int Limit,
    int Offset,
    Envelope? Bbox,
    int BboxSrid,
    int ResponseSrid,
    TemporalFilter? Time,
    IReadOnlyDictionary<string, object> PropertyEquals)
{
    /// <summary>Default page size (OGC API – Features recommends 10).</summary>
    public const int DefaultLimit = 10;

    /// <summary>Largest page a client may ask for.</summary>
    public const int MaximumLimit = 10_000;

    private static readonly HashSet<string> s_standardParameters = new(StringComparer.Ordinal)
    {
        "limit", "offset", "bbox", "bbox-crs", "crs", "datetime", "f",
    };

    /// <summary>Parses and validates the parameters; the problem says which parameter is wrong and why.</summary>
    public static (ItemsRequest? Request, ProblemHttpResult? Problem) Parse(IQueryCollection query, CollectionDefinition collection)
    {
        foreach (var name in query.Keys)
        {
            if (!s_standardParameters.Contains(name) && collection.FindQueryable(name) is null)
            {
                return Fail(ProblemType.UnknownParameter,
                    $"Unknown query parameter '{name}'. Known: {string.Join(", ", s_standardParameters.Concat(collection.Queryables.Select(q => q.Name)))}.");
            }

            if (query[name].Count > 1)
            {
                return Fail(ProblemType.InvalidParameter, $"Query parameter '{name}' is given more than once.");
            }
        }

        if (OgcFormat.Check(query) is { } formatProblem)
        {
            return (null, formatProblem);
        }

        var limit = DefaultLimit;
        if (query.TryGetValue("limit", out var limitText) &&
            (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaximumLimit))
        {
            return Fail(ProblemType.InvalidParameter, $"'limit' must be a whole number from 1 to {MaximumLimit}; got '{limitText}'.");
        }

        var offset = 0;
        if (query.TryGetValue("offset", out var offsetText) &&
            !int.TryParse(offsetText, NumberStyles.None, CultureInfo.InvariantCulture, out offset))
        {
            return Fail(ProblemType.InvalidParameter, $"'offset' must be a whole number ≥ 0; got '{offsetText}'.");
        }

        var (responseSrid, crsProblem) = ParseCrs(query, "crs");
        if (crsProblem is not null)
        {
            return (null, crsProblem);
        }

        var (bboxSrid, bboxCrsProblem) = ParseCrs(query, "bbox-crs");
        if (bboxCrsProblem is not null)
        {
            return (null, bboxCrsProblem);
        }

        if (query.ContainsKey("bbox-crs") && !query.ContainsKey("bbox"))
        {
            return Fail(ProblemType.InvalidParameter, "'bbox-crs' is given without 'bbox'.");
        }

        Envelope? bbox = null;
        if (query.TryGetValue("bbox", out var bboxText))
        {
            var (parsed, error) = ParseBbox(bboxText.ToString(), bboxSrid);
            if (error is not null)
            {
                return Fail(ProblemType.InvalidParameter, error);
            }

            bbox = parsed;
        }

        TemporalFilter? time = null;
        if (query.TryGetValue("datetime", out var datetimeText))
        {
            var (parsed, error) = ParseDatetime(datetimeText.ToString());
            if (error is not null)
            {
                return Fail(ProblemType.InvalidParameter, error);
            }

            time = parsed;
        }

        var filters = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var queryable in collection.Queryables)
        {
            if (!query.TryGetValue(queryable.Name, out var raw))
            {
                continue;
            }

            if (QueryableValues.Parse(queryable, raw.ToString()) is not { } value)
            {
                return Fail(ProblemType.InvalidParameter,
                    $"'{queryable.Name}' is a {queryable.Type.ToString().ToLowerInvariant()}; '{raw}' is not.");
            }

            filters[queryable.Name] = value;
        }

        return (new ItemsRequest(limit, offset, bbox, bboxSrid, responseSrid, time, filters), null);
    }

    /// <summary>The SRID a CRS parameter (<c>crs</c>, <c>bbox-crs</c>) names; CRS84 when it is absent.</summary>
    internal static (int Srid, ProblemHttpResult? Problem) ParseCrs(IQueryCollection query, string parameter)
    {
        if (!query.TryGetValue(parameter, out var text))
        {
            return (Crs.Crs84Srid, null);
        }

        return Crs.SridOf(text.ToString()) is { } srid
            ? (srid, null)
            : (0, ProblemType.UnsupportedCrs.With($"'{parameter}' must be one of {string.Join(", ", Crs.Supported)}; got '{text}'."));
    }

    private static (Envelope?, string?) ParseBbox(string text, int srid)
    {
        var parts = text.Split(',');
        if (parts.Length is not (4 or 6))
        {
            return (null, $"'bbox' must be four numbers (minx,miny,maxx,maxy) or six with heights; got '{text}'.");
        }

        var numbers = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]) || !double.IsFinite(numbers[i]))
            {
                return (null, $"'bbox' value '{parts[i]}' is not a number.");
            }
        }

        // With six numbers the heights are the 3rd and 6th; the twin filters in 2D.
        var (minX, minY, maxX, maxY) = parts.Length == 4
            ? (numbers[0], numbers[1], numbers[2], numbers[3])
            : (numbers[0], numbers[1], numbers[3], numbers[4]);
        if (minX > maxX || minY > maxY)
        {
            return (null, $"'bbox' must have its lower corner first (minx ≤ maxx, miny ≤ maxy); got '{text}'.");
        }

        if (srid == Crs.Crs84Srid && (minX < -180 || maxX > 180 || minY < -90 || maxY > 90))
        {
            return (null, $"'bbox' in CRS84 must lie within longitude -180..180 and latitude -90..90; got '{text}'.");
        }

        return (new Envelope(minX, maxX, minY, maxY), null);
    }

    /// <summary>
    /// Parses an RFC 3339 instant or an interval <c>start/end</c> with <c>..</c> (or empty) for an open end.
    /// A date without a time means that whole day in UTC.
    /// </summary>
    internal static (TemporalFilter?, string?) ParseDatetime(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 1)
        {
            if (!TryParseInstant(parts[0], out var instant, out var isDate))
            {
                return (null, $"'datetime' must be an RFC 3339 date-time or date, or an interval 'start/end' with '..' for an open end; got '{text}'.");
            }

            return (isDate ? TemporalFilter.Between(instant, instant.AddDays(1).AddTicks(-1)) : TemporalFilter.At(instant), null);
        }

        if (parts.Length != 2)
        {
            return (null, $"'datetime' interval must have exactly one '/'; got '{text}'.");
        }

        DateTimeOffset? start = null;
        DateTimeOffset? end = null;
        if (parts[0] is not ("" or ".."))
        {
            if (!TryParseInstant(parts[0], out var s, out _))
            {
                return (null, $"'datetime' interval start '{parts[0]}' is not an RFC 3339 date-time or date.");
            }

            start = s;
        }

        if (parts[1] is not ("" or ".."))
        {
            if (!TryParseInstant(parts[1], out var e, out var isDate))
            {
                return (null, $"'datetime' interval end '{parts[1]}' is not an RFC 3339 date-time or date.");
            }

            end = isDate ? e.AddDays(1).AddTicks(-1) : e;
        }

        if (start is null && end is null)
        {
            return (null, "'datetime' interval must have at least one closed end.");
        }

        if (start > end)
        {
            return (null, $"'datetime' interval ends before it starts: '{text}'.");
        }

        return (TemporalFilter.Between(start, end), null);
    }

    private static bool TryParseInstant(string text, out DateTimeOffset instant, out bool isDate)
    {
        isDate = false;
        instant = default;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            isDate = true;
            instant = new DateTimeOffset(date, TimeOnly.MinValue, TimeSpan.Zero);
            return true;
        }

        // RFC 3339 requires a date, a 'T' (or space), a time and an offset or 'Z'.
        return text.Length >= 20 && (text[10] is 'T' or 't') &&
               (text.EndsWith('Z') || text.EndsWith('z') || text[^6] is '+' or '-') &&
               DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out instant);
    }

    private static (ItemsRequest?, ProblemHttpResult?) Fail(ProblemType type, string detail) => (null, type.With(detail));
}

/// <summary>Parses query-parameter text into a typed queryable value.</summary>
internal static class QueryableValues
{
    public static object? Parse(Tweeling.Domain.Features.Queryable queryable, string text) => queryable.Type switch
    {
        QueryableType.String => text,
        QueryableType.Integer => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : null,
        QueryableType.Number => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : null,
        QueryableType.Boolean => text switch { "true" => true, "false" => false, _ => null },
        _ => null,
    };
}
