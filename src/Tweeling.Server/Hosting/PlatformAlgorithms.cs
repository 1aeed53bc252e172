using Tweeling.Domain.Alerts;
using Tweeling.Domain.Algorithms;
using Tweeling.Governance.Register;
using Tweeling.Ingestion.DemoCity;
using Tweeling.Ingestion.DemoCity.Feeds;
using Tweeling.Models.Accessibility;
using Tweeling.Models.AirQuality;
using Tweeling.Models.Facilities;
using Tweeling.Models.Green;
using Tweeling.Models.Heat;
using Tweeling.Models.Liveability;
using Tweeling.Models.Noise;
using Tweeling.Models.Population;
using Tweeling.Models.Social;
using Tweeling.Models.Traffic;

namespace Tweeling.Server.Hosting;

/// <summary>
/// Every algorithm and model the platform runs, for the algorithm register. A new model adds its
/// declaration (an <see cref="IRegisteredAlgorithm"/> beside its code) here; the register tests then
/// check its entry against the publication standard.
/// </summary>
internal static class PlatformAlgorithms
{
    /// <summary>The declarations, one per algorithm.</summary>
    public static IReadOnlyList<IRegisteredAlgorithm> All { get; } =
    [
        new ThresholdAlertsAlgorithm(),
        new DemoFeedAlgorithm(),
        new DemoCityAlgorithm(),
        new PopulationAlgorithm(),
        new SocialAlgorithm(),
        new LiveabilityAlgorithm(),
        new TrafficAlgorithm(),
        new AirQualityAlgorithm(),
        new RoadNoiseAlgorithm(),
        new HeatAlgorithm(),
        new GreenAlgorithm(),
        new FacilitiesAlgorithm(),
        new AccessibilityAlgorithm(),
    ];

    /// <summary>The register of <see cref="All"/> as <paramref name="options"/> publish it.</summary>
    public static AlgorithmRegistry Registry(RegisterOptions options) => new(All, options.Publisher);
}
