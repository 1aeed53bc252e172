using System.Collections;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Tweeling.Benchmarks;

/// <summary>What the model benchmarks (<c>model-cpu</c>, <c>leefbaarheid</c>) make of their runs: medians of the measures, and fingerprints of the outputs that show whether a change moved a result.</summary>
internal static class RunFigures
{
    /// <summary>The median of <paramref name="values"/>: the middle one, or the mean of the middle two.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>SHA-256 over the invariant text of every record of <paramref name="value"/> (records print their values; doubles round-trip), first 12 hex digits.</summary>
    public static string Fingerprint(object value) => Hashed(text => AppendRecords(text, value));

    /// <summary>As <see cref="Fingerprint(object)"/> over every output, in port-name order, each after its port's name.</summary>
    public static string Fingerprint(IReadOnlyDictionary<string, object> outputs) => Hashed(text =>
    {
        foreach (var (port, value) in outputs.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            text.Append(port).Append('\n');
            AppendRecords(text, value);
        }
    });

    private static void AppendRecords(StringBuilder text, object value)
    {
        foreach (var item in value is IEnumerable list ? list.Cast<object>() : [value])
        {
            text.Append(item).Append('\n');
        }
    }

    private static string Hashed(Action<StringBuilder> write)
    {
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            var text = new StringBuilder();
            write(text);
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..12];
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }
}
