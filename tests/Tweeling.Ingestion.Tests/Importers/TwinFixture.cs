using System.Globalization;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Tweeling.Domain.Features;
using Tweeling.Ingestion.Importers;
using Tweeling.Storage.Sqlite;
using Tweeling.TestSupport;
using ImporterRegistry = Tweeling.Ingestion.Importers.Importers;

namespace Tweeling.Ingestion.Tests.Importers;

/// <summary>A real SQLite twin store in a temporary folder, with an import context on a fixed clock.</summary>
internal sealed class TwinFixture : IAsyncDisposable
{
    private readonly TempDirectory _directory;

    private TwinFixture(TempDirectory directory, SqliteTwinStore store)
    {
        _directory = directory;
        Store = store;
        Context = new ImportContext(store, store, ImportTestKit.Crs, Clock);
    }

    public SqliteTwinStore Store { get; }

    public FakeTimeProvider Clock { get; } = new(ImportTestKit.Now);

    public ImportContext Context { get; }

    public static async Task<TwinFixture> CreateAsync()
    {
        var directory = new TempDirectory();
        var store = await SqliteTwinStore.OpenAsync(directory.File("twin.db"), ImportTestKit.GeometryServices, TestContext.Current.CancellationToken);
        return new TwinFixture(directory, store);
    }

    public Task<ImportResult> ImportAsync(string kind, string path, DateTimeOffset? validFrom = null) =>
        ImporterRegistry.Find(kind)!.ImportAsync(new ImportRequest(path, validFrom), Context, TestContext.Current.CancellationToken);

    /// <summary>
    /// Everything a reader can see: datasets, indicator definitions, every version of every feature in
    /// every collection, and the indicator values of all those areas. Two equal snapshots mean the store
    /// is unchanged.
    /// </summary>
    public async Task<string> SnapshotAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var text = new StringBuilder();
        foreach (var dataset in await ((Domain.Ports.ICatalog)Store).ListAsync(ct))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"dataset {dataset.Id} {dataset.Lineage}");
        }

        foreach (var definition in await ((Domain.Ports.IIndicatorStore)Store).ListAsync(ct))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"indicator {definition}");
        }

        var areaCodes = new List<string>();
        foreach (var collection in TwinCollections.All)
        {
            var page = await Store.QueryAsync(new FeatureQuery(collection.Id, TemporalFilter.Between(null, null), Limit: 10_000), ct);
            foreach (var feature in page.Items)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"feature {feature.Collection}/{feature.Id} {feature.Validity} {feature.Geometry.AsText()} {string.Join(";", feature.Properties.Select(p => $"{p.Key}={p.Value}"))}");
                areaCodes.Add(feature.Id);
            }
        }

        foreach (var value in await Store.ValuesAsOfAsync(areaCodes, DateOnly.MaxValue, ct))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"value {value}");
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        _directory.Dispose();
    }
}
