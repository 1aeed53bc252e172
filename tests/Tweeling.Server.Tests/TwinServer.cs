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

    private TwinServer(TempDirectory directory, SqliteTwinStore store, WebApplication app, Uri address, FakeTimeProvider time, HttpMessageHandler? handler)
    {
        Time = time;
        _directory = directory;
        Store = store;
        _app = app;
        Address = address;
        Client = handler is null ? new HttpClient { BaseAddress = address } : new HttpClient(handler) { BaseAddress = address };
    }

    public SqliteTwinStore Store { get; }

    /// <summary>The server's clock, fixed at <see cref="Now"/> until a test advances it.</summary>
    public FakeTimeProvider Time { get; }

    public Uri Address { get; }

    public HttpClient Client { get; }

    /// <summary>Starts a server over a fresh store that <paramref name="seed"/> fills first.</summary>
    public static Task<TwinServer> StartAsync(Func<SqliteTwinStore, Task> seed) => StartAsync(seed, settings: null);

    /// <summary>
    /// Starts a server over a fresh store that <paramref name="seed"/> fills first, with configuration
    /// <paramref name="settings"/> (e.g. limits), on <paramref name="scheme"/> (https needs a certificate in the settings).
    /// </summary>
    public static async Task<TwinServer> StartAsync(Func<SqliteTwinStore, Task> seed, IReadOnlyDictionary<string, string?>? settings, string scheme = "http", HttpMessageHandler? handler = null)
    {
        var directory = new TempDirectory();
        var store = await SqliteTwinStore.OpenAsync(directory.File("twin.db"), TwinHost.GeometryServices, CancellationToken.None);
        await seed(store);
        var time = new FakeTimeProvider(Now);
        var app = TwinHost.Build(store, $"{scheme}://127.0.0.1:0", time, settings: WithTestRates(settings));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new TwinServer(directory, store, app, new Uri(address), time, handler);
    }

    /// <summary>
    /// Tests send thousands of requests from one loopback address within seconds (GDAL paging a collection,
    /// filter matrices), far above the production rate limits; the rate-limit tests set their own.
    /// </summary>
    private static Dictionary<string, string?> WithTestRates(IReadOnlyDictionary<string, string?>? settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Tweeling:Limits:AnonymousPerMinute"] = "6000000",
            ["Tweeling:Limits:AnonymousBurst"] = "1000000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return all;
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
