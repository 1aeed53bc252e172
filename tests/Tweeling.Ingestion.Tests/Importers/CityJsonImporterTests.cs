using NetTopologySuite.Geometries;
using Tweeling.Domain.Features;
using Tweeling.Domain.Geo;
using Tweeling.Ingestion.Importers;

namespace Tweeling.Ingestion.Tests.Importers;

public sealed class CityJsonImporterTests
{
    private static ImportPlan Parse() =>
        new CityJsonImporter().Parse(new ImportRequest(ImportTestKit.TestData("cityjson/small.city.json")), ImportTestKit.Crs, ImportTestKit.Now);

    [Fact]
    public void Each_building_becomes_a_pand_and_other_city_objects_are_skipped()
    {
        var plan = Parse();

        Assert.Equal(
            ["NL.IMBAG.Pand.0505100000000001", "NL.IMBAG.Pand.0505100000000002", "NL.IMBAG.Pand.0505100000000003"],
            plan.Features.Select(f => f.Id));
        Assert.All(plan.Features, f => Assert.Equal(TwinCollections.Panden, f.Collection));
        Assert.All(plan.Features, f => Assert.Equal(new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.Zero), f.Validity.From));
        Assert.Equal(1, plan.Skipped);
        Assert.Equal("Testtegel Dordrecht (handgeschreven)", plan.Dataset.Title);
    }

    [Fact]
    public void Footprint_comes_from_lod0_else_ground_surfaces_else_lowest_surfaces_of_the_parts()
    {
        var panden = Parse().Features;

        // Tolerance: exact; the fixture's vertices are whole metres after the transform, in EPSG:28992.
        Assert.Equal(new Envelope(105_000, 105_010, 425_000, 425_010), panden[0].Geometry.EnvelopeInternal);
        Assert.Equal(100, panden[0].Geometry.Area, 6);
        Assert.Equal(new Envelope(105_020, 105_032, 425_000, 425_008), panden[1].Geometry.EnvelopeInternal);
        Assert.Equal(96, panden[1].Geometry.Area, 6);
        Assert.Equal(new Envelope(105_040, 105_050, 425_000, 425_010), panden[2].Geometry.EnvelopeInternal);
        Assert.Equal(100, panden[2].Geometry.Area, 6);
        Assert.All(panden, p => Assert.IsType<Polygon>(p.Geometry));
        Assert.All(panden, p => Assert.Equal(Crs.RdNewSrid, p.Geometry.SRID));
    }

    [Fact]
    public void Height_year_function_and_storeys_come_from_the_attributes()
    {
        var panden = Parse().Features;

        Assert.Equal(8.5, panden[0].Properties["hoogte"]);
        Assert.Equal(1930L, panden[0].Properties["bouwjaar"]);
        Assert.Equal("onbekend", panden[0].Properties["functie"]);
        Assert.Equal(3L, panden[0].Properties["bouwlagen"]);

        // No 3DBAG heights: the z range of the solid.
        Assert.Equal(6.0, panden[1].Properties["hoogte"]);
        Assert.Equal("kantoor", panden[1].Properties["functie"]);
        Assert.False(panden[1].Properties.ContainsKey("bouwlagen"));

        Assert.Equal(12.0, panden[2].Properties["hoogte"]);
        Assert.Equal(2005L, panden[2].Properties["bouwjaar"]);
    }

    [Fact]
    public async Task Import_writes_the_panden_to_the_store()
    {
        await using var twin = await TwinFixture.CreateAsync();

        var result = await twin.ImportAsync("cityjson", ImportTestKit.TestData("cityjson/small.city.json"));

        Assert.Equal(3, result.FeaturesPerCollection[TwinCollections.Panden]);
        Assert.Equal(1, result.Skipped);
        var pand = await twin.Store.FindAsync(TwinCollections.Panden, "NL.IMBAG.Pand.0505100000000002", new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero), TestContext.Current.CancellationToken);
        Assert.NotNull(pand);
        Assert.Equal("kantoor", pand.Properties["functie"]);
    }
}
