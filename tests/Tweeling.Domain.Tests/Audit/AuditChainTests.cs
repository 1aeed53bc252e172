using System.Text;
using Tweeling.Domain.Audit;

namespace Tweeling.Domain.Tests.Audit;

/// <summary>
/// The canonical form and chain are a published format (docs/audit.md): these golden values were computed
/// independently, with Python's <c>json.dumps(record, sort_keys=True, separators=(',', ':'), ensure_ascii=False)</c>
/// (the RFC 8785 form for these values) and <c>hashlib.sha256</c>, so a change to either breaks them.
/// </summary>
public sealed class AuditChainTests
{
    private static readonly AuditEntry s_read = new(
        new DateTimeOffset(2026, 3, 1, 13, 0, 0, TimeSpan.FromHours(1)), "acc-7f3a", "analist", "beleid – zorg\n\"x\"", "read",
        "GET /ogc/collections/buurten/items?limit=10; datasets zorg-2024", 2048, "bytes", AuditEntry.Ok);

    private static readonly AuditEntry s_create = new(
        new DateTimeOffset(2026, 3, 1, 12, 0, 1, 500, TimeSpan.Zero).AddTicks(9999), null, "publiek", null, "create",
        "POST /sta/v1.1/Things -> Things(3)", 1, "entities", AuditEntry.Ok);

    [Fact]
    public void The_canonical_form_is_the_rfc_8785_object_with_sorted_members_and_utc_milliseconds()
    {
        Assert.Equal(
            """{"action":"read","outcome":"ok","purpose":"beleid – zorg\n\"x\"","resource":"GET /ogc/collections/buurten/items?limit=10; datasets zorg-2024","role":"analist","seq":1,"size":2048,"subject":"acc-7f3a","time":"2026-03-01T12:00:00.000Z","unit":"bytes"}""",
            Encoding.UTF8.GetString(AuditChain.Canonical(1, s_read)));
        Assert.Equal(
            """{"action":"create","outcome":"ok","purpose":null,"resource":"POST /sta/v1.1/Things -> Things(3)","role":"publiek","seq":2,"size":1,"subject":null,"time":"2026-03-01T12:00:01.500Z","unit":"entities"}""",
            Encoding.UTF8.GetString(AuditChain.Canonical(2, s_create)));
    }

    [Fact]
    public void The_chain_starts_at_32_zero_bytes_and_hashes_the_previous_hash_then_the_canonical_record()
    {
        var first = AuditChain.Next(AuditChain.Genesis, 1, s_read);
        var second = AuditChain.Next(first, 2, s_create);

        Assert.Equal(new string('0', 64), AuditChain.Genesis);
        Assert.Equal("cc3de80a44963f5b7e5dee22e2dcbd3aaef1af072dbc891e4027724b451b4594", first);
        Assert.Equal("76c48f01a81d536f9ac187b63d2734d6689ead1e0adcdcdbeea24be09017ddd2", second);
    }

    [Fact]
    public void Control_characters_get_the_short_or_lowercase_unicode_escapes_of_rfc_8785()
    {
        var entry = s_read with { Purpose = "\b\f\t\r\u0001\u001f/é" };

        Assert.Contains("""
            "purpose":"\b\f\t\r\u0001\u001f/é"
            """.Trim(), Encoding.UTF8.GetString(AuditChain.Canonical(1, entry)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_previous_hash_that_is_not_64_hex_digits_is_refused()
    {
        Assert.Throws<FormatException>(() => AuditChain.Next("abcd", 1, s_read));
        Assert.Throws<FormatException>(() => AuditChain.Next(new string('z', 64), 1, s_read));
    }
}
