namespace Tweeling.Ingestion.DemoCity.Feeds;

/// <summary>
/// The readings of the simulated sensors: a deterministic function of seed, sensor and time, so live
/// readings and a backfilled history are the same numbers, and any instant can be computed on its own.
/// </summary>
/// <remarks>
/// Each reading is a daily and weekly profile (local time, Europe/Amsterdam), scaled by the sensor's
/// level, modulated by a smooth "weather" signal (a sum of sinusoids with periods of days to weeks and
/// seeded phases; positive means calm, stagnant air and rain), plus noise drawn from a hash of
/// (seed, sensor, time). The shapes follow common knowledge of Dutch cities — traffic peaks around
/// 08:00 and 17:00 on weekdays, shops busiest on Saturday afternoon and the Thursday shopping evening,
/// NO2 following traffic on top of a regional background of about 18 µg/m³ — and are plausible, not
/// calibrated: the demo city is synthetic. Rare events, drawn from the seed so they too are the same
/// every run, give the demo's thresholds something to catch: an evening event in the centre on about
/// one Friday or Saturday in three (<see cref="IsEventEvening"/>), a pump failure on about one day in
/// sixty per pump, and one quay wall that creeps faster than the others.
/// </remarks>
public sealed class SignalModel(int seed)
{
    private static readonly double[] s_weatherPeriodsDays = [2.7, 5.3, 11.0, 29.0];

    /// <summary>The reading of <paramref name="sensor"/> at <paramref name="time"/>, in the sensor's unit.</summary>
    public double Reading(SimulatedSensor sensor, DateTimeOffset time)
    {
        var local = AmsterdamTime.ToLocal(time);
        var hour = local.TimeOfDay.TotalHours;
        var day = local.DayOfWeek;
        var weather = Weather(time);
        var noise = Noise(sensor.Key, time);
        return sensor.Kind switch
        {
            SensorKind.TrafficCount => Count(300 * sensor.Level * TrafficProfile(hour, day) * (1 - (0.1 * weather)), noise),
            SensorKind.CrowdCount => Count(800 * sensor.Level * (CrowdProfile(hour, day) + EventCrowd(local)) * (1 - (0.25 * Math.Max(0, weather))), noise),
            SensorKind.ParkingOccupancy => Math.Round(Math.Clamp((15 + (80 * CrowdProfile(hour, day))) * Math.Min(1.15, sensor.Level) + (3 * noise), 0, 100), 1),
            SensorKind.No2 => Positive(18 + (30 * sensor.Level * TrafficProfile(hour, day)) + (9 * weather) + (3 * noise)),
            SensorKind.Pm10 => Positive(18 + (6 * sensor.Level * TrafficProfile(hour, day)) + (9 * weather) + (2.5 * noise)),
            SensorKind.Pm25 => Positive(10 + (3 * sensor.Level * TrafficProfile(hour, day)) + (7 * weather) + (1.5 * noise)),
            SensorKind.QuayWallTilt => Math.Round(QuayWallTilt(sensor, time, hour, noise), 3),
            _ => PumpStatus(sensor, time, weather),
        };
    }

    /// <summary>
    /// Traffic relative to a weekday peak of 1: peaks at 08:00 and 17:00, a midday plateau, quiet nights;
    /// weekends have one broad afternoon hump at 60% of a weekday peak.
    /// </summary>
    public static double TrafficProfile(double hour, DayOfWeek day) => day is DayOfWeek.Saturday or DayOfWeek.Sunday
        ? 0.04 + (0.56 * Bump(hour, 14, 3.0))
        : 0.04 + (0.55 * Plateau(hour, 7, 19)) + (0.45 * Bump(hour, 8, 1.0)) + (0.45 * Bump(hour, 17, 1.3));

    /// <summary>People in the centre relative to a Saturday peak of 1: shop hours, the Thursday evening, quiet Sundays.</summary>
    public static double CrowdProfile(double hour, DayOfWeek day)
    {
        var closing = day == DayOfWeek.Thursday ? 21 : 18;
        var shops = Plateau(hour, 10, closing);
        var factor = day switch
        {
            DayOfWeek.Saturday => 1.0,
            DayOfWeek.Sunday => 0.35,
            _ => 0.5,
        };
        return 0.02 + (factor * shops * (0.7 + (0.3 * Bump(hour, 14.5, 2.5))));
    }

    /// <summary>
    /// Whether the centre hosts an evening event (a concert, a festival, a late market) on the local
    /// <paramref name="date"/>: only Fridays and Saturdays, about one in three, drawn from the seed per date.
    /// </summary>
    public bool IsEventEvening(DateOnly date) =>
        date.DayOfWeek is DayOfWeek.Friday or DayOfWeek.Saturday && Uniform(Hash(seed, "evenement", date.DayNumber)) < 1.0 / 3;

    /// <summary>The smooth weather signal at <paramref name="time"/>, roughly within −1..1 (positive: calm and wet).</summary>
    public double Weather(DateTimeOffset time)
    {
        var days = time.ToUnixTimeSeconds() / 86_400.0;
        var sum = 0.0;
        for (var k = 0; k < s_weatherPeriodsDays.Length; k++)
        {
            var phase = 2 * Math.PI * Uniform(Hash(seed, "weather", k));
            sum += Math.Sin((2 * Math.PI * days / s_weatherPeriodsDays[k]) + phase) / s_weatherPeriodsDays.Length;
        }

        return sum * 1.6;
    }

    /// <summary>
    /// The extra crowd of an evening event relative to a Saturday peak of 1: 1.6 from 19:00 to 22:30 local
    /// time, easing in and out, so an event evening is about one and a half times the busiest shopping hour.
    /// </summary>
    private double EventCrowd(DateTime local) =>
        IsEventEvening(DateOnly.FromDateTime(local)) ? 1.6 * Plateau(local.TimeOfDay.TotalHours, 19, 22.5) : 0;

    private double QuayWallTilt(SimulatedSensor sensor, DateTimeOffset time, double hour, double noise)
    {
        // A settled offset per wall, a slow creep (faster for a weak wall, Level > 1), and a small daily
        // thermal swing: the pattern inclinometers on old quay walls show.
        var offset = 0.2 + (1.2 * Uniform(Hash(seed, sensor.Key, -1)));
        var months = (time - new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)).TotalDays / 30.0;
        var creep = 0.01 * months * Math.Max(0.2, sensor.Level);
        var thermal = 0.02 * Math.Sin(2 * Math.PI * (hour - 9) / 24);
        return offset + creep + thermal + (0.004 * noise);
    }

    private double PumpStatus(SimulatedSensor sensor, DateTimeOffset time, double weather)
    {
        // A failure lasts a few hours on about one day in sixty, drawn per pump and day.
        var dayNumber = time.ToUnixTimeSeconds() / 86_400;
        if (Uniform(Hash(seed, sensor.Key, dayNumber)) < 1.0 / 60 && (time.UtcDateTime.Hour is >= 10 and < 14))
        {
            return 2;
        }

        // Running: in wet weather, and otherwise 20 minutes every 4 hours to keep the polder level.
        var minuteOfCycle = time.ToUnixTimeSeconds() / 60 % 240;
        return weather > 0.6 || minuteOfCycle < 20 ? 1 : 0;
    }

    private static double Count(double mean, double noise) => Math.Max(0, Math.Round(mean + (Math.Sqrt(Math.Max(mean, 1)) * noise)));

    private static double Positive(double value) => Math.Round(Math.Max(1, value), 1);

    /// <summary>A smooth bump of height 1 centred on <paramref name="centre"/> hours with spread <paramref name="width"/>.</summary>
    private static double Bump(double hour, double centre, double width) => Math.Exp(-0.5 * Math.Pow((hour - centre) / width, 2));

    /// <summary>About 1 between <paramref name="from"/> and <paramref name="to"/> hours, easing in and out over an hour.</summary>
    private static double Plateau(double hour, double from, double to) =>
        1 / (1 + Math.Exp(-(hour - from) * 3)) * (1 / (1 + Math.Exp((hour - to) * 3)));

    /// <summary>Standard-normal noise from a hash of seed, sensor and time (Box–Muller on two hashed uniforms).</summary>
    private double Noise(string key, DateTimeOffset time)
    {
        var ticks = time.ToUnixTimeSeconds();
        var u1 = Math.Max(Uniform(Hash(seed, key, ticks)), 1e-12);
        var u2 = Uniform(Hash(seed, key, ~ticks));
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static double Uniform(ulong hash) => (hash >> 11) * (1.0 / (1UL << 53));

    /// <summary>A 64-bit FNV-1a hash of the parts, finished with a SplitMix64 step for good low bits.</summary>
    private static ulong Hash(int seed, string key, long number)
    {
        var hash = 14695981039346656037UL;
        void Mix(ulong value)
        {
            hash ^= value;
            hash *= 1099511628211UL;
        }

        Mix((ulong)seed);
        foreach (var c in key)
        {
            Mix(c);
        }

        Mix((ulong)number);
        hash += 0x9E3779B97F4A7C15UL;
        hash = (hash ^ (hash >> 30)) * 0xBF58476D1CE4E5B9UL;
        hash = (hash ^ (hash >> 27)) * 0x94D049BB133111EBUL;
        return hash ^ (hash >> 31);
    }
}

/// <summary>
/// Local time in the Netherlands: UTC+1, and UTC+2 from the last Sunday of March to the last Sunday of
/// October (01:00 UTC both), the EU rule since 1996. Computed here so the simulation needs no time-zone
/// database on the machine.
/// </summary>
internal static class AmsterdamTime
{
    public static DateTime ToLocal(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var summerStart = LastSunday(utc.Year, 3).AddHours(1);
        var summerEnd = LastSunday(utc.Year, 10).AddHours(1);
        return utc.AddHours(utc >= summerStart && utc < summerEnd ? 2 : 1);
    }

    private static DateTime LastSunday(int year, int month)
    {
        var last = new DateTime(year, month, DateTime.DaysInMonth(year, month), 0, 0, 0, DateTimeKind.Utc);
        return last.AddDays(-(int)last.DayOfWeek);
    }
}
