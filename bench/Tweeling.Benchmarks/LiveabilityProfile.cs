using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
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
/// graph's own output (a fingerprint over every record's text).
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
                var expected = Fingerprint(result.Values[LiveabilityPorts.Liveability.Name]);
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
                    var same = Fingerprint(outputs[LiveabilityPorts.Liveability.Name]) == expected;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"run {i}: {wall[^1]:F0} ms wall, {cpu[^1]:F0} ms cpu, {bytes[^1]:F1} MB, gc {GC.CollectionCount(0) - gc.Item1}/{GC.CollectionCount(1) - gc.Item2}/{GC.CollectionCount(2) - gc.Item3}, output {(same ? "as the graph's" : "DIFFERS")}"));
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"median wall {Median(wall):F0} ms, cpu {Median(cpu):F0} ms, alloc {Median(bytes):F1} MB; fingerprint {expected}; load {Machine.LoadAverage()}"));
            }
        }
        finally
        {
            if (kept is null)
            {
                ImportBenchmark.DeleteDatabase(path);
            }
        }

        return 0;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Fingerprint(object value)
    {
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            var text = new StringBuilder();
            foreach (var item in ((IEnumerable)value).Cast<object>())
            {
                text.Append(item).Append('\n');
            }

            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..12];
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }
}
