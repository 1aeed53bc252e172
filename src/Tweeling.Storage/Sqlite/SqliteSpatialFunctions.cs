using System.Collections.Frozen;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Tweeling.Storage.Sqlite;

/// <summary>
/// The functions <see cref="SqliteFilterTranslator"/> calls that SQLite lacks: the OGC simple-features predicates,
/// distance and length on WKB geometries (NetTopologySuite), and Unicode-aware lower and upper case (SQLite's
/// own only fold ASCII, so <c>tolower(name) eq 'één'</c> would miss).
/// </summary>
/// <remarks>
/// Geometries are CRS84 longitude/latitude and are computed planar, so distances and lengths are in degrees (as
/// FROST-Server does for CRS84). A null or unreadable geometry gives null, which a filter treats as false.
/// The names carry a <c>tw_</c> prefix so they never shadow a built-in function.
/// </remarks>
internal static class SqliteSpatialFunctions
{
    public const string Distance = "tw_geo_distance";
    public const string Length = "tw_geo_length";
    public const string Relate = "tw_st_relate";
    public const string Lower = "tw_lower";
    public const string Upper = "tw_upper";

    private static readonly FrozenDictionary<string, Func<Geometry, Geometry, bool>> s_predicates = new Dictionary<string, Func<Geometry, Geometry, bool>>
    {
        ["st_equals"] = (a, b) => a.EqualsTopologically(b),
        ["st_disjoint"] = (a, b) => a.Disjoint(b),
        ["st_touches"] = (a, b) => a.Touches(b),
        ["st_within"] = (a, b) => a.Within(b),
        ["st_overlaps"] = (a, b) => a.Overlaps(b),
        ["st_crosses"] = (a, b) => a.Crosses(b),
        ["st_intersects"] = (a, b) => a.Intersects(b),
        ["st_contains"] = (a, b) => a.Contains(b),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The <c>st_*</c> predicates taking two geometries, by their filter name.</summary>
    public static IReadOnlySet<string> Predicates { get; } = s_predicates.Keys.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The SQL function name of the predicate <paramref name="name"/>, e.g. <c>st_within</c> → <c>tw_st_within</c>.</summary>
    public static string Predicate(string name) => "tw_" + name;

    /// <summary>Adds the functions to <paramref name="connection"/> (an open connection; they last as long as it).</summary>
    public static void Register(SqliteConnection connection)
    {
        connection.CreateFunction<byte[]?, byte[]?, double?>(Distance, (a, b) => Both(a, b, (x, y) => x.Distance(y)), isDeterministic: true);
        connection.CreateFunction<byte[]?, double?>(Length, a => Read(a) is { } g ? g.Length : null, isDeterministic: true);
        connection.CreateFunction<byte[]?, byte[]?, string?, long?>(
            Relate,
            (a, b, pattern) => pattern is null ? null : Both(a, b, (x, y) => Relates(x, y, pattern)),
            isDeterministic: true);
        foreach (var (name, predicate) in s_predicates)
        {
            connection.CreateFunction<byte[]?, byte[]?, long?>(Predicate(name), (a, b) => Both(a, b, (x, y) => Safely(() => predicate(x, y)) ? 1L : 0L), isDeterministic: true);
        }

        connection.CreateFunction<string?, string?>(Lower, s => s?.ToLowerInvariant(), isDeterministic: true);
        connection.CreateFunction<string?, string?>(Upper, s => s?.ToUpperInvariant(), isDeterministic: true);
    }

    /// <summary>A DE-9IM pattern such as <c>T*F**F***</c>; a malformed one matches nothing rather than failing the query.</summary>
    private static long Relates(Geometry a, Geometry b, string pattern) => Safely(() => a.Relate(b, pattern)) ? 1 : 0;

    /// <summary>
    /// A predicate that cannot be decided (a stored geometry NetTopologySuite finds topologically invalid, a bad
    /// pattern) is false for that row: one odd row must not fail the whole query with a server error.
    /// </summary>
    private static bool Safely(Func<bool> predicate)
    {
        try
        {
            return predicate();
        }
        catch (Exception e) when (e is TopologyException or ArgumentException)
        {
            return false;
        }
    }

    private static TResult? Both<TResult>(byte[]? a, byte[]? b, Func<Geometry, Geometry, TResult> compute)
        where TResult : struct =>
        Read(a) is { } x && Read(b) is { } y ? compute(x, y) : null;

    private static Geometry? Read(byte[]? wkb)
    {
        if (wkb is null)
        {
            return null;
        }

        try
        {
            return new WKBReader().Read(wkb);
        }
        catch (ParseException)
        {
            return null;
        }
    }
}
