using NetTopologySuite.Geometries;
using Tweeling.Domain.Features;

namespace Tweeling.Domain.Ports;

/// <summary>Reads the feature store: geographic objects with their validity in time.</summary>
public interface IFeatureStore
{
    /// <summary>One page of the features matching <paramref name="query"/>, and how many match in all.</summary>
    Task<FeaturePage> QueryAsync(FeatureQuery query, CancellationToken cancellationToken);

    /// <summary>The version of feature <paramref name="id"/> valid at <paramref name="asOf"/>, or <c>null</c>.</summary>
    Task<Feature?> FindAsync(string collection, string id, DateTimeOffset asOf, CancellationToken cancellationToken);

    /// <summary>The bounding box (EPSG:28992) of every version in <paramref name="collection"/>, or <c>null</c> when it is empty.</summary>
    Task<Envelope?> ExtentAsync(string collection, CancellationToken cancellationToken);

    /// <summary>Whether the store holds no features and no datasets at all.</summary>
    Task<bool> IsEmptyAsync(CancellationToken cancellationToken);
}
