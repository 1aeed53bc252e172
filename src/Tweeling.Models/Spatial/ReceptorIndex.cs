using NetTopologySuite.Geometries;

namespace Tweeling.Models.Spatial;

/// <summary>
/// The receptors of one list bucketed by place, to find those within reach of what an edit changed without visiting
/// every receptor, and handed on from one edit's receptor list to the next. A scenario's lists share the baseline's
/// receptors as a prefix (the receptors of new buildings come last), so the next list keeps the grid of that prefix and
/// lists only the receptors after it; a long tail (a demolition early in the list) makes a new grid.
/// </summary>
internal sealed class ReceptorIndex
{
    /// <summary>A tail longer than this (and than an eighth of the list) is bucketed anew rather than scanned per search.</summary>
    private const int LongestScannedTail = 4096;

    // Receptors [0, _gridded) of the list, by their index in it; the grid is shared with the lists handed on from it.
    private readonly BucketGrid<bool> _grid;
    private readonly int _gridded;

    // Receptors [_gridded, _gridded + _tailX.Length): few, so a search scans them.
    private readonly double[] _tailX;
    private readonly double[] _tailY;

    private ReceptorIndex(BucketGrid<bool> grid, int gridded, double[] tailX, double[] tailY) =>
        (_grid, _gridded, _tailX, _tailY) = (grid, gridded, tailX, tailY);

    /// <summary>The index of the <paramref name="count"/> receptors at <paramref name="at"/>.</summary>
    /// <param name="count">The receptors in the list.</param>
    /// <param name="at">The place of receptor i.</param>
    /// <param name="cellSize">The grid's cell side, m: about the reach of a search.</param>
    public static ReceptorIndex Over(int count, Func<int, Point> at, double cellSize) =>
        new(new BucketGrid<bool>([.. Enumerable.Range(0, count).Select(i => at(i)).Select(p => (p.X, p.Y, p.X, p.Y, true))], cellSize), count, [], []);

    /// <summary>
    /// The index of a list of <paramref name="count"/> receptors whose first <paramref name="shared"/> stand where this
    /// list's do (at the same indexes).
    /// </summary>
    public ReceptorIndex HandedOn(int shared, int count, Func<int, Point> at, double cellSize)
    {
        var gridded = Math.Min(_gridded, shared);
        var tail = count - gridded;
        if (tail > LongestScannedTail && tail > count / 8)
        {
            return Over(count, at, cellSize);
        }

        var (x, y) = (new double[tail], new double[tail]);
        for (var k = 0; k < tail; k++)
        {
            var place = at(gridded + k);
            (x[k], y[k]) = (place.X, place.Y);
        }

        return new(_grid, gridded, x, y);
    }

    /// <summary>
    /// Adds to <paramref name="found"/> the indexes of the receptors that may stand in the box from
    /// (<paramref name="minX"/>, <paramref name="minY"/>) to (<paramref name="maxX"/>, <paramref name="maxY"/>): every one
    /// that does, and some that do not (the caller measures).
    /// </summary>
    public void Within(double minX, double minY, double maxX, double maxY, List<int> found)
    {
        var hits = new List<int>();
        // The grid is shared by the lists handed on from one another, which runs of other scenarios may search at once.
        lock (_grid)
        {
            _grid.Within(minX, minY, maxX, maxY, hits);
        }

        foreach (var i in hits)
        {
            if (i < _gridded)
            {
                found.Add(i);
            }
        }

        for (var k = 0; k < _tailX.Length; k++)
        {
            if (_tailX[k] >= minX && _tailX[k] <= maxX && _tailY[k] >= minY && _tailY[k] <= maxY)
            {
                found.Add(_gridded + k);
            }
        }
    }
}
