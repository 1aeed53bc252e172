using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Features;
using Tweeling.Domain.Ports;
using Tweeling.Server.Hosting;

namespace Tweeling.Server.Features.Ogc;

/// <summary>
/// Where the features of a collection come from: its extent and datasets, a page of items, one item.
/// The OGC endpoints parse and check the request, apply the access policy's readable datasets and
/// write the envelope (counts, links); a source answers only for its own storage, so no endpoint
/// needs to know which store a collection lives in.
/// </summary>
internal interface ICollectionSource
{
    /// <summary>The SRID the source keeps geometries in: served in it, they are not transformed.</summary>
    int StorageSrid { get; }

    /// <summary>
    /// What <c>datetime</c> selects on the items, for the API definition; <c>null</c> when the features
    /// have versions, so <c>datetime</c> means validity (the API's common parameter) and also picks the
    /// version of a single item. A source without versions refuses <c>datetime</c> on a single item.
    /// </summary>
    string? UnversionedDatetime { get; }

    /// <summary>The extent and datasets of <paramref name="collection"/>, or <c>null</c> when it holds nothing.</summary>
    Task<CollectionContents?> SummarizeAsync(CollectionDefinition collection, ReadContext context, CancellationToken cancellationToken);

    /// <summary>The page of <paramref name="collection"/> that <paramref name="request"/> asks for, as complete GeoJSON features.</summary>
    Task<ItemsPage> ItemsAsync(CollectionDefinition collection, ItemsRequest request, ReadContext context, CancellationToken cancellationToken);

    /// <summary>The feature <paramref name="featureId"/>, or a problem (404 when it does not exist or may not be read).</summary>
    Task<(FoundFeature? Feature, ProblemHttpResult? Problem)> FindAsync(
        CollectionDefinition collection, string featureId, FeatureRequest request, ReadContext context, CancellationToken cancellationToken);
}

/// <summary>What a read may see, when it happens and where the server answers.</summary>
/// <param name="ReadableDatasets">The datasets the access policy lets the caller read; nothing of another dataset is shown.</param>
/// <param name="Now">The request's time: what "current" means.</param>
/// <param name="SiteRoot">The server's own base address (scheme, host, path base), for links to its other APIs.</param>
/// <param name="Sensors">The sensor data the access policy lets the caller see.</param>
internal sealed record ReadContext(IReadOnlySet<string> ReadableDatasets, DateTimeOffset Now, string SiteRoot, SensorVisibility Sensors)
{
    /// <summary>The context of <paramref name="http"/>'s caller, as the access policy sees them.</summary>
    public static async Task<ReadContext> OfAsync(HttpContext http, ReadAccess access, TimeProvider time, CancellationToken cancellationToken) => new(
        await access.ReadableDatasetsAsync(http, cancellationToken),
        time.GetUtcNow(),
        $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}",
        await access.SensorVisibilityAsync(http, cancellationToken));
}

/// <summary>A collection's contents in brief.</summary>
/// <param name="Crs84Extent">The bounding box of its features, CRS84.</param>
/// <param name="DatasetIds">The datasets its features come from, ordered by id.</param>
internal sealed record CollectionContents(Envelope Crs84Extent, IReadOnlyList<string> DatasetIds);

/// <summary>One page of items.</summary>
/// <param name="Features">Each feature as one complete GeoJSON object, UTF-8, in page order.</param>
/// <param name="NumberMatched">How many features match the request in all.</param>
internal sealed record ItemsPage(IReadOnlyList<byte[]> Features, long NumberMatched);

/// <summary>The validated parameters of <c>/items/{featureId}</c>.</summary>
/// <param name="ResponseSrid">The SRID to serve the geometry in.</param>
/// <param name="Time">The parsed <c>datetime</c>, or <c>null</c> when it is absent.</param>
/// <param name="DatetimeText">The <c>datetime</c> as given, for messages.</param>
internal sealed record FeatureRequest(int ResponseSrid, TemporalFilter? Time, string? DatetimeText);

/// <summary>A feature found by id.</summary>
/// <param name="Id">Its id.</param>
/// <param name="WriteOpen">Writes the feature's members and leaves its object open, so the endpoint can add <c>links</c>.</param>
internal sealed record FoundFeature(string Id, Action<Utf8JsonWriter> WriteOpen);

/// <summary>The source of each collection of <see cref="TwinCollections.All"/>: the one place that says which store serves which collection.</summary>
internal sealed class CollectionSources(FeatureStoreCollections featureStore, SensorCollection sensors)
{
    /// <summary>The collection with <paramref name="id"/> and its source, or <c>null</c> when there is none.</summary>
    public (CollectionDefinition Definition, ICollectionSource Source)? Find(string id) =>
        TwinCollections.Find(id) is { } definition ? (definition, SourceOf(definition)) : null;

    /// <summary>The source of <paramref name="collection"/>.</summary>
    public ICollectionSource SourceOf(CollectionDefinition collection) =>
        collection.Id == TwinCollections.Sensoren ? sensors : featureStore;
}
