using System.IO.Compression;
using Microsoft.Net.Http.Headers;

namespace Tweeling.Server.Features.SensorThings;

/// <summary>
/// The gzip form (the <c>gzip</c> content coding, RFC 9110 §8.4.1.3) of an answer that <see cref="StaAnswerCache"/>
/// keeps, made once, when the first client that accepts gzip asks for it, and sent to every such client after.
/// </summary>
/// <remarks>
/// <para>
/// SensorThings answers repeat the same member names and links for every entity, so they shrink several times
/// (docs/benchmarks.md, "SensorThings read p99 (sta-read6)"), and every kilobyte not sent is CPU saved on both ends of
/// the connection. Only kept answers are compressed: a one-off answer (most time windows are asked once) would be
/// compressed for a single client, which costs more CPU than sending it as it is.
/// </para>
/// <para>
/// Its entity tag is not the identity body's: a strong tag names the bytes of one representation (RFC 9110 §8.8.1),
/// and the gzip bytes are other bytes, so a cache that holds both can tell them apart.
/// </para>
/// </remarks>
internal sealed class GzipAnswer(ReadOnlyMemory<byte> identity, string identityTag)
{
    /// <summary>
    /// Answers shorter than this (bytes) are sent as they are: about one Ethernet frame's payload, so compressing them
    /// saves no packet.
    /// </summary>
    private const int SmallestCompressed = 1500;

    private byte[]? _body;
    private bool _made;
    private object? _making;

    /// <summary>Whether an answer of <paramref name="length"/> bytes is worth a gzip form.</summary>
    public static bool WorthIt(int length) => length >= SmallestCompressed;

    /// <summary>The gzip bytes; made by the first caller while concurrent callers wait for them.</summary>
    public ReadOnlyMemory<byte> Body => LazyInitializer.EnsureInitialized(ref _body, ref _made, ref _making, Compress);

    /// <summary>The identity body's strong tag with <c>-gzip</c> inside the quotes.</summary>
    public string ETag { get; } = identityTag.Insert(identityTag.Length - 1, "-gzip");

    private byte[] Compress()
    {
        using var output = new MemoryStream(identity.Length / 4);
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(identity.Span);
        }

        return output.ToArray();
    }

    /// <summary>
    /// Whether <paramref name="request"/>'s <c>Accept-Encoding</c> accepts gzip (RFC 9110 §12.5.3): named (or
    /// <c>x-gzip</c>) with a non-zero weight, or not named and <c>*</c> with a non-zero weight.
    /// </summary>
    public static bool Accepted(HttpRequest request)
    {
        var header = request.Headers.AcceptEncoding;
        if (header.Count == 0 || !StringWithQualityHeaderValue.TryParseList(header, out var codings))
        {
            return false;
        }

        double? gzip = null;
        double? any = null;
        foreach (var coding in codings)
        {
            var weight = coding.Quality ?? 1;
            if (coding.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase) || coding.Value.Equals("x-gzip", StringComparison.OrdinalIgnoreCase))
            {
                gzip = Math.Max(gzip ?? 0, weight);
            }
            else if (coding.Value.Equals("*", StringComparison.Ordinal))
            {
                any = weight;
            }
        }

        return (gzip ?? any ?? 0) > 0;
    }
}
