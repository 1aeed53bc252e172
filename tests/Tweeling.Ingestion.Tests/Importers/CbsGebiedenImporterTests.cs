using NetTopologySuite.Geometries;
using Tweeling.Domain.Catalog;
using Tweeling.Domain.Features;
using Tweeling.Domain.Geo;
using Tweeling.Ingestion.Importers;
using Tweeling.TestSupport;

namespace Tweeling.Ingestion.Tests.Importers;

public sealed class CbsGebiedenImporterTests
{
    private static readonly CbsGebiedenImporter s_importer = new();

    private static ImportPlan Parse(string path, DateTimeOffset? validFrom = null) =>
        s_importer.Parse(new ImportRequest(path, validFrom), ImportTestKit.Crs, ImportTestKit.Now);

    [Fact]
    public void Real_buurten_file_yields_its_132_buurten_with_codes_names_and_parents()
    {
        ImportTestKit.RequireRealData();
        var plan = Parse(RealData.File("cbs_wijkbuurtkaart/buurten_2024_gegeneraliseerd_dordrecht.geojson"));

        Assert.Equal(132, plan.Features.Count);
        Assert.All(plan.Features, f => Assert.Equal(TwinCollections.Buurten, f.Collection));
        Assert.Equal(132, plan.Features.Select(f => f.Id).Distinct().Count());
        var nieuweHaven = Assert.Single(plan.Features, f => f.Id == "BU05050100");
        Assert.Equal("Nieuwe Haven en omgeving", nieuweHaven.Properties["naam"]);
        Assert.Equal("BU05050100", nieuweHaven.Properties["code"]);
        Assert.Equal("WK050501", nieuweHaven.Properties["wijkcode"]);
        Assert.Equal("GM0505", nieuweHaven.Properties["gemeentecode"]);
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), nieuweHaven.Validity.From);
        Assert.Null(nieuweHaven.Validity.To);
        Assert.Equal(Crs.RdNewSrid, nieuweHaven.Geometry.SRID);

        // Dordrecht lies around RD (105 000, 425 000); the transformed geometry must be in metres there.
        var centre = nieuweHaven.Geometry.Centroid;
        Assert.InRange(centre.X, 100_000, 112_000);
        Assert.InRange(centre.Y, 418_000, 430_000);

        // BU05051104 has a zero-area spike from the 3-decimal rounding; it is repaired, and the lineage says so.
        Assert.True(plan.Features.Single(f => f.Id == "BU05051104").Geometry.IsValid);
        Assert.Contains("BU05051104", plan.Dataset.Lineage, StringComparison.Ordinal);

        var merwelanden = Assert.Single(plan.Features, f => f.Id == "BU05059800");
        Assert.Equal(1, Assert.IsType<Polygon>(merwelanden.Geometry).NumInteriorRings);
    }

    [Fact]
    public void Real_wijken_file_yields_its_13_wijken()
    {
        ImportTestKit.RequireRealData();
        var plan = Parse(RealData.File("cbs_wijkbuurtkaart/wijken_2024_gegeneraliseerd_dordrecht.geojson"));

        Assert.Equal(13, plan.Features.Count);
        Assert.All(plan.Features, f => Assert.Equal(TwinCollections.Wijken, f.Collection));
        var binnenstad = Assert.Single(plan.Features, f => f.Id == "WK050501");
        Assert.Equal("Wijk 01 Binnenstad", binnenstad.Properties["naam"]);
        Assert.Equal("GM0505", binnenstad.Properties["gemeentecode"]);
        Assert.False(binnenstad.Properties.ContainsKey("wijkcode"));
    }

    [Fact]
    public void Dataset_metadata_is_complete_with_lineage_naming_file_and_hash()
    {
        ImportTestKit.RequireRealData();
        var plan = Parse(RealData.File("cbs_wijkbuurtkaart/wijken_2024_gegeneraliseerd_dordrecht.geojson"));
        var dataset = plan.Dataset;

        Assert.Equal("cbs-gebieden-wijken-2024-gegeneraliseerd-dordrecht", dataset.Id);
        Assert.Equal(Classification.Open, dataset.Classification);
        Assert.Equal(CatalogVocabulary.LicenseCcBy40, dataset.License);
        Assert.False(dataset.IsSynthetic);
        Assert.Equal("GM0505", dataset.Spatial);
        Assert.Contains("wijken_2024_gegeneraliseerd_dordrecht.geojson", dataset.Lineage, StringComparison.Ordinal);
        Assert.Contains("012c5e4025572698a6b39fc8c00725515e3266e73f9b48796c415b21b97f1222", dataset.Lineage, StringComparison.Ordinal);
        Assert.Equal(ImportTestKit.Now, dataset.Modified);
        Assert.All(plan.Features, f => Assert.Equal(dataset.Id, f.DatasetId));
    }

    [Fact]
    public void Requested_valid_from_and_dataset_id_win_over_the_file()
    {
        var from = new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero);
        var plan = s_importer.Parse(
            new ImportRequest(ImportTestKit.TestData("cbs/gebieden_rd.geojson"), from, "mijn-gebieden"),
            ImportTestKit.Crs,
            ImportTestKit.Now);

        Assert.Equal("mijn-gebieden", plan.Dataset.Id);
        Assert.All(plan.Features, f => Assert.Equal(from, f.Validity.From));
    }

    [Fact]
    public void Rd_new_geojson_keeps_its_coordinates_and_takes_all_three_levels()
    {
        var plan = Parse(ImportTestKit.TestData("cbs/gebieden_rd.geojson"));

        Assert.Equal(
            [TwinCollections.Gemeenten, TwinCollections.Wijken, TwinCollections.Buurten],
            plan.Features.Select(f => f.Collection));
        var buurt = plan.Features[2];
        Assert.Equal("WK099901", buurt.Properties["wijkcode"]);
        Assert.Equal("GM0999", buurt.Properties["gemeentecode"]);
        Assert.Equal(new Envelope(105_000, 105_500, 425_000, 425_500), buurt.Geometry.EnvelopeInternal);

        // No jrstatcode on the gemeente: validity falls back to the clock.
        Assert.Equal(ImportTestKit.Now, plan.Features[0].Validity.From);
    }
}
