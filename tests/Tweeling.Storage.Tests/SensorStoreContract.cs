using System.Text.Json;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Location = Tweeling.Domain.Sensors.Location;

namespace Tweeling.Storage.Tests;

/// <summary>The sensor and time-series ports of the backend under test, and what closes them.</summary>
public sealed record SensorStoreUnderTest(ISensorStore Entities, IObservationStore Observations, IAsyncDisposable Lifetime) : IStoreUnderTest;

/// <summary>
/// The SensorThings storage contract: entities with the standard's links and cascades, and the
/// observation time series with its latest values and rollups. A backend derives from this and says how
/// to open a fresh, empty store.
/// </summary>
public abstract partial class SensorStoreContract : BackendContract<SensorStoreUnderTest>
{
    protected static readonly NtsGeometryServices GeometryServices = new(PrecisionModel.Floating.Value, Crs.Crs84Srid);
    private static readonly GeometryFactory s_crs84 = GeometryServices.CreateGeometryFactory(Crs.Crs84Srid);
    private static readonly DateTimeOffset s_t0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly UnitOfMeasurement s_microgram = new("microgram per cubic metre", "µg/m³", "http://qudt.org/vocab/unit/MicroGM-PER-M3");

    private ISensorStore Entities => Store.Entities;

    private IObservationStore Series => Store.Observations;

    [Fact]
    public async Task A_deep_insert_stores_the_thing_its_locations_and_datastreams_with_new_and_existing_links()
    {
        var sensor = await Entities.CreateAsync(NewSensor("existing sensor"), Ct);
        var inserted = await Entities.CreateThingAsync(
            new ThingInsert(
                new Thing(0, "Station Kade", "air quality", Json("""{"owner":"gemeente"}""")),
                [Link<Location>.Create(NewLocation("Kade 1", 5.12, 52.09))],
                [
                    new DatastreamInsert(NewDatastream("NO2"), Link<Sensor>.To(sensor.Id), Link<ObservedProperty>.Create(NewProperty("NO2"))),
                    new DatastreamInsert(NewDatastream("PM10"), Link<Sensor>.Create(NewSensor("new sensor")), Link<ObservedProperty>.Create(NewProperty("PM10"))),
                ],
                s_t0),
            Ct);

        var thing = await Entities.FindAsync<Thing>(inserted.ThingId, Ct);
        Assert.Equal("Station Kade", thing!.Name);
        Assert.Equal("""{"owner":"gemeente"}""", thing.Properties!.Value.GetRawText());
        Assert.Equal(inserted.LocationIds, await Entities.ThingLocationsAsync(inserted.ThingId, Ct));
        var location = await Entities.FindAsync<Location>(inserted.LocationIds[0], Ct);
        Assert.Equal(new Coordinate(5.12, 52.09), location!.Geometry.Coordinate);
        Assert.Equal(Crs.Crs84Srid, location.Geometry.SRID);

        var no2 = await Entities.FindAsync<Datastream>(inserted.DatastreamIds[0], Ct);
        var pm10 = await Entities.FindAsync<Datastream>(inserted.DatastreamIds[1], Ct);
        Assert.Equal((inserted.ThingId, sensor.Id), (no2!.ThingId, no2.SensorId));
        Assert.Equal(s_microgram, no2.UnitOfMeasurement);
        Assert.Equal(inserted.ThingId, pm10!.ThingId);
        Assert.Equal("new sensor", (await Entities.FindAsync<Sensor>(pm10.SensorId, Ct))!.Name);
        Assert.Equal("PM10", (await Entities.FindAsync<ObservedProperty>(pm10.ObservedPropertyId, Ct))!.Name);

        var historical = await Entities.FindAsync<HistoricalLocation>(inserted.HistoricalLocationId!.Value, Ct);
        Assert.Equal((inserted.ThingId, s_t0), (historical!.ThingId, historical.Time));
        Assert.Equal(inserted.LocationIds, historical.LocationIds);
    }

    [Fact]
    public async Task A_deep_insert_with_a_failing_part_stores_nothing()
    {
        var insert = new ThingInsert(
            new Thing(0, "Station", "air quality"),
            [Link<Location>.Create(NewLocation("Kade 1", 5.12, 52.09))],
            [
                new DatastreamInsert(NewDatastream("NO2"), Link<Sensor>.Create(NewSensor("s")), Link<ObservedProperty>.Create(NewProperty("NO2"))),
                new DatastreamInsert(NewDatastream("PM10"), Link<Sensor>.Create(NewSensor("s2")), Link<ObservedProperty>.To(999)),
            ],
            s_t0);

        var error = await Assert.ThrowsAsync<SensorLinkException>(() => Entities.CreateThingAsync(insert, Ct));

        Assert.Equal(("ObservedProperty", 999L), (error.EntityType, error.Id));
        Assert.Empty(await Entities.ListAsync<Thing>(0, 10, Ct));
        Assert.Empty(await Entities.ListAsync<Location>(0, 10, Ct));
        Assert.Empty(await Entities.ListAsync<HistoricalLocation>(0, 10, Ct));
        Assert.Empty(await Entities.ListAsync<Datastream>(0, 10, Ct));
        Assert.Empty(await Entities.ListAsync<Sensor>(0, 10, Ct));
        Assert.Empty(await Entities.ListAsync<ObservedProperty>(0, 10, Ct));
    }

    [Fact]
    public async Task A_datastream_must_link_to_an_existing_thing_sensor_and_observed_property()
    {
        var thing = await Entities.CreateAsync(new Thing(0, "t", "d"), Ct);
        var sensor = await Entities.CreateAsync(NewSensor("s"), Ct);

        var error = await Assert.ThrowsAsync<SensorLinkException>(() => Entities.CreateAsync(NewDatastream("x") with { ThingId = thing.Id, SensorId = sensor.Id, ObservedPropertyId = 42 }, Ct));

        Assert.Equal("ObservedProperty", error.EntityType);
        Assert.Empty(await Entities.ListAsync<Datastream>(0, 10, Ct));
    }

    [Fact]
    public async Task Lists_page_by_id()
    {
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await Entities.CreateAsync(NewProperty($"p{i}"), Ct)).Id);
        }

        var first = await Entities.ListAsync<ObservedProperty>(0, 2, Ct);
        var second = await Entities.ListAsync<ObservedProperty>(first[^1].Id, 2, Ct);
        var third = await Entities.ListAsync<ObservedProperty>(second[^1].Id, 2, Ct);

        Assert.Equal(ids, [.. first.Concat(second).Concat(third).Select(p => p.Id)]);
        Assert.Single(third);
    }

    [Fact]
    public async Task An_update_merges_into_the_stored_entity_and_checks_changed_links()
    {
        var (thingId, datastreamId) = await ThingWithDatastreamAsync();
        var thing = await Entities.UpdateAsync<Thing>(thingId, t => t with { Description = "moved" }, Ct);

        Assert.Equal(("Station", "moved"), (thing!.Name, thing.Description));
        Assert.Equal("moved", (await Entities.FindAsync<Thing>(thingId, Ct))!.Description);
        Assert.Null(await Entities.UpdateAsync<Thing>(999, t => t, Ct));

        var before = await Entities.FindAsync<Datastream>(datastreamId, Ct);
        await Assert.ThrowsAsync<SensorLinkException>(() => Entities.UpdateAsync<Datastream>(datastreamId, d => d with { Name = "renamed", SensorId = 999 }, Ct));
        Assert.Equal(before!.Name, (await Entities.FindAsync<Datastream>(datastreamId, Ct))!.Name);
    }

    [Fact]
    public async Task Changing_a_things_locations_records_a_historical_location_only_when_they_change()
    {
        var thing = await Entities.CreateAsync(new Thing(0, "t", "d"), Ct);
        var a = await Entities.CreateAsync(NewLocation("a", 5, 52), Ct);
        var b = await Entities.CreateAsync(NewLocation("b", 5.1, 52.1), Ct);

        await Entities.SetThingLocationsAsync(thing.Id, [a.Id], s_t0, Ct);
        await Entities.SetThingLocationsAsync(thing.Id, [a.Id], s_t0.AddHours(1), Ct);
        await Entities.SetThingLocationsAsync(thing.Id, [b.Id], s_t0.AddHours(2), Ct);

        var history = await Entities.ListAsync<HistoricalLocation>(0, 10, Ct);
        Assert.Equal([(s_t0, a.Id), (s_t0.AddHours(2), b.Id)], history.Select(h => (h.Time, h.LocationIds.Single())));
        Assert.Equal([b.Id], await Entities.ThingLocationsAsync(thing.Id, Ct));
        await Assert.ThrowsAsync<SensorLinkException>(() => Entities.SetThingLocationsAsync(thing.Id, [999], s_t0, Ct));
    }

    [Fact]
    public async Task Deleting_a_thing_deletes_its_datastreams_observations_and_historical_locations_but_not_its_locations()
    {
        var location = await Entities.CreateAsync(NewLocation("a", 5, 52), Ct);
        var (thingId, datastreamId) = await ThingWithDatastreamAsync();
        await Entities.SetThingLocationsAsync(thingId, [location.Id], s_t0, Ct);
        var ids = await Series.AppendAsync([Numeric(datastreamId, s_t0, 1)], Ct);

        Assert.True(await Entities.DeleteAsync<Thing>(thingId, Ct));

        Assert.Null(await Entities.FindAsync<Thing>(thingId, Ct));
        Assert.Null(await Entities.FindAsync<Datastream>(datastreamId, Ct));
        Assert.Null(await Series.FindObservationAsync(ids[0], Ct));
        Assert.Empty(await Series.LatestAsync([datastreamId], Ct));
        Assert.Empty(await Series.RollupAsync(datastreamId, RollupGranularity.Hour, s_t0, s_t0.AddDays(1), Ct));
        Assert.Empty(await Entities.ListAsync<HistoricalLocation>(0, 10, Ct));
        Assert.NotNull(await Entities.FindAsync<Location>(location.Id, Ct));
        Assert.False(await Entities.DeleteAsync<Thing>(thingId, Ct));
    }

    [Fact]
    public async Task Deleting_a_sensor_deletes_its_datastreams_and_deleting_a_location_its_historical_locations()
    {
        var (thingId, datastreamId) = await ThingWithDatastreamAsync();
        var location = await Entities.CreateAsync(NewLocation("a", 5, 52), Ct);
        await Entities.SetThingLocationsAsync(thingId, [location.Id], s_t0, Ct);
        var sensorId = (await Entities.FindAsync<Datastream>(datastreamId, Ct))!.SensorId;

        Assert.True(await Entities.DeleteAsync<Sensor>(sensorId, Ct));
        Assert.True(await Entities.DeleteAsync<Location>(location.Id, Ct));

        Assert.Null(await Entities.FindAsync<Datastream>(datastreamId, Ct));
        Assert.NotNull(await Entities.FindAsync<Thing>(thingId, Ct));
        Assert.Empty(await Entities.ListAsync<HistoricalLocation>(0, 10, Ct));
        Assert.Empty(await Entities.ThingLocationsAsync(thingId, Ct));
    }

    [Fact]
    public async Task Deleting_a_feature_of_interest_deletes_its_observations_and_corrects_latest_and_rollups()
    {
        var (_, datastreamId) = await ThingWithDatastreamAsync();
        var here = await Entities.CreateAsync(NewFeature("here"), Ct);
        var there = await Entities.CreateAsync(NewFeature("there"), Ct);
        await Series.AppendAsync(
            [
                Numeric(datastreamId, s_t0.AddMinutes(10), 1) with { FeatureOfInterestId = here.Id },
                Numeric(datastreamId, s_t0.AddMinutes(20), 5) with { FeatureOfInterestId = there.Id },
                Numeric(datastreamId, s_t0.AddMinutes(30), 9) with { FeatureOfInterestId = there.Id },
            ],
            Ct);

        Assert.True(await Entities.DeleteAsync<FeatureOfInterest>(there.Id, Ct));

        Assert.Equal([1.0], (await Series.ObservationsAsync(datastreamId, null, null, 10, 0, TimeOrder.OldestFirst, Ct)).Select(o => o.Result!.Value));
        Assert.Equal(1.0, (await Series.LatestAsync([datastreamId], Ct)).Single().Result);
        foreach (var granularity in new[] { RollupGranularity.Hour, RollupGranularity.Day })
        {
            var bucket = (await Series.RollupAsync(datastreamId, granularity, s_t0, s_t0.AddDays(1), Ct)).Single();
            Assert.Equal((1L, 1.0, 1.0, 1.0), (bucket.Count, bucket.Min, bucket.Max, bucket.Mean));
        }
    }

    [Fact]
    public async Task The_latest_observation_is_the_one_with_the_greatest_phenomenon_time_whatever_the_arrival_order()
    {
        var (_, first) = await ThingWithDatastreamAsync();
        var (_, second) = await ThingWithDatastreamAsync();
        var (_, silent) = await ThingWithDatastreamAsync();
        await Series.AppendAsync([Numeric(first, s_t0.AddHours(5), 5), Numeric(first, s_t0.AddHours(7), 7), Numeric(second, s_t0, 0)], Ct);
        await Series.AppendAsync([Numeric(first, s_t0.AddHours(6), 6), Numeric(second, s_t0.AddHours(1), 1)], Ct);
        await Series.AppendAsync([Numeric(first, s_t0.AddHours(1), 1), Numeric(first, s_t0.AddHours(2), 2)], Ct);

        var latest = await Series.LatestAsync([second, first, silent], Ct);

        Assert.Equal([(first, s_t0.AddHours(7), 7.0), (second, s_t0.AddHours(1), 1.0)], latest.Select(o => (o.DatastreamId, o.PhenomenonTime.Start, o.Result!.Value)));
    }

    [Fact]
    public async Task An_observation_reads_back_as_appended_including_non_numeric_results()
    {
        var (_, datastreamId) = await ThingWithDatastreamAsync();
        var feature = await Entities.CreateAsync(NewFeature("f"), Ct);
        var appended = new NewObservation(
            datastreamId,
            new SensorTime(s_t0, s_t0.AddMinutes(15)),
            null,
            Json("""{"state":"open","level":3}"""),
            s_t0.AddMinutes(16),
            feature.Id,
            Json("""["ok"]"""),
            new SensorTime(s_t0, s_t0.AddDays(1)),
            Json("""{"battery":0.8}"""));

        var id = (await Series.AppendAsync([appended], Ct)).Single();
        var read = await Series.FindObservationAsync(id, Ct);

        Assert.Equal((datastreamId, feature.Id, appended.PhenomenonTime, s_t0.AddMinutes(16), appended.ValidTime), (read!.DatastreamId, read.FeatureOfInterestId!.Value, read.PhenomenonTime, read.ResultTime!.Value, read.ValidTime));
        Assert.Null(read.Result);
        Assert.Equal("""{"state":"open","level":3}""", read.ResultJson!.Value.GetRawText());
        Assert.Equal("""["ok"]""", read.ResultQuality!.Value.GetRawText());
        Assert.Equal("""{"battery":0.8}""", read.Parameters!.Value.GetRawText());
        Assert.Empty(await Series.RollupAsync(datastreamId, RollupGranularity.Hour, s_t0, s_t0.AddDays(1), Ct));
    }

    [Fact]
    public async Task Rollups_equal_what_the_raw_observations_give_per_utc_hour_and_day()
    {
        var (_, a) = await ThingWithDatastreamAsync();
        var (_, b) = await ThingWithDatastreamAsync();
        var random = new Random(20260301);
        var raw = new List<NewObservation>();
        for (var i = 0; i < 3000; i++)
        {
            var time = s_t0.AddMinutes(-90 + random.Next(3 * 24 * 60)).AddSeconds(random.Next(60));
            raw.Add(Numeric(random.Next(2) == 0 ? a : b, time, Math.Round((random.NextDouble() * 100) - 20, 3)));
        }

        foreach (var batch in raw.Chunk(700))
        {
            await Series.AppendAsync(batch, Ct);
        }

        foreach (var datastream in new[] { a, b })
        {
            foreach (var (granularity, size) in new[] { (RollupGranularity.Hour, TimeSpan.FromHours(1)), (RollupGranularity.Day, TimeSpan.FromDays(1)) })
            {
                var expected = raw.Where(o => o.DatastreamId == datastream)
                    .GroupBy(o => new DateTimeOffset(o.PhenomenonTime.Start.UtcTicks - (o.PhenomenonTime.Start.UtcTicks % size.Ticks), TimeSpan.Zero))
                    .OrderBy(g => g.Key)
                    .Select(g => (g.Key, (long)g.Count(), g.Min(o => o.Result!.Value), g.Max(o => o.Result!.Value), g.Average(o => o.Result!.Value)))
                    .ToList();
                var actual = await Series.RollupAsync(datastream, granularity, s_t0.AddDays(-1), s_t0.AddDays(4), Ct);

                Assert.Equal(expected.Count, actual.Count);
                foreach (var (e, r) in expected.Zip(actual))
                {
                    Assert.Equal((e.Key, e.Item2, e.Item3, e.Item4), (r.Start, r.Count, r.Min, r.Max));
                    Assert.Equal(e.Item5, r.Mean, 1e-9);
                }
            }
        }

        var window = await Series.RollupAsync(a, RollupGranularity.Hour, s_t0, s_t0.AddHours(3), Ct);
        Assert.All(window, bucket => Assert.InRange(bucket.Start, s_t0, s_t0.AddHours(2)));
    }

    [Fact]
    public async Task Rollups_of_many_datastreams_read_at_once_equal_each_datastreams_own()
    {
        var (_, a) = await ThingWithDatastreamAsync();
        var (_, b) = await ThingWithDatastreamAsync();
        var (_, c) = await ThingWithDatastreamAsync();
        var (_, silent) = await ThingWithDatastreamAsync();
        var random = new Random(20261201);
        await Series.AppendAsync(
            [.. Enumerable.Range(0, 2000).Select(i => Numeric(new[] { a, b, c }[random.Next(3)], s_t0.AddMinutes(random.Next(3 * 24 * 60)), random.Next(1000) / 10.0))],
            Ct);
        var (from, to) = (s_t0.AddHours(5), s_t0.AddDays(2));

        foreach (var granularity in new[] { RollupGranularity.Hour, RollupGranularity.Day })
        {
            var all = await Series.RollupsAsync([c, silent, a, b, a], granularity, from, to, Ct);

            Assert.Equal(new[] { a, b, c }, all.Keys.Order());
            foreach (var datastream in new[] { a, b, c })
            {
                var own = await Series.RollupAsync(datastream, granularity, from, to, Ct);
                Assert.NotEmpty(own);
                Assert.Equal(own, all[datastream]);
            }
        }
    }

    [Fact]
    public async Task Observations_read_by_time_range_in_either_order_with_paging()
    {
        var (_, datastreamId) = await ThingWithDatastreamAsync();
        var (_, other) = await ThingWithDatastreamAsync();
        await Series.AppendAsync([.. Enumerable.Range(0, 10).Reverse().Select(i => Numeric(datastreamId, s_t0.AddMinutes(i), i)), Numeric(other, s_t0.AddMinutes(3), 99)], Ct);

        async Task<double[]> ReadAsync(int limit, int offset, TimeOrder order) =>
            [.. (await Series.ObservationsAsync(datastreamId, s_t0.AddMinutes(2), s_t0.AddMinutes(8), limit, offset, order, Ct)).Select(o => o.Result!.Value)];

        Assert.Equal(new double[] { 2.0, 3, 4, 5, 6, 7 }, await ReadAsync(100, 0, TimeOrder.OldestFirst));
        Assert.Equal(new double[] { 7.0, 6, 5, 4, 3, 2 }, await ReadAsync(100, 0, TimeOrder.NewestFirst));
        Assert.Equal(new double[] { 4.0, 5 }, await ReadAsync(2, 2, TimeOrder.OldestFirst));
        Assert.Equal(new double[] { 5.0, 4 }, await ReadAsync(2, 2, TimeOrder.NewestFirst));
        Assert.Equal(10, (await Series.ObservationsAsync(datastreamId, null, null, 100, 0, TimeOrder.OldestFirst, Ct)).Count);
    }

    [Fact]
    public async Task Retention_prunes_raw_observations_but_keeps_rollups_and_latest()
    {
        var (_, datastreamId) = await ThingWithDatastreamAsync();
        await Series.AppendAsync([.. Enumerable.Range(0, 48).Select(h => Numeric(datastreamId, s_t0.AddHours(h), h))], Ct);
        var hoursBefore = await Series.RollupAsync(datastreamId, RollupGranularity.Hour, s_t0, s_t0.AddDays(2), Ct);
        var daysBefore = await Series.RollupAsync(datastreamId, RollupGranularity.Day, s_t0, s_t0.AddDays(2), Ct);

        Assert.Equal(24, await Series.PruneAsync(s_t0.AddDays(1), Ct));

        var left = await Series.ObservationsAsync(datastreamId, null, null, 100, 0, TimeOrder.OldestFirst, Ct);
        Assert.Equal(24, left.Count);
        Assert.True(left.All(o => o.PhenomenonTime.Start >= s_t0.AddDays(1)));
        Assert.Equal(hoursBefore, await Series.RollupAsync(datastreamId, RollupGranularity.Hour, s_t0, s_t0.AddDays(2), Ct));
        Assert.Equal(daysBefore, await Series.RollupAsync(datastreamId, RollupGranularity.Day, s_t0, s_t0.AddDays(2), Ct));
        Assert.Equal(47.0, (await Series.LatestAsync([datastreamId], Ct)).Single().Result);

        Assert.Equal(24, await Series.PruneAsync(s_t0.AddDays(3), Ct));
        Assert.Equal(47.0, (await Series.LatestAsync([datastreamId], Ct)).Single().Result);
        var next = await Series.AppendAsync([Numeric(datastreamId, s_t0, 0)], Ct);
        Assert.True(next[0] > 48, "observation ids are never reused after retention");
    }

    [Fact]
    public async Task A_batch_with_an_observation_for_an_unknown_datastream_stores_nothing()
    {
        var (_, datastreamId) = await ThingWithDatastreamAsync();

        var error = await Assert.ThrowsAsync<SensorLinkException>(() => Series.AppendAsync([Numeric(datastreamId, s_t0, 1), Numeric(777, s_t0, 2)], Ct));

        Assert.Equal(("Datastream", 777L), (error.EntityType, error.Id));
        Assert.Empty(await Series.ObservationsAsync(datastreamId, null, null, 10, 0, TimeOrder.OldestFirst, Ct));
        Assert.Empty(await Series.LatestAsync([datastreamId], Ct));
        Assert.Empty(await Series.RollupAsync(datastreamId, RollupGranularity.Day, s_t0.AddDays(-1), s_t0.AddDays(1), Ct));
        await Assert.ThrowsAsync<SensorLinkException>(() => Series.AppendAsync([Numeric(datastreamId, s_t0, 1) with { FeatureOfInterestId = 5 }], Ct));
        Assert.Empty(await Series.ObservationsAsync(datastreamId, null, null, 10, 0, TimeOrder.OldestFirst, Ct));
    }

    [Fact]
    public async Task Deleting_an_observation_corrects_latest_and_rollups()
    {
        var (_, datastreamId) = await ThingWithDatastreamAsync();
        var ids = await Series.AppendAsync([Numeric(datastreamId, s_t0.AddMinutes(1), 2), Numeric(datastreamId, s_t0.AddMinutes(2), 4), Numeric(datastreamId, s_t0.AddMinutes(3), 9)], Ct);

        Assert.True(await Series.DeleteObservationAsync(ids[2], Ct));

        Assert.False(await Series.DeleteObservationAsync(ids[2], Ct));
        Assert.Null(await Series.FindObservationAsync(ids[2], Ct));
        Assert.Equal(ids[1], (await Series.LatestAsync([datastreamId], Ct)).Single().Id);
        var hour = (await Series.RollupAsync(datastreamId, RollupGranularity.Hour, s_t0, s_t0.AddHours(1), Ct)).Single();
        var day = (await Series.RollupAsync(datastreamId, RollupGranularity.Day, s_t0, s_t0.AddDays(1), Ct)).Single();
        Assert.Equal((2L, 2.0, 4.0, 3.0), (hour.Count, hour.Min, hour.Max, hour.Mean));
        Assert.Equal(hour with { }, day with { Start = hour.Start });
    }

    [Fact]
    public async Task A_datastreams_phenomenon_and_result_times_span_its_observations()
    {
        var (_, datastreamId) = await ThingWithDatastreamAsync();
        await Series.AppendAsync([Numeric(datastreamId, s_t0.AddHours(2), 1) with { ResultTime = s_t0.AddHours(3) }], Ct);
        await Series.AppendAsync([new NewObservation(datastreamId, new SensorTime(s_t0, s_t0.AddHours(5)), 1), Numeric(datastreamId, s_t0.AddHours(1), 1)], Ct);

        var datastream = await Entities.FindAsync<Datastream>(datastreamId, Ct);

        Assert.Equal(new SensorTime(s_t0, s_t0.AddHours(5)), datastream!.PhenomenonTime);
        Assert.Equal(new SensorTime(s_t0.AddHours(3), s_t0.AddHours(3)), datastream.ResultTime);
    }

    [Fact]
    public async Task Observations_are_not_entities_of_the_sensor_store()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Entities.FindAsync<Observation>(1, Ct));
    }

    [Fact]
    public async Task A_reopened_store_keeps_entities_observations_latest_and_rollups()
    {
        var (thingId, datastreamId) = await ThingWithDatastreamAsync();
        var ids = await Series.AppendAsync([Numeric(datastreamId, s_t0, 1), Numeric(datastreamId, s_t0.AddMinutes(5), 3)], Ct);

        await ReopenAsync();

        Assert.Equal("Station", (await Entities.FindAsync<Thing>(thingId, Ct))!.Name);
        Assert.Equal(3.0, (await Series.FindObservationAsync(ids[1], Ct))!.Result);
        Assert.Equal(ids[1], (await Series.LatestAsync([datastreamId], Ct)).Single().Id);
        Assert.Equal(2.0, (await Series.RollupAsync(datastreamId, RollupGranularity.Hour, s_t0, s_t0.AddHours(1), Ct)).Single().Mean);
        Assert.True((await Series.AppendAsync([Numeric(datastreamId, s_t0, 1)], Ct))[0] > ids[1]);
    }

    private async Task<(long ThingId, long DatastreamId)> ThingWithDatastreamAsync()
    {
        var inserted = await Entities.CreateThingAsync(
            new ThingInsert(
                new Thing(0, "Station", "air quality"),
                [],
                [new DatastreamInsert(NewDatastream("NO2"), Link<Sensor>.Create(NewSensor("s")), Link<ObservedProperty>.Create(NewProperty("NO2")))],
                s_t0),
            Ct);
        return (inserted.ThingId, inserted.DatastreamIds[0]);
    }

    private static NewObservation Numeric(long datastreamId, DateTimeOffset time, double value) => new(datastreamId, SensorTime.At(time), value);

    private static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static Location NewLocation(string name, double longitude, double latitude) =>
        new(0, name, "a place", "application/geo+json", s_crs84.CreatePoint(new Coordinate(longitude, latitude)));

    private static FeatureOfInterest NewFeature(string name) =>
        new(0, name, "sampled here", "application/geo+json", s_crs84.CreatePoint(new Coordinate(5.1, 52.1)));

    private static Sensor NewSensor(string name) => new(0, name, "a sensor", "application/pdf", "https://example.org/datasheet.pdf");

    private static ObservedProperty NewProperty(string name) => new(0, name, "https://example.org/def/" + name, "a property");

    private static Datastream NewDatastream(string name) =>
        new(0, name, "hourly " + name, s_microgram, "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement", 0, 0, 0);
}
