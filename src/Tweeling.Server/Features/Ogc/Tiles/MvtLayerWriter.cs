using System.Text;

namespace Tweeling.Server.Features.Ogc.Tiles;

/// <summary>The geometry types of the Mapbox Vector Tile specification 2.1 (<c>GeomType</c> in vector_tile.proto).</summary>
internal enum MvtGeometryType
{
    /// <summary>Points: one MoveTo with a point per parameter pair.</summary>
    Point = 1,

    /// <summary>Line strings: a MoveTo and a LineTo per part.</summary>
    LineString = 2,

    /// <summary>Polygons: MoveTo, LineTo, ClosePath per ring; an exterior ring (positive area) followed by its holes.</summary>
    Polygon = 3,
}

/// <summary>
/// Writes one layer of a Mapbox Vector Tile (specification 2.1) as the protobuf message <c>Tile</c>
/// with that single layer. Keys and values are shared across the layer's features, as the
/// specification intends, so a property such as <c>functie = wonen</c> is stored once per tile.
/// </summary>
/// <remarks>
/// The protobuf is written by hand: the message has five fields that matter, and writing them
/// directly costs no generated code, reflection or per-feature objects on the tile hot path.
/// </remarks>
internal sealed class MvtLayerWriter(string name, uint extent)
{
    private const int WireVarint = 0;
    private const int WireFixed64 = 1;
    private const int WireLengthDelimited = 2;

    private readonly ProtoBuffer _features = new();
    private readonly ProtoBuffer _feature = new();
    private readonly List<string> _keys = [];
    private readonly Dictionary<string, uint> _keyIndex = new(StringComparer.Ordinal);
    private readonly List<object> _values = [];
    private readonly Dictionary<object, uint> _valueIndex = [];
    private readonly List<uint> _tags = [];

    /// <summary>How many features have been added.</summary>
    public int FeatureCount { get; private set; }

    /// <summary>
    /// Adds a feature with <paramref name="geometry"/> (already encoded as MVT commands) and its properties;
    /// a property whose value is <c>null</c> is left out, as MVT has no null. <paramref name="id"/>, if any, is the
    /// feature's integer id (the <c>Feature.id</c> field).
    /// </summary>
    public void AddFeature(MvtGeometryType type, IReadOnlyList<uint> geometry, IEnumerable<KeyValuePair<string, object?>> properties, ulong? id = null)
    {
        _tags.Clear();
        foreach (var (key, value) in properties)
        {
            if (value is null)
            {
                continue;
            }

            _tags.Add(IndexOf(key));
            _tags.Add(IndexOf(value));
        }

        _feature.Clear();
        if (id is { } featureId)
        {
            _feature.WriteTag(1, WireVarint);
            _feature.WriteVarint(featureId);
        }

        _feature.WritePacked(2, _tags);
        _feature.WriteTag(3, WireVarint);
        _feature.WriteVarint((ulong)type);
        _feature.WritePacked(4, geometry);
        _features.WriteMessage(2, _feature);
        FeatureCount++;
    }

    /// <summary>The complete tile: a <c>Tile</c> message holding this layer.</summary>
    public byte[] ToTile()
    {
        var layer = new ProtoBuffer();
        layer.WriteTag(15, WireVarint);
        layer.WriteVarint(2);
        layer.WriteString(1, name);
        layer.WriteRaw(_features);
        foreach (var key in _keys)
        {
            layer.WriteString(3, key);
        }

        var value = new ProtoBuffer();
        foreach (var v in _values)
        {
            value.Clear();
            WriteValue(value, v);
            layer.WriteMessage(4, value);
        }

        layer.WriteTag(5, WireVarint);
        layer.WriteVarint(extent);
        var tile = new ProtoBuffer();
        tile.WriteMessage(3, layer);
        return tile.ToArray();
    }

    private uint IndexOf(string key)
    {
        if (!_keyIndex.TryGetValue(key, out var index))
        {
            index = (uint)_keys.Count;
            _keys.Add(key);
            _keyIndex.Add(key, index);
        }

        return index;
    }

    private uint IndexOf(object value)
    {
        // An int from a caller is stored as the long the feature store uses, so equal numbers share one value.
        value = value is int i ? (long)i : value;
        if (!_valueIndex.TryGetValue(value, out var index))
        {
            index = (uint)_values.Count;
            _values.Add(value);
            _valueIndex.Add(value, index);
        }

        return index;
    }

    /// <summary>Writes a <c>Value</c> message: string 1, double 3, int64 4, sint64 6, bool 7.</summary>
    private static void WriteValue(ProtoBuffer buffer, object value)
    {
        switch (value)
        {
            case string text:
                buffer.WriteString(1, text);
                break;
            case double number:
                buffer.WriteTag(3, WireFixed64);
                buffer.WriteFixed64(BitConverter.DoubleToUInt64Bits(number));
                break;
            case long whole when whole >= 0:
                buffer.WriteTag(4, WireVarint);
                buffer.WriteVarint((ulong)whole);
                break;
            case long negative:
                buffer.WriteTag(6, WireVarint);
                buffer.WriteVarint((ulong)((negative << 1) ^ (negative >> 63)));
                break;
            case bool flag:
                buffer.WriteTag(7, WireVarint);
                buffer.WriteVarint(flag ? 1UL : 0UL);
                break;
            default:
                buffer.WriteString(1, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "");
                break;
        }
    }

    /// <summary>A growable buffer of protobuf wire format.</summary>
    private sealed class ProtoBuffer
    {
        private byte[] _bytes = new byte[256];

        public int Length { get; private set; }

        public void Clear() => Length = 0;

        public byte[] ToArray() => _bytes.AsSpan(0, Length).ToArray();

        public void WriteTag(int field, int wireType) => WriteVarint((ulong)((field << 3) | wireType));

        public void WriteVarint(ulong value)
        {
            Ensure(10);
            while (value >= 0x80)
            {
                _bytes[Length++] = (byte)(value | 0x80);
                value >>= 7;
            }

            _bytes[Length++] = (byte)value;
        }

        public void WriteFixed64(ulong value)
        {
            Ensure(8);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(_bytes.AsSpan(Length), value);
            Length += 8;
        }

        public void WriteString(int field, string text)
        {
            WriteTag(field, WireLengthDelimited);
            var count = Encoding.UTF8.GetByteCount(text);
            WriteVarint((ulong)count);
            Ensure(count);
            Length += Encoding.UTF8.GetBytes(text, _bytes.AsSpan(Length));
        }

        public void WritePacked(int field, IReadOnlyList<uint> values)
        {
            if (values.Count == 0)
            {
                return;
            }

            var size = 0;
            foreach (var v in values)
            {
                size += VarintSize(v);
            }

            WriteTag(field, WireLengthDelimited);
            WriteVarint((ulong)size);
            foreach (var v in values)
            {
                WriteVarint(v);
            }
        }

        public void WriteMessage(int field, ProtoBuffer message)
        {
            WriteTag(field, WireLengthDelimited);
            WriteVarint((ulong)message.Length);
            WriteRaw(message);
        }

        public void WriteRaw(ProtoBuffer other)
        {
            Ensure(other.Length);
            other._bytes.AsSpan(0, other.Length).CopyTo(_bytes.AsSpan(Length));
            Length += other.Length;
        }

        private static int VarintSize(uint value) => value switch
        {
            < 1u << 7 => 1,
            < 1u << 14 => 2,
            < 1u << 21 => 3,
            < 1u << 28 => 4,
            _ => 5,
        };

        private void Ensure(int count)
        {
            if (Length + count > _bytes.Length)
            {
                Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + count));
            }
        }
    }
}
