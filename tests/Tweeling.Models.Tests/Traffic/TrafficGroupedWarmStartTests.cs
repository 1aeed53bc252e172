using Tweeling.Models.City;
using Tweeling.Models.Graph;
using Tweeling.Models.Traffic;
using static Tweeling.Models.Tests.Traffic.TestNetworks;

namespace Tweeling.Models.Tests.Traffic;

/// <summary>
/// The warm start in a city with grouped origins (docs/models/verkeer.md "Origin groups" and "Warm start"): an edit that
/// leaves the zones where they were keeps the grouping, replays the baseline's assignment from the groups' hubs and stays
/// within the stated tolerance of a full run; an edit that moves a zone may regroup the city and runs in full.
/// </summary>
public sealed class TrafficGroupedWarmStartTests
{
    private const int Seed = 7;

    // 64 zones in 8 origin groups: 8 zones a group, as at scale 10 of the demo city (1,170 zones in 160 groups).
    private static readonly TrafficParameters s_grouped = new() { MaximumOrigins = 8 };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Edits_of_dwellings_and_zone_factors_in_a_grouped_city_are_warm_started_within_the_stated_tolerance_of_a_full_run()
    {
        var model = new TrafficModel(s_grouped);
        var graph = new ModelGraph([model], model.Descriptor.Inputs);
        var (baselineInputs, zones, dwellings) = City();
        var baseline = graph.Run(baselineInputs, Seed, Ct);

        // Zones 0 and 1 (BU0000, BU0001) are neighbours in one group's corner; zone 63 is at the far corner, in another group.
        var edits = new (string Description, Dictionary<string, object> Inputs)[]
        {
            ("flats added to two neighbouring zones", With(baselineInputs, TrafficPorts.Dwellings, [.. dwellings, new("BU0000", DwellingType.Flat, Tenure.SocialRent, 900), new("BU0001", DwellingType.Flat, Tenure.OwnerOccupied, 600)])),
            ("dwellings demolished in a zone of another group", With(baselineInputs, TrafficPorts.Dwellings, [.. dwellings.Where(d => d.ZoneCode != "BU0707")])),
            ("traffic factors of three zones in three groups", With(baselineInputs, TrafficPorts.Zones, [.. zones.Select((z, i) => i switch { 0 => z with { TrafficFactor = 1.8 }, 27 => z with { TrafficFactor = 0.4 }, 63 => z with { TrafficFactor = 1.3 }, _ => z })])),
        };

        foreach (var (description, inputs) in edits)
        {
            var run = graph.Run(inputs, Seed, Ct, from: baseline);
            var full = ModelRun.Execute(new TrafficModel(s_grouped), inputs, Seed, Ct);

            Assert.Contains(TrafficModel.ModelId, run.Incremental);
            TrafficWarmStartTests.AssertWithinTolerance(description, run.Value(TrafficPorts.Trips), run.Value(TrafficPorts.LinkTraffic), full, grouped: true);
            // Not vacuous: the edit moved traffic.
            Assert.NotEqual(baseline.Value(TrafficPorts.LinkTraffic), run.Value(TrafficPorts.LinkTraffic));
        }
    }

    [Fact]
    public void An_edit_that_moves_a_zone_in_a_grouped_city_runs_in_full()
    {
        // Groups follow the zones' centroids (recursive bisection), so a moved centroid may regroup every zone: the warm
        // start, which replays the baseline's hubs, declines and the model runs in full.
        var model = new TrafficModel(s_grouped);
        var graph = new ModelGraph([model], model.Descriptor.Inputs);
        var (baselineInputs, zones, _) = City();
        var baseline = graph.Run(baselineInputs, Seed, Ct);
        var moved = With(baselineInputs, TrafficPorts.Zones, [.. zones.Select((z, i) => i == 9 ? z with { Centroid = Point(z.Centroid.X - OriginX + 250, z.Centroid.Y - OriginY + 250) } : z)]);

        var run = graph.Run(moved, Seed, Ct, from: baseline);
        var full = ModelRun.Execute(new TrafficModel(s_grouped), moved, Seed, Ct);

        Assert.Contains(TrafficModel.ModelId, run.Ran);
        Assert.DoesNotContain(TrafficModel.ModelId, run.Incremental);
        Assert.Equal((IReadOnlyList<LinkTraffic>)full[TrafficPorts.LinkTraffic.Name], run.Value(TrafficPorts.LinkTraffic));
        Assert.Equal((TripTotals)full[TrafficPorts.Trips.Name], run.Value(TrafficPorts.Trips));
    }

    // A 4 × 4 km grid of streets with 64 zones (more than the 8 origins allowed, so grouped).
    private static (Dictionary<string, object> Inputs, IReadOnlyList<TrafficZone> Zones, IReadOnlyList<ZoneDwellings> Dwellings) City()
    {
        var (links, zones, dwellings, activity) = SyntheticCity(side: 41, zonesPerSide: 8);
        var inputs = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [TrafficPorts.Zones.Name] = zones,
            [TrafficPorts.Dwellings.Name] = dwellings,
            [TrafficPorts.Activity.Name] = activity,
            [TrafficPorts.RoadLinks.Name] = links,
            [TrafficPorts.ClosedLinks.Name] = (IReadOnlyList<string>)[],
            [TrafficPorts.LinkFactors.Name] = (IReadOnlyList<LinkTrafficFactor>)[],
        };
        return (inputs, zones, dwellings);
    }

    private static Dictionary<string, object> With<T>(Dictionary<string, object> inputs, Port<T> port, T value)
        where T : notnull => new(inputs, StringComparer.Ordinal) { [port.Name] = value };
}
