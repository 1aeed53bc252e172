using Tweeling.Domain.Scenarios;
using Tweeling.Models.AirQuality;
using Tweeling.Models.City;
using Tweeling.Models.Graph;
using Tweeling.Models.Liveability;
using Tweeling.Models.Noise;
using Tweeling.Models.Scenario;
using DwellingType = Tweeling.Domain.Scenarios.DwellingType;
using Tenure = Tweeling.Domain.Scenarios.Tenure;

namespace Tweeling.Models.Tests.Scenario;

/// <summary>
/// The incremental contract (docs/scenarios.md, "Incremental runs") for the models downstream of traffic — <c>geluid</c>,
/// <c>luchtkwaliteit</c>, <c>leefbaarheid</c> — on the demo city, for edits that change the traffic of a few links only
/// (a traffic factor on a small zone) and edits that change it everywhere (a closure or a speed change re-routes the
/// city, new dwellings add trips): each output's content hash equals a full run's.
/// </summary>
[Collection(DemoCityStoreCollection.Name)]
public sealed class DownstreamIncrementalRunTests(DemoCityStore demo)
{
    private const int Seed = 7;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var model in new[] { RoadNoiseModel.ModelId, AirQualityModel.ModelId, LiveabilityModel.ModelId })
        {
            foreach (var edit in new[] { "zone-factor", "closure", "speed", "dwellings" })
            {
                data.Add(model, edit);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void An_edit_brought_up_to_date_equals_a_full_run(string modelId, string edit)
    {
        var graph = ScenarioModels.Graph(IncrementalRunTests.Upstream(ScenarioModels.Create(), modelId));
        var model = graph.Models.Single(m => m.Descriptor.Id == modelId);
        var baseline = graph.Run(Inputs(graph, []), Seed, Ct);
        var interventions = Edit(edit);

        var run = graph.Run(Inputs(graph, interventions), Seed, Ct, from: baseline);

        AssertIncrementalEqualsFullRun(model, run, edit);

        // Not vacuous: the edit moved the model's first output away from the baseline's.
        var first = model.Descriptor.Outputs[0].Name;
        Assert.NotEqual(ContentHash.Of(baseline.Values[first]), ContentHash.Of(run.Values[first]));
    }

    /// <summary>
    /// <c>leefbaarheid</c> keeps what it derives from an earlier run beside that run's output (every edit of a scenario
    /// starts from the same baseline run): what was kept for one earlier run must not answer for another. Edits from the
    /// baseline and then from an edited run, on the same model instance, each equal a full run.
    /// </summary>
    [Fact]
    public void Liveability_edits_from_the_baseline_and_from_an_edited_run_each_equal_a_full_run()
    {
        var modelId = LiveabilityModel.ModelId;
        var graph = ScenarioModels.Graph(IncrementalRunTests.Upstream(ScenarioModels.Create(), modelId));
        var model = graph.Models.Single(m => m.Descriptor.Id == modelId);
        var baseline = graph.Run(Inputs(graph, []), Seed, Ct);

        var dwellings = graph.Run(Inputs(graph, Edit("dwellings")), Seed, Ct, from: baseline);
        var speed = graph.Run(Inputs(graph, Edit("speed")), Seed, Ct, from: baseline);
        var closure = graph.Run(Inputs(graph, [.. Edit("dwellings"), .. Edit("closure")]), Seed, Ct, from: dwellings);

        AssertIncrementalEqualsFullRun(model, dwellings, "dwellings");
        AssertIncrementalEqualsFullRun(model, speed, "speed after dwellings");
        AssertIncrementalEqualsFullRun(model, closure, "closure from the dwellings run");
    }

    private static void AssertIncrementalEqualsFullRun(IImpactModel model, GraphRun run, string edit)
    {
        var modelId = model.Descriptor.Id;
        Assert.Contains(modelId, run.Incremental);
        var full = ModelRun.Execute(model, model.Descriptor.Inputs.ToDictionary(p => p.Name, p => run.Values[p.Name], StringComparer.Ordinal), Seed, Ct);
        foreach (var output in model.Descriptor.Outputs)
        {
            Assert.True(
                ContentHash.Of(full[output.Name]) == ContentHash.Of(run.Values[output.Name]),
                $"Edit {edit}: '{output.Name}' of '{modelId}' differs from a full run.");
        }
    }

    /// <summary>
    /// A small zone's traffic doubled leaves every link outside it exactly as assigned, so most receptors, cells and buurten
    /// keep their baseline values: the incremental result shares them with the baseline's, and the rest equal a full run's.
    /// </summary>
    [Fact]
    public void A_small_zone_factor_changes_only_the_receptors_near_it()
    {
        var graph = ScenarioModels.Graph(IncrementalRunTests.Upstream(ScenarioModels.Create(), RoadNoiseModel.ModelId));
        var baseline = graph.Run(Inputs(graph, []), Seed, Ct);

        var run = graph.Run(Inputs(graph, Edit("zone-factor")), Seed, Ct, from: baseline);

        var (before, after) = (baseline.Value(NoisePorts.FacadeLevels), run.Value(NoisePorts.FacadeLevels));
        var kept = after.Zip(before).Count(p => ReferenceEquals(p.First, p.Second));
        var changed = after.Zip(before).Count(p => !p.First.Equals(p.Second));
        Assert.InRange(changed, 1, after.Count / 4);
        Assert.True(kept >= after.Count / 2, $"{kept} of {after.Count} façade levels copied from the baseline.");
    }

    private List<Intervention> Edit(string edit)
    {
        // A distributor road through the station area: the one the closure and speed change act on.
        var area = DemoCityStore.StationArea;
        var road = demo.City.Roads.First(r => r.Class == RoadClass.Gebiedsontsluitingsweg && r.Geometry.Intersects(area));
        return edit switch
        {
            "zone-factor" => [new TrafficFactor(DemoCityStore.Box(104_950, 424_300, 105_150, 424_450), 2)],
            "closure" => [new CloseRoads([road.Id])],
            "speed" => [new SetRoadSpeed([road.Id], 30)],
            "dwellings" => [new AddDwellings(area, 1_500, DwellingType.Appartement, Tenure.SocialeHuur)],
            _ => throw new ArgumentOutOfRangeException(nameof(edit), edit, "Unknown edit."),
        };
    }

    private Dictionary<string, object> Inputs(ModelGraph graph, IReadOnlyList<Intervention> interventions)
    {
        var all = demo.City.Inputs(interventions);
        return graph.BaselineInputs.ToDictionary(p => p.Name, p => all[p.Name], StringComparer.Ordinal);
    }
}
