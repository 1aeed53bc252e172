using Tweeling.Domain.Scenarios;
using Tweeling.Models.AirQuality;
using Tweeling.Models.City;
using Tweeling.Models.Graph;
using Tweeling.Models.Noise;
using Tweeling.Models.Scenario;
using DwellingType = Tweeling.Domain.Scenarios.DwellingType;
using Tenure = Tweeling.Domain.Scenarios.Tenure;

namespace Tweeling.Models.Tests.Scenario;

/// <summary>
/// <c>geluid</c> and <c>luchtkwaliteit</c> keep what a run derived (sources, segment grid or index, receptors by place,
/// values per receptor) beside its output, and an edit starts from the earlier run's: a chain of edits, each from the
/// previous edit, going back and forth (A → B → A → C → B, then B again from the baseline), must give at every step the
/// outputs of a fresh model's full run, bit for bit (equal content hashes), and each step must be incremental.
/// </summary>
[Collection(DemoCityStoreCollection.Name)]
public sealed class NoiseAirEditChainTests(DemoCityStore demo)
{
    private const int Seed = 7;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Models() => [RoadNoiseModel.ModelId, AirQualityModel.ModelId];

    [Theory]
    [MemberData(nameof(Models))]
    public void Edits_back_and_forth_from_the_previous_edit_equal_fresh_full_runs(string modelId)
    {
        // The upstream graph gives every edit's inputs (traffic included); the model under test is a separate instance, so
        // what it keeps comes only from this chain.
        var graph = ScenarioModels.Graph(IncrementalRunTests.Upstream(ScenarioModels.Create(), modelId));
        var model = (IIncrementalModel)Fresh(modelId);
        var baseline = graph.Run(Inputs(graph, []), Seed, Ct);
        var area = DemoCityStore.StationArea;
        var road = demo.City.Roads.First(r => r.Class == RoadClass.Gebiedsontsluitingsweg && r.Geometry.Intersects(area));
        // A: new flats (new receptors after the baseline's, new trips); B: one flat more and a slower road (new road links);
        // C: A with a small zone's traffic doubled (the same links, other traffic).
        var a = graph.Run(Inputs(graph, [new AddDwellings(area, 1_500, DwellingType.Appartement, Tenure.SocialeHuur)]), Seed, Ct, from: baseline);
        var b = graph.Run(Inputs(graph, [new AddDwellings(area, 1_501, DwellingType.Appartement, Tenure.SocialeHuur), new SetRoadSpeed([road.Id], 30)]), Seed, Ct, from: baseline);
        var c = graph.Run(
            Inputs(graph, [new AddDwellings(area, 1_500, DwellingType.Appartement, Tenure.SocialeHuur), new TrafficFactor(DemoCityStore.Box(104_950, 424_300, 105_150, 424_450), 2)]),
            Seed,
            Ct,
            from: baseline);

        var inputs = (GraphRun run) => model.Descriptor.Inputs.ToDictionary(p => p.Name, p => run.Values[p.Name], StringComparer.Ordinal);
        var baselineOutputs = ModelRun.Execute(model, inputs(baseline), Seed, Ct);
        var (previousInputs, previousOutputs) = (inputs(baseline), baselineOutputs);
        foreach (var (name, run) in new[] { ("A", a), ("B", b), ("A again", a), ("C", c), ("B again", b) })
        {
            var outputs = Step(model, inputs(run), previousInputs, previousOutputs, name);
            (previousInputs, previousOutputs) = (inputs(run), outputs);
        }

        // The baseline run's state is still its own after the chain.
        Step(model, inputs(b), inputs(baseline), baselineOutputs, "B from the baseline after the chain");
    }

    private static IImpactModel Fresh(string modelId) => modelId == RoadNoiseModel.ModelId ? new RoadNoiseModel() : new AirQualityModel();

    private static IReadOnlyDictionary<string, object> Step(
        IIncrementalModel model,
        Dictionary<string, object> inputs,
        Dictionary<string, object> previousInputs,
        IReadOnlyDictionary<string, object> previousOutputs,
        string step)
    {
        var changed = inputs.Keys.Where(k => !ReferenceEquals(inputs[k], previousInputs[k])).ToHashSet(StringComparer.Ordinal);
        var outputs = ModelRun.ExecuteIncremental(model, inputs, Seed, new PreviousRun(previousInputs, previousOutputs, changed), Ct);
        Assert.True(outputs is not null, $"{step}: '{model.Descriptor.Id}' declined the edit.");
        var full = ModelRun.Execute(Fresh(model.Descriptor.Id), inputs, Seed, Ct);
        foreach (var output in model.Descriptor.Outputs)
        {
            Assert.True(
                ContentHash.Of(full[output.Name]) == ContentHash.Of(outputs[output.Name]),
                $"{step}: '{output.Name}' of '{model.Descriptor.Id}' differs from a fresh full run.");
        }

        return outputs;
    }

    private Dictionary<string, object> Inputs(ModelGraph graph, IReadOnlyList<Intervention> interventions)
    {
        var all = demo.City.Inputs(interventions);
        return graph.BaselineInputs.ToDictionary(p => p.Name, p => all[p.Name], StringComparer.Ordinal);
    }
}
