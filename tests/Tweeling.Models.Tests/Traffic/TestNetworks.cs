using NetTopologySuite.Geometries;
using Tweeling.Models.City;
using Tweeling.Models.Traffic;

namespace Tweeling.Models.Tests.Traffic;

/// <summary>Road networks and zone data for the traffic and air quality tests, in RD New metres around Dordrecht.</summary>
internal static class TestNetworks
{
    // An RD New origin near Dordrecht's centre, so coordinates look like the real ones.
    public const double OriginX = 105_000;
    public const double OriginY = 425_000;

    private static readonly GeometryFactory s_factory = new(new PrecisionModel(), 28992);

    public static RoadLink Link(string id, double x1, double y1, double x2, double y2, RoadClass roadClass = RoadClass.Gebiedsontsluitingsweg, double? speed = 50, bool oneWay = false) =>
        new(id, s_factory.CreateLineString([new Coordinate(OriginX + x1, OriginY + y1), new Coordinate(OriginX + x2, OriginY + y2)]), roadClass, speed, oneWay);

    public static Point Point(double x, double y) => s_factory.CreatePoint(new Coordinate(OriginX + x, OriginY + y));

    public static TrafficZone Zone(string code, double x, double y, double factor = 1.0) => new(code, Point(x, y), factor);

    /// <summary>
    /// A Dordrecht-size city: a square grid of <paramref name="side"/>×<paramref name="side"/> nodes 100 m apart
    /// (71 gives 9,940 two-way links over 7 × 7 km), every tenth line a 50 km/h distributor road, the rest 30 km/h
    /// access roads; <paramref name="zonesPerSide"/>² zones (10 gives 100) with 54,000 dwellings in all
    /// (Dordrecht has about 58,000) and more jobs towards the centre.
    /// </summary>
    public static (IReadOnlyList<RoadLink> Links, IReadOnlyList<TrafficZone> Zones, IReadOnlyList<ZoneDwellings> Dwellings, IReadOnlyList<ZoneActivity> Activity) SyntheticCity(
        int side = 71, int zonesPerSide = 10)
    {
        const double spacing = 100;
        var links = new List<RoadLink>();
        for (var i = 0; i < side; i++)
        {
            for (var j = 0; j < side - 1; j++)
            {
                var main = i % 10 == 0;
                var roadClass = main ? RoadClass.Gebiedsontsluitingsweg : RoadClass.Erftoegangsweg;
                double speed = main ? 50 : 30;
                links.Add(Link($"h-{i}-{j}", j * spacing, i * spacing, (j + 1) * spacing, i * spacing, roadClass, speed));
                links.Add(Link($"v-{i}-{j}", i * spacing, j * spacing, i * spacing, (j + 1) * spacing, roadClass, speed));
            }
        }

        var zones = new List<TrafficZone>();
        var dwellings = new List<ZoneDwellings>();
        var activity = new List<ZoneActivity>();
        var zoneSize = (side - 1) * spacing / zonesPerSide;
        for (var zx = 0; zx < zonesPerSide; zx++)
        {
            for (var zy = 0; zy < zonesPerSide; zy++)
            {
                var code = $"BU{zx:D2}{zy:D2}";
                zones.Add(Zone(code, (zx + 0.5) * zoneSize, (zy + 0.5) * zoneSize));

                // Deterministic variety: flats in the centre, houses outside; jobs fall off from the centre.
                var fromCentre = Math.Abs(zx - (zonesPerSide / 2.0)) + Math.Abs(zy - (zonesPerSide / 2.0));
                var centre = fromCentre < zonesPerSide / 3.0;
                dwellings.Add(new(code, centre ? DwellingType.Flat : DwellingType.Terraced, Tenure.OwnerOccupied, centre ? 250 : 200));
                dwellings.Add(new(code, centre ? DwellingType.Flat : DwellingType.Terraced, Tenure.SocialRent, centre ? 300 : 150));
                dwellings.Add(new(code, DwellingType.SemiDetached, Tenure.PrivateRent, centre ? 20 : 180));
                activity.Add(new(code, (int)(2000 / (1 + fromCentre)), centre ? 12 : 4));
            }
        }

        return (links, zones, dwellings, activity);
    }
}
