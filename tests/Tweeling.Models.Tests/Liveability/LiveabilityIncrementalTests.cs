using Tweeling.Domain.Scenarios;
using Tweeling.Models.City;
using Tweeling.Models.Graph;
using Tweeling.Models.Liveability;
using Tweeling.Models.Scenario;
using Tweeling.Models.Tests.Scenario;
using DwellingType = Tweeling.Domain.Scenarios.DwellingType;
using Tenure = Tweeling.Domain.Scenarios.Tenure;

namespace Tweeling.Models.Tests.Liveability;

/// <summary>
/// The look-ups <c>leefbaarheid</c> keeps beside each run's output for the next run that starts from it
/// (docs/models/leefbaarheid.md, "Incremental runs"), on the demo city: edits back and forth on one model instance, each
/// starting from the previous edit's output as the scenario runner does, equal a fresh model's full run bit for bit;
/// and a one-dwelling edit copies the buurten it leaves alone instead of scoring them again.
/// </summary>
[Collection(DemoCityStoreCollection.Name)]
public sealed class LiveabilityIncrementalTests(DemoCityStore demo)
{
    private const int Seed = 7;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Edits_back_and_forth_from_the_previous_edit_each_equal_a_fresh_full_run()
    {
        var graph = ScenarioModels.Graph(IncrementalRunTests.Upstream(ScenarioModels.Create(), LiveabilityModel.ModelId));
        var baseline = graph.Run(Inputs(graph, []), Seed, Ct);
        var a = graph.Run(Inputs(graph, Flats(1_500)), Seed, Ct, from: baseline);
        var b = graph.Run(Inputs(graph, [.. Flats(1_501), .. SlowerRoad()]), Seed, Ct, from: baseline, nearer: a);
        BackAndForthEachEqualAFreshFullRun(baseline, a, b);
    }

    [Fact]
    public void Edits_that_demolish_back_and_forth_from_the_previous_edit_each_equal_a_fresh_full_run()
    {
        // A demolition takes dwellings out of the middle of the list, so buildings with records before the first
        // difference are touched and each edit here derives the buildings again (the test above patches them).
        var graph = ScenarioModels.Graph(IncrementalRunTests.Upstream(ScenarioModels.Create(), LiveabilityModel.ModelId));
        var baseline = graph.Run(Inputs(graph, []), Seed, Ct);
        var a = graph.Run(Inputs(graph, [new DemolishDwellings(DemoCityStore.Box(104_000, 423_500, 104_600, 424_000)), .. Flats(1_500)]), Seed, Ct, from: baseline);
        var b = graph.Run(Inputs(graph, Flats(1_501)), Seed, Ct, from: baseline, nearer: a);

        Assert.True(
            a.Value(CityPorts.Dwellings).Count < b.Value(CityPorts.Dwellings).Count,
            "The demolition took no dwellings away, so the buildings were never derived again.");
        BackAndForthEachEqualAFreshFullRun(baseline, a, b);
    }

    // One instance through baseline → A → B → A → B, each edit from the one before, as a scenario's edits run.
    private static void BackAndForthEachEqualAFreshFullRun(GraphRun baseline, GraphRun a, GraphRun b)
    {
        var model = new LiveabilityModel();
        var output = ModelRun.Execute(model, InputsOf(model, baseline), Seed, Ct);
        var (before, beforeOutput) = (baseline, output);
        foreach (var (run, name) in new[] { (a, "A"), (b, "B"), (a, "A again"), (b, "B again") })
        {
            var inputs = InputsOf(model, run);
            var incremental = ModelRun.ExecuteIncremental(model, inputs, Seed, Previous(model, before, beforeOutput), Ct);

            Assert.True(incremental is not null, $"Edit {name} ran in full instead of from the edit before it.");
            var full = ModelRun.Execute(new LiveabilityModel(), inputs, Seed, Ct);
            Assert.True(
                ContentHash.Of(full[LiveabilityPorts.Liveability.Name]) == ContentHash.Of(incremental[LiveabilityPorts.Liveability.Name]),
                $"Edit {name} differs from a fresh full run.");
            (before, beforeOutput) = (run, incremental);
        }

        // Not vacuous: A and B differ from each other and from the baseline.
        Assert.NotEqual(ContentHash.Of(baseline.Values[LiveabilityPorts.Liveability.Name]), ContentHash.Of(a.Values[LiveabilityPorts.Liveability.Name]));
        Assert.NotEqual(ContentHash.Of(a.Values[LiveabilityPorts.Liveability.Name]), ContentHash.Of(b.Values[LiveabilityPorts.Liveability.Name]));
    }

    [Fact]
    public void A_one_dwelling_edit_copies_the_buurten_whose_scores_it_leaves_alone()
    {
        var graph = ScenarioModels.Graph(IncrementalRunTests.Upstream(ScenarioModels.Create(), LiveabilityModel.ModelId));
        var baseline = graph.Run(Inputs(graph, []), Seed, Ct);
        var a = graph.Run(Inputs(graph, Flats(1_500)), Seed, Ct, from: baseline);
        var b = graph.Run(Inputs(graph, Flats(1_501)), Seed, Ct, from: baseline, nearer: a);

        Assert.Contains(LiveabilityModel.ModelId, b.FromNearer);
        var (then, now) = (a.Value(LiveabilityPorts.Liveability), b.Value(LiveabilityPorts.Liveability));
        var before = then.ToDictionary(s => s.Buurtcode, StringComparer.Ordinal);
        var equal = now.Where(s => before.TryGetValue(s.Buurtcode, out var was) && was.Equals(s)).ToList();
        var copied = equal.Count(s => ReferenceEquals(before[s.Buurtcode], s));
        // One more flat changes the 2SFCA ratios of most buurten (voorzieningen spreads the demand over every facility in
        // reach), so only some keep their scores; those must be the earlier records, not scored again.
        Assert.True(equal.Count > 0, $"None of the {now.Count} buurten kept their scores.");
        Assert.True(copied == equal.Count, $"{equal.Count - copied} of the {equal.Count} buurten with unchanged scores were scored again instead of copied.");
    }

    private static List<Intervention> Flats(int count) => [new AddDwellings(DemoCityStore.StationArea, count, DwellingType.Appartement, Tenure.SocialeHuur)];

    private List<Intervention> SlowerRoad()
    {
        var road = demo.City.Roads.First(r => r.Class == RoadClass.Gebiedsontsluitingsweg && r.Geometry.Intersects(DemoCityStore.StationArea));
        return [new SetRoadSpeed([road.Id], 30)];
    }

    private static Dictionary<string, object> InputsOf(IImpactModel model, GraphRun run) =>
        model.Descriptor.Inputs.ToDictionary(p => p.Name, p => run.Values[p.Name], StringComparer.Ordinal);

    private static PreviousRun Previous(IImpactModel model, GraphRun run, IReadOnlyDictionary<string, object> outputs) =>
        new(InputsOf(model, run), outputs, model.Descriptor.Inputs.Select(p => p.Name).ToHashSet(StringComparer.Ordinal));

    private Dictionary<string, object> Inputs(ModelGraph graph, IReadOnlyList<Intervention> interventions)
    {
        var all = demo.City.Inputs(interventions);
        return graph.BaselineInputs.ToDictionary(p => p.Name, p => all[p.Name], StringComparer.Ordinal);
    }
}
