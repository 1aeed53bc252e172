using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Tweeling.Domain.Sensors;
using Tweeling.Server.Cli;
using Tweeling.Server.Hosting;
using Tweeling.Storage.Sqlite;

namespace Tweeling.Benchmarks;

/// <summary>
/// The <c>sta-read</c> verb: SensorThings reads under concurrent load on the real server (a separate process,
/// as <c>ogc-bbox</c> runs it) over the demo city with its simulated sensors and days of history, as
/// <c>tweeling demo --history-days</c> writes them. A realistic mix of four reads, each a quarter of the
/// requests; the same mix while an Observation is committed every second (the server keeps answers until the next
/// commit, so this is what a live feed costs); then each read alone, <c>/healthz</c> as the floor of the HTTP stack, and a bare Kestrel in
/// this process as the floor of the load generator itself, in the same run (each with the generator's CPU per request).
/// The mix is also split by read (each read's p99 within the mix and its share of the mix's slowest 1 %), and the
/// <c>$expand</c> read and the mix run once more with clients that accept gzip, as browsers do. The mix and
/// <c>/healthz</c> are also measured with wrk (<see cref="WrkLoadGenerator"/>), whose CPU per request is a fraction of the
/// .NET generator's, interleaved with the .NET generator's rows (the mix in both orders).
/// The loads start once the server's start-up work (the tile warm-up) has ended, not when it first answers.
/// </summary>
internal static class StaReadBenchmark
{
    public static async Task<int> RunAsync(int clients, int historyDays, int warmupSeconds, int durationSeconds, string work, CancellationToken ct)
    {
        Directory.CreateDirectory(work);
        Console.WriteLine($"# sta-read --clients {clients} --history-days {historyDays} --warmup {warmupSeconds} --duration {durationSeconds}");
#if DEBUG
        Console.WriteLine("WARNING: built in Debug; run with -c Release for numbers worth reporting.");
#endif
        Console.WriteLine(Machine.Describe());
        var wrk = WrkLoadGenerator.Find();

        var storePath = Path.Combine(work, "sta.db");
        ImportBenchmark.DeleteDatabase(storePath);
        var now = DateTimeOffset.UtcNow;
        long[] datastreams;
        long readings;
        await using (var store = await SqliteTwinStore.OpenAsync(storePath, TwinHost.GeometryServices, ct))
        {
            var seed = await DemoCommand.SeedAsync(store, DemoCommand.DefaultOptions, historyDays, TimeProvider.System, ct);
            readings = seed.Readings;
            datastreams = [.. (await store.Sensors.ListAsync<Datastream>(0, 10_000, ct)).Select(d => d.Id)];
        }

        SqliteConnection.ClearAllPools();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"store:   demo city scale 1, seed 1, {datastreams.Length} datastreams, {readings:N0} observations over {historyDays} days, {new FileInfo(storePath).Length / 1e6:F0} MB"));
        Console.WriteLine();

        await using var underLoad = await BenchServer.StartAsync(storePath, clients, TimeSpan.FromSeconds(30), ct);
        var (server, http, baseAddress) = (underLoad.Process, underLoad.Http, underLoad.Http.BaseAddress!);

        // Measured from when the server is ready: its tile warm-up at start would otherwise share the cores with the first load.
        var startUpWork = await BenchServer.WaitForStartUpWorkAsync(server, ct);
        var residentAfterStartUp = BenchServer.Resident(server.Id);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"server:  start-up work (tile snapshots) ended {startUpWork.TotalSeconds:F1} s after /healthz first answered; loads start after it"));

        string Datastream(Random random) => datastreams[random.Next(datastreams.Length)].ToString(CultureInfo.InvariantCulture);

        // A random six hours of the history, as a chart of one sensor asks for it.
        string Window(Random random)
        {
            var start = now.AddDays(-historyDays).AddMinutes(random.Next((historyDays * 24 * 60) - 360));
            return string.Create(CultureInfo.InvariantCulture,
                $"/sta/v1.1/Datastreams({Datastream(random)})/Observations?$filter=phenomenonTime ge {start:yyyy-MM-dd'T'HH:mm:ss'Z'} and phenomenonTime lt {start.AddHours(6):yyyy-MM-dd'T'HH:mm:ss'Z'}");
        }

        // Each read with the test that tells its paths from the others' (for the mix's split by read).
        var reads = new (string Name, Func<Random, string> Next, Func<string, bool> Is)[]
        {
            ("Datastreams(id)/Observations?$top=100&$orderby=phenomenonTime desc", r => $"/sta/v1.1/Datastreams({Datastream(r)})/Observations?$top=100&$orderby=phenomenonTime%20desc", p => p.Contains("$top=100", StringComparison.Ordinal)),
            ("Things?$expand=Datastreams", _ => "/sta/v1.1/Things?$expand=Datastreams", p => p.StartsWith("/sta/v1.1/Things", StringComparison.Ordinal)),
            ("Datastreams(id)/Observations?$filter=phenomenonTime (6 h)", Window, p => p.Contains("$filter=", StringComparison.Ordinal)),
            ("Datastreams(id)", r => $"/sta/v1.1/Datastreams({Datastream(r)})", p => p.EndsWith(')')),
        };
        Func<Random, string> mix = random => reads[random.Next(reads.Length)].Next(random);

        Console.WriteLine("| load | requests | errors | req/s | p50 ms | p90 ms | **p99 ms** | max ms | KB per answer | server CPU per request | generator CPU per request | load avg after |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        var alone = Math.Max(1, durationSeconds / 4);
        var mixed = await MeasureAsync(http, server, clients, "mix of the four reads below", mix, warmupSeconds, durationSeconds, ct);

        // The same mix from wrk (sta-read.lua draws the same reads), right after: the generator is the only difference.
        var history = (Start: now.AddDays(-historyDays).ToUnixTimeSeconds(), Minutes: historyDays * 24 * 60);
        var (wrkMixed, wrkChecked) = await MeasureWithWrkAsync(wrk, http, server, baseAddress, clients, "mix, wrk", datastreams, history, durationSeconds, ct);
        var split = string.Join("; ", reads.Select(read =>
        {
            var only = mixed.Where(read.Is);
            return string.Create(CultureInfo.InvariantCulture,
                $"{read.Name}: p50 {only.Percentile(0.5):F2}, p99 {only.Percentile(0.99):F2} ms, {mixed.ShareOfSlowest(0.01, read.Is):P0} of the slowest 1 %");
        }));

        // The server keeps its SensorThings answers until the next commit to the store; the demo feed commits every
        // 30 s. Here another process (this one, on the same file) commits an Observation every second, so each
        // answer is computed anew at least once a second — the cost of the reads under a live feed.
        using (var writing = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            var writer = CommitEverySecondAsync(storePath, datastreams, writing.Token);
            await MeasureAsync(http, server, clients, "mix, an Observation committed every second", mix, 1, durationSeconds, ct);
            await writing.CancelAsync();
            await writer;
        }

        foreach (var (name, next, _) in reads)
        {
            await MeasureAsync(http, server, clients, name, next, 1, alone, ct);
        }

        // Browsers and most HTTP clients accept gzip; the server then sends a kept answer gzipped (GzipAnswer). The same
        // clients asking for gzip and inflating every answer themselves (the KB column is the inflated size):
        using (var gzipHttp = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = clients,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = DecompressionMethods.GZip,
            UseProxy = false,
        })
        { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) })
        {
            await MeasureAsync(gzipHttp, server, clients, "Things?$expand=Datastreams, clients accept gzip", reads[1].Next, 1, alone, ct);
            await MeasureAsync(gzipHttp, server, clients, "mix, clients accept gzip", mix, 1, durationSeconds, ct);
        }

        var floor = await MeasureAsync(http, server, clients, "/healthz (floor)", _ => "/healthz", 1, alone, ct);
        var (wrkFloor, _) = await MeasureWithWrkAsync(wrk, http, server, baseAddress, clients, "/healthz (floor), wrk", datastreams: null, history, alone, ct);
        var generatorFloor = await MeasureGeneratorFloorAsync(clients, alone, ct);

        // The mix once more with both generators in the other order (wrk first), so that neither is always the one
        // that runs on a server warmed by the other.
        var (wrkMixedAgain, wrkCheckedAgain) = await MeasureWithWrkAsync(wrk, http, server, baseAddress, clients, "mix, wrk (again, wrk first)", datastreams, history, durationSeconds, ct);
        var mixedAgain = await MeasureAsync(http, server, clients, "mix (again)", mix, 1, durationSeconds, ct);
        Console.WriteLine();
        Console.WriteLine($"mix by read (same run): {split}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratio (same run): mix p99 / healthz p99 = {mixed.Percentile(0.99) / floor.Percentile(0.99):F1}; mix req/s / healthz req/s = {mixed.Throughput / floor.Throughput:F2}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"generator floor (same run): bare Kestrel p99 / mix p99 = {generatorFloor.Percentile(0.99) / mixed.Percentile(0.99):F2}; bare Kestrel p99 / healthz p99 = {generatorFloor.Percentile(0.99) / floor.Percentile(0.99):F2}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrk against the .NET generator (same run): mix p99 {wrkMixed.P99:F2} and {wrkMixedAgain.P99:F2} ms against {mixed.Percentile(0.99):F2} and {mixedAgain.Percentile(0.99):F2} ms; /healthz p99 {wrkFloor.P99:F2} against {floor.Percentile(0.99):F2} ms"));
        Console.WriteLine($"wrk's mix warm-ups, every answer checked (status 200, kind and size class): {wrkChecked.Kinds}; again {wrkCheckedAgain.Kinds}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"target: SensorThings reads p99 < 20 ms at {clients} clients, wrk: {(Math.Max(wrkMixed.P99, wrkMixedAgain.P99) < 20 ? "met" : "NOT met")} (mix p99 = {wrkMixed.P99:F2} and {wrkMixedAgain.P99:F2} ms, no errors)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"target: SensorThings reads p99 < 20 ms at {clients} clients, .NET generator: {(Math.Max(mixed.Percentile(0.99), mixedAgain.Percentile(0.99)) < 20 && mixed.Errors + mixedAgain.Errors == 0 ? "met" : "NOT met")} (mix p99 = {mixed.Percentile(0.99):F2} and {mixedAgain.Percentile(0.99):F2} ms, {mixed.Errors + mixedAgain.Errors} errors)"));
        Console.WriteLine($"server resident memory: {residentAfterStartUp} when its start-up work had ended; peak during the loads {BenchServer.PeakResident(server.Id)} (VmHWM, reset then)");
        Console.WriteLine("latencies: closed loop (each client waits for its answer), client and server share the machine's cores.");
        return mixed.Errors + mixedAgain.Errors == 0 ? 0 : 1;
    }

    /// <summary>Appends one Observation a second to a random Datastream of the store file, as a second process would, until cancelled.</summary>
    private static async Task CommitEverySecondAsync(string storePath, long[] datastreams, CancellationToken ct)
    {
        await using var store = await SqliteTwinStore.OpenAsync(storePath, TwinHost.GeometryServices, CancellationToken.None);
        var random = new Random(7);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                var datastream = datastreams[random.Next(datastreams.Length)];
                await store.Sensors.AppendAsync([new NewObservation(datastream, SensorTime.At(DateTimeOffset.UtcNow), random.NextDouble() * 100)], ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The measurement is over.
        }
    }

    /// <summary>
    /// The load generator's own floor: the same clients against a bare Kestrel in this process that answers every request
    /// with a fixed 7-byte body (as long as <c>/healthz</c>'s) and runs no middleware. On a machine whose cores the
    /// generator and the server share, this is the latency that neither the platform's pipeline nor its endpoints cause.
    /// </summary>
    private static async Task<LoadResult> MeasureGeneratorFloorAsync(int clients, int durationSeconds, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var port = BenchServer.FreePort();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        await using var bare = builder.Build();
        var body = "Healthy"u8.ToArray();
        bare.Run(context =>
        {
            context.Response.ContentType = "text/plain";
            context.Response.ContentLength = body.Length;
            return context.Response.Body.WriteAsync(body, 0, body.Length, context.RequestAborted);
        });
        await bare.StartAsync(ct);
        using var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = clients,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
        })
        { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var result = await MeasureAsync(http, server: null, clients, "bare Kestrel in the generator's process (generator floor)", _ => "/", 1, durationSeconds, ct);
        await bare.StopAsync(ct);
        return result;
    }

    /// <summary>
    /// One load from wrk after a warm-up run of its own: the mix (<paramref name="datastreams"/> given) or <c>/healthz</c>,
    /// as a row of the same table, with the CPU time the server and wrk spent per request. Every answer of the warm-up is
    /// checked (status 200, kind and size class; the classes read from the server just before, <see cref="SizeClassesAsync"/>);
    /// the measured run leaves the bodies to wrk's counters (non-2xx, errors) and the bytes per answer, which must be
    /// those of the checked warm-up within 10 %, so that the check's own CPU is not in the measurement.
    /// </summary>
    private static async Task<(WrkResult Measured, WrkResult Checked)> MeasureWithWrkAsync(
        string wrk, HttpClient http, Process server, Uri baseAddress, int clients, string name, long[]? datastreams, (long Start, int Minutes) history,
        int durationSeconds, CancellationToken ct)
    {
        string[] script = datastreams is null
            ? ["healthz"]
            : ["mix", string.Join(',', datastreams), history.Start.ToString(CultureInfo.InvariantCulture), history.Minutes.ToString(CultureInfo.InvariantCulture),
               .. await SizeClassesAsync(http, datastreams, ct)];
        var warmup = await WrkLoadGenerator.RunAsync(wrk, baseAddress, clients, TimeSpan.FromSeconds(2), script, checkEveryAnswer: true, ct);
        server.Refresh();
        var serverCpu = server.TotalProcessorTime;
        var result = await WrkLoadGenerator.RunAsync(wrk, baseAddress, clients, TimeSpan.FromSeconds(durationSeconds), script, checkEveryAnswer: false, ct);
        server.Refresh();
        var serverPerRequest = (server.TotalProcessorTime - serverCpu).TotalMilliseconds / Math.Max(1, result.Requests);
        double BytesPerAnswer(WrkResult run) => run.Bytes / (double)Math.Max(1, run.Requests);
        if (Math.Abs(BytesPerAnswer(result) - BytesPerAnswer(warmup)) > 0.1 * BytesPerAnswer(warmup))
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"{name}: wrk read {BytesPerAnswer(result):F0} bytes per answer, but {BytesPerAnswer(warmup):F0} in its checked warm-up: the answers changed"));
        }

        // wrk counts the headers as well; the body's share of the bytes is the checked warm-up's.
        var bodyKilobytes = BytesPerAnswer(result) * warmup.BodyBytes / Math.Max(1, warmup.Bytes) / 1024;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {result.Requests:N0} | {result.Errors:N0} | {result.Throughput:F0} | {result.P50:F2} | {result.P90:F2} | **{result.P99:F2}** | {result.Max:F1} | {bodyKilobytes:F1} | {serverPerRequest:F2} ms | {result.GeneratorCpu.TotalMilliseconds / Math.Max(1, result.Requests):F2} ms | {Machine.LoadAverage()} |"));
        return (result, warmup);
    }

    /// <summary>
    /// The body sizes the mix's answers must have, as <c>sta-read.lua</c> takes them: the smallest and largest Datastream
    /// entity, the largest page of Observations (the largest newest-100 page of any Datastream, plus 1 KB for a window's
    /// <c>@iot.nextLink</c>) and the exact size of <c>Things?$expand=Datastreams</c>, read now, between commits.
    /// </summary>
    private static async Task<string[]> SizeClassesAsync(HttpClient http, long[] datastreams, CancellationToken ct)
    {
        async Task<int> SizeAsync(string path)
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative), ct);
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadAsByteArrayAsync(ct)).Length;
        }

        var entities = new List<int>();
        var pages = new List<int>();
        foreach (var id in datastreams)
        {
            entities.Add(await SizeAsync(string.Create(CultureInfo.InvariantCulture, $"/sta/v1.1/Datastreams({id})")));
            pages.Add(await SizeAsync(string.Create(CultureInfo.InvariantCulture, $"/sta/v1.1/Datastreams({id})/Observations?$top=100&$orderby=phenomenonTime%20desc")));
        }

        var things = await SizeAsync("/sta/v1.1/Things?$expand=Datastreams");
        return [.. new[] { entities.Min(), entities.Max(), pages.Max() + 1024, things }.Select(n => n.ToString(CultureInfo.InvariantCulture))];
    }

    /// <summary>One load after a warm-up, with the CPU time the server (when given) and the generator's process spent per request.</summary>
    private static async Task<LoadResult> MeasureAsync(
        HttpClient http, Process? server, int clients, string name, Func<Random, string> next, int warmupSeconds, int durationSeconds, CancellationToken ct)
    {
        await LoadGenerator.RunAsync(http, clients, TimeSpan.FromSeconds(warmupSeconds), next, ct);
        server?.Refresh();
        var serverCpu = server?.TotalProcessorTime ?? TimeSpan.Zero;
        var generatorCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var result = await LoadGenerator.RunAsync(http, clients, TimeSpan.FromSeconds(durationSeconds), next, ct);
        generatorCpu = Process.GetCurrentProcess().TotalProcessorTime - generatorCpu;
        server?.Refresh();
        var serverPerRequest = server is null ? "–" : string.Create(CultureInfo.InvariantCulture, $"{(server.TotalProcessorTime - serverCpu).TotalMilliseconds / Math.Max(1, result.Requests):F2} ms");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {result.Requests:N0} | {result.Errors:N0} | {result.Throughput:F0} | {result.Percentile(0.50):F2} | {result.Percentile(0.90):F2} | **{result.Percentile(0.99):F2}** | {result.Max:F1} | {result.Bytes / 1024.0 / Math.Max(1, result.Requests):F1} | {serverPerRequest} | {generatorCpu.TotalMilliseconds / Math.Max(1, result.Requests):F2} ms | {Machine.LoadAverage()} |"));
        return result;
    }
}
