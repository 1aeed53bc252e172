using NetTopologySuite;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Storage.Sqlite;
using Tweeling.TestSupport;

namespace Tweeling.Storage.Tests;

/// <summary>The scenario storage contract against a real SQLite file in a temporary folder.</summary>
public sealed class SqliteScenarioStoreContractTests : ScenarioStoreContract, IDisposable
{
    private static readonly NtsGeometryServices s_geometry = new(PrecisionModel.Floating.Value, Crs.RdNewSrid);
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    protected override async Task<(IScenarioStore Scenarios, IAuditLog Audit, IAsyncDisposable Lifetime)> OpenEmptyStoreAsync()
    {
        var store = await SqliteTwinStore.OpenAsync(_directory.File("twin.db"), s_geometry, Ct);
        return (store.Scenarios, store.Audit, store);
    }

    protected override async Task<(IScenarioStore Scenarios, IAuditLog Audit, IAsyncDisposable Lifetime)> ReopenAsync(IAsyncDisposable lifetime)
    {
        await lifetime.DisposeAsync();
        return await OpenEmptyStoreAsync();
    }
}
