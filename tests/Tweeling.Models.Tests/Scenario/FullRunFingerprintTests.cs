using Tweeling.Models.AirQuality;
using Tweeling.Models.Green;
using Tweeling.Models.Heat;
using Tweeling.Models.Liveability;
using Tweeling.Models.Scenario;
using Tweeling.Models.Tests.Support;

namespace Tweeling.Models.Tests.Scenario;

/// <summary>
/// Guards for the speed work on the full runs of groen, leefbaarheid, hitte and luchtkwaliteit (docs/benchmarks.md,
/// "Full run of groen, leefbaarheid, hitte (scenario-fullrun)"): a full run of the whole model graph on the demo city's
/// baseline gives, bit for bit, every output those models gave before that work. The fingerprints were taken from main
/// at 7d750ef on this same input, not from the code under test; leefbaarheid's and luchtkwaliteit's were retaken from
/// branch scenario-chain alone (without the speed work), whose traffic output resolution (docs/models/verkeer.md,
/// "Output resolution") changes the link intensities both models read — groen and hitte, which read no traffic, kept
/// theirs.
/// </summary>
[Collection(DemoCityStoreCollection.Name)]
public sealed class FullRunFingerprintTests(DemoCityStore demo)
{
    private static readonly Dictionary<string, string> s_before = new(StringComparer.Ordinal)
    {
        [GreenModel.ModelId] = "2a703085c3361cf60bc89d3afa3d8e30",
        [LiveabilityModel.ModelId] = "bddbca64dcc0da762674d2a2111dcf50",
        [HeatModel.ModelId] = "f2f38394cd1679962d7c7b10dd027e11",
        [AirQualityModel.ModelId] = "bf20607986377283d5837a92df0922bd",
    };

    [Fact]
    public void A_full_run_on_the_demo_city_gives_the_outputs_of_groen_leefbaarheid_hitte_and_luchtkwaliteit_bit_for_bit()
    {
        var models = ScenarioModels.Create();
        var run = ScenarioModels.Graph(models).Run(demo.City.Baseline, 1, TestContext.Current.CancellationToken);

        var now = s_before.Keys.ToDictionary(
            id => id,
            id => OutputFingerprint.Of(models.Single(m => m.Descriptor.Id == id).Descriptor.Outputs.ToDictionary(p => p.Name, p => run.Values[p.Name], StringComparer.Ordinal)),
            StringComparer.Ordinal);

        Assert.Equal(s_before, now);
    }
}
