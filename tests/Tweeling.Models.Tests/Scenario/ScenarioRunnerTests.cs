using Tweeling.Domain.Scenarios;
using Tweeling.Models.AirQuality;
using Tweeling.Models.City;
using Tweeling.Models.Graph;
using Tweeling.Models.Green;
using Tweeling.Models.Heat;
using Tweeling.Models.Noise;
using Tweeling.Models.Results;
using Tweeling.Models.Scenario;
using Tweeling.Models.Traffic;
using DwellingType = Tweeling.Domain.Scenarios.DwellingType;
using Tenure = Tweeling.Domain.Scenarios.Tenure;

namespace Tweeling.Models.Tests.Scenario;

/// <summary>
/// The scenario engine end to end on the demo city in a real SQLite store: every model in one graph, reproducible
/// hashes, the station-area case (issue 6 item 6) and invariants through the whole chain.
/// </summary>
[Collection(DemoCityStoreCollection.Name)]
public sealed class ScenarioRunnerTests(DemoCityStore demo)
{
    private const int Seed = 7;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ScenarioVersion StationDwellings => DemoCityStore.Version(
        new AddDwellings(DemoCityStore.StationArea, 2_000, DwellingType.Appartement, Tenure.SocialeHuur));

    [Fact]
    public void Every_model_joins_one_graph_whose_baseline_inputs_are_the_city_ports()
    {
        var graph = ScenarioModels.Graph(ScenarioModels.Create());

        Assert.Equal(
            ["bereikbaarheid", "bevolking", "geluid", "groen", "hitte", "leefbaarheid", "luchtkwaliteit", "sociaal", "verkeer", "voorzieningen"],
            graph.Models.Select(m => m.Descriptor.Id).Order(StringComparer.Ordinal));
        // Traffic feeds air and noise; population feeds facilities and green.
        Assert.Contains("luchtkwaliteit", graph.Downstream["verkeer"]);
        Assert.Contains("geluid", graph.Downstream["verkeer"]);
        Assert.Contains("voorzieningen", graph.Downstream["bevolking"]);
        Assert.Contains("groen", graph.Downstream["bevolking"]);
        // The social model reads the population; the liveability composite reads every domain's model.
        Assert.Contains("sociaal", graph.Downstream["bevolking"]);
        Assert.All(new[] { "geluid", "luchtkwaliteit", "hitte", "groen", "voorzieningen", "bereikbaarheid", "sociaal" }, id => Assert.Contains("leefbaarheid", graph.Downstream[id]));
        Assert.Equal(graph.BaselineInputs.Count, demo.City.Baseline.Count);
    }

    [Fact]
    public async Task The_same_version_and_seed_on_fresh_runners_give_the_same_result_hash()
    {
        var first = await Fresh().RunAsync(StationDwellings, Seed, Ct);
        var second = await Fresh().RunAsync(StationDwellings, Seed, Ct);

        Assert.Equal(first.Outcome.ResultHash, second.Outcome.ResultHash);
        Assert.Equal(first.Baseline.ResultHash, second.Baseline.ResultHash);
        Assert.NotEqual(first.Baseline.ResultHash, first.Outcome.ResultHash);
        Assert.Equal(10, first.ModelsRan.Count);
        Assert.Equal(10, first.Outcome.ModelVersions.Count);
        // One value per indicator and area: 129 buurten and the municipality.
        Assert.Equal(first.Outcome.Indicators.Count * 130, first.Outcome.Areas.Count);
        Assert.Contains(first.Outcome.Grids, g => g.Indicator == "no2");
        Assert.Contains(first.Outcome.Grids, g => g.Indicator == "hitte-eiland");
    }

    [Fact]
    public async Task An_edit_on_a_runner_that_ran_the_previous_version_gives_what_a_fresh_runner_gives()
    {
        var runner = Fresh();
        var before = await runner.RunAsync(StationDwellings, Seed, Ct);
        var edited = DemoCityStore.Version(new AddDwellings(DemoCityStore.StationArea, 2_001, DwellingType.Appartement, Tenure.SocialeHuur));

        var after = await runner.RunAsync(edited, Seed, Ct);

        // The edit's new ports are hashed from the interventions (CityBaseline.InputHashes): a hash that ignored the
        // change would answer the edit with the previous version's cached outputs.
        Assert.NotEqual(before.Outcome.ResultHash, after.Outcome.ResultHash);
        Assert.Equal((await Fresh().RunAsync(edited, Seed, Ct)).Outcome.ResultHash, after.Outcome.ResultHash);
    }

    /// <summary>
    /// The server's start-up rehearsal (<see cref="ScenarioRunner.RehearseEditsAsync"/>) runs its throw-away scenario's
    /// edits through the incremental paths, on a runner and graph of its own: the runner it was called on keeps no run of
    /// it, its graph cached nothing of it (the rehearsal's seed-1 baseline runs every model again here), and a user's
    /// first run and edit after it give a fresh runner's results.
    /// </summary>
    [Fact]
    public async Task Rehearsed_edits_run_incrementally_and_leave_nothing_a_users_run_meets()
    {
        var runner = Fresh();

        var rehearsal = await runner.RehearseEditsAsync(DemoCityStore.ReferenceDate, 2, ScenarioRunner.RehearsalBuildingLimit, ScenarioModels.Reporters(), Ct);

        Assert.False(rehearsal.Skipped);
        Assert.Equal(demo.City.Buildings.Count, rehearsal.Buildings);
        Assert.Contains("leefbaarheid", rehearsal.Incremental);
        Assert.Contains("geluid", rehearsal.Incremental);
        Assert.Null(runner.LastRun);
        Assert.Equal(10, runner.Graph.Run(demo.City.Baseline, 1, Ct).Ran.Count);
        var edited = DemoCityStore.Version(new AddDwellings(DemoCityStore.StationArea, 2_001, DwellingType.Appartement, Tenure.SocialeHuur));
        var first = await runner.RunAsync(StationDwellings, Seed, Ct);
        var after = await runner.RunAsync(edited, Seed, Ct);
        var fresh = Fresh();
        Assert.Equal((await fresh.RunAsync(StationDwellings, Seed, Ct)).Outcome.ResultHash, first.Outcome.ResultHash);
        Assert.Equal((await fresh.RunAsync(edited, Seed, Ct)).Outcome.ResultHash, after.Outcome.ResultHash);
    }

    /// <summary>
    /// A city above the rehearsal's building limit is read but not rehearsed: no scenario runs (the reporters handed to
    /// the rehearsal fail the test when asked), the runner keeps no run, and a user's first run gives a fresh runner's result.
    /// </summary>
    [Fact]
    public async Task A_city_above_the_building_limit_is_read_but_its_edits_are_not_rehearsed()
    {
        var runner = Fresh();
        var limit = demo.City.Buildings.Count - 1;

        var rehearsal = await runner.RehearseEditsAsync(DemoCityStore.ReferenceDate, 2, limit, [new NeverAsked()], Ct);

        Assert.True(rehearsal.Skipped);
        Assert.Equal(demo.City.Buildings.Count, rehearsal.Buildings);
        Assert.Empty(rehearsal.Incremental);
        Assert.Null(runner.LastRun);
        Assert.Equal(
            (await Fresh().RunAsync(StationDwellings, Seed, Ct)).Outcome.ResultHash,
            (await runner.RunAsync(StationDwellings, Seed, Ct)).Outcome.ResultHash);
    }

    /// <summary>
    /// An edit's exact models start from the scenario's previous run (ModelGraph.Run's nearer), so what ran before must
    /// not show: A → B → C → B on one runner and C → B → A on another give, version for version, the result hashes of
    /// fresh runs, and B (after A, and after C) every model output of a fresh runner's B bit for bit.
    /// </summary>
    [Fact]
    public async Task Edits_from_the_previous_run_give_bit_identical_outputs_whatever_ran_before()
    {
        var a = StationFlats(2_000);
        var b = StationFlats(2_001);
        var c = StationFlats(2_001, new AddDwellings(DemoCityStore.Box(103_000, 423_000, 103_300, 423_300), 300, DwellingType.Tussenwoning, Tenure.Koop));
        var fresh = Fresh();
        var freshB = await fresh.RunAsync(b, Seed, Ct);
        var freshBRun = fresh.LastRun!;
        var chain = Fresh();
        var chainA = await chain.RunAsync(a, Seed, Ct);
        var chainB = await chain.RunAsync(b, Seed, Ct);
        var bFromA = chain.LastRun!;
        var chainC = await chain.RunAsync(c, Seed, Ct);
        var chainBAgain = await chain.RunAsync(b, Seed, Ct);
        var reordered = Fresh();
        var reorderedC = await reordered.RunAsync(c, Seed, Ct);
        var reorderedB = await reordered.RunAsync(b, Seed, Ct);
        var bFromC = reordered.LastRun!;
        var reorderedA = await reordered.RunAsync(a, Seed, Ct);

        // Not vacuous: B after A and B after C started exact downstream models from the previous run; a fresh B did not.
        Assert.Empty(freshBRun.FromNearer);
        Assert.Contains("geluid", bFromA.FromNearer);
        Assert.Contains("luchtkwaliteit", bFromC.FromNearer);
        Assert.All(new[] { chainB, chainBAgain, reorderedB }, run => Assert.Equal(freshB.Outcome.ResultHash, run.Outcome.ResultHash));
        Assert.Equal(chainA.Outcome.ResultHash, reorderedA.Outcome.ResultHash);
        Assert.Equal(chainC.Outcome.ResultHash, reorderedC.Outcome.ResultHash);
        foreach (var port in chain.Graph.Models.SelectMany(m => m.Descriptor.Outputs))
        {
            var expected = ContentHash.Of(freshBRun.Values[port.Name]);
            Assert.True(expected == ContentHash.Of(bFromA.Values[port.Name]), $"'{port.Name}' of B after A differs from a fresh run of B.");
            Assert.True(expected == ContentHash.Of(bFromC.Values[port.Name]), $"'{port.Name}' of B after C differs from a fresh run of B.");
        }

        // Same version id and number as the DemoCityStore versions: only the interventions tell them apart.
        static ScenarioVersion StationFlats(int count, params Intervention[] more) =>
            DemoCityStore.Version([new AddDwellings(DemoCityStore.StationArea, count, DwellingType.Appartement, Tenure.SocialeHuur), .. more]);
    }

    [Fact]
    public async Task A_runner_keeps_the_baseline_report_for_runs_on_the_same_baseline_and_seed_only()
    {
        var runner = Fresh();
        var station = await runner.RunAsync(StationDwellings, Seed, Ct);
        var fewer = await runner.RunAsync(DemoCityStore.Version(new AddDwellings(DemoCityStore.StationArea, 500, DwellingType.Tussenwoning, Tenure.Koop)), Seed, Ct);
        var otherSeed = await runner.RunAsync(StationDwellings, Seed + 1, Ct);

        // The second scenario on the same baseline and seed is answered with the kept report, which is what a fresh
        // runner reports for that baseline; another seed gets a report of its own.
        Assert.Same(station.Baseline, fewer.Baseline);
        Assert.Equal((await Fresh().RunAsync(StationDwellings, Seed, Ct)).Baseline.ResultHash, fewer.Baseline.ResultHash);
        Assert.NotSame(station.Baseline, otherSeed.Baseline);
        Assert.NotEqual(station.Outcome.ResultHash, fewer.Outcome.ResultHash);
    }

    [Fact]
    public async Task Kept_reports_give_what_reporting_every_run_anew_gives_through_edits_back_and_forth()
    {
        // A → B → A → C, where B adds grass (the traffic, air and noise ports stay the station's, so their kept reports
        // answer) and C changes the dwelling count (every dwelling-weighted report is made anew).
        var withGrass = DemoCityStore.Version(
            new AddDwellings(DemoCityStore.StationArea, 2_000, DwellingType.Appartement, Tenure.SocialeHuur),
            new AddGreen(DemoCityStore.Box(104_700, 424_100, 105_000, 424_400), GreenKind.Gras));
        var moreDwellings = DemoCityStore.Version(new AddDwellings(DemoCityStore.StationArea, 2_001, DwellingType.Appartement, Tenure.SocialeHuur));
        var kept = Fresh();
        var anew = new ScenarioRunner(ScenarioModels.Graph(ScenarioModels.Create()), demo.Store, demo.Store, ScenarioModels.PlainReporters());

        var hashes = new List<string>();
        foreach (var version in new[] { StationDwellings, withGrass, StationDwellings, moreDwellings })
        {
            var reported = await kept.RunAsync(version, Seed, Ct);
            var expected = await anew.RunAsync(version, Seed, Ct);
            Assert.Equal(expected.Outcome.ResultHash, reported.Outcome.ResultHash);
            Assert.Equal(expected.Outcome.Areas, reported.Outcome.Areas);
            Assert.Equal(expected.Baseline.ResultHash, reported.Baseline.ResultHash);
            hashes.Add(reported.Outcome.ResultHash);
        }

        Assert.Equal(3, hashes.Distinct().Count());
    }

    [Fact]
    public async Task Two_thousand_dwellings_at_the_station_move_the_expected_domains_the_expected_way()
    {
        var run = await demo.Runner.RunAsync(StationDwellings, Seed, Ct);
        var buurt = demo.City.Locator.Find(DemoCityStore.StationArea.InteriorPoint);
        double? Before(string indicator, string area) => Value(run.Baseline, indicator, area);
        double? After(string indicator, string area) => Value(run.Outcome, indicator, area);
        const string city = "GM9999";

        // Residents up in the buurt and the city; trips and vehicle kilometres up.
        Assert.True(After("inwoners", buurt) > Before("inwoners", buurt) + 2_000, $"{Before("inwoners", buurt)} → {After("inwoners", buurt)}");
        Assert.True(After("inwoners", city) > Before("inwoners", city) + 2_000);
        Assert.True(After("autoritten", city) > Before("autoritten", city));
        Assert.True(After("voertuigkilometers", city) > Before("voertuigkilometers", city));
        // GP demand over capacity up in the buurt and the city; green per inhabitant down in the buurt.
        Assert.True(After("huisarts-vraag-capaciteit", buurt) > Before("huisarts-vraag-capaciteit", buurt));
        Assert.True(After("huisarts-vraag-capaciteit", city) > Before("huisarts-vraag-capaciteit", city));
        Assert.True(After("groen-per-inwoner", buurt) < Before("groen-per-inwoner", buurt));
        Assert.True(After("groen-per-inwoner", city) < Before("groen-per-inwoner", city));

        // More traffic on the links near the area, and NO2 and Lden at the buurt's existing dwellings not lower on average
        // (the buurt's indicator also averages in the new buildings, set back inside the blocks); where a single façade
        // gets less, its street lost traffic to re-routing (the assignment is an equilibrium under congestion).
        var outcomeRun = await GraphRunsAsync(StationDwellings);
        var existing = demo.City.Dwellings.Where(d => d.Buurtcode == buurt).Select(d => d.BuildingId).ToHashSet(StringComparer.Ordinal);
        double MeanNo2(GraphRun r) => r.Value(AirQualityPorts.ReceptorConcentrations).Where(c => existing.Contains(c.Id)).Average(c => c.No2);
        double MeanLden(GraphRun r) => r.Value(NoisePorts.FacadeLevels).Where(f => existing.Contains(f.ReceptorId)).Average(f => f.LdenDb);
        Assert.True(MeanNo2(outcomeRun.Outcome) >= MeanNo2(outcomeRun.Baseline), $"NO2 {MeanNo2(outcomeRun.Baseline)} → {MeanNo2(outcomeRun.Outcome)}");
        Assert.True(MeanLden(outcomeRun.Outcome) >= MeanLden(outcomeRun.Baseline), $"Lden {MeanLden(outcomeRun.Baseline)} → {MeanLden(outcomeRun.Outcome)}");
        var near = demo.City.Roads.Where(l => l.Geometry.Distance(DemoCityStore.StationArea) < 200).Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
        var (trafficBefore, trafficAfter) = (Links(outcomeRun.Baseline), Links(outcomeRun.Outcome));
        Assert.True(near.Sum(id => trafficAfter.GetValueOrDefault(id)) > near.Sum(id => trafficBefore.GetValueOrDefault(id)));
        AssertLowerOnlyWhereTrafficFell(outcomeRun.Baseline, outcomeRun.Outcome);

        // The new buildings and their paving warm the buurt (land cover, docs/scenarios.md); tree canopy is not touched,
        // and the 65+ share of the city barely moves.
        Assert.True(After("hitte-eiland", buurt) > Before("hitte-eiland", buurt), $"UHI {Before("hitte-eiland", buurt)} → {After("hitte-eiland", buurt)}");
        Assert.Equal(Before("kroonbedekking", city), After("kroonbedekking", city));
        Assert.Equal(Before("aandeel-65-plus", city)!.Value, After("aandeel-65-plus", city)!.Value, 1.0);
    }

    [Fact]
    public async Task More_traffic_in_random_zones_never_lowers_NO2_PM_or_Lden_at_any_facade_and_raises_them_city_wide()
    {
        var baseline = demo.Runner.Graph.Run(demo.City.Baseline, Seed, Ct);
        var motorLinks = demo.City.Roads.Where(l => l.Class != RoadClass.Fietspad).ToList();
        // Fixed seed: the same zones every run, spread over the city; each zone is centred on a motor link so it holds traffic.
        var random = new Random(20261201);
        for (var round = 0; round < 3; round++)
        {
            var zones = Enumerable.Range(0, 1 + random.Next(3)).Select(_ =>
            {
                var centre = motorLinks[random.Next(motorLinks.Count)].Geometry.Centroid;
                var half = 100 + (random.NextDouble() * 600);
                return new TrafficFactor(DemoCityStore.Box(centre.X - half, centre.Y - half, centre.X + half, centre.Y + half), 1 + (random.NextDouble() * 2));
            }).ToArray();

            var outcome = await GraphRunAsync(DemoCityStore.Version(zones));

            var airBefore = baseline.Value(AirQualityPorts.ReceptorConcentrations).ToDictionary(c => c.Id, StringComparer.Ordinal);
            var air = outcome.Value(AirQualityPorts.ReceptorConcentrations);
            Assert.Equal(airBefore.Count, air.Count);
            Assert.All(air, c => Assert.True(
                c.No2 >= airBefore[c.Id].No2 && c.Pm10 >= airBefore[c.Id].Pm10 && c.Pm25 >= airBefore[c.Id].Pm25,
                $"round {round}: at {c.Id} NO2 {airBefore[c.Id].No2} → {c.No2}, PM10 {airBefore[c.Id].Pm10} → {c.Pm10}, PM2.5 {airBefore[c.Id].Pm25} → {c.Pm25}"));
            var noiseBefore = baseline.Value(NoisePorts.FacadeLevels).ToDictionary(f => f.ReceptorId, StringComparer.Ordinal);
            var noise = outcome.Value(NoisePorts.FacadeLevels);
            Assert.Equal(noiseBefore.Count, noise.Count);
            Assert.All(noise, f => Assert.True(f.LdenDb >= noiseBefore[f.ReceptorId].LdenDb, $"round {round}: Lden at {f.ReceptorId} {noiseBefore[f.ReceptorId].LdenDb} → {f.LdenDb}"));

            Assert.True(air.Sum(c => c.No2) > airBefore.Values.Sum(c => c.No2), $"round {round}: city-wide NO2 did not rise");
            Assert.True(air.Sum(c => c.Pm10) > airBefore.Values.Sum(c => c.Pm10), $"round {round}: city-wide PM10 did not rise");
            Assert.True(noise.Sum(f => f.LdenDb) > noiseBefore.Values.Sum(f => f.LdenDb), $"round {round}: city-wide Lden did not rise");
        }
    }

    [Fact]
    public async Task A_traffic_factor_scales_the_links_in_its_zone_and_leaves_the_trips_and_the_rest_of_the_network_alone()
    {
        var outcome = await GraphRunAsync(DemoCityStore.Version(new TrafficFactor(DemoCityStore.StationArea, 1.5)));
        var baseline = demo.Runner.Graph.Run(demo.City.Baseline, Seed, Ct);

        var inZone = demo.City.Roads.Where(l => l.Class != RoadClass.Fietspad && l.Geometry.Intersects(DemoCityStore.StationArea)).Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
        var (before, after) = (Links(baseline), Links(outcome));
        Assert.NotEmpty(inZone);
        Assert.All(after, l => Assert.Equal(before[l.Key] * (inZone.Contains(l.Key) ? 1.5 : 1), l.Value, 9));
        Assert.True(inZone.Sum(id => after[id]) > inZone.Sum(id => before[id]));
        Assert.Equal(baseline.Value(TrafficPorts.Trips).Generated, outcome.Value(TrafficPorts.Trips).Generated, 9);
        Assert.True(outcome.Value(TrafficPorts.Trips).VehicleKilometres > baseline.Value(TrafficPorts.Trips).VehicleKilometres);
    }

    [Fact]
    public async Task Two_thousand_dwellings_on_green_raise_the_heat_island_in_their_cells_and_lower_green_per_inhabitant()
    {
        // The largest public green space of the demo city, and a rectangle inside it that is mostly green.
        var park = ((IReadOnlyList<GreenSpace>)demo.City.Baseline[GreenPorts.PublicGreen.Name]).MaxBy(g => g.Area.Area)!;
        var site = (NetTopologySuite.Geometries.Polygon)park.Area.InteriorPoint.Buffer(150, 1).Envelope.Intersection(park.Area.Envelope);
        var version = DemoCityStore.Version(new AddDwellings(site, 2_000, DwellingType.Tussenwoning, Tenure.Koop));
        var run = await demo.Runner.RunAsync(version, Seed, Ct);
        var runs = await GraphRunsAsync(version);

        bool InSite(HeatCell c) => site.Contains(DemoCityStore.Factory.CreatePoint(new NetTopologySuite.Geometries.Coordinate(c.CenterX, c.CenterY)));
        var before = runs.Baseline.Value(HeatPorts.Cells).Where(InSite).ToList();
        var after = runs.Outcome.Value(HeatPorts.Cells).Where(InSite).ToList();
        Assert.NotEmpty(before);
        Assert.All(before.Zip(after), p => Assert.True(
            p.Second.UhiMaxK > p.First.UhiMaxK && p.Second.Cover.Building > p.First.Cover.Building,
            $"cell {p.First.Column},{p.First.Row}: UHI {p.First.UhiMaxK} → {p.Second.UhiMaxK}, built {p.First.Cover.Building} → {p.Second.Cover.Building}"));
        var buurt = demo.City.Locator.Find(site.InteriorPoint);
        Assert.True(Value(run.Outcome, "hitte-eiland", buurt) > Value(run.Baseline, "hitte-eiland", buurt));
        Assert.True(Value(run.Outcome, "groen-per-inwoner", buurt) < Value(run.Baseline, "groen-per-inwoner", buurt));
        // Less public green in absolute terms too: the plots were cut out of the park.
        var greenBefore = ((IReadOnlyList<GreenSpace>)demo.City.Baseline[GreenPorts.PublicGreen.Name]).Sum(g => g.Area.Area);
        var greenAfter = ((IReadOnlyList<GreenSpace>)demo.City.Inputs(version.Interventions)[GreenPorts.PublicGreen.Name]).Sum(g => g.Area.Area);
        Assert.True(greenAfter < greenBefore - 10_000, $"public green {greenBefore:F0} → {greenAfter:F0} m²");
    }

    [Fact]
    public async Task Adding_green_never_raises_heat_in_any_cell()
    {
        var runs = await GraphRunsAsync(DemoCityStore.Version(new AddGreen(DemoCityStore.StationArea, GreenKind.Gras), new AddGreen(DemoCityStore.Box(103_000, 423_000, 103_400, 423_400), GreenKind.Bomen)));

        var before = runs.Baseline.Value(HeatPorts.Cells);
        var after = runs.Outcome.Value(HeatPorts.Cells);
        Assert.Equal(before.Count, after.Count);
        Assert.All(before.Zip(after), p => Assert.True(p.Second.UhiMaxK <= p.First.UhiMaxK + 1e-9, $"cell {p.First.Column},{p.First.Row}: {p.First.UhiMaxK} → {p.Second.UhiMaxK}"));
        Assert.Contains(before.Zip(after), p => p.Second.UhiMaxK < p.First.UhiMaxK);
    }

    [Fact]
    public void Trips_generated_equal_trips_assigned_plus_unassigned_and_all_are_assigned_on_the_connected_demo_network()
    {
        var trips = demo.Runner.Graph.Run(demo.City.Baseline, Seed, Ct).Value(TrafficPorts.Trips);

        Assert.True(trips.Generated > 10_000);
        Assert.Equal(trips.Generated, trips.Assigned + trips.Unassigned, 6);
        Assert.Equal(trips.Generated, trips.Assigned, 6);
    }

    private async Task<GraphRun> GraphRunAsync(ScenarioVersion version) => (await GraphRunsAsync(version)).Outcome;

    private ScenarioRunner Fresh() => new(ScenarioModels.Graph(ScenarioModels.Create()), demo.Store, demo.Store, ScenarioModels.Reporters());

    private async Task<(GraphRun Baseline, GraphRun Outcome)> GraphRunsAsync(ScenarioVersion version)
    {
        await demo.Runner.RunAsync(version, Seed, Ct);
        // Answered from the graph's cache: the runs the runner just made.
        return (demo.Runner.Graph.Run(demo.City.Baseline, Seed, Ct), demo.Runner.Graph.Run(demo.City.Inputs(version.Interventions), Seed, Ct));
    }

    /// <summary>
    /// The chain's invariant under re-routing and congestion: air and noise rise with traffic, so a receptor gets less
    /// NO2 only where a link within the SRM1 domain (60 m) carries less traffic or less congestion, and less Lden only
    /// where a link within the noise search radius carries less or drives slower (CNOSSOS rolling noise falls with speed).
    /// </summary>
    private void AssertLowerOnlyWhereTrafficFell(GraphRun before, GraphRun after)
    {
        var was = before.Value(TrafficPorts.LinkTraffic).ToDictionary(l => l.LinkId, StringComparer.Ordinal);
        var now = after.Value(TrafficPorts.LinkTraffic).ToDictionary(l => l.LinkId, StringComparer.Ordinal);
        bool Less(string id, Func<LinkTraffic, double> value) => was.TryGetValue(id, out var b) && now.TryGetValue(id, out var a) && value(a) < value(b);
        var lessAir = demo.City.Roads.Where(l => Less(l.Id, t => t.VehiclesPerDay) || Less(l.Id, t => t.CongestionShare)).ToList();
        var lessNoise = demo.City.Roads.Where(l => Less(l.Id, t => t.VehiclesPerDay) || Less(l.Id, t => t.MeanSpeedKmh)).ToList();

        var airBefore = before.Value(AirQualityPorts.ReceptorConcentrations).ToDictionary(c => c.Id, StringComparer.Ordinal);
        var air = after.Value(AirQualityPorts.ReceptorConcentrations).Where(c => airBefore.TryGetValue(c.Id, out var b) && c.No2 < b.No2 - 1e-9).ToList();
        Assert.All(air, c => Assert.True(
            Near(lessAir, DemoCityStore.Factory.CreatePoint(new NetTopologySuite.Geometries.Coordinate(c.X, c.Y)), 60),
            $"NO2 at {c.Id} fell ({airBefore[c.Id].No2} → {c.No2}) with no link within 60 m losing traffic or congestion"));
        var location = ((IReadOnlyList<NoiseReceptor>)demo.City.Baseline[NoisePorts.Receptors.Name]).ToDictionary(r => r.Id, r => r.Location, StringComparer.Ordinal);
        var noiseBefore = before.Value(NoisePorts.FacadeLevels).ToDictionary(f => f.ReceptorId, StringComparer.Ordinal);
        var noise = after.Value(NoisePorts.FacadeLevels).Where(f => noiseBefore.TryGetValue(f.ReceptorId, out var b) && f.LdenDb < b.LdenDb - 1e-9 && location.ContainsKey(f.ReceptorId)).ToList();
        Assert.All(noise, f => Assert.True(
            Near(lessNoise, location[f.ReceptorId], RoadNoiseSettings.Default.SearchRadiusM), $"Lden at {f.ReceptorId} fell with no link nearby losing traffic or speed"));
    }

    private static bool Near(IReadOnlyList<RoadLink> links, NetTopologySuite.Geometries.Point point, double metres) =>
        links.Any(l => l.Geometry.EnvelopeInternal.Distance(point.EnvelopeInternal) <= metres && l.Geometry.Distance(point) <= metres);

    private static Dictionary<string, double> Links(GraphRun run) =>
        run.Value(TrafficPorts.LinkTraffic).ToDictionary(l => l.LinkId, l => l.VehiclesPerDay, StringComparer.Ordinal);

    private static double? Value(ScenarioOutcome outcome, string indicator, string area) =>
        outcome.Areas.Single(a => a.Indicator == indicator && a.AreaCode == area).Value;

    /// <summary>A reporter for a rehearsal that must not run: asked anything, it fails the test.</summary>
    private sealed class NeverAsked : IIndicatorReporter
    {
        public IReadOnlyList<ResultIndicator> Indicators => [];

        public IReadOnlyList<AreaValue> Areas(GraphRun run, string municipalityCode) => throw new InvalidOperationException("The rehearsal ran a scenario on a city above its building limit.");

        public IReadOnlyList<GridLayer> Grids(GraphRun run) => throw new InvalidOperationException("The rehearsal ran a scenario on a city above its building limit.");
    }
}
