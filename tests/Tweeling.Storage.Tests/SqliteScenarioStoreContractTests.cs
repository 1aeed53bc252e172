using NetTopologySuite;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Geo;
using Tweeling.Storage.Sqlite;
using Tweeling.TestSupport;

namespace Tweeling.Storage.Tests;

/// <summary>The scenario storage contract against a real SQLite file in a temporary folder.</summary>
public sealed class SqliteScenarioStoreContractTests : ScenarioStoreContract, IDisposable
{
    private static readonly NtsGeometryServices s_geometry = new(PrecisionModel.Floating.Value, Crs.RdNewSrid);
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    protected override async Task<ScenarioStoreUnderTest> OpenEmptyStoreAsync()
    {
        var store = await SqliteTwinStore.OpenAsync(_directory.File("twin.db"), s_geometry, Ct);
        return new(store.Scenarios, store.Audit, store);
    }

    protected override async Task<ScenarioStoreUnderTest> ReopenAsync(ScenarioStoreUnderTest store)
    {
        await store.Lifetime.DisposeAsync();
        return await OpenEmptyStoreAsync();
    }
}
