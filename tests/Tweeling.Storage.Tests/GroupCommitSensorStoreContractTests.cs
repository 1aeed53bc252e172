using Tweeling.Storage.Sqlite;
using Tweeling.TestSupport;

namespace Tweeling.Storage.Tests;

/// <summary>
/// The SensorThings storage contract with group commit in front of the SQLite observation store, as the
/// server runs it: grouping must change nothing a single caller can see.
/// </summary>
public sealed class GroupCommitSensorStoreContractTests : SensorStoreContract, IDisposable
{
    private readonly TempDirectory _directory = new();

    protected override async Task<SensorStoreUnderTest> OpenEmptyStoreAsync() => Wrap(await SqliteTwinStore.OpenAsync(_directory.File("twin.db"), GeometryServices, Ct));

    protected override async Task<SensorStoreUnderTest> ReopenAsync(SensorStoreUnderTest store)
    {
        await store.Lifetime.DisposeAsync();
        return Wrap(await SqliteTwinStore.OpenAsync(_directory.File("twin.db"), GeometryServices, Ct));
    }

    public void Dispose() => _directory.Dispose();

    private static SensorStoreUnderTest Wrap(SqliteTwinStore store)
    {
        var observations = new GroupCommitObservationStore(store.Sensors);
        return new(store.Sensors, observations, new Lifetime(observations, store));
    }

    /// <summary>Stops the writer (committing what is queued) before the store closes.</summary>
    private sealed class Lifetime(GroupCommitObservationStore observations, SqliteTwinStore store) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await observations.DisposeAsync();
            await store.DisposeAsync();
        }
    }
}
