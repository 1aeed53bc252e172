using System.Net;
using NetTopologySuite.IO.VectorTiles.Mapbox;
using Tweeling.Domain.Catalog;
using Tweeling.Domain.Features;
using Tweeling.Domain.Geo;
using Microsoft.Extensions.DependencyInjection;
using Tweeling.Server.Features.Ogc.Tiles;
using Tweeling.Server.Hosting;

namespace Tweeling.Server.Tests.Ogc;

/// <summary>Tiles follow the store's writes, the requested time and what the caller may read, although they are cached.</summary>
public sealed class VectorTileChangesTests
{
    private const int Zoom = 16;
    private static readonly DateTimeOffset s_2020 = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_2025 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_committed_write_changes_the_cached_tile_and_datetime_shows_the_earlier_version()
    {
        await using var server = await TwinServer.StartAsync(store => WriteAsync(store, "open", Classification.Open, Building("b1", 9.0, s_2020, "open", 0)));
        var path = TilePath();
        using var before = await server.Client.GetAsync(path, Cancel);
        var heightBefore = HeightsIn(await before.Content.ReadAsByteArrayAsync(Cancel))["b1"];

        await WriteAsync(server.Store, "open", Classification.Open, Building("b1", 15.0, s_2025, "open", 0));
        using var after = await server.Client.GetAsync(path, Cancel);
        using var asOf2021 = await server.Client.GetAsync(path + "?datetime=2021-06-01", Cancel);

        Assert.Equal(9.0, heightBefore);
        Assert.Equal(15.0, HeightsIn(await after.Content.ReadAsByteArrayAsync(Cancel))["b1"]);
        Assert.NotEqual(before.Headers.ETag, after.Headers.ETag);
        Assert.Equal(9.0, HeightsIn(await asOf2021.Content.ReadAsByteArrayAsync(Cancel))["b1"]);
    }

    [Fact]
    public async Task A_tile_holds_only_the_datasets_the_caller_may_read()
    {
        await using var server = await TwinServer.StartAsync(async store =>
        {
            await WriteAsync(store, "open", Classification.Open, Building("b1", 9.0, s_2020, "open", 0));
            await WriteAsync(store, "intern", Classification.Internal, Building("b2", 12.0, s_2020, "intern", 20));
        });
        var path = TilePath();
        using var medewerker = await server.ClientAsAsync("medewerker");

        using var publiek = await server.Client.GetAsync(path, Cancel);
        var forPubliek = HeightsIn(await publiek.Content.ReadAsByteArrayAsync(Cancel));
        var forMedewerker = HeightsIn(await medewerker.GetByteArrayAsync(path, Cancel));
        using var publiekAgain = await server.Client.GetAsync(path, Cancel);

        Assert.Equal(["b1"], forPubliek.Keys);
        Assert.Equal(["b1", "b2"], forMedewerker.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.OK, publiekAgain.StatusCode);
        Assert.Equal(["b1"], HeightsIn(await publiekAgain.Content.ReadAsByteArrayAsync(Cancel)).Keys);
    }

    [Fact]
    public async Task The_server_builds_the_tile_snapshots_at_start_and_a_write_still_shows_in_the_next_tile()
    {
        await using var server = await TwinServer.StartAsync(store => WriteAsync(store, "open", Classification.Open, Building("b1", 9.0, s_2020, "open", 0)));
        var tiles = server.Services.GetRequiredService<VectorTiles>();

        // No tile has been asked for: only the warm-up at start can build the snapshot.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await tiles.IsWarmAsync(TwinCollections.Panden, Cancel) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, Cancel);
        }

        var warmAtStart = await tiles.IsWarmAsync(TwinCollections.Panden, Cancel);
        await WriteAsync(server.Store, "open", Classification.Open, Building("b1", 15.0, s_2025, "open", 0));
        var warmAfterWrite = await tiles.IsWarmAsync(TwinCollections.Panden, Cancel);
        using var after = await server.Client.GetAsync(TilePath(), Cancel);

        Assert.True(warmAtStart);
        Assert.False(warmAfterWrite);
        Assert.Equal(15.0, HeightsIn(await after.Content.ReadAsByteArrayAsync(Cancel))["b1"]);
        Assert.True(await tiles.IsWarmAsync(TwinCollections.Panden, Cancel));
    }

    [Fact]
    public async Task The_server_encodes_the_first_views_tiles_for_the_public_at_start_and_serves_them_from_its_cache()
    {
        await using var server = await TwinServer.StartAsync(async store =>
        {
            await WriteAsync(store, "open", Classification.Open, Building("b1", 9.0, s_2020, "open", 0));
            await WriteAsync(store, "intern", Classification.Internal, Building("b2", 12.0, s_2020, "intern", 20));
        });
        var tiles = server.Services.GetRequiredService<VectorTiles>();
        const int zoom = VectorTiles.FirstViewZoom;
        var path = TilePath(zoom);

        // No tile has been asked for: only the start-up work can have encoded and kept one.
        await server.Services.GetRequiredService<TileSnapshotWarmUp>().Finished.WaitAsync(TimeSpan.FromMinutes(2), Cancel);
        var keptAtStart = tiles.Bytes;
        using var publiek = await server.Client.GetAsync(path, Cancel);
        var keptAfterPublicTile = tiles.Bytes;
        using var medewerker = await server.ClientAsAsync("medewerker");
        var forMedewerker = HeightsIn(await medewerker.GetByteArrayAsync(path, Cancel), zoom);

        Assert.True(keptAtStart > 0, "the start-up work kept no tile");
        Assert.Equal(keptAtStart, keptAfterPublicTile);
        Assert.Equal(["b1"], HeightsIn(await publiek.Content.ReadAsByteArrayAsync(Cancel), zoom).Keys);
        // Another role reads other datasets: its tile was not made at start, and is made (and kept) now.
        Assert.True(tiles.Bytes > keptAfterPublicTile, "the medewerker's tile was served from the public's");
        Assert.Equal(["b1", "b2"], forMedewerker.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_first_views_tiles_are_those_over_the_city_and_at_most_so_many_a_side_around_its_centre()
    {
        var z13 = WebMercatorQuad.TileSize(13);
        // Tile (row 2700, column 4200) of tile matrix 13, and extents from its middle to 1.4 and 40 tiles east and south.
        var (x, y) = (-WebMercatorQuad.HalfWorld + (4200.5 * z13), WebMercatorQuad.HalfWorld - (2700.5 * z13));
        var small = new NetTopologySuite.Geometries.Envelope(x, x + (1.4 * z13), y - (1.4 * z13), y);
        var large = new NetTopologySuite.Geometries.Envelope(x, x + (40 * z13), y - (40 * z13), y);

        Assert.Equal(((2700L, 2701L), (4200L, 4201L)), WebMercatorQuad.TilesAround(13, small, 6));
        // 41 tiles a side; the centre tile is 4220 (column) and 2720 (row), and six around it start two before it.
        Assert.Equal(((2718L, 2723L), (4218L, 4223L)), WebMercatorQuad.TilesAround(13, large, 6));
    }

    /// <summary>The tile of tile matrix <paramref name="zoom"/> holding the test buildings near RD (105000, 425000).</summary>
    private static string TilePath(int zoom = Zoom)
    {
        var (column, row) = TileOfTestBuildings(zoom);
        return $"/ogc/collections/panden/tiles/WebMercatorQuad/{zoom}/{row}/{column}";
    }

    private static (long Column, long Row) TileOfTestBuildings(int zoom = Zoom)
    {
        double x = 105015, y = 425005;
        new CrsTransformer(TwinHost.GeometryServices).Transform(Crs.RdNewSrid, Crs.Crs84Srid, ref x, ref y);
        return VectorTileTestTiles.TileOf(x, y, zoom);
    }

    /// <summary>The hoogte of every feature of the tile's one layer, by id, read with NetTopologySuite.IO.VectorTiles' reader.</summary>
    private static Dictionary<string, double> HeightsIn(byte[] tile, int zoom = Zoom)
    {
        var (column, row) = TileOfTestBuildings(zoom);
        using var stream = new MemoryStream(tile);
        var layer = Assert.Single(new MapboxTileReader().Read(stream, new NetTopologySuite.IO.VectorTiles.Tiles.Tile((int)column, (int)row, zoom)).Layers);
        Assert.Equal("panden", layer.Name);
        return layer.Features.ToDictionary(f => (string)f.Attributes["id"], f => Convert.ToDouble(f.Attributes["hoogte"], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A 10 m square building, <paramref name="east"/> metres east of RD (105000, 425000).</summary>
    private static Feature Building(string id, double height, DateTimeOffset from, string dataset, double east)
    {
        var factory = TwinHost.GeometryServices.CreateGeometryFactory(Crs.RdNewSrid);
        var x = 105000 + east;
        var square = factory.CreatePolygon([new(x, 425000), new(x + 10, 425000), new(x + 10, 425010), new(x, 425010), new(x, 425000)]);
        return new Feature(TwinCollections.Panden, id, square, new Dictionary<string, object?> { ["hoogte"] = height }, new ValidityInterval(from), dataset);
    }

    private static async Task WriteAsync(Storage.Sqlite.SqliteTwinStore store, string dataset, Classification classification, Feature feature)
    {
        await using var transaction = await store.BeginAsync(Cancel);
        await transaction.PutDatasetAsync(new Dataset(
            dataset, "Test", "Test", new Agent("T", "https://example.org"), new Agent("T", "https://example.org"), new ContactPoint("T", "t@example.org"),
            [CatalogVocabulary.ThemeRegions], classification, "test", ["test"], CatalogVocabulary.LicenseCc0, s_2020, CatalogVocabulary.FrequencyNever, null, "test", false),
            Cancel);
        await transaction.AddFeaturesAsync([feature], Cancel);
        await transaction.CommitAsync(Cancel);
    }
}
