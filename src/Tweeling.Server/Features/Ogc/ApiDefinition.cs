using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Tweeling.Domain.Features;
using Tweeling.Domain.Geo;
using Tweeling.Server.Features.Ogc.Tiles;
using Tweeling.Server.Hosting;

namespace Tweeling.Server.Features.Ogc;

/// <summary>
/// <c>GET /ogc/api</c>: the OpenAPI 3.0 definition of the OGC API. Each collection gets its own items
/// path that declares its queryables as query parameters, so clients such as GDAL send a filter to
/// the server instead of downloading everything and filtering locally.
/// </summary>
internal static class ApiDefinition
{
    public static Results<ContentHttpResult, ProblemHttpResult> Handle(HttpRequest request, IOptions<ApiOptions> options, CollectionSources sources)
    {
        if (OgcFormat.CheckOnly(request.Query) is { } problem)
        {
            return problem;
        }

        return TypedResults.Content(Build(OgcLinks.Base(request), options.Value, sources).ToJsonString(), OgcFormat.OpenApi);
    }

    internal static JsonObject Build(string serverUrl, ApiOptions contact, CollectionSources sources)
    {
        var paths = new JsonObject
        {
            ["/"] = Get("getLandingPage", "Landing page", Json("LandingPage")),
            ["/conformance"] = Get("getConformance", "Conformance classes", Json("Conformance")),
            ["/api"] = Get("getApi", "This API definition", new JsonObject
            {
                ["200"] = new JsonObject { ["description"] = "The OpenAPI document", ["content"] = new JsonObject { [OgcFormat.OpenApi] = new JsonObject() } },
            }),
            ["/collections"] = Get("getCollections", "Feature collections", Json("Collections")),
        };
        foreach (var collection in TwinCollections.All)
        {
            var id = collection.Id;
            paths[$"/collections/{id}"] = Get($"describe_{id}", $"{collection.Title}: metadata", Json("Collection"));
            paths[$"/collections/{id}/queryables"] = Get($"queryables_{id}", $"{collection.Title}: queryables", Json("Queryables"));
            var unversionedDatetime = sources.SourceOf(collection).UnversionedDatetime;
            var datetime = unversionedDatetime is null ? Ref("datetime") : Parameter("datetime", unversionedDatetime, new JsonObject { ["type"] = "string" });
            var itemParameters = new JsonArray(Ref("limit"), Ref("offset"), Ref("bbox"), Ref("bbox-crs"), Ref("crs"), datetime, Ref("f"));
            foreach (var queryable in collection.Queryables)
            {
                itemParameters.Add(new JsonObject
                {
                    ["name"] = queryable.Name,
                    ["in"] = "query",
                    ["required"] = false,
                    ["description"] = queryable.Description + " (equals)",
                    ["schema"] = new JsonObject { ["type"] = Queryables.JsonSchemaType(queryable.Type) },
                    ["style"] = "form",
                    ["explode"] = false,
                });
            }

            paths[$"/collections/{id}/items"] = Get($"getFeatures_{id}", $"{collection.Title}: features", GeoJson("FeatureCollection"), itemParameters);
            var featureParameters = new JsonArray(
                new JsonObject { ["name"] = "featureId", ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } },
                Ref("crs"));
            if (unversionedDatetime is null)
            {
                featureParameters.Add(Ref("datetime"));
            }

            paths[$"/collections/{id}/items/{{featureId}}"] = Get($"getFeature_{id}", $"{collection.Title}: one feature", GeoJson("Feature"), featureParameters);
            if (TileLayers.Find(id) is { } layer)
            {
                AddTilePaths(paths, layer);
            }
        }

        paths["/tileMatrixSets"] = Get("getTileMatrixSetsList", "Tile matrix sets", Json("TileMatrixSets"));
        paths["/tileMatrixSets/{tileMatrixSetId}"] = Get("getTileMatrixSet", "A tile matrix set", Json("TileMatrixSet"), new JsonArray(PathParameter("tileMatrixSetId", WebMercatorQuad.Id)));

        return new JsonObject
        {
            ["openapi"] = "3.0.3",
            ["info"] = new JsonObject
            {
                ["title"] = "Tweeling – OGC API Features",
                ["version"] = "1.0.0",
                ["description"] = "The twin's features per OGC API – Features Part 1 (Core, GeoJSON, OpenAPI 3.0) and Part 2 (CRS), and vector tiles per OGC API – Tiles Part 1.",
                ["contact"] = new JsonObject { ["name"] = contact.ContactName, ["email"] = contact.ContactEmail, ["url"] = contact.ContactUrl },
                ["license"] = new JsonObject { ["name"] = "EUPL-1.2", ["url"] = "https://eupl.eu/1.2/nl/" },
            },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = serverUrl }),
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["parameters"] = new JsonObject
                {
                    ["limit"] = Parameter("limit", "Maximum number of features in the page.",
                        new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = ItemsRequest.MaximumLimit, ["default"] = ItemsRequest.DefaultLimit }),
                    ["offset"] = Parameter("offset", "Number of matching features to skip (paging; follow the next link).",
                        new JsonObject { ["type"] = "integer", ["minimum"] = 0, ["default"] = 0 }),
                    ["bbox"] = Parameter("bbox", "Bounding box minx,miny,maxx,maxy in bbox-crs (default CRS84).",
                        new JsonObject { ["type"] = "array", ["minItems"] = 4, ["maxItems"] = 6, ["items"] = new JsonObject { ["type"] = "number" } }, explode: false),
                    ["bbox-crs"] = Parameter("bbox-crs", "CRS of the bbox.", CrsSchema()),
                    ["crs"] = Parameter("crs", "CRS of the response geometries.", CrsSchema()),
                    ["datetime"] = Parameter("datetime", "Validity: an RFC 3339 instant or date, or an interval start/end with '..' for an open end. Default: now.",
                        new JsonObject { ["type"] = "string" }),
                    ["f"] = Parameter("f", "Encoding; json is the one served.",
                        new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("json", "geojson") }),
                },
                ["schemas"] = new JsonObject
                {
                    ["LandingPage"] = new JsonObject { ["type"] = "object" },
                    ["Conformance"] = new JsonObject { ["type"] = "object" },
                    ["Collections"] = new JsonObject { ["type"] = "object" },
                    ["Collection"] = new JsonObject { ["type"] = "object" },
                    ["Queryables"] = new JsonObject { ["type"] = "object" },
                    ["TileMatrixSets"] = new JsonObject { ["type"] = "object" },
                    ["TileMatrixSet"] = new JsonObject { ["type"] = "object" },
                    ["TileSets"] = new JsonObject { ["type"] = "object" },
                    ["TileSet"] = new JsonObject { ["type"] = "object" },
                    ["FeatureCollection"] = new JsonObject { ["type"] = "object", ["required"] = new JsonArray("type", "features") },
                    ["Feature"] = new JsonObject { ["type"] = "object", ["required"] = new JsonArray("type", "geometry", "properties") },
                    ["Problem"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["properties"] = new JsonObject
                        {
                            ["type"] = new JsonObject { ["type"] = "string" },
                            ["title"] = new JsonObject { ["type"] = "string" },
                            ["status"] = new JsonObject { ["type"] = "integer" },
                            ["detail"] = new JsonObject { ["type"] = "string" },
                            ["instance"] = new JsonObject { ["type"] = "string" },
                        },
                    },
                },
            },
        };
    }

    /// <summary>The tilesets, tileset and tile paths of a tiled collection (OGC API – Tiles Part 1, collection tilesets).</summary>
    private static void AddTilePaths(JsonObject paths, TileLayer layer)
    {
        var id = layer.Collection.Id;
        var title = layer.Collection.Title;
        paths[$"/collections/{id}/tiles"] = Get($"getTileSetsList_{id}", $"{title}: vector tilesets", Json("TileSets"));
        paths[$"/collections/{id}/tiles/{{tileMatrixSetId}}"] = Get(
            $"getTileSet_{id}", $"{title}: vector tileset", Json("TileSet"), new JsonArray(PathParameter("tileMatrixSetId", WebMercatorQuad.Id)));
        var tileParameters = new JsonArray(
            PathParameter("tileMatrixSetId", WebMercatorQuad.Id),
            PathParameter("tileMatrix", null, $"Zoom level, {layer.MinZoom} to {layer.MaxZoom}"),
            PathParameter("tileRow", null, "Row, 0 at the top"),
            PathParameter("tileCol", null, "Column, 0 at the left"),
            Parameter("datetime", "The twin as of this instant or date (feature validity). Default: now.", new JsonObject { ["type"] = "string" }),
            Parameter("f", "Encoding; mvt is the one served.", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("mvt") }));
        var tile = Get($"getTile_{id}", $"{title}: a Mapbox Vector Tile with one layer '{id}'", new JsonObject
        {
            ["200"] = new JsonObject
            {
                ["description"] = "The tile",
                ["content"] = new JsonObject { [TileEndpoints.MvtMediaType] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string", ["format"] = "binary" } } },
            },
            ["204"] = new JsonObject { ["description"] = "The tile is empty" },
            ["304"] = new JsonObject { ["description"] = "The tile has not changed since the ETag sent in If-None-Match" },
        }, tileParameters);
        paths[$"/collections/{id}/tiles/{{tileMatrixSetId}}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}"] = tile;
    }

    private static JsonObject PathParameter(string name, string? only, string? description = null)
    {
        var schema = only is null ? new JsonObject { ["type"] = "integer", ["minimum"] = 0 } : new JsonObject { ["type"] = "string", ["enum"] = new JsonArray(only) };
        var parameter = new JsonObject { ["name"] = name, ["in"] = "path", ["required"] = true, ["schema"] = schema };
        if (description is not null)
        {
            parameter["description"] = description;
        }

        return parameter;
    }

    private static JsonObject Get(string operationId, string summary, JsonObject responses, JsonArray? parameters = null)
    {
        responses["400"] = Problem("Invalid or unknown query parameter");
        responses["404"] = Problem("Not found");
        var operation = new JsonObject { ["operationId"] = operationId, ["summary"] = summary, ["responses"] = responses };
        if (parameters is not null)
        {
            operation["parameters"] = parameters;
        }

        return new JsonObject { ["get"] = operation };
    }

    private static JsonObject Json(string schema) => Response(OgcFormat.Json, schema);

    private static JsonObject GeoJson(string schema) => Response(OgcFormat.GeoJson, schema);

    private static JsonObject Response(string mediaType, string schema) => new()
    {
        ["200"] = new JsonObject
        {
            ["description"] = "OK",
            ["content"] = new JsonObject { [mediaType] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = $"#/components/schemas/{schema}" } } },
        },
    };

    private static JsonObject Problem(string description) => new()
    {
        ["description"] = description,
        ["content"] = new JsonObject { ["application/problem+json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/Problem" } } },
    };

    private static JsonObject Ref(string parameter) => new() { ["$ref"] = $"#/components/parameters/{parameter}" };

    private static JsonObject CrsSchema() => new()
    {
        ["type"] = "string",
        ["format"] = "uri",
        ["enum"] = new JsonArray([.. Crs.Supported.Select(uri => (JsonNode)uri)]),
        ["default"] = Crs.Crs84Uri,
    };

    private static JsonObject Parameter(string name, string description, JsonObject schema, bool explode = true) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["required"] = false,
        ["description"] = description,
        ["schema"] = schema,
        ["style"] = "form",
        ["explode"] = explode,
    };
}
