using Tweeling.Models.City;
using Tweeling.Models.Graph;
using Tweeling.Models.Traffic;

namespace Tweeling.Models.Noise;

/// <summary>The ports of the road-traffic noise model (<see cref="RoadNoiseModel"/>).</summary>
public static class NoisePorts
{
    /// <summary>The road network: the geometry of every link.</summary>
    public static readonly Port<IReadOnlyList<RoadLink>> RoadLinks = CityPorts.Roads;

    /// <summary>The traffic per link, as trip assignment writes it.</summary>
    public static readonly Port<IReadOnlyList<LinkTraffic>> LinkTraffic = TrafficPorts.LinkTraffic;

    /// <summary>The façade points where noise is computed.</summary>
    public static readonly Port<IReadOnlyList<NoiseReceptor>> Receptors = new(
        "noise-receptors", "-", "Façade points (RD New metres), e.g. the point of each building nearest the road.");

    /// <summary>The levels per receptor.</summary>
    public static readonly Port<IReadOnlyList<FacadeNoise>> FacadeLevels = new(
        "noise-facade-levels", "dB(A)", "Road-traffic noise per façade receptor: Lday, Levening, Lnight and Lden in dB(A), and % highly annoyed.");

    /// <summary>The exposure against the norms.</summary>
    public static readonly Port<NoiseExposureSummary> Exposure = new(
        "noise-exposure", "-", "Receptors above 53 dB Lden (standard value), above 70 dB Lden (limit value) and above 45 dB Lnight, and the mean % highly annoyed.");
}
