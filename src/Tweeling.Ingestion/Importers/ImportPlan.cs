using Tweeling.Domain.Catalog;
using Tweeling.Domain.Features;
using Tweeling.Domain.Indicators;
using Tweeling.Domain.Ports;

namespace Tweeling.Ingestion.Importers;

/// <summary>An area code an indicator file refers to, and the line that does, to be checked against the store.</summary>
/// <param name="Code">The CBS area code (GM…, WK…, BU…).</param>
/// <param name="Line">The 1-based line of the file.</param>
/// <param name="AsOf">The instant at which the area must exist.</param>
internal sealed record AreaReference(string Code, int Line, DateTimeOffset AsOf);

/// <summary>
/// Everything one file yields, read and validated but not yet written. Keeping the parse step separate
/// from the write makes "validate the whole file first" structural, and lets tests check parsing alone.
/// </summary>
internal sealed record ImportPlan(
    string FilePath,
    Dataset Dataset,
    IReadOnlyList<Feature> Features,
    IReadOnlyList<IndicatorDefinition> Indicators,
    IReadOnlyList<IndicatorValue> Values,
    IReadOnlyList<AreaReference> AreaReferences,
    int Skipped)
{
    /// <summary>The collections an area code prefix refers to.</summary>
    public static string? CollectionOfAreaCode(string code) =>
        code.Length < 2 ? null : code[..2] switch
        {
            "GM" => TwinCollections.Gemeenten,
            "WK" => TwinCollections.Wijken,
            "BU" => TwinCollections.Buurten,
            _ => null,
        };

    /// <summary>
    /// Runs an import: reports that reading starts, lets <paramref name="parse"/> read and check the whole
    /// file into a plan, then writes the plan in one transaction. Any <see cref="ImportException"/> comes
    /// out of the returned task, before anything is written.
    /// </summary>
    public static async Task<ImportResult> RunAsync(ImportContext context, Func<ImportPlan> parse, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        context.Progress?.Report(new ImportProgress("reading", 0, null));
        return await parse().ExecuteAsync(context, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks the area references against the store, then writes everything in one transaction. The
    /// transaction is disposed uncommitted on any failure, which discards what it wrote.
    /// </summary>
    public async Task<ImportResult> ExecuteAsync(ImportContext context, CancellationToken ct)
    {
        await CheckAreasAsync(context, ct).ConfigureAwait(false);

        var total = Features.Count + Values.Count;
        context.Progress?.Report(new ImportProgress("writing", 0, total));
        var transaction = await context.Writer.BeginAsync(ct).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            try
            {
                await transaction.PutDatasetAsync(Dataset, ct).ConfigureAwait(false);
                if (Features.Count > 0)
                {
                    await transaction.AddFeaturesAsync(Features, ct).ConfigureAwait(false);
                }

                if (Indicators.Count > 0)
                {
                    await transaction.PutIndicatorsAsync(Indicators, ct).ConfigureAwait(false);
                }

                if (Values.Count > 0)
                {
                    await transaction.PutIndicatorValuesAsync(Values, ct).ConfigureAwait(false);
                }
            }
            catch (DuplicateFeatureException e)
            {
                throw new ImportException(
                    FilePath,
                    $"feature '{e.FeatureId}'",
                    $"the store already has a version of this feature in '{e.Collection}' starting at the same instant; pass a later valid-from date to add a new version",
                    e);
            }

            await transaction.CommitAsync(ct).ConfigureAwait(false);
        }

        context.Progress?.Report(new ImportProgress("writing", total, total));
        var perCollection = Features
            .GroupBy(f => f.Collection, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return new ImportResult(Dataset.Id, perCollection, Values.Count, Skipped);
    }

    private async Task CheckAreasAsync(ImportContext context, CancellationToken ct)
    {
        var checkedCodes = new HashSet<(string, DateTimeOffset)>();
        var done = 0;
        foreach (var reference in AreaReferences)
        {
            if (checkedCodes.Add((reference.Code, reference.AsOf)))
            {
                var collection = CollectionOfAreaCode(reference.Code);
                var found = collection is not null
                    && await context.Features.FindAsync(collection, reference.Code, reference.AsOf, ct).ConfigureAwait(false) is not null;
                if (!found)
                {
                    throw new ImportException(
                        FilePath,
                        $"line {reference.Line}",
                        $"unknown area code '{reference.Code}': no gemeente, wijk or buurt with this code is valid on {reference.AsOf:yyyy-MM-dd}; import the areas (cbs-gebieden) first");
                }
            }

            context.Progress?.Report(new ImportProgress("checking", ++done, AreaReferences.Count));
        }
    }
}
