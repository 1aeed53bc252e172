using Tweeling.Ingestion.Importers;
using ImporterRegistry = Tweeling.Ingestion.Importers.Importers;

namespace Tweeling.Ingestion.Tests.Importers;

/// <summary>
/// Every kind of bad input gets an <see cref="ImportException"/> naming file, place and reason, and leaves
/// a real store exactly as it was (compared by a snapshot of everything a reader can see).
/// </summary>
public sealed class BadInputTests
{
    private static readonly DateTimeOffset s_2024 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, string, string?, string> Cases => new()
    {
        { "cbs-gebieden", "bad/malformed.geojson", "line 5, position 5", "malformed JSON: " },
        { "cbs-gebieden", "bad/self_intersecting.geojson", "feature 'BU05050100'", "self-intersection at (4.665 51.818)" },
        { "cbs-gebieden", "bad/duplicate.geojson", "feature 'BU05050100'", "duplicate id 'BU05050100'" },
        { "cbs-gebieden", "bad/unsupported_crs.geojson", null, "wrong CRS: the file declares 'urn:ogc:def:crs:EPSG::3857'" },
        { "cbs-gebieden", "bad/rd_in_crs84.geojson", "feature 'BU05050100'", "wrong CRS: coordinate (105000 425000)" },
        { "cbs-gebieden", "bad/empty.geojson", null, "the file is empty" },
        { "cbs-gebieden", "bad/no_features.geojson", null, "the file holds no features" },
        { "cbs-gebieden", "bad/does_not_exist.geojson", null, "file not found" },
        { "csv-indicator", "bad/ragged.csv", "line 3", "malformed CSV: 4 fields where the header has 3 columns" },
        { "csv-indicator", "bad/unknown_area.csv", "line 3", "unknown area code 'BU09999999'" },
        { "csv-indicator", "bad/duplicate_rows.csv", "line 3", "duplicate id: 'GM0999' on 2025-01-01 also appears on line 2" },
        { "csv-indicator", "bad/not_a_number.csv", "line 2", "'41,5' in column 'eenzaamheid' is not a number" },
        { "cbs-kerncijfers", "bad/kwb2024_unknown_area.csv", "line 3", "unknown area code 'WK099999'" },
        { "cityjson", "bad/wrong_crs.city.json", null, "wrong CRS: metadata.referenceSystem is 'https://www.opengis.net/def/crs/EPSG/0/4326'" },
        { "cityjson", "bad/malformed.city.json", "line 2, position 1", "malformed JSON: " },
        { "osm-geojson", "bad/duplicate.osm.geojson", "feature 'node/1001'", "duplicate id 'node/1001'" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_is_refused_with_file_place_and_reason_and_the_store_is_unchanged(string kind, string fixture, string? location, string reason)
    {
        await using var twin = await TwinFixture.CreateAsync();
        await twin.ImportAsync("cbs-gebieden", ImportTestKit.TestData("cbs/gebieden_rd.geojson"), s_2024);
        var before = await twin.SnapshotAsync();
        var path = ImportTestKit.TestData(fixture);

        var error = await Assert.ThrowsAsync<ImportException>(() => twin.ImportAsync(kind, path));

        Assert.Equal(path, error.FilePath);
        Assert.Equal(location, error.Location);
        Assert.StartsWith(reason, error.Reason, StringComparison.Ordinal);
        Assert.StartsWith(Path.GetFileName(path) + (location is null ? ": " : $", {location}: "), error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await twin.SnapshotAsync());
    }

    [Fact]
    public async Task A_failure_inside_the_transaction_discards_what_it_wrote_before()
    {
        await using var twin = await TwinFixture.CreateAsync();
        var path = ImportTestKit.TestData("cbs/gebieden_rd.geojson");
        await twin.ImportAsync("cbs-gebieden", path, s_2024);
        var before = await twin.SnapshotAsync();

        // The second import writes its dataset (with a new lineage time) and then hits the existing versions.
        twin.Clock.Advance(TimeSpan.FromDays(1));
        var error = await Assert.ThrowsAsync<ImportException>(() => twin.ImportAsync("cbs-gebieden", path, s_2024));

        Assert.Equal("feature 'GM0999'", error.Location);
        Assert.Contains("already has a version", error.Reason, StringComparison.Ordinal);
        Assert.Equal(before, await twin.SnapshotAsync());
    }

    [Fact]
    public void An_unknown_kind_is_not_found_and_every_kind_is()
    {
        Assert.Null(ImporterRegistry.Find("shapefile"));
        Assert.Equal(
            ["cbs-gebieden", "cbs-kerncijfers", "csv-indicator", "cityjson", "osm-geojson"],
            ImporterRegistry.All.Select(i => i.Kind));
        Assert.All(ImporterRegistry.All, i => Assert.Same(i, ImporterRegistry.Find(i.Kind.ToUpperInvariant())));
    }
}
