using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tweeling.Domain.Identity;
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

    private TwinServer(TempDirectory directory, SqliteTwinStore store, WebApplication app, Uri address, FakeTimeProvider time, HttpClient writer, HttpMessageHandler? handler)
    {
        Time = time;
        _directory = directory;
        Store = store;
        _app = app;
        Address = address;
        Client = handler is null ? new HttpClient { BaseAddress = address } : new HttpClient(handler) { BaseAddress = address };
        Writer = writer;
    }

    public SqliteTwinStore Store { get; }

    /// <summary>The server's clock, fixed at <see cref="Now"/> until a test advances it.</summary>
    public FakeTimeProvider Time { get; }

    public Uri Address { get; }

    /// <summary>The application's services: its endpoints, buses and stores.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>An anonymous client (role publiek).</summary>
    public HttpClient Client { get; }

    /// <summary>A client signed in with an API token of a <c>medewerker</c>, a role that may write (a sensor partner's).</summary>
    public HttpClient Writer { get; }

    /// <summary>A client signed in with an API token of a new account in <paramref name="role"/>; the caller disposes it.</summary>
    public Task<HttpClient> ClientAsAsync(string role) => SignedInClientAsync(Store, Address, role);

    /// <summary>
    /// Adds an account in <paramref name="role"/> (API name) to <paramref name="store"/>, makes it an API token and
    /// returns a client for <paramref name="address"/> that sends it as <c>Authorization: Bearer</c>.
    /// </summary>
    public static async Task<HttpClient> SignedInClientAsync(SqliteTwinStore store, Uri address, string role)
    {
        var client = new HttpClient { BaseAddress = address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await AccountWithTokenAsync(store, role)).Token);
        return client;
    }

    /// <summary>Adds an account in <paramref name="role"/> (without a password) to <paramref name="store"/>; returns its user name and a new API token of it.</summary>
    public static async Task<(string UserName, string Token)> AccountWithTokenAsync(SqliteTwinStore store, string role)
    {
        var account = Account.Create($"{role}-{Guid.NewGuid():N}"[..40], role, null, Now);
        Assert.True(await store.Identity.AddAccountAsync(account, TestContext.Current.CancellationToken));
        var (token, secret) = ApiToken.Create(account.Id, "tests", Now, null);
        await store.Identity.AddTokenAsync(token, ApiToken.HashOf(secret), TestContext.Current.CancellationToken);
        return (account.UserName, secret);
    }

    /// <summary>
    /// Settings for the SensorThings protocol suites: their seeds and requests make Things without a catalog
    /// dataset and read them as <c>publiek</c>, so unlabelled sensor data is open here. The access tests start
    /// with <see cref="ProductionAccess"/>, where it is internal.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string?> OpenUnlabelledSensors =
        new Dictionary<string, string?> { ["Tweeling:Access:UnlabelledSensors"] = "Open" };

    /// <summary>The access settings a server starts with when nothing is configured.</summary>
    public static readonly IReadOnlyDictionary<string, string?> ProductionAccess = new Dictionary<string, string?>();

    /// <summary>Starts a server over a fresh store that <paramref name="seed"/> fills first, with <see cref="OpenUnlabelledSensors"/>.</summary>
    public static Task<TwinServer> StartAsync(Func<SqliteTwinStore, Task> seed) => StartAsync(seed, settings: null);

    /// <summary>
    /// Starts a server over a fresh store that <paramref name="seed"/> fills first, with configuration
    /// <paramref name="settings"/> (e.g. limits; <see cref="OpenUnlabelledSensors"/> when <c>null</c>), on <paramref name="scheme"/> (https needs a certificate in the settings).
    /// </summary>
    public static async Task<TwinServer> StartAsync(Func<SqliteTwinStore, Task> seed, IReadOnlyDictionary<string, string?>? settings, string scheme = "http", HttpMessageHandler? handler = null)
    {
        var directory = new TempDirectory();
        var store = await SqliteTwinStore.OpenAsync(directory.File("twin.db"), TwinHost.GeometryServices, CancellationToken.None);
        await seed(store);
        var time = new FakeTimeProvider(Now);
        var app = TwinHost.Build(store, $"{scheme}://127.0.0.1:0", time, settings: WithTestRates(settings ?? OpenUnlabelledSensors));
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return new TwinServer(directory, store, app, address, time, await SignedInClientAsync(store, address, "medewerker"), handler);
    }

    /// <summary>
    /// Tests send thousands of requests from one loopback address within seconds (GDAL paging a collection,
    /// filter matrices), far above the production rate limits, and the buckets refill on the server's clock, which
    /// stands still here until a test advances it; the rate-limit tests set their own.
    /// </summary>
    private static Dictionary<string, string?> WithTestRates(IReadOnlyDictionary<string, string?>? settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Tweeling:Limits:AnonymousPerMinute"] = "6000000",
            ["Tweeling:Limits:AnonymousBurst"] = "1000000",
            ["Tweeling:Limits:AuthenticatedPerMinute"] = "6000000",
            ["Tweeling:Limits:AuthenticatedBurst"] = "1000000",
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
        Writer.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Store.DisposeAsync();
        _directory.Dispose();
    }
}
