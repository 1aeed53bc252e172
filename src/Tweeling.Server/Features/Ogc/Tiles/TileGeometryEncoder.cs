using NetTopologySuite.Geometries;

namespace Tweeling.Server.Features.Ogc.Tiles;

/// <summary>
/// Turns a Web Mercator geometry into the geometry commands of one tile (Mapbox Vector Tile 2.1 §4.3):
/// positions scaled to the tile's integer grid of <c>extent</c> units (y down), clipped to the tile
/// plus a buffer, repeated positions dropped, rings oriented as the specification demands.
/// </summary>
/// <remarks>
/// Clipping is Sutherland–Hodgman for rings and Liang–Barsky for line segments, both against the
/// buffered square. Sutherland–Hodgman can leave zero-width edges along the clip square where a
/// concave ring leaves and re-enters it; they lie in the buffer, outside the drawn tile, which is why
/// the buffer exists. Rounding to the grid is itself a simplification: positions closer than one unit
/// merge, and a ring or line that collapses below its minimum size is dropped.
/// </remarks>
internal sealed class TileGeometryEncoder
{
    private const uint MoveTo = 1;
    private const uint LineTo = 2;
    private const uint ClosePath = 7;

    private readonly double _minX;
    private readonly double _maxY;
    private readonly double _scale;
    private readonly double _low;
    private readonly double _high;
    private readonly List<(double X, double Y)> _ring = [];
    private readonly List<(double X, double Y)> _clipped = [];
    private readonly List<(long X, long Y)> _grid = [];
    private long _cursorX;
    private long _cursorY;

    /// <summary>An encoder for the tile with <paramref name="bounds"/> (Web Mercator metres).</summary>
    /// <param name="bounds">The tile's bounds, Web Mercator metres.</param>
    /// <param name="extent">Grid units across the tile (4096 is the common choice).</param>
    /// <param name="buffer">Grid units kept beyond each edge, so strokes and fills join seamlessly across tiles.</param>
    public TileGeometryEncoder(Envelope bounds, uint extent, int buffer)
    {
        _minX = bounds.MinX;
        _maxY = bounds.MaxY;
        _scale = extent / bounds.Width;
        _low = -buffer;
        _high = extent + buffer;
        var margin = buffer / _scale;
        ClipBounds = new Envelope(bounds.MinX - margin, bounds.MaxX + margin, bounds.MinY - margin, bounds.MaxY + margin);
    }

    /// <summary>The tile's bounds with the buffer, Web Mercator metres: a geometry outside them leaves nothing in the tile.</summary>
    public Envelope ClipBounds { get; }

    /// <summary>
    /// Appends the commands of <paramref name="geometry"/> to <paramref name="commands"/> and returns its MVT type,
    /// or <c>null</c> (and appends nothing) when nothing of it is left in the tile.
    /// </summary>
    public MvtGeometryType? Encode(Geometry geometry, List<uint> commands)
    {
        _cursorX = 0;
        _cursorY = 0;
        var start = commands.Count;
        MvtGeometryType? type = geometry switch
        {
            Point or MultiPoint => EncodePoints(geometry, commands) ? MvtGeometryType.Point : null,
            LineString or MultiLineString => EncodeLines(geometry, commands) ? MvtGeometryType.LineString : null,
            Polygon or MultiPolygon => EncodePolygons(geometry, commands) ? MvtGeometryType.Polygon : null,
            _ => null,
        };
        if (type is null)
        {
            commands.RemoveRange(start, commands.Count - start);
        }

        return type;
    }

    private bool EncodePoints(Geometry geometry, List<uint> commands)
    {
        _grid.Clear();
        for (var i = 0; i < geometry.NumGeometries; i++)
        {
            var point = (Point)geometry.GetGeometryN(i);
            if (point.IsEmpty)
            {
                continue;
            }

            var (x, y) = ToTile(point.X, point.Y);
            if (x >= _low && x <= _high && y >= _low && y <= _high)
            {
                _grid.Add(((long)Math.Round(x), (long)Math.Round(y)));
            }
        }

        if (_grid.Count == 0)
        {
            return false;
        }

        commands.Add(Command(MoveTo, _grid.Count));
        foreach (var position in _grid)
        {
            AddPosition(position, commands);
        }

        return true;
    }

    private bool EncodeLines(Geometry geometry, List<uint> commands)
    {
        var any = false;
        for (var i = 0; i < geometry.NumGeometries; i++)
        {
            var line = (LineString)geometry.GetGeometryN(i);
            _grid.Clear();
            var sequence = line.CoordinateSequence;
            for (var k = 0; k + 1 < sequence.Count; k++)
            {
                var a = ToTile(sequence.GetX(k), sequence.GetY(k));
                var b = ToTile(sequence.GetX(k + 1), sequence.GetY(k + 1));
                if (!ClipSegment(ref a, ref b))
                {
                    // The segment lies outside: the part so far ends here.
                    any |= WriteLine(commands);
                    _grid.Clear();
                    continue;
                }

                var from = Round(a);
                if (_grid.Count > 0 && _grid[^1] != from)
                {
                    // The segment re-enters the square elsewhere: a new part.
                    any |= WriteLine(commands);
                    _grid.Clear();
                }

                AddDistinct(from);
                AddDistinct(Round(b));
            }

            any |= WriteLine(commands);
        }

        return any;
    }

    private bool WriteLine(List<uint> commands)
    {
        if (_grid.Count < 2)
        {
            return false;
        }

        commands.Add(Command(MoveTo, 1));
        AddPosition(_grid[0], commands);
        commands.Add(Command(LineTo, _grid.Count - 1));
        for (var i = 1; i < _grid.Count; i++)
        {
            AddPosition(_grid[i], commands);
        }

        return true;
    }

    private bool EncodePolygons(Geometry geometry, List<uint> commands)
    {
        var any = false;
        for (var i = 0; i < geometry.NumGeometries; i++)
        {
            var polygon = (Polygon)geometry.GetGeometryN(i);
            if (polygon.IsEmpty || !PrepareRing(polygon.ExteriorRing, exterior: true))
            {
                // Without its exterior the holes mean nothing.
                continue;
            }

            WriteRing(commands);
            any = true;
            foreach (var hole in polygon.InteriorRings)
            {
                if (PrepareRing(hole, exterior: false))
                {
                    WriteRing(commands);
                }
            }
        }

        return any;
    }

    /// <summary>Fills the grid buffer with <paramref name="ring"/> clipped, rounded and oriented; false when it collapses.</summary>
    private bool PrepareRing(LineString ring, bool exterior)
    {
        var sequence = ring.CoordinateSequence;
        _ring.Clear();
        var inside = true;
        // The last position repeats the first in a closed ring; MVT closes rings with ClosePath instead.
        for (var k = 0; k + 1 < sequence.Count; k++)
        {
            var p = ToTile(sequence.GetX(k), sequence.GetY(k));
            inside &= p.X >= _low && p.X <= _high && p.Y >= _low && p.Y <= _high;
            _ring.Add(p);
        }

        var positions = inside ? _ring : ClipRing();
        _grid.Clear();
        foreach (var p in positions)
        {
            AddDistinct(Round(p));
        }

        while (_grid.Count > 1 && _grid[^1] == _grid[0])
        {
            _grid.RemoveAt(_grid.Count - 1);
        }

        if (_grid.Count < 3)
        {
            return false;
        }

        // Twice the signed area by the shoelace formula in the tile's y-down grid: MVT wants it positive for
        // an exterior ring and negative for a hole; zero means the ring collapsed onto a line.
        long area2 = 0;
        for (var i = 0; i < _grid.Count; i++)
        {
            var (x1, y1) = _grid[i];
            var (x2, y2) = _grid[(i + 1) % _grid.Count];
            area2 += (x1 * y2) - (x2 * y1);
        }

        if (area2 == 0)
        {
            return false;
        }

        if (area2 > 0 != exterior)
        {
            _grid.Reverse();
        }

        return true;
    }

    private void WriteRing(List<uint> commands)
    {
        commands.Add(Command(MoveTo, 1));
        AddPosition(_grid[0], commands);
        commands.Add(Command(LineTo, _grid.Count - 1));
        for (var i = 1; i < _grid.Count; i++)
        {
            AddPosition(_grid[i], commands);
        }

        commands.Add(Command(ClosePath, 1));
    }

    /// <summary>Sutherland–Hodgman: the ring in <see cref="_ring"/> cut by each edge of the buffered square in turn.</summary>
    private List<(double X, double Y)> ClipRing()
    {
        var input = _ring;
        var output = _clipped;
        for (var edge = 0; edge < 4 && input.Count > 0; edge++)
        {
            output.Clear();
            var previous = input[^1];
            foreach (var current in input)
            {
                var currentInside = Inside(current, edge);
                if (currentInside != Inside(previous, edge))
                {
                    output.Add(Intersect(previous, current, edge));
                }

                if (currentInside)
                {
                    output.Add(current);
                }

                previous = current;
            }

            (input, output) = (output, input);
        }

        return input;
    }

    private bool Inside((double X, double Y) p, int edge) => edge switch
    {
        0 => p.X >= _low,
        1 => p.X <= _high,
        2 => p.Y >= _low,
        _ => p.Y <= _high,
    };

    private (double X, double Y) Intersect((double X, double Y) a, (double X, double Y) b, int edge)
    {
        if (edge < 2)
        {
            var x = edge == 0 ? _low : _high;
            return (x, a.Y + ((b.Y - a.Y) * (x - a.X) / (b.X - a.X)));
        }

        var y = edge == 2 ? _low : _high;
        return (a.X + ((b.X - a.X) * (y - a.Y) / (b.Y - a.Y)), y);
    }

    /// <summary>Liang–Barsky: cuts segment a–b to the buffered square; false when nothing of it is inside.</summary>
    private bool ClipSegment(ref (double X, double Y) a, ref (double X, double Y) b)
    {
        double t0 = 0, t1 = 1;
        var dx = b.X - a.X;
        var dy = b.Y - a.Y;
        ReadOnlySpan<(double P, double Q)> sides = [(-dx, a.X - _low), (dx, _high - a.X), (-dy, a.Y - _low), (dy, _high - a.Y)];
        foreach (var (p, q) in sides)
        {
            if (p == 0)
            {
                if (q < 0)
                {
                    return false;
                }

                continue;
            }

            var t = q / p;
            if (p < 0)
            {
                t0 = Math.Max(t0, t);
            }
            else
            {
                t1 = Math.Min(t1, t);
            }

            if (t0 > t1)
            {
                return false;
            }
        }

        var start = a;
        a = (start.X + (t0 * dx), start.Y + (t0 * dy));
        b = (start.X + (t1 * dx), start.Y + (t1 * dy));
        return true;
    }

    private (double X, double Y) ToTile(double x, double y) => ((x - _minX) * _scale, (_maxY - y) * _scale);

    private static (long X, long Y) Round((double X, double Y) p) => ((long)Math.Round(p.X), (long)Math.Round(p.Y));

    private void AddDistinct((long X, long Y) position)
    {
        if (_grid.Count == 0 || _grid[^1] != position)
        {
            _grid.Add(position);
        }
    }

    private void AddPosition((long X, long Y) position, List<uint> commands)
    {
        commands.Add(ZigZag(position.X - _cursorX));
        commands.Add(ZigZag(position.Y - _cursorY));
        (_cursorX, _cursorY) = position;
    }

    private static uint Command(uint id, int count) => (id & 0x7) | ((uint)count << 3);

    private static uint ZigZag(long value) => (uint)((value << 1) ^ (value >> 63));
}
