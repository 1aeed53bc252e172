namespace Tweeling.Models.Liveability;

/// <summary>
/// A linear score from 0 to 1 between two anchors of an indicator, clamped outside them: 1 at or beyond
/// <see cref="Best"/>, 0 at or beyond <see cref="Worst"/>. Whichever of the two is larger, the score only ever moves
/// one way with the indicator, which is what makes the dimensions monotone.
/// </summary>
/// <param name="Best">The value that scores 1 (e.g. 53 dB L_den).</param>
/// <param name="Worst">The value that scores 0 (e.g. 70 dB L_den).</param>
/// <param name="Source">Why these anchors, with their source and confidence tag.</param>
public sealed record LinearScore(double Best, double Worst, string Source)
{
    /// <summary>The score of <paramref name="value"/>, 0–1.</summary>
    public double Of(double value) => Math.Clamp((value - Worst) / (Best - Worst), 0, 1);
}

/// <summary>The anchors of every indicator the liveability model scores (docs/models/leefbaarheid.md, "Normalisation").</summary>
public static class LiveabilityAnchors
{
    /// <summary>Road-traffic L_den at the façade, dB.</summary>
    public static LinearScore Noise { get; } = new(53, 70,
        "53 dB: WHO 2018 guideline and Bkl standard value for municipal roads; 70 dB: Bkl limit value (models.md §2.3) [M]");

    /// <summary>Annual-mean NO2, µg/m³.</summary>
    public static LinearScore No2 { get; } = new(10, 40,
        "10 µg/m³: WHO 2021 air quality guideline; 40 µg/m³: EU limit value (Directive 2008/50/EC) [M]");

    /// <summary>UHI_max, K.</summary>
    public static LinearScore Heat { get; } = new(0, 3,
        "0 K: no urban heat island; 3 K: above the summer means of Dutch cities on RIVM's UHI map (models.md §4.2) [A]");

    /// <summary>Public green per inhabitant, m².</summary>
    public static LinearScore Green { get; } = new(50, 0,
        "50 m² public green per inhabitant: the Dutch norm cited by Stad+Groen 2024 (models.md §4.3) [M]");

    /// <summary>Tree canopy share of the buurt, 0–1.</summary>
    public static LinearScore Canopy { get; } = new(0.30, 0,
        "30 % canopy: the '30' of 3-30-300 (models.md §4.3) [V]");

    /// <summary>The 2SFCA ratio of capacity to demand, capped at 1.</summary>
    public static LinearScore FacilityCapacity { get; } = new(1, 0,
        "1: capacity in reach meets the planning norm (models.md §5) [M]");

    /// <summary>Mean walking distance to the nearest facility of a kind, m.</summary>
    public static LinearScore Walking { get; } = new(500, 2_500,
        "500 m: about a 6-minute walk [A]; 2,500 m: about twice the national mean distance to a GP (1.1 km) or pharmacy (1.3 km), CBS 85830NED (models.md §5) [A]");

    /// <summary>Low-income households, %.</summary>
    public static LinearScore LowIncome { get; } = new(0, 40,
        "0–40 %: a range that holds every buurt from all owner-occupied (≈3 %) to all social rent (≈22 %) with room for the observed spread [A]");

    /// <summary>The busiest motor road within <see cref="LiveabilityModel.TrafficRadiusMetres"/> of a dwelling, vehicles per working day.</summary>
    public static LinearScore Traffic { get; } = new(5_000, 20_000,
        "5,000 vehicles/day: the usual upper bound for a 30 km/h access road (CROW guidance) [M]; 20,000: a busy urban distributor road [A]");
}
