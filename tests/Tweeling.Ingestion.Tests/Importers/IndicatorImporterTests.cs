using NetTopologySuite.Operation.Union;
using Tweeling.Domain.Catalog;
using Tweeling.Domain.Features;
using Tweeling.Domain.Ports;
using Tweeling.TestSupport;

namespace Tweeling.Ingestion.Tests.Importers;

public sealed class IndicatorImporterTests
{
    private static readonly DateTimeOffset s_2024 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The real data has wijken but no gemeente polygon. The test derives GM0505 as the union of the
    /// imported wijken and writes it through a transaction, as a municipality without the CBS gemeente
    /// layer would; cbs-gebieden itself takes a gemeente whenever the file has one.
    /// </summary>
    [Fact]
    public async Task Real_kerncijfers_after_the_wijken_and_a_gemeente_give_Dordrecht_122070_inhabitants()
    {
        ImportTestKit.RequireRealData();
        var ct = TestContext.Current.CancellationToken;
        await using var twin = await TwinFixture.CreateAsync();
        await twin.ImportAsync("cbs-gebieden", RealData.File("cbs_wijkbuurtkaart/wijken_2024_gegeneraliseerd_dordrecht.geojson"));
        await WriteGemeenteFromWijkenAsync(twin.Store, ct);

        var result = await twin.ImportAsync("cbs-kerncijfers", RealData.File("cbs_kerncijfers/kwb2024_dordrecht_gemeente_wijken.csv"));

        Assert.Equal(14 * 8, result.IndicatorValues);
        Assert.Empty(result.FeaturesPerCollection);
        var values = await twin.Store.ValuesAsOfAsync(["GM0505", "WK050501"], new DateOnly(2024, 6, 1), ct);
        var inwoners = Assert.Single(values, v => v.AreaCode == "GM0505" && v.IndicatorCode == "AantalInwoners_5");
        Assert.Equal(122_070, inwoners.Value);
        Assert.Equal(new DateOnly(2024, 1, 1), inwoners.ReferenceDate);
        Assert.Equal(5_710, values.Single(v => v.AreaCode == "WK050501" && v.IndicatorCode == "Woningvoorraad_35").Value);

        var indicators = (IIndicatorStore)twin.Store;
        var definition = await indicators.FindAsync("AantalInwoners_5", ct);
        Assert.NotNull(definition);
        Assert.Equal("Aantal inwoners", definition.Name);
        Assert.Equal("aantal", definition.Unit);
        Assert.Equal(result.DatasetId, definition.SourceDatasetId);
        Assert.Null(await indicators.FindAsync("regionaam", ct));
        Assert.Equal(8, (await indicators.ListAsync(ct)).Count);

        var dataset = await ((ICatalog)twin.Store).FindAsync(result.DatasetId, ct);
        Assert.NotNull(dataset);
        Assert.Equal("cbs-kerncijfers-kwb2024-dordrecht-gemeente-wijken", dataset.Id);
        Assert.Equal(CatalogVocabulary.LicenseCcBy40, dataset.License);
        Assert.Contains("d64b59b690412162c3221d8d86913e30aece20f3732edca38937d2a389eaf30d", dataset.Lineage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_indicator_with_sidecar_writes_values_per_area_and_date()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var twin = await TwinFixture.CreateAsync();
        await twin.ImportAsync("cbs-gebieden", ImportTestKit.TestData("cbs/gebieden_rd.geojson"), s_2024);

        var result = await twin.ImportAsync("csv-indicator", ImportTestKit.TestData("csv/monitor_2025.csv"));

        Assert.Equal(8, result.IndicatorValues);
        var early = await twin.Store.ValuesAsOfAsync(["BU09990101", "WK099901", "GM0999"], new DateOnly(2025, 3, 1), ct);
        Assert.Equal(38, early.Single(v => v.AreaCode == "BU09990101" && v.IndicatorCode == "eenzaamheid").Value);
        Assert.Null(early.Single(v => v.AreaCode == "WK099901" && v.IndicatorCode == "eenzaamheid").Value);
        Assert.Null(early.Single(v => v.AreaCode == "GM0999" && v.IndicatorCode == "groen_per_inwoner").Value);
        Assert.Equal(22.75, early.Single(v => v.AreaCode == "WK099901" && v.IndicatorCode == "groen_per_inwoner").Value);
        var later = await twin.Store.ValuesAsOfAsync(["BU09990101"], new DateOnly(2025, 12, 31), ct);
        Assert.Equal(37.2, later.Single(v => v.IndicatorCode == "eenzaamheid").Value);

        var indicators = (IIndicatorStore)twin.Store;
        var eenzaamheid = await indicators.FindAsync("eenzaamheid", ct);
        Assert.NotNull(eenzaamheid);
        Assert.Equal(("Eenzaamheid", "%", true), (eenzaamheid.Name, eenzaamheid.Unit, eenzaamheid.IsPersonalData));
        var groen = await indicators.FindAsync("groen_per_inwoner", ct);
        Assert.NotNull(groen);
        Assert.Equal(("groen_per_inwoner", "onbekend"), (groen.Name, groen.Unit));

        var dataset = await ((ICatalog)twin.Store).FindAsync(result.DatasetId, ct);
        Assert.NotNull(dataset);
        Assert.Equal("Gezondheidsmonitor testgemeente 2025", dataset.Title);
        Assert.Equal(Classification.Open, dataset.Classification);
        Assert.Equal("Gemeente Testgemeente", dataset.Publisher.Name);
    }

    private static async Task WriteGemeenteFromWijkenAsync(IFeatureStore store, CancellationToken ct)
    {
        var wijken = await store.QueryAsync(new FeatureQuery(TwinCollections.Wijken, TemporalFilter.At(s_2024), Limit: 100), ct);
        var geometry = UnaryUnionOp.Union(wijken.Items.Select(w => w.Geometry).ToList());
        var dataset = new Dataset(
            "test-gemeente-uit-wijken",
            "Gemeente Dordrecht, afgeleid uit de wijken",
            "Union of the CBS wijken, for tests.",
            new Agent("Test", "urn:test"),
            new Agent("Test", "urn:test"),
            new ContactPoint("Test", "test@example.org"),
            [CatalogVocabulary.ThemeRegions],
            Classification.Open,
            "Test",
            ["test"],
            CatalogVocabulary.LicenseCcBy40,
            ImportTestKit.Now,
            CatalogVocabulary.FrequencyNever,
            "GM0505",
            "Union of the wijken imported from wijken_2024_gegeneraliseerd_dordrecht.geojson.",
            IsSynthetic: false);
        var gemeente = new Feature(
            TwinCollections.Gemeenten,
            "GM0505",
            geometry,
            new Dictionary<string, object?> { ["code"] = "GM0505", ["naam"] = "Dordrecht" },
            new ValidityInterval(s_2024),
            dataset.Id);
        var transaction = await ((ITwinWriter)store).BeginAsync(ct);
        await using (transaction)
        {
            await transaction.PutDatasetAsync(dataset, ct);
            await transaction.AddFeaturesAsync([gemeente], ct);
            await transaction.CommitAsync(ct);
        }
    }
}
