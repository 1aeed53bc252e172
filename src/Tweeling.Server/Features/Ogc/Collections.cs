using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Features;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Server.Hosting;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.Ogc;

/// <summary><c>GET /ogc/collections</c> and <c>GET /ogc/collections/{collectionId}</c>: collection metadata.</summary>
internal static class Collections
{
    public static async Task<Results<JsonHttpResult<object>, ProblemHttpResult>> List(
        HttpContext http, CollectionSources sources, ICatalog catalog, ReadAccess access, TimeProvider time, CancellationToken cancellationToken)
    {
        if (OgcFormat.CheckOnly(http.Request.Query) is { } problem)
        {
            return problem;
        }

        var root = OgcLinks.Base(http.Request);
        var synthetic = await SyntheticDatasetsAsync(catalog, cancellationToken);
        var context = await ReadContext.OfAsync(http, access, time, cancellationToken);
        var collections = new List<object>();
        foreach (var definition in TwinCollections.All)
        {
            var source = sources.SourceOf(definition);
            collections.Add(Describe(root, definition, source, await source.SummarizeAsync(definition, context, cancellationToken), synthetic));
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
        string collectionId, HttpContext http, CollectionSources sources, ICatalog catalog, ReadAccess access, TimeProvider time, CancellationToken cancellationToken)
    {
        if (sources.Find(collectionId) is not var (definition, source))
        {
            return ProblemType.NotFound.With($"There is no collection '{collectionId}'.");
        }

        if (OgcFormat.CheckOnly(http.Request.Query) is { } problem)
        {
            return problem;
        }

        var context = await ReadContext.OfAsync(http, access, time, cancellationToken);
        var contents = await source.SummarizeAsync(definition, context, cancellationToken);
        var synthetic = await SyntheticDatasetsAsync(catalog, cancellationToken);
        return TypedResults.Json(Describe(OgcLinks.Base(http.Request), definition, source, contents, synthetic), contentType: OgcFormat.Json);
    }

    private static async Task<HashSet<string>> SyntheticDatasetsAsync(ICatalog catalog, CancellationToken cancellationToken) =>
        (await catalog.ListAsync(cancellationToken)).Where(d => d.IsSynthetic).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);

    private static object Describe(string root, CollectionDefinition definition, ICollectionSource source, CollectionContents? contents, HashSet<string> synthetic)
    {
        var self = $"{root}/collections/{definition.Id}";
        var isSynthetic = contents?.DatasetIds.Any(synthetic.Contains) ?? false;
        var description = isSynthetic ? definition.Description + " Synthetische gegevens (demostad): geen echte situatie." : definition.Description;

        // An empty collection has no extent of its own; the Netherlands' CRS84 bounds stand in for it.
        var extent = contents?.Crs84Extent ?? new Envelope(3.2, 7.3, 50.7, 53.6);
        object[] links =
        [
            OgcLinks.Link(self, "self", OgcFormat.Json, definition.Title),
            OgcLinks.Link($"{self}/items", "items", OgcFormat.GeoJson, definition.Title + " (GeoJSON)"),
            OgcLinks.Link($"{self}/queryables", "http://www.opengis.net/def/rel/ogc/1.0/queryables", "application/schema+json", "Queryables"),
            .. Tiles.TileLayers.Find(definition.Id) is null
                ? Array.Empty<object>()
                : [OgcLinks.Link($"{self}/tiles", "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector", OgcFormat.Json, definition.Title + " (vector tiles)")],
        ];
        return new
        {
            id = definition.Id,
            title = definition.Title,
            description,
            itemType = "feature",
            synthetisch = isSynthetic,
            datasets = contents?.DatasetIds ?? [],
            extent = new
            {
                spatial = new
                {
                    bbox = new[] { new[] { Math.Round(extent.MinX, 7), Math.Round(extent.MinY, 7), Math.Round(extent.MaxX, 7), Math.Round(extent.MaxY, 7) } },
                    crs = Crs.Crs84Uri,
                },
            },
            crs = Crs.Supported,
            storageCrs = Crs.UriOf(source.StorageSrid),
            links,
        };
    }
}
