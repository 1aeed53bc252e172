using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Tweeling.Ingestion.DemoCity.Feeds;
using Tweeling.Storage.Sqlite;
using Tweeling.TestSupport;

namespace Tweeling.Ingestion.Tests.DemoCity;

/// <summary>The simulated sensors written as SensorThings entities into a real store, with their history.</summary>
[Collection(DemoCityCollection.Name)]
public sealed class DemoSensorWriterTests(DemoCityFixture fixture) : IDisposable
{
    private static readonly DateTimeOffset s_now = new(2024, 3, 4, 10, 7, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Every_sensor_becomes_a_thing_with_a_location_and_a_datastream_whose_history_follows_the_model()
    {
        await using var store = await SqliteTwinStore.OpenAsync(_directory.File("sensors.db"), DemoCityFixture.Services, Ct);
        var sensors = SensorPlacement.Place(fixture.City, seed: 1);
        var model = new SignalModel(1);
        var from = s_now.AddDays(-2);

        var streams = await DemoSensorWriter.CreateAsync(sensors, 1, store.Sensors, new CrsTransformer(DemoCityFixture.Services), from, Ct);
        var appended = await DemoSensorWriter.BackfillAsync(streams, model, from, s_now, store.Sensors, null, Ct);

        Assert.Equal(60, streams.Count);
        Assert.Equal(60, (await store.Sensors.ListAsync<Thing>(0, 1000, Ct)).Count);
        Assert.Equal(60, (await store.Sensors.ListAsync<Location>(0, 1000, Ct)).Count);
        Assert.Equal(8, (await store.Sensors.ListAsync<Sensor>(0, 1000, Ct)).Count);
        Assert.Equal(8, (await store.Sensors.ListAsync<ObservedProperty>(0, 1000, Ct)).Count);
        var expected = streams.Sum(s => (long)Math.Ceiling((s_now - DemoSensorWriter.FirstTick(from, s.Sensor.Interval)) / s.Sensor.Interval));
        Assert.Equal(expected, appended);

        var latest = (await store.Sensors.LatestAsync([.. streams.Select(s => s.DatastreamId)], Ct)).ToDictionary(o => o.DatastreamId);
        foreach (var (sensor, datastreamId) in streams)
        {
            var last = latest[datastreamId];
            Assert.True(last.PhenomenonTime.Start < s_now && last.PhenomenonTime.Start >= s_now - sensor.Interval);
            Assert.Equal(model.Reading(sensor, last.PhenomenonTime.Start), last.Result);
        }

        var location = (await store.Sensors.ListAsync<Location>(0, 1, Ct))[0];
        Assert.Equal(Crs.Crs84Srid, location.Geometry.SRID);
        Assert.InRange(location.Geometry.Coordinate.X, 4.5, 4.8);
    }

    [Fact]
    public async Task The_live_feed_continues_the_grid_after_the_latest_reading_once_and_leaves_other_things_alone()
    {
        await using var store = await SqliteTwinStore.OpenAsync(_directory.File("live.db"), DemoCityFixture.Services, Ct);
        var sensors = SensorPlacement.Place(fixture.City, seed: 1);
        var streams = await DemoSensorWriter.CreateAsync(sensors, 1, store.Sensors, new CrsTransformer(DemoCityFixture.Services), s_now.AddDays(-1), Ct);
        await DemoSensorWriter.BackfillAsync(streams, new SignalModel(1), s_now.AddDays(-1), s_now, store.Sensors, null, Ct);
        var other = await store.Sensors.CreateThingAsync(new ThingInsert(
            new Thing(0, "Partnerstation", "not a demo sensor"),
            [Link<Location>.Create(new Location(0, "hier", "hier", "application/geo+json", sensors[0].Location))],
            [new DatastreamInsert(new Datastream(0, "temperatuur", "partner", new UnitOfMeasurement("graad Celsius", "°C", "urn:ucum:Cel"), "OM_Measurement", 0, 0, 0),
                Link<Sensor>.Create(new Sensor(0, "thermometer", "partner", "text/plain", "partner")),
                Link<ObservedProperty>.Create(new ObservedProperty(0, "temperatuur", "urn:temperatuur", "partner")))],
            s_now), Ct);

        var later = s_now.AddHours(1);
        var appended = await DemoFeed.CatchUpAsync(store.Sensors, store.Sensors, later, Ct);
        var again = await DemoFeed.CatchUpAsync(store.Sensors, store.Sensors, later, Ct);

        Assert.Equal(streams.Sum(s => (long)Math.Ceiling((later - DemoSensorWriter.FirstTick(s_now, s.Sensor.Interval)) / s.Sensor.Interval)), appended);
        Assert.Equal(0, again);
        var latest = (await store.Sensors.LatestAsync([.. streams.Select(s => s.DatastreamId)], Ct)).ToDictionary(o => o.DatastreamId);
        Assert.All(streams, s =>
        {
            var last = latest[s.DatastreamId];
            Assert.True(last.PhenomenonTime.Start < later && last.PhenomenonTime.Start >= later - s.Sensor.Interval);
            Assert.Equal(new SignalModel(1).Reading(s.Sensor, last.PhenomenonTime.Start), last.Result);
        });
        Assert.Empty(await store.Sensors.LatestAsync([other.DatastreamIds[0]], Ct));
    }

    [Fact]
    public void Readings_sit_on_a_grid_of_whole_intervals_so_a_live_feed_continues_it()
    {
        var quarter = TimeSpan.FromMinutes(15);

        Assert.Equal(new DateTimeOffset(2024, 3, 4, 10, 15, 0, TimeSpan.Zero), DemoSensorWriter.FirstTick(s_now, quarter));
        Assert.Equal(new DateTimeOffset(2024, 3, 4, 10, 0, 0, TimeSpan.Zero), DemoSensorWriter.FirstTick(new DateTimeOffset(2024, 3, 4, 10, 0, 0, TimeSpan.Zero), quarter));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
}
