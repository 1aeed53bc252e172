using Tweeling.Models.Accessibility;
using Tweeling.Models.Graph;
using Tweeling.Models.Tests.Scenario;
using Tweeling.Models.Tests.Support;

namespace Tweeling.Models.Tests.Accessibility;

/// <summary>
/// The accessibility model's full run on the demo city (57,070 dwellings, every facility kind): the snapping and the
/// searches per kind run side by side (scenario-traffic3), which must not change a single distance.
/// </summary>
[Collection(DemoCityStoreCollection.Name)]
public sealed class AccessibilityDemoCityTests(DemoCityStore demo)
{
    [Fact]
    public void The_demo_city_distances_are_bit_identical_to_those_of_the_one_thread_run()
    {
        var model = new AccessibilityModel();
        var all = demo.City.Inputs([]);

        var outputs = ModelRun.Execute(model, model.Descriptor.Inputs.ToDictionary(p => p.Name, p => all[p.Name], StringComparer.Ordinal), 0, TestContext.Current.CancellationToken);

        // The fingerprint of the outputs of main at 2ab7712, before the parallel run: kinds and dwellings one after another.
        Assert.NotEmpty((IReadOnlyList<DwellingFacilityDistance>)outputs[AccessibilityPorts.DwellingDistances.Name]);
        Assert.Equal("6b75978d7eb764aef42e8d914127355b", OutputFingerprint.Of(outputs));
    }
}
