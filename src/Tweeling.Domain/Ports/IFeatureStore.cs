using NetTopologySuite.Geometries;
using Tweeling.Domain.Features;

namespace Tweeling.Domain.Ports;

/// <summary>Reads the feature store: geographic objects with their validity in time.</summary>
public interface IFeatureStore
{
    /// <summary>One page of the features matching <paramref name="query"/>, and how many match in all.</summary>
    Task<FeaturePage> QueryAsync(FeatureQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// One page of the versions matching <paramref name="query"/> as ids, with how many match in all and
    /// the collection's revision, read from one consistent snapshot. Cheaper than <see cref="QueryAsync"/>
    /// when the caller keeps what it derives from a version for as long as the revision holds.
    /// </summary>
    Task<FeatureVersionPage> QueryVersionsAsync(FeatureQuery query, CancellationToken cancellationToken);

    /// <summary>The stored versions with <paramref name="versionIds"/>, in that order; ids that are not stored are left out.</summary>
    Task<IReadOnlyList<StoredFeature>> LoadVersionsAsync(IReadOnlyList<long> versionIds, CancellationToken cancellationToken);

    /// <summary>The version of feature <paramref name="id"/> valid at <paramref name="asOf"/>, or <c>null</c>.</summary>
    Task<Feature?> FindAsync(string collection, string id, DateTimeOffset asOf, CancellationToken cancellationToken);

    /// <summary>Extent, size and sources of <paramref name="collection"/> over all versions, or <c>null</c> when it is empty.</summary>
    Task<CollectionSummary?> SummarizeAsync(string collection, CancellationToken cancellationToken);

    /// <summary>Whether the store holds no features and no datasets at all.</summary>
    Task<bool> IsEmptyAsync(CancellationToken cancellationToken);
}

/// <summary>What a collection holds, kept current by every committed write.</summary>
/// <param name="Extent">The bounding box of every version, EPSG:28992.</param>
/// <param name="VersionCount">How many feature versions it holds.</param>
/// <param name="DatasetIds">The datasets its features come from, ordered by id.</param>
public sealed record CollectionSummary(Envelope Extent, long VersionCount, IReadOnlyList<string> DatasetIds);
