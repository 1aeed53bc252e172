using NetTopologySuite.Algorithm;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace Tweeling.Models.Green;

/// <summary>
/// The straight-line distance from a point to the nearest park. Each park's rings are kept as plain coordinate arrays
/// with an indexed point-in-area locator, and the search widens a square window until it holds a park at most half its
/// width away. The distance is the one NetTopologySuite's <see cref="Geometry.Distance"/> gives (0 inside, else the
/// least point-to-segment distance over the rings, with the same <see cref="DistanceComputer.PointToSegment"/>), at a
/// fraction of the cost of its general distance operation inside an R-tree nearest-neighbour search.
/// </summary>
internal sealed class ParkDistances
{
    private readonly STRtree<Park> _index = new();
    private readonly double _firstHalfWidth;

    /// <param name="parks">The park polygons.</param>
    /// <param name="firstHalfWidth">The half width of the first search window, m: the distance most answers lie within.</param>
    public ParkDistances(IReadOnlyList<Geometry> parks, double firstHalfWidth)
    {
        foreach (var park in parks)
        {
            _index.Insert(park.EnvelopeInternal, new Park(park));
        }

        _index.Build();
        _firstHalfWidth = Math.Max(1, firstHalfWidth);
    }

    /// <summary>The distance from (<paramref name="x"/>, <paramref name="y"/>) to the nearest park, m; <c>null</c> when there are no parks.</summary>
    public double? Nearest(double x, double y)
    {
        if (_index.Count == 0)
        {
            return null;
        }

        var point = new Coordinate(x, y);
        for (var half = _firstHalfWidth; ; half *= 4)
        {
            var best = Best(point, half);

            // Every park at most `half` away has an envelope inside the window, so a best within `half` is the nearest.
            // A best beyond it bounds the answer: one more search with that half width is complete.
            if (best <= half)
            {
                return best;
            }

            if (double.IsFinite(best))
            {
                return Math.Min(best, Best(point, best));
            }
        }
    }

    private double Best(Coordinate point, double half)
    {
        var best = double.PositiveInfinity;
        var at = new Envelope(point);
        foreach (var park in _index.Query(new Envelope(point.X - half, point.X + half, point.Y - half, point.Y + half)))
        {
            if (park.Envelope.Distance(at) < best)
            {
                best = Math.Min(best, park.Distance(point));
            }
        }

        return best;
    }

    /// <summary>One park: its envelope, its rings (shells and holes) as coordinate arrays, and a locator for "inside".</summary>
    private sealed class Park(Geometry geometry)
    {
        private readonly Coordinate[][] _rings = [.. LinearRings(geometry).Select(r => r.Coordinates)];
        private readonly IndexedPointInAreaLocator _locator = new(geometry);

        public Envelope Envelope { get; } = geometry.EnvelopeInternal;

        public double Distance(Coordinate point)
        {
            // Outside the envelope is outside the park; the locator is only asked about points inside it.
            if (Envelope.Contains(point) && _locator.Locate(point) != Location.Exterior)
            {
                return 0;
            }

            var least = double.PositiveInfinity;
            foreach (var ring in _rings)
            {
                for (var i = 1; i < ring.Length; i++)
                {
                    least = Math.Min(least, DistanceComputer.PointToSegment(point, ring[i - 1], ring[i]));
                }
            }

            return least;
        }

        private static IEnumerable<LineString> LinearRings(Geometry geometry)
        {
            for (var i = 0; i < geometry.NumGeometries; i++)
            {
                if (geometry.GetGeometryN(i) is Polygon polygon)
                {
                    yield return polygon.Shell;
                    foreach (var hole in polygon.Holes)
                    {
                        yield return hole;
                    }
                }
            }
        }
    }
}
