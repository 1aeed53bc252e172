namespace Tweeling.Models.AirQuality;

/// <summary>
/// The SRM1 formulas (Regeling beoordeling luchtkwaliteit 2007, bijlage 1; the former CAR II model), as given in
/// /work/shared/reference/models.md §1.2. Concentrations in µg/m³, emissions in µg/(m·s), distances in metres.
/// </summary>
public static class Srm1
{
    /// <summary>The closest distance to the road axis SRM1 computes at: nearer points take this distance.</summary>
    public const double MinimumDistance = 3.5;

    /// <summary>The ozone-chemistry coefficient B of the NO2 formula.</summary>
    public const double OzoneB = 0.6;

    /// <summary>The ozone-chemistry constant K of the NO2 formula, µg/m³.</summary>
    public const double OzoneK = 100;

    // The SRM1 constant of C = 0.62·E·s(x)·F_b·F_regio.
    private const double ConcentrationConstant = 0.62;

    // g/(vehicle·km) × vehicles/day → µg/(m·s): ×10⁶ µg/g ÷ 1000 m/km ÷ 86,400 s/day.
    private const double GramPerKmPerDayToMicrogramPerMetrePerSecond = 1000.0 / 86400.0;

    /// <summary>How far from the axis SRM1 is valid for a road type: 30 m (types 2, 3) or 60 m (types 1, 4).</summary>
    public static double MaximumDistance(StreetType type) => type is StreetType.WideCanyon or StreetType.Open ? 60 : 30;

    /// <summary>
    /// The dilution factor s(x): <c>a·x² + b·x + c</c> up to 30 m, and <c>α·x^−0.747</c> beyond 30 m (types 1 and 4 only);
    /// x is clipped to at least 3.5 m. Returns 0 beyond the type's maximum distance (outside the SRM1 domain).
    /// </summary>
    public static double Dilution(StreetType type, double distance)
    {
        var x = Math.Max(distance, MinimumDistance);
        if (x > MaximumDistance(type))
        {
            return 0;
        }

        var (a, b, c, alpha) = type switch
        {
            StreetType.WideCanyon => (0.000325, -0.0205, 0.39, 0.856),
            StreetType.NarrowCanyon => (0.000488, -0.0308, 0.59, double.NaN),
            StreetType.OneSided => (0.0005, -0.0316, 0.57, double.NaN),
            StreetType.Open => (0.000310, -0.0182, 0.33, 0.799),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown SRM1 road type."),
        };
        return x <= 30 ? (a * x * x) + (b * x) + c : alpha * Math.Pow(x, -0.747);
    }

    /// <summary>The tree factor F_b: 1.0, 1.25 or 1.5.</summary>
    public static double TreeFactor(TreeCover trees) => trees switch
    {
        TreeCover.FewOrNone => 1.0,
        TreeCover.Some => 1.25,
        TreeCover.Dense => 1.5,
        _ => throw new ArgumentOutOfRangeException(nameof(trees), trees, "Unknown tree cover."),
    };

    /// <summary>The regional factor F_regio = 5/ū, ū the local annual-mean wind speed in m/s.</summary>
    public static double RegionalFactor(double windSpeed) => 5 / windSpeed;

    /// <summary>
    /// The emission strength E in µg/(m·s) of <paramref name="vehiclesPerDay"/> vehicles (both directions):
    /// the share <paramref name="congestionShare"/> drives with the stagnation factors, the rest with the normal ones;
    /// each is the mix of light vehicles and the <paramref name="truckShare"/> of medium, heavy vehicles and buses.
    /// Factors in g/(vehicle·km).
    /// </summary>
    public static double Emission(
        double vehiclesPerDay, double truckShare, double congestionShare, double lightFactor, double truckFactor, double lightStagnationFactor, double truckStagnationFactor)
    {
        var normal = ((1 - truckShare) * lightFactor) + (truckShare * truckFactor);
        var stagnant = ((1 - truckShare) * lightStagnationFactor) + (truckShare * truckStagnationFactor);
        return vehiclesPerDay * (((1 - congestionShare) * normal) + (congestionShare * stagnant)) * GramPerKmPerDayToMicrogramPerMetrePerSecond;
    }

    /// <summary>The concentration increment <c>C = 0.62·E·s(x)·F_b·F_regio</c> in µg/m³.</summary>
    public static double Concentration(double emission, double dilution, double treeFactor, double regionalFactor) =>
        ConcentrationConstant * emission * dilution * treeFactor * regionalFactor;

    /// <summary>
    /// The NO2 increment from the NOx increment by the ozone formula
    /// <c>NO2 = NO2_dir + B·O3·(NOx − NO2_dir)/(NOx − NO2_dir + K)</c>, B = 0.6, K = 100 µg/m³.
    /// </summary>
    /// <param name="nox">The NOx increment, µg/m³.</param>
    /// <param name="directNo2">The directly emitted NO2 increment, µg/m³ (≤ <paramref name="nox"/>).</param>
    /// <param name="ozone">The background ozone, µg/m³.</param>
    public static double No2(double nox, double directNo2, double ozone)
    {
        var notDirect = nox - directNo2;
        return notDirect <= 0 ? directNo2 : directNo2 + (OzoneB * ozone * notDirect / (notDirect + OzoneK));
    }
}
