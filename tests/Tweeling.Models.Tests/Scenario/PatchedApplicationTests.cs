using Tweeling.Domain.Scenarios;
using Tweeling.Models.Accessibility;
using Tweeling.Models.City;
using Tweeling.Models.Graph;
using Tweeling.Models.Heat;
using DwellingType = Tweeling.Domain.Scenarios.DwellingType;
using Tenure = Tweeling.Domain.Scenarios.Tenure;

namespace Tweeling.Models.Tests.Scenario;

/// <summary>
/// Guards for applying interventions by patching the baseline (docs/benchmarks.md, "Applying interventions and the
/// report in an edit (scenario-apply)"): the ports are what rebuilding them from the whole city gave, and the kept
/// application (the state after each intervention of the last one) never answers for other interventions.
/// </summary>
[Collection(DemoCityStoreCollection.Name)]
public sealed class PatchedApplicationTests(DemoCityStore demo)
{
    private CityBaseline City => demo.City;

    [Fact]
    public void Every_port_and_input_hash_is_what_rebuilding_the_ports_from_the_whole_city_gave()
    {
        // Fingerprints of every port's content hash and input hash, taken with the rebuilding implementation (main at
        // 2ab7712) on this same city: one station edit, every intervention kind in one scenario (green, dwellings on it,
        // demolition of some of them, facilities, roads, a traffic factor, water, unpaving, ageing, jobs, dwellings on the
        // water), a demolition alone and grass alone. The three with added dwellings were taken again with the stable
        // layout of scenario-edit1-stable (docs/scenarios.md, woningen-toevoegen), which moves where the buildings stand.
        Assert.Equal("a4611a3a1ca8919037f826f26bff61cf855b6a6ea94e1a25a4216164de285f02", Fingerprint(Station(2_001)));
        Assert.Equal("8e6499a31956d67c1fab473fbc7018d6be6ef0a5c818053cdcfefbcdf05f4f13", Fingerprint(Station(2_002)));
        Assert.Equal("48430b3965e1518e0c8042c325179795b2300efab379b2fa598c7707920bf586", Fingerprint(EveryKind()));
        Assert.Equal("917cd4f5ee63e53c7458985cf7a1b7e9ad4380124adf510096b2a522c4bf2476", Fingerprint([new DemolishDwellings(DemoCityStore.Box(104_000, 423_500, 104_600, 424_000))]));
        Assert.Equal("63ffed617965079a79395530b21bb73de9c3aa38bc391b2f9cd9836c99f7b592", Fingerprint([new AddGreen(DemoCityStore.StationArea, GreenKind.Gras)]));
    }

    [Fact]
    public void An_edit_starts_from_the_kept_state_and_gives_what_a_fresh_application_gives_in_any_order_of_edits()
    {
        var all = EveryKind();
        IReadOnlyList<Intervention> lastChanged = [.. all.Take(all.Count - 1), new AddDwellings(DemoCityStore.Box(103_050, 423_050, 103_300, 423_200), 41, DwellingType.Vrijstaand, Tenure.ParticuliereHuur)];
        IReadOnlyList<Intervention> firstChanged = [new AddGreen(DemoCityStore.Box(104_700, 424_100, 105_000, 424_400), GreenKind.Gras), .. all.Skip(1)];
        IReadOnlyList<Intervention> shorter = [.. all.Take(5)];

        // A, then edits of the last, the first and the length, then A again: each equal to an application from the
        // baseline (after an intervention list that shares no first intervention with it, so nothing kept is used).
        var sequence = new[] { all, lastChanged, firstChanged, shorter, all, Station(2_001), all };
        var fresh = sequence.Select(FreshFingerprint).ToList();
        var patched = sequence.Select(Fingerprint).ToList();

        Assert.Equal(fresh, patched);
        Assert.Equal(5, patched.Distinct().Count());
    }

    [Fact]
    public void Kept_cuts_answer_only_the_plots_they_were_cut_by()
    {
        // A → B → A → B: the edit to B recuts only the surfaces near the plot whose count changed and takes the kept cuts
        // of the others; back at A the kept cuts of A answer. Each equals the fingerprint the rebuilding implementation
        // pinned above, so a kept cut that answered for other plots (or a cut by nearby plots that differed from the cut
        // by the whole union) would show.
        var a = Station(2_001);
        var b = Station(2_002);
        var expected = new[] { "a4611a3a1ca8919037f826f26bff61cf855b6a6ea94e1a25a4216164de285f02", "8e6499a31956d67c1fab473fbc7018d6be6ef0a5c818053cdcfefbcdf05f4f13" };

        Assert.Equal([.. expected, .. expected], new[] { a, b, a, b }.Select(Fingerprint));
        // From the baseline (no kept application), after an unrelated cut of the same area.
        _ = City.Inputs([new AddDwellings(DemoCityStore.StationArea, 700, DwellingType.Vrijstaand, Tenure.Koop)]);
        Assert.Equal(expected[0], FreshFingerprint(a));
    }

    [Fact]
    public void An_edit_of_the_last_intervention_keeps_the_land_cover_entries_of_the_ones_before()
    {
        var all = EveryKind();
        IReadOnlyList<Intervention> front = [.. all.Take(all.Count - 1)];
        var first = (IReadOnlyList<LandCoverArea>)City.Inputs(front)[HeatPorts.LandCover.Name];
        _ = City.Inputs(all);

        var edited = (IReadOnlyList<LandCoverArea>)City.Inputs([.. front, new AgePopulation(1)])[HeatPorts.LandCover.Name];

        // The same surfaces as the front alone, as the same instances (what the heat model's update recognises as
        // unchanged): the cut and laid-out surfaces came from the kept state, not from applying the front again.
        Assert.NotSame(first, edited);
        Assert.Equal(first.Count, edited.Count);
        Assert.All(first.Zip(edited), p => Assert.Same(p.First, p.Second));
        Assert.NotEqual(ContentHash.Of(City.Baseline[HeatPorts.LandCover.Name]), ContentHash.Of(edited));
    }

    [Fact]
    public void The_accessibility_dwellings_hash_extends_the_baselines_and_equals_their_content_hash()
    {
        foreach (var interventions in new[] { Station(2_001), Station(40), EveryKind() })
        {
            var inputs = City.Inputs(interventions);
            var value = (IReadOnlyList<Dwelling>)inputs[AccessibilityPorts.Dwellings.Name];

            // A copy is a new instance, so ContentHash hashes its JSON from the first dwelling.
            Assert.Equal(ContentHash.Of(value.ToList()), City.InputHashes(inputs, interventions)[AccessibilityPorts.Dwellings.Name]);
        }
    }

    private static IReadOnlyList<Intervention> Station(int count) =>
        [new AddDwellings(DemoCityStore.StationArea, count, DwellingType.Appartement, Tenure.SocialeHuur)];

    private IReadOnlyList<Intervention> EveryKind() =>
    [
        new AddGreen(DemoCityStore.Box(104_700, 424_100, 105_000, 424_400), GreenKind.Bomen),
        new AddDwellings(DemoCityStore.Box(104_800, 424_200, 105_050, 424_450), 300, DwellingType.Tussenwoning, Tenure.Koop),
        new DemolishDwellings(DemoCityStore.Box(104_950, 424_300, 105_200, 424_500)),
        new AddFacility("huisarts", DemoCityStore.StationArea.Centroid, 3),
        new RemoveFacility(City.Facilities.First(f => f.Kind == "huisarts").Id),
        new ResizeFacility(City.Facilities.First(f => f.Kind == "basisschool").Id, 999),
        new CloseRoads([City.Roads[0].Id, City.Roads[5].Id]),
        new SetRoadSpeed([City.Roads[1].Id, City.Roads[2].Id], 30),
        new TrafficFactor(DemoCityStore.StationArea, 1.5),
        new AddGreen(DemoCityStore.Box(103_000, 423_000, 103_200, 423_150), GreenKind.Water),
        new AddGreen(DemoCityStore.Box(102_000, 422_000, 102_300, 422_200), GreenKind.Onthard),
        new AgePopulation(5),
        new MoveJobs(DemoCityStore.Box(98_750, 420_450, 102_000, 422_500), DemoCityStore.StationArea, 1_000),
        new AddDwellings(DemoCityStore.Box(103_050, 423_050, 103_300, 423_200), 40, DwellingType.Vrijstaand, Tenure.ParticuliereHuur),
    ];

    // After an application that shares no first intervention with any list here, so it starts from the baseline.
    private string FreshFingerprint(IReadOnlyList<Intervention> interventions)
    {
        _ = City.Inputs([new AgePopulation(49)]);
        return Fingerprint(interventions);
    }

    private string Fingerprint(IReadOnlyList<Intervention> interventions)
    {
        var inputs = City.Inputs(interventions);
        var hashes = City.InputHashes(inputs, interventions);
        return ContentHash.Combine(inputs.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={ContentHash.Of(p.Value)} {hashes[p.Key]}"));
    }
}

