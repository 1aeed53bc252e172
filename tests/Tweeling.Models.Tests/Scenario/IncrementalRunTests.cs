using Tweeling.Domain.Scenarios;
using Tweeling.Models.Graph;
using Tweeling.Models.Scenario;
using Tweeling.Models.Traffic;
using DwellingType = Tweeling.Domain.Scenarios.DwellingType;
using FacilitiesModel = Tweeling.Models.Facilities.FacilitiesModel;
using GreenModel = Tweeling.Models.Green.GreenModel;
using HeatModel = Tweeling.Models.Heat.HeatModel;
using Tenure = Tweeling.Domain.Scenarios.Tenure;

namespace Tweeling.Models.Tests.Scenario;

/// <summary>
/// The incremental contract (docs/scenarios.md, "Incremental runs") on the demo city: every model that brings its last
/// run up to date (<see cref="IIncrementalModel"/>) gives, after a series of random edits, the very outputs a full run
/// gives on the same inputs, bit for bit (equal content hashes).
/// </summary>
[Collection(DemoCityStoreCollection.Name)]
public sealed class IncrementalRunTests(DemoCityStore demo)
{
    private const int Seed = 7;

    // Each edit also runs the model in full to compare: a handful keeps the test in seconds.
    private const int Edits = 4;

    /// <summary>
    /// The models that bring every one of the random edits up to date: their incremental paths handle new dwellings that
    /// cover public green and land cover (CityBaseline.Interventions), and more inhabitants, ageing and a new GP in any
    /// buurt, also one that had no dwellings before and so joins the population's list (voorzieningen), so none of these
    /// local edits may fall back.
    /// </summary>
    private static readonly HashSet<string> s_incrementalOnEveryEdit = [GreenModel.ModelId, HeatModel.ModelId, FacilitiesModel.ModelId];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The traffic model's warm start has a stated tolerance instead (docs/scenarios.md): TrafficWarmStartTests holds it to that.
    public static TheoryData<string> IncrementalModels() =>
        [.. ScenarioModels.Create().OfType<IIncrementalModel>().Select(m => m.Descriptor.Id).Where(id => id != TrafficModel.ModelId)];

    [Theory]
    [MemberData(nameof(IncrementalModels))]
    public void Random_edits_brought_up_to_date_equal_a_full_run(string modelId)
    {
        // The model and the models it reads from, so only what feeds it runs.
        var graph = ScenarioModels.Graph(Upstream(ScenarioModels.Create(), modelId));
        var model = graph.Models.Single(m => m.Descriptor.Id == modelId);
        var random = new Random(20261201);
        var incrementalRuns = 0;
        // Every edit starts from the baseline, as the runner does.
        var baseline = graph.Run(Inputs(graph, []), Seed, Ct);
        for (var edit = 0; edit < Edits; edit++)
        {
            var interventions = RandomEdit(random, edit);
            var run = graph.Run(Inputs(graph, interventions), Seed, Ct, from: baseline);
            incrementalRuns += run.Incremental.Contains(modelId) ? 1 : 0;

            var full = ModelRun.Execute(model, model.Descriptor.Inputs.ToDictionary(p => p.Name, p => run.Values[p.Name], StringComparer.Ordinal), Seed, Ct);
            foreach (var output in model.Descriptor.Outputs)
            {
                Assert.True(
                    ContentHash.Of(full[output.Name]) == ContentHash.Of(run.Values[output.Name]),
                    $"Edit {edit} ({string.Join(", ", interventions.Select(i => i.GetType().Name))}): '{output.Name}' of '{modelId}' differs from a full run.");
            }
        }

        // Not vacuous: at least one edit was answered incrementally, and every one for the models that handle changed green
        // and land cover in a few places.
        var expected = s_incrementalOnEveryEdit.Contains(modelId) ? Edits : 1;
        Assert.True(incrementalRuns >= expected, $"{modelId} ran incrementally {incrementalRuns} of {Edits} times; expected at least {expected}.");
    }

    [Fact]
    public void Planted_trees_run_groen_in_full_and_heat_incrementally_both_equal_to_a_full_run()
    {
        // Trees change the canopy under their crowns and the trees near dwellings: groen's incremental path declines and
        // the graph runs it in full. For hitte a tree is land cover in a few cells, which it brings up to date.
        var models = ScenarioModels.Create();
        var graph = ScenarioModels.Graph([.. Upstream(models, GreenModel.ModelId).Union(Upstream(models, HeatModel.ModelId))]);
        var baseline = graph.Run(Inputs(graph, []), Seed, Ct);
        var park = DemoCityStore.Box(104_950, 424_300, 105_150, 424_450);
        var run = graph.Run(Inputs(graph, [new AddGreen(park, GreenKind.Bomen)]), Seed, Ct, from: baseline);

        Assert.DoesNotContain(GreenModel.ModelId, run.Incremental);
        Assert.Contains(HeatModel.ModelId, run.Incremental);
        foreach (var model in graph.Models.Where(m => m.Descriptor.Id is GreenModel.ModelId or HeatModel.ModelId))
        {
            var full = ModelRun.Execute(model, model.Descriptor.Inputs.ToDictionary(p => p.Name, p => run.Values[p.Name], StringComparer.Ordinal), Seed, Ct);
            Assert.All(model.Descriptor.Outputs, output => Assert.Equal(ContentHash.Of(full[output.Name]), ContentHash.Of(run.Values[output.Name])));
        }
    }

    /// <summary>
    /// An edit as a user makes them: dwellings added in a random 200–600 m box in the city (the count, type and tenure
    /// random, at the station every other time), now and then with the population aged or a facility added.
    /// </summary>
    private List<Intervention> RandomEdit(Random random, int edit)
    {
        var extent = demo.City.Extent;
        var (x, y) = (extent.MinX + (random.NextDouble() * 0.6 * extent.Width) + (0.2 * extent.Width), extent.MinY + (random.NextDouble() * 0.6 * extent.Height) + (0.2 * extent.Height));
        var size = 200 + (random.NextDouble() * 400);
        var area = edit % 2 == 0 ? DemoCityStore.StationArea : DemoCityStore.Box(x, y, x + size, y + size);
        List<Intervention> interventions =
        [
            new AddDwellings(area, random.Next(1, 3_000), (DwellingType)random.Next(0, 5), (Tenure)random.Next(0, 3)),
        ];
        if (edit % 3 == 1)
        {
            interventions.Add(new AgePopulation(random.Next(1, 20)));
        }

        if (edit % 3 == 2)
        {
            interventions.Add(new AddFacility("huisarts", DemoCityStore.Factory.CreatePoint(new NetTopologySuite.Geometries.Coordinate(x, y)), 2_000));
        }

        return interventions;
    }

    private Dictionary<string, object> Inputs(ModelGraph graph, IReadOnlyList<Intervention> interventions)
    {
        var all = demo.City.Inputs(interventions);
        return graph.BaselineInputs.ToDictionary(p => p.Name, p => all[p.Name], StringComparer.Ordinal);
    }

    internal static List<IImpactModel> Upstream(IReadOnlyList<IImpactModel> models, string modelId)
    {
        var producer = models.SelectMany(m => m.Descriptor.Outputs.Select(p => (p.Name, Model: m))).ToDictionary(p => p.Name, p => p.Model, StringComparer.Ordinal);
        var needed = new HashSet<IImpactModel>();
        var pending = new Stack<IImpactModel>([models.Single(m => m.Descriptor.Id == modelId)]);
        while (pending.TryPop(out var model))
        {
            if (needed.Add(model))
            {
                foreach (var input in model.Descriptor.Inputs.Where(p => producer.ContainsKey(p.Name)))
                {
                    pending.Push(producer[input.Name]);
                }
            }
        }

        return [.. models.Where(needed.Contains)];
    }
}
