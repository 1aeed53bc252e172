using Tweeling.Domain.Scenarios;
using Tweeling.Models.Accessibility;
using Tweeling.Models.Graph;
using Tweeling.Models.Scenario;
using Tweeling.Models.Tests.Scenario;
using DwellingType = Tweeling.Domain.Scenarios.DwellingType;
using Tenure = Tweeling.Domain.Scenarios.Tenure;

namespace Tweeling.Models.Tests.Accessibility;

/// <summary>
/// The accessibility model brought up to date (docs/models/bereikbaarheid.md "Per edit"): with the roads unchanged it
/// keeps the earlier run's distance fields and looks up only the dwellings that changed, and its outputs must equal a full
/// run's bit for bit, whichever earlier run it starts from.
/// </summary>
[Collection(DemoCityStoreCollection.Name)]
public sealed class AccessibilityIncrementalTests(DemoCityStore demo)
{
    private const int Seed = 7;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Edits_back_and_forth_from_the_previous_edit_equal_fresh_full_runs_bit_for_bit()
    {
        // A and B: 2,000 and 2,001 station flats (50 and 51 blocks of flats, so every block moves); C adds houses
        // elsewhere, demolishes a few and adds a GP practice (a kind whose distance field changes).
        var a = Station(2_000);
        var b = Station(2_001);
        var c = Station(
            1_500,
            new AddDwellings(DemoCityStore.Box(103_000, 423_000, 103_300, 423_300), 300, DwellingType.Tussenwoning, Tenure.Koop),
            new DemolishDwellings(DemoCityStore.Box(104_000, 424_000, 104_150, 424_150)),
            new AddFacility("huisarts", DemoCityStore.Factory.CreatePoint(new NetTopologySuite.Geometries.Coordinate(103_150, 423_150)), 2_000));
        var model = new AccessibilityModel();
        var baseline = ScenarioModels.Graph([model]).Run(Inputs([]), Seed, Ct);
        GraphRun? previous = null;
        // B after C starts from the baseline: fewer of the model's inputs differ from it (C's facilities are new).
        foreach (var (name, interventions, fromPrevious) in new[] { ("A", a, false), ("B", b, true), ("A again", a, true), ("B again", b, true), ("C", c, true), ("B after C", b, false) })
        {
            // A graph without cached outputs each edit (the same model, which keeps its states), so that an edit seen
            // before is brought up to date again instead of being answered from the cache.
            var graph = ScenarioModels.Graph([model]);
            var run = graph.Run(Inputs(interventions), Seed, Ct, from: baseline, nearer: previous);

            // Not vacuous: every edit was brought up to date (the model ran in full before it was incremental), from the
            // previous edit where that is nearer.
            Assert.Contains(AccessibilityModel.ModelId, run.Incremental);
            Assert.Equal(fromPrevious, run.FromNearer.Contains(AccessibilityModel.ModelId));

            var fresh = FullRun(run);
            foreach (var port in graph.Models.Single().Descriptor.Outputs)
            {
                Assert.True(
                    ContentHash.Of(fresh[port.Name]) == ContentHash.Of(run.Values[port.Name]),
                    $"Edit {name}: '{port.Name}' brought up to date differs from a fresh full run.");
            }

            previous = run;
        }
    }

    [Fact]
    public void Changed_roads_run_the_model_in_full_and_the_next_dwelling_edit_starts_from_that_run()
    {
        var graph = ScenarioModels.Graph([new AccessibilityModel()]);
        var baseline = graph.Run(Inputs([]), Seed, Ct);
        var slower = new SetRoadSpeed([demo.City.Roads.First(l => AccessibilityModel.Allows(TravelMode.Walk, l)).Id], 15);
        var roads = graph.Run(Inputs([slower]), Seed, Ct, from: baseline);
        var dwellingsToo = graph.Run(Inputs([slower, .. Station(500)]), Seed, Ct, from: baseline, nearer: roads);

        // Other roads may change every distance: a full run. The dwellings edit on the same roads starts from it.
        Assert.Contains(AccessibilityModel.ModelId, roads.Ran);
        Assert.DoesNotContain(AccessibilityModel.ModelId, roads.Incremental);
        Assert.Contains(AccessibilityModel.ModelId, dwellingsToo.FromNearer);
        var fresh = FullRun(dwellingsToo);
        Assert.All(graph.Models.Single().Descriptor.Outputs, port => Assert.Equal(ContentHash.Of(fresh[port.Name]), ContentHash.Of(dwellingsToo.Values[port.Name])));
    }

    private static IReadOnlyDictionary<string, object> FullRun(GraphRun run)
    {
        var model = new AccessibilityModel();
        return ModelRun.Execute(model, model.Descriptor.Inputs.ToDictionary(p => p.Name, p => run.Values[p.Name], StringComparer.Ordinal), Seed, Ct);
    }

    private static Intervention[] Station(int flats, params Intervention[] more) =>
        [new AddDwellings(DemoCityStore.StationArea, flats, DwellingType.Appartement, Tenure.SocialeHuur), .. more];

    private Dictionary<string, object> Inputs(IReadOnlyList<Intervention> interventions)
    {
        var all = demo.City.Inputs(interventions);
        return new AccessibilityModel().Descriptor.Inputs.ToDictionary(p => p.Name, p => all[p.Name], StringComparer.Ordinal);
    }
}
