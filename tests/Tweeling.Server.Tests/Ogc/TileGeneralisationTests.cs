using System.Globalization;
using System.Net;
using System.Text.Json;
using NetTopologySuite.IO.VectorTiles.Mapbox;

namespace Tweeling.Server.Tests.Ogc;

/// <summary>
/// The generalisation policy of the overview tiles (below z14, docs/tiles.md) over the demo city: the attributes,
/// features and sizes per zoom, the feature ids the map's recolouring keys its feature state by at every zoom (for
/// panden the integer MVT feature id), terraced rows merged below z14, and GDAL reading the overview tiles. The test
/// command installs gdal-bin; without it the GDAL test fails rather than skips.
/// </summary>
[Collection(DemoCityCollection.Name)]
public sealed class TileGeneralisationTests(DemoCityServer fixture)
{
    /// <summary>What the web map draws, colours by or lists in its table (web/src/layers.ts, colouring.ts).</summary>
    private static readonly string[] s_overviewPandAttributes = ["bouwjaar", "functie", "hoogte", "buurtcode"];

    /// <summary>The attribute the tile reader puts a feature's integer MVT id under (the layers have no property of this name).</summary>
    private const string FeatureId = "mvt:id";

    private TwinServer Server => fixture.Server;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(14)]
    [InlineData(15)]
    [InlineData(16)]
    public async Task From_z14_every_building_keeps_its_string_id_the_integer_id_it_maps_to_and_what_recolouring_reads(int zoom)
    {
        var (column, row) = await TileOfCityCentreAsync(zoom);
        var layer = await ReadAsync("panden", zoom, column, row);
        // The buildings wholly inside the z16 tile at the centre, which lies within the centre's tile at every shallower zoom.
        var (column16, row16) = await TileOfCityCentreAsync(16);
        var inside = await BuildingsInsideAsync(16, column16, row16);

        var ids = layer.Features.Select(f => Assert.IsType<string>(f.Attributes["id"])).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        // Every one of them is in the tile: the demo city has no building below the overview's minimum size.
        Assert.True(inside.Count >= 3, $"the z16 tile at the city centre should hold whole buildings; it holds {inside.Count}");
        Assert.Superset(inside.Keys.ToHashSet(StringComparer.Ordinal), ids.ToHashSet(StringComparer.Ordinal));
        Assert.All(layer.Features, f =>
        {
            Assert.Equal(BagInteger((string)f.Attributes["id"]), Assert.IsType<ulong>(f.Attributes[FeatureId]));
            Assert.True(f.Attributes.Exists("hoogte") && f.Attributes.Exists("bouwjaar") && f.Attributes.Exists("buurtcode"), $"pand {f.Attributes["id"]} lacks an attribute the map colours by");
        });
    }

    [Fact]
    public async Task At_z13_buildings_carry_only_their_integer_id_and_a_terraced_row_is_one_feature_drawn_as_its_first_building()
    {
        var (column, row) = await TileOfCityCentreAsync(13);
        var overview = await ReadAsync("panden", 13, column, row);
        var (column16, row16) = await TileOfCityCentreAsync(16);
        var inside = await BuildingsInsideAsync(16, column16, row16);
        var byInteger = inside.ToDictionary(b => BagInteger(b.Key), b => b.Value);

        var ids = overview.Features.Select(f => Assert.IsType<ulong>(f.Attributes[FeatureId])).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(overview.Features, f => Assert.False(f.Attributes.Exists("id"), $"pand {f.Attributes[FeatureId]} carries its string id at z13"));
        // No feature of the overview is under one pixel of a 512-pixel z13 tile: (4096 / 512)² = 64 units², less a
        // margin for the rounding of positions to the grid. Features at the tile's edges are cut by it, so only those
        // wholly inside are measured.
        const double onePixel = 64;
        var (west, south, east, north) = VectorTileTestTiles.BoundsOf(13, column, row);
        var (mx, my) = ((east - west) / 100, (north - south) / 100);
        var within = overview.Features.Where(f => f.Geometry.EnvelopeInternal is var e && e.MinX > west + mx && e.MaxX < east - mx && e.MinY > south + my && e.MaxY < north - my).ToList();
        Assert.True(within.Count > overview.Features.Count / 2, $"only {within.Count} of {overview.Features.Count} features lie wholly inside the z13 tile");
        Assert.All(within, f => Assert.True(AreaInTileUnits(f.Geometry, 13, column, row) >= onePixel * 0.8, $"pand {f.Attributes[FeatureId]} is a speck of {AreaInTileUnits(f.Geometry, 13, column, row):F0} units²"));
        // Every building wholly inside the z16 tile is drawn at z13, by its own feature or by its row's, which has the id
        // of one of the row's buildings and draws (extrudes, colours) exactly as it; unless it is under a pixel and alone.
        var merged = 0;
        var specks = 0;
        foreach (var (id, building) in inside)
        {
            var drawing = overview.Features.Where(f => f.Geometry.Contains(building.Centre)).ToList();
            if (drawing.Count == 0 && AreaInTileUnits(building.Footprint, 13, column, row) < onePixel * 1.2)
            {
                specks++;
                continue;
            }

            var feature = Assert.Single(drawing);
            var featureId = (ulong)feature.Attributes[FeatureId];
            if (featureId != BagInteger(id))
            {
                merged++;
            }

            Assert.Equal(building.Hoogte, Convert.ToDouble(feature.Attributes["hoogte"], CultureInfo.InvariantCulture), 3);
            Assert.Equal(building.Bouwjaar, Convert.ToInt64(feature.Attributes["bouwjaar"], CultureInfo.InvariantCulture));
            Assert.Equal(building.Buurtcode, (string)feature.Attributes["buurtcode"]);
            Assert.Equal(building.Functie, (string)feature.Attributes["functie"]);
            if (byInteger.TryGetValue(featureId, out var first))
            {
                Assert.Equal(building.Hoogte, first.Hoogte, 3);
            }
        }

        Assert.True(merged > inside.Count / 4, $"only {merged} of {inside.Count} buildings at the centre are drawn as part of a row at z13");
        Assert.True(specks < inside.Count / 4, $"{specks} of {inside.Count} buildings at the centre are left out of z13 as specks");
        // The same ground at z14 (four tiles) holds every building on its own.
        var full = 0;
        for (var k = 0; k < 4; k++)
        {
            full += (await ReadAsync("panden", 14, (column * 2) + (k % 2), (row * 2) + (k / 2))).Features.Count;
        }

        Assert.True(overview.Features.Count < full * 0.8, $"z13 holds {overview.Features.Count} features where z14 holds {full}");
    }

    [Fact]
    public async Task Below_z14_buildings_carry_only_the_attributes_the_map_uses_and_from_z14_every_queryable()
    {
        var (column, row) = await TileOfCityCentreAsync(13);
        var overview = await ReadAsync("panden", 13, column, row);
        var full = await ReadAsync("panden", 14, column * 2, row * 2);

        var overviewKeys = overview.Features.SelectMany(f => f.Attributes.GetNames()).ToHashSet(StringComparer.Ordinal);
        var fullKeys = full.Features.SelectMany(f => f.Attributes.GetNames()).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(s_overviewPandAttributes.Append(FeatureId).Order(StringComparer.Ordinal), overviewKeys.Order(StringComparer.Ordinal));
        Assert.Superset(new HashSet<string>(["id", "bouwlagen", "woningen", "woningtype", "eigendom", .. s_overviewPandAttributes], StringComparer.Ordinal), fullKeys);
    }

    [Fact]
    public async Task Below_z14_roads_are_the_district_roads_and_land_cover_is_green_and_water_without_specks()
    {
        var (column, row) = await TileOfCityCentreAsync(13);
        var roads = await ReadAsync("wegvakken", 13, column, row);
        var roadsAt14 = await ReadAsync("wegvakken", 14, column * 2, row * 2);
        var cover = await ReadAsync("groenvlakken", 13, column, row);
        var coverAt14 = await ReadAsync("groenvlakken", 14, column * 2, row * 2);

        var classes = roads.Features.Select(f => (string)f.Attributes["wegklasse"]).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("gebiedsontsluitingsweg", classes);
        Assert.Subset(new HashSet<string>(["stroomweg", "gebiedsontsluitingsweg"]), classes);
        Assert.Contains(roadsAt14.Features, f => (string)f.Attributes["wegklasse"] == "erftoegangsweg");
        Assert.All(roads.Features, f => Assert.False(f.Attributes.Exists("lengte") || f.Attributes.Exists("richting")));

        Assert.Subset(new HashSet<string>(["groen", "water"]), cover.Features.Select(f => (string)f.Attributes["bodemgebruik"]).ToHashSet(StringComparer.Ordinal));
        Assert.Contains(coverAt14.Features, f => (string)f.Attributes["bodemgebruik"] == "verhard");
        Assert.All(cover.Features, f => Assert.False(f.Attributes.Exists("oppervlakte")));
        // Two pixels of a 512-pixel z13 tile, in the reader's tile units: (4096 / 512)² × 2 = 128; a grid unit of rounding
        // can shrink a small square by up to a unit a side, hence the margin.
        var twoPixels = Math.Pow(4096.0 / 512, 2) * 2;
        // Only polygons wholly inside the tile: one the tile's edge cuts may leave a sliver of a large polygon.
        var (west, south, east, north) = VectorTileTestTiles.BoundsOf(13, column, row);
        var whole = cover.Features.Where(f => f.Geometry.EnvelopeInternal is var e && e.MinX > west && e.MaxX < east && e.MinY > south && e.MaxY < north).ToList();
        Assert.True(whole.Count > 100, $"the z13 tile should hold whole land-cover polygons; it holds {whole.Count}");
        Assert.All(whole, f => Assert.True(AreaInTileUnits(f.Geometry, 13, column, row) >= twoPixels * 0.8, $"groenvlak {f.Attributes["id"]} is a speck of {AreaInTileUnits(f.Geometry, 13, column, row):F0} units²"));
    }

    [Fact]
    public async Task The_overview_tiles_of_the_whole_city_are_far_lighter_than_full_detail()
    {
        // Full detail (z14) of the same ground as the overview (z13): the same features, so the same bytes but for the policy.
        var panden = await CityBytesAsync("panden", 13) / (double)await CityBytesAsync("panden", 14);
        var cover = await CityBytesAsync("groenvlakken", 13) / (double)await CityBytesAsync("groenvlakken", 14);
        var roads = await CityBytesAsync("wegvakken", 13) / (double)await CityBytesAsync("wegvakken", 14);

        // Panden: integer ids only and terraced rows merged (0.26 measured; z14 carries the integer id and the string id).
        Assert.True(panden < 0.4, $"panden at z13 are {panden:P0} of z14's bytes");
        Assert.True(cover < 0.4, $"groenvlakken at z13 are {cover:P0} of z14's bytes");
        Assert.True(roads < 0.15, $"wegvakken at z13 are {roads:P0} of z14's bytes");
    }

    [Theory]
    [InlineData("panden")]
    [InlineData("groenvlakken")]
    [InlineData("wegvakken")]
    public async Task Gdal_reads_an_overview_tile_with_the_features_and_ids_the_dotnet_reader_finds(string collection)
    {
        var (column, row) = await TileOfCityCentreAsync(13);
        var tile = await GetTileAsync($"/ogc/collections/{collection}/tiles/WebMercatorQuad/13/{row}/{column}");
        var layer = await ReadAsync(collection, 13, column, row);
        // Panden at z13 carry only the integer feature id, which GDAL's MVT driver reads into the field mvt_id.
        var integerIds = collection == "panden";
        using var directory = new TestSupport.TempDirectory();
        var path = Path.Combine(directory.Path, "13", $"{column}", $"{row}.pbf");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, tile, Cancel);
        var output = directory.File("tile.geojson");

        // CLIP=NO: GDAL's MVT driver otherwise leaves out what lies only in the tile's buffer, which the other reader keeps.
        var (code, _, error) = await VectorTileTestTiles.RunAsync(Cancel, "ogr2ogr", "-oo", "CLIP=NO", "-f", "GeoJSON", "-t_srs", "EPSG:4326", output, path, collection);

        Assert.True(code == 0, $"ogr2ogr failed ({code}): {error}");
        var fromGdal = JsonDocument.Parse(await File.ReadAllTextAsync(output, Cancel)).RootElement.GetProperty("features").EnumerateArray()
            .Select(f => integerIds ? f.GetProperty("properties").GetProperty("mvt_id").GetUInt64().ToString(CultureInfo.InvariantCulture) : f.GetProperty("properties").GetProperty("id").GetString()!)
            .ToHashSet(StringComparer.Ordinal);
        var fromReader = layer.Features.Select(f => integerIds ? ((ulong)f.Attributes[FeatureId]).ToString(CultureInfo.InvariantCulture) : (string)f.Attributes["id"]);
        Assert.Equal(fromReader.ToHashSet(StringComparer.Ordinal), fromGdal);
    }

    /// <summary>The tile at <paramref name="zoom"/> at the centre of the panden's extent, where the demo city is densest.</summary>
    private async Task<(long Column, long Row)> TileOfCityCentreAsync(int zoom)
    {
        var (west, south, east, north) = await CityExtentAsync();
        return VectorTileTestTiles.TileOf((west + east) / 2, (south + north) / 2, zoom);
    }

    private async Task<(double West, double South, double East, double North)> CityExtentAsync()
    {
        var bbox = (await Server.GetJsonAsync("/ogc/collections/panden")).GetProperty("extent").GetProperty("spatial").GetProperty("bbox")[0];
        return (bbox[0].GetDouble(), bbox[1].GetDouble(), bbox[2].GetDouble(), bbox[3].GetDouble());
    }

    /// <summary>The bytes of every tile of <paramref name="collection"/> at <paramref name="zoom"/> over the city's extent.</summary>
    private async Task<long> CityBytesAsync(string collection, int zoom)
    {
        var (west, south, east, north) = await CityExtentAsync();
        var (firstColumn, firstRow) = VectorTileTestTiles.TileOf(west, north, zoom);
        var (lastColumn, lastRow) = VectorTileTestTiles.TileOf(east, south, zoom);
        long bytes = 0;
        for (var column = firstColumn; column <= lastColumn; column++)
        {
            for (var row = firstRow; row <= lastRow; row++)
            {
                using var response = await Server.Client.GetAsync($"/ogc/collections/{collection}/tiles/WebMercatorQuad/{zoom}/{row}/{column}", Cancel);
                Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NoContent, $"{collection} {zoom}/{row}/{column}: {response.StatusCode}");
                bytes += (await response.Content.ReadAsByteArrayAsync(Cancel)).Length;
            }
        }

        return bytes;
    }

    /// <summary>The integer id of a BAG pand id as docs/tiles.md defines it: municipality × 10¹⁰ + serial (the object type 10 left out).</summary>
    private static ulong BagInteger(string id)
    {
        Assert.Matches("^[0-9]{4}10[0-9]{10}$", id);
        return (ulong.Parse(id[..4], CultureInfo.InvariantCulture) * 10_000_000_000) + ulong.Parse(id[6..], CultureInfo.InvariantCulture);
    }

    /// <summary>What the overview draws of a building: the mean of its footprint's positions (inside a box) and its drawn attributes.</summary>
    private sealed record Building(NetTopologySuite.Geometries.Point Centre, NetTopologySuite.Geometries.Polygon Footprint, double Hoogte, long Bouwjaar, string Functie, string Buurtcode);

    /// <summary>The buildings wholly inside the tile, with a margin of 1 % of its width, by id (from the items endpoint).</summary>
    private async Task<Dictionary<string, Building>> BuildingsInsideAsync(int zoom, long column, long row)
    {
        var (west, south, east, north) = VectorTileTestTiles.BoundsOf(zoom, column, row);
        var bbox = string.Create(CultureInfo.InvariantCulture, $"{west},{south},{east},{north}");
        var page = await Server.GetJsonAsync($"/ogc/collections/panden/items?limit=10000&bbox={bbox}");
        Assert.True(page.GetProperty("numberMatched").GetInt64() < 10_000, "the page should hold every feature in the tile");
        var (mx, my) = ((east - west) / 100, (north - south) / 100);
        var buildings = new Dictionary<string, Building>(StringComparer.Ordinal);
        foreach (var f in page.GetProperty("features").EnumerateArray())
        {
            var positions = VectorTileTestTiles.Positions(f.GetProperty("geometry"));
            if (!positions.All(p => p.X > west + mx && p.X < east - mx && p.Y > south + my && p.Y < north - my))
            {
                continue;
            }

            // The ring's closing position repeats its first: leave it out of the mean.
            var ring = positions.Take(positions.Count - 1).ToList();
            var properties = f.GetProperty("properties");
            buildings[f.GetProperty("id").GetString()!] = new Building(
                new NetTopologySuite.Geometries.Point(ring.Average(p => p.X), ring.Average(p => p.Y)),
                new NetTopologySuite.Geometries.GeometryFactory().CreatePolygon([.. positions.Select(p => new NetTopologySuite.Geometries.Coordinate(p.X, p.Y))]),
                properties.GetProperty("hoogte").GetDouble(),
                properties.GetProperty("bouwjaar").GetInt64(),
                properties.GetProperty("functie").GetString()!,
                properties.GetProperty("buurtcode").GetString()!);
        }

        return buildings;
    }

    private async Task<NetTopologySuite.IO.VectorTiles.Layer> ReadAsync(string collection, int zoom, long column, long row)
    {
        var bytes = await GetTileAsync($"/ogc/collections/{collection}/tiles/WebMercatorQuad/{zoom}/{row}/{column}");
        using var stream = new MemoryStream(bytes);
        var tile = new MapboxTileReader().Read(stream, new NetTopologySuite.IO.VectorTiles.Tiles.Tile((int)column, (int)row, zoom), FeatureId);
        var layer = Assert.Single(tile.Layers);
        Assert.Equal(collection, layer.Name);
        return layer;
    }

    /// <summary>The area of a geometry the reader gave in CRS84 degrees, in the tile's grid units (4096 across).</summary>
    private static double AreaInTileUnits(NetTopologySuite.Geometries.Geometry geometry, int zoom, long column, long row)
    {
        var (west, south, east, north) = VectorTileTestTiles.BoundsOf(zoom, column, row);
        // Over one tile, Web Mercator's y is close enough to linear in latitude for an area check with a 20 % margin.
        return geometry.Area * (4096 / (east - west)) * (4096 / (north - south));
    }

    private async Task<byte[]> GetTileAsync(string path)
    {
        using var response = await Server.Client.GetAsync(path, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync(Cancel);
    }
}
