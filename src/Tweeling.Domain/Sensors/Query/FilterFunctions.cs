using System.Collections.Frozen;

namespace Tweeling.Domain.Sensors.Query;

/// <summary>How many arguments a filter function takes; <see cref="Min"/> equals <see cref="Max"/> unless optional arguments exist.</summary>
/// <param name="Min">The fewest arguments accepted.</param>
/// <param name="Max">The most arguments accepted.</param>
public readonly record struct FunctionArity(int Min, int Max);

/// <summary>
/// The functions SensorThings API 1.1 defines for <c>$filter</c> and <c>$orderby</c>, with their arity.
/// </summary>
/// <remarks>
/// The table is fixed so that a misspelt or unsupported function is a 400 at parse time rather than a failure
/// deep in evaluation, and so that evaluators can rely on the argument count. Names are case-sensitive, as in OData.
/// </remarks>
public static class FilterFunctions
{
    /// <summary>Every known function by name, e.g. <c>substring</c> → 2..3, <c>st_relate</c> → 3.</summary>
    public static FrozenDictionary<string, FunctionArity> Known { get; } = Build();

    private static FrozenDictionary<string, FunctionArity> Build()
    {
        var table = new Dictionary<string, FunctionArity>(StringComparer.Ordinal);
        void Add(int min, int max, params string[] names)
        {
            foreach (var name in names)
            {
                table.Add(name, new FunctionArity(min, max));
            }
        }

        Add(2, 2, "substringof", "endswith", "startswith", "indexof", "concat");
        Add(1, 1, "length", "tolower", "toupper", "trim");
        Add(2, 3, "substring");
        Add(1, 1, "year", "month", "day", "hour", "minute", "second", "fractionalseconds", "date", "time", "totaloffsetminutes");
        Add(0, 0, "now", "mindatetime", "maxdatetime");
        Add(1, 1, "round", "floor", "ceiling");
        Add(2, 2, "geo.distance", "geo.intersects");
        Add(1, 1, "geo.length");
        Add(2, 2, "st_equals", "st_disjoint", "st_touches", "st_within", "st_overlaps", "st_crosses", "st_intersects", "st_contains");
        Add(3, 3, "st_relate");
        return table.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
