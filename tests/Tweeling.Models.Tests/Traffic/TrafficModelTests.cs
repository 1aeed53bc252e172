using Tweeling.Domain.Algorithms;
using Tweeling.Governance.Register;
using Tweeling.Models.City;
using Tweeling.Models.Graph;
using Tweeling.Models.Tests.Support;
using Tweeling.Models.Traffic;
using static Tweeling.Models.Tests.Traffic.TestNetworks;

namespace Tweeling.Models.Tests.Traffic;

/// <summary>The traffic model against hand-computed values of models.md §3 and its invariants.</summary>
public sealed class TrafficModelTests
{
    // 100 owner-occupied terraced houses in zone A: 100 × 7.0 (CROW-381 midpoint, models.md §3) × 1.1 (working day) = 770 car trips/day.
    private static readonly ZoneDwellings[] s_hundredTerraced = [new("A", DwellingType.Terraced, Tenure.OwnerOccupied, 100)];

    [Fact]
    public void Two_zones_send_every_generated_trip_over_the_one_link_between_them()
    {
        // A (0, 0) — 1,000 m distributor road, 50 km/h — B (1000, 0); B has the jobs.
        // Cars: 770 (385 out, 385 home). Vehicles: 770 / (1 − 0.05 − 0.03 − 0.01) = 770 / 0.91 = 846.15 (class mix, verkeer.md).
        // Busiest hour per direction: 385 / 0.91 × 0.1 / 1,500 = 0.0282 of capacity: no congestion, mean speed ≈ 50 km/h.
        var result = Run([Zone("A", 0, 0), Zone("B", 1000, 0)], s_hundredTerraced, [new("B", 500, 0)], [Link("ab", 0, 0, 1000, 0)]);

        var ab = Assert.Single(result.Links);
        Assert.Equal(770 / 0.91, ab.VehiclesPerDay, 6);
        Assert.Equal((0.05, 0.03, 0.01), (ab.MediumShare, ab.HeavyShare, ab.BusShare));
        Assert.Equal(0, ab.CongestionShare);
        Assert.Equal(50, ab.MeanSpeedKmh, 3);
        Assert.Equal(770, result.Trips.Generated, 9);
        Assert.Equal(770, result.Trips.Assigned, 9);
        Assert.Equal(0, result.Trips.Unassigned, 9);

        // 770 cars × 1 km.
        Assert.Equal(770, result.Trips.VehicleKilometres, 9);
    }

    [Fact]
    public void The_gravity_model_splits_trips_by_attraction_and_travel_time()
    {
        // A — B — C on a line, 1,000 m links at 50 km/h: 72 s = 1.2 min each. B and C each have 100 jobs.
        // Weights: B 100·exp(−0.1·1.2), C 100·exp(−0.1·2.4); share of C = e^−0.24 / (e^−0.12 + e^−0.24) = e^−0.12 / (1 + e^−0.12)
        // = 0.886920 / 1.886920 = 0.470036. Cars on B–C: 770 × 0.470036 = 361.93, reported in whole cars (the output
        // resolution, docs/models/verkeer.md) as 362; vehicles 362 / 0.91 = 397.80.
        var result = Run(
            [Zone("A", 0, 0), Zone("B", 1000, 0), Zone("C", 2000, 0)],
            s_hundredTerraced,
            [new("B", 100, 0), new("C", 100, 0)],
            [Link("ab", 0, 0, 1000, 0), Link("bc", 1000, 0, 2000, 0)]);

        var shareC = Math.Exp(-0.12) / (1 + Math.Exp(-0.12));
        Assert.Equal(0.470036, shareC, 6);
        Assert.Equal(770 / 0.91, result.Link("ab").VehiclesPerDay, 6);
        Assert.Equal(Math.Round(770 * shareC) / 0.91, result.Link("bc").VehiclesPerDay, 6);
        Assert.Equal(397.80, result.Link("bc").VehiclesPerDay, 2);
    }

    [Fact]
    public void Facilities_attract_as_jobs_per_facility()
    {
        // B has 100 jobs, C has 4 facilities = 4 × 25 = 100 job equivalents: the same split as with 100 jobs each.
        var withFacilities = Run(
            [Zone("A", 0, 0), Zone("B", 1000, 0), Zone("C", 2000, 0)], s_hundredTerraced, [new("B", 100, 0), new("C", 0, 4)],
            [Link("ab", 0, 0, 1000, 0), Link("bc", 1000, 0, 2000, 0)]);

        Assert.Equal(Math.Round(770 * Math.Exp(-0.12) / (1 + Math.Exp(-0.12))) / 0.91, withFacilities.Link("bc").VehiclesPerDay, 6);
    }

    [Fact]
    public void Trip_rates_follow_the_dwelling_type_and_tenure()
    {
        // Midpoints of models.md §3; private rent is the mean of owner-occupied and social rent.
        Assert.Equal(8.2, TrafficParameters.TripRate(DwellingType.Detached, Tenure.OwnerOccupied));
        Assert.Equal(3.4, TrafficParameters.TripRate(DwellingType.Flat, Tenure.SocialRent));
        Assert.Equal((5.7 + 3.4) / 2, TrafficParameters.TripRate(DwellingType.Flat, Tenure.PrivateRent));
        var flats = Run(
            [Zone("A", 0, 0), Zone("B", 1000, 0)], [new("A", DwellingType.Flat, Tenure.SocialRent, 100)], [new("B", 500, 0)], [Link("ab", 0, 0, 1000, 0)],
            new TrafficParameters { CalibrationFactor = 0.8 });

        // 100 × 3.4 × 1.1 × 0.8 = 299.2 trips.
        Assert.Equal(299.2, flats.Trips.Generated, 9);
    }

    [Fact]
    public void A_zone_traffic_factor_scales_the_trips_that_start_or_end_there()
    {
        var links = new[] { Link("ab", 0, 0, 1000, 0) };
        var baseline = Run([Zone("A", 0, 0), Zone("B", 1000, 0)], s_hundredTerraced, [new("B", 500, 0)], links);
        var fewerFromA = Run([Zone("A", 0, 0, factor: 0.5), Zone("B", 1000, 0)], s_hundredTerraced, [new("B", 500, 0)], links);
        var fewerToB = Run([Zone("A", 0, 0), Zone("B", 1000, 0, factor: 0.5)], s_hundredTerraced, [new("B", 500, 0)], links);

        // Half of each direction's 385 cars is 192.5, reported in whole cars (the output resolution) as 193.
        Assert.Equal(770 / 0.91, baseline.Link("ab").VehiclesPerDay, 9);
        Assert.Equal(2 * 193 / 0.91, fewerFromA.Link("ab").VehiclesPerDay, 9);
        Assert.Equal(2 * 193 / 0.91, fewerToB.Link("ab").VehiclesPerDay, 9);
        Assert.Equal(385, fewerFromA.Trips.Generated, 9);
    }

    [Fact]
    public void A_closed_link_carries_nothing_and_its_trips_take_another_route()
    {
        // Direct road A–B (1,000 m) and a detour A–C–B (2 × 781 m).
        var (zones, links) = Detour();
        var open = Run(zones, s_hundredTerraced, [new("B", 500, 0)], links);
        var closed = Run(zones, s_hundredTerraced, [new("B", 500, 0)], links, closedLinks: ["ab"]);

        Assert.Equal(770 / 0.91, open.Link("ab").VehiclesPerDay, 6);
        Assert.Equal(0, open.Link("ac").VehiclesPerDay);
        Assert.Equal(new LinkTraffic("ab", 0, 0, 0, 0, 0, 0), closed.Link("ab"));
        Assert.Equal(770 / 0.91, closed.Link("ac").VehiclesPerDay, 6);
        Assert.Equal(770 / 0.91, closed.Link("cb").VehiclesPerDay, 6);
        Assert.Equal(open.Trips.Generated, closed.Trips.Generated, 9);
        Assert.Equal(open.Trips.Assigned, closed.Trips.Assigned, 9);
        Assert.True(closed.Trips.VehicleKilometres > open.Trips.VehicleKilometres);
    }

    [Fact]
    public void A_higher_speed_limit_lowers_the_free_flow_time_and_draws_the_traffic()
    {
        // At 50 km/h the direct road takes 72 s and the 2 × 781 m detour 112 s; at 100 km/h the detour takes 56 s.
        var (zones, links) = Detour();
        var faster = links.Select(l => l.Id == "ab" ? l : l with { SpeedLimitKmh = 100 }).ToList();
        var result = Run(zones, s_hundredTerraced, [new("B", 500, 0)], faster);

        Assert.Equal(0, result.Link("ab").VehiclesPerDay);
        Assert.Equal(770 / 0.91, result.Link("ac").VehiclesPerDay, 6);
    }

    [Fact]
    public void A_heavier_load_raises_the_travel_time_and_spreads_the_traffic_over_the_routes()
    {
        // 20,000 terraced houses: 20,000 × 7.0 × 1.1 = 154,000 trips; the direct road's busiest hour is far above capacity,
        // so the BPR time pushes part of the traffic onto the detour, and the speed on the direct road drops.
        // Every trip, out or home, drives either the direct road or the detour's first link A–C.
        var (zones, links) = Detour();
        var light = Run(zones, s_hundredTerraced, [new("B", 500, 0)], links);
        var heavy = Run(zones, [new("A", DwellingType.Terraced, Tenure.OwnerOccupied, 20_000)], [new("B", 500, 0)], links);

        Assert.True(heavy.Link("ab").MeanSpeedKmh < light.Link("ab").MeanSpeedKmh);
        Assert.True(heavy.Link("ab").CongestionShare > 0);
        Assert.True(heavy.Link("ac").VehiclesPerDay > 0);
        // Within the output resolution: these arcs carry tens of thousands of cars, reported in steps of at most 0.5 % (error ≤ 0.25 %).
        Assert.Equal(154_000 / 0.91, heavy.Link("ab").VehiclesPerDay + heavy.Link("ac").VehiclesPerDay, 0.0025 * 154_000 / 0.91);
    }

    [Fact]
    public void One_way_links_and_cycle_paths_are_respected()
    {
        // A–B one way from A to B, the way back over C; a cycle path straight from B to A carries no motor traffic.
        var links = new[]
        {
            Link("ab", 0, 0, 1000, 0, oneWay: true),
            Link("bc", 1000, 0, 500, 600),
            Link("ca", 500, 600, 0, 0),
            Link("fiets", 1000, 0, 0, 0, RoadClass.Fietspad, speed: null),
        };
        var result = Run([Zone("A", 0, 0), Zone("B", 1000, 0)], s_hundredTerraced, [new("B", 500, 0)], links);

        // 385 out over ab, 385 home over bc and ca.
        Assert.Equal(385 / 0.91, result.Link("ab").VehiclesPerDay, 6);
        Assert.Equal(385 / 0.91, result.Link("bc").VehiclesPerDay, 6);
        Assert.Equal(0, result.Link("fiets").VehiclesPerDay);
    }

    [Fact]
    public void Trips_without_a_reachable_destination_are_counted_as_unassigned()
    {
        // Zone C's road is not connected to A–B.
        var result = Run(
            [Zone("A", 0, 0), Zone("B", 1000, 0), Zone("C", 5000, 0)],
            [.. s_hundredTerraced, new("C", DwellingType.Terraced, Tenure.OwnerOccupied, 10)],
            [new("B", 500, 0)],
            [Link("ab", 0, 0, 1000, 0), Link("cd", 5000, 0, 6000, 0)]);

        Assert.Equal(770 + 77, result.Trips.Generated, 9);
        Assert.Equal(770, result.Trips.Assigned, 9);
        Assert.Equal(77, result.Trips.Unassigned, 9);
    }

    [Fact]
    public void A_link_factor_scales_the_assigned_traffic_of_its_link_without_re_routing()
    {
        var (zones, links) = Detour();
        var open = Run(zones, s_hundredTerraced, [new("B", 500, 0)], links);
        var doubled = Run(zones, s_hundredTerraced, [new("B", 500, 0)], links, linkFactors: [new("ab", 2), new("ac", 3)]);

        Assert.Equal(2 * open.Link("ab").VehiclesPerDay, doubled.Link("ab").VehiclesPerDay, 9);
        Assert.Equal(0, doubled.Link("ac").VehiclesPerDay);
        Assert.Equal(open.Link("ab").MeanSpeedKmh, doubled.Link("ab").MeanSpeedKmh);
        Assert.Equal(open.Link("ab").CongestionShare, doubled.Link("ab").CongestionShare);
        Assert.Equal(open.Trips.Generated, doubled.Trips.Generated, 9);
        Assert.Equal(2 * open.Trips.VehicleKilometres, doubled.Trips.VehicleKilometres, 6);
        var unknown = Assert.Throws<ArgumentException>(() => Run(zones, [], [], links, linkFactors: [new("elders", 2)]));
        var negative = Assert.Throws<ArgumentException>(() => Run(zones, [], [], links, linkFactors: [new("ab", -1)]));
        Assert.Contains("'elders'", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("must be ≥ 0", negative.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_input_is_named()
    {
        var links = new[] { Link("ab", 0, 0, 1000, 0) };
        var unknown = Assert.Throws<ArgumentException>(() => Run([Zone("A", 0, 0)], [new("X", DwellingType.Flat, Tenure.SocialRent, 1)], [], links));
        var negative = Assert.Throws<ArgumentException>(() => Run([Zone("A", 0, 0)], [new("A", DwellingType.Flat, Tenure.SocialRent, -1)], [], links));
        var twice = Assert.Throws<ArgumentException>(() => Run([Zone("A", 0, 0), Zone("A", 1, 1)], [], [], links));

        Assert.Contains("'X'", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("-1 dwellings", negative.Message, StringComparison.Ordinal);
        Assert.Contains("twice", twice.Message, StringComparison.Ordinal);
        var closedUnknown = Assert.Throws<ArgumentException>(() => Run([Zone("A", 0, 0)], [], [], links, closedLinks: ["elders"]));
        var linkTwice = Assert.Throws<ArgumentException>(() => Run([Zone("A", 0, 0)], [], [], [.. links, .. links]));
        Assert.Contains("'elders'", closedUnknown.Message, StringComparison.Ordinal);
        Assert.Contains("'ab' occurs twice", linkTwice.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrafficModel(new TrafficParameters { Iterations = 0 }));
    }

    [Fact]
    public void The_same_input_gives_the_same_output_bit_for_bit()
    {
        var (links, zones, dwellings, activity) = SyntheticCity(side: 31, zonesPerSide: 5);

        var first = Run(zones, dwellings, activity, links);
        var second = Run(zones, dwellings, activity, links);

        Assert.Equal(first.Links, second.Links);
        Assert.Equal(first.Trips, second.Trips);
        Assert.Contains(first.Links, l => l.VehiclesPerDay > 0);
    }

    [Fact]
    public void The_flows_are_bit_identical_to_those_before_the_speed_work()
    {
        // The fingerprint of this network's outputs, taken again when the assignment got its tie-break times
        // (docs/models/verkeer.md: equal routes no longer tie; 447b2ca3… at d400bbd before) and again when successive
        // averages gave way to Frank–Wolfe with a line search (scenario-traffic3; 3e8fb066… before), and again when the flows
        // got their output resolution (scenario-chain, docs/models/verkeer.md; 12ae2078… before). Work on the model's speed
        // (docs/benchmarks.md, "Impact models: CPU per model at scale 1") must keep every route and every sum's order,
        // so it must not change.
        var (links, zones, dwellings, activity) = TestNetworks.SyntheticCity(side: 41, zonesPerSide: 8);

        var result = Run(zones, dwellings, activity, links);

        Assert.Equal("54986aee696e245f9cfd63eeb0522d49", OutputFingerprint.Of(new Dictionary<string, object> { ["links"] = result.Links, ["trips"] = result.Trips }));
    }

    [Fact]
    public void The_register_entry_meets_the_publication_standard()
    {
        var entry = new TrafficAlgorithm().Describe(new RegisterPublisher("Gemeente Dordrecht", "algoritmes@dordrecht.example"));

        Assert.Empty(RegisterValidator.Validate(entry));
        Assert.Equal(TrafficModel.ModelId, entry.SourceId);
    }

    internal static (IReadOnlyList<TrafficZone> Zones, IReadOnlyList<RoadLink> Links) Detour() =>
        ([Zone("A", 0, 0), Zone("B", 1000, 0)],
         [Link("ab", 0, 0, 1000, 0), Link("ac", 0, 0, 500, 600), Link("cb", 500, 600, 1000, 0)]);

    internal static TrafficResult Run(
        IReadOnlyList<TrafficZone> zones, IReadOnlyList<ZoneDwellings> dwellings, IReadOnlyList<ZoneActivity> activity, IReadOnlyList<RoadLink> links,
        TrafficParameters? parameters = null, IReadOnlyList<string>? closedLinks = null, IReadOnlyList<LinkTrafficFactor>? linkFactors = null)
    {
        var outputs = ModelRun.Execute(
            new TrafficModel(parameters),
            new Dictionary<string, object>
            {
                [TrafficPorts.Zones.Name] = zones,
                [TrafficPorts.Dwellings.Name] = dwellings,
                [TrafficPorts.Activity.Name] = activity,
                [TrafficPorts.RoadLinks.Name] = links,
                [TrafficPorts.ClosedLinks.Name] = closedLinks ?? [],
                [TrafficPorts.LinkFactors.Name] = linkFactors ?? [],
            },
            seed: 0,
            TestContext.Current.CancellationToken);
        return new((IReadOnlyList<LinkTraffic>)outputs[TrafficPorts.LinkTraffic.Name], (TripTotals)outputs[TrafficPorts.Trips.Name]);
    }

    internal sealed record TrafficResult(IReadOnlyList<LinkTraffic> Links, TripTotals Trips)
    {
        public LinkTraffic Link(string id) => Links.Single(l => l.LinkId == id);
    }
}
