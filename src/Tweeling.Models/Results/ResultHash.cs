using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace Tweeling.Models.Results;

/// <summary>
/// The <see cref="ScenarioOutcome.ResultHash"/>: SHA-256 (lowercase hex) over the area values and the grids in a
/// canonical binary form. Each grid is hashed on its own (its header and its values as little-endian doubles) and the
/// result hash covers the grids' hashes, so a grid instance a kept report hands out again (<c>KeptReporter</c>) is not
/// hashed again: an edit hashes the grids it changed. Hashing the JSON of every value instead cost an edit 30–50 ms
/// (the demo city's ~500,000 grid doubles written as text each time).
/// </summary>
/// <remarks>
/// Canonical: every text is length-prefixed UTF-8, every count and number little-endian, a missing area value is a 0
/// byte and a present one a 1 byte and the double; every NaN is written as <see cref="double.NaN"/>'s bits and −0 as 0,
/// so values that compare equal (NaN counting as one value) give equal hashes, on any machine. Any other change of a
/// value, an indicator, an area code, a grid's place or shape changes the bytes hashed.
/// </remarks>
public static class ResultHash
{
    /// <summary>Names the form, so that a hash of another form can never be mistaken for one of this.</summary>
    private const string Form = "tweeling result hash 2: areas, grid hashes";

    // A grid's values never change once reported (GridLayer is immutable by contract), so its hash is kept with it.
    private static readonly ConditionalWeakTable<GridLayer, byte[]> s_grids = [];

    /// <summary>The result hash of <paramref name="areas"/> and <paramref name="grids"/>, in their order.</summary>
    public static string Of(IReadOnlyList<AreaValue> areas, IReadOnlyList<GridLayer> grids)
    {
        ArgumentNullException.ThrowIfNull(areas);
        ArgumentNullException.ThrowIfNull(grids);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var writer = new Writer(hash);
        writer.Text(Form);
        writer.Count(areas.Count);
        foreach (var area in areas)
        {
            writer.Text(area.Indicator);
            writer.Text(area.AreaCode);
            writer.Value(area.Value);
        }

        writer.Count(grids.Count);
        foreach (var grid in grids)
        {
            writer.Bytes(s_grids.GetValue(grid, OfGrid));
        }

        writer.Flush();
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The SHA-256 of one grid: its indicator, origin, cell size, columns, rows and every value.</summary>
    private static byte[] OfGrid(GridLayer grid)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var writer = new Writer(hash);
        writer.Text(grid.Indicator);
        writer.Number(grid.OriginX);
        writer.Number(grid.OriginY);
        writer.Number(grid.CellSize);
        writer.Count(grid.Columns);
        writer.Count(grid.Rows);
        writer.Count(grid.Values.Count);
        if (grid.Values is double[] values)
        {
            // The reporters' arrays, without an enumerator call per value.
            foreach (var value in values)
            {
                writer.Number(value);
            }
        }
        else
        {
            foreach (var value in grid.Values)
            {
                writer.Number(value);
            }
        }

        writer.Flush();
        return hash.GetHashAndReset();
    }

    /// <summary>Writes the canonical bytes to a hash through a buffer (one append per 64 KiB, not per number).</summary>
    private sealed class Writer(IncrementalHash hash)
    {
        private readonly byte[] _buffer = new byte[1 << 16];
        private int _used;

        public void Count(int count)
        {
            Room(sizeof(int));
            BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_used), count);
            _used += sizeof(int);
        }

        public void Number(double value)
        {
            Room(sizeof(double));
            var canonical = double.IsNaN(value) ? double.NaN : value == 0 ? 0.0 : value;
            BinaryPrimitives.WriteDoubleLittleEndian(_buffer.AsSpan(_used), canonical);
            _used += sizeof(double);
        }

        public void Value(double? value)
        {
            Room(1);
            _buffer[_used++] = value.HasValue ? (byte)1 : (byte)0;
            if (value is { } v)
            {
                Number(v);
            }
        }

        public void Text(string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            Count(bytes.Length);
            Bytes(bytes);
        }

        public void Bytes(byte[] bytes)
        {
            if (bytes.Length > _buffer.Length - _used)
            {
                Flush();
                hash.AppendData(bytes);
                return;
            }

            bytes.CopyTo(_buffer, _used);
            _used += bytes.Length;
        }

        public void Flush()
        {
            hash.AppendData(_buffer, 0, _used);
            _used = 0;
        }

        private void Room(int bytes)
        {
            if (_buffer.Length - _used < bytes)
            {
                Flush();
            }
        }
    }
}
