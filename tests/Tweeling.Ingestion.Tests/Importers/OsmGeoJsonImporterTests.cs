using NetTopologySuite.Geometries;
using Tweeling.Domain.Features;
using Tweeling.Ingestion.Importers;

namespace Tweeling.Ingestion.Tests.Importers;

public sealed class OsmGeoJsonImporterTests
{
    private static ImportPlan Parse() =>
        new OsmGeoJsonImporter().Parse(new ImportRequest(ImportTestKit.TestData("osm/small.osm.geojson")), ImportTestKit.Crs, ImportTestKit.Now);

    private static Feature Get(ImportPlan plan, string id) => Assert.Single(plan.Features, f => f.Id == id);

    [Fact]
    public void Amenities_become_voorzieningen_as_points()
    {
        var plan = Parse();

        Assert.Equal("apotheek", Get(plan, "node-1001").Properties["type"]);
        Assert.Equal("huisarts", Get(plan, "node-1002").Properties["type"]);
        Assert.Equal("supermarkt", Get(plan, "node-1003").Properties["type"]);
        var school = Get(plan, "way-2001");
        Assert.Equal(("basisschool", "Basisschool De Wielewaal"), (school.Properties["type"], school.Properties["naam"]));
        var park = Get(plan, "way-2002");
        Assert.Equal(TwinCollections.Voorzieningen, park.Collection);
        Assert.IsType<Point>(park.Geometry);

        // The interior point lies inside the park polygon, transformed to RD New.
        var polygon = ImportTestKit.Crs.Transform(
            ImportTestKit.Crs.Crs84Factory.CreatePolygon([new(4.668, 51.806), new(4.674, 51.806), new(4.674, 51.809), new(4.668, 51.809), new(4.668, 51.806)]),
            Domain.Geo.Crs.RdNewSrid);
        Assert.True(polygon.Contains(park.Geometry));
    }

    [Fact]
    public void Highways_become_wegvakken_with_class_speed_direction_and_length()
    {
        var plan = Parse();

        var laan = Get(plan, "way-3001");
        Assert.Equal(TwinCollections.Wegvakken, laan.Collection);
        Assert.Equal("gebiedsontsluitingsweg", laan.Properties["wegklasse"]);
        Assert.Equal(50L, laan.Properties["maximumsnelheid"]);
        Assert.Equal("heen", laan.Properties["richting"]);
        Assert.Equal("Laan der Verenigde Naties", laan.Properties["naam"]);

        // Tolerance 1 m (EPSG:28992): the segments measure about 410 m and 410 m on the ground.
        Assert.InRange((double)laan.Properties["lengte"]!, 700, 900);
        Assert.Equal(laan.Geometry.Length, (double)laan.Properties["lengte"]!, 0.05);

        var straat = Get(plan, "way-3002");
        Assert.Equal(("erftoegangsweg", 30L, "beide"), (straat.Properties["wegklasse"], straat.Properties["maximumsnelheid"], straat.Properties["richting"]));
        var fietspad = Get(plan, "way-3003");
        Assert.Equal(("fietspad", null, "terug"), (fietspad.Properties["wegklasse"], fietspad.Properties["maximumsnelheid"], fietspad.Properties["richting"]));
    }

    [Fact]
    public void Unmapped_features_are_skipped_and_validity_comes_from_the_extract_timestamp()
    {
        var plan = Parse();

        Assert.Equal(8, plan.Features.Count);
        Assert.Equal(2, plan.Skipped);
        Assert.All(plan.Features, f => Assert.Equal(new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero), f.Validity.From));
        Assert.Equal("https://opendatacommons.org/licenses/odbl/1-0/", plan.Dataset.License);
        Assert.Equal("OpenStreetMap contributors", plan.Dataset.Creator.Name);
    }
}
