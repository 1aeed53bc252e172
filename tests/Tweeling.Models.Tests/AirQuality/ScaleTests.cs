using System.Diagnostics;
using Tweeling.Models.AirQuality;
using Tweeling.Models.Tests.Traffic;
using static Tweeling.Models.Tests.Traffic.TestNetworks;

namespace Tweeling.Models.Tests.AirQuality;

/// <summary>
/// A Dordrecht-size run of traffic assignment and SRM1 (DESIGN §7: a full cross-domain run under 2 s). Run alone,
/// so the processor time measured is the models' own; the bound is generous, the measured times are printed and
/// reported in docs/benchmarks.md.
/// </summary>
[Collection(nameof(ScaleTests))]
[CollectionDefinition(nameof(ScaleTests), DisableParallelization = true)]
public sealed class ScaleTests
{
    [Fact]
    public void A_Dordrecht_size_city_runs_traffic_and_air_quality_well_within_the_interactive_budget()
    {
        var (links, zones, dwellings, activity) = SyntheticCity();
        Assert.Equal(9940, links.Count);
        Assert.Equal(100, zones.Count);
        var receptors = Enumerable.Range(0, 1000).Select(i => new AirReceptor($"r{i}", Point(i * 7.13 % 7000, i * 3.77 % 7000))).ToList();

        // The first run includes compiling the code just in time; the second is what a running server sees.
        var (_, coldWall, coldCpu) = Measure(() => AirQualityModelTests.Run(TrafficModelTests.Run(zones, dwellings, activity, links).Links, links, receptors));
        var (traffic, trafficWall, trafficCpu) = Measure(() => TrafficModelTests.Run(zones, dwellings, activity, links));
        var (air, airWall, airCpu) = Measure(() => AirQualityModelTests.Run(traffic.Links, links, receptors));

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"Traffic: {links.Count} links, {zones.Count} zones, {traffic.Trips.Generated:F0} trips, 7 Frank–Wolfe iterations: "
            + $"{trafficWall.TotalMilliseconds:F0} ms wall, {trafficCpu.TotalMilliseconds:F0} ms processor. "
            + $"SRM1: {air.Receptors.Count} receptors and {air.Grid.Count} grid cells of 25 m: {airWall.TotalMilliseconds:F0} ms wall, {airCpu.TotalMilliseconds:F0} ms processor. "
            + $"First (cold) run of both: {coldWall.TotalMilliseconds:F0} ms wall, {coldCpu.TotalMilliseconds:F0} ms processor.");
        Assert.Equal(traffic.Trips.Generated, traffic.Trips.Assigned, 6);
        Assert.Contains(air.Grid, c => c.StreetLinkId is not null);

        // Processor time, not wall time: the shared machine's load must not make the test flaky.
        Assert.True(trafficCpu < TimeSpan.FromSeconds(5), $"Traffic assignment took {trafficCpu.TotalMilliseconds:F0} ms of processor time.");
        Assert.True(airCpu < TimeSpan.FromSeconds(5), $"SRM1 took {airCpu.TotalMilliseconds:F0} ms of processor time.");
    }

    private static (T Result, TimeSpan Wall, TimeSpan Processor) Measure<T>(Func<T> run)
    {
        using var process = Process.GetCurrentProcess();
        var processor = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var result = run();
        wall.Stop();
        process.Refresh();
        return (result, wall.Elapsed, process.TotalProcessorTime - processor);
    }
}
