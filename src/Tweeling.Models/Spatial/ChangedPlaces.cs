using NetTopologySuite.Geometries;

namespace Tweeling.Models.Spatial;

/// <summary>
/// Where an edit touched a model's input — the segments of links whose traffic or centre line changed (as they were and
/// as they are), or points whose value changed — and how far the model's value at a place reaches. A place farther than
/// the reach from every changed box is farther than the reach from what changed, so a model whose value at a place
/// depends only on what lies within its reach may copy that place's earlier value. Not thread-safe: one search at a time.
/// </summary>
internal sealed class ChangedPlaces
{
    private readonly BucketGrid<bool> _grid;
    private readonly double _reach;
    private readonly List<int> _found = [];

    /// <param name="boxes">The bounding boxes of what changed, as two opposite corners in m (a point twice for a point).</param>
    /// <param name="reach">How far the model's value at a place reaches, m.</param>
    public ChangedPlaces(IEnumerable<(double X1, double Y1, double X2, double Y2)> boxes, double reach)
    {
        _grid = new BucketGrid<bool>([.. boxes.Select(b => (b.X1, b.Y1, b.X2, b.Y2, true))], reach);
        _reach = reach;
    }

    /// <summary>Whether nothing changed.</summary>
    public bool IsEmpty => _grid.Segments.Count == 0;

    /// <summary>The changed boxes widened by the reach: a place outside all of them is out of reach of what changed.</summary>
    public IEnumerable<(double MinX, double MinY, double MaxX, double MaxY)> Reached =>
        _grid.Segments.Select(b => (Math.Min(b.X1, b.X2) - _reach, Math.Min(b.Y1, b.Y2) - _reach, Math.Max(b.X1, b.X2) + _reach, Math.Max(b.Y1, b.Y2) + _reach));

    /// <summary>The segments of <paramref name="lines"/>, each its own box.</summary>
    public static ChangedPlaces OfLines(IEnumerable<LineString> lines, double reach) =>
        new(lines.SelectMany(line => line.Coordinates.Skip(1).Zip(line.Coordinates, (to, from) => (from.X, from.Y, to.X, to.Y))), reach);

    /// <summary>Whether (<paramref name="x"/>, <paramref name="y"/>) lies within the reach of a changed box.</summary>
    public bool Touches(double x, double y)
    {
        if (IsEmpty)
        {
            return false;
        }

        _grid.Near(x, y, _reach, _found);
        foreach (var s in _found)
        {
            var (x1, y1, x2, y2, _) = _grid.Segments[s];
            if (x >= Math.Min(x1, x2) - _reach && x <= Math.Max(x1, x2) + _reach && y >= Math.Min(y1, y2) - _reach && y <= Math.Max(y1, y2) + _reach)
            {
                return true;
            }
        }

        return false;
    }
}
