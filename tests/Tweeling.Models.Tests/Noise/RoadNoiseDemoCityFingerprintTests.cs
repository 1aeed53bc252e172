using Tweeling.Models.Graph;
using Tweeling.Models.Noise;
using Tweeling.Models.Tests.Scenario;
using Tweeling.Models.Tests.Support;
using Tweeling.Models.Traffic;

namespace Tweeling.Models.Tests.Noise;

/// <summary>
/// A guard for work on geluid's full run, as the other models have (<see cref="FullRunFingerprintTests"/>,
/// <see cref="Tests.Traffic.TrafficDemoCityFingerprintTests"/>): on the demo city's baseline (its façade receptors, road links and the
/// traffic model's flows) a full run gives the façade levels and the exposure summary it gave on main at 09a8591, bit for
/// bit, and gives them again from a fresh model instance (the receptors are summed in parallel parts, which must not
/// change a sum). Taken from main's code, not from a change under test.
/// </summary>
[Collection(DemoCityStoreCollection.Name)]
public sealed class RoadNoiseDemoCityFingerprintTests(DemoCityStore demo)
{
    /// <summary>The traffic model's outputs on the baseline (<see cref="Tests.Traffic.TrafficDemoCityFingerprintTests"/>): geluid's input.</summary>
    private const string TrafficFingerprint = "1e2c939954d1b68b2a705ab77cbaf986";

    [Fact]
    public void A_full_run_on_the_demo_city_gives_the_levels_and_exposure_of_main_bit_for_bit_each_time()
    {
        var ct = TestContext.Current.CancellationToken;
        var all = new Dictionary<string, object>(demo.City.Inputs([]), StringComparer.Ordinal);
        var traffic = ModelRun.Execute(new TrafficModel(), InputsOf(new TrafficModel(), all), 1, ct);

        // When this fails the input moved, not geluid: the traffic model's own fingerprint test says why.
        Assert.True(OutputFingerprint.Of(traffic) == TrafficFingerprint, "the traffic model's flows on the demo city are not main's");
        foreach (var (port, value) in traffic)
        {
            all[port] = value;
        }

        var first = OutputFingerprint.Of(ModelRun.Execute(new RoadNoiseModel(), InputsOf(new RoadNoiseModel(), all), 1, ct));
        var again = OutputFingerprint.Of(ModelRun.Execute(new RoadNoiseModel(), InputsOf(new RoadNoiseModel(), all), 1, ct));

        Assert.Equal(first, again);
        Assert.Equal("ff444c657ab91d5621a98fb0109849e5", first);
    }

    private static Dictionary<string, object> InputsOf(IImpactModel model, IReadOnlyDictionary<string, object> all) =>
        model.Descriptor.Inputs.ToDictionary(p => p.Name, p => all[p.Name], StringComparer.Ordinal);
}
