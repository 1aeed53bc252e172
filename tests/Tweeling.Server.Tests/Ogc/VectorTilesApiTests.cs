using System.Globalization;
using System.Net;
using System.Text.Json;
using NetTopologySuite.IO.VectorTiles.Mapbox;

namespace Tweeling.Server.Tests.Ogc;

/// <summary>
/// OGC API – Tiles over the demo city: tiles are checked against the store (through the items endpoint) with
/// two third-party readers, GDAL's MVT driver and NetTopologySuite.IO.VectorTiles' reader. The test command
/// installs gdal-bin; without it the GDAL test fails rather than skips.
/// </summary>
[Collection(DemoCityCollection.Name)]
public sealed class VectorTilesApiTests(DemoCityServer fixture)
{
    private const string Mvt = "application/vnd.mapbox-vector-tile";
    private const int Zoom = 15;

    /// <summary>
    /// Half a grid unit of a z15 tile (1223 m / 4096 ≈ 0.30 m of Web Mercator) is what rounding to the grid may move a
    /// position; 6e-6° is about 0.67 m of latitude and 0.41 m of longitude at 52° N, so it holds that with room.
    /// </summary>
    private const double ToleranceDegrees = 6e-6;

    private TwinServer Server => fixture.Server;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Gdal_reads_a_panden_tile_with_the_positions_and_attributes_of_the_store()
    {
        var (column, row) = await TileOfCityCentreAsync();
        var tile = await GetTileAsync($"/ogc/collections/panden/tiles/WebMercatorQuad/{Zoom}/{row}/{column}");
        using var directory = new TestSupport.TempDirectory();
        // GDAL's MVT driver georeferences a single tile from a z/x/y.pbf path.
        var path = Path.Combine(directory.Path, $"{Zoom}", $"{column}", $"{row}.pbf");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, tile, Cancel);
        var output = directory.File("tile.geojson");

        var (code, _, error) = await VectorTileTestTiles.RunAsync(Cancel, "ogr2ogr", "-f", "GeoJSON", "-t_srs", "EPSG:4326", output, path, "panden");

        Assert.True(code == 0, $"ogr2ogr failed ({code}): {error}");
        var fromGdal = JsonDocument.Parse(await File.ReadAllTextAsync(output, Cancel)).RootElement.GetProperty("features").EnumerateArray()
            .ToDictionary(f => f.GetProperty("properties").GetProperty("id").GetString()!);
        var (inside, nearby) = await PandenAroundAsync(column, row);
        Assert.True(inside.Count >= 20, $"a z{Zoom} tile in the demo city should hold whole buildings; it holds {inside.Count}");
        Assert.All(fromGdal.Keys, id => Assert.Contains(id, nearby.Keys));
        foreach (var pand in inside)
        {
            var id = pand.GetProperty("id").GetString()!;
            Assert.True(fromGdal.TryGetValue(id, out var decoded), $"pand {id} lies inside the tile but is not in it");
            var expected = pand.GetProperty("properties");
            var actual = decoded.GetProperty("properties");
            Assert.Equal(expected.GetProperty("hoogte").GetDouble(), actual.GetProperty("hoogte").GetDouble());
            Assert.Equal(expected.GetProperty("bouwjaar").GetInt64(), actual.GetProperty("bouwjaar").GetInt64());
            Assert.Equal(expected.GetProperty("buurtcode").GetString(), actual.GetProperty("buurtcode").GetString());
            Assert.Equal(expected.GetProperty("functie").GetString(), actual.GetProperty("functie").GetString());
            var stored = VectorTileTestTiles.Positions(pand.GetProperty("geometry"));
            var read = VectorTileTestTiles.Positions(decoded.GetProperty("geometry"));
            Assert.All(read, p => Assert.True(Nearest(p, stored) < ToleranceDegrees, $"pand {id}: GDAL reads {p}, not within tolerance of a stored position"));
            Assert.All(stored, p => Assert.True(Nearest(p, read) < ToleranceDegrees, $"pand {id}: stored {p} has no position in the tile"));
        }
    }

    [Fact]
    public async Task A_dotnet_reader_finds_one_layer_named_panden_with_a_string_id_on_every_feature()
    {
        var (column, row) = await TileOfCityCentreAsync();
        var bytes = await GetTileAsync($"/ogc/collections/panden/tiles/WebMercatorQuad/{Zoom}/{row}/{column}");

        using var stream = new MemoryStream(bytes);
        var tile = new MapboxTileReader().Read(stream, new NetTopologySuite.IO.VectorTiles.Tiles.Tile((int)column, (int)row, Zoom));

        var layer = Assert.Single(tile.Layers);
        Assert.Equal("panden", layer.Name);
        var (inside, nearby) = await PandenAroundAsync(column, row);
        var ids = layer.Features.Select(f => Assert.IsType<string>(f.Attributes["id"])).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Superset(inside.Select(p => p.GetProperty("id").GetString()!).ToHashSet(), ids.ToHashSet());
        Assert.Subset(nearby.Keys.ToHashSet(), ids.ToHashSet());
        foreach (var feature in layer.Features)
        {
            Assert.Contains(feature.Geometry.OgcGeometryType, new[] { NetTopologySuite.Geometries.OgcGeometryType.Polygon, NetTopologySuite.Geometries.OgcGeometryType.MultiPolygon });
            var item = nearby[(string)feature.Attributes["id"]].GetProperty("properties");
            Assert.Equal(item.GetProperty("hoogte").GetDouble(), Convert.ToDouble(feature.Attributes["hoogte"], CultureInfo.InvariantCulture));
            Assert.Equal(item.GetProperty("functie").GetString(), feature.Attributes["functie"]);
        }
    }

    [Fact]
    public async Task The_tileset_links_the_tile_template_and_the_tile_matrix_set_and_the_collection_links_its_tilesets()
    {
        var collection = await Server.GetJsonAsync("/ogc/collections/panden");
        var tilesetsHref = collection.GetProperty("links").EnumerateArray()
            .Single(l => l.GetProperty("rel").GetString() == "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector").GetProperty("href").GetString()!;
        var tilesets = await Server.GetJsonAsync(new Uri(tilesetsHref).PathAndQuery);
        var selfOfTileset = tilesets.GetProperty("tilesets")[0].GetProperty("links").EnumerateArray().Single(l => l.GetProperty("rel").GetString() == "self").GetProperty("href").GetString()!;
        var tileset = await Server.GetJsonAsync(new Uri(selfOfTileset).PathAndQuery);
        var conformance = (await Server.GetJsonAsync("/ogc/conformance")).GetProperty("conformsTo").EnumerateArray().Select(c => c.GetString()).ToList();
        var tileMatrixSet = await Server.GetJsonAsync("/ogc/tileMatrixSets/WebMercatorQuad");

        Assert.Equal("vector", tileset.GetProperty("dataType").GetString());
        Assert.Equal("http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad", tileset.GetProperty("tileMatrixSetURI").GetString());
        var layer = tileset.GetProperty("layers")[0];
        Assert.Equal("panden", layer.GetProperty("id").GetString());
        Assert.Equal("13", layer.GetProperty("minTileMatrix").GetString());
        Assert.Equal("string", layer.GetProperty("propertiesSchema").GetProperty("properties").GetProperty("id").GetProperty("type").GetString());
        var template = tileset.GetProperty("links").EnumerateArray().Single(l => l.GetProperty("rel").GetString() == "item");
        Assert.Equal(Mvt, template.GetProperty("type").GetString());
        Assert.EndsWith("/ogc/collections/panden/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}", template.GetProperty("href").GetString(), StringComparison.Ordinal);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt", conformance);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core", conformance);
        Assert.Equal(23, tileMatrixSet.GetProperty("tileMatrices").GetArrayLength());
        Assert.Equal(1 << 15, tileMatrixSet.GetProperty("tileMatrices")[15].GetProperty("matrixWidth").GetInt64());
    }

    [Theory]
    [InlineData("/ogc/collections/panden/tiles/WebMercatorQuad/abc/1/1", HttpStatusCode.BadRequest, "invalid-parameter")]
    [InlineData("/ogc/collections/panden/tiles/WebMercatorQuad/15/-1/3", HttpStatusCode.BadRequest, "invalid-parameter")]
    [InlineData("/ogc/collections/panden/tiles/WebMercatorQuad/15/99999999999999999999/3", HttpStatusCode.BadRequest, "invalid-parameter")]
    [InlineData("/ogc/collections/panden/tiles/WebMercatorQuad/12/1/1", HttpStatusCode.NotFound, "not-found")]
    [InlineData("/ogc/collections/panden/tiles/WebMercatorQuad/17/1/1", HttpStatusCode.NotFound, "not-found")]
    [InlineData("/ogc/collections/panden/tiles/WebMercatorQuad/14/16384/1", HttpStatusCode.NotFound, "not-found")]
    [InlineData("/ogc/collections/panden/tiles/WorldCRS84Quad/14/1/1", HttpStatusCode.NotFound, "not-found")]
    [InlineData("/ogc/collections/sensoren/tiles/WebMercatorQuad/14/1/1", HttpStatusCode.NotFound, "not-found")]
    [InlineData("/ogc/collections/onbekend/tiles", HttpStatusCode.NotFound, "not-found")]
    [InlineData("/ogc/collections/panden/tiles/WebMercatorQuad/14/1/1?bbox=1,2,3,4", HttpStatusCode.BadRequest, "unknown-parameter")]
    [InlineData("/ogc/collections/panden/tiles/WebMercatorQuad/14/1/1?f=json", HttpStatusCode.BadRequest, "invalid-parameter")]
    [InlineData("/ogc/collections/panden/tiles/WebMercatorQuad/14/1/1?datetime=2020-01-01T00:00:00Z/..", HttpStatusCode.BadRequest, "invalid-parameter")]
    [InlineData("/ogc/collections/panden/tiles/WebMercatorQuad/14/1/1?datetime=gisteren", HttpStatusCode.BadRequest, "invalid-parameter")]
    [InlineData("/ogc/tileMatrixSets/GNOSISGlobalGrid", HttpStatusCode.NotFound, "not-found")]
    public async Task A_bad_tile_address_is_a_problem_not_a_server_error(string path, HttpStatusCode status, string problem)
    {
        using var response = await Server.Client.GetAsync(path, Cancel);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement;
        Assert.EndsWith($"/problems/{problem}", body.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task A_tile_without_features_is_204_and_an_unchanged_tile_revalidates_with_304()
    {
        // Tile 13/0/0 lies in the Arctic Ocean, far from the demo city.
        using var empty = await Server.Client.GetAsync("/ogc/collections/panden/tiles/WebMercatorQuad/13/0/0", Cancel);
        var (column, row) = await TileOfCityCentreAsync();
        var path = $"/ogc/collections/panden/tiles/WebMercatorQuad/{Zoom}/{row}/{column}";
        using var first = await Server.Client.GetAsync(path, Cancel);
        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var revalidated = await Server.Client.SendAsync(again, Cancel);

        Assert.Equal(HttpStatusCode.NoContent, empty.StatusCode);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(Mvt, first.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync(Cancel));
    }

    /// <summary>The z15 tile at the centre of the panden's extent, where the demo city is densest.</summary>
    private async Task<(long Column, long Row)> TileOfCityCentreAsync()
    {
        var bbox = (await Server.GetJsonAsync("/ogc/collections/panden")).GetProperty("extent").GetProperty("spatial").GetProperty("bbox")[0];
        var (west, south, east, north) = (bbox[0].GetDouble(), bbox[1].GetDouble(), bbox[2].GetDouble(), bbox[3].GetDouble());
        return VectorTileTestTiles.TileOf((west + east) / 2, (south + north) / 2, Zoom);
    }

    /// <summary>
    /// The panden wholly inside the tile (with a margin of 1 % of its width, so none touches an edge), and every pand
    /// within a tenth of a tile around it: a tile may hold no other, as its buffer is 1/64 of a tile.
    /// </summary>
    private async Task<(List<JsonElement> Inside, Dictionary<string, JsonElement> Nearby)> PandenAroundAsync(long column, long row)
    {
        var (west, south, east, north) = VectorTileTestTiles.BoundsOf(Zoom, column, row);
        var (dx, dy) = ((east - west) / 10, (north - south) / 10);
        var bbox = string.Create(CultureInfo.InvariantCulture, $"{west - dx},{south - dy},{east + dx},{north + dy}");
        var page = await Server.GetJsonAsync($"/ogc/collections/panden/items?limit=10000&bbox={bbox}");
        Assert.True(page.GetProperty("numberMatched").GetInt64() < 10_000, "the page should hold every pand around the tile");
        var nearby = page.GetProperty("features").EnumerateArray().ToDictionary(f => f.GetProperty("id").GetString()!);
        var (mx, my) = (dx / 10, dy / 10);
        var inside = nearby.Values
            .Where(f => VectorTileTestTiles.Positions(f.GetProperty("geometry")).All(p => p.X > west + mx && p.X < east - mx && p.Y > south + my && p.Y < north - my))
            .ToList();
        return (inside, nearby);
    }

    private async Task<byte[]> GetTileAsync(string path)
    {
        using var response = await Server.Client.GetAsync(path, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Mvt, response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync(Cancel);
    }

    private static double Nearest((double X, double Y) p, List<(double X, double Y)> others) =>
        others.Min(o => Math.Max(Math.Abs(o.X - p.X), Math.Abs(o.Y - p.Y)));
}
