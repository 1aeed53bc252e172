using Tweeling.Domain.Scenarios;
using Tweeling.Models.Graph;
using Tweeling.Models.Scenario;
using Tweeling.Models.Traffic;
using DwellingType = Tweeling.Domain.Scenarios.DwellingType;
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

        // Not vacuous: at least one edit was answered incrementally. Not every one can be: new dwellings cover their plots
        // (CityBaseline.Interventions), and where a plot lands on public green the green changes, which needs a full run.
        Assert.True(incrementalRuns >= 1, $"{modelId} ran incrementally {incrementalRuns} of {Edits} times.");
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
