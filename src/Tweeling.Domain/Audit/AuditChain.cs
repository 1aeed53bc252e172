using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Tweeling.Domain.Audit;

/// <summary>
/// The audit log's canonical record form and hash chain (docs/audit.md): <c>hash_n = SHA-256(hash_{n-1} ||
/// canonical(record_n))</c>, with <c>hash_0</c> 32 zero bytes. A record edited, removed, inserted or moved
/// changes every later hash, so a verifier that recomputes the chain finds the first record that differs.
/// </summary>
/// <remarks>
/// The canonical form is the record as a JSON object in RFC 8785 (JSON Canonicalization Scheme) form: the
/// members <c>action, outcome, purpose, resource, role, seq, size, subject, time, unit</c> in that (sorted)
/// order, no whitespace, UTF-8, strings escaped as RFC 8785 §3.2.2.2 says, integers in decimal, an absent
/// subject or purpose as <c>null</c>, and the time as <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>. Any JCS
/// implementation therefore reproduces it, and it never depends on this build's JSON library.
/// </remarks>
public static class AuditChain
{
    /// <summary>The length of a chain hash in bytes (SHA-256).</summary>
    public const int HashBytes = 32;

    /// <summary><c>hash_0</c>, the hash before the first record: 32 zero bytes, as lowercase hex.</summary>
    public static string Genesis { get; } = new('0', HashBytes * 2);

    /// <summary>The chain hash of <paramref name="sequence"/>/<paramref name="entry"/> after <paramref name="previousHash"/>, as lowercase hex.</summary>
    /// <exception cref="FormatException"><paramref name="previousHash"/> is not 64 hex digits.</exception>
    public static string Next(string previousHash, long sequence, AuditEntry entry)
    {
        var previous = Convert.FromHexString(previousHash);
        if (previous.Length != HashBytes)
        {
            throw new FormatException($"A chain hash is {HashBytes * 2} hex digits; got {previousHash.Length}.");
        }

        var canonical = Canonical(sequence, entry);
        var input = new byte[HashBytes + canonical.Length];
        previous.CopyTo(input, 0);
        canonical.CopyTo(input, HashBytes);
        return Convert.ToHexStringLower(SHA256.HashData(input));
    }

    /// <summary>The canonical UTF-8 form of the record at <paramref name="sequence"/>; see the remarks of <see cref="AuditChain"/>.</summary>
    public static byte[] Canonical(long sequence, AuditEntry entry)
    {
        var json = new StringBuilder(256);
        json.Append("{\"action\":");
        AppendString(json, entry.Action);
        json.Append(",\"outcome\":");
        AppendString(json, entry.Outcome);
        json.Append(",\"purpose\":");
        AppendString(json, entry.Purpose);
        json.Append(",\"resource\":");
        AppendString(json, entry.Resource);
        json.Append(",\"role\":");
        AppendString(json, entry.Role);
        json.Append(",\"seq\":").Append(sequence.ToString(CultureInfo.InvariantCulture));
        json.Append(",\"size\":").Append(entry.ResultSize.ToString(CultureInfo.InvariantCulture));
        json.Append(",\"subject\":");
        AppendString(json, entry.Subject);
        json.Append(",\"time\":");
        AppendString(json, FormatTime(entry.Time));
        json.Append(",\"unit\":");
        AppendString(json, entry.ResultUnit);
        json.Append('}');
        return Encoding.UTF8.GetBytes(json.ToString());
    }

    /// <summary>A record's time as the canonical form writes it: UTC with milliseconds.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A JSON string as RFC 8785 writes it: only <c>"</c>, <c>\</c> and control characters are escaped.</summary>
    private static void AppendString(StringBuilder json, string? value)
    {
        if (value is null)
        {
            json.Append("null");
            return;
        }

        json.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\b': json.Append("\\b"); break;
                case '\f': json.Append("\\f"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                case < ' ': json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: json.Append(c); break;
            }
        }

        json.Append('"');
    }
}
