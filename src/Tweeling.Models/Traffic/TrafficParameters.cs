using Tweeling.Models.City;

namespace Tweeling.Models.Traffic;

/// <summary>
/// The parameters of <see cref="TrafficModel"/>: the trip rates, the factors that calibrate them, the gravity
/// deterrence and the assignment settings. Sources and confidence are in docs/models/verkeer.md;
/// the defaults are the indicative values of /work/shared/reference/models.md §3 and documented assumptions.
/// </summary>
public sealed record TrafficParameters
{
    /// <summary>The default parameters.</summary>
    public static TrafficParameters Default { get; } = new();

    /// <summary>
    /// The factor on the CROW rates for the municipality, calibrated on local counts (NDW/INWEVA, loops).
    /// 1 leaves the rates as they are; counts show CROW rates overestimate car movements (models.md §3), so a
    /// calibrated value is usually below 1.
    /// </summary>
    public double CalibrationFactor { get; init; } = 1.0;

    /// <summary>Average working day over average weekday for housing: 1.1 (models.md §3, [M]).</summary>
    public double WorkingDayFactor { get; init; } = 1.1;

    /// <summary>How many jobs one facility weighs as in the attraction of a zone (assumption; see docs/models/verkeer.md).</summary>
    public double JobsPerFacility { get; init; } = 25;

    /// <summary>β of the gravity deterrence <c>f(c) = exp(−β·c)</c>, c in minutes of free-flow car travel time (assumption, typical 0.05–0.15).</summary>
    public double DeterrencePerMinute { get; init; } = 0.1;

    /// <summary>
    /// The number of Frank–Wolfe assignment iterations: fixed, so a run is deterministic. Seven reach a relative gap of
    /// 0.35 % on the demo city, below the 0.51 % that the ten iterations of successive averages used before reached
    /// (docs/models/verkeer.md "Assignment").
    /// </summary>
    public int Iterations { get; init; } = 7;

    /// <summary>
    /// The most origins the assignment searches from: a city with more zones than this has its zones grouped into this many
    /// groups of neighbouring zones, and every trip leaves from its group's hub node instead of its own zone's node (the
    /// destination end stays the zone's own), so a full run grows with the city's size rather than its square. The demo city
    /// at scale 1 (129 zones) is below it and unchanged; the error of grouping is in docs/models/verkeer.md "Origin groups".
    /// </summary>
    public int MaximumOrigins { get; init; } = 160;

    /// <summary>The share of a day's traffic in the busiest hour: the load of the BPR delay (assumption, Dutch urban roads 8–11%).</summary>
    public double PeakHourShare { get; init; } = 0.1;

    /// <summary>The share of a day's traffic that drives in the peak periods, when congestion happens (assumption: two peaks of two hours).</summary>
    public double PeakPeriodShare { get; init; } = 0.25;

    /// <summary>The speed on the connector from a zone centroid to its network node, in km/h (assumption).</summary>
    public double ConnectorSpeedKmh { get; init; } = 20;

    /// <summary>
    /// The car movements per dwelling per average weekday: the midpoints of the indicative CROW-381 ranges for
    /// "sterk stedelijk, rest bebouwde kom" (models.md §3, [M, verify]); the CROW tables themselves were not available.
    /// Private rent is not in the table: it takes the mean of owner-occupied and social rent of the same type (assumption).
    /// </summary>
    /// <param name="type">The dwelling type.</param>
    /// <param name="tenure">The tenure.</param>
    public static double TripRate(DwellingType type, Tenure tenure) => tenure switch
    {
        Tenure.OwnerOccupied => OwnerRate(type),
        Tenure.SocialRent => SocialRate(type),
        Tenure.PrivateRent => (OwnerRate(type) + SocialRate(type)) / 2,
        _ => throw new ArgumentOutOfRangeException(nameof(tenure), tenure, "Unknown tenure."),
    };

    /// <summary>
    /// The capacity of one direction of a link in vehicles per hour, by road class (assumption: about 1,800 per
    /// lane on a through road with two lanes a direction, a distributor road's single lane limited by its junctions,
    /// an access road's by its profile).
    /// </summary>
    /// <param name="roadClass">The road class.</param>
    public static double CapacityPerHour(RoadClass roadClass) => roadClass switch
    {
        RoadClass.Stroomweg => 3600,
        RoadClass.Gebiedsontsluitingsweg => 1500,
        RoadClass.Erftoegangsweg => 600,
        _ => 0,
    };

    /// <summary>The speed limit assumed when a motor link has none, in km/h: the class's usual urban limit.</summary>
    /// <param name="roadClass">The road class.</param>
    public static double DefaultSpeedKmh(RoadClass roadClass) => roadClass switch
    {
        RoadClass.Stroomweg => 100,
        RoadClass.Gebiedsontsluitingsweg => 50,
        _ => 30,
    };

    /// <summary>
    /// The vehicle mix by road class, as shares of all motor vehicles (assumption from typical Dutch urban counts;
    /// the dwellings generate cars only, so these vehicles come on top of the assigned cars).
    /// </summary>
    /// <param name="roadClass">The road class.</param>
    public static (double Medium, double Heavy, double Bus) VehicleMix(RoadClass roadClass) => roadClass switch
    {
        RoadClass.Stroomweg => (0.06, 0.08, 0.005),
        RoadClass.Gebiedsontsluitingsweg => (0.05, 0.03, 0.01),
        RoadClass.Erftoegangsweg => (0.02, 0.005, 0),
        _ => (0, 0, 0),
    };

    /// <summary>Checks that every parameter is in its range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range; the message names it.</exception>
    public void Validate()
    {
        Positive(CalibrationFactor, nameof(CalibrationFactor));
        Positive(WorkingDayFactor, nameof(WorkingDayFactor));
        Positive(ConnectorSpeedKmh, nameof(ConnectorSpeedKmh));
        if (JobsPerFacility < 0 || !double.IsFinite(JobsPerFacility))
        {
            throw new ArgumentOutOfRangeException(nameof(JobsPerFacility), JobsPerFacility, "Must be ≥ 0.");
        }

        if (DeterrencePerMinute < 0 || !double.IsFinite(DeterrencePerMinute))
        {
            throw new ArgumentOutOfRangeException(nameof(DeterrencePerMinute), DeterrencePerMinute, "Must be ≥ 0.");
        }

        if (Iterations is < 1 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(Iterations), Iterations, "Must be 1–100.");
        }

        if (MaximumOrigins < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaximumOrigins), MaximumOrigins, "Must be ≥ 1.");
        }

        Share(PeakHourShare, nameof(PeakHourShare));
        Share(PeakPeriodShare, nameof(PeakPeriodShare));
    }

    private static double OwnerRate(DwellingType type) => type switch
    {
        DwellingType.Detached => 8.2,
        DwellingType.SemiDetached => 7.8,
        DwellingType.Terraced => 7.0,
        DwellingType.Flat => 5.7,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown dwelling type."),
    };

    // The table has one row for social-rent houses (5.0–5.8) whatever their type, and one for cheap rented flats (2.8–4.0).
    private static double SocialRate(DwellingType type) => type switch
    {
        DwellingType.Detached or DwellingType.SemiDetached or DwellingType.Terraced => 5.4,
        DwellingType.Flat => 3.4,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown dwelling type."),
    };

    private static void Positive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be > 0.");
        }
    }

    private static void Share(double value, string name)
    {
        if (!(value > 0 && value <= 1))
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be in (0, 1].");
        }
    }
}
