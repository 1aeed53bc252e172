using Tweeling.Domain.Audit;
using Tweeling.Domain.Catalog;
using Tweeling.Domain.Features;
using Tweeling.Domain.Indicators;
using Tweeling.Domain.Ports;

namespace Tweeling.Governance.Audit;

/// <summary>What one audited twin write changed: the datasets it put and how many features and indicator values it wrote.</summary>
/// <param name="DatasetIds">The ids of the datasets it added or replaced, in order.</param>
/// <param name="Features">Feature versions added.</param>
/// <param name="IndicatorValues">Indicator values added or replaced.</param>
public sealed record TwinWriteSummary(IReadOnlyList<string> DatasetIds, long Features, long IndicatorValues);

/// <summary>
/// An <see cref="ITwinWriter"/> whose every transaction appends one audit record at its commit, inside the
/// transaction: an import or a demo city and its record commit together, or neither does.
/// </summary>
/// <param name="inner">The store's writer.</param>
/// <param name="entry">Makes the record from what the transaction wrote.</param>
public sealed class AuditedTwinWriter(ITwinWriter inner, Func<TwinWriteSummary, AuditEntry> entry) : ITwinWriter
{
    /// <inheritdoc />
    public async Task<IWriteTransaction> BeginAsync(CancellationToken cancellationToken) =>
        new Transaction(await inner.BeginAsync(cancellationToken).ConfigureAwait(false), entry);

    /// <summary>Counts what passes through to the store's transaction.</summary>
    private sealed class Transaction(IWriteTransaction inner, Func<TwinWriteSummary, AuditEntry> entry) : IWriteTransaction
    {
        private readonly List<string> _datasets = [];
        private long _features;
        private long _indicatorValues;

        public Task PutDatasetAsync(Dataset dataset, CancellationToken cancellationToken)
        {
            _datasets.Add(dataset.Id);
            return inner.PutDatasetAsync(dataset, cancellationToken);
        }

        public Task AddFeaturesAsync(IEnumerable<Feature> features, CancellationToken cancellationToken) =>
            inner.AddFeaturesAsync(features.Select(f => { _features++; return f; }), cancellationToken);

        public Task PutIndicatorsAsync(IEnumerable<IndicatorDefinition> definitions, CancellationToken cancellationToken) =>
            inner.PutIndicatorsAsync(definitions, cancellationToken);

        public Task PutIndicatorValuesAsync(IEnumerable<IndicatorValue> values, CancellationToken cancellationToken) =>
            inner.PutIndicatorValuesAsync(values.Select(v => { _indicatorValues++; return v; }), cancellationToken);

        public Task<AuditRecord> AppendAuditAsync(AuditEntry auditEntry, CancellationToken cancellationToken) =>
            inner.AppendAuditAsync(auditEntry, cancellationToken);

        public async Task CommitAsync(CancellationToken cancellationToken)
        {
            await inner.AppendAuditAsync(entry(new TwinWriteSummary([.. _datasets], _features, _indicatorValues)), cancellationToken).ConfigureAwait(false);
            await inner.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
