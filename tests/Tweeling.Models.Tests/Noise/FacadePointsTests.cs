using NetTopologySuite.Geometries;
using Tweeling.Models.City;
using Tweeling.Models.Noise;
using Tweeling.Models.Tests.Support;

namespace Tweeling.Models.Tests.Noise;

public sealed class FacadePointsTests
{
    [Fact]
    public void Each_building_gets_the_point_of_its_facade_nearest_a_road()
    {
        // A road along y = 0 and a cycle path along x = 0. House "a" (10–20 × 15–25) faces the road at (x, 15); the cycle
        // path is nearer to house "b" (−8…−2 × 100–110) but does not count, so its façade point faces the road at y = 100.
        // House "c" is 500 m from any road.
        var links = new[]
        {
            new RoadLink("weg", Geo.Line((-1_000, 0), (1_000, 0)), RoadClass.Gebiedsontsluitingsweg, 50, false),
            new RoadLink("fietspad", Geo.Line((0, -1_000), (0, 1_000)), RoadClass.Fietspad, null, false),
        };
        var buildings = new (string, Geometry)[] { ("a", Geo.Box(10, 15, 20, 25)), ("b", Geo.Box(-8, 100, -2, 110)), ("c", Geo.Box(0, 500, 10, 510)) };

        var receptors = FacadePoints.NearestToRoad(buildings, links);

        Assert.Equal(["a", "b"], receptors.Select(r => r.Id));
        Assert.Equal(15, receptors[0].Location.Y, 9);
        Assert.InRange(receptors[0].Location.X, 10, 20);
        Assert.Equal(100, receptors[1].Location.Y, 9);
    }
}
