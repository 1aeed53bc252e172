using Tweeling.Models.Accessibility;

namespace Tweeling.Models.Tests.Accessibility;

/// <summary>
/// Scale (DESIGN §7: a full cross-domain run in under 2 s): ~50,000 dwellings on a ~10,000-link network, seven
/// facility kinds. The bound is on CPU time (see <see cref="ModelTiming"/>); docs/benchmarks.md records the measured times.
/// </summary>
[Collection(nameof(ModelTiming))]
public sealed class AccessibilityScaleTests
{
    [Fact]
    public void Fifty_thousand_dwellings_on_ten_thousand_links_run_within_the_scenario_budget()
    {
        var random = new Random(2026);
        var links = AccessibilityModelTests.Grid(71, 100, random);
        var dwellings = AccessibilityModelTests.RandomDwellings(random, 50_000, 7_000);
        var facilities = AccessibilityModelTests.RandomFacilities(random, 20, 7_000);
        IsochroneRequest[] walk15 = [new("centrum", dwellings[0].Location, TravelMode.Walk, 15)];
        AccessibilityModelTests.Run(links, dwellings, facilities, walk15);

        IReadOnlyList<DwellingFacilityDistance> perDwelling = [];
        IReadOnlyList<BuurtFacilityDistance> perBuurt = [];
        Isochrone? isochrone = null;
        var distances = ModelTiming.Measure(() => (perDwelling, perBuurt, _) = AccessibilityModelTests.Run(links, dwellings, facilities, []));
        var oneIsochrone = ModelTiming.Measure(() => isochrone = AccessibilityModelTests.Run(links, [], [], walk15).Isochrones.Single());

        TestContext.Current.TestOutputHelper!.WriteLine(
            $"{links.Count} links, {dwellings.Count} dwellings, {facilities.Count} facilities: distances {distances.Cpu.TotalMilliseconds:F0} ms CPU "
            + $"({distances.Wall.TotalMilliseconds:F0} ms wall); one 15-min walking isochrone {oneIsochrone.Cpu.TotalMilliseconds:F0} ms CPU ({oneIsochrone.Wall.TotalMilliseconds:F0} ms wall)");
        Assert.Equal(9_941, links.Count);
        Assert.Equal(50_000 * 7, perDwelling.Count);
        Assert.All(perDwelling, d => Assert.NotNull(d.WalkMetres));
        Assert.Equal(50_000 * 7, perBuurt.Sum(b => b.Dwellings));
        Assert.False(isochrone!.Area.IsEmpty);
        Assert.True(distances.Cpu < TimeSpan.FromSeconds(2), $"distances took {distances.Cpu.TotalMilliseconds:F0} ms CPU");
        Assert.True(oneIsochrone.Cpu < TimeSpan.FromSeconds(1), $"one isochrone took {oneIsochrone.Cpu.TotalMilliseconds:F0} ms CPU");
    }
}
