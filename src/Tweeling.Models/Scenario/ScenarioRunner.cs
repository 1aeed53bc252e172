using System.Diagnostics;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Features;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Scenarios;
using Tweeling.Models.City;
using Tweeling.Models.Graph;
using Tweeling.Models.Results;

namespace Tweeling.Models.Scenario;

/// <summary>
/// Runs a scenario version: reads the city as of its reference date through the store ports (once per date and store
/// revision), applies its interventions (<see cref="CityBaseline.Inputs"/>), runs the model graph on the baseline and
/// on the scenario, and asks every reporter for its indicators. Pure apart from the store reads: the same version and
/// seed give the same <see cref="ScenarioOutcome.ResultHash"/>, and the graph's cache makes an edit re-run only the
/// models downstream of the ports it changed.
/// </summary>
public sealed class ScenarioRunner : IScenarioRunner
{
    /// <summary>How many scenarios' last runs are kept for their next edit to start from (each holds the ports its interventions changed and the outputs downstream of them).</summary>
    public const int KeptScenarioRuns = 4;

    /// <summary>The collections the baseline reads; a write to any of them makes the next run read the city again.</summary>
    public static IReadOnlyList<string> Collections => CityBaseline.Collections;

    /// <summary>How long no method may have been compiled for <see cref="RehearseEditsAsync"/> to call the JIT quiet.</summary>
    public static readonly TimeSpan QuietJit = TimeSpan.FromMilliseconds(250);

    /// <summary>How long <see cref="RehearseEditsAsync"/> waits at most for the JIT to go quiet (other work may keep it busy).</summary>
    public static readonly TimeSpan QuietJitLimit = TimeSpan.FromSeconds(10);

    /// <summary>How many edits the server's start-up rehearses after the throw-away scenario's first run (<see cref="RehearseEditsAsync"/>).</summary>
    public const int RehearsedEdits = 5;

    /// <summary>
    /// The most buildings a city may have for the server's start-up to rehearse its edits (<see cref="RehearseEditsAsync"/>).
    /// Above it an edit takes seconds of model work of which the JIT is a few percent, while the rehearsal costs a minute
    /// and more memory at start: measured at demo scale 10 (510,912 buildings), 64 s and 2 GB more resident for edits of
    /// 2.4–3.3 s (docs/scenarios.md, Running a scenario). Scale 1 (51,328) rehearses in 3.6–5.7 s.
    /// </summary>
    public const int RehearsalBuildingLimit = 100_000;

    // The rehearsal's plot: half its side, m, and its first dwelling count (each edit adds one, as a user's edit might).
    private const double RehearsalPlotHalfSide = 100;
    private const int RehearsalDwellings = 100;

    private readonly ModelGraph _graph;
    private readonly IFeatureStore _features;
    private readonly IIndicatorStore _indicators;
    private readonly IReadOnlyList<IIndicatorReporter> _reporters;
    private readonly SemaphoreSlim _reading = new(1, 1);
    private (DateOnly Date, string Revisions, CityBaseline City)? _city;

    // The baseline's indicators, kept for the next run on the same baseline: every edit of a scenario runs against the
    // same baseline, whose report (every reporter over the city and its grids, then the hash) would otherwise be made again.
    private BaselineReport? _baselineReport;

    // The last run of each recently run scenario (at most KeptScenarioRuns, the least recently run goes first): an edit's
    // exact models start from it when it is nearer than the baseline (ModelGraph.Run's nearer).
    private readonly List<ScenarioGraphRun> _scenarioRuns = [];

    /// <summary>A runner of <paramref name="graph"/> over the city in <paramref name="features"/> and <paramref name="indicators"/>.</summary>
    public ScenarioRunner(ModelGraph graph, IFeatureStore features, IIndicatorStore indicators, IReadOnlyList<IIndicatorReporter> reporters)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(indicators);
        ArgumentNullException.ThrowIfNull(reporters);
        _graph = graph;
        _features = features;
        _indicators = indicators;
        _reporters = reporters;
        Indicators = [.. reporters.SelectMany(r => r.Indicators)];
        var duplicate = Indicators.GroupBy(i => i.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Indicator '{duplicate.Key}' is reported twice.", nameof(reporters));
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<ResultIndicator> Indicators { get; }

    /// <summary>The model graph the runner runs; its cache is what makes a re-run cheap.</summary>
    public ModelGraph Graph => _graph;

    /// <summary>Per model id, how long it took in the last run that ran it (for the benchmark's per-model times).</summary>
    public IReadOnlyDictionary<string, TimeSpan> LastTimings { get; private set; } = new Dictionary<string, TimeSpan>();

    /// <summary>Where the last run spent its time outside the models (for the benchmark's breakdown).</summary>
    public RunBreakdown LastBreakdown { get; private set; } = new(default, default, default, default, default, default, default, default);

    /// <summary>The ids of the models the last scenario run brought up to date from an earlier run rather than running in full.</summary>
    public IReadOnlyList<string> LastIncremental { get; private set; } = [];

    /// <summary>The graph run of the last scenario run (for the benchmark's count of what an edit changed).</summary>
    public GraphRun? LastRun { get; private set; }

    /// <inheritdoc />
    /// <exception cref="ScenarioInputException">The scenario names a facility or link that does not exist at its reference date, or there is no city then.</exception>
    public async Task<ScenarioRun> RunAsync(ScenarioVersion scenario, int seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var started = Stopwatch.GetTimestamp();
        var city = await CityAsync(scenario.ReferenceDate, cancellationToken).ConfigureAwait(false);
        var cityRead = Stopwatch.GetElapsedTime(started);
        var applying = Stopwatch.GetTimestamp();
        var inputs = city.Inputs(scenario.Interventions);
        var inputHashes = city.InputHashes(inputs, scenario.Interventions);
        var interventions = Stopwatch.GetElapsedTime(applying);
        var nearer = NearerRun(scenario, city, seed);
        // The models are CPU-bound: off the request thread, baseline first so its outputs are cached for the next edit.
        // The scenario starts from the baseline run: models it leaves untouched take the baseline's outputs, and
        // incremental models recompute only where it differs. The warm-started traffic model (a stated tolerance, so its
        // result depends on where it starts) always starts from the baseline; the exact models (bit-equal to a full run)
        // may start from the scenario's previous run when fewer of their inputs differ from it. Either way the results
        // are a function of the scenario, the baseline and the seed alone, never of which edits ran before.
        var (baseline, outcome, baselineGraph, scenarioGraph) = await Task.Run(
            () =>
            {
                var graphStarted = Stopwatch.GetTimestamp();
                var baselineRun = _graph.Run(city.Baseline, seed, cancellationToken);
                var baselineTime = Stopwatch.GetElapsedTime(graphStarted);
                graphStarted = Stopwatch.GetTimestamp();
                var scenarioRun = _graph.Run(inputs, seed, cancellationToken, from: baselineRun, inputHashes: inputHashes, nearer: nearer);
                return (baselineRun, scenarioRun, baselineTime, Stopwatch.GetElapsedTime(graphStarted));
            },
            cancellationToken).ConfigureAwait(false);
        KeepScenarioRun(new ScenarioGraphRun(scenario.ScenarioId, city, seed, scenario.Interventions, outcome));
        LastRun = outcome;
        LastIncremental = outcome.Incremental;
        LastTimings = baseline.Timings.Concat(outcome.Timings).GroupBy(t => t.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        var reporting = Stopwatch.GetTimestamp();
        var baselineOutcome = BaselineOutcome(city, seed, baseline);
        var baselineReport = Stopwatch.GetElapsedTime(reporting);
        var (scenarioOutcome, reporters, resultHash) = Report(outcome, city.MunicipalityCode, measured: true);
        LastBreakdown = new RunBreakdown(
            cityRead,
            interventions,
            baselineGraph - Sum(baseline.Timings),
            outcome.InputHashing,
            scenarioGraph - outcome.InputHashing - Sum(outcome.Timings),
            baselineReport,
            reporters,
            resultHash);
        return new ScenarioRun(
            scenario,
            seed,
            baselineOutcome,
            scenarioOutcome,
            [.. baseline.Ran.Concat(outcome.Ran).Distinct(StringComparer.Ordinal)],
            Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// Reads the city valid on <paramref name="referenceDate"/> ahead of the first run (the server does it at start):
    /// the store read, every derived baseline port and the ports' content hashes, so a run on that date starts with
    /// the models.
    /// </summary>
    /// <exception cref="ScenarioInputException">There is no city on that date.</exception>
    public async Task WarmAsync(DateOnly referenceDate, CancellationToken cancellationToken)
    {
        var city = await CityAsync(referenceDate, cancellationToken).ConfigureAwait(false);
        // The hashes are remembered per port value (ContentHash), so the first graph run does not compute them.
        await Task.Run(
            () =>
            {
                foreach (var value in city.Baseline.Values)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    ContentHash.Of(value);
                }

                // What the first scenario's new ports are hashed by (CityBaseline.InputHashes), and the indexes its
                // interventions are applied with.
                _ = city.Identity;
                city.PrepareForScenarios();
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a throw-away scenario on the city valid on <paramref name="referenceDate"/> and <paramref name="edits"/>
    /// one-dwelling edits of it, each as a user's run runs (<see cref="RunAsync"/>: the interventions applied, the
    /// baseline and scenario graph runs, the incremental models from the previous edit, the reports and the result
    /// hash), so the code of an edit is past its first calls and the JIT's tier-1 recompiles before a user's first edit
    /// rather than in it (docs/scenarios.md, Speed). Nothing of it stays: it runs on a runner of its own, with a graph of
    /// its own (the same models, so their results do not change: a model's output is a function of its inputs) and the
    /// given <paramref name="reporters"/> (fresh ones, so this runner's kept reports are untouched), and shares only the
    /// city already read. The scenario adds dwellings on a 200 × 200 m plot at the first buurt's interior point.
    /// Returns once the JIT has gone quiet (no method compiled for <see cref="QuietJit"/>, at most
    /// <see cref="QuietJitLimit"/>): the recompiles the edits queued run on the runtime's background thread, and a
    /// user's edit that came while they ran would share the cores with them.
    /// A city of more than <paramref name="buildingLimit"/> buildings is read but not rehearsed.
    /// </summary>
    /// <returns>The city's size, whether it was above the limit, and the models the last of them brought up to date incrementally (what it rehearsed beyond full runs).</returns>
    /// <exception cref="ScenarioInputException">There is no city on that date.</exception>
    public async Task<ScenarioRehearsal> RehearseEditsAsync(DateOnly referenceDate, int edits, int buildingLimit, IReadOnlyList<IIndicatorReporter> reporters, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(edits);
        ArgumentOutOfRangeException.ThrowIfNegative(buildingLimit);
        var city = await CityAsync(referenceDate, cancellationToken).ConfigureAwait(false);
        if (city.Buildings.Count > buildingLimit)
        {
            return new ScenarioRehearsal(city.Buildings.Count, Skipped: true, []);
        }

        var rehearsal = new ScenarioRunner(new ModelGraph(_graph.Models, _graph.BaselineInputs), _features, _indicators, reporters);
        await _reading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            rehearsal._city = _city;
        }
        finally
        {
            _reading.Release();
        }

        var centre = city.Buurten[0].Area.InteriorPoint.Coordinate;
        var plot = city.Buurten[0].Area.Factory.ToGeometry(new Envelope(centre.X - RehearsalPlotHalfSide, centre.X + RehearsalPlotHalfSide, centre.Y - RehearsalPlotHalfSide, centre.Y + RehearsalPlotHalfSide));
        for (var version = 0; version <= edits; version++)
        {
            IReadOnlyList<Intervention> interventions = [new AddDwellings((Polygon)plot, RehearsalDwellings + version, DwellingType.Appartement, Tenure.SocialeHuur)];
            var scenario = new ScenarioVersion(0, version + 1, "warm-up", null, referenceDate, interventions, ScenarioContent.Hash(referenceDate, interventions), DateTimeOffset.UnixEpoch);
            await rehearsal.RunAsync(scenario, 1, cancellationToken).ConfigureAwait(false);
        }

        var quiet = Stopwatch.StartNew();
        var waited = Stopwatch.StartNew();
        var compiled = System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: false);
        while (quiet.Elapsed < QuietJit && waited.Elapsed < QuietJitLimit)
        {
            await Task.Delay(QuietJit / 5, cancellationToken).ConfigureAwait(false);
            var now = System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: false);
            if (now != compiled)
            {
                compiled = now;
                quiet.Restart();
            }
        }

        return new ScenarioRehearsal(city.Buildings.Count, Skipped: false, rehearsal.LastIncremental);
    }

    /// <summary>The indicators of one graph run: every reporter's areas and grids, and the hash over them.</summary>
    public ScenarioOutcome Report(GraphRun run, string municipalityCode) => Report(run, municipalityCode, measured: false).Outcome;

    private (ScenarioOutcome Outcome, TimeSpan Reporters, TimeSpan ResultHash) Report(GraphRun run, string municipalityCode, bool measured)
    {
        ArgumentNullException.ThrowIfNull(run);
        var started = measured ? Stopwatch.GetTimestamp() : 0;
        var areas = EveryArea(_reporters.SelectMany(r => r.Areas(run, municipalityCode)), run.Value(CityPorts.BuurtAreas), municipalityCode);
        var grids = _reporters.SelectMany(r => r.Grids(run)).ToList();
        var reporters = measured ? Stopwatch.GetElapsedTime(started) : TimeSpan.Zero;
        var hashing = measured ? Stopwatch.GetTimestamp() : 0;
        var versions = _graph.Models.ToDictionary(m => m.Descriptor.Id, m => m.Descriptor.Version, StringComparer.Ordinal);
        var outcome = new ScenarioOutcome(Indicators, areas, grids, versions, ResultHash.Of(areas, grids));
        return (outcome, reporters, measured ? Stopwatch.GetElapsedTime(hashing) : TimeSpan.Zero);
    }

    private static TimeSpan Sum(IReadOnlyDictionary<string, TimeSpan> timings) => timings.Values.Aggregate(TimeSpan.Zero, (total, t) => total + t);

    /// <summary>
    /// The report of the baseline run of <paramref name="city"/> with <paramref name="seed"/>: the kept one when the last
    /// run had the same baseline inputs (the same city read, so the same values) and seed, else a new one that is kept.
    /// </summary>
    private ScenarioOutcome BaselineOutcome(CityBaseline city, int seed, GraphRun baseline)
    {
        if (_baselineReport is { } kept && ReferenceEquals(kept.Inputs, city.Baseline) && kept.Seed == seed)
        {
            return kept.Outcome;
        }

        var outcome = Report(baseline, city.MunicipalityCode);
        _baselineReport = new BaselineReport(city.Baseline, seed, outcome);
        return outcome;
    }

    /// <summary>
    /// One value per indicator and area, in a fixed order (indicators as listed, then buurten as the city lists them,
    /// then the municipality): a reporter that left a buurt out (a model with nothing to say there) gets <c>null</c>.
    /// </summary>
    private List<AreaValue> EveryArea(IEnumerable<AreaValue> reported, IReadOnlyList<BuurtArea> buurten, string municipalityCode)
    {
        var known = reported.ToDictionary(v => (v.Indicator, v.AreaCode));
        var codes = buurten.Select(b => b.Code).Append(municipalityCode).ToList();
        return [.. Indicators.SelectMany(i => codes.Select(code => known.GetValueOrDefault((i.Id, code)) ?? new AreaValue(i.Id, code, null)))];
    }

    /// <summary>
    /// The kept last run of <paramref name="scenario"/>'s scenario on the same city and seed, when no more interventions
    /// differ between it and the version than the version has (the baseline has none; an intervention changed in place,
    /// one left out and one put in, counts once); else <c>null</c>.
    /// </summary>
    private GraphRun? NearerRun(ScenarioVersion scenario, CityBaseline city, int seed)
    {
        lock (_scenarioRuns)
        {
            var kept = _scenarioRuns.FirstOrDefault(r => r.ScenarioId == scenario.ScenarioId && ReferenceEquals(r.City, city) && r.Seed == seed);
            if (kept is null)
            {
                return null;
            }

            var (now, then) = (scenario.Interventions, kept.Interventions);
            var differing = Math.Max(now.Count(i => !then.Contains(i)), then.Count(i => !now.Contains(i)));
            return differing <= now.Count ? kept.Run : null;
        }
    }

    private void KeepScenarioRun(ScenarioGraphRun run)
    {
        lock (_scenarioRuns)
        {
            _scenarioRuns.RemoveAll(r => r.ScenarioId == run.ScenarioId || !ReferenceEquals(r.City, run.City));
            if (_scenarioRuns.Count >= KeptScenarioRuns)
            {
                _scenarioRuns.RemoveAt(0);
            }

            _scenarioRuns.Add(run);
        }
    }

    /// <summary>
    /// The city a run on <paramref name="date"/> runs on: read through the store ports on the first call, and again only
    /// when a collection it reads has a new revision. A caller that works on the city itself (the <c>scenario</c>
    /// benchmark's full runs) takes it from here, so the runner's own runs do not read it a second time.
    /// </summary>
    /// <exception cref="ScenarioInputException">There is no city on that date.</exception>
    public async Task<CityBaseline> CityAsync(DateOnly date, CancellationToken cancellationToken)
    {
        var at = TemporalFilter.At(new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        var revisions = new List<string>();
        foreach (var collection in Collections)
        {
            // The cheapest read that returns the collection's revision: an empty box far from any feature (without a box
            // the store lists every feature of the collection, a quarter of a second per edit for the demo city's panden).
            var page = await _features.QueryVersionsAsync(new FeatureQuery(collection, at, new Envelope(-1, -1, -1, -1), Limit: 1), cancellationToken).ConfigureAwait(false);
            revisions.Add($"{collection}:{page.Revision}");
        }

        var key = string.Join(',', revisions);
        await _reading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_city is { } known && known.Date == date && known.Revisions == key)
            {
                return known.City;
            }

            var city = await CityBaseline.ReadAsync(_features, _indicators, date, cancellationToken).ConfigureAwait(false);
            _city = (date, key, city);
            return city;
        }
        finally
        {
            _reading.Release();
        }
    }

    /// <summary>A scenario's last graph run, with what it ran on.</summary>
    private sealed record ScenarioGraphRun(long ScenarioId, CityBaseline City, int Seed, IReadOnlyList<Intervention> Interventions, GraphRun Run);

    private sealed record BaselineReport(IReadOnlyDictionary<string, object> Inputs, int Seed, ScenarioOutcome Outcome);
}

/// <summary>Where one <see cref="ScenarioRunner.RunAsync"/> spent its time outside the models.</summary>
/// <param name="City">Finding the city: the store's collection revisions, and the read itself when they changed.</param>
/// <param name="Interventions">Applying the scenario's interventions to the baseline ports (<see cref="CityBaseline.Inputs"/>).</param>
/// <param name="BaselineGraph">The baseline's graph run less its models (all cached after the first run: hashing and bookkeeping).</param>
/// <param name="ScenarioInputHashing">The scenario graph run hashing its baseline inputs (ports the interventions made anew).</param>
/// <param name="ScenarioGraphOther">The rest of the scenario's graph run outside its models: cache keys, lookups, copying outputs.</param>
/// <param name="BaselineReport">The baseline's report (kept from the last run on the same baseline and seed).</param>
/// <param name="ScenarioReporters">Every reporter over the scenario's run: areas and grids.</param>
/// <param name="ScenarioResultHash">The scenario's result hash over its areas and grids.</param>
public sealed record RunBreakdown(
    TimeSpan City,
    TimeSpan Interventions,
    TimeSpan BaselineGraph,
    TimeSpan ScenarioInputHashing,
    TimeSpan ScenarioGraphOther,
    TimeSpan BaselineReport,
    TimeSpan ScenarioReporters,
    TimeSpan ScenarioResultHash);

/// <summary>What <see cref="ScenarioRunner.RehearseEditsAsync"/> did.</summary>
/// <param name="Buildings">The buildings of the city it read.</param>
/// <param name="Skipped">Whether the city was above the building limit, so it was only read: no scenario ran.</param>
/// <param name="Incremental">The models the last rehearsed edit brought up to date incrementally.</param>
public sealed record ScenarioRehearsal(int Buildings, bool Skipped, IReadOnlyList<string> Incremental);
