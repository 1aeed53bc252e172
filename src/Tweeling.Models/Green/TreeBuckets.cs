namespace Tweeling.Models.Green;

/// <summary>
/// Tree trunks bucketed on a square grid whose cells are as wide as the search radius, so the trees within the radius
/// of a point are among those of the 3 × 3 cells around it. Counting them for 60,000 dwellings this way costs a few
/// milliseconds; an R-tree query per dwelling allocated a result list and measured each distance through the general
/// geometry distance operation.
/// </summary>
internal sealed class TreeBuckets
{
    private readonly double _radius;
    private readonly double _cellSize;
    private readonly double _minX;
    private readonly double _minY;
    private readonly int _columns;
    private readonly int _rows;

    // Compressed rows: the trees of cell c are _x[_first[c].._first[c + 1]] (and _y alike), cells in row-major order.
    private readonly int[] _first;
    private readonly double[] _x;
    private readonly double[] _y;

    /// <param name="trunks">The trunk coordinates, m.</param>
    /// <param name="radius">The search radius, m (&gt; 0).</param>
    public TreeBuckets(IReadOnlyList<(double X, double Y)> trunks, double radius)
    {
        _radius = radius;
        (_minX, _minY) = (double.PositiveInfinity, double.PositiveInfinity);
        var (maxX, maxY) = (double.NegativeInfinity, double.NegativeInfinity);
        foreach (var (x, y) in trunks)
        {
            (_minX, _minY, maxX, maxY) = (Math.Min(_minX, x), Math.Min(_minY, y), Math.Max(maxX, x), Math.Max(maxY, y));
        }

        // The cell count is capped: trees spread over a huge extent share coarser cells rather than exhaust memory.
        _cellSize = trunks.Count == 0 ? radius : Math.Max(radius, Math.Sqrt((maxX - _minX) * (maxY - _minY) / 4_000_000));
        _columns = trunks.Count == 0 ? 0 : (int)((maxX - _minX) / _cellSize) + 1;
        _rows = trunks.Count == 0 ? 0 : (int)((maxY - _minY) / _cellSize) + 1;
        _first = new int[(_columns * _rows) + 1];
        var cellOf = new int[trunks.Count];
        for (var t = 0; t < trunks.Count; t++)
        {
            cellOf[t] = (Row(trunks[t].Y) * _columns) + Column(trunks[t].X);
            _first[cellOf[t] + 1]++;
        }

        for (var c = 0; c < _columns * _rows; c++)
        {
            _first[c + 1] += _first[c];
        }

        var next = (int[])_first.Clone();
        _x = new double[trunks.Count];
        _y = new double[trunks.Count];
        for (var t = 0; t < trunks.Count; t++)
        {
            var slot = next[cellOf[t]]++;
            (_x[slot], _y[slot]) = trunks[t];
        }
    }

    /// <summary>The trees whose trunk is within the radius of (<paramref name="x"/>, <paramref name="y"/>), boundary included.</summary>
    public int CountWithin(double x, double y)
    {
        var count = 0;
        var (firstColumn, lastColumn) = (Math.Max(0, Column(x - _radius)), Math.Min(_columns - 1, Column(x + _radius)));
        var (firstRow, lastRow) = (Math.Max(0, Row(y - _radius)), Math.Min(_rows - 1, Row(y + _radius)));
        for (var row = firstRow; row <= lastRow; row++)
        {
            for (var column = firstColumn; column <= lastColumn; column++)
            {
                var c = (row * _columns) + column;
                for (var t = _first[c]; t < _first[c + 1]; t++)
                {
                    // The same arithmetic as NetTopologySuite's point distance, so the boundary case counts as before.
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

    // Floor, clamped into int range: a far-away point maps to a cell index outside the grid, which the callers clamp.
    private int Column(double x) => (int)Math.Clamp(Math.Floor((x - _minX) / _cellSize), -1, int.MaxValue / 2);

    private int Row(double y) => (int)Math.Clamp(Math.Floor((y - _minY) / _cellSize), -1, int.MaxValue / 2);
}
