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
    /// voorzieningen. Taken with main at e6dd626 (before the work) on this same city, version by version on one runner.
    /// </summary>
    private static readonly Dictionary<string, string> s_main = new(StringComparer.Ordinal)
    {
        ["station-2001"] = "5801145423c37c845f4e6f74f4facc46ea2718ee6d84bb8673ae8d41586429c6",
        ["station-2002-demolished"] = "12bdd810f27814e4461621d265f022876d6f42f9629e41b60075c81e70bd848b",
        ["every-kind"] = "9a77ff31e69cce608bd3d68c3d4b0a9cce714d99b6fe7100397c2b53516cf30b",
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
