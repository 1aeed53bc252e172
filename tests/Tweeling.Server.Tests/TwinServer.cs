using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tweeling.Server.Hosting;
using Tweeling.Storage.Sqlite;
using Tweeling.TestSupport;

namespace Tweeling.Server.Tests;

/// <summary>
/// A real Tweeling server on a free loopback port over a real SQLite file, for tests that speak HTTP to
/// it (and for third-party clients such as GDAL). The clock is fixed at <see cref="Now"/>.
/// </summary>
public sealed class TwinServer : IAsyncDisposable
{
    public static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory;
    private readonly WebApplication _app;

    private TwinServer(TempDirectory directory, SqliteTwinStore store, WebApplication app, Uri address, FakeTimeProvider time)
    {
        Time = time;
        _directory = directory;
        Store = store;
        _app = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
    }

    public SqliteTwinStore Store { get; }

    /// <summary>The server's clock, fixed at <see cref="Now"/> until a test advances it.</summary>
    public FakeTimeProvider Time { get; }

    public Uri Address { get; }

    /// <summary>The application's services: its endpoints, buses and stores.</summary>
    public IServiceProvider Services => _app.Services;

    public HttpClient Client { get; }

    /// <summary>
    /// Settings for the SensorThings protocol suites: their seeds and requests make Things without a catalog
    /// dataset and read them as <c>publiek</c>, so unlabelled sensor data is open here. The access tests start
    /// with <see cref="ProductionAccess"/>, where it is internal.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string?> OpenUnlabelledSensors =
        new Dictionary<string, string?> { ["Tweeling:Access:UnlabelledSensors"] = "Open" };

    /// <summary>The access settings a server starts with when nothing is configured.</summary>
    public static readonly IReadOnlyDictionary<string, string?> ProductionAccess = new Dictionary<string, string?>();

    /// <summary>
    /// Starts a server over a fresh store that <paramref name="seed"/> fills first, configured with
    /// <paramref name="settings"/> (by default <see cref="OpenUnlabelledSensors"/>).
    /// </summary>
    public static async Task<TwinServer> StartAsync(Func<SqliteTwinStore, Task> seed, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var directory = new TempDirectory();
        var store = await SqliteTwinStore.OpenAsync(directory.File("twin.db"), TwinHost.GeometryServices, CancellationToken.None);
        await seed(store);
        var time = new FakeTimeProvider(Now);
        var app = TwinHost.Build(store, "http://127.0.0.1:0", time, settings: settings ?? OpenUnlabelledSensors);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new TwinServer(directory, store, app, new Uri(address), time);
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"GET {path} gave {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Store.DisposeAsync();
        _directory.Dispose();
    }
}
