using System.Security.Cryptography;
using System.Text.Json;
using Tweeling.Models.Graph;

namespace Tweeling.Models.Tests.Graph;

/// <summary>
/// A content hash is the SHA-256 of the value's JSON, hashed as the serialiser writes it: values whose JSON spans many
/// of the serialiser's buffers (tens of kilobytes and more, as a city's buildings do) hash as their whole JSON does, and
/// a list hashed as a known front plus appended items hashes as the whole list.
/// </summary>
public sealed class ContentHashTests
{
    // 20,000 records are about 1 MB of JSON: many of the serialiser's flushes.
    private static readonly Item[] s_many = [.. Enumerable.Range(0, 20_000).Select(i => new Item(i, $"pand-{i:D6}", i * 0.25))];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(20_000)]
    public void A_value_hashes_as_the_sha256_of_its_whole_json(int count)
    {
        var value = s_many[..count];

        var expected = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(value)));

        Assert.Equal(expected, ContentHash.Of(value));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 3)]
    [InlineData(1, 0)]
    [InlineData(1, 2)]
    [InlineData(19_997, 3)]
    public void A_known_front_with_items_appended_hashes_as_the_whole_list(int front, int appended)
    {
        var prefix = ContentHash.PrefixOf(s_many[..front]);

        var hash = ContentHash.OfAppended(prefix, s_many[front..(front + appended)]);

        Assert.Equal(ContentHash.Of(s_many[..(front + appended)]), hash);
    }

    /// <summary>A record of the kind port values hold.</summary>
    public sealed record Item(int Number, string Id, double Value);
}
