namespace Tweeling.Models.Spatial;

/// <summary>
/// Items (road segments, tree trunks) bucketed on a square grid by their bounding box: each is listed in every cell
/// its box touches, and a search visits the cells of a window once, skipping an item already seen for the same
/// search. For tens of thousands of searches this replaces an R-tree query each (a result list per search) with
/// array walks in a fixed order, so a run is deterministic.
/// </summary>
/// <typeparam name="T">What an item carries along.</typeparam>
internal sealed class BucketGrid<T>
{
    /// <summary>At most this many cells: items spread over a huge extent get coarser cells, not more memory.</summary>
    private const double MaximumCells = 4_000_000;

    private readonly double _minX;
    private readonly double _minY;
    private readonly double _cellSize;
    private readonly int _columns;
    private readonly int _rows;

    // Compressed rows: cell c lists the items _members[_first[c].._first[c + 1]].
    private readonly int[] _first;
    private readonly int[] _members;

    // The last search that visited each item, so an item in several cells of one window is visited once.
    private readonly int[] _seenBy;
    private int _search;

    /// <param name="segments">The items' bounding boxes as two opposite corners in m (a point twice for a point), and their payload.</param>
    /// <param name="cellSize">The cell side, m; about the search radius or half of it keeps both the cell count and the misses low.</param>
    public BucketGrid(IReadOnlyList<(double X1, double Y1, double X2, double Y2, T Item)> segments, double cellSize)
    {
        Segments = segments;
        (_minX, _minY) = (double.PositiveInfinity, double.PositiveInfinity);
        var (maxX, maxY) = (double.NegativeInfinity, double.NegativeInfinity);
        foreach (var (x1, y1, x2, y2, _) in segments)
        {
            (_minX, _minY) = (Math.Min(_minX, Math.Min(x1, x2)), Math.Min(_minY, Math.Min(y1, y2)));
            (maxX, maxY) = (Math.Max(maxX, Math.Max(x1, x2)), Math.Max(maxY, Math.Max(y1, y2)));
        }

        _cellSize = segments.Count == 0 ? cellSize : Math.Max(cellSize, Math.Sqrt((maxX - _minX) * (maxY - _minY) / MaximumCells));
        _columns = segments.Count == 0 ? 0 : (int)((maxX - _minX) / _cellSize) + 1;
        _rows = segments.Count == 0 ? 0 : (int)((maxY - _minY) / _cellSize) + 1;
        _first = new int[(_columns * _rows) + 1];
        ForEachCell((_, cell) => _first[cell + 1]++);
        for (var c = 0; c < _columns * _rows; c++)
        {
            _first[c + 1] += _first[c];
        }

        var next = (int[])_first.Clone();
        _members = new int[_first[^1]];
        ForEachCell((segment, cell) => _members[next[cell]++] = segment);
        _seenBy = new int[segments.Count];
    }

    // A grid sharing another's cells, with its own marks of what a search has seen.
    private BucketGrid(BucketGrid<T> cells)
    {
        Segments = cells.Segments;
        (_minX, _minY, _cellSize, _columns, _rows) = (cells._minX, cells._minY, cells._cellSize, cells._columns, cells._rows);
        (_first, _members) = (cells._first, cells._members);
        _seenBy = new int[Segments.Count];
    }

    /// <summary>The items, in input order; <see cref="Near"/> returns indexes into it.</summary>
    public IReadOnlyList<(double X1, double Y1, double X2, double Y2, T Item)> Segments { get; }

    /// <summary>
    /// Fills <paramref name="found"/> with the indexes of the items whose bounding box may come within
    /// <paramref name="radius"/> of (<paramref name="x"/>, <paramref name="y"/>): every one that does, and some that do
    /// not (the caller measures). Not thread-safe: one grid serves one search at a time.
    /// </summary>
    public void Near(double x, double y, double radius, List<int> found) => Within(x - radius, y - radius, x + radius, y + radius, found);

    /// <summary>
    /// Fills <paramref name="found"/> with the indexes of the items listed in the cells the box from
    /// (<paramref name="minX"/>, <paramref name="minY"/>) to (<paramref name="maxX"/>, <paramref name="maxY"/>) touches: every
    /// item whose bounding box meets it, and some that do not. Not thread-safe.
    /// </summary>
    public void Within(double minX, double minY, double maxX, double maxY, List<int> found)
    {
        found.Clear();
        _search++;
        var (firstColumn, lastColumn) = (Math.Max(0, Column(minX)), Math.Min(_columns - 1, Column(maxX)));
        var (firstRow, lastRow) = (Math.Max(0, Row(minY)), Math.Min(_rows - 1, Row(maxY)));
        for (var row = firstRow; row <= lastRow; row++)
        {
            for (var column = firstColumn; column <= lastColumn; column++)
            {
                var cell = (row * _columns) + column;
                for (var m = _first[cell]; m < _first[cell + 1]; m++)
                {
                    var segment = _members[m];
                    if (_seenBy[segment] != _search)
                    {
                        _seenBy[segment] = _search;
                        found.Add(segment);
                    }
                }
            }
        }
    }

    /// <summary>
    /// A grid over the same items and cells that keeps its own search state, so several threads can each search with
    /// their own: it costs one mark per item, not the cells again.
    /// </summary>
    public BucketGrid<T> Searcher() => new(this);

    private void ForEachCell(Action<int, int> visit)
    {
        for (var s = 0; s < Segments.Count; s++)
        {
            var (x1, y1, x2, y2, _) = Segments[s];
            for (var row = Row(Math.Min(y1, y2)); row <= Row(Math.Max(y1, y2)); row++)
            {
                for (var column = Column(Math.Min(x1, x2)); column <= Column(Math.Max(x1, x2)); column++)
                {
                    visit(s, (row * _columns) + column);
                }
            }
        }
    }

    // Floor, kept within int range: far outside the grid maps to −1 or a large index, which the callers clamp.
    private int Column(double x) => (int)Math.Clamp(Math.Floor((x - _minX) / _cellSize), -1, int.MaxValue / 2);

    private int Row(double y) => (int)Math.Clamp(Math.Floor((y - _minY) / _cellSize), -1, int.MaxValue / 2);
}
