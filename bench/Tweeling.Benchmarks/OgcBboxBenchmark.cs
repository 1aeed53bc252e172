using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Tweeling.Benchmarks;

/// <summary>
/// The <c>ogc-bbox</c> verb: seeds a scale-1 demo city store, starts the server (tweeling.dll, built
/// in this program's configuration) as a separate process on 127.0.0.1, and loads
/// <c>/ogc/collections/panden/items?bbox=…&amp;limit=100</c> with random 200–500 m squares inside the
/// collection's extent. <c>/healthz</c> is loaded the same way in the same run, as the floor of the HTTP stack.
/// </summary>
internal static class OgcBboxBenchmark
{
    private const double MetresPerDegreeLatitude = 111_320;

    /// <summary>
    /// The event ids of the last piece of the server's start-up work (<c>ScenarioBaselineWarmUp</c>, after the tiles and
    /// the search index): 4101 read, 4102 no city to read, 4103 failed.
    /// </summary>
    private static readonly string[] s_startUpWorkEnded = ["\"EventId\":4101,", "\"EventId\":4102,", "\"EventId\":4103,"];

    /// <summary>Per started server, done when its start-up work has ended (<see cref="WaitForStartUpWorkAsync"/>).</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Process, TaskCompletionSource> s_startUpWork = [];

    public static async Task<int> RunAsync(int clients, int warmupSeconds, int durationSeconds, string work, CancellationToken ct)
    {
        Directory.CreateDirectory(work);
        Console.WriteLine($"# ogc-bbox --clients {clients} --warmup {warmupSeconds} --duration {durationSeconds}");
#if DEBUG
        Console.WriteLine("WARNING: built in Debug; run with -c Release for numbers worth reporting.");
#endif
        Console.WriteLine(Machine.Describe());

        var storePath = Path.Combine(work, "ogc.db");
        var features = await ImportBenchmark.SeedAsync(storePath, scale: 1, ct);
        Console.WriteLine($"store:   {features:N0} features (demo city scale 1, seed 1)");

        await using var underLoad = await ServerUnderLoad.StartAsync(storePath, clients, TimeSpan.FromSeconds(30), ct);
        var (server, http) = (underLoad.Process, underLoad.Http);

        var extent = await ReadExtentAsync(http, ct);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"extent:  panden CRS84 [{extent[0]}, {extent[1]}, {extent[2]}, {extent[3]}]"));
        Console.WriteLine();

        Func<Random, string> healthz = _ => "/healthz";
        Func<Random, string> bbox = random => RandomBbox(random, extent);
        var warmup = TimeSpan.FromSeconds(warmupSeconds);
        var duration = TimeSpan.FromSeconds(durationSeconds);

        Console.WriteLine("| endpoint | requests | errors | req/s | p50 ms | p90 ms | p99 ms | max ms | mean features | full pages (100) | empty pages | server CPU s | bench CPU s | load avg after |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        var results = new Dictionary<string, LoadResult>(StringComparer.Ordinal);
        foreach (var (name, next) in new[] { ("/healthz", healthz), ("panden bbox limit=100", bbox) })
        {
            await LoadGenerator.RunAsync(http, clients, warmup, next, ct);
            server.Refresh();
            var serverCpu = server.TotalProcessorTime;
            var benchCpu = Process.GetCurrentProcess().TotalProcessorTime;
            var result = await LoadGenerator.RunAsync(http, clients, duration, next, ct);
            server.Refresh();
            serverCpu = server.TotalProcessorTime - serverCpu;
            benchCpu = Process.GetCurrentProcess().TotalProcessorTime - benchCpu;
            results[name] = result;
            var meanFeatures = name == "/healthz" ? "–" : (result.Returned / (double)Math.Max(1, result.Requests - result.Errors)).ToString("F1", CultureInfo.InvariantCulture);
            var full = name == "/healthz" ? "–" : result.Full.ToString("N0", CultureInfo.InvariantCulture);
            var empty = name == "/healthz" ? "–" : result.Empty.ToString("N0", CultureInfo.InvariantCulture);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {result.Requests:N0} | {result.Errors:N0} | {result.Throughput:F0} | {result.Percentile(0.50):F2} | {result.Percentile(0.90):F2} | {result.Percentile(0.99):F2} | {result.Max:F1} | {meanFeatures} | {full} | {empty} | {serverCpu.TotalSeconds:F1} | {benchCpu.TotalSeconds:F1} | {Machine.LoadAverage()} |"));
        }

        var ogc = results["panden bbox limit=100"];
        var floor = results["/healthz"];
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratio (same run): bbox p99 / healthz p99 = {ogc.Percentile(0.99) / floor.Percentile(0.99):F1}; bbox req/s / healthz req/s = {ogc.Throughput / floor.Throughput:F2}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"target: p99 < 20 ms at {clients} clients: {(ogc.Percentile(0.99) < 20 ? "met" : "NOT met")} (p99 = {ogc.Percentile(0.99):F2} ms)"));
        Console.WriteLine($"server peak resident memory (VmHWM): {PeakResident(server.Id)}");
        Console.WriteLine("latencies: closed loop (each client waits for its answer), client and server share the machine's cores.");

        return 0;
    }

    /// <summary>A random square of 200–500 m side inside the extent, as a bbox query in CRS84 (lon/lat).</summary>
    private static string RandomBbox(Random random, double[] extent)
    {
        var side = 200 + (random.NextDouble() * 300);
        var latitude = (extent[1] + extent[3]) / 2;
        var dLat = side / MetresPerDegreeLatitude;
        var dLon = side / (MetresPerDegreeLatitude * Math.Cos(latitude * Math.PI / 180));
        var minX = extent[0] + (random.NextDouble() * Math.Max(0, extent[2] - extent[0] - dLon));
        var minY = extent[1] + (random.NextDouble() * Math.Max(0, extent[3] - extent[1] - dLat));
        return string.Create(CultureInfo.InvariantCulture,
            $"/ogc/collections/panden/items?bbox={minX:F6},{minY:F6},{minX + dLon:F6},{minY + dLat:F6}&limit=100");
    }

    private static async Task<double[]> ReadExtentAsync(HttpClient http, CancellationToken ct)
    {
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri("/ogc/collections/panden?f=json", UriKind.Relative), ct));
        return [.. document.RootElement.GetProperty("extent").GetProperty("spatial").GetProperty("bbox")[0].EnumerateArray().Select(v => v.GetDouble())];
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
        // lift both rate limits.
        foreach (var limit in new[] { "AnonymousPerMinute", "AnonymousBurst", "AuthenticatedPerMinute", "AuthenticatedBurst" })
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
    /// </summary>
    internal static async Task<TimeSpan> WaitForStartUpWorkAsync(Process server, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await s_startUpWork.GetValue(server, _ => throw new InvalidOperationException("the server was not started by StartServer"))
            .Task.WaitAsync(TimeSpan.FromMinutes(5), ct);
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

    internal static string PeakResident(int pid)
    {
        var status = $"/proc/{pid}/status";
        return File.Exists(status)
            ? File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM", StringComparison.Ordinal))?[6..].Trim() ?? "unknown"
            : "unknown";
    }
}
