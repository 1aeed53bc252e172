using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;

namespace Tweeling.Ingestion.Importers;

/// <summary>
/// Reads one kind of source file into the twin (<c>tweeling import &lt;kind&gt; &lt;file&gt;</c>).
/// </summary>
/// <remarks>
/// An import is all-or-nothing: the whole file is read and validated first, then everything is written
/// through one <see cref="IWriteTransaction"/> and committed. Any problem throws
/// <see cref="ImportException"/> before the commit, so the store stays exactly as it was.
/// </remarks>
public interface IImporter
{
    /// <summary>The kind name used on the command line, e.g. <c>cbs-gebieden</c>.</summary>
    string Kind { get; }

    /// <summary>One line for <c>tweeling import --help</c>: which files this kind accepts.</summary>
    string Description { get; }

    /// <summary>Imports <see cref="ImportRequest.FilePath"/>; throws <see cref="ImportException"/> for a bad file.</summary>
    Task<ImportResult> ImportAsync(ImportRequest request, ImportContext context, CancellationToken ct);
}

/// <summary>What to import.</summary>
/// <param name="FilePath">The source file.</param>
/// <param name="ValidFrom">
/// When the imported features begin to be valid, or the reference date of imported indicator values.
/// When <c>null</c>, each importer takes it from the file (documented per kind), else from the clock.
/// </param>
/// <param name="DatasetId">The catalog id to register the data under; when <c>null</c>, derived from the kind and file name.</param>
public sealed record ImportRequest(string FilePath, DateTimeOffset? ValidFrom = null, string? DatasetId = null);

/// <summary>The store and services an import works with.</summary>
/// <param name="Features">Reads existing features, e.g. to check that indicator area codes exist.</param>
/// <param name="Writer">Starts the one write transaction of the import.</param>
/// <param name="Crs">Transforms input geometry to the storage CRS, RD New (EPSG:28992).</param>
/// <param name="Time">The clock, for dataset modification times and validity when the file names no date.</param>
/// <param name="Progress">Receives progress reports for long imports; may be <c>null</c>.</param>
public sealed record ImportContext(
    IFeatureStore Features,
    ITwinWriter Writer,
    CrsTransformer Crs,
    TimeProvider Time,
    IProgress<ImportProgress>? Progress = null);

/// <summary>What an import wrote.</summary>
/// <param name="DatasetId">The catalog dataset it registered.</param>
/// <param name="FeaturesPerCollection">How many features it added, per collection id.</param>
/// <param name="IndicatorValues">How many indicator values it wrote (suppressed values included, as <c>null</c>).</param>
/// <param name="Skipped">How many source records it passed over because they map to nothing in the twin (e.g. an OSM bench).</param>
public sealed record ImportResult(
    string DatasetId,
    IReadOnlyDictionary<string, int> FeaturesPerCollection,
    int IndicatorValues,
    int Skipped);

/// <summary>A progress report of a running import.</summary>
/// <param name="Stage">What is happening: <c>reading</c>, <c>checking</c> or <c>writing</c>.</param>
/// <param name="Done">Items done in this stage.</param>
/// <param name="Total">Items in this stage, when known.</param>
public sealed record ImportProgress(string Stage, int Done, int? Total);
