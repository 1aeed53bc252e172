using NetTopologySuite.Geometries;
using Tweeling.Models.Green;
using Tweeling.Models.Tests.Support;

namespace Tweeling.Models.Tests.Green;

/// <summary>
/// The nearest-park search of groen's 3-30-300 (ParkDistances): a point's cell keeps only the ring chunks that may hold
/// its nearest segment, which must never leave out the one that does.
/// </summary>
public sealed class ParkDistancesTests
{
    /// <summary>
    /// Against NetTopologySuite's own distance to every park, bit for bit: points inside parks, in a hole, on a ring, on
    /// cell borders, between parks and far outside them, each searched twice (the second time from the kept cell).
    /// </summary>
    [Fact]
    public void The_distance_is_the_least_distance_to_any_park_that_a_search_of_every_park_gives()
    {
        var random = new Random(30);
        var parks = new List<Geometry>();
        for (var i = 0; i < 40; i++)
        {
            var (x, y) = (random.NextDouble() * 3_000, random.NextDouble() * 3_000);
            parks.Add(Geo.Box(x, y, x + 20 + (random.NextDouble() * 200), y + 20 + (random.NextDouble() * 200)));
        }

        // A park with a pond (a hole), two parks of one multipolygon, and a round park of 400 vertices (25 chunks).
        parks.Add(Geo.Factory.CreatePolygon(
            Geo.Factory.CreateLinearRing(Geo.Box(3_500, 0, 3_900, 400).Shell.Coordinates),
            [Geo.Factory.CreateLinearRing(Geo.Box(3_600, 100, 3_800, 300).Shell.Coordinates)]));
        parks.Add(Geo.Factory.CreateMultiPolygon([Geo.Box(-600, -600, -500, -500), Geo.Box(-450, -600, -350, -450)]));
        parks.Add(Geo.Point(1_500, 3_600).Buffer(250, 100));
        var search = new ParkDistances(parks, 300);
        var points = Enumerable.Range(0, 3_000).Select(_ => (X: (random.NextDouble() * 5_000) - 1_000, Y: (random.NextDouble() * 5_000) - 1_000))
            .Concat([(3_700, 200), (3_500, 50), (3_600, 100), (-500, -550), (1_500, 3_600), (1_500, 3_350), (100, 100), (200, 0), (0, 300), (-20_000, 15_000), (40_000, 40_000)]);

        foreach (var (x, y) in points)
        {
            var point = Geo.Point(x, y);
            var expected = parks.Min(p => p.Distance(point));
            Assert.True(expected == search.Nearest(x, y), $"({x}, {y}): {search.Nearest(x, y)} m against {expected} m to every park");
            Assert.True(expected == search.Nearest(x, y), $"({x}, {y}), kept cell: {search.Nearest(x, y)} m against {expected} m");
        }

        Assert.Contains(points, p => search.Nearest(p.X, p.Y) == 0);
    }

    [Fact]
    public void Without_parks_there_is_no_distance()
    {
        Assert.Null(new ParkDistances([], 300).Nearest(10, 10));
    }
}
