using Tweeling.Domain.Alerts;
using Tweeling.Ingestion.DemoCity.Feeds;

namespace Tweeling.Ingestion.Tests.DemoCity;

/// <summary>
/// The demo city's thresholds against its own signal model: quiet on normal days, crossed by the rare
/// seeded events they are there to catch (an evening event in the centre, a pump failure).
/// </summary>
[Collection(DemoCityCollection.Name)]
public sealed class DemoThresholdsTests(DemoCityFixture fixture)
{
    // Monday 2024-01-15, in winter (UTC+1 in the Netherlands).
    private static readonly DateTimeOffset s_start = new(2024, 1, 15, 0, 0, 0, TimeSpan.FromHours(1));
    private static readonly SignalModel s_model = new(seed: 1);

    private IReadOnlyList<DemoDatastream> Streams => [.. SensorPlacement.Place(fixture.City, seed: 1).Select((s, i) => new DemoDatastream(s, i + 1))];

    [Fact]
    public void Crowd_counters_quay_walls_pumps_and_no2_monitors_each_get_one_threshold()
    {
        var thresholds = DemoThresholds.For(Streams);
        var watched = Streams.Where(s => s.Sensor.Kind is SensorKind.CrowdCount or SensorKind.QuayWallTilt or SensorKind.PumpStatus or SensorKind.No2).ToList();

        Assert.Equal(watched.Select(s => s.DatastreamId), thresholds.Select(t => t.DatastreamId));
        Assert.All(thresholds.Where(t => t.Condition == ThresholdCondition.Above), t => Assert.True(t.ClearValue <= t.Value));
        Assert.All(
            thresholds.Zip(watched).Where(p => p.Second.Sensor.Kind == SensorKind.PumpStatus),
            p => Assert.Equal((ThresholdCondition.Equal, 2.0, AlertSeverity.Critical), (p.First.Condition, p.First.Value, p.First.Severity)));
    }

    [Fact]
    public void Event_evenings_fall_on_about_one_friday_or_saturday_in_three_and_only_then()
    {
        var days = Enumerable.Range(0, 364).Select(d => DateOnly.FromDateTime(s_start.Date).AddDays(d)).ToList();
        var events = days.Where(s_model.IsEventEvening).ToList();
        var candidates = days.Count(d => d.DayOfWeek is DayOfWeek.Friday or DayOfWeek.Saturday);

        Assert.All(events, d => Assert.True(d.DayOfWeek is DayOfWeek.Friday or DayOfWeek.Saturday, $"{d} is a {d.DayOfWeek}"));
        Assert.InRange(events.Count, candidates / 5, candidates / 2);
    }

    [Fact]
    public void Crowd_thresholds_are_crossed_on_event_evenings_and_not_on_other_days()
    {
        var crowds = Streams.Where(s => s.Sensor.Kind == SensorKind.CrowdCount).ToList();
        var thresholds = DemoThresholds.For(crowds);
        // Ten winter weeks, so local time is UTC+1 throughout (summer time starts on 31 March 2024).
        var quarters = Enumerable.Range(0, 70 * 96).Select(q => s_start.AddMinutes(15 * q)).ToList();
        var eventQuarters = 0;

        foreach (var (stream, threshold) in crowds.Zip(thresholds))
        {
            foreach (var t in quarters)
            {
                var crossed = threshold.IsCrossedBy(s_model.Reading(stream.Sensor, t));
                var local = t.ToOffset(TimeSpan.FromHours(1));
                var eventTime = s_model.IsEventEvening(DateOnly.FromDateTime(local.DateTime)) && local.Hour is >= 19 and < 23;
                Assert.False(crossed && !eventTime, $"{stream.Sensor.Key} crosses {threshold.Value} at {t:u} without an event");
                eventQuarters += crossed ? 1 : 0;
            }
        }

        Assert.True(eventQuarters > 0, "no event evening crossed a crowd threshold in ten weeks");
    }

    [Fact]
    public void Every_pump_threshold_catches_a_failure_within_a_year()
    {
        var pumps = Streams.Where(s => s.Sensor.Kind == SensorKind.PumpStatus).ToList();
        var threshold = DemoThresholds.For(pumps)[0];
        var hours = Enumerable.Range(0, 365 * 24).Select(h => s_start.AddHours(h)).ToList();

        Assert.All(pumps, p => Assert.Contains(hours, t => threshold.IsCrossedBy(s_model.Reading(p.Sensor, t))));
    }
}
