using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;
using Tweeling.Models.Graph;
using Tweeling.Models.Green;
using Tweeling.Models.Population;
using Tweeling.Models.Tests.Support;

namespace Tweeling.Models.Tests.Scenario;

/// <summary>
/// Guards for the speed work on the models' internals (docs/benchmarks.md, "Scenario full run: model internals
/// (scenario-speed)"): each model on the demo city's baseline gives what the implementation before that work gave.
/// The fingerprints were taken from the outputs of main at 711f587 on this same input; where a faster method sums in
/// another order the test names the tolerance and checks against an oracle computed here the old way.
/// </summary>
[Collection(DemoCityStoreCollection.Name)]
public sealed class ModelInternalsGuardTests(DemoCityStore demo)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Green_on_the_demo_city_keeps_every_dwelling_result_and_canopy_share_and_its_public_green_within_1e_9()
    {
        var inputs = Inputs(new GreenModel());
        var outputs = ModelRun.Execute(new GreenModel(), inputs, 1, Ct);
        var perNeighbourhood = (IReadOnlyList<NeighbourhoodGreen>)outputs[GreenPorts.PerNeighbourhood.Name];

        // Every dwelling's trees, park distance and flags, bit for bit (39,374 dwelling points, 129 buurten).
        Assert.Equal(
            "71ca8090a30d33a302689a1585909d4a",
            OutputFingerprint.Of(new Dictionary<string, object> { [GreenPorts.PerDwelling.Name] = outputs[GreenPorts.PerDwelling.Name] }));
        Assert.Equal(
            "f4b79ef1005d0c5086f9d831db5988e9",
            Sha(string.Join('\n', perNeighbourhood.Select(n => string.Create(CultureInfo.InvariantCulture, $"{n.Code} {n.CanopyShare}")))));

        // Public green per buurt is now a sum over the city's merged green pieces instead of the area of one union per
        // buurt: the same area, summed in another order, so equal to the old way to 1e-9 of the buurt's green.
        var green = (IReadOnlyList<GreenSpace>)inputs[GreenPorts.PublicGreen.Name];
        var buurten = (IReadOnlyList<Neighbourhood>)inputs[GreenPorts.Neighbourhoods.Name];
        Assert.Equal(buurten.Count, perNeighbourhood.Count);
        for (var i = 0; i < buurten.Count; i++)
        {
            var candidates = green.Select(g => g.Area).Where(g => g.EnvelopeInternal.Intersects(buurten[i].Area.EnvelopeInternal) && g.Intersects(buurten[i].Area)).ToList();
            var expected = candidates.Count == 0
                ? 0
                : OverlayNGRobust.Overlay(OverlayNGRobust.Union(candidates), buurten[i].Area, SpatialFunction.Intersection).Area;
            Assert.Equal(buurten[i].Code, perNeighbourhood[i].Code);
            Assert.True(
                Math.Abs(perNeighbourhood[i].PublicGreenM2 - expected) <= 1e-9 * Math.Max(1, expected),
                $"{buurten[i].Code}: {perNeighbourhood[i].PublicGreenM2} m² against {expected} m² the old way");
        }

        Assert.Contains(perNeighbourhood, n => n.PublicGreenM2 > 10_000);
    }

    /// <summary>The model's inputs on the demo city's baseline, the population model's neighbourhoods included.</summary>
    private Dictionary<string, object> Inputs(IImpactModel model)
    {
        var values = new Dictionary<string, object>(demo.City.Baseline, StringComparer.Ordinal);
        var population = new PopulationModel();
        foreach (var (port, value) in ModelRun.Execute(population, population.Descriptor.Inputs.ToDictionary(p => p.Name, p => values[p.Name], StringComparer.Ordinal), 1, Ct))
        {
            values[port] = value;
        }

        return model.Descriptor.Inputs.ToDictionary(p => p.Name, p => values[p.Name], StringComparer.Ordinal);
    }

    private static string Sha(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
}
