using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;

namespace Tweeling.Benchmarks;

/// <summary>
/// The server the HTTP load benchmarks measure: tweeling.dll in a process of its own (<see cref="OgcBboxBenchmark.StartServer"/>)
/// on a free loopback port over the benchmark's store, with one HTTP client of as many connections as the load has
/// clients (kept open, no decompression: what is measured is the server's answer), returned once <c>/healthz</c> answers.
/// Disposing it kills the server and deletes the store.
/// </summary>
internal sealed class ServerUnderLoad : IAsyncDisposable
{
    private readonly string _storePath;

    private ServerUnderLoad(Process process, HttpClient http, string storePath)
    {
        Process = process;
        Http = http;
        _storePath = storePath;
    }

    public Process Process { get; }

    public HttpClient Http { get; }

    public static async Task<ServerUnderLoad> StartAsync(string storePath, int clients, TimeSpan requestTimeout, CancellationToken ct)
    {
        var address = new Uri($"http://127.0.0.1:{OgcBboxBenchmark.FreePort()}");
        var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = clients,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
        })
        { BaseAddress = address, Timeout = requestTimeout };
        var server = new ServerUnderLoad(OgcBboxBenchmark.StartServer(storePath, address), http, storePath);
        try
        {
            await OgcBboxBenchmark.WaitUntilHealthyAsync(http, server.Process, ct);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync(CancellationToken.None);
        }

        Process.Dispose();
        // The benchmark's own connections to the store (a writer beside the server, the seeding) hold its files open.
        SqliteConnection.ClearAllPools();
        ImportBenchmark.DeleteDatabase(_storePath);
    }
}
