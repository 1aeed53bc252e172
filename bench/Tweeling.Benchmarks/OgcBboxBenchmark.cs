using System.Diagnostics;
using System.Globalization;
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

        await using var underLoad = await BenchServer.StartAsync(storePath, clients, TimeSpan.FromSeconds(30), ct);
        var (server, http) = (underLoad.Process, underLoad.Http);

        // Measured from when the server's start-up work has ended: it would otherwise share the cores with the first load,
        // and its closing collection stopped every request for 1.4-1.9 s of the /healthz load (2026-12-03).
        var startUpWork = await BenchServer.WaitForStartUpWorkAsync(server, ct);
        var residentAfterStartUp = BenchServer.Resident(server.Id);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"server:  start-up work ended {startUpWork.TotalSeconds:F1} s after /healthz first answered; loads start after it"));
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
            $"target: p99 < 20 ms at {clients} clients: {(ogc.Percentile(0.99) < 20 && ogc.Errors == 0 ? "met" : "NOT met")} (p99 = {ogc.Percentile(0.99):F2} ms, {ogc.Errors} errors)"));
        Console.WriteLine($"server resident memory: {residentAfterStartUp} when its start-up work had ended; peak during the loads {BenchServer.PeakResident(server.Id)} (VmHWM, reset then)");
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
}
