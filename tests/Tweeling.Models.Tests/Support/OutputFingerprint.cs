using System.Collections;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Tweeling.Models.Tests.Support;

/// <summary>
/// The first 128 bits of a SHA-256 over the invariant text of a model run's outputs (records print every value; doubles print the shortest
/// text that round-trips), so equal fingerprints mean bit-identical results. The speed work on the models' internals
/// (docs/benchmarks.md, "Impact models: CPU per model at scale 1") is guarded by the fingerprints of the
/// implementation before it.
/// </summary>
internal static class OutputFingerprint
{
    public static string Of(IReadOnlyDictionary<string, object> outputs)
    {
        var text = new StringBuilder();
        foreach (var (port, value) in outputs.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            text.Append(port).Append('\n');
            foreach (var item in value is IEnumerable list ? list.Cast<object>() : [value])
            {
                text.Append(CultureInfo.InvariantCulture, $"{item}").Append('\n');
            }
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..32];
    }
}
