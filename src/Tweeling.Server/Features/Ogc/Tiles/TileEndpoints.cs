using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Server.Hosting;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.Ogc.Tiles;

/// <summary>
/// OGC API – Tiles Part 1 over the feature store's collections: tile matrix sets, tileset metadata and
/// Mapbox Vector Tiles (<c>/ogc/collections/{collectionId}/tiles/WebMercatorQuad/{z}/{y}/{x}</c>).
/// </summary>
/// <remarks>
/// A tile outside the tileset's limits (a zoom below the layer's minimum or above its maximum, a row or
/// column beyond the matrix) answers 404, as Part 1 requires of a tile outside the tile matrix set limits;
/// a tile inside them that holds no feature answers 204, which Part 1 permits for an empty tile and which
/// MapLibre and GDAL read as an empty tile.
/// </remarks>
internal static class TileEndpoints
{
    /// <summary>The media type of a Mapbox Vector Tile.</summary>
    public const string MvtMediaType = "application/vnd.mapbox-vector-tile";

    /// <summary>The conformance classes of OGC API – Tiles and 2-D Tile Matrix Set this API implements.</summary>
    public static IReadOnlyList<string> ConformanceClasses { get; } =
    [
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/datetime",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/oas30",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
        "http://www.opengis.net/spec/tms/2.0/conf/tilematrixset",
        "http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset",
    ];

    private const string TilingSchemeRel = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme";

    /// <summary><c>GET /ogc/tileMatrixSets</c>: the tile matrix sets tiles are served in.</summary>
    public static Results<JsonHttpResult<object>, ProblemHttpResult> TileMatrixSets(HttpRequest request)
    {
        if (OgcFormat.CheckOnly(request.Query) is { } problem)
        {
            return problem;
        }

        var root = OgcLinks.Base(request);
        object body = new
        {
            tileMatrixSets = new[]
            {
                new
                {
                    id = WebMercatorQuad.Id,
                    title = "Google Maps Compatible for the World",
                    uri = WebMercatorQuad.Uri,
                    crs = WebMercatorQuad.CrsUri,
                    links = new[] { OgcLinks.Link($"{root}/tileMatrixSets/{WebMercatorQuad.Id}", "self", OgcFormat.Json, "WebMercatorQuad") },
                },
            },
            links = new[] { OgcLinks.Link($"{root}/tileMatrixSets", "self", OgcFormat.Json) },
        };
        return TypedResults.Json(body, contentType: OgcFormat.Json);
    }

    /// <summary><c>GET /ogc/tileMatrixSets/{tileMatrixSetId}</c>: the definition of a tile matrix set.</summary>
    public static Results<JsonHttpResult<object>, ProblemHttpResult> TileMatrixSet(string tileMatrixSetId, HttpRequest request)
    {
        if (tileMatrixSetId != WebMercatorQuad.Id)
        {
            return UnknownTileMatrixSet(tileMatrixSetId);
        }

        return OgcFormat.CheckOnly(request.Query) is { } problem
            ? problem
            : TypedResults.Json(WebMercatorQuad.Definition(OgcLinks.Base(request)), contentType: OgcFormat.Json);
    }

    /// <summary><c>GET /ogc/collections/{collectionId}/tiles</c>: the tilesets of a collection (one: WebMercatorQuad).</summary>
    public static Results<JsonHttpResult<object>, ProblemHttpResult> Tilesets(string collectionId, HttpRequest request)
    {
        if (FindLayer(collectionId) is not { } layer)
        {
            return NoTiles(collectionId);
        }

        if (OgcFormat.CheckOnly(request.Query) is { } problem)
        {
            return problem;
        }

        var root = OgcLinks.Base(request);
        var tiles = $"{root}/collections/{collectionId}/tiles";
        object body = new
        {
            links = new[] { OgcLinks.Link(tiles, "self", OgcFormat.Json, $"{layer.Collection.Title}: tilesets") },
            tilesets = new[]
            {
                new
                {
                    title = $"{layer.Collection.Title} (WebMercatorQuad)",
                    dataType = "vector",
                    crs = WebMercatorQuad.CrsUri,
                    tileMatrixSetURI = WebMercatorQuad.Uri,
                    links = TilesetLinks(root, layer),
                },
            },
        };
        return TypedResults.Json(body, contentType: OgcFormat.Json);
    }

    /// <summary><c>GET /ogc/collections/{collectionId}/tiles/{tileMatrixSetId}</c>: a tileset with its limits, layer and tile URL template.</summary>
    public static async Task<Results<JsonHttpResult<object>, ProblemHttpResult>> Tileset(
        string collectionId, string tileMatrixSetId, HttpRequest request, IFeatureStore features, CrsTransformer crs, CancellationToken cancellationToken)
    {
        if (FindLayer(collectionId) is not { } layer)
        {
            return NoTiles(collectionId);
        }

        if (tileMatrixSetId != WebMercatorQuad.Id)
        {
            return UnknownTileMatrixSet(tileMatrixSetId);
        }

        if (OgcFormat.CheckOnly(request.Query) is { } problem)
        {
            return problem;
        }

        var root = OgcLinks.Base(request);
        // The summary covers every version of every dataset, so it says nothing about what the caller may read.
        var summary = await features.SummarizeAsync(collectionId, cancellationToken);
        var extent = summary is null ? null : crs.Transform(summary.Extent, Crs.RdNewSrid, Crs.Crs84Srid);
        object body = new
        {
            title = $"{layer.Collection.Title} (WebMercatorQuad)",
            description = layer.Collection.Description,
            dataType = "vector",
            crs = WebMercatorQuad.CrsUri,
            tileMatrixSetURI = WebMercatorQuad.Uri,
            tileMatrixSetLimits = Enumerable.Range(layer.MinZoom, layer.MaxZoom - layer.MinZoom + 1).Select(z => new
            {
                tileMatrix = z.ToString(CultureInfo.InvariantCulture),
                minTileRow = 0L,
                maxTileRow = (1L << z) - 1,
                minTileCol = 0L,
                maxTileCol = (1L << z) - 1,
            }),
            boundingBox = extent is null ? null : new
            {
                lowerLeft = new[] { Math.Round(extent.MinX, 7), Math.Round(extent.MinY, 7) },
                upperRight = new[] { Math.Round(extent.MaxX, 7), Math.Round(extent.MaxY, 7) },
                crs = Crs.Crs84Uri,
            },
            layers = new[]
            {
                new
                {
                    id = layer.Collection.Id,
                    title = layer.Collection.Title,
                    dataType = "vector",
                    geometryDimension = layer.Collection.GeometryType switch { "Point" => 0, "LineString" => 1, "Polygon" => 2, _ => (int?)null },
                    minTileMatrix = layer.MinZoom.ToString(CultureInfo.InvariantCulture),
                    maxTileMatrix = layer.MaxZoom.ToString(CultureInfo.InvariantCulture),
                    propertiesSchema = new
                    {
                        type = "object",
                        required = new[] { "id" },
                        properties = new[] { KeyValuePair.Create("id", (object)new { type = "string", description = "The OGC feature id (items/{featureId})" }) }
                            .Concat(layer.Collection.Queryables.Select(q => KeyValuePair.Create(q.Name, (object)new { type = Queryables.JsonSchemaType(q.Type), description = q.Description })))
                            .ToDictionary(),
                    },
                },
            },
            links = TilesetLinks(root, layer),
        };
        return TypedResults.Json(body, contentType: OgcFormat.Json);
    }

    /// <summary><c>GET /ogc/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}</c>: one vector tile.</summary>
    public static async Task<Results<TileResult, ProblemHttpResult>> Tile(
        string collectionId,
        string tileMatrixSetId,
        string tileMatrix,
        string tileRow,
        string tileCol,
        HttpContext http,
        VectorTiles tiles,
        ReadAccess access,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (FindLayer(collectionId) is not { } layer)
        {
            return NoTiles(collectionId);
        }

        if (tileMatrixSetId != WebMercatorQuad.Id)
        {
            return UnknownTileMatrixSet(tileMatrixSetId);
        }

        if (!int.TryParse(tileMatrix, NumberStyles.None, CultureInfo.InvariantCulture, out var zoom)
            || !long.TryParse(tileRow, NumberStyles.None, CultureInfo.InvariantCulture, out var row)
            || !long.TryParse(tileCol, NumberStyles.None, CultureInfo.InvariantCulture, out var column))
        {
            return ProblemType.InvalidParameter.With(
                $"Tile matrix, row and column must be whole numbers of zero or more; got '{tileMatrix}/{tileRow}/{tileCol}'.");
        }

        if (zoom < layer.MinZoom || zoom > layer.MaxZoom)
        {
            return ProblemType.NotFound.With(
                $"Collection '{collectionId}' is tiled from tile matrix {layer.MinZoom} to {layer.MaxZoom} of {WebMercatorQuad.Id}; {zoom} is outside them.");
        }

        if (row >= 1L << zoom || column >= 1L << zoom)
        {
            return ProblemType.NotFound.With($"Tile matrix {zoom} has rows and columns 0 to {(1L << zoom) - 1}; there is no tile {row}/{column}.");
        }

        var at = time.GetUtcNow();
        foreach (var name in http.Request.Query.Keys)
        {
            if (name is not ("f" or "datetime"))
            {
                return ProblemType.UnknownParameter.With($"Unknown query parameter '{name}'. A tile takes 'datetime' and 'f'.");
            }
        }

        if (http.Request.Query.TryGetValue("f", out var format) && format.ToString() != "mvt")
        {
            return ProblemType.InvalidParameter.With($"'f' must be 'mvt'; got '{format}'. Tiles are Mapbox Vector Tiles.");
        }

        if (http.Request.Query.TryGetValue("datetime", out var datetime))
        {
            var (filter, error) = ItemsRequest.ParseDatetime(datetime.ToString());
            // A date stands for its first moment, as on a single feature; a tile shows the twin at one instant.
            if (filter?.Start is not { } start || (!filter.IsInstant && filter.End != start.AddDays(1).AddTicks(-1)))
            {
                return ProblemType.InvalidParameter.With(error ?? $"'datetime' on a tile must be an instant or a date; got '{datetime}'.");
            }

            at = start;
        }

        var readable = await access.ReadableDatasetsAsync(http, cancellationToken);
        var tile = await tiles.TileAsync(layer, zoom, row, column, at, readable, cancellationToken);
        return new TileResult(tile);
    }

    private static TileLayer? FindLayer(string collectionId) => TileLayers.Find(collectionId);

    private static object[] TilesetLinks(string root, TileLayer layer)
    {
        var collection = $"{root}/collections/{layer.Collection.Id}";
        return
        [
            OgcLinks.Link($"{collection}/tiles/{WebMercatorQuad.Id}", "self", OgcFormat.Json, $"{layer.Collection.Title} (WebMercatorQuad)"),
            OgcLinks.Link($"{root}/tileMatrixSets/{WebMercatorQuad.Id}", TilingSchemeRel, OgcFormat.Json, "WebMercatorQuad"),
            OgcLinks.Link(collection, "http://www.opengis.net/def/rel/ogc/1.0/geodata", OgcFormat.Json, layer.Collection.Title),
            new
            {
                href = $"{collection}/tiles/{WebMercatorQuad.Id}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}",
                rel = "item",
                type = MvtMediaType,
                title = $"{layer.Collection.Title}: Mapbox Vector Tiles",
                templated = true,
            },
        ];
    }

    private static ProblemHttpResult NoTiles(string collectionId) => ProblemType.NotFound.With(
        Domain.Features.TwinCollections.Find(collectionId) is null
            ? $"There is no collection '{collectionId}'."
            : $"Collection '{collectionId}' is not served as tiles; read it from /ogc/collections/{collectionId}/items.");

    private static ProblemHttpResult UnknownTileMatrixSet(string tileMatrixSetId) =>
        ProblemType.NotFound.With($"There is no tile matrix set '{tileMatrixSetId}'; tiles are served in {WebMercatorQuad.Id}.");
}

/// <summary>
/// A vector tile answer: 200 with the tile, 204 when the tile is empty, 304 when the client holds it already.
/// <c>no-cache</c> makes clients ask again each time (the tile changes with every write and with the caller's
/// role) but lets them keep the body and revalidate it cheaply with its ETag.
/// </summary>
internal sealed class TileResult(EncodedTile tile) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.Headers.ETag = tile.ETag;
        response.Headers.CacheControl = "private, no-cache";
        if (httpContext.Request.Headers.IfNoneMatch.Any(value => value is not null && value.Split(',').Any(t => t.Trim() is var tag && (tag == tile.ETag || tag == "*"))))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        if (tile.Body.Length == 0)
        {
            response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        response.ContentType = TileEndpoints.MvtMediaType;
        response.ContentLength = tile.Body.Length;
        await response.Body.WriteAsync(tile.Body, httpContext.RequestAborted);
    }
}
