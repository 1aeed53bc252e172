using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;

namespace Tweeling.Storage.Tests;

/// <summary>The write units of <see cref="ISensorStore.WriteAsync{T}"/>: all or nothing, entities and observations alike.</summary>
public abstract partial class SensorStoreContract
{
    [Fact]
    public async Task A_write_unit_commits_entities_and_observations_together_and_sees_its_own_writes()
    {
        var (thingId, datastreamId, observationIds) = await Entities.WriteAsync(async (writer, ct) =>
        {
            var thing = await writer.CreateAsync(new Thing(0, "Station", "air quality"), ct);
            var location = await writer.CreateAsync(NewLocation("Kade 1", 5.12, 52.09), ct);
            await writer.SetThingLocationsAsync(thing.Id, [location.Id], s_t0, ct);
            var sensor = await writer.CreateAsync(NewSensor("s"), ct);
            var property = await writer.CreateAsync(NewProperty("NO2"), ct);
            var datastream = await writer.CreateAsync(NewDatastream("NO2") with { ThingId = thing.Id, SensorId = sensor.Id, ObservedPropertyId = property.Id }, ct);
            Assert.Equal("Station", (await writer.FindAsync<Thing>(thing.Id, ct))!.Name);
            Assert.Equal([location.Id], await writer.ThingLocationsAsync(thing.Id, ct));
            var ids = await writer.AppendAsync([Numeric(datastream.Id, s_t0.AddMinutes(1), 2), Numeric(datastream.Id, s_t0.AddMinutes(2), 4)], ct);
            Assert.Equal(4.0, (await writer.FindObservationAsync(ids[1], ct))!.Result);
            return (thing.Id, datastream.Id, ids);
        }, Ct);

        Assert.Equal("NO2", (await Entities.FindAsync<Datastream>(datastreamId, Ct))!.Name);
        Assert.Single(await Entities.ListAsync<HistoricalLocation>(0, 10, Ct), h => h.ThingId == thingId);
        Assert.Equal(observationIds[1], (await Series.LatestAsync([datastreamId], Ct)).Single().Id);
        Assert.Equal(3.0, (await Series.RollupAsync(datastreamId, RollupGranularity.Hour, s_t0, s_t0.AddHours(1), Ct)).Single().Mean);
        Assert.Equal(new SensorTime(s_t0.AddMinutes(1), s_t0.AddMinutes(2)), (await Entities.FindAsync<Datastream>(datastreamId, Ct))!.PhenomenonTime);
    }

    [Fact]
    public async Task A_write_unit_that_fails_after_writing_entities_and_observations_stores_nothing()
    {
        var (thingId, datastreamId) = await ThingWithDatastreamAsync();
        var location = await Entities.CreateAsync(NewLocation("Kade 1", 5.12, 52.09), Ct);
        var before = await Series.AppendAsync([Numeric(datastreamId, s_t0, 1)], Ct);

        var error = await Assert.ThrowsAsync<SensorLinkException>(() => Entities.WriteAsync<long>(async (writer, ct) =>
        {
            await writer.CreateAsync(new Thing(0, "Second", "never stored"), ct);
            await writer.SetThingLocationsAsync(thingId, [location.Id], s_t0, ct);
            await writer.UpdateAsync<Thing>(thingId, t => t with { Name = "Renamed" }, ct);
            await writer.DerivedFeatureOfInterestAsync(datastreamId, ct);
            await writer.AppendAsync([Numeric(datastreamId, s_t0.AddHours(5), 50), Numeric(datastreamId, s_t0.AddDays(3), 60)], ct);
            await writer.DeleteObservationAsync(before[0], ct);
            await writer.CreateAsync(NewDatastream("x") with { ThingId = thingId, SensorId = 999, ObservedPropertyId = 999 }, ct);
            return 0;
        }, Ct));

        Assert.Equal(("Sensor", 999L), (error.EntityType, error.Id));
        Assert.Equal(["Station"], (await Entities.ListAsync<Thing>(0, 10, Ct)).Select(t => t.Name));
        Assert.Empty(await Entities.ThingLocationsAsync(thingId, Ct));
        Assert.Empty(await Entities.ListAsync<HistoricalLocation>(0, 10, Ct));
        Assert.Empty(await Entities.ListAsync<FeatureOfInterest>(0, 10, Ct));
        Assert.Equal(before, (await Series.ObservationsAsync(datastreamId, null, null, 10, 0, TimeOrder.OldestFirst, Ct)).Select(o => o.Id));
        Assert.Equal(before[0], (await Series.LatestAsync([datastreamId], Ct)).Single().Id);
        Assert.Equal(1L, (await Series.RollupAsync(datastreamId, RollupGranularity.Day, s_t0.AddDays(-1), s_t0.AddDays(10), Ct)).Single().Count);
        Assert.Equal(new SensorTime(s_t0, s_t0), (await Entities.FindAsync<Datastream>(datastreamId, Ct))!.PhenomenonTime);
        Assert.Equal(before[0] + 1, (await Series.AppendAsync([Numeric(datastreamId, s_t0, 2)], Ct))[0]);
    }

    [Fact]
    public async Task A_write_unit_that_throws_its_own_exception_stores_nothing_and_its_writer_ends_with_it()
    {
        ISensorWriter? kept = null;
        await Assert.ThrowsAsync<InvalidOperationException>(() => Entities.WriteAsync<int>(async (writer, ct) =>
        {
            kept = writer;
            await writer.CreateAsync(NewSensor("s"), ct);
            throw new InvalidOperationException("the caller gave up");
        }, Ct));

        Assert.Empty(await Entities.ListAsync<Sensor>(0, 10, Ct));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => kept!.CreateAsync(NewSensor("late"), Ct));
        Assert.Empty(await Entities.ListAsync<Sensor>(0, 10, Ct));
    }

    [Fact]
    public async Task Updating_an_observation_in_a_unit_corrects_latest_and_rollups()
    {
        var (_, datastreamId) = await ThingWithDatastreamAsync();
        var ids = await Series.AppendAsync([Numeric(datastreamId, s_t0.AddMinutes(1), 2), Numeric(datastreamId, s_t0.AddMinutes(2), 4)], Ct);

        var updated = await Entities.WriteAsync(
            (writer, ct) => writer.UpdateObservationAsync(ids[0], o => o with { PhenomenonTime = SensorTime.At(s_t0.AddHours(2)), Result = 10 }, ct), Ct);
        var missing = await Entities.WriteAsync((writer, ct) => writer.UpdateObservationAsync(12345, o => o, ct), Ct);

        Assert.Equal(ids[0], updated!.Id);
        Assert.Null(missing);
        Assert.Equal((ids[0], 10.0), ((await Series.FindObservationAsync(ids[0], Ct))!.Id, (await Series.FindObservationAsync(ids[0], Ct))!.Result));
        Assert.Equal(ids[0], (await Series.LatestAsync([datastreamId], Ct)).Single().Id);
        var hours = await Series.RollupAsync(datastreamId, RollupGranularity.Hour, s_t0, s_t0.AddHours(3), Ct);
        Assert.Equal([(1L, 4.0), (1L, 10.0)], hours.Select(h => (h.Count, h.Mean)));
        Assert.Equal(7.0, (await Series.RollupAsync(datastreamId, RollupGranularity.Day, s_t0, s_t0.AddDays(1), Ct)).Single().Mean);
        await Assert.ThrowsAsync<SensorLinkException>(() => Entities.WriteAsync((writer, ct) => writer.UpdateObservationAsync(ids[1], o => o with { DatastreamId = 999 }, ct), Ct));
        Assert.Equal(datastreamId, (await Series.FindObservationAsync(ids[1], Ct))!.DatastreamId);
    }

    [Fact]
    public async Task The_derived_feature_of_interest_is_made_once_from_the_things_location_and_reused()
    {
        var (thingId, datastreamId) = await ThingWithDatastreamAsync();
        Assert.Null(await Entities.WriteAsync((writer, ct) => writer.DerivedFeatureOfInterestAsync(datastreamId, ct), Ct));
        var location = await Entities.CreateAsync(NewLocation("Kade 1", 5.12, 52.09), Ct);
        await Entities.SetThingLocationsAsync(thingId, [location.Id], s_t0, Ct);

        var first = await Entities.WriteAsync((writer, ct) => writer.DerivedFeatureOfInterestAsync(datastreamId, ct), Ct);
        var second = await Entities.WriteAsync((writer, ct) => writer.DerivedFeatureOfInterestAsync(datastreamId, ct), Ct);

        Assert.Equal(first!.Id, second!.Id);
        var feature = await Entities.FindAsync<FeatureOfInterest>(first.Id, Ct);
        Assert.Equal((first.Id, "Kade 1"), (first.Created!.Id, first.Created.Name));
        Assert.Null(second.Created);
        Assert.Equal(("Kade 1", "application/geo+json"), (feature!.Name, feature.EncodingType));
        Assert.True(feature.Feature.EqualsExact(location.Geometry));
        await Entities.DeleteAsync<FeatureOfInterest>(first.Id, Ct);
        var remade = await Entities.WriteAsync((writer, ct) => writer.DerivedFeatureOfInterestAsync(datastreamId, ct), Ct);
        Assert.NotEqual(first.Id, remade!.Id);
        Assert.NotNull(await Entities.FindAsync<FeatureOfInterest>(remade.Id, Ct));
        Assert.Equal(remade.Id, remade.Created!.Id);
        await Assert.ThrowsAsync<SensorLinkException>(() => Entities.WriteAsync((writer, ct) => writer.DerivedFeatureOfInterestAsync(999, ct), Ct));
    }
}
