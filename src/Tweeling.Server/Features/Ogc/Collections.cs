using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Features;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.Ogc;

/// <summary><c>GET /ogc/collections</c> and <c>GET /ogc/collections/{collectionId}</c>: collection metadata.</summary>
internal static class Collections
{
    public static async Task<Results<JsonHttpResult<object>, ProblemHttpResult>> List(
        HttpContext http, IFeatureStore features, ICatalog catalog, CrsTransformer crs, CancellationToken cancellationToken)
    {
        if (OgcFormat.CheckOnly(http.Request.Query) is { } problem)
        {
            return problem;
        }

        var root = OgcLinks.Base(http.Request);
        var synthetic = await SyntheticDatasetsAsync(catalog, cancellationToken);
        var collections = new List<object>();
        foreach (var definition in TwinCollections.All)
        {
            collections.Add(Describe(root, definition, await features.SummarizeAsync(definition.Id, cancellationToken), synthetic, crs));
        }

        object body = new
        {
            links = new[] { OgcLinks.Link($"{root}/collections", "self", OgcFormat.Json) },
            crs = Crs.Supported,
            collections,
        };
        return TypedResults.Json(body, contentType: OgcFormat.Json);
    }

    public static async Task<Results<JsonHttpResult<object>, ProblemHttpResult>> Get(
        string collectionId, HttpContext http, IFeatureStore features, ICatalog catalog, CrsTransformer crs, CancellationToken cancellationToken)
    {
        if (TwinCollections.Find(collectionId) is not { } definition)
        {
            return ProblemType.NotFound.With($"There is no collection '{collectionId}'.");
        }

        if (OgcFormat.CheckOnly(http.Request.Query) is { } problem)
        {
            return problem;
        }

        var summary = await features.SummarizeAsync(definition.Id, cancellationToken);
        var synthetic = await SyntheticDatasetsAsync(catalog, cancellationToken);
        return TypedResults.Json(Describe(OgcLinks.Base(http.Request), definition, summary, synthetic, crs), contentType: OgcFormat.Json);
    }

    private static async Task<HashSet<string>> SyntheticDatasetsAsync(ICatalog catalog, CancellationToken cancellationToken) =>
        (await catalog.ListAsync(cancellationToken)).Where(d => d.IsSynthetic).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);

    private static object Describe(string root, CollectionDefinition definition, CollectionSummary? summary, HashSet<string> synthetic, CrsTransformer crs)
    {
        var self = $"{root}/collections/{definition.Id}";
        var isSynthetic = summary?.DatasetIds.Any(synthetic.Contains) ?? false;
        var description = isSynthetic ? definition.Description + " Synthetische gegevens (demostad): geen echte situatie." : definition.Description;

        // An empty collection has no extent of its own; the Netherlands' CRS84 bounds stand in for it.
        var extent = summary is null
            ? new Envelope(3.2, 7.3, 50.7, 53.6)
            : crs.Transform(summary.Extent, Crs.RdNewSrid, Crs.Crs84Srid);
        return new
        {
            id = definition.Id,
            title = definition.Title,
            description,
            itemType = "feature",
            synthetisch = isSynthetic,
            datasets = summary?.DatasetIds ?? [],
            extent = new
            {
                spatial = new
                {
                    bbox = new[] { new[] { Math.Round(extent.MinX, 7), Math.Round(extent.MinY, 7), Math.Round(extent.MaxX, 7), Math.Round(extent.MaxY, 7) } },
                    crs = Crs.Crs84Uri,
                },
            },
            crs = Crs.Supported,
            storageCrs = Crs.RdNewUri,
            links = new[]
            {
                OgcLinks.Link(self, "self", OgcFormat.Json, definition.Title),
                OgcLinks.Link($"{self}/items", "items", OgcFormat.GeoJson, definition.Title + " (GeoJSON)"),
                OgcLinks.Link($"{self}/queryables", "http://www.opengis.net/def/rel/ogc/1.0/queryables", "application/schema+json", "Queryables"),
            },
        };
    }
}
