using System.Globalization;

namespace Tweeling.Domain.Sensors.Query;

/// <summary>The direction of one <c>$orderby</c> key.</summary>
public enum SortDirection
{
    /// <summary><c>asc</c>, the default.</summary>
    Ascending,

    /// <summary><c>desc</c>.</summary>
    Descending,
}

/// <summary>How a collection of Observations is written.</summary>
public enum ResultFormat
{
    /// <summary>Ordinary JSON entities.</summary>
    Default,

    /// <summary><c>$resultFormat=dataArray</c>: per Datastream, a list of components and rows of values.</summary>
    DataArray,
}

/// <summary>One <c>$orderby</c> key: an expression (usually a property path) and a direction.</summary>
/// <param name="Expression">What to sort on, e.g. <c>phenomenonTime</c> or <c>length(name)</c>.</param>
/// <param name="Direction">Ascending unless <c>desc</c> was given.</param>
public sealed record OrderByItem(FilterExpression Expression, SortDirection Direction);

/// <summary>One <c>$expand</c> entry: a navigation path and the options applied to its last segment.</summary>
/// <param name="Path">The navigation path, e.g. <c>Datastreams/ObservedProperty</c>; which names exist is checked by the endpoint.</param>
/// <param name="Options">The options in parentheses after the path, e.g. <c>($top=3;$orderby=phenomenonTime desc)</c>; <see cref="QueryOptions.None"/> if there were none.</param>
public sealed record ExpandItem(string Path, QueryOptions Options)
{
    /// <summary>The path's segments, e.g. <c>["Datastreams", "ObservedProperty"]</c>.</summary>
    public IReadOnlyList<string> Segments => Path.Split('/');
}

/// <summary>
/// The SensorThings API 1.1 query options of one request (or of one <c>$expand</c> entry), parsed and validated.
/// </summary>
/// <remarks>
/// <para>
/// Options not starting with <c>$</c> are ignored: they belong to the endpoint (OData calls them custom options).
/// A <c>$</c>-option that STA does not define or that we do not implement (<c>$apply</c>, <c>$search</c>, …)
/// raises <see cref="QueryOptionErrorKind.NotImplemented"/>, because the standard asks for 501 there; everything
/// malformed raises <see cref="QueryOptionErrorKind.BadRequest"/>. Option names are case-sensitive.
/// </para>
/// <para>
/// Lists compare by reference (they are records holding lists); compare two option sets by <see cref="ToString"/>,
/// which is canonical.
/// </para>
/// </remarks>
public sealed record QueryOptions
{
    /// <summary>No options: everything, in the server's order, with no expansion.</summary>
    public static QueryOptions None { get; } = new();

    /// <summary><c>$filter</c>, or <c>null</c> for no filter.</summary>
    public FilterExpression? Filter { get; init; }

    /// <summary><c>$orderby</c> keys, most significant first; empty for the server's stable default order.</summary>
    public IReadOnlyList<OrderByItem> OrderBy { get; init; } = [];

    /// <summary><c>$select</c> properties and navigation names (paths allowed); empty for all properties.</summary>
    public IReadOnlyList<string> Select { get; init; } = [];

    /// <summary><c>$expand</c> entries, in the order given.</summary>
    public IReadOnlyList<ExpandItem> Expand { get; init; } = [];

    /// <summary><c>$top</c> (≥ 0), or <c>null</c>; the server's page limit still applies.</summary>
    public long? Top { get; init; }

    /// <summary><c>$skip</c> (≥ 0), or <c>null</c>.</summary>
    public long? Skip { get; init; }

    /// <summary><c>$count</c>, or <c>null</c> when not given.</summary>
    public bool? Count { get; init; }

    /// <summary><c>$resultFormat</c>; only allowed at the top level.</summary>
    public ResultFormat ResultFormat { get; init; }

    /// <summary>Parses a request's query parameters (names and values already URL-decoded).</summary>
    /// <param name="queryParameters">The parameters in order; a name given twice is an error.</param>
    /// <returns>The parsed options.</returns>
    /// <exception cref="QueryOptionException">An option is malformed (400) or not implemented (501).</exception>
    public static QueryOptions Parse(IEnumerable<KeyValuePair<string, string>> queryParameters)
    {
        var options = new List<RawOption>();
        foreach (var (name, value) in queryParameters)
        {
            if (!name.StartsWith('$'))
            {
                continue;
            }

            var text = value ?? string.Empty;
            var context = OptionContext.TopLevel(name);
            if (text.Length > FilterParser.MaxLength)
            {
                throw context.BadRequest($"longer than {FilterParser.MaxLength} characters");
            }

            options.Add(new RawOption(name, text, context));
        }

        return Build(options, nested: false, depth: 0);
    }

    /// <summary>The inverse of <see cref="Parse"/>: the options as query parameters (not URL-encoded), e.g. for <c>@iot.nextLink</c>.</summary>
    /// <returns>One pair per option that is set, in a fixed order.</returns>
    public IEnumerable<KeyValuePair<string, string>> ToQueryParameters()
    {
        if (Filter is not null)
        {
            yield return new("$filter", Filter.ToQueryText());
        }

        if (OrderBy.Count > 0)
        {
            yield return new("$orderby", string.Join(',', OrderBy.Select(o =>
                o.Expression.ToQueryText() + (o.Direction == SortDirection.Descending ? " desc" : " asc"))));
        }

        if (Select.Count > 0)
        {
            yield return new("$select", string.Join(',', Select));
        }

        if (Expand.Count > 0)
        {
            yield return new("$expand", string.Join(',', Expand.Select(e =>
                e.Options.ToString().Length == 0
                    ? e.Path
                    : $"{e.Path}({string.Join(';', e.Options.ToQueryParameters().Select(p => $"{p.Key}={p.Value}"))})")));
        }

        if (Top is { } top)
        {
            yield return new("$top", top.ToString(CultureInfo.InvariantCulture));
        }

        if (Skip is { } skip)
        {
            yield return new("$skip", skip.ToString(CultureInfo.InvariantCulture));
        }

        if (Count is { } count)
        {
            yield return new("$count", count ? "true" : "false");
        }

        if (ResultFormat == ResultFormat.DataArray)
        {
            yield return new("$resultFormat", "dataArray");
        }
    }

    /// <summary>The options as an unencoded query string, e.g. <c>$filter=(result gt 1)&amp;$top=3</c>; canonical, so usable for comparison.</summary>
    public override string ToString() => string.Join('&', ToQueryParameters().Select(p => $"{p.Key}={p.Value}"));

    private static QueryOptions Build(List<RawOption> options, bool nested, int depth)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = None;
        foreach (var (name, value, context) in options)
        {
            if (!seen.Add(name))
            {
                throw context.BadRequest("given more than once");
            }

            result = name switch
            {
                "$filter" => result with { Filter = FilterParser.Parse(value, context) },
                "$orderby" => result with { OrderBy = FilterParser.ParseOrderBy(value, context) },
                "$select" => result with { Select = FilterParser.ParseSelect(value, context) },
                "$expand" => result with { Expand = ParseExpand(value, context, depth) },
                "$top" => result with { Top = NonNegative(value, context) },
                "$skip" => result with { Skip = NonNegative(value, context) },
                "$count" => result with
                {
                    Count = value switch
                    {
                        "true" => true,
                        "false" => false,
                        _ => throw context.BadRequest($"must be true or false, not '{Shorten(value)}'"),
                    },
                },
                "$resultFormat" when nested => throw context.BadRequest("is not allowed inside $expand"),
                "$resultFormat" => result with
                {
                    ResultFormat = value == "dataArray"
                        ? ResultFormat.DataArray
                        : throw context.BadRequest($"must be dataArray, not '{Shorten(value)}'"),
                },
                _ => throw new QueryOptionException(
                    QueryOptionErrorKind.NotImplemented, context.Option, context.Label, $"the query option '{Shorten(name)}' is not implemented"),
            };
        }

        return result;
    }

    private static long NonNegative(string value, OptionContext context) =>
        value.Length > 0 && value.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0
        && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw context.BadRequest($"must be a non-negative integer, not '{Shorten(value)}'");

    /// <summary>
    /// Parses <c>path[(option=value;…)][,…]</c>. A nested value runs to the next <c>;</c> or <c>)</c> outside
    /// parentheses and quotes, so nested <c>$filter</c>s and <c>$expand</c>s may contain both.
    /// </summary>
    private static IReadOnlyList<ExpandItem> ParseExpand(string text, OptionContext context, int depth)
    {
        var items = new List<ExpandItem>();
        var position = 0;
        while (true)
        {
            position = SkipSpaces(text, position);
            var pathStart = position;
            while (true)
            {
                if (position >= text.Length || !FilterLexer.IsIdentifierStart(text[position]))
                {
                    throw context.BadRequest($"expected a navigation property name but found {Describe(text, position)}", position);
                }

                while (position < text.Length && FilterLexer.IsIdentifierPart(text[position]))
                {
                    position++;
                }

                if (position >= text.Length || text[position] != '/')
                {
                    break;
                }

                position++;
            }

            var path = text[pathStart..position];
            position = SkipSpaces(text, position);
            var options = None;
            if (position < text.Length && text[position] == '(')
            {
                if (depth + 1 > FilterParser.MaxNestingDepth)
                {
                    throw context.BadRequest($"nested more than {FilterParser.MaxNestingDepth} levels deep", position);
                }

                var raw = new List<RawOption>();
                position++;
                while (true)
                {
                    var nameStart = position;
                    if (position >= text.Length || text[position] != '$')
                    {
                        throw context.BadRequest($"expected a query option such as $filter but found {Describe(text, position)}", position);
                    }

                    position++;
                    while (position < text.Length && char.IsAsciiLetter(text[position]))
                    {
                        position++;
                    }

                    var name = text[nameStart..position];
                    if (position >= text.Length || text[position] != '=')
                    {
                        throw context.BadRequest($"expected '=' after {Shorten(name)} but found {Describe(text, position)}", position);
                    }

                    var valueStart = ++position;
                    position = EndOfNestedValue(text, position, context);
                    var label = $"{context.Label}: {Shorten(name)} of {Shorten(path)}";
                    raw.Add(new RawOption(name, text[valueStart..position], context with { Label = label, Offset = context.Offset + valueStart }));
                    if (text[position++] == ')')
                    {
                        break;
                    }
                }

                options = Build(raw, nested: true, depth + 1);
            }

            items.Add(new ExpandItem(path, options));
            position = SkipSpaces(text, position);
            if (position >= text.Length)
            {
                return items;
            }

            if (text[position] != ',')
            {
                throw context.BadRequest($"expected ',' or end of input but found {Describe(text, position)}", position);
            }

            position++;
        }
    }

    /// <summary>Finds the <c>;</c> or <c>)</c> that ends a nested option's value; a doubled quote inside a string toggles twice and so changes nothing.</summary>
    private static int EndOfNestedValue(string text, int position, OptionContext context)
    {
        var start = position;
        var parentheses = 0;
        var quoted = false;
        for (; position < text.Length; position++)
        {
            var c = text[position];
            if (c == '\'')
            {
                quoted = !quoted;
            }
            else if (!quoted && c == '(')
            {
                parentheses++;
            }
            else if (!quoted && c == ')')
            {
                if (parentheses == 0)
                {
                    return position;
                }

                parentheses--;
            }
            else if (!quoted && c == ';' && parentheses == 0)
            {
                return position;
            }
        }

        throw context.BadRequest(quoted ? "unterminated string literal" : "expected ')' to close the nested options", start);
    }

    private static int SkipSpaces(string text, int position)
    {
        while (position < text.Length && text[position] == ' ')
        {
            position++;
        }

        return position;
    }

    private static string Describe(string text, int position) =>
        position >= text.Length ? "end of input" : FilterLexer.Describe(text[position]);

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");

    private readonly record struct RawOption(string Name, string Value, OptionContext Context);
}
