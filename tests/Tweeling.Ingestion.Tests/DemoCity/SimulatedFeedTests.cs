using NetTopologySuite.Geometries;
using Tweeling.Domain.Features;
using Tweeling.Ingestion.DemoCity.Feeds;

namespace Tweeling.Ingestion.Tests.DemoCity;

/// <summary>The demo city's simulated sensors: where they stand and what they read.</summary>
[Collection(DemoCityCollection.Name)]
public sealed class SimulatedFeedTests(DemoCityFixture fixture)
{
    // A winter week: Monday 2024-01-15 .. Sunday 2024-01-21 (UTC+1 in the Netherlands).
    private static readonly DateTimeOffset s_monday = new(2024, 1, 15, 0, 0, 0, TimeSpan.FromHours(1));
    private static readonly SignalModel s_model = new(seed: 1);

    private IReadOnlyList<SimulatedSensor> Sensors => SensorPlacement.Place(fixture.City, seed: 1);

    [Fact]
    public void Sixty_sensors_of_every_kind_with_unique_keys()
    {
        Assert.Equal(60, Sensors.Count);
        Assert.Equal(Sensors.Count, Sensors.Select(s => s.Key).Distinct().Count());
        foreach (var (kind, count) in SensorPlacement.Counts)
        {
            Assert.Equal(count, Sensors.Count(s => s.Kind == kind));
        }
    }

    [Fact]
    public void Counters_stand_on_main_roads_spread_over_the_city_and_crowd_counters_in_the_centre()
    {
        var mainRoads = fixture.City.Features.Where(f => f.Collection == TwinCollections.Wegvakken && f.Properties["wegklasse"] is "stroomweg" or "gebiedsontsluitingsweg").Select(f => f.Geometry).ToList();
        var counters = Sensors.Where(s => s.Kind == SensorKind.TrafficCount).ToList();
        Assert.All(counters, c => Assert.True(mainRoads.Min(r => r.Distance(c.Location)) < 0.01, $"{c.Key} is not on a main road"));
        Assert.All(counters, c => Assert.True(counters.Where(o => o != c).Min(o => o.Location.Distance(c.Location)) >= SensorPlacement.CounterSpacing));

        var centre = fixture.City.Features.Single(f => f.Collection == TwinCollections.Wijken && ((string)f.Properties["naam"]!).Contains("Binnenstad", StringComparison.Ordinal));
        Assert.All(Sensors.Where(s => s.Kind is SensorKind.CrowdCount or SensorKind.ParkingOccupancy), s => Assert.True(centre.Geometry.Covers(s.Location), $"{s.Key} is outside the centre"));
    }

    [Fact]
    public void Quay_wall_and_pump_sensors_stand_on_their_assets()
    {
        Geometry[] Assets(string type) => [.. fixture.City.Features.Where(f => f.Collection == TwinCollections.Beheerobjecten && Equals(f.Properties["type"], type)).Select(f => f.Geometry)];
        var quays = Assets("kademuur");
        var pumps = Assets("gemaal");

        Assert.All(Sensors.Where(s => s.Kind == SensorKind.QuayWallTilt), s => Assert.True(quays.Min(q => q.Distance(s.Location)) < 0.01));
        Assert.All(Sensors.Where(s => s.Kind == SensorKind.PumpStatus), s => Assert.True(pumps.Min(p => p.Distance(s.Location)) < 0.01));
    }

    [Fact]
    public void Placement_and_readings_are_deterministic_for_a_seed_and_differ_for_another()
    {
        var again = SensorPlacement.Place(fixture.City, seed: 1);
        var other = SensorPlacement.Place(fixture.City, seed: 2);
        var noon = s_monday.AddHours(12);

        Assert.Equal(Sensors.Select(s => (s.Key, s.Location.X, s.Location.Y)), again.Select(s => (s.Key, s.Location.X, s.Location.Y)));
        Assert.NotEqual(Sensors.Select(s => (s.Location.X, s.Location.Y)), other.Select(s => (s.Location.X, s.Location.Y)));
        Assert.Equal(Sensors.Select(s => s_model.Reading(s, noon)), Sensors.Select(s => new SignalModel(1).Reading(s, noon)));
        Assert.NotEqual(Sensors.Select(s => s_model.Reading(s, noon)), Sensors.Select(s => new SignalModel(2).Reading(s, noon)));
    }

    [Fact]
    public void Traffic_peaks_in_the_weekday_rush_hours_and_is_lower_at_night_and_at_weekends()
    {
        var counter = Sensors.First(s => s.Kind == SensorKind.TrafficCount);
        double Mean(DateTimeOffset start, int hours) =>
            Enumerable.Range(0, hours * 4).Average(q => s_model.Reading(counter, start.AddMinutes(15 * q)));

        var morningRush = Mean(s_monday.AddHours(7.5), 1);
        var night = Mean(s_monday.AddHours(2), 2);
        var weekdayTotal = Mean(s_monday.AddDays(1), 24);
        var sundayTotal = Mean(s_monday.AddDays(6), 24);

        Assert.True(morningRush > 5 * night, $"rush {morningRush:F0} vs night {night:F0}");
        Assert.True(weekdayTotal > sundayTotal, $"Tuesday {weekdayTotal:F0} vs Sunday {sundayTotal:F0}");
    }

    [Fact]
    public void Crowds_peak_on_saturday_afternoon()
    {
        var counter = Sensors.First(s => s.Kind == SensorKind.CrowdCount);
        var saturday = s_model.Reading(counter, s_monday.AddDays(5).AddHours(14.5));
        var tuesdayNight = s_model.Reading(counter, s_monday.AddDays(1).AddHours(23));
        var tuesday = s_model.Reading(counter, s_monday.AddDays(1).AddHours(14.5));

        Assert.True(saturday > 1.5 * tuesday, $"Saturday {saturday} vs Tuesday {tuesday}");
        Assert.True(tuesday > 10 * Math.Max(1, tuesdayNight));
    }

    [Fact]
    public void Roadside_no2_follows_the_traffic_and_exceeds_the_background()
    {
        var no2 = Sensors.Where(s => s.Kind == SensorKind.No2).ToList();
        var roadside = no2.First(s => s.Name.Contains("wegkant", StringComparison.Ordinal));
        var background = no2.First(s => !s.Name.Contains("wegkant", StringComparison.Ordinal));
        var counter = Sensors.First(s => s.Kind == SensorKind.TrafficCount);
        var times = Enumerable.Range(0, 7 * 24).Select(h => s_monday.AddHours(h)).ToList();

        Assert.True(times.Average(t => s_model.Reading(roadside, t)) > times.Average(t => s_model.Reading(background, t)));
        Assert.True(Correlation(times.Select(t => s_model.Reading(counter, t)), times.Select(t => s_model.Reading(roadside, t))) > 0.5);
    }

    [Fact]
    public void Every_reading_lies_in_the_range_of_its_kind_over_a_month()
    {
        var ranges = new Dictionary<SensorKind, (double Min, double Max)>
        {
            [SensorKind.No2] = (1, 150),
            [SensorKind.Pm10] = (1, 100),
            [SensorKind.Pm25] = (1, 70),
            [SensorKind.TrafficCount] = (0, 2000),
            [SensorKind.CrowdCount] = (0, 3000),
            [SensorKind.ParkingOccupancy] = (0, 100),
            [SensorKind.QuayWallTilt] = (0, 10),
            [SensorKind.PumpStatus] = (0, 2),
        };
        foreach (var sensor in Sensors)
        {
            var readings = Enumerable.Range(0, 30 * 24).Select(h => s_model.Reading(sensor, s_monday.AddHours(h))).ToList();
            var (min, max) = ranges[sensor.Kind];
            Assert.All(readings, r => Assert.InRange(r, min, max));
            Assert.True(readings.Distinct().Count() > 1, $"{sensor.Key} never changes");
        }

        Assert.Contains(Sensors.Where(s => s.Kind == SensorKind.PumpStatus), p =>
            Enumerable.Range(0, 24 * 12).Any(i => s_model.Reading(p, s_monday.AddMinutes(5 * i)) == 1));
    }

    [Fact]
    public void Local_time_follows_the_dutch_summer_time_rule()
    {
        // The morning peak is at 08:00 local: 07:00 UTC in winter (UTC+1), 06:00 UTC in summer (UTC+2).
        var counter = Sensors.First(s => s.Kind == SensorKind.TrafficCount);
        double WeekdayMean(int month, int utcHour) => Enumerable.Range(0, 4)
            .SelectMany(week => Enumerable.Range(0, 5).Select(day => new DateTimeOffset(2024, month, 1, utcHour, 0, 0, TimeSpan.Zero).AddDays((7 * week) + day)))
            .Where(t => t.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            .Average(t => s_model.Reading(counter, t));

        Assert.True(WeekdayMean(7, 6) > WeekdayMean(7, 7), "in July 06:00 UTC is 08:00 local, the peak");
        Assert.True(WeekdayMean(1, 7) > WeekdayMean(1, 6), "in January 07:00 UTC is 08:00 local, the peak");
    }

    private static double Correlation(IEnumerable<double> a, IEnumerable<double> b)
    {
        var x = a.ToArray();
        var y = b.ToArray();
        var (mx, my) = (x.Average(), y.Average());
        var cov = x.Zip(y).Sum(p => (p.First - mx) * (p.Second - my));
        return cov / Math.Sqrt(x.Sum(v => (v - mx) * (v - mx)) * y.Sum(v => (v - my) * (v - my)));
    }
}
