namespace Tweeling.Models.Green;

/// <summary>
/// Counts the tree trunks within a radius of a point. The trunks are sorted into square cells of the radius (a counting
/// sort), each trunk in the one cell that holds it, so a search visits the cells its window meets and never meets a
/// trunk twice: nothing is written while searching, and searches from several threads at once are safe. The cells and
/// the window are those of <see cref="Spatial.BucketGrid{T}"/> (same origin, side and rounding), so the same trunks
/// are candidates and a count is the one the bucket grid gave.
/// </summary>
internal sealed class TreeCounts
{
    /// <summary>At most this many cells, as <see cref="Spatial.BucketGrid{T}"/>: a huge extent gets coarser cells.</summary>
    private const double MaximumCells = 4_000_000;

    private readonly double _radius;
    private readonly double _cell;
    private readonly double _minX;
    private readonly double _minY;
    private readonly int _columns;
    private readonly int _rows;

    // Cell c holds the trunks _x[_first[c].._first[c + 1]], _y likewise.
    private readonly int[] _first;
    private readonly double[] _x;
    private readonly double[] _y;

    /// <param name="trunks">The trunks, RD New m.</param>
    /// <param name="radius">The search radius, m (> 0): also the cell side, unless that would make too many cells.</param>
    public TreeCounts(IReadOnlyList<(double X, double Y)> trunks, double radius)
    {
        _radius = radius;
        (_minX, _minY) = (trunks.Count == 0 ? 0 : trunks.Min(t => t.X), trunks.Count == 0 ? 0 : trunks.Min(t => t.Y));
        var (maxX, maxY) = (trunks.Count == 0 ? 0 : trunks.Max(t => t.X), trunks.Count == 0 ? 0 : trunks.Max(t => t.Y));
        _cell = Math.Max(radius, Math.Sqrt((maxX - _minX) * (maxY - _minY) / MaximumCells));
        _columns = (int)((maxX - _minX) / _cell) + 1;
        _rows = (int)((maxY - _minY) / _cell) + 1;
        _first = new int[(_columns * _rows) + 1];
        foreach (var (x, y) in trunks)
        {
            _first[Cell(x, y) + 1]++;
        }

        for (var c = 0; c < _columns * _rows; c++)
        {
            _first[c + 1] += _first[c];
        }

        var next = (int[])_first.Clone();
        (_x, _y) = (new double[trunks.Count], new double[trunks.Count]);
        foreach (var (x, y) in trunks)
        {
            var at = next[Cell(x, y)]++;
            (_x[at], _y[at]) = (x, y);
        }
    }

    /// <summary>The search radius, m.</summary>
    public double Radius => _radius;

    /// <summary>The trunks whose distance from (<paramref name="x"/>, <paramref name="y"/>) is at most the radius, boundary included.</summary>
    public int Within(double x, double y)
    {
        var count = 0;
        var (firstColumn, lastColumn) = (Math.Max(0, Index(x - _radius, _minX)), Math.Min(_columns - 1, Index(x + _radius, _minX)));
        var (firstRow, lastRow) = (Math.Max(0, Index(y - _radius, _minY)), Math.Min(_rows - 1, Index(y + _radius, _minY)));
        for (var r = firstRow; r <= lastRow; r++)
        {
            for (var c = firstColumn; c <= lastColumn; c++)
            {
                var cell = (r * _columns) + c;
                for (var t = _first[cell]; t < _first[cell + 1]; t++)
                {
                    // The same arithmetic as NetTopologySuite's point distance, so the boundary case counts as it did with it.
                    var (dx, dy) = (_x[t] - x, _y[t] - y);
                    if (Math.Sqrt((dx * dx) + (dy * dy)) <= _radius)
                    {
                        count++;
                    }
                }
            }
        }

        return count;
    }

    private int Cell(double x, double y) => (Index(y, _minY) * _columns) + Index(x, _minX);

    // Floor, kept within int range: far outside the grid maps to −1 or a large index, which the search clamps.
    private int Index(double value, double origin) => (int)Math.Clamp(Math.Floor((value - origin) / _cell), -1, int.MaxValue / 2);
}
