namespace Tweeling.Models.AirQuality;

/// <summary>The SRM1 speed class (snelheidstype) of the emission factors.</summary>
public enum SpeedClass
{
    /// <summary>Class b: outside the built-up area (mean speed 44 km/h).</summary>
    OutsideBuiltUpArea,

    /// <summary>Class c: normal city traffic (19 km/h).</summary>
    CityNormal,

    /// <summary>Class d: congested city traffic (13 km/h); the stagnation factors.</summary>
    CityCongested,

    /// <summary>Class e: free-flowing city traffic (26 km/h).</summary>
    CityFreeFlow,
}

/// <summary>The emission factors of one speed class, g/(vehicle·km); "truck" is the 2:1 mix of medium and heavy vehicles.</summary>
/// <param name="NoxLight">NOx of a light vehicle.</param>
/// <param name="NoxTruck">NOx of a truck.</param>
/// <param name="Pm10Light">PM10 of a light vehicle.</param>
/// <param name="Pm10Truck">PM10 of a truck.</param>
public sealed record EmissionFactors(double NoxLight, double NoxTruck, double Pm10Light, double Pm10Truck)
{
    /// <summary>
    /// The factors of peiljaar 2021 (published by I&amp;W in 2022) per speed class, models.md §1.2 [V]. The yearly
    /// official set replaces these via <see cref="AirQualityParameters.EmissionFactors"/>.
    /// </summary>
    public static IReadOnlyDictionary<SpeedClass, EmissionFactors> Peiljaar2021 { get; } = new Dictionary<SpeedClass, EmissionFactors>
    {
        [SpeedClass.OutsideBuiltUpArea] = new(0.205, 2.732, 0.016, 0.089),
        [SpeedClass.CityNormal] = new(0.272, 4.532, 0.031, 0.157),
        [SpeedClass.CityCongested] = new(0.377, 7.277, 0.033, 0.185),
        [SpeedClass.CityFreeFlow] = new(0.255, 3.089, 0.032, 0.143),
    };
}

/// <summary>
/// The parameters of <see cref="AirQualityModel"/>. Sources and confidence are in docs/models/luchtkwaliteit.md;
/// the defaults come from /work/shared/reference/models.md §1.2 and documented assumptions.
/// </summary>
public sealed record AirQualityParameters
{
    /// <summary>The default parameters.</summary>
    public static AirQualityParameters Default { get; } = new();

    /// <summary>The emission factors per speed class; every class must be present.</summary>
    public IReadOnlyDictionary<SpeedClass, EmissionFactors> EmissionFactors { get; init; } = AirQuality.EmissionFactors.Peiljaar2021;

    /// <summary>The local annual-mean wind speed ū in m/s, for F_regio = 5/ū (4.5 m/s: the worked example of models.md §1.2; take the local value).</summary>
    public double WindSpeed { get; init; } = 4.5;

    /// <summary>The share of NOx emitted directly as NO2 (assumption, as in the worked example of models.md §1.2; the official set has per-class factors).</summary>
    public double DirectNo2Share { get; init; } = 0.2;

    /// <summary>
    /// PM2.5 emission as a share of PM10 emission (assumption: exhaust is all PM2.5, wear mostly coarser); models.md has no
    /// PM2.5 factors, the yearly official set does.
    /// </summary>
    public double Pm25ShareOfPm10 { get; init; } = 0.5;

    /// <summary>The side of a grid cell in metres.</summary>
    public double CellSize { get; init; } = 25;

    /// <summary>The most grid cells one run computes: a guard against a cell size that is too small for the area.</summary>
    public int MaximumCells { get; init; } = 2_000_000;

    /// <summary>Checks that every parameter is in its range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range; the message names it.</exception>
    public void Validate()
    {
        if (!(WindSpeed > 0) || !double.IsFinite(WindSpeed))
        {
            throw new ArgumentOutOfRangeException(nameof(WindSpeed), WindSpeed, "Must be > 0 m/s.");
        }

        if (!(DirectNo2Share is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(DirectNo2Share), DirectNo2Share, "Must be in [0, 1].");
        }

        if (!(Pm25ShareOfPm10 is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Pm25ShareOfPm10), Pm25ShareOfPm10, "Must be in [0, 1].");
        }

        if (!(CellSize >= 1) || !double.IsFinite(CellSize))
        {
            throw new ArgumentOutOfRangeException(nameof(CellSize), CellSize, "Must be ≥ 1 m.");
        }

        foreach (var speedClass in Enum.GetValues<SpeedClass>())
        {
            if (!EmissionFactors.TryGetValue(speedClass, out var factors))
            {
                throw new ArgumentOutOfRangeException(nameof(EmissionFactors), $"Speed class {speedClass} has no emission factors.");
            }

            if (factors.NoxLight < 0 || factors.NoxTruck < 0 || factors.Pm10Light < 0 || factors.Pm10Truck < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(EmissionFactors), $"Speed class {speedClass} has a negative emission factor.");
            }
        }
    }
}
