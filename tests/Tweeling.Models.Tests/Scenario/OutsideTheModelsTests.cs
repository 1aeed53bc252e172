using Tweeling.Domain.Scenarios;
using Tweeling.Models.Facilities;
using Tweeling.Models.Graph;
using Tweeling.Models.Population;
using Tweeling.Models.Scenario;
using Tweeling.Models.Social;
using DwellingType = Tweeling.Domain.Scenarios.DwellingType;
using Tenure = Tweeling.Domain.Scenarios.Tenure;

namespace Tweeling.Models.Tests.Scenario;

/// <summary>
/// Guards for the work on what an edit spends outside the models and in the small models (docs/benchmarks.md, "Outside
/// the models per edit (scenario-outside2)"): the kept plots, the per-buurt sums of bevolking and sociaal taken from the
/// baseline's, the dwelling weights from the baseline's index and the reports on arrays give, edit after edit and back
/// and forth, the result hashes and small-model outputs that main gave before that work.
/// </summary>
[Collection(DemoCityStoreCollection.Name)]
public sealed class OutsideTheModelsTests(DemoCityStore demo)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Per version: the result hash of the scenario, then the content hash of every output of bevolking, sociaal and
    /// voorzieningen. Taken with main at e6dd626 (before the work) on this same city, version by version on one runner;
    /// taken again with the stable layout of added dwellings (scenario-edit1-stable), which moves where they stand.
    /// </summary>
    private static readonly Dictionary<string, string> s_main = new(StringComparer.Ordinal)
    {
        ["station-2001"] = "1ba6064d25c047bfd2d2f88b86dda865c22c7f9b9f61cd231dae273c821e0673",
        ["station-2002-demolished"] = "c000171fabfe066c05e639b9d6401b60238cb1bb518499af8eb1b7763d1bbc13",
        ["every-kind"] = "4b31e62b2a33020b33a2f53dee925d2ca43d22e44ef2bf0bfcb9a8d8f849a50e",
    };

    [Fact]
    public async Task Edits_back_and_forth_give_what_main_gave_and_what_a_fresh_runner_gives()
    {
        var versions = Versions();
        string[] sequence = ["station-2001", "station-2002-demolished", "station-2001", "station-2002-demolished", "every-kind", "station-2001"];
        var runner = Runner();
        var got = new List<string>();
        // A → B → A → B → C → A on one runner: each edit starts from the previous one's kept plots, sums, weights and reports.
        foreach (var name in sequence)
        {
            var run = await runner.RunAsync(versions[name], 1, Ct);
            got.Add($"{name}={Fingerprint(run.Outcome.ResultHash, runner.LastRun!)}");
        }

        Assert.Equal(sequence.Select(n => $"{n}={s_main[n]}"), got);

        // And a fresh runner (nothing kept from another version) gives each version the same.
        foreach (var name in versions.Keys)
        {
            var fresh = Runner();
            var alone = await fresh.RunAsync(versions[name], 1, Ct);
            Assert.Equal(s_main[name], Fingerprint(alone.Outcome.ResultHash, fresh.LastRun!));
        }
    }

    private ScenarioRunner Runner() => new(ScenarioModels.Graph(ScenarioModels.Create()), demo.Store, demo.Store, ScenarioModels.Reporters());

    private static string Fingerprint(string resultHash, GraphRun run) =>
        ContentHash.Combine([resultHash, .. new IImpactModel[] { new PopulationModel(), new SocialModel(), new FacilitiesModel() }
            .SelectMany(m => m.Descriptor.Outputs)
            .Select(p => $"{p.Name}={ContentHash.Of(run.Values[p.Name])}")]);

    private Dictionary<string, ScenarioVersion> Versions()
    {
        var station = DemoCityStore.StationArea;
        return new Dictionary<string, ScenarioVersion>(StringComparer.Ordinal)
        {
            ["station-2001"] = DemoCityStore.Version(new AddDwellings(station, 2_001, DwellingType.Appartement, Tenure.SocialeHuur)),
            // Dwellings left out in buurten beside the station's: the removed entries of the per-buurt sums and weights.
            ["station-2002-demolished"] = DemoCityStore.Version(
                new AddDwellings(station, 2_002, DwellingType.Appartement, Tenure.SocialeHuur),
                new DemolishDwellings(DemoCityStore.Box(104_000, 423_500, 104_600, 424_000))),
            ["every-kind"] = DemoCityStore.Version(
                new AddGreen(DemoCityStore.Box(104_700, 424_100, 105_000, 424_400), GreenKind.Bomen),
                new AddDwellings(DemoCityStore.Box(104_800, 424_200, 105_050, 424_450), 300, DwellingType.Tussenwoning, Tenure.Koop),
                new DemolishDwellings(DemoCityStore.Box(104_950, 424_300, 105_200, 424_500)),
                new AddFacility("huisarts", station.Centroid, 3),
                new ResizeFacility(demo.City.Facilities.First(f => f.Kind == "basisschool").Id, 999),
                new AgePopulation(5),
                new AddDwellings(DemoCityStore.Box(103_050, 423_050, 103_300, 423_200), 40, DwellingType.Vrijstaand, Tenure.ParticuliereHuur)),
        };
    }
}
