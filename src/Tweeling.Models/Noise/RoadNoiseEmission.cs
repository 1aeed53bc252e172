namespace Tweeling.Models.Noise;

/// <summary>
/// CNOSSOS-EU road-traffic emission with the Dutch coefficient set (NoiseModelling <c>RoadCnossos_NL.json</c>,
/// "NL Cnossos – XXXIII"; models.md §2.1 [V]): sound power per vehicle per octave band from rolling and
/// propulsion noise, and the A-weighted power per metre of a stream of vehicles. Reference road surface,
/// steady speed: no surface, junction (acceleration) or temperature correction.
/// </summary>
public static class RoadNoiseEmission
{
    /// <summary>The octave-band centre frequencies in Hz, the index order of every band array here.</summary>
    public static IReadOnlyList<int> BandsHz { get; } = [63, 125, 250, 500, 1000, 2000, 4000, 8000];

    /// <summary>A-weighting per octave band in dB (IEC 61672; models.md §2.1).</summary>
    public static IReadOnlyList<double> AWeighting { get; } = [-26.2, -16.1, -8.6, -3.2, 0, 1.2, 1.0, -1.1];

    /// <summary>The lowest speed the CNOSSOS-EU emission formulas are valid for, in km/h; slower traffic is computed at this speed.</summary>
    public const double MinimumSpeedKmh = 20;

    /// <summary>The reference speed of the coefficients, in km/h.</summary>
    private const double ReferenceSpeedKmh = 70;

    // Rows: CNOSSOS category 1 (light), 2 (medium heavy), 3 (heavy); columns: the octave bands 63…8000 Hz.
    private static readonly double[][] s_rollingA =
    [
        [83.4, 86.8, 86.1, 92.5, 99.8, 96.6, 85.8, 76.2],
        [88.2, 91.4, 91.0, 99.2, 100.2, 94.3, 86.6, 82.2],
        [90.4, 93.2, 94.4, 104.6, 105.3, 98.4, 89.3, 83.8],
    ];

    private static readonly double[][] s_rollingB =
    [
        [39.2, 37.5, 32.2, 18.4, 24.9, 25.8, 32.1, 35.1],
        [27.7, 23.7, 16.6, 18.3, 28.8, 32.6, 31.0, 28.2],
        [30.3, 26.9, 22.1, 26.1, 33.7, 35.2, 35.6, 34.0],
    ];

    private static readonly double[][] s_propulsionA =
    [
        [98.0, 90.3, 89.7, 88.3, 86.8, 89.7, 85.1, 78.0],
        [105.3, 99.4, 98.5, 99.4, 101.5, 98.6, 91.7, 84.6],
        [107.8, 102.2, 102.2, 104.9, 104.6, 100.1, 93.5, 86.7],
    ];

    private static readonly double[][] s_propulsionB =
    [
        [2.8, 6.1, 5.6, 5.4, 5.1, 3.5, 5.3, 6.3],
        [-2.4, -0.6, -1.0, 3.8, 5.9, 5.0, 3.3, 1.3],
        [0.8, 0.3, 0.3, 5.6, 6.2, 4.4, 3.9, 2.3],
    ];

    /// <summary>
    /// The sound power level of one vehicle of <paramref name="category"/> in octave band <paramref name="band"/>, in dB
    /// (re 1 pW, unweighted): <c>L_W = 10·lg(10^(L_WR/10) + 10^(L_WP/10))</c> with rolling noise
    /// <c>L_WR = A_R + B_R·lg(v/70)</c> and propulsion noise <c>L_WP = A_P + B_P·(v−70)/70</c>.
    /// </summary>
    /// <param name="category">The CNOSSOS-EU vehicle category.</param>
    /// <param name="band">The octave band index into <see cref="BandsHz"/>.</param>
    /// <param name="speedKmh">The vehicle speed in km/h; below <see cref="MinimumSpeedKmh"/> the minimum is used.</param>
    public static double VehicleSoundPower(VehicleCategory category, int band, double speedKmh)
    {
        var v = Math.Max(speedKmh, MinimumSpeedKmh);
        return VehicleSoundPower((int)category, band, v, Math.Log10(v / ReferenceSpeedKmh));
    }

    /// <summary>
    /// The A-weighted sound power per metre of road of a steady stream of vehicles in octave band <paramref name="band"/>,
    /// in dB(A) re 1 pW/m: <c>L_W' = L_W + 10·lg(Q/(1000·v)) + A-weighting</c>, Q in vehicles/h and v in km/h
    /// (Q/(1000·v) is the number of vehicles on one metre of road). <see cref="double.NegativeInfinity"/> when Q is 0.
    /// </summary>
    /// <param name="category">The vehicle category.</param>
    /// <param name="band">The octave band index into <see cref="BandsHz"/>.</param>
    /// <param name="vehiclesPerHour">The flow Q of this category in vehicles/h.</param>
    /// <param name="speedKmh">The speed in km/h; below <see cref="MinimumSpeedKmh"/> the minimum is used.</param>
    public static double LinePowerA(VehicleCategory category, int band, double vehiclesPerHour, double speedKmh)
    {
        var v = Math.Max(speedKmh, MinimumSpeedKmh);
        return VehicleSoundPower(category, band, v) + (10 * Math.Log10(vehiclesPerHour / (1000 * v))) + AWeighting[band];
    }

    /// <summary>
    /// The A-weighted power per metre of a mixed stream per octave band, summed over the three categories, as energies
    /// (<c>10^(L_W'/10)</c>, pW/m) into <paramref name="energies"/> at the band's index: the same bits as
    /// <c>Σ Decibel.ToEnergy(LinePowerA(category, band, Q_category, v))</c>, with what depends only on the speed
    /// (<c>lg(v/70)</c>, the vehicle powers) or only on a category's flow (<c>10·lg(Q/(1000·v))</c>) computed once, not per
    /// band and category: a noise source takes this for each of its three periods.
    /// </summary>
    /// <param name="vehiclePowers">The vehicle sound powers at the speed, from <see cref="VehicleSoundPowers"/>.</param>
    /// <param name="lightPerHour">Category 1 vehicles/h.</param>
    /// <param name="mediumPerHour">Category 2 vehicles/h.</param>
    /// <param name="heavyPerHour">Category 3 vehicles/h.</param>
    /// <param name="speedKmh">The speed of every vehicle in km/h, the one <paramref name="vehiclePowers"/> are for.</param>
    /// <param name="energies">Receives one energy per band.</param>
    public static void BandEnergies(ReadOnlySpan<double> vehiclePowers, double lightPerHour, double mediumPerHour, double heavyPerHour, double speedKmh, Span<double> energies)
    {
        var bands = BandsHz.Count;
        var v = Math.Max(speedKmh, MinimumSpeedKmh);
        // The order of the terms is LinePowerA's, (L_W + flow) + A-weighting, so each level has the same bits.
        var (light, medium, heavy) = (10 * Math.Log10(lightPerHour / (1000 * v)), 10 * Math.Log10(mediumPerHour / (1000 * v)), 10 * Math.Log10(heavyPerHour / (1000 * v)));
        for (var band = 0; band < bands; band++)
        {
            var weighting = AWeighting[band];
            energies[band] =
                Decibel.ToEnergy(vehiclePowers[band] + light + weighting)
                + Decibel.ToEnergy(vehiclePowers[bands + band] + medium + weighting)
                + Decibel.ToEnergy(vehiclePowers[(2 * bands) + band] + heavy + weighting);
        }
    }

    /// <summary>
    /// <see cref="VehicleSoundPower(VehicleCategory, int, double)"/> of every category and band at one speed, at index
    /// <c>category·8 + band</c>, with <c>lg(v/70)</c> taken once.
    /// </summary>
    /// <param name="speedKmh">The vehicle speed in km/h; below <see cref="MinimumSpeedKmh"/> the minimum is used.</param>
    /// <param name="powers">Receives 3 × 8 levels, dB re 1 pW.</param>
    public static void VehicleSoundPowers(double speedKmh, Span<double> powers)
    {
        var bands = BandsHz.Count;
        var v = Math.Max(speedKmh, MinimumSpeedKmh);
        var logSpeed = Math.Log10(v / ReferenceSpeedKmh);
        for (var m = 0; m < s_rollingA.Length; m++)
        {
            for (var band = 0; band < bands; band++)
            {
                powers[(m * bands) + band] = VehicleSoundPower(m, band, v, logSpeed);
            }
        }
    }

    /// <summary>The A-weighted power per metre of a mixed stream, summed energetically over categories and bands, in dB(A) re 1 pW/m.</summary>
    /// <param name="lightPerHour">Category 1 vehicles/h.</param>
    /// <param name="mediumPerHour">Category 2 vehicles/h.</param>
    /// <param name="heavyPerHour">Category 3 vehicles/h.</param>
    /// <param name="speedKmh">The speed of every vehicle in km/h.</param>
    public static double TotalLinePowerA(double lightPerHour, double mediumPerHour, double heavyPerHour, double speedKmh)
    {
        var energy = 0.0;
        for (var band = 0; band < BandsHz.Count; band++)
        {
            energy += Decibel.ToEnergy(LinePowerA(VehicleCategory.Light, band, lightPerHour, speedKmh))
                + Decibel.ToEnergy(LinePowerA(VehicleCategory.Medium, band, mediumPerHour, speedKmh))
                + Decibel.ToEnergy(LinePowerA(VehicleCategory.Heavy, band, heavyPerHour, speedKmh));
        }

        return Decibel.FromEnergy(energy);
    }

    // L_W of category m in the band at speed v (at least the minimum speed), lg(v/70) given.
    private static double VehicleSoundPower(int m, int band, double v, double logSpeed)
    {
        var rolling = s_rollingA[m][band] + (s_rollingB[m][band] * logSpeed);
        var propulsion = s_propulsionA[m][band] + (s_propulsionB[m][band] * (v - ReferenceSpeedKmh) / ReferenceSpeedKmh);
        return Decibel.Sum(rolling, propulsion);
    }
}

/// <summary>The CNOSSOS-EU vehicle categories the Dutch coefficient set has (category 4, two-wheelers, is not modelled).</summary>
public enum VehicleCategory
{
    /// <summary>Category 1: passenger cars and vans up to 3.5 t.</summary>
    Light = 0,

    /// <summary>Category 2: medium heavy vehicles with two axles, including city buses.</summary>
    Medium = 1,

    /// <summary>Category 3: heavy vehicles with three or more axles.</summary>
    Heavy = 2,
}

/// <summary>Energetic arithmetic on levels in dB.</summary>
public static class Decibel
{
    /// <summary><c>10^(L/10)</c>: the energy (relative) of a level; 0 for −∞.</summary>
    public static double ToEnergy(double level) => Math.Pow(10, level / 10);

    /// <summary><c>10·lg(E)</c>: the level of an energy; −∞ for 0.</summary>
    public static double FromEnergy(double energy) => 10 * Math.Log10(energy);

    /// <summary>The energetic sum of two levels: <c>10·lg(10^(a/10) + 10^(b/10))</c>.</summary>
    public static double Sum(double a, double b) => FromEnergy(ToEnergy(a) + ToEnergy(b));
}
