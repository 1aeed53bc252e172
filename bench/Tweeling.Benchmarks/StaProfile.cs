using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Tweeling.Domain.Catalog;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Governance.Access;
using Tweeling.Server.Features.SensorThings;
using Tweeling.Server.Hosting;
using Tweeling.Storage.Sqlite;

namespace Tweeling.Benchmarks;

/// <summary>
/// The <c>sta-profile</c> verb: where the time of each read of the <c>sta-read</c> mix goes, without HTTP and on
/// one thread, over a store that <c>tweeling demo --history-days</c> filled. Each read runs through the
/// SensorThings handler as a kept answer never would (every answer computed), with the store behind a proxy that
/// times its queries; the rest is the handler's own work (parsing, building nodes, writing JSON). The visibility
/// look-up every request makes first (the catalog) and the entity tag of the answer are timed apart.
/// </summary>
internal static class StaProfile
{
    public static async Task<int> RunAsync(string storePath, int iterations, CancellationToken ct)
    {
        Console.WriteLine($"# sta-profile --store {Path.GetFileName(storePath)} --iterations {iterations}");
        Console.WriteLine(Machine.Describe());
        await using var store = await SqliteTwinStore.OpenAsync(storePath, TwinHost.GeometryServices, ct);
        var timed = TimedStore.Over(store.Sensors);
        var crs = new CrsTransformer(TwinHost.GeometryServices);
        var catalog = (ICatalog)store;
        var publiek = new Caller(Role.Publiek);
        var visibility = new SensorVisibility(
            AccessPolicy.ReadableDatasets(publiek, await catalog.ListAsync(ct)), AccessPolicy.CanRead(publiek, Classification.Internal, []));
        var datastreams = (await store.Sensors.ListAsync<Domain.Sensors.Datastream>(0, 10_000, ct)).Select(d => d.Id).ToArray();
        var newest = (await store.Sensors.QueryAsync(
            new SensorQuery(SensorEntitySet.Observations, null, null, [new(new Domain.Sensors.Query.PropertyPath("phenomenonTime"), Domain.Sensors.Query.SortDirection.Descending)], 1, 0, false, DateTimeOffset.UtcNow), ct))
            .Entities.Cast<Domain.Sensors.Observation>().Single().PhenomenonTime.Start;

        var reads = new (string Name, Func<int, (string Path, string Query)> Next)[]
        {
            ("Datastreams(id)/Observations?$top=100&$orderby=phenomenonTime desc", i => ($"Datastreams({datastreams[i % datastreams.Length]})/Observations", "?$top=100&$orderby=phenomenonTime%20desc")),
            ("Things?$expand=Datastreams", _ => ("Things", "?$expand=Datastreams")),
            ("Datastreams(id)/Observations?$filter=phenomenonTime (6 h)", i =>
            {
                var start = newest.AddDays(-29).AddMinutes(i * 37 % (28 * 24 * 60));
                return ($"Datastreams({datastreams[i % datastreams.Length]})/Observations", string.Create(CultureInfo.InvariantCulture,
                    $"?$filter=phenomenonTime%20ge%20{start:yyyy-MM-dd'T'HH:mm:ss'Z'}%20and%20phenomenonTime%20lt%20{start.AddHours(6):yyyy-MM-dd'T'HH:mm:ss'Z'}"));
            }),
            ("Datastreams(id)", i => ($"Datastreams({datastreams[i % datastreams.Length]})", string.Empty)),
        };

        Console.WriteLine();
        Console.WriteLine("| read | CPU per read | store queries | handler's own work | store queries per read | KB | entity tag (XXH128) |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        using var commits = store.OpenCommitCounter();

        // The server reads a Datastream's time windows from its in-memory recent series; the warm-up reads each series in.
        var recent = new RecentObservations(commits, (ISensorStore)timed, TimeProvider.System);
        foreach (var (name, next, series) in reads.Select(r => (r.Name, r.Next, (RecentObservations?)null)).Append((reads[2].Name + " from RecentObservations", reads[2].Next, recent)))
        {
            // Warm up: tiered compilation settles after some thousands of calls.
            await MeasureAsync(timed, visibility, crs, next, Math.Max(200, iterations / 2), series, commits, ct);
            var (cpu, wall, inStore, queries, bytes, etag) = await MeasureAsync(timed, visibility, crs, next, iterations, series, commits, ct);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {cpu:F3} ms | {inStore / wall:P0} | {1 - (inStore / wall):P0} | {queries:F2} | {bytes / 1024.0:F1} | {etag:F3} ms |"));
        }

        // The access seam as the server has it: the catalog kept until the next commit, the policy applied every time.
        var access = new ReadAccess(catalog, Options.Create(new AccessOptions()), commits);
        var clock = Stopwatch.StartNew();
        var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < iterations; i++)
        {
            _ = await access.SensorVisibilityAsync(publiek, ct);
        }

        var catalogCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalMilliseconds / iterations;
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"visibility of a caller (ReadAccess: catalog kept until a commit, policy applied), made by every request before the answer: {catalogCpu:F3} ms CPU ({clock.Elapsed.TotalMilliseconds / iterations:F3} ms wall)"));
        Console.WriteLine("CPU per read: process CPU time over the loop / reads (one thread, no HTTP); shares: wall time inside store queries against the rest.");
        return 0;
    }

    private static async Task<(double CpuMs, double WallMs, double StoreMs, double Queries, double Bytes, double ETagMs)> MeasureAsync(
        TimedStore timed, SensorVisibility visibility, CrsTransformer crs, Func<int, (string Path, string Query)> next, int iterations,
        RecentObservations? recent, SqliteCommitCounter commits, CancellationToken ct)
    {
        var services = new EmptyServices();
        timed.Reset();
        long bytes = 0;
        var etag = TimeSpan.Zero;
        var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            var (path, query) = next(i);
            var http = new DefaultHttpContext { RequestServices = services };
            http.Request.Scheme = "http";
            http.Request.Host = new HostString("127.0.0.1:5000");
            http.Request.Path = StaApi.Prefix + "/" + path;
            http.Request.QueryString = new QueryString(query);
            http.Response.Body = Stream.Null;
            var result = await Resources.GetAsync(
                path, http, visibility, (ISensorStore)timed, crs, TimeProvider.System, recent is null ? null : (recent, commits.Current), ct);
            if (result.Result is not StaJsonResult { StatusCode: 200 } json)
            {
                throw new InvalidOperationException($"{path}{query} did not answer 200.");
            }

            await json.ExecuteAsync(http);
            bytes += json.Body.Length;
            var hashing = Stopwatch.GetTimestamp();
            _ = StaAnswerCache.ETagOf(json.Body.Span);
            etag += Stopwatch.GetElapsedTime(hashing);
        }

        var wall = clock.Elapsed.TotalMilliseconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalMilliseconds;
        return (cpu / iterations, wall / iterations, timed.Elapsed.TotalMilliseconds / iterations, (double)timed.Calls / iterations, (double)bytes / iterations, etag.TotalMilliseconds / iterations);
    }

    /// <summary>No services: the answers profiled are 200 JSON answers, which need none.</summary>
    private sealed class EmptyServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }

    /// <summary>
    /// An <see cref="ISensorStore"/> that times every call into the store it wraps. The SQLite store completes its
    /// reads synchronously (Microsoft.Data.Sqlite has no asynchronous I/O), so the time until a call returns is its work.
    /// </summary>
    [SuppressMessage("Performance", "CA1852:Seal internal types", Justification = "DispatchProxy derives the proxy from it at run time.")]
    internal class TimedStore : DispatchProxy
    {
        private object _inner = null!;

        public TimeSpan Elapsed { get; private set; }

        public long Calls { get; private set; }

        public static TimedStore Over(ISensorStore inner)
        {
            var proxy = DispatchProxy.Create<ISensorStore, TimedStore>();
            var timed = (TimedStore)(object)proxy;
            timed._inner = inner;
            return timed;
        }

        public void Reset() => (Elapsed, Calls) = (TimeSpan.Zero, 0);

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            var start = Stopwatch.GetTimestamp();
            try
            {
                return targetMethod!.Invoke(_inner, args);
            }
            finally
            {
                Elapsed += Stopwatch.GetElapsedTime(start);
                Calls++;
            }
        }
    }
}
