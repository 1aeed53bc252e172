using NetTopologySuite.Geometries;

namespace Tweeling.Domain.Features;

/// <summary>A read of one collection of the feature store.</summary>
/// <param name="Collection">The collection id.</param>
/// <param name="Time">Which versions: valid at an instant, or overlapping an interval.</param>
/// <param name="Bbox">When set, only features whose geometry's bounding box intersects this box (EPSG:28992).</param>
/// <param name="PropertyEquals">Only features whose property equals the value (all must hold); values as in <see cref="Feature.Properties"/>.</param>
/// <param name="Limit">At most this many features (≥ 1).</param>
/// <param name="Offset">Skip this many matching features first (≥ 0); the order is stable (by insertion).</param>
/// <param name="DatasetIds">When set, only features from these datasets: the ones the access policy lets the caller read.</param>
public sealed record FeatureQuery(
    string Collection,
    TemporalFilter Time,
    Envelope? Bbox = null,
    IReadOnlyDictionary<string, object>? PropertyEquals = null,
    int Limit = 10,
    int Offset = 0,
    IReadOnlySet<string>? DatasetIds = null);

/// <summary>One page of a <see cref="FeatureQuery"/>.</summary>
/// <param name="Items">The features on this page.</param>
/// <param name="NumberMatched">How many features match the query in all.</param>
public sealed record FeaturePage(IReadOnlyList<Feature> Items, long NumberMatched);

/// <summary>
/// One page of a <see cref="FeatureQuery"/> as the ids of the stored versions, in order, with the
/// collection's revision: a number that changes whenever a write to the collection commits, so a
/// reader can keep what it derived from a version (say, its GeoJSON) until the revision moves on.
/// </summary>
/// <param name="VersionIds">The version ids of the page.</param>
/// <param name="NumberMatched">How many versions match the query in all.</param>
/// <param name="Revision">The collection's revision the page was read at.</param>
public sealed record FeatureVersionPage(IReadOnlyList<long> VersionIds, long NumberMatched, long Revision);

/// <summary>A stored version of a feature with the id the store gave it.</summary>
/// <param name="VersionId">The store's id of this version; unique in the store.</param>
/// <param name="Feature">The version.</param>
public sealed record StoredFeature(long VersionId, Feature Feature);
