using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using Tweeling.Models.Accessibility;
using Tweeling.Models.City;

namespace Tweeling.Models.Tests.Accessibility;

/// <summary>How points join the walking and cycling network (PathNetwork's grid of segments).</summary>
public sealed class PathNetworkTests
{
    /// <summary>
    /// The grid must find what a search of every segment finds: the nearest segment, the first one on a tie
    /// (points on grid nodes are equally near four links), also for points far outside the network's extent.
    /// </summary>
    [Fact]
    public void Joining_finds_the_nearest_segment_that_a_search_of_every_segment_finds()
    {
        var random = new Random(8);
        var links = AccessibilityModelTests.Grid(31, 80, random);
        links.Add(new RoadLink(
            "bocht",
            new GeometryFactory(new PrecisionModel(), 28992).CreateLineString([new(-200, -200), new(-150, -260), new(-90, -210), new(-100, -40)]),
            RoadClass.Fietspad,
            null,
            false));
        var network = AccessibilityModel.ActiveModeNetwork(links);
        var allowed = links.Where(l => AccessibilityModel.Allows(TravelMode.Walk, l)).ToList();
        var points = Enumerable.Range(0, 2_000).Select(_ => (X: (random.NextDouble() * 3_000) - 300, Y: (random.NextDouble() * 3_000) - 300))
            .Concat([(0, 0), (160, 240), (800, 800), (-15_000, 1_200), (40_000, -30_000), (-120, -150)]);

        foreach (var (x, y) in points)
        {
            var snap = network.SnapTo(AccessibilityModelTests.Point(x, y))!.Value;
            var (link, along, access) = Nearest(allowed, new Coordinate(x, y));
            Assert.True((link, along, access) == (snap.Link, snap.Along, snap.Access), $"({x}, {y}): grid {snap}, every segment ({link}, {along}, {access})");
        }
    }

    /// <summary>The nearest segment of all links, the first on a tie, as (link index, metres along it, access metres).</summary>
    private static (int Link, double Along, double Access) Nearest(List<RoadLink> links, Coordinate at)
    {
        var best = (Link: -1, Along: 0.0, Access: double.PositiveInfinity);
        for (var l = 0; l < links.Count; l++)
        {
            var points = links[l].Geometry.Coordinates;
            var alongAtStart = 0.0;
            for (var p = 0; p + 1 < points.Length; p++)
            {
                var distance = DistanceComputer.PointToSegment(at, points[p], points[p + 1]);
                var length = points[p].Distance(points[p + 1]);
                if (distance < best.Access)
                {
                    var fraction = length > 0 ? Math.Clamp(new LineSegment(points[p], points[p + 1]).ProjectionFactor(at), 0, 1) : 0;
                    best = (l, alongAtStart + (fraction * length), distance);
                }

                alongAtStart += length;
            }

            // A position is never past the link's end, where rounding of fraction × length could put it.
            best.Along = best.Link == l ? Math.Min(best.Along, alongAtStart) : best.Along;
        }

        return best;
    }
}
