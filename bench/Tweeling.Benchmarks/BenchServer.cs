using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;

namespace Tweeling.Benchmarks;

/// <summary>
/// The server the benchmarks measure: tweeling.dll in a process of its own (<see cref="StartServer"/>, which the ingest
/// benchmarks also use directly). An instance is the HTTP load benchmarks' server
/// on a free loopback port over the benchmark's store, with one HTTP client of as many connections as the load has
/// clients (kept open, no decompression: what is measured is the server's answer), returned once <c>/healthz</c> answers.
/// Disposing it kills the server and deletes the store.
/// </summary>
internal sealed class BenchServer : IAsyncDisposable
{
    /// <summary>
    /// The event ids of the last piece of the server's start-up work (<c>StartupMemoryRelease</c>, after the tiles, the
    /// search index and the scenario baseline): 4009 ended, 4010 ended but the memory it dropped was not returned, 4011
    /// ended with returning it switched off.
    /// </summary>
    private static readonly string[] s_startUpWorkEnded = ["\"EventId\":4009,", "\"EventId\":4010,", "\"EventId\":4011,"];

    /// <summary>Per started server, done when its start-up work has ended (<see cref="WaitForStartUpWorkAsync"/>).</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Process, TaskCompletionSource> s_startUpWork = [];

    private readonly string _storePath;

    private BenchServer(Process process, HttpClient http, string storePath)
    {
        Process = process;
        Http = http;
        _storePath = storePath;
    }

    public Process Process { get; }

    public HttpClient Http { get; }

    public static async Task<BenchServer> StartAsync(string storePath, int clients, TimeSpan requestTimeout, CancellationToken ct)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = clients,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
        })
        { BaseAddress = address, Timeout = requestTimeout };
        var server = new BenchServer(StartServer(storePath, address), http, storePath);
        try
        {
            await WaitUntilHealthyAsync(http, server.Process, ct);
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

    /// <summary>Starts tweeling.dll <c>serve --no-demo</c> on <paramref name="storePath"/> at <paramref name="address"/>, with the MQTT broker on <paramref name="mqttPort"/> (0: off).</summary>
    internal static Process StartServer(string storePath, Uri address, int mqttPort = 0)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "tweeling.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { dll, "--store", storePath, "serve", "--no-demo", "--mqtt-port", mqttPort.ToString(CultureInfo.InvariantCulture), "--urls", address.ToString().TrimEnd('/') })
        {
            start.ArgumentList.Add(argument);
        }

        // The benchmark is one client address (or one signed-in account) at thousands of requests a second:
        // lift every rate limit (the anonymous callers' tiles have a bucket of their own).
        foreach (var limit in new[] { "AnonymousPerMinute", "AnonymousBurst", "AnonymousTilesPerMinute", "AnonymousTilesBurst", "AuthenticatedPerMinute", "AuthenticatedBurst" })
        {
            start.Environment["Tweeling__Limits__" + limit] = "10000000";
        }

        // mqtt-ingest opens hundreds of connections from this one address.
        start.Environment["Tweeling__Mqtt__ConnectionsPerAddress"] = "1000000";

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the server");
        var warmedUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        s_startUpWork.AddOrUpdate(process, warmedUp);
        process.OutputDataReceived += (_, e) =>
        {
            // The server logs JSON lines; its start-up work is done when its last piece reports (however it ended).
            if (e.Data is { } line && s_startUpWorkEnded.Any(id => line.Contains(id, StringComparison.Ordinal)))
            {
                warmedUp.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine("server: " + e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// Waits until the server's background start-up work is done: the tile snapshots, the search index and the scenario
    /// baseline are built at start (seconds of both cores on the demo city) while the server already answers, so a
    /// load measured before they end measures that work too. Returns how long it still took after <c>/healthz</c> answered.
    /// The server's peak resident memory is then reset (Linux: <c>/proc/PID/clear_refs</c>), so <see cref="PeakResident"/>
    /// afterwards is the load's peak, not the start-up work's (DESIGN.md §7: ≤ 1 GB for the demo city under load).
    /// </summary>
    internal static async Task<TimeSpan> WaitForStartUpWorkAsync(Process server, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await s_startUpWork.GetValue(server, _ => throw new InvalidOperationException("the server was not started by StartServer"))
            .Task.WaitAsync(TimeSpan.FromMinutes(5), ct);
        var clearRefs = $"/proc/{server.Id}/clear_refs";
        if (File.Exists(clearRefs))
        {
            // "5" resets the process's peak resident set size to its current one (proc(5)).
            await File.WriteAllTextAsync(clearRefs, "5", ct);
        }

        return clock.Elapsed;
    }

    internal static async Task WaitUntilHealthyAsync(HttpClient http, Process server, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException($"the server exited with code {server.ExitCode}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative), ct);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(200, ct);
        }

        throw new TimeoutException("the server did not become healthy within 60 s");
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The server's peak resident memory (VmHWM): since its start, or since <see cref="WaitForStartUpWorkAsync"/> reset it.</summary>
    internal static string PeakResident(int pid) => Status(pid, "VmHWM");

    /// <summary>The server's resident memory now (VmRSS).</summary>
    internal static string Resident(int pid) => Status(pid, "VmRSS");

    private static string Status(int pid, string field)
    {
        var status = $"/proc/{pid}/status";
        return File.Exists(status)
            ? File.ReadLines(status).FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal))?[(field.Length + 1)..].Trim() ?? "unknown"
            : "unknown";
    }
}
