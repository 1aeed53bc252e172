using Tweeling.Models.City;
using Tweeling.Models.Graph;

namespace Tweeling.Models.Noise;

/// <summary>The ports of the road-traffic noise model (<see cref="RoadNoiseModel"/>).</summary>
public static class NoisePorts
{
    /// <summary>The road network: the geometry of every link.</summary>
    public static readonly Port<IReadOnlyList<RoadLink>> RoadLinks = new(
        "road-links", "-", "The road network: one centre line per link in RD New metres, with road class and speed limit.");

    /// <summary>The traffic per link, as trip assignment writes it.</summary>
    public static readonly Port<IReadOnlyList<LinkTraffic>> LinkTraffic = new(
        "link-traffic", "vehicles/24h", "Motor vehicles per average working day per link, with the shares of medium, heavy and bus traffic and the mean speed.");

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
