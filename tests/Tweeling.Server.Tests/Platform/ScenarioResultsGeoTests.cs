using System.Globalization;
using System.Text.Json;
using NetTopologySuite.IO.VectorTiles.Mapbox;
using Tweeling.Domain.Geo;
using Tweeling.Server.Features.Ogc.Tiles;
using Tweeling.Server.Features.Platform;
using Tweeling.Server.Hosting;

namespace Tweeling.Server.Tests.Platform;

/// <summary>Delta tiles and GeoJSON of <see cref="SampleScenarioRun"/>, read back with a third-party MVT reader and System.Text.Json.</summary>
public sealed class ScenarioResultsGeoTests
{
    private const int Zoom = 14;

    private static readonly CrsTransformer s_crs = new(TwinHost.GeometryServices);

    [Fact]
    public void A_delta_tile_holds_the_buurten_in_it_with_baseline_scenario_and_delta()
    {
        var (column, row) = TileOf(105_750, 425_250);
        var table = ScenarioResultsTable.From(SampleScenarioRun.Create());

        var tile = ScenarioResultsGeo.Tile(table, SampleScenarioRun.No2.Id, BuurtOutlines.Project(SampleScenarioRun.Buurten(), s_crs), Zoom, row, column);

        using var stream = new MemoryStream(tile.Body);
        var layer = Assert.Single(new MapboxTileReader().Read(stream, new NetTopologySuite.IO.VectorTiles.Tiles.Tile((int)column, (int)row, Zoom)).Layers);
        Assert.Equal(ScenarioResultsGeo.TileLayerName, layer.Name);
        var byCode = layer.Features.ToDictionary(f => (string)f.Attributes["gebied"]);
        Assert.Equal(["BU1", "BU2", "BU3"], byCode.Keys.Order());
        Assert.Equal(3.0, Convert.ToDouble(byCode["BU2"].Attributes["delta"], CultureInfo.InvariantCulture), 9);
        Assert.Equal(23.0, Convert.ToDouble(byCode["BU2"].Attributes["scenario"], CultureInfo.InvariantCulture), 9);
        Assert.Equal("Buurt 2", byCode["BU2"].Attributes["naam"]);
        Assert.All(byCode.Values, f => Assert.Equal("Polygon", f.Geometry.GeometryType));

        // The same tile of an indicator that lacks a value leaves the member out (MVT has no null).
        var green = ScenarioResultsGeo.Tile(table, SampleScenarioRun.Green.Id, BuurtOutlines.Project(SampleScenarioRun.Buurten(), s_crs), Zoom, row, column);
        using var greenStream = new MemoryStream(green.Body);
        var bu2 = new MapboxTileReader().Read(greenStream, new NetTopologySuite.IO.VectorTiles.Tiles.Tile((int)column, (int)row, Zoom)).Layers[0].Features
            .Single(f => (string)f.Attributes["gebied"] == "BU2");
        Assert.False(bu2.Attributes.Exists("scenario"));
        Assert.Equal(5.0, Convert.ToDouble(bu2.Attributes["basis"], CultureInfo.InvariantCulture), 9);
    }

    [Fact]
    public void A_tile_far_from_the_buurten_is_empty()
    {
        var table = ScenarioResultsTable.From(SampleScenarioRun.Create());
        var (column, row) = TileOf(200_000, 500_000);

        var tile = ScenarioResultsGeo.Tile(table, SampleScenarioRun.No2.Id, BuurtOutlines.Project(SampleScenarioRun.Buurten(), s_crs), Zoom, row, column);

        Assert.Empty(tile.Body);
        Assert.Equal(0, tile.FeatureCount);
    }

    [Fact]
    public void Geojson_is_crs84_with_flat_members_per_indicator()
    {
        var run = SampleScenarioRun.Create();
        var table = ScenarioResultsTable.From(run);
        var header = new ScenarioResultsView(ScenarioRef.From(run.Scenario), 1, new ResultHashes("b", "c"), run.Outcome.ModelVersions,
            [.. table.Indicators.Select(ResultIndicatorView.From)], [], [], ResultLinks.For("http://x/api/v1", run.Scenario, 1, "http://x"));

        using var json = JsonDocument.Parse(ScenarioResultsGeo.GeoJson(header, table, [SampleScenarioRun.No2.Id], SampleScenarioRun.Buurten(), s_crs));

        var features = json.RootElement.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(3, features.Count);
        var bu3 = features.Single(f => f.GetProperty("id").GetString() == "BU3");
        Assert.Equal(-0.5, bu3.GetProperty("properties").GetProperty("no2-jaargemiddelde.delta").GetDouble(), 9);
        Assert.Equal(-0.05, bu3.GetProperty("properties").GetProperty("no2-jaargemiddelde.relatieveDelta").GetDouble(), 9);
        var corner = bu3.GetProperty("geometry").GetProperty("coordinates")[0][0];
        Assert.InRange(corner[0].GetDouble(), 3.3, 7.3); // longitude in the Netherlands, not RD metres
        Assert.InRange(corner[1].GetDouble(), 50.7, 53.6);
        Assert.Equal("no2-jaargemiddelde", Assert.Single(json.RootElement.GetProperty("indicatoren").EnumerateArray()).GetProperty("id").GetString());
    }

    private static (long Column, long Row) TileOf(double rdX, double rdY)
    {
        double x = rdX, y = rdY;
        s_crs.Transform(Crs.RdNewSrid, Crs.Crs84Srid, ref x, ref y);
        WebMercatorQuad.FromCrs84(ref x, ref y);
        var size = WebMercatorQuad.TileSize(Zoom);
        return ((long)Math.Floor((x + WebMercatorQuad.HalfWorld) / size), (long)Math.Floor((WebMercatorQuad.HalfWorld - y) / size));
    }
}
