using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Simplify;
using Tweeling.Domain.Features;
using Tweeling.Domain.Geo;
using Tweeling.Server.Features.Ogc;
using Tweeling.Server.Features.Ogc.Tiles;
using Tweeling.Server.Hosting;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.Platform;

/// <summary>
/// The results of a scenario on the map: buurt geometries from the <c>buurten</c> collection joined to the rows of
/// <see cref="ScenarioResultsTable"/>, as GeoJSON in CRS84 and as Mapbox Vector Tiles in WebMercatorQuad.
/// </summary>
internal static class ScenarioResultsGeo
{
    /// <summary>The layer name inside a delta tile.</summary>
    public const string TileLayerName = "scenario-delta";

    private static readonly JsonSerializerOptions s_web = new(JsonSerializerDefaults.Web) { Encoder = JsonOutput.Encoder };

    /// <summary>The name of a buurt (its <c>naam</c>), else its code.</summary>
    public static string Name(Feature buurt) => buurt.Properties.GetValueOrDefault("naam") as string ?? buurt.Id;

    /// <summary>
    /// A GeoJSON FeatureCollection in CRS84: one feature per buurt with a result, its properties <c>gebied</c>,
    /// <c>naam</c> and per indicator <c>{id}.basis</c>, <c>{id}.scenario</c>, <c>{id}.delta</c> and
    /// <c>{id}.relatieveDelta</c> (flat, so a map style reads them with one <c>get</c>); the run's identity as foreign members.
    /// </summary>
    public static byte[] GeoJson(ScenarioResultsView header, ScenarioResultsTable table, IReadOnlyList<string> indicators, IReadOnlyList<Feature> buurten, CrsTransformer crs)
    {
        var geometry = new GeoJsonWriter(crs, Crs.Crs84Srid);
        var rows = indicators.ToDictionary(i => i, i => table.Buurten(i).ToDictionary(r => r.Area, StringComparer.Ordinal), StringComparer.Ordinal);
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using (var json = new Utf8JsonWriter(buffer, JsonOutput.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("type", "FeatureCollection");
            json.WritePropertyName("scenario");
            JsonSerializer.Serialize(json, header.Scenario, s_web);
            json.WriteNumber("seed", header.Seed);
            json.WritePropertyName("indicatoren");
            JsonSerializer.Serialize(json, header.Indicatoren.Where(i => indicators.Contains(i.Id)), s_web);
            json.WriteStartArray("features");
            foreach (var buurt in buurten.Where(b => rows.Values.Any(r => r.ContainsKey(b.Id))))
            {
                json.WriteStartObject();
                json.WriteString("type", "Feature");
                json.WriteString("id", buurt.Id);
                json.WritePropertyName("geometry");
                geometry.WriteGeometry(json, buurt.Geometry);
                json.WriteStartObject("properties");
                json.WriteString("gebied", buurt.Id);
                json.WriteString("naam", Name(buurt));
                foreach (var indicator in indicators)
                {
                    var row = rows[indicator].GetValueOrDefault(buurt.Id);
                    Number(json, $"{indicator}.basis", row?.Baseline);
                    Number(json, $"{indicator}.scenario", row?.Scenario);
                    Number(json, $"{indicator}.delta", row?.Delta);
                    Number(json, $"{indicator}.relatieveDelta", row?.RelativeDelta);
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The delta tile (<paramref name="zoom"/>, <paramref name="row"/>, <paramref name="column"/>) of one indicator:
    /// the buurten in it with <c>gebied</c>, <c>naam</c>, <c>basis</c>, <c>scenario</c>, <c>delta</c> and
    /// <c>relatieveDelta</c> (a missing value is left out, as MVT has no null), encoded as the OGC tiles are.
    /// </summary>
    public static EncodedTile Tile(ScenarioResultsTable table, string indicator, BuurtOutlines buurten, int zoom, long row, long column)
    {
        var bounds = WebMercatorQuad.Bounds(zoom, row, column);
        var encoder = new TileGeometryEncoder(bounds, VectorTiles.Extent, VectorTiles.Buffer);
        var writer = new MvtLayerWriter(TileLayerName, VectorTiles.Extent);
        var rows = table.Buurten(indicator).ToDictionary(r => r.Area, StringComparer.Ordinal);
        var tolerance = bounds.Width / VectorTiles.Extent;
        var commands = new List<uint>(256);
        for (var b = 0; b < buurten.Buurten.Count; b++)
        {
            var buurt = buurten.Buurten[b];
            if (!rows.TryGetValue(buurt.Id, out var result))
            {
                continue;
            }

            var mercator = buurten.WebMercator[b];
            if (!mercator.EnvelopeInternal.Intersects(encoder.ClipBounds))
            {
                continue;
            }

            // Buurt outlines have hundreds of positions; one grid unit of simplification is invisible in the tile.
            var simplified = DouglasPeuckerSimplifier.Simplify(mercator, tolerance);
            commands.Clear();
            if (encoder.Encode(simplified, commands) is { } type)
            {
                writer.AddFeature(type, commands,
                [
                    new("gebied", buurt.Id), new("naam", Name(buurt)), new("basis", result.Baseline), new("scenario", result.Scenario),
                    new("delta", result.Delta), new("relatieveDelta", result.RelativeDelta),
                ]);
            }
        }

        var body = writer.FeatureCount == 0 ? [] : writer.ToTile();
        return new EncodedTile(body, $"\"{Convert.ToHexStringLower(SHA256.HashData(body).AsSpan(0, 12))}\"", writer.FeatureCount);
    }

    /// <summary>Parses <c>{z}/{y}/{x}</c> of WebMercatorQuad within the zooms the <c>buurten</c> layer is tiled at: 400 for what is not a number, 404 outside the limits.</summary>
    public static (int Zoom, long Row, long Column, ProblemHttpResult? Problem) ParseTile(string tileMatrix, string tileRow, string tileCol)
    {
        var layer = TileLayers.Find(TwinCollections.Buurten)!;
        if (!int.TryParse(tileMatrix, NumberStyles.None, CultureInfo.InvariantCulture, out var zoom)
            || !long.TryParse(tileRow, NumberStyles.None, CultureInfo.InvariantCulture, out var row)
            || !long.TryParse(tileCol, NumberStyles.None, CultureInfo.InvariantCulture, out var column))
        {
            return (0, 0, 0, ProblemType.InvalidParameter.With($"Tile matrix, row and column must be whole numbers of zero or more; got '{tileMatrix}/{tileRow}/{tileCol}'."));
        }

        if (zoom < layer.MinZoom || zoom > layer.MaxZoom)
        {
            return (0, 0, 0, ProblemType.NotFound.With($"Delta tiles are served from tile matrix {layer.MinZoom} to {layer.MaxZoom} of {WebMercatorQuad.Id}, as the buurten; {zoom} is outside them."));
        }

        return row >= 1L << zoom || column >= 1L << zoom
            ? (0, 0, 0, ProblemType.NotFound.With($"Tile matrix {zoom} has rows and columns 0 to {(1L << zoom) - 1}; there is no tile {row}/{column}."))
            : (zoom, row, column, null);
    }

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
