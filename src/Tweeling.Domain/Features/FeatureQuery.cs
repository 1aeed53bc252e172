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
