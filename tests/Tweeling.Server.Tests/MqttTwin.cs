using Microsoft.AspNetCore.Builder;
using Tweeling.Server.Hosting;
using Tweeling.Storage.Sqlite;
using Tweeling.TestSupport;

namespace Tweeling.Server.Tests;

/// <summary>
/// A server whose MQTT side the test chooses — the embedded broker on a port of its own, or the bridge to an external
/// broker — over a SQLite file of its own, which the test may fill before the server starts and which outlives a
/// restart. The test classes that speak MQTT to a server start, restart and stop it here, so they do it alike
/// (<see cref="TwinServer"/> serves the tests that need HTTP only).
/// </summary>
internal sealed class MqttTwin : IAsyncDisposable
{
    private readonly TempDirectory _directory;
    private WebApplication? _app;

    private MqttTwin(TempDirectory directory, SqliteTwinStore store)
    {
        _directory = directory;
        Store = store;
    }

    public SqliteTwinStore Store { get; }

    /// <summary>The running server's services.</summary>
    public IServiceProvider Services => (_app ?? throw new InvalidOperationException("the server is not running")).Services;

    /// <summary>Opens a fresh store in a directory of its own; no server runs yet.</summary>
    public static async Task<MqttTwin> OpenAsync(CancellationToken cancellationToken)
    {
        var directory = new TempDirectory();
        return new MqttTwin(directory, await SqliteTwinStore.OpenAsync(directory.File("twin.db"), TwinHost.GeometryServices, cancellationToken));
    }

    /// <summary>
    /// Starts the server at <paramref name="url"/> with <paramref name="mqtt"/>, without the demo feed, with
    /// <paramref name="settings"/> (<see cref="TwinServer.OpenUnlabelledSensors"/> when <c>null</c>); a server already
    /// running is stopped first, so a second call restarts it over the same store.
    /// </summary>
    public async Task StartAsync(string url, TimeProvider time, MqttSettings mqtt, IReadOnlyDictionary<string, string?>? settings, CancellationToken cancellationToken)
    {
        await StopAsync();
        _app = TwinHost.Build(Store, url, time, mqtt, demoFeed: false, settings: settings ?? TwinServer.OpenUnlabelledSensors);
        await _app.StartAsync(cancellationToken);
    }

    /// <summary>Stops the server, if it runs, and lets go of it; the store stays open.</summary>
    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await Store.DisposeAsync();
        _directory.Dispose();
    }
}
