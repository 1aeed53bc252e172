using Tweeling.Storage.Sqlite;
using Tweeling.TestSupport;

namespace Tweeling.Storage.Tests;

/// <summary>The SensorThings storage contract against a real SQLite file in a temporary folder.</summary>
public sealed class SqliteSensorStoreContractTests : SensorStoreContract, IDisposable
{
    private readonly TempDirectory _directory = new();

    protected override async Task<SensorStoreUnderTest> OpenEmptyStoreAsync() => Wrap(await SqliteTwinStore.OpenAsync(_directory.File("twin.db"), GeometryServices, Ct));

    protected override async Task<SensorStoreUnderTest> ReopenAsync(SensorStoreUnderTest store)
    {
        await store.Lifetime.DisposeAsync();
        return Wrap(await SqliteTwinStore.OpenAsync(_directory.File("twin.db"), GeometryServices, Ct));
    }

    public void Dispose() => _directory.Dispose();

    private static SensorStoreUnderTest Wrap(SqliteTwinStore store) => new(store.Sensors, store.Sensors, store);
}
