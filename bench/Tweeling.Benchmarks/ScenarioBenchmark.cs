using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Scenarios;
using Tweeling.Models.City;
using Tweeling.Models.Graph;
using Tweeling.Models.Results;
using Tweeling.Models.Scenario;
using Tweeling.Models.Traffic;
using Tweeling.Storage.Sqlite;
using DwellingType = Tweeling.Domain.Scenarios.DwellingType;
using Tenure = Tweeling.Domain.Scenarios.Tenure;

namespace Tweeling.Benchmarks;

/// <summary>
/// The <c>scenario</c> verb (issue 6 item 7): on the demo city in a fresh SQLite store, (1) reading the baseline through
/// the store ports, (2) a full run of every model on a fresh graph (no graph cache; groen keeps its merge, park index and
/// per-buurt figures beside the baseline's lists, so its first run is its cold one), per model, against the 2 s target,
/// and (3) one-edit re-runs: the station-area scenario (2,000 flats) with its dwelling count changed by one each time, on
/// a runner whose cache holds the previous version, against the 500 ms p95 target.
/// </summary>
internal static class ScenarioBenchmark
{
    private static readonly DateOnly s_referenceDate = new(2024, 1, 1);

    /// <summary>
    /// Runs the verb. <paramref name="kept"/> is a store file to keep between runs: seeded with the demo city at
    /// <paramref name="scale"/> when it does not exist, read as it is when it does (its scale is then whatever it was
    /// seeded with), and never deleted. Without it a fresh store in <paramref name="work"/> is seeded and deleted afterwards.
    /// With <paramref name="checkWarmStart"/>, the last edit's warm-started traffic is compared with a full run of the
    /// model on the same inputs, after the edits' times were taken (<see cref="CheckWarmStart"/>). Unless
    /// <paramref name="rehearse"/> is false, the server's start-up warm-up runs before the first station run
    /// (<see cref="ScenarioRunner.RehearseEditsAsync"/>), so the edits are timed as a planner meets them. With
    /// <paramref name="jitLogPath"/>, every method compiled in each phase (read, full runs, first run, each edit) is
    /// listed there with its tier and compile time (<see cref="JitLog"/>), and a line per phase is printed at the end.
    /// </summary>
    public static async Task<int> RunAsync(int scale, int runs, int edits, string work, string? kept, bool checkWarmStart, bool rehearse, string? jitLogPath, CancellationToken ct)
    {
        using var jitLog = jitLogPath is null ? null : new JitLog();
        Directory.CreateDirectory(work);
        var path = kept ?? Path.Combine(work, $"scenario-{scale}.sqlite");
        Console.WriteLine($"# scenario --scale {scale} --runs {runs} --edits {edits}{(kept is null ? "" : " --store " + kept)}{(checkWarmStart ? " --check-warm-start" : "")}{(rehearse ? "" : " --no-rehearsal")}{(jitLogPath is null ? "" : " --jit-log " + jitLogPath)}");
        Console.WriteLine(Machine.Describe());
        Console.WriteLine();
        try
        {
            if (kept is null || !File.Exists(kept))
            {
                var seeding = Stopwatch.StartNew();
                var seeded = await ImportBenchmark.SeedAsync(path, scale, ct);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {path}: {seeded:N0} features in {seeding.Elapsed.TotalSeconds:F0} s; load {Machine.LoadAverage()}"));
            }
            else
            {
                Console.WriteLine($"reused store {path} ({new FileInfo(path).Length / 1e6:F0} MB)");
            }

            var store = await SqliteTwinStore.OpenAsync(path, ImportBenchmark.GeometryServices, ct);
            await using (store)
            {
                // One runner for the edits, made first: the full runs take the city it reads, so its first scenario run
                // does not read the city a second time (at scale 10 the read is some 100 s of CPU).
                var reporters = ScenarioModels.Reporters().Select(r => new TimedReporter(r)).ToList();
                var runner = new ScenarioRunner(ScenarioModels.Graph(ScenarioModels.Create()), store, store, reporters);
                var readJit = Machine.Jit();
                var read = Stopwatch.StartNew();
                var readCpu = Process.GetCurrentProcess().TotalProcessorTime;
                CityBaseline city;
                using (jitLog?.Phase("baseline read"))
                {
                    city = await runner.CityAsync(s_referenceDate, ct);
                }

                read.Stop();
                readCpu = Process.GetCurrentProcess().TotalProcessorTime - readCpu;
                Console.WriteLine($"baseline read: {read.Elapsed.TotalMilliseconds:F0} ms wall, {readCpu.TotalMilliseconds:F0} ms process CPU ({city.Buildings.Count} panden, {city.Dwellings.Sum(d => d.Count)} dwellings, {city.Roads.Count} wegvakken, {city.Buurten.Count} buurten, {city.Trees.Count} bomen); load {Machine.LoadAverage()}; managed heap {GC.GetTotalMemory(false) / 1e6:F0} MB, peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB");
                Console.WriteLine($"baseline read compiled: {Machine.JitSince(readJit)}");
                Console.WriteLine("read phases (wall ms; the store reads overlap each other, the three derivations overlap each other): " +
                    string.Join(", ", city.ReadTimings.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Key} {t.Value.TotalMilliseconds:F0}"))));
                Console.WriteLine();

                FullRuns(city, runs, jitLog, ct);
                if (edits > 0)
                {
                    await EditsAsync(runner, reporters, city, edits, rehearse, jitLog, ct);
                    if (checkWarmStart)
                    {
                        CheckWarmStart(runner.LastRun!, ct);
                    }
                }

                Console.WriteLine($"compiled in the whole process: {Machine.JitSince(default)}");
                if (jitLog is not null)
                {
                    Console.WriteLine();
                    Console.WriteLine($"## Compiles per phase (every method in {jitLogPath}; compile wall time on the compiling thread)");
                    Console.WriteLine();
                    foreach (var line in await jitLog.WriteAsync(jitLogPath!, ct))
                    {
                        Console.WriteLine("- " + line);
                    }
                }
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

    private static void FullRuns(CityBaseline city, int runs, JitLog? jitLog, CancellationToken ct)
    {
        var models = ScenarioModels.Create();
        var totals = new List<double>();
        var perModel = models.ToDictionary(m => m.Descriptor.Id, _ => new List<double>(), StringComparer.Ordinal);
        var compiled = new List<string>();
        Console.WriteLine("## Full run of every model, fresh graph each run (baseline inputs already read)");
        Console.WriteLine();
        Console.WriteLine("| run | total ms | " + string.Join(" | ", models.Select(m => m.Descriptor.Id + " ms")) + " | load avg |");
        Console.WriteLine("|---|---|" + string.Concat(models.Select(_ => "---|")) + "---|");
        for (var run = 1; run <= runs; run++)
        {
            var graph = ScenarioModels.Graph([.. ScenarioModels.Create().Select(m => new ReportingModel(m))]);
            var jit = Machine.Jit();
            var started = Stopwatch.GetTimestamp();
            GraphRun result;
            using (jitLog?.Phase($"full run {run}"))
            {
                result = graph.Run(city.Baseline, 1, ct);
            }

            var total = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            compiled.Add($"run {run} {Machine.JitSince(jit)}");
            totals.Add(total);
            foreach (var (id, time) in result.Timings)
            {
                perModel[id].Add(time.TotalMilliseconds);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {run} | {total:F0} | {string.Join(" | ", models.Select(m => result.Timings[m.Descriptor.Id].TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture)))} | {Machine.LoadAverage()} |"));
        }

        var median = Median(totals);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median full run: {median:F0} ms; target 2,000 ms; median/target = {median / 2000:F2}; median per model: {string.Join(", ", perModel.Select(p => $"{p.Key} {Median(p.Value):F0}"))}"));
        Console.WriteLine("compiled during the full runs: " + string.Join(", ", compiled));
        Console.WriteLine();
    }

    private static async Task EditsAsync(ScenarioRunner runner, List<TimedReporter> reporters, CityBaseline city, int edits, bool rehearse, JitLog? jitLog, CancellationToken ct)
    {
        var area = StationArea(city.Buurten[0].Area.Factory, city.Extent);
        ScenarioVersion Version(int count)
        {
            IReadOnlyList<Intervention> interventions = [new AddDwellings(area, count, DwellingType.Appartement, Tenure.SocialeHuur)];
            return new ScenarioVersion(1, count, "station", null, s_referenceDate, interventions, ScenarioContent.Hash(s_referenceDate, interventions), DateTimeOffset.UnixEpoch);
        }

        // What the server does at start before a user comes (ScenarioBaselineWarmUp): the baseline's ports prepared and a
        // throw-away scenario's edits rehearsed on a runner of their own, so the edits below meet code the JIT has compiled
        // and recompiled, as a planner's first edits in the server do. Without it (--no-rehearsal) they meet what a server
        // before scenario-jit18 gave them.
        if (rehearse)
        {
            var warmJit = Machine.Jit();
            var warming = Stopwatch.StartNew();
            ScenarioRehearsal rehearsal;
            using (jitLog?.Phase("start-up warm-up"))
            {
                await runner.WarmAsync(s_referenceDate, ct);
                rehearsal = await runner.RehearseEditsAsync(s_referenceDate, ScenarioRunner.RehearsedEdits, ScenarioRunner.RehearsalBuildingLimit, ScenarioModels.Reporters(), ct);
            }

            var rehearsed = rehearsal.Skipped
                ? string.Create(CultureInfo.InvariantCulture, $"no edits rehearsed: {rehearsal.Buildings} buildings, more than {ScenarioRunner.RehearsalBuildingLimit}")
                : $"a throw-away scenario and {ScenarioRunner.RehearsedEdits} edits of it rehearsed, then the JIT quiet";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"the server's start-up warm-up (baseline ports prepared, {rehearsed}): {warming.Elapsed.TotalMilliseconds:F0} ms; {Machine.JitSince(warmJit)}"));
        }

        // The first run runs the baseline and version 1 on the city already read: what a user has before the first edit.
        // Its baseline run is the runner's first, on a graph with an empty cache, but on the same baseline lists as the
        // full runs, so the models that keep work beside their input lists (groen's merge, bereikbaarheid's network) find it.
        var firstJit = Machine.Jit();
        ScenarioRun first;
        using (jitLog?.Phase("first station run"))
        {
            first = await runner.RunAsync(Version(2_000), 1, ct);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first run of the station scenario (baseline + scenario on the city read above): {first.Elapsed.TotalMilliseconds:F0} ms; city, apply, base graph, hash in, graph, base report, report, hash out: {Parts(runner.LastBreakdown).Replace(" |", ",", StringComparison.Ordinal)} ms; slowest models (the scenario's run where it ran one): {Slowest(runner.LastTimings)}; {Machine.JitSince(firstJit)}"));
        Console.WriteLine();
        Console.WriteLine("## One-edit re-runs: the dwelling count of the station scenario changed by one each time");
        Console.WriteLine();
        // "outside the models": the edit's time less the time of every model that ran in it — applying the
        // interventions to the baseline, the graph's hashing and bookkeeping, and the indicator reports.
        // Its parts (RunBreakdown): city = the store's revisions; apply = the interventions; base graph = the baseline's
        // cached graph run; hash in = hashing the scenario's new input ports; graph = the rest of the scenario's graph run;
        // base report = the kept baseline report; report = the reporters; hash out = the result hash.
        // "differs from the previous edit": the records of link traffic, façade noise, air receptors and buurt liveability
        // that are new or not equal to the previous edit's record with the same id (counted after the edit's time was taken); "from the previous run":
        // the incremental models that started from the scenario's previous run rather than from the baseline's.
        Console.WriteLine("| edit | ms | outside the models ms | city | apply | base graph | hash in | graph | base report | report | hash out | models that ran | of which incremental | of which from the previous run | slowest models | differs from the previous edit: links, façades, air receptors, buurten | load avg |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        var times = new List<double>();
        var perModel = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var previous = runner.LastRun!;
        var perReporter = reporters.ToDictionary(r => r.Name, _ => new List<double>(), StringComparer.Ordinal);
        var applying = new List<double>();
        var reporting = new List<double>();
        var compiled = new List<string>();
        for (var edit = 1; edit <= edits; edit++)
        {
            reporters.ForEach(r => r.Reset());
            var (jit, gc) = (Machine.Jit(), Machine.Gc());
            ScenarioRun run;
            using (jitLog?.Phase($"edit {edit}"))
            {
                run = await runner.RunAsync(Version(2_000 + edit), 1, ct);
            }

            compiled.Add($"edit {edit} {Machine.JitSince(jit)}, {Machine.GcSince(gc)}");
            times.Add(run.Elapsed.TotalMilliseconds);
            foreach (var model in run.ModelsRan)
            {
                (CollectionsMarshal.GetValueRefOrAddDefault(perModel, model, out _) ??= []).Add(runner.LastTimings[model].TotalMilliseconds);
            }

            reporters.ForEach(r => perReporter[r.Name].Add(r.Elapsed.TotalMilliseconds));
            applying.Add(runner.LastBreakdown.Interventions.TotalMilliseconds);
            reporting.Add(runner.LastBreakdown.ScenarioReporters.TotalMilliseconds);
            var current = runner.LastRun!;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {edit} | {run.Elapsed.TotalMilliseconds:F0} | {run.Elapsed.TotalMilliseconds - run.ModelsRan.Sum(m => runner.LastTimings[m].TotalMilliseconds):F0} | {Parts(runner.LastBreakdown)} | {string.Join(", ", run.ModelsRan)} | {string.Join(", ", runner.LastIncremental)} | {string.Join(", ", current.FromNearer)} | {Slowest(runner.LastTimings)} | {Differing(previous, current)} | {Machine.LoadAverage()} |"));
            // Every model's time in the edit, not only the slowest (on stderr, as the full runs' lines).
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  edit {edit} per model: {string.Join(", ", run.ModelsRan.Select(m => $"{m} {runner.LastTimings[m].TotalMilliseconds:F1} ms"))}"));
            previous = current;
        }

        var p95 = Percentile(times, 0.95);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"one-edit re-run: median {Median(times):F0} ms, p95 {p95:F0} ms; target p95 500 ms; p95/target = {p95 / 500:F2}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median per model per edit (ms, over the edits it ran in): {string.Join(", ", perModel.Select(p => $"{p.Key} {Median(p.Value):F1}"))}"));
        // Outside the models (scenario-outside2): apply and report against their per-edit targets, and the report per
        // reporter (areas and grids, a kept report included).
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"apply per edit: median {Median(applying):F1} ms, max {applying.DefaultIfEmpty(double.NaN).Max():F1} ms (target 15); report: median {Median(reporting):F1} ms, max {reporting.DefaultIfEmpty(double.NaN).Max():F1} ms (target 30)"));
        Console.WriteLine("compiled and collected during the edits: " + string.Join(", ", compiled));
        Console.WriteLine("report per reporter per edit, median (max) ms: " + string.Join(", ", perReporter.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {Median(p.Value):F1} ({p.Value.DefaultIfEmpty(double.NaN).Max():F1})"))));
    }

    /// <summary>
    /// The warm start's error (docs/models/verkeer.md 3a "Known error", 3b for a city of grouped origins): <c>verkeer</c>
    /// run in full, on a model of its own, on the inputs of <paramref name="last"/> (the last edit, warm-started from the
    /// baseline), against that edit's trip totals and link traffic, in the measures the tolerance is stated in.
    /// </summary>
    private static void CheckWarmStart(GraphRun last, CancellationToken ct)
    {
        var model = new TrafficModel();
        var zones = last.Value(TrafficPorts.Zones).Count;
        var grouped = zones > TrafficParameters.Default.MaximumOrigins;
        Console.WriteLine();
        Console.WriteLine($"## Warm start against a full run of verkeer on the last edit's inputs ({zones} zones, {(grouped ? $"grouped into {TrafficParameters.Default.MaximumOrigins} origins" : "one origin per zone")})");
        Console.WriteLine();
        if (!last.Incremental.Contains(TrafficModel.ModelId))
        {
            Console.WriteLine($"verkeer was not warm-started in the last edit ({(last.Ran.Contains(TrafficModel.ModelId) ? "it ran in full" : "its result came from the cache")}): compared all the same.");
        }

        var inputs = model.Descriptor.Inputs.ToDictionary(p => p.Name, p => last.Values[p.Name], StringComparer.Ordinal);
        var started = Stopwatch.GetTimestamp();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var full = ModelRun.Execute(model, inputs, last.Seed, ct);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"full run: {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F0} ms wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds:F0} ms process CPU; load {Machine.LoadAverage()}; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB"));
        var error = WarmStartError.Of(last.Value(TrafficPorts.Trips), last.Value(TrafficPorts.LinkTraffic), (TripTotals)full[TrafficPorts.Trips.Name], (IReadOnlyList<LinkTraffic>)full[TrafficPorts.LinkTraffic.Name]);
        var (linkQuantile, typicalQuantile) = grouped
            ? (WarmStartError.GroupedLinkQuantile, WarmStartError.GroupedTypicalLinkQuantile)
            : (WarmStartError.LinkQuantile, WarmStartError.TypicalLinkQuantile);
        static string Verdict(bool met) => met ? "met" : "NOT met";
        Console.WriteLine("| measure | warm start against full run | stated tolerance | |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| trip totals (generated, assigned, unassigned) | {(error.TripsExact ? "equal" : "differ")} | equal | {Verdict(error.TripsExact)} |");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| city vehicle-km | {error.VehicleKilometreError:P3} of {error.FullVehicleKilometres:N0} | ≤ {WarmStartError.VehicleKilometreTolerance:P1} | {Verdict(error.VehicleKilometreError <= WarmStartError.VehicleKilometreTolerance)} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| links within 10 % or 150 vehicles/day | {error.WithinLinkBandShare:P1} ({error.WithinLinkBand:N0} of {error.Links:N0}) | ≥ {linkQuantile:P0}{(grouped ? " (grouped)" : "")} | {Verdict(error.WithinLinkBand >= linkQuantile * error.Links)} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| links within 2 % or 25 vehicles/day | {error.WithinTypicalBandShare:P1} ({error.WithinTypicalBand:N0} of {error.Links:N0}) | ≥ {typicalQuantile:P0}{(grouped ? " (grouped)" : "")} | {Verdict(error.WithinTypicalBand >= typicalQuantile * error.Links)} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| largest / mean link error | {error.LargestLinkError:N0} / {error.MeanLinkError:F1} vehicles/day | – | |"));
    }

    /// <summary>A reporter that adds up the time its areas and grids take, for the per-reporter breakdown of an edit.</summary>
    private sealed class TimedReporter(IIndicatorReporter inner) : IIndicatorReporter
    {
        private long _ticks;

        /// <summary>The reporter's name without "Reporter" (its kept reports' reporter when kept).</summary>
        public string Name { get; } = ((inner as KeptReporter)?.Reporter ?? inner).GetType().Name.Replace("Reporter", "", StringComparison.Ordinal);

        /// <summary>The time since the last <see cref="Reset"/>.</summary>
        public TimeSpan Elapsed => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks));

        public IReadOnlyList<ResultIndicator> Indicators => inner.Indicators;

        public void Reset() => Interlocked.Exchange(ref _ticks, 0);

        public IReadOnlyList<AreaValue> Areas(GraphRun run, string municipalityCode) => Timed(() => inner.Areas(run, municipalityCode));

        public IReadOnlyList<GridLayer> Grids(GraphRun run) => Timed(() => inner.Grids(run));

        private T Timed<T>(Func<T> report)
        {
            var started = Stopwatch.GetTimestamp();
            var result = report();
            Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - started);
            return result;
        }
    }

    /// <summary>
    /// A model that says on stderr when it has run, with its time and the process's memory: the graph reports its timings
    /// only once every model has run, which at scale 10 can be too late to see which model is the slow one.
    /// </summary>
    private sealed class ReportingModel(IImpactModel inner) : IImpactModel
    {
        public ModelDescriptor Descriptor => inner.Descriptor;

        public void Run(ModelRun run, CancellationToken cancellationToken)
        {
            var started = Stopwatch.GetTimestamp();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            inner.Run(run, cancellationToken);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {Descriptor.Id} ran in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F0} ms wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds:F0} ms process CPU; managed heap {GC.GetTotalMemory(false) / 1e6:F0} MB, peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB; load {Machine.LoadAverage()}"));
        }
    }

    /// <summary>The demo's station area (docs/scenarios.md): 400 × 300 m between 1.1 and 1.4 km south of the Binnenstad's north-east land corner.</summary>
    private static Polygon StationArea(GeometryFactory factory, Envelope extent)
    {
        // The corner is the municipality's north-east corner minus the 300 m river (docs/demo-city.md); at scale 1 (105,750, 425,650).
        var (x, y) = (extent.MaxX - 300 - 450, extent.MaxY - 300 - 1_100);
        return factory.CreatePolygon([new(x - 400, y - 300), new(x, y - 300), new(x, y), new(x - 400, y), new(x - 400, y - 300)]);
    }

    private static string Parts(RunBreakdown b) =>
        string.Join(" | ", new[] { b.City, b.Interventions, b.BaselineGraph, b.ScenarioInputHashing, b.ScenarioGraphOther, b.BaselineReport, b.ScenarioReporters, b.ScenarioResultHash }
            .Select(t => t.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture)));

    // How many records of the chain's main outputs are new or differ between two runs, matched by id (records compare by value).
    private static string Differing(GraphRun before, GraphRun after)
    {
        static int Count<T>(GraphRun before, GraphRun after, Port<IReadOnlyList<T>> port, Func<T, string> id)
            where T : notnull
        {
            var then = new Dictionary<string, T>(StringComparer.Ordinal);
            foreach (var record in before.Value(port))
            {
                then[id(record)] = record;
            }

            return after.Value(port).Count(r => !then.TryGetValue(id(r), out var was) || !Equals(was, r));
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{Count(before, after, TrafficPorts.LinkTraffic, l => l.LinkId)}, {Count(before, after, Tweeling.Models.Noise.NoisePorts.FacadeLevels, f => f.ReceptorId)}, {Count(before, after, Tweeling.Models.AirQuality.AirQualityPorts.ReceptorConcentrations, c => c.Id)}, {Count(before, after, Tweeling.Models.Liveability.LiveabilityPorts.Liveability, b => b.Buurtcode)}");
    }

    private static string Slowest(IReadOnlyDictionary<string, TimeSpan> timings) =>
        string.Join(", ", timings.OrderByDescending(t => t.Value).Take(4).Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Key} {t.Value.TotalMilliseconds:F0} ms")));

    private static double Median(List<double> values) => Percentile(values, 0.5);

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }
}
