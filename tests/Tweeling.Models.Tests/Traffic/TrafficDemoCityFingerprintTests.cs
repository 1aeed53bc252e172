using Tweeling.Models.City;
using Tweeling.Models.Graph;
using Tweeling.Models.Tests.Scenario;
using Tweeling.Models.Tests.Support;
using Tweeling.Models.Traffic;

namespace Tweeling.Models.Tests.Traffic;

/// <summary>
/// A guard for speed work on the traffic model's full run (docs/benchmarks.md "Verkeer full run (scenario-traffic6)"): on the
/// demo city's baseline (129 zones, 32,186 links, one origin per zone) a full run gives the outputs and the relative gap it
/// gave on main at e6dd626, bit for bit. The relative gap is computed from the arc flows before their output resolution, so
/// it also catches a change in the last digits of a flow that the rounded link records would hide. Taken from main's code
/// (a search over every node, docs/models/verkeer.md "Path searches"), not from a change under test.
/// </summary>
[Collection(DemoCityStoreCollection.Name)]
public sealed class TrafficDemoCityFingerprintTests(DemoCityStore demo)
{
    [Fact]
    public void A_full_run_on_the_demo_city_gives_the_flows_and_the_gap_of_main_bit_for_bit()
    {
        var ct = TestContext.Current.CancellationToken;
        var all = demo.City.Inputs([]);
        var model = new TrafficModel();

        var outputs = ModelRun.Execute(model, model.Descriptor.Inputs.ToDictionary(p => p.Name, p => all[p.Name], StringComparer.Ordinal), 1, ct);
        var gap = model.RelativeGapOf(outputs[TrafficPorts.LinkTraffic.Name], ct)!.Value;

        Assert.Equal("1e2c939954d1b68b2a705ab77cbaf986", OutputFingerprint.Of(outputs));
        Assert.Equal(0.003538272963048849, gap);
    }

    [Fact]
    public void Full_runs_that_read_the_kept_network_rounds_give_the_flows_of_a_run_that_searches_them()
    {
        // The network's own rounds (free-flow times, first-iteration routes) are kept beside the list of road links. A copy
        // of the list is a network no run has seen: its first run searches every round, the next models' runs on it read
        // them (docs/models/verkeer.md "Network rounds"). All must give main's outputs bit for bit.
        var ct = TestContext.Current.CancellationToken;
        var all = demo.City.Inputs([]);
        var inputs = new TrafficModel().Descriptor.Inputs.ToDictionary(p => p.Name, p => all[p.Name], StringComparer.Ordinal);
        inputs[TrafficPorts.RoadLinks.Name] = ((IReadOnlyList<RoadLink>)inputs[TrafficPorts.RoadLinks.Name]).ToList();

        foreach (var run in new[] { "searched", "read", "read again" })
        {
            var model = new TrafficModel();
            var outputs = ModelRun.Execute(model, inputs, 1, ct);
            Assert.True("1e2c939954d1b68b2a705ab77cbaf986" == OutputFingerprint.Of(outputs), $"The run whose network rounds were {run} differs from main.");
            Assert.Equal(0.003538272963048849, model.RelativeGapOf(outputs[TrafficPorts.LinkTraffic.Name], ct)!.Value);
        }
    }
}
