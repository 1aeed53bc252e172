using System.Globalization;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Operation.Valid;
using Tweeling.Domain.Geo;

namespace Tweeling.Ingestion.Importers;

/// <summary>Checks input geometry before it is transformed and stored.</summary>
internal static class GeometryChecks
{
    // The area of use of RD New (EPSG:28992), widened by half a degree and a few kilometres: data outside
    // it cannot be represented in the storage CRS without gross distortion, and coordinates far outside
    // are almost always the other CRS (RD metres read as degrees, or degrees read as metres).
    private static readonly Envelope s_crs84Bounds = new(2.7, 7.8, 50.2, 54.2);
    private static readonly Envelope s_rdNewBounds = new(-30_000, 330_000, 270_000, 650_000);

    /// <summary>
    /// Returns <paramref name="geometry"/> when it is valid in the OGC sense, or a repaired copy when the
    /// only fault is a zero-area artefact; throws otherwise. The reason and coordinate of the error come
    /// from NTS's <see cref="IsValidOp"/>, in the file's own CRS so the user can find the spot.
    /// </summary>
    /// <remarks>
    /// Generalised maps round coordinates (the CBS map to 3 decimals, ~100 m), which collapses some narrow
    /// parts into spikes that run out and back along the same line: formally a self-intersection, but one
    /// without area. <see cref="GeometryFixer"/> removes those. The repair is accepted only when it keeps
    /// the number of polygons and the area within 0.1 %, so a real fault, such as a bow-tie that the fixer
    /// would split into two polygons, is still an error. <paramref name="repaired"/> tells the caller so
    /// it can record the repair in the dataset's lineage.
    /// </remarks>
    public static Geometry ValidOrRepaired(SourceFile file, string location, Geometry geometry, out bool repaired)
    {
        repaired = false;
        var error = new IsValidOp(geometry).ValidationError;
        if (error is null)
        {
            return geometry;
        }

        if (geometry is Polygon or MultiPolygon)
        {
            var fixedGeometry = GeometryFixer.Fix(geometry);
            var area = geometry.Area;
            if (fixedGeometry is Polygon or MultiPolygon
                && fixedGeometry.NumGeometries == geometry.NumGeometries
                && Math.Abs(fixedGeometry.Area - area) <= 0.001 * area
                && fixedGeometry.IsValid)
            {
                repaired = true;
                return fixedGeometry;
            }
        }

        var message = error.Message.Length > 0 ? char.ToLowerInvariant(error.Message[0]) + error.Message[1..] : "invalid geometry";
        throw new ImportException(file.Path, location, error.Coordinate is { } c ? $"{message} at {Format(c)}" : message);
    }

    /// <summary>Throws "wrong CRS" when a coordinate cannot be in the declared CRS within the Netherlands.</summary>
    public static void EnsureInCrs(SourceFile file, string location, Geometry geometry, int srid)
    {
        var (bounds, crsName) = srid switch
        {
            Crs.Crs84Srid => (s_crs84Bounds, "CRS84 (longitude, latitude in degrees)"),
            Crs.RdNewSrid => (s_rdNewBounds, "RD New (EPSG:28992, metres)"),
            _ => throw new ImportException(file.Path, location, string.Create(CultureInfo.InvariantCulture, $"wrong CRS: SRID {srid} is not supported; use CRS84 or EPSG:28992")),
        };
        foreach (var c in geometry.Coordinates)
        {
            if (!bounds.Contains(c.X, c.Y))
            {
                throw new ImportException(
                    file.Path,
                    location,
                    $"wrong CRS: coordinate {Format(c)} is impossible in the Netherlands for the declared {crsName}");
            }
        }
    }

    /// <summary>A coordinate as "(x y)" with up to six decimals, invariant.</summary>
    public static string Format(Coordinate c) =>
        string.Create(CultureInfo.InvariantCulture, $"({c.X:0.######} {c.Y:0.######})");
}
