using System.Globalization;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Catalog;
using Tweeling.Domain.Features;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Indicators;
using Tweeling.Domain.Ports;

namespace Tweeling.Storage.Tests;

/// <summary>The store a contract test runs against, with every port the backend implements.</summary>
public sealed record StoreUnderTest(IFeatureStore Features, ICatalog Catalog, IIndicatorStore Indicators, ITwinWriter Writer, IAsyncDisposable Lifetime) : IStoreUnderTest;

/// <summary>
/// The storage contract: what every backend behind the Domain ports must do, asserted the same way
/// for each. A backend's test class derives from this and says how to open a fresh, empty store.
/// </summary>
public abstract class StoreContract : BackendContract<StoreUnderTest>
{
    protected static readonly NtsGeometryServices Geometry = new(PrecisionModel.Floating.Value, Crs.RdNewSrid);
    private static readonly GeometryFactory s_rd = Geometry.CreateGeometryFactory(Crs.RdNewSrid);
    private static readonly DateTimeOffset s_2020 = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_2023 = new(2023, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_2024 = new(2024, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_new_store_is_empty_and_a_committed_write_makes_it_not_empty()
    {
        Assert.True(await Store.Features.IsEmptyAsync(Ct));
        await WriteAsync(tx => tx.PutDatasetAsync(TestDataset("d1"), Ct));
        Assert.False(await Store.Features.IsEmptyAsync(Ct));
    }

    [Fact]
    public async Task A_feature_reads_back_exactly_as_written()
    {
        var geometry = s_rd.CreatePolygon([new(105000.25, 425000.5), new(105010, 425000.5), new(105010, 425012.75), new(105000.25, 425000.5)]);
        var properties = new Dictionary<string, object?>
        {
            ["naam"] = "Groothoofd 'De Drie' \"Kruisen\"",
            ["bouwjaar"] = 1650L,
            ["hoogte"] = 12.5,
            ["monument"] = true,
            ["sloopjaar"] = null,
        };
        var feature = new Feature(TwinCollections.Panden, "0505100000000001", geometry, properties, new ValidityInterval(s_2020), "d1");
        await WriteAsync(tx => tx.AddFeaturesAsync([feature], Ct));

        var read = await Store.Features.FindAsync(TwinCollections.Panden, "0505100000000001", s_2024, Ct);

        Assert.NotNull(read);
        Assert.True(geometry.EqualsExact(read.Geometry), $"geometry differs: {read.Geometry}");
        Assert.Equal(Crs.RdNewSrid, read.Geometry.SRID);
        Assert.Equal(properties, read.Properties);
        Assert.IsType<long>(read.Properties["bouwjaar"]);
        Assert.IsType<double>(read.Properties["hoogte"]);
        Assert.Equal(new ValidityInterval(s_2020), read.Validity);
        Assert.Equal("d1", read.DatasetId);
        Assert.Equal(["naam", "bouwjaar", "hoogte", "monument", "sloopjaar"], read.Properties.Keys);
    }

    [Fact]
    public async Task A_transaction_disposed_without_commit_leaves_the_store_exactly_as_it_was()
    {
        await WriteAsync(tx => tx.AddFeaturesAsync([Building("kept", 0, 0, s_2020)], Ct));

        await using (var tx = await Store.Writer.BeginAsync(Ct))
        {
            await tx.PutDatasetAsync(TestDataset("discarded"), Ct);
            await tx.AddFeaturesAsync([Building("discarded", 50, 0, s_2020), Building("kept", 0, 0, s_2023)], Ct);
            await tx.PutIndicatorsAsync([TestIndicator("discarded")], Ct);
            await tx.PutIndicatorValuesAsync([new("discarded", "BU1", new DateOnly(2024, 1, 1), 1)], Ct);
        }

        var page = await Store.Features.QueryAsync(new FeatureQuery(TwinCollections.Panden, TemporalFilter.Between(null, null), Limit: 100), Ct);
        Assert.Equal(["kept"], page.Items.Select(f => f.Id));
        Assert.Null(page.Items[0].Validity.To);
        Assert.Empty(await Store.Catalog.ListAsync(Ct));
        Assert.Empty(await Store.Indicators.ListAsync(Ct));
        Assert.Empty(await Store.Indicators.ValuesAsOfAsync(["BU1"], new DateOnly(2025, 1, 1), Ct));
    }

    [Fact]
    public async Task Readers_do_not_see_a_write_before_it_commits()
    {
        await using var tx = await Store.Writer.BeginAsync(Ct);
        await tx.AddFeaturesAsync([Building("pending", 0, 0, s_2020)], Ct);

        Assert.Null(await Store.Features.FindAsync(TwinCollections.Panden, "pending", s_2024, Ct));
        await tx.CommitAsync(Ct);
        Assert.NotNull(await Store.Features.FindAsync(TwinCollections.Panden, "pending", s_2024, Ct));
    }

    [Fact]
    public async Task A_new_version_closes_the_previous_one_and_each_is_read_as_of_its_dates()
    {
        await WriteAsync(tx => tx.AddFeaturesAsync([Building("b", 0, 0, s_2020, height: 9)], Ct));
        await WriteAsync(tx => tx.AddFeaturesAsync([Building("b", 0, 0, s_2023, height: 15)], Ct));

        var in2021 = await Store.Features.FindAsync(TwinCollections.Panden, "b", new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero), Ct);
        var in2024 = await Store.Features.FindAsync(TwinCollections.Panden, "b", s_2024, Ct);
        var before = await Store.Features.FindAsync(TwinCollections.Panden, "b", s_2020.AddTicks(-1), Ct);

        Assert.Equal(9.0, in2021!.Properties["hoogte"]);
        Assert.Equal(new ValidityInterval(s_2020, s_2023), in2021.Validity);
        Assert.Equal(15.0, in2024!.Properties["hoogte"]);
        Assert.Null(before);
        Assert.Equal(15.0, (await Store.Features.FindAsync(TwinCollections.Panden, "b", s_2023, Ct))!.Properties["hoogte"]);
    }

    [Fact]
    public async Task An_older_version_added_later_ends_where_the_newer_one_begins()
    {
        await WriteAsync(tx => tx.AddFeaturesAsync([Building("b", 0, 0, s_2023, height: 15)], Ct));
        await WriteAsync(tx => tx.AddFeaturesAsync([Building("b", 0, 0, s_2020, height: 9)], Ct));

        var old = await Store.Features.FindAsync(TwinCollections.Panden, "b", s_2020, Ct);
        Assert.Equal(new ValidityInterval(s_2020, s_2023), old!.Validity);
        Assert.Equal(15.0, (await Store.Features.FindAsync(TwinCollections.Panden, "b", s_2024, Ct))!.Properties["hoogte"]);
    }

    [Fact]
    public async Task Instant_reads_return_one_version_and_interval_reads_every_overlapping_one()
    {
        await WriteAsync(tx => tx.AddFeaturesAsync([Building("b", 0, 0, s_2020, height: 9), Building("b", 0, 0, s_2023, height: 15)], Ct));

        var now = await Store.Features.QueryAsync(new FeatureQuery(TwinCollections.Panden, TemporalFilter.At(s_2024)), Ct);
        var all = await Store.Features.QueryAsync(new FeatureQuery(TwinCollections.Panden, TemporalFilter.Between(null, null)), Ct);
        var early = await Store.Features.QueryAsync(new FeatureQuery(TwinCollections.Panden, TemporalFilter.Between(null, s_2020)), Ct);
        var late = await Store.Features.QueryAsync(new FeatureQuery(TwinCollections.Panden, TemporalFilter.Between(s_2023, null)), Ct);

        Assert.Equal(1, now.NumberMatched);
        Assert.Equal(2, all.NumberMatched);
        Assert.Equal([9.0], early.Items.Select(f => f.Properties["hoogte"]));
        Assert.Equal([15.0], late.Items.Select(f => f.Properties["hoogte"]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Versions_that_have_not_begun_or_have_ended_are_not_read_as_of_an_instant(bool withBbox)
    {
        var box = withBbox ? new Envelope(104_000, 106_000, 424_000, 426_000) : null;
        async Task<IEnumerable<string>> IdsAt(DateTimeOffset t) =>
            (await Store.Features.QueryAsync(new FeatureQuery(TwinCollections.Panden, TemporalFilter.At(t), box, Limit: 100), Ct)).Items.Select(f => f.Id);

        await WriteAsync(tx => tx.AddFeaturesAsync([Building("now", 0, 0, s_2020), Building("planned", 20, 0, s_2024)], Ct));
        Assert.Equal(["now"], await IdsAt(s_2023));
        Assert.Equal(["now", "planned"], await IdsAt(s_2024));

        await WriteAsync(tx => tx.AddFeaturesAsync([Building("now", 0, 0, s_2023, height: 20)], Ct));
        Assert.Equal(["now"], await IdsAt(s_2020));
        Assert.Equal(["planned", "now"], await IdsAt(s_2024));
        Assert.Equal(20.0, (await Store.Features.QueryAsync(new FeatureQuery(TwinCollections.Panden, TemporalFilter.At(s_2024), box, Limit: 100), Ct)).Items[1].Properties["hoogte"]);
    }

    [Fact]
    public async Task A_bbox_read_after_every_start_leaves_out_the_ended_versions_also_after_another_write_ends_one()
    {
        var box = new Envelope(104_000, 106_000, 424_000, 426_000);
        async Task<(long Matched, IEnumerable<double> Heights)> At2024()
        {
            var page = await Store.Features.QueryAsync(new FeatureQuery(TwinCollections.Panden, TemporalFilter.At(s_2024), box, Limit: 100), Ct);
            return (page.NumberMatched, page.Items.Select(f => Convert.ToDouble(f.Properties["hoogte"], CultureInfo.InvariantCulture)));
        }

        await WriteAsync(tx => tx.AddFeaturesAsync([Building("a", 0, 0, s_2020, height: 9), Building("a", 0, 0, s_2023, height: 12), Building("b", 20, 0, s_2020, height: 5)], Ct));
        var before = await At2024();
        await WriteAsync(tx => tx.AddFeaturesAsync([Building("b", 20, 0, s_2023, height: 7)], Ct));
        var after = await At2024();

        Assert.Equal(2, before.Matched);
        Assert.Equal([12.0, 5.0], before.Heights);
        Assert.Equal(2, after.Matched);
        Assert.Equal([12.0, 7.0], after.Heights);
    }

    [Fact]
    public async Task A_second_version_with_the_same_start_is_refused()
    {
        await WriteAsync(tx => tx.AddFeaturesAsync([Building("b", 0, 0, s_2020)], Ct));

        await using var tx = await Store.Writer.BeginAsync(Ct);
        var error = await Assert.ThrowsAsync<DuplicateFeatureException>(() => tx.AddFeaturesAsync([Building("b", 5, 5, s_2020)], Ct));
        Assert.Equal("b", error.FeatureId);
    }

    [Fact]
    public async Task Bbox_reads_return_exactly_the_features_whose_box_intersects_and_page_without_gaps()
    {
        // A 10 x 10 grid of 5 m squares, 20 m apart.
        var buildings = Enumerable.Range(0, 100).Select(i => Building($"b{i:D3}", (i % 10) * 20, (i / 10) * 20, s_2020)).ToList();
        await WriteAsync(tx => tx.AddFeaturesAsync(buildings, Ct));
        var box = new Envelope(105000 + 30, 105000 + 65, 425000 + 30, 425000 + 45); // columns 2-3 (x 40..45, 60..65), rows 2 (y 40..45)

        var page = await Store.Features.QueryAsync(new FeatureQuery(TwinCollections.Panden, TemporalFilter.At(s_2024), box, Limit: 100), Ct);
        Assert.Equal(["b022", "b023"], page.Items.Select(f => f.Id));
        Assert.Equal(2, page.NumberMatched);

        var seen = new List<string>();
        for (var offset = 0; offset < 100; offset += 7)
        {
            var part = await Store.Features.QueryAsync(new FeatureQuery(TwinCollections.Panden, TemporalFilter.At(s_2024), Limit: 7, Offset: offset), Ct);
            Assert.Equal(100, part.NumberMatched);
            seen.AddRange(part.Items.Select(f => f.Id));
        }

        Assert.Equal(buildings.Select(b => b.Id), seen);
    }

    [Fact]
    public async Task Version_pages_name_the_same_features_as_full_pages_and_load_in_the_order_asked()
    {
        var buildings = Enumerable.Range(0, 30).Select(i => Building($"b{i:D2}", (i % 6) * 20, (i / 6) * 20, s_2020)).ToList();
        await WriteAsync(tx => tx.AddFeaturesAsync(buildings, Ct));
        var query = new FeatureQuery(TwinCollections.Panden, TemporalFilter.At(s_2024), new Envelope(105000, 105050, 425000, 425100), Limit: 5, Offset: 2);

        var full = await Store.Features.QueryAsync(query, Ct);
        var versions = await Store.Features.QueryVersionsAsync(query, Ct);
        var loaded = await Store.Features.LoadVersionsAsync(versions.VersionIds, Ct);
        var reversed = await Store.Features.LoadVersionsAsync([.. versions.VersionIds.Reverse(), -1], Ct);

        Assert.Equal(full.NumberMatched, versions.NumberMatched);
        Assert.Equal(full.Items.Select(f => f.Id), loaded.Select(v => v.Feature.Id));
        Assert.Equal(versions.VersionIds, loaded.Select(v => v.VersionId));
        Assert.Equal(versions.VersionIds.Reverse(), reversed.Select(v => v.VersionId));
    }

    [Fact]
    public async Task The_revision_of_a_collection_moves_with_every_committed_write_to_it_and_only_then()
    {
        var panden = new FeatureQuery(TwinCollections.Panden, TemporalFilter.At(s_2024));
        async Task<long> Revision() => (await Store.Features.QueryVersionsAsync(panden, Ct)).Revision;

        await WriteAsync(tx => tx.AddFeaturesAsync([Building("a", 0, 0, s_2020)], Ct));
        var first = await Revision();
        await WriteAsync(tx => tx.AddFeaturesAsync([Building("tree", 0, 0, s_2020) with { Collection = TwinCollections.Bomen }], Ct));
        Assert.Equal(first, await Revision());
        await using (var discarded = await Store.Writer.BeginAsync(Ct))
        {
            await discarded.AddFeaturesAsync([Building("b", 20, 0, s_2020)], Ct);
        }

        Assert.Equal(first, await Revision());
        await WriteAsync(tx => tx.AddFeaturesAsync([Building("a", 0, 0, s_2023)], Ct));
        Assert.NotEqual(first, await Revision());
    }

    [Fact]
    public async Task A_bbox_read_of_a_collection_never_written_is_empty()
    {
        await WriteAsync(tx => tx.AddFeaturesAsync([Building("a", 0, 0, s_2020)], Ct));

        var page = await Store.Features.QueryAsync(new FeatureQuery(TwinCollections.Bomen, TemporalFilter.At(s_2024), new Envelope(0, 1e6, 0, 1e6)), Ct);

        Assert.Equal(0, page.NumberMatched);
        Assert.Empty(page.Items);
    }

    [Fact]
    public async Task Property_filters_match_strings_integers_numbers_and_booleans()
    {
        await WriteAsync(tx => tx.AddFeaturesAsync(
        [
            Building("a", 0, 0, s_2020, height: 9, year: 1900, function: "wonen", monument: true),
            Building("b", 20, 0, s_2020, height: 12.5, year: 1900, function: "winkel", monument: false),
            Building("c", 40, 0, s_2020, height: 9, year: 2001, function: "wonen", monument: false),
        ], Ct));

        async Task<IEnumerable<string>> Ids(Dictionary<string, object> filter) =>
            (await Store.Features.QueryAsync(new FeatureQuery(TwinCollections.Panden, TemporalFilter.At(s_2024), PropertyEquals: filter), Ct)).Items.Select(f => f.Id);

        Assert.Equal(["a", "c"], await Ids(new() { ["functie"] = "wonen" }));
        Assert.Equal(["a", "b"], await Ids(new() { ["bouwjaar"] = 1900L }));
        Assert.Equal(["b"], await Ids(new() { ["hoogte"] = 12.5 }));
        Assert.Equal(["a", "c"], await Ids(new() { ["hoogte"] = 9L }));
        Assert.Equal(["a"], await Ids(new() { ["monument"] = true }));
        Assert.Equal(["c"], await Ids(new() { ["functie"] = "wonen", ["bouwjaar"] = 2001L }));
        Assert.Empty(await Ids(new() { ["functie\") OR 1=1 --"] = "x" }));
    }

    [Fact]
    public async Task A_dataset_filter_returns_only_features_of_the_listed_datasets()
    {
        await WriteAsync(tx => tx.AddFeaturesAsync([Building("a", 0, 0, s_2020), Building("b", 20, 0, s_2020) with { DatasetId = "d2" }], Ct));

        var onlyD2 = await Store.Features.QueryAsync(
            new FeatureQuery(TwinCollections.Panden, TemporalFilter.At(s_2024), DatasetIds: new HashSet<string> { "d2" }), Ct);
        var none = await Store.Features.QueryAsync(
            new FeatureQuery(TwinCollections.Panden, TemporalFilter.At(s_2024), DatasetIds: new HashSet<string>()), Ct);

        Assert.Equal(["b"], onlyD2.Items.Select(f => f.Id));
        Assert.Equal(0, none.NumberMatched);
    }

    [Fact]
    public async Task A_collection_summary_covers_all_its_versions_and_names_their_datasets()
    {
        Assert.Null(await Store.Features.SummarizeAsync(TwinCollections.Panden, Ct));
        await WriteAsync(tx => tx.AddFeaturesAsync([Building("a", 0, 0, s_2020) with { DatasetId = "d2" }, Building("b", 100, 200, s_2020)], Ct));
        await WriteAsync(tx => tx.AddFeaturesAsync([Building("a", 0, 0, s_2023)], Ct));

        var summary = await Store.Features.SummarizeAsync(TwinCollections.Panden, Ct);
        Assert.Equal(new Envelope(105000, 105105, 425000, 425205), summary!.Extent);
        Assert.Equal(3, summary.VersionCount);
        Assert.Equal(["d1", "d2"], summary.DatasetIds);
        Assert.Null(await Store.Features.SummarizeAsync(TwinCollections.Bomen, Ct));
    }

    [Fact]
    public async Task Datasets_are_listed_by_id_found_and_replaced()
    {
        await WriteAsync(async tx =>
        {
            await tx.PutDatasetAsync(TestDataset("b"), Ct);
            await tx.PutDatasetAsync(TestDataset("a"), Ct);
        });
        await WriteAsync(tx => tx.PutDatasetAsync(TestDataset("b") with { Title = "Nieuwe titel", Classification = Classification.Confidential }, Ct));

        Assert.Equal(["a", "b"], (await Store.Catalog.ListAsync(Ct)).Select(d => d.Id));
        var b = await Store.Catalog.FindAsync("b", Ct);
        Assert.Equal("Nieuwe titel", b!.Title);
        Assert.Equal(Classification.Confidential, b.Classification);
        Assert.Equal(TestDataset("a"), await Store.Catalog.FindAsync("a", Ct), DatasetComparer.Instance);
        Assert.Null(await Store.Catalog.FindAsync("c", Ct));
    }

    [Fact]
    public async Task Indicator_values_are_read_as_of_a_date_with_the_latest_value_on_or_before_it()
    {
        await WriteAsync(async tx =>
        {
            await tx.PutIndicatorsAsync([TestIndicator("inwoners"), TestIndicator("woningen")], Ct);
            await tx.PutIndicatorValuesAsync(
            [
                new("inwoners", "BU1", new DateOnly(2022, 1, 1), 100),
                new("inwoners", "BU1", new DateOnly(2024, 1, 1), 120),
                new("woningen", "BU1", new DateOnly(2023, 1, 1), null),
                new("inwoners", "BU2", new DateOnly(2024, 1, 1), 7),
            ], Ct);
        });

        var in2023 = await Store.Indicators.ValuesAsOfAsync(["BU1", "BU3"], new DateOnly(2023, 6, 1), Ct);
        Assert.Equal(
            [new("inwoners", "BU1", new DateOnly(2022, 1, 1), 100), new("woningen", "BU1", new DateOnly(2023, 1, 1), null)],
            in2023);
        var in2024 = await Store.Indicators.ValuesAsOfAsync(["BU1", "BU2"], new DateOnly(2024, 1, 1), Ct);
        Assert.Equal(3, in2024.Count);
        Assert.Contains(new IndicatorValue("inwoners", "BU1", new DateOnly(2024, 1, 1), 120), in2024);
        Assert.Empty(await Store.Indicators.ValuesAsOfAsync(["BU1"], new DateOnly(2021, 12, 31), Ct));
        Assert.Equal(["inwoners", "woningen"], (await Store.Indicators.ListAsync(Ct)).Select(i => i.Code));
        Assert.Equal(TestIndicator("woningen"), await Store.Indicators.FindAsync("woningen", Ct));
    }

    [Fact]
    public async Task A_table_is_every_area_of_the_asked_indicators_at_exactly_one_date_and_a_disclosure_rule_round_trips()
    {
        var protectedIndicator = TestIndicator("inkomen") with
        {
            Disclosure = new DisclosureRule(StatisticKind.Mean, 100, 100, AreaLevel.Wijk, "inkomen_n", "inkomen_dominantie", 1, 30),
        };
        await WriteAsync(async tx =>
        {
            await tx.PutIndicatorsAsync([TestIndicator("inwoners"), protectedIndicator], Ct);
            await tx.PutIndicatorValuesAsync(
            [
                new("inwoners", "BU1", new DateOnly(2022, 1, 1), 100),
                new("inwoners", "BU1", new DateOnly(2024, 1, 1), 120),
                new("inwoners", "BU2", new DateOnly(2024, 1, 1), 7),
                new("inkomen", "BU2", new DateOnly(2024, 1, 1), null),
                new("woningen", "BU3", new DateOnly(2024, 1, 1), 40),
            ], Ct);
        });

        var table = await Store.Indicators.TableAsync(["inwoners", "inkomen"], new DateOnly(2024, 1, 1), Ct);

        Assert.Equal(
            [new("inwoners", "BU1", new DateOnly(2024, 1, 1), 120), new("inkomen", "BU2", new DateOnly(2024, 1, 1), null), new("inwoners", "BU2", new DateOnly(2024, 1, 1), 7)],
            table);
        Assert.Empty(await Store.Indicators.TableAsync(["inwoners"], new DateOnly(2023, 1, 1), Ct));
        Assert.Equal(protectedIndicator, await Store.Indicators.FindAsync("inkomen", Ct));
    }

    [Fact]
    public async Task The_reference_dates_of_an_indicator_are_those_it_has_values_at_oldest_first()
    {
        await WriteAsync(async tx =>
        {
            await tx.PutIndicatorsAsync([TestIndicator("inwoners"), TestIndicator("woningen")], Ct);
            await tx.PutIndicatorValuesAsync(
            [
                new("inwoners", "BU1", new DateOnly(2024, 1, 1), 120),
                new("inwoners", "BU2", new DateOnly(2022, 1, 1), null),
                new("inwoners", "BU1", new DateOnly(2022, 1, 1), 100),
                new("woningen", "BU1", new DateOnly(2023, 1, 1), 40),
            ], Ct);
        });

        Assert.Equal([new DateOnly(2022, 1, 1), new DateOnly(2024, 1, 1)], await Store.Indicators.ReferenceDatesAsync("inwoners", Ct));
        Assert.Equal([new DateOnly(2023, 1, 1)], await Store.Indicators.ReferenceDatesAsync("woningen", Ct));
        Assert.Empty(await Store.Indicators.ReferenceDatesAsync("onbekend", Ct));
    }

    [Fact]
    public async Task What_was_committed_is_there_after_the_store_is_reopened()
    {
        await WriteAsync(async tx =>
        {
            await tx.PutDatasetAsync(TestDataset("d1"), Ct);
            await tx.AddFeaturesAsync([Building("b", 0, 0, s_2020)], Ct);
        });

        await ReopenAsync();

        Assert.NotNull(await Store.Features.FindAsync(TwinCollections.Panden, "b", s_2024, Ct));
        Assert.NotNull(await Store.Catalog.FindAsync("d1", Ct));
    }

    protected async Task WriteAsync(Func<IWriteTransaction, Task> write)
    {
        await using var tx = await Store.Writer.BeginAsync(Ct);
        await write(tx);
        await tx.CommitAsync(Ct);
    }

    protected static Feature Building(string id, double dx, double dy, DateTimeOffset from, double height = 10, long year = 1990, string function = "wonen", bool monument = false)
    {
        var (x, y) = (105000 + dx, 425000 + dy);
        var square = s_rd.CreatePolygon([new(x, y), new(x + 5, y), new(x + 5, y + 5), new(x, y + 5), new(x, y)]);
        return new Feature(TwinCollections.Panden, id, square,
            new Dictionary<string, object?> { ["hoogte"] = height, ["bouwjaar"] = year, ["functie"] = function, ["monument"] = monument },
            new ValidityInterval(from), "d1");
    }

    protected static Dataset TestDataset(string id) => new(
        id, "Titel " + id, "Beschrijving", new Agent("Gemeente Test", "https://example.org/gemeente"),
        new Agent("Team Data", "https://example.org/team"), new ContactPoint("Team Data", "data@example.org"),
        [CatalogVocabulary.ThemeRegions], Classification.Open, "Art. 6 lid 1 sub e AVG", ["beleid"],
        CatalogVocabulary.LicenseCc0, new DateTimeOffset(2024, 3, 1, 12, 0, 0, TimeSpan.Zero),
        CatalogVocabulary.FrequencyAnnual, "GM0505", "Test lineage", IsSynthetic: false);

    protected static IndicatorDefinition TestIndicator(string code) =>
        new(code, "Naam " + code, "Beschrijving", "aantal", "d1", "Geteld", IsPersonalData: false);

    /// <summary>Datasets hold lists, which records compare by reference; compare them by content.</summary>
    private sealed class DatasetComparer : IEqualityComparer<Dataset?>
    {
        public static readonly DatasetComparer Instance = new();

        public bool Equals(Dataset? x, Dataset? y) =>
            x is not null && y is not null &&
            x with { Themes = [], Purposes = [] } == y with { Themes = [], Purposes = [] } &&
            x.Themes.SequenceEqual(y.Themes) && x.Purposes.SequenceEqual(y.Purposes);

        public int GetHashCode(Dataset? obj) => obj?.Id.GetHashCode(StringComparison.Ordinal) ?? 0;
    }
}
