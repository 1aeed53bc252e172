using System.Diagnostics;
using System.Globalization;
using Tweeling.Models.City;
using Tweeling.Models.Graph;
using Tweeling.Models.Liveability;
using Tweeling.Models.Scenario;
using Tweeling.Storage.Sqlite;

namespace Tweeling.Benchmarks;

/// <summary>
/// The <c>leefbaarheid</c> verb: leefbaarheid's full run alone on the demo city's baseline, the model graph run once
/// for its inputs, then <see cref="LiveabilityModel.Run"/> on those inputs <c>runs</c> times, each on a fresh instance,
/// with wall time, process CPU time, bytes allocated and collections per run, and each output checked against the
/// graph's own output (a fingerprint over every record's text); the exit code is 1 when any run's output differs.
/// </summary>
internal static class LiveabilityProfile
{
    private static readonly DateOnly s_referenceDate = new(2024, 1, 1);

    public static async Task<int> RunAsync(int scale, int runs, string work, string? kept, CancellationToken ct)
    {
        Directory.CreateDirectory(work);
        var path = kept ?? Path.Combine(work, $"leefbaarheid-{scale}.sqlite");
        Console.WriteLine($"# leefbaarheid --scale {scale} --runs {runs}");
        Console.WriteLine(Machine.Describe());
        var differing = 0;
        try
        {
            if (kept is null || !File.Exists(kept))
            {
                await ImportBenchmark.SeedAsync(path, scale, ct);
            }

            var store = await SqliteTwinStore.OpenAsync(path, ImportBenchmark.GeometryServices, ct);
            await using (store)
            {
                var city = await CityBaseline.ReadAsync(store, store, s_referenceDate, ct);
                var graph = ScenarioModels.Graph(ScenarioModels.Create());
                var result = graph.Run(city.Baseline, 1, ct);
                var model = new LiveabilityModel();
                var inputs = model.Descriptor.Inputs.ToDictionary(p => p.Name, p => result.Values[p.Name], StringComparer.Ordinal);
                var expected = RunFigures.Fingerprint(result.Values[LiveabilityPorts.Liveability.Name]);
                var (wall, cpu, bytes) = (new List<double>(), new List<double>(), new List<double>());
                for (var i = 0; i < runs; i++)
                {
                    var gc = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
                    var allocated = GC.GetTotalAllocatedBytes(true);
                    var before = Process.GetCurrentProcess().TotalProcessorTime;
                    var clock = Stopwatch.StartNew();
                    var outputs = ModelRun.Execute(new LiveabilityModel(), inputs, 1, ct);
                    wall.Add(clock.Elapsed.TotalMilliseconds);
                    cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - before).TotalMilliseconds);
                    bytes.Add((GC.GetTotalAllocatedBytes(true) - allocated) / 1e6);
                    var same = RunFigures.Fingerprint(outputs[LiveabilityPorts.Liveability.Name]) == expected;
                    differing += same ? 0 : 1;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"run {i}: {wall[^1]:F0} ms wall, {cpu[^1]:F0} ms cpu, {bytes[^1]:F1} MB, gc {GC.CollectionCount(0) - gc.Item1}/{GC.CollectionCount(1) - gc.Item2}/{GC.CollectionCount(2) - gc.Item3}, output {(same ? "as the graph's" : "DIFFERS")}"));
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"median wall {RunFigures.Median(wall):F0} ms, cpu {RunFigures.Median(cpu):F0} ms, alloc {RunFigures.Median(bytes):F1} MB; fingerprint {expected}; load {Machine.LoadAverage()}"));
            }
        }
        finally
        {
            if (kept is null)
            {
                ImportBenchmark.DeleteDatabase(path);
            }
        }

        if (differing > 0)
        {
            // A run whose output is not the graph's is a wrong result, whatever its time: fail, so no script takes the figures.
            Console.Error.WriteLine($"{differing} of {runs} runs differ from the graph's output.");
            return 1;
        }

        return 0;
    }
}
