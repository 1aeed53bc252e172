using NetTopologySuite.Geometries;

namespace Tweeling.Models.Tests.Support;

/// <summary>Small geometry builders for model tests, in RD New metres.</summary>
internal static class Geo
{
    public static readonly GeometryFactory Factory = new(new PrecisionModel(), 28992);

    public static Point Point(double x, double y) => Factory.CreatePoint(new Coordinate(x, y));

    public static LineString Line(params (double X, double Y)[] points) =>
        Factory.CreateLineString(points.Select(p => new Coordinate(p.X, p.Y)).ToArray());

    /// <summary>An axis-aligned rectangle.</summary>
    public static Polygon Box(double minX, double minY, double maxX, double maxY) =>
        Factory.CreatePolygon([new(minX, minY), new(maxX, minY), new(maxX, maxY), new(minX, maxY), new(minX, minY)]);
}
