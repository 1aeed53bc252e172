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

    [Fact]
    public void The_facade_point_faces_the_nearest_road_as_a_search_of_every_road_finds_it()
    {
        // Random houses and roads over 3 × 3 km, so some houses are metres from a road and some 25–200 m or further: the
        // growing search box must find what comparing every road finds.
        var random = new Random(6);
        var links = Enumerable.Range(0, 150).Select(i =>
        {
            var (x, y) = (random.NextDouble() * 3_000, random.NextDouble() * 3_000);
            var (dx, dy) = ((random.NextDouble() - 0.5) * 400, (random.NextDouble() - 0.5) * 400);
            return new RoadLink($"w{i}", Geo.Line((x, y), (x + dx, y + dy)), i % 7 == 0 ? RoadClass.Fietspad : RoadClass.Erftoegangsweg, 30, false);
        }).ToList();
        var buildings = Enumerable.Range(0, 600).Select(i =>
        {
            var (x, y) = (random.NextDouble() * 3_000, random.NextDouble() * 3_000);
            return ($"p{i}", (Geometry)Geo.Box(x, y, x + 8 + (random.NextDouble() * 20), y + 8 + (random.NextDouble() * 20)));
        }).ToList();
        var motorRoads = links.Where(l => l.Class != RoadClass.Fietspad).Select(l => l.Geometry).ToList();

        var receptors = FacadePoints.NearestToRoad(buildings, links).ToDictionary(r => r.Id);

        var near = 0;
        foreach (var (id, footprint) in buildings)
        {
            var nearest = motorRoads.Min(footprint.Distance);
            if (nearest > 200)
            {
                Assert.False(receptors.ContainsKey(id), $"{id} is {nearest:F1} m from a road");
                continue;
            }

            // On the façade, at its point nearest one of the roads nearest the building (a road inside a footprint is at
            // 0 m from it, its façade point a few metres).
            var point = receptors[id].Location;
            Assert.True(footprint.Boundary.Distance(point) < 1e-6, id);
            Assert.Contains(motorRoads, r => footprint.Distance(r) <= nearest + 1e-9 && Math.Abs(r.Distance(point) - footprint.Boundary.Distance(r)) < 1e-6);
            near += nearest > 25 ? 1 : 0;
        }

        // Not vacuous: many houses need the box to grow past its first 25 m.
        Assert.True(near > 50, $"{near} houses 25–200 m from a road");
    }
}
