using Tweeling.Models.Accessibility;
using Tweeling.Models.AirQuality;
using Tweeling.Models.Facilities;
using Tweeling.Models.Graph;
using Tweeling.Models.Green;
using Tweeling.Models.Heat;
using Tweeling.Models.Liveability;
using Tweeling.Models.Noise;
using Tweeling.Models.Population;
using Tweeling.Models.Results;
using Tweeling.Models.Social;
using Tweeling.Models.Traffic;

namespace Tweeling.Models.Scenario;

/// <summary>The platform's impact models and their reporters: what one scenario run computes and reports.</summary>
public static class ScenarioModels
{
    /// <summary>Every impact model, each with its default parameters, in the order <c>/api/v1/modellen</c> lists them.</summary>
    public static IReadOnlyList<IImpactModel> Create() =>
    [
        new PopulationModel(),
        new TrafficModel(),
        new AirQualityModel(),
        new RoadNoiseModel(),
        new HeatModel(),
        new GreenModel(),
        new FacilitiesModel(),
        new AccessibilityModel(),
        new SocialModel(),
        new LiveabilityModel(),
    ];

    /// <summary>
    /// The reporter of every model of <see cref="Create"/>, in the same order, each keeping its last reports by the
    /// hashes of the ports it read (<see cref="KeptReporter"/>).
    /// </summary>
    public static IReadOnlyList<IIndicatorReporter> Reporters() => [.. PlainReporters().Select(r => new KeptReporter(r))];

    /// <summary>The reporters of <see cref="Reporters"/> without their kept reports: each reports every run anew.</summary>
    public static IReadOnlyList<IIndicatorReporter> PlainReporters() =>
    [
        new PopulationReporter(),
        new TrafficReporter(),
        new AirQualityReporter(),
        new NoiseReporter(),
        new HeatReporter(),
        new GreenReporter(),
        new FacilitiesReporter(),
        new AccessibilityReporter(),
        new SocialReporter(),
        new LiveabilityReporter(),
    ];

    /// <summary>
    /// The graph of <paramref name="models"/>, whose baseline inputs are the ports they read that no model writes: the
    /// ports <see cref="City.CityBaseline"/> produces.
    /// </summary>
    public static ModelGraph Graph(IReadOnlyList<IImpactModel> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        var written = models.SelectMany(m => m.Descriptor.Outputs).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var baseline = models.SelectMany(m => m.Descriptor.Inputs).Where(p => !written.Contains(p.Name)).DistinctBy(p => p.Name);
        return new ModelGraph(models, baseline);
    }
}
