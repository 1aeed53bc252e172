namespace Tweeling.Storage.Tests;

/// <summary>The ports of a backend under test, with what closes them.</summary>
public interface IStoreUnderTest
{
    IAsyncDisposable Lifetime { get; }
}

/// <summary>
/// The frame every storage contract shares: each test gets a fresh, empty store of the backend under test, closed after
/// it, and may close and reopen it as a restarted server would. A backend's test class says how to open and reopen.
/// </summary>
public abstract class BackendContract<TStore> : IAsyncLifetime
    where TStore : class, IStoreUnderTest
{
    private TStore? _store;

    protected TStore Store => _store ?? throw new InvalidOperationException("The store is not open.");

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Opens a fresh, empty store of the backend under test.</summary>
    protected abstract Task<TStore> OpenEmptyStoreAsync();

    /// <summary>Closes <paramref name="store"/> and opens the same one again, as a restarted server would.</summary>
    protected abstract Task<TStore> ReopenAsync(TStore store);

    /// <summary>Closes the test's store and opens it again.</summary>
    protected async Task ReopenAsync() => _store = await ReopenAsync(Store);

    public async ValueTask InitializeAsync() => _store = await OpenEmptyStoreAsync();

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.Lifetime.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
