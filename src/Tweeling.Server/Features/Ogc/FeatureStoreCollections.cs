using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Features;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.Ogc;

/// <summary>
/// The collections the feature store holds (every one but <c>sensoren</c>): versioned features in RD
/// New, read through the store's R*Tree for a bbox, and served from <see cref="FeatureJsonCache"/>.
/// </summary>
internal sealed class FeatureStoreCollections(IFeatureStore features, CrsTransformer crs, FeatureJsonCache cache) : ICollectionSource
{
    /// <summary>
    /// The part of CRS84 where RD New is meaningful: its EPSG area of use (3.2–7.22°E, 50.75–53.7°N)
    /// with a margin. A bbox is cut to it before it is projected, since the oblique stereographic
    /// projection of a point on the far side of the globe is meaningless.
    /// </summary>
    private static readonly Envelope s_rdNewAreaOfUse = new(1.0, 9.5, 49.5, 55.0);

    public int StorageSrid => Crs.RdNewSrid;

    public string? UnversionedDatetime => null;

    /// <remarks>The store keeps the summary over every version of every dataset, so it does not depend on the caller.</remarks>
    public async Task<CollectionContents?> SummarizeAsync(CollectionDefinition collection, ReadContext context, CancellationToken cancellationToken) =>
        await features.SummarizeAsync(collection.Id, cancellationToken) is { } summary
            ? new CollectionContents(crs.Transform(summary.Extent, Crs.RdNewSrid, Crs.Crs84Srid), summary.DatasetIds)
            : null;

    public async Task<ItemsPage> ItemsAsync(CollectionDefinition collection, ItemsRequest request, ReadContext context, CancellationToken cancellationToken)
    {
        var bbox = request.Bbox;
        if (bbox is not null && request.BboxSrid == Crs.Crs84Srid)
        {
            var usable = bbox.Intersection(s_rdNewAreaOfUse);
            bbox = usable.IsNull ? new Envelope(0, 0, 0, 0) : crs.Transform(usable, Crs.Crs84Srid, Crs.RdNewSrid);
        }

        var query = new FeatureQuery(
            collection.Id,
            request.Time ?? TemporalFilter.At(context.Now),
            bbox,
            request.PropertyEquals,
            request.Limit,
            request.Offset,
            context.ReadableDatasets);
        var page = await features.QueryVersionsAsync(query, cancellationToken);
        var bodies = await FeatureJsonAsync(page, cache.For(collection.Id, request.ResponseSrid, page.Revision), new GeoJsonWriter(crs, request.ResponseSrid), cancellationToken);
        return new ItemsPage(bodies, page.NumberMatched);
    }

    public async Task<(FoundFeature? Feature, ProblemHttpResult? Problem)> FindAsync(
        CollectionDefinition collection, string featureId, FeatureRequest request, ReadContext context, CancellationToken cancellationToken)
    {
        var asOf = context.Now;
        if (request.Time is not null)
        {
            // An instant, a date (its first moment) or an interval (its start) picks one version.
            if (request.Time.Start is not { } start)
            {
                return (null, ProblemType.InvalidParameter.With($"'datetime' on a single feature needs a start instant or date; got '{request.DatetimeText}'."));
            }

            asOf = start;
        }

        var feature = await features.FindAsync(collection.Id, featureId, asOf, cancellationToken);
        if (feature is null || !context.ReadableDatasets.Contains(feature.DatasetId))
        {
            return (null, ProblemType.NotFound.With($"Collection '{collection.Id}' has no feature '{featureId}' valid at {asOf:O}."));
        }

        var writer = new GeoJsonWriter(crs, request.ResponseSrid);
        return (new FoundFeature(feature.Id, json => writer.WriteFeature(json, feature)), null);
    }

    /// <summary>The GeoJSON of each version of the page, from the cache where it holds them, else decoded and written once.</summary>
    private async Task<List<byte[]>> FeatureJsonAsync(
        FeatureVersionPage page, FeatureJsonCache.Generation cached, GeoJsonWriter writer, CancellationToken cancellationToken)
    {
        var bodies = new Dictionary<long, byte[]>(page.VersionIds.Count);
        var missing = new List<long>();
        foreach (var id in page.VersionIds)
        {
            if (cached.TryGet(id, out var json))
            {
                bodies[id] = json;
            }
            else
            {
                missing.Add(id);
            }
        }

        foreach (var version in await features.LoadVersionsAsync(missing, cancellationToken))
        {
            var json = writer.ToJson(version.Feature);
            cached.Add(version.VersionId, json);
            bodies[version.VersionId] = json;
        }

        return [.. page.VersionIds.Where(bodies.ContainsKey).Select(id => bodies[id])];
    }
}
