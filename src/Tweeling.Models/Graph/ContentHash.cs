using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Tweeling.Models.Graph;

/// <summary>
/// The SHA-256 (lowercase hex) of a port value's content: its JSON (records serialise their members in declaration
/// order, so equal values give equal JSON) with geometries as WKB. The hash identifies a value across processes,
/// which is what makes a cached output and a reproduced result comparable. Values are immutable, so the hash of an
/// instance is remembered for as long as the instance lives.
/// </summary>
public static class ContentHash
{
    private static readonly JsonSerializerOptions s_options = new()
    {
        Converters = { new GeometryAsWkb(), new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private static readonly ConditionalWeakTable<object, string> s_known = [];

    /// <summary>The content hash of <paramref name="value"/>.</summary>
    public static string Of(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.GetType().IsValueType || value is string
            ? Compute(value)
            : s_known.GetValue(value, Compute);
    }

    /// <summary>The SHA-256 (lowercase hex) of <paramref name="parts"/>, each terminated by a newline.</summary>
    public static string Combine(IEnumerable<string> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var text = new StringBuilder();
        foreach (var part in parts)
        {
            text.Append(part).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>
    /// The hash state of <paramref name="items"/>' JSON up to its closing bracket: what <see cref="OfAppended"/> extends
    /// with the items appended to the list, so a list that is a large known list plus a few items is hashed at the cost
    /// of the few (SHA-256 is computed front to back, so the state after the front is all the front contributes).
    /// </summary>
    public static ListPrefix PrefixOf<T>(IReadOnlyList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var state = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var json = new HashingStream(state, holdBackLastByte: true))
        {
            JsonSerializer.Serialize(json, items, items.GetType(), s_options);
        }

        return new ListPrefix(state, items.Count);
    }

    /// <summary>
    /// The content hash of the list of <paramref name="prefix"/>'s items followed by <paramref name="appended"/>: equal to
    /// <see cref="Of"/> of that list, since a list's JSON is its items' JSON, comma separated, between brackets.
    /// </summary>
    public static string OfAppended<T>(ListPrefix prefix, IReadOnlyList<T> appended)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(appended);
        using var state = prefix.Continue();
        var first = prefix.Count == 0;
        foreach (var item in appended)
        {
            if (!first)
            {
                state.AppendData(","u8);
            }

            state.AppendData(JsonSerializer.SerializeToUtf8Bytes(item, typeof(T), s_options));
            first = false;
        }

        state.AppendData("]"u8);
        return Convert.ToHexStringLower(state.GetHashAndReset());
    }

    private static string Compute(object value)
    {
        using var state = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var json = new HashingStream(state, holdBackLastByte: false))
        {
            JsonSerializer.Serialize(json, value, value.GetType(), s_options);
        }

        return Convert.ToHexStringLower(state.GetHashAndReset());
    }

    /// <summary>
    /// A write-only stream that hashes the JSON written to it as the serialiser flushes its buffer, so a value is hashed
    /// without its JSON ever being one array: the baseline's buildings or trees are tens of megabytes of JSON, and one
    /// array of that size (grown by doubling, on the large object heap) left the server's start-up with about 300 MB of
    /// dead arrays and fragmentation (docs/benchmarks.md, *Server memory of the demo city*). With
    /// <c>holdBackLastByte</c> the last byte written is not hashed (a list's closing bracket, for <see cref="PrefixOf"/>).
    /// </summary>
    private sealed class HashingStream(IncrementalHash state, bool holdBackLastByte) : Stream
    {
        private byte? _heldBack;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (!holdBackLastByte)
            {
                state.AppendData(buffer);
                return;
            }

            if (buffer.IsEmpty)
            {
                return;
            }

            if (_heldBack is { } previous)
            {
                state.AppendData([previous]);
            }

            state.AppendData(buffer[..^1]);
            _heldBack = buffer[^1];
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Flush()
        {
            // Nothing is buffered here: every byte but a held-back last one is hashed as it is written.
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>The SHA-256 state after a list's JSON without its closing bracket (<see cref="PrefixOf"/>).</summary>
    public sealed class ListPrefix
    {
        private readonly IncrementalHash _state;

        internal ListPrefix(IncrementalHash state, int count)
        {
            _state = state;
            Count = count;
        }

        /// <summary>How many items the list holds.</summary>
        public int Count { get; }

        /// <summary>A copy of the state to append to; the state itself stays as it is, for the next list.</summary>
        internal IncrementalHash Continue()
        {
            lock (_state)
            {
                return _state.Clone();
            }
        }
    }

    /// <summary>Writes every geometry type as the base64 of its WKB (with its SRID): the same bytes for the same coordinates.</summary>
    private sealed class GeometryAsWkb : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) => typeof(Geometry).IsAssignableFrom(typeToConvert);

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(Wkb<>).MakeGenericType(typeToConvert))!;

        private sealed class Wkb<T> : JsonConverter<T>
            where T : Geometry
        {
            public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
                throw new NotSupportedException("Content hashes are one-way.");

            public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
                writer.WriteBase64StringValue(new WKBWriter(ByteOrder.LittleEndian, handleSRID: true, emitZ: false, emitM: false).Write(value));
        }
    }
}
