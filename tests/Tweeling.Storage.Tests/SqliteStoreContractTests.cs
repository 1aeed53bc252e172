using Tweeling.Storage.Sqlite;
using Tweeling.TestSupport;

namespace Tweeling.Storage.Tests;

/// <summary>The storage contract against a real SQLite file in a temporary folder.</summary>
public sealed class SqliteStoreContractTests : StoreContract, IDisposable
{
    private readonly TempDirectory _directory = new();

    protected override async Task<StoreUnderTest> OpenEmptyStoreAsync() => Wrap(await SqliteTwinStore.OpenAsync(_directory.File("twin.db"), Geometry, Ct));

    protected override async Task<StoreUnderTest> ReopenAsync(StoreUnderTest store)
    {
        await store.Lifetime.DisposeAsync();
        return Wrap(await SqliteTwinStore.OpenAsync(_directory.File("twin.db"), Geometry, Ct));
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_store_that_cannot_be_created_is_refused_with_its_path_and_reason()
    {
        var blocker = _directory.File("not-a-folder");
        await File.WriteAllTextAsync(blocker, "a file where a folder is expected", Ct);

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => SqliteTwinStore.OpenAsync(Path.Combine(blocker, "twin.db"), Geometry, Ct));
        Assert.Contains(Path.Combine(blocker, "twin.db"), error.Message, StringComparison.Ordinal);
    }

    private static StoreUnderTest Wrap(SqliteTwinStore store) => new(store, store, store, store, store);
}
