using Tweeling.Domain.Audit;
using Tweeling.Domain.Catalog;
using Tweeling.Domain.Features;
using Tweeling.Domain.Indicators;

namespace Tweeling.Domain.Ports;

/// <summary>Starts all-or-nothing writes to the twin's store.</summary>
public interface ITwinWriter
{
    /// <summary>Begins a write transaction. Nothing it writes is visible to readers before <see cref="IWriteTransaction.CommitAsync"/>.</summary>
    Task<IWriteTransaction> BeginAsync(CancellationToken cancellationToken);
}

/// <summary>
/// One all-or-nothing write: an import, a demo city. Disposing it without committing discards
/// everything it wrote, so an importer that fails halfway leaves the store exactly as it was.
/// </summary>
public interface IWriteTransaction : IAsyncDisposable
{
    /// <summary>Adds or replaces a dataset's metadata.</summary>
    Task PutDatasetAsync(Dataset dataset, CancellationToken cancellationToken);

    /// <summary>
    /// Adds new versions of features. A feature whose id already has an open-ended version in the same
    /// collection that began earlier closes that version at the new one's start; a second version with
    /// the same collection, id and start fails with <see cref="DuplicateFeatureException"/>.
    /// </summary>
    Task AddFeaturesAsync(IEnumerable<Feature> features, CancellationToken cancellationToken);

    /// <summary>Adds or replaces indicator definitions.</summary>
    Task PutIndicatorsAsync(IEnumerable<IndicatorDefinition> definitions, CancellationToken cancellationToken);

    /// <summary>Adds or replaces indicator values (keyed on indicator, area and reference date).</summary>
    Task PutIndicatorValuesAsync(IEnumerable<IndicatorValue> values, CancellationToken cancellationToken);

    /// <summary>
    /// Appends <paramref name="entry"/> to the audit log (<see cref="IAuditLog"/>) in this transaction, so the
    /// record is committed with the change it records, or not at all.
    /// </summary>
    Task<AuditRecord> AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Makes everything written visible at once and durable.</summary>
    Task CommitAsync(CancellationToken cancellationToken);
}

/// <summary>A write tried to add a second version of a feature with the same collection, id and start.</summary>
public sealed class DuplicateFeatureException(string collection, string id, DateTimeOffset from)
    : Exception($"Feature '{id}' in collection '{collection}' already has a version starting at {from:O}.")
{
    /// <summary>The collection.</summary>
    public string Collection { get; } = collection;

    /// <summary>The duplicated feature id.</summary>
    public string FeatureId { get; } = id;
}
