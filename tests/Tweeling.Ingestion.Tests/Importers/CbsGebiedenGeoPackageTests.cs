using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Tweeling.Domain.Features;
using Tweeling.Ingestion.Importers;
using Tweeling.TestSupport;

namespace Tweeling.Ingestion.Tests.Importers;

/// <summary>cbs-gebieden on a GeoPackage laid out as the CBS/PDOK wijk- en buurtkaart (buurtcode, buurtnaam, …).</summary>
public sealed class CbsGebiedenGeoPackageTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Buurten_layer_in_rd_new_is_read_with_its_codes_and_names()
    {
        var path = WriteGeoPackage(28992, (105_000, 425_000));

        var plan = new CbsGebiedenImporter().Parse(new ImportRequest(path), ImportTestKit.Crs, ImportTestKit.Now);

        var buurt = Assert.Single(plan.Features);
        Assert.Equal((TwinCollections.Buurten, "BU05050100"), (buurt.Collection, buurt.Id));
        Assert.Equal("Nieuwe Haven en omgeving", buurt.Properties["naam"]);
        Assert.Equal("WK050501", buurt.Properties["wijkcode"]);
        Assert.Equal(new Envelope(105_000, 105_100, 425_000, 425_100), buurt.Geometry.EnvelopeInternal);
    }

    [Fact]
    public void Wgs84_layer_is_transformed_to_rd_new()
    {
        var path = WriteGeoPackage(4326, (4.665, 51.812));

        var buurt = Assert.Single(new CbsGebiedenImporter().Parse(new ImportRequest(path), ImportTestKit.Crs, ImportTestKit.Now).Features);

        Assert.Equal(Domain.Geo.Crs.RdNewSrid, buurt.Geometry.SRID);
        Assert.InRange(buurt.Geometry.Centroid.X, 100_000, 112_000);
    }

    [Fact]
    public void Unsupported_srs_is_a_wrong_crs_error()
    {
        var path = WriteGeoPackage(3857, (519_000, 6_765_000));

        var error = Assert.Throws<ImportException>(() => new CbsGebiedenImporter().Parse(new ImportRequest(path), ImportTestKit.Crs, ImportTestKit.Now));

        Assert.Equal("layer 'buurten'", error.Location);
        Assert.StartsWith("wrong CRS: EPSG:3857", error.Reason, StringComparison.Ordinal);
    }

    private string WriteGeoPackage(int srid, (double X, double Y) origin)
    {
        var path = _directory.File($"wijkbuurtkaart_{srid}.gpkg");
        var size = srid == 4326 ? 0.001 : 100;
        var polygon = new GeometryFactory(new PrecisionModel(), srid).CreatePolygon(
        [
            new(origin.X, origin.Y), new(origin.X + size, origin.Y), new(origin.X + size, origin.Y + size),
            new(origin.X, origin.Y + size), new(origin.X, origin.Y),
        ]);
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
              organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
            CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT, description TEXT DEFAULT '',
              last_change DATETIME, min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER);
            CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
              srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL);
            CREATE TABLE buurten (fid INTEGER PRIMARY KEY, geom BLOB, buurtcode TEXT, buurtnaam TEXT, wijkcode TEXT, gemeentecode TEXT);
            INSERT INTO gpkg_spatial_ref_sys VALUES ('test', $srid, 'EPSG', $srid, 'undefined', NULL);
            INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES ('buurten', 'features', 'buurten', $srid);
            INSERT INTO gpkg_geometry_columns VALUES ('buurten', 'geom', 'MULTIPOLYGON', $srid, 0, 0);
            INSERT INTO buurten (geom, buurtcode, buurtnaam, wijkcode, gemeentecode)
              VALUES ($geom, 'BU05050100', 'Nieuwe Haven en omgeving', 'WK050501', 'GM0505');
            """;
        command.Parameters.AddWithValue("$srid", srid);
        command.Parameters.AddWithValue("$geom", new GeoPackageGeoWriter().Write(polygon));
        command.ExecuteNonQuery();
        return path;
    }
}
