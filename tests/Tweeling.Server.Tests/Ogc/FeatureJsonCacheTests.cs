using Tweeling.Domain.Catalog;
using Tweeling.Domain.Features;
using Tweeling.Domain.Geo;
using Tweeling.Server.Features.Ogc;
using Tweeling.Server.Hosting;

namespace Tweeling.Server.Tests.Ogc;

/// <summary>The server keeps each version's GeoJSON while the collection's revision holds, and never serves a stale one.</summary>
public sealed class FeatureJsonCacheTests
{
    private static readonly DateTimeOffset s_2020 = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_2025 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_committed_write_is_visible_in_the_next_read_although_the_page_was_cached()
    {
        await using var server = await TwinServer.StartAsync(store => WriteAsync(store, Building("b1", 9.0, s_2020)));
        const string Page = "/ogc/collections/panden/items?bbox=4.6,51.7,4.8,51.9";

        var before = await server.GetJsonAsync(Page);
        Assert.Equal(9.0, before.GetProperty("features")[0].GetProperty("properties").GetProperty("hoogte").GetDouble());
        Assert.Equal(before.GetRawText(), (await server.GetJsonAsync(Page)).GetRawText());

        await WriteAsync(server.Store, Building("b1", 15.0, s_2025));
        var after = await server.GetJsonAsync(Page);
        var history = await server.GetJsonAsync(Page + "&datetime=2019-01-01T00:00:00Z/..");

        Assert.Equal(15.0, after.GetProperty("features")[0].GetProperty("properties").GetProperty("hoogte").GetDouble());
        var old = history.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("properties").GetProperty("hoogte").GetDouble() == 9.0);
        Assert.Equal("2025-01-01T00:00:00+00:00", old.GetProperty("properties").GetProperty("geldigTot").GetString());
    }

    [Fact]
    public void A_new_revision_replaces_the_generation_and_returns_its_bytes()
    {
        var cache = new FeatureJsonCache();
        var first = cache.For("panden", Crs.Crs84Srid, revision: 1);
        first.Add(7, new byte[100]);
        Assert.True(cache.For("panden", Crs.Crs84Srid, 1).TryGet(7, out _));
        Assert.Equal(100, cache.Bytes);

        var second = cache.For("panden", Crs.Crs84Srid, revision: 2);

        Assert.False(second.TryGet(7, out _));
        Assert.Equal(0, cache.Bytes);
        first.Add(8, new byte[50]);
        Assert.Equal(0, cache.Bytes);
        Assert.False(cache.For("panden", Crs.RdNewSrid, 2).TryGet(7, out _));
    }

    [Fact]
    public void The_cache_keeps_no_more_than_its_budget()
    {
        var cache = new FeatureJsonCache();
        var generation = cache.For("bomen", Crs.Crs84Srid, 1);
        var chunk = (int)(FeatureJsonCache.MaximumBytes / 4);

        for (var id = 0; id < 6; id++)
        {
            generation.Add(id, new byte[chunk]);
        }

        Assert.Equal(FeatureJsonCache.MaximumBytes, cache.Bytes);
        Assert.False(generation.TryGet(4, out _));
    }

    private static Feature Building(string id, double height, DateTimeOffset from)
    {
        var factory = TwinHost.GeometryServices.CreateGeometryFactory(Crs.RdNewSrid);
        var square = factory.CreatePolygon([new(105000, 425000), new(105010, 425000), new(105010, 425010), new(105000, 425010), new(105000, 425000)]);
        return new Feature(TwinCollections.Panden, id, square, new Dictionary<string, object?> { ["hoogte"] = height }, new ValidityInterval(from), "test");
    }

    private static async Task WriteAsync(Storage.Sqlite.SqliteTwinStore store, Feature feature)
    {
        await using var transaction = await store.BeginAsync(TestContext.Current.CancellationToken);
        await transaction.PutDatasetAsync(new Dataset(
            "test", "Test", "Test", new Agent("T", "https://example.org"), new Agent("T", "https://example.org"), new ContactPoint("T", "t@example.org"),
            [CatalogVocabulary.ThemeRegions], Classification.Open, "test", ["test"], CatalogVocabulary.LicenseCc0, s_2020, CatalogVocabulary.FrequencyNever, null, "test", false),
            TestContext.Current.CancellationToken);
        await transaction.AddFeaturesAsync([feature], TestContext.Current.CancellationToken);
        await transaction.CommitAsync(TestContext.Current.CancellationToken);
    }
}
