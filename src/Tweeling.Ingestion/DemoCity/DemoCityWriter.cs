using Tweeling.Domain.Ports;

namespace Tweeling.Ingestion.DemoCity;

/// <summary>Writes a generated demo city into a write transaction; the caller commits (or disposes to discard).</summary>
public static class DemoCityWriter
{
    /// <summary>
    /// Features are written in chunks of this many, so a store can stream them and the progress bar moves;
    /// a few thousand keeps the per-call overhead small without holding large batches in the store's buffers.
    /// </summary>
    public const int ChunkSize = 5_000;

    /// <summary>Writes datasets, features (in chunks), indicator definitions and values. Does not commit.</summary>
    /// <param name="city">The city to write.</param>
    /// <param name="transaction">The open transaction to write into.</param>
    /// <param name="progress">Receives the stage and the fraction of features written.</param>
    /// <param name="ct">Cancels between chunks (and inside the store's calls).</param>
    public static async Task WriteAsync(DemoCity city, IWriteTransaction transaction, IProgress<DemoProgress>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(city);
        ArgumentNullException.ThrowIfNull(transaction);
        progress?.Report(new DemoProgress("datasets", 0));
        foreach (var dataset in city.Datasets)
        {
            await transaction.PutDatasetAsync(dataset, ct).ConfigureAwait(false);
        }

        var total = city.Features.Count;
        for (var start = 0; start < total; start += ChunkSize)
        {
            ct.ThrowIfCancellationRequested();
            var count = Math.Min(ChunkSize, total - start);
            var chunk = new ArraySegment<Domain.Features.Feature>([.. city.Features.Skip(start).Take(count)]);
            await transaction.AddFeaturesAsync(chunk, ct).ConfigureAwait(false);
            progress?.Report(new DemoProgress(chunk[0].Collection, 0.95 * (start + count) / total));
        }

        progress?.Report(new DemoProgress("indicatoren", 0.95));
        await transaction.PutIndicatorsAsync(city.Indicators, ct).ConfigureAwait(false);
        await transaction.PutIndicatorValuesAsync(city.IndicatorValues, ct).ConfigureAwait(false);
        progress?.Report(new DemoProgress("klaar", 1));
    }
}
