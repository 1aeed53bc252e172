using System.Text.Json;
using Microsoft.Data.Sqlite;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Tweeling.Domain.Sensors.Query;
using Tweeling.Storage.Sqlite;
using Tweeling.TestSupport;

namespace Tweeling.Storage.Tests;

/// <summary>
/// The MultiDatastream extension in a real SQLite store file: the entity with its ordered ObservedProperties, Observations
/// with array results, the extension's length rules, cascades, the change log, and the migration of a file written before
/// the extension's tables existed.
/// </summary>
public sealed class SqliteMultiDatastreamTests : IDisposable
{
    private static readonly NtsGeometryServices s_geometry = new(PrecisionModel.Floating.Value, Crs.Crs84Srid);
    private static readonly DateTimeOffset s_t0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly UnitOfMeasurement s_celsius = new("degree Celsius", "°C", "http://qudt.org/vocab/unit/DEG_C");
    private static readonly UnitOfMeasurement s_percent = new("percent", "%", "http://qudt.org/vocab/unit/PERCENT");
    private static readonly UnitOfMeasurement s_metrePerSecond = new("metre per second", "m/s", "http://qudt.org/vocab/unit/M-PER-SEC");
    private const string Measurement = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement";

    private readonly TempDirectory _directory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_multi_datastream_keeps_its_observed_properties_units_and_types_in_result_order()
    {
        await using var store = await OpenAsync();
        var station = await StationAsync(store);

        var created = await store.Sensors.CreateAsync(Weather(station, [station.Wind, station.Temperature, station.Humidity]), Ct);

        var found = await store.Sensors.FindAsync<MultiDatastream>(created.Id, Ct);
        Assert.Equal([station.Wind, station.Temperature, station.Humidity], found!.ObservedPropertyIds);
        Assert.Equal([s_metrePerSecond, s_celsius, s_percent], found.UnitOfMeasurements);
        Assert.Equal([Measurement, Measurement, Measurement], found.MultiObservationDataTypes);
        Assert.Equal(MultiDatastream.ComplexObservationType, found.ObservationType);
        Assert.Equal((station.Thing, station.Sensor), (found.ThingId, found.SensorId));
        Assert.Equal("""{"dataset":"weer"}""", found.Properties!.Value.GetRawText());
        var listed = Assert.Single(await store.Sensors.ListAsync<MultiDatastream>(0, 10, Ct));
        Assert.Equal(found.ObservedPropertyIds, listed.ObservedPropertyIds);

        var reordered = await store.Sensors.UpdateAsync<MultiDatastream>(created.Id, m => m with { ObservedPropertyIds = [station.Humidity, station.Wind, station.Temperature] }, Ct);
        Assert.Equal([station.Humidity, station.Wind, station.Temperature], reordered!.ObservedPropertyIds);
        Assert.Equal(reordered.ObservedPropertyIds, (await store.Sensors.FindAsync<MultiDatastream>(created.Id, Ct))!.ObservedPropertyIds);
    }

    [Fact]
    public async Task A_multi_datastream_that_breaks_the_extension_rules_is_refused_and_nothing_of_it_is_stored()
    {
        await using var store = await OpenAsync();
        var station = await StationAsync(store);
        var valid = Weather(station, [station.Temperature, station.Humidity, station.Wind]);

        var units = await Assert.ThrowsAsync<MultiDatastreamShapeException>(() => store.Sensors.CreateAsync(valid with { UnitOfMeasurements = [s_celsius, s_percent] }, Ct));
        Assert.Contains("unitOfMeasurements (2), multiObservationDataTypes (3) and ObservedProperties (3)", units.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<MultiDatastreamShapeException>(() => store.Sensors.CreateAsync(valid with { MultiObservationDataTypes = [Measurement] }, Ct));
        await Assert.ThrowsAsync<MultiDatastreamShapeException>(() => store.Sensors.CreateAsync(valid with { ObservationType = Measurement }, Ct));
        await Assert.ThrowsAsync<MultiDatastreamShapeException>(() => store.Sensors.CreateAsync(valid with { ObservedPropertyIds = [], UnitOfMeasurements = [], MultiObservationDataTypes = [] }, Ct));
        await Assert.ThrowsAsync<MultiDatastreamShapeException>(() => store.Sensors.CreateAsync(valid with { ObservedPropertyIds = [station.Wind, station.Wind, station.Humidity] }, Ct));
        var missing = await Assert.ThrowsAsync<SensorLinkException>(() => store.Sensors.CreateAsync(valid with { ObservedPropertyIds = [station.Temperature, 999, station.Wind] }, Ct));
        Assert.Equal(("ObservedProperty", 999L), (missing.EntityType, missing.Id));

        Assert.Empty(await store.Sensors.ListAsync<MultiDatastream>(0, 10, Ct));
        Assert.Equal(0L, await CountAsync(store, "sta_multi_datastream_observed_properties"));
    }

    [Fact]
    public async Task Observations_of_a_multi_datastream_carry_array_results_with_ids_from_the_one_observation_sequence()
    {
        await using var store = await OpenAsync();
        var station = await StationAsync(store);
        var multi = await store.Sensors.CreateAsync(Weather(station, [station.Temperature, station.Humidity, station.Wind]), Ct);
        var single = await store.Sensors.CreateAsync(new Datastream(0, "T", "temperature", s_celsius, Measurement, station.Thing, station.Sensor, station.Temperature), Ct);
        var first = (await store.Sensors.AppendAsync([new NewObservation(single.Id, SensorTime.At(s_t0), 11.5)], Ct))[0];

        var ids = await store.Sensors.WriteAsync((writer, ct) => writer.AppendMultiAsync(
            [
                new MultiObservation(0, multi.Id, null, SensorTime.At(s_t0), s_t0.AddSeconds(5), Json("[11.5, 80, 3.2]")),
                new MultiObservation(0, multi.Id, null, SensorTime.At(s_t0.AddHours(-1)), null, Json("""[10.9, null, "calm"]"""), Parameters: Json("""{"mast":"10 m"}""")),
            ], ct), Ct);

        Assert.Equal([first + 1, first + 2], ids);
        var read = await store.Sensors.FindMultiObservationAsync(ids[1], Ct);
        Assert.Equal("""[10.9, null, "calm"]""", read!.Result.GetRawText());
        Assert.Equal((multi.Id, s_t0.AddHours(-1)), (read.MultiDatastreamId, read.PhenomenonTime.Start));
        Assert.Equal("""{"mast":"10 m"}""", read.Parameters!.Value.GetRawText());
        Assert.Null(await store.Sensors.FindMultiObservationAsync(first, Ct));
        Assert.Null(await store.Sensors.FindObservationAsync(ids[0], Ct));
        Assert.Equal(ids, (await store.Sensors.MultiObservationsAsync(multi.Id, 0, 10, Ct)).Select(o => o.Id));
        Assert.Equal([ids[1]], (await store.Sensors.MultiObservationsAsync(multi.Id, ids[0], 10, Ct)).Select(o => o.Id));

        var widened = await store.Sensors.FindAsync<MultiDatastream>(multi.Id, Ct);
        Assert.Equal(new SensorTime(s_t0.AddHours(-1), s_t0), widened!.PhenomenonTime);
        Assert.Equal(new SensorTime(s_t0.AddSeconds(5), s_t0.AddSeconds(5)), widened.ResultTime);

        // The next Observation of a Datastream continues the same sequence: an id names one Observation in either table.
        Assert.Equal(ids[1] + 1, (await store.Sensors.AppendAsync([new NewObservation(single.Id, SensorTime.At(s_t0.AddHours(1)), 12)], Ct))[0]);
    }

    [Fact]
    public async Task A_result_of_the_wrong_length_or_a_missing_link_fails_the_whole_unit()
    {
        await using var store = await OpenAsync();
        var station = await StationAsync(store);
        var multi = await store.Sensors.CreateAsync(Weather(station, [station.Temperature, station.Humidity, station.Wind]), Ct);
        var good = new MultiObservation(0, multi.Id, null, SensorTime.At(s_t0), null, Json("[11.5, 80, 3.2]"));

        var shorter = await Assert.ThrowsAsync<MultiDatastreamShapeException>(() => store.Sensors.WriteAsync((writer, ct) => writer.AppendMultiAsync([good, good with { Result = Json("[11.5, 80]") }], ct), Ct));
        Assert.Equal($"An Observation of MultiDatastream {multi.Id} needs a result array of 3 values (one per ObservedProperty), not 2.", shorter.Message);
        await Assert.ThrowsAsync<MultiDatastreamShapeException>(() => store.Sensors.WriteAsync((writer, ct) => writer.AppendMultiAsync([good with { Result = Json("11.5") }], ct), Ct));
        var missing = await Assert.ThrowsAsync<SensorLinkException>(() => store.Sensors.WriteAsync((writer, ct) => writer.AppendMultiAsync([good, good with { MultiDatastreamId = 999 }], ct), Ct));
        Assert.Equal("MultiDatastream", missing.EntityType);
        await Assert.ThrowsAsync<SensorLinkException>(() => store.Sensors.WriteAsync((writer, ct) => writer.AppendMultiAsync([good with { FeatureOfInterestId = 999 }], ct), Ct));

        Assert.Empty(await store.Sensors.MultiObservationsAsync(multi.Id, 0, 10, Ct));
        Assert.Null((await store.Sensors.FindAsync<MultiDatastream>(multi.Id, Ct))!.PhenomenonTime);

        // With Observations of three values stored, the MultiDatastream keeps three ObservedProperties.
        await store.Sensors.WriteAsync((writer, ct) => writer.AppendMultiAsync([good], ct), Ct);
        await Assert.ThrowsAsync<MultiDatastreamShapeException>(() => store.Sensors.UpdateAsync<MultiDatastream>(
            multi.Id, m => m with { ObservedPropertyIds = [station.Temperature, station.Humidity], UnitOfMeasurements = [s_celsius, s_percent], MultiObservationDataTypes = [Measurement, Measurement] }, Ct));
        Assert.Equal(3, (await store.Sensors.FindAsync<MultiDatastream>(multi.Id, Ct))!.ObservedPropertyIds.Count);
    }

    [Fact]
    public async Task Deleting_an_observed_property_sensor_thing_or_feature_takes_the_multi_datastreams_and_observations_that_depend_on_it()
    {
        await using var store = await OpenAsync();
        var station = await StationAsync(store);
        var feature = await store.Sensors.CreateAsync(new FeatureOfInterest(0, "Mast", "weather mast", "application/geo+json", new GeometryFactory(PrecisionModel.Floating.Value, Crs.Crs84Srid).CreatePoint(new Coordinate(5.12, 52.09))), Ct);
        var byProperty = await store.Sensors.CreateAsync(Weather(station, [station.Temperature, station.Humidity]), Ct);
        var bySensor = await store.Sensors.CreateAsync(Weather(station, [station.Wind]), Ct);
        var otherSensor = await store.Sensors.CreateAsync(new Sensor(0, "Anemometer 2", "spare", "text/plain", "none"), Ct);
        var kept = await store.Sensors.CreateAsync(Weather(station, [station.Wind]) with { SensorId = otherSensor.Id }, Ct);
        var observations = await store.Sensors.WriteAsync((writer, ct) => writer.AppendMultiAsync(
            [
                new MultiObservation(0, byProperty.Id, null, SensorTime.At(s_t0), null, Json("[1, 2]")),
                new MultiObservation(0, bySensor.Id, null, SensorTime.At(s_t0), null, Json("[3]")),
                new MultiObservation(0, kept.Id, feature.Id, SensorTime.At(s_t0), null, Json("[4]")),
                new MultiObservation(0, kept.Id, null, SensorTime.At(s_t0.AddMinutes(1)), null, Json("[5]")),
            ], ct), Ct);

        Assert.True(await store.Sensors.DeleteAsync<ObservedProperty>(station.Humidity, Ct));
        Assert.Null(await store.Sensors.FindAsync<MultiDatastream>(byProperty.Id, Ct));
        Assert.Null(await store.Sensors.FindMultiObservationAsync(observations[0], Ct));

        Assert.True(await store.Sensors.DeleteAsync<Sensor>(station.Sensor, Ct));
        Assert.Null(await store.Sensors.FindAsync<MultiDatastream>(bySensor.Id, Ct));
        Assert.Null(await store.Sensors.FindMultiObservationAsync(observations[1], Ct));

        Assert.True(await store.Sensors.DeleteAsync<FeatureOfInterest>(feature.Id, Ct));
        Assert.Equal([observations[3]], (await store.Sensors.MultiObservationsAsync(kept.Id, 0, 10, Ct)).Select(o => o.Id));
        Assert.True(await store.Sensors.WriteAsync((writer, ct) => writer.DeleteObservationAsync(observations[3], ct), Ct));
        Assert.Empty(await store.Sensors.MultiObservationsAsync(kept.Id, 0, 10, Ct));

        await store.Sensors.WriteAsync((writer, ct) => writer.AppendMultiAsync([new MultiObservation(0, kept.Id, null, SensorTime.At(s_t0), null, Json("[6]"))], ct), Ct);
        Assert.True(await store.Sensors.DeleteAsync<Thing>(station.Thing, Ct));
        Assert.Empty(await store.Sensors.ListAsync<MultiDatastream>(0, 10, Ct));
        Assert.Equal((0L, 0L), (await CountAsync(store, "sta_multi_observations"), await CountAsync(store, "sta_multi_datastream_observed_properties")));
    }

    [Fact]
    public async Task Every_multi_datastream_write_is_noted_in_the_change_log_as_a_change_of_everything()
    {
        await using var store = await OpenAsync();
        using var commits = store.OpenCommitCounter();
        var station = await StationAsync(store);
        var multi = await store.Sensors.CreateAsync(Weather(station, [station.Temperature]), Ct);

        var before = commits.SensorChangesSince(-1).Seq;
        var ids = await store.Sensors.WriteAsync((writer, ct) => writer.AppendMultiAsync([new MultiObservation(0, multi.Id, null, SensorTime.At(s_t0), null, Json("[1]"))], ct), Ct);
        Assert.True(commits.SensorChangesSince(before).Everything);

        before = commits.SensorChangesSince(-1).Seq;
        await store.Sensors.WriteAsync((writer, ct) => writer.DeleteObservationAsync(ids[0], ct), Ct);
        Assert.True(commits.SensorChangesSince(before).Everything);
    }

    [Fact]
    public async Task Multi_datastreams_are_queried_filtered_ordered_counted_and_navigated_both_ways()
    {
        await using var store = await OpenAsync();
        var station = await StationAsync(store);
        var all = await store.Sensors.CreateAsync(Weather(station, [station.Temperature, station.Humidity, station.Wind]) with { Name = "Weer volledig" }, Ct);
        var wind = await store.Sensors.CreateAsync(Weather(station, [station.Wind]) with { Name = "Alleen wind" }, Ct);

        var page = await store.Sensors.QueryAsync(Query(SensorEntitySet.MultiDatastreams, null, "startswith(name, 'Weer') or name eq 'Alleen wind'", "name desc"), Ct);
        Assert.Equal([all.Id, wind.Id], page.Entities.Select(e => e.Id));
        Assert.Equal(2, page.Count);
        Assert.Equal([station.Temperature, station.Humidity, station.Wind], ((MultiDatastream)page.Entities[0]).ObservedPropertyIds);
        Assert.Equal([wind.Id], (await store.Sensors.QueryAsync(Query(SensorEntitySet.MultiDatastreams, null, "Sensor/name eq 'WS-100' and properties/dataset eq 'weer' and name ne 'Weer volledig'", null), Ct)).Entities.Select(e => e.Id));

        Assert.Equal([all.Id, wind.Id], await IdsAsync(store, new SensorScope(SensorEntitySet.Things, station.Thing, "MultiDatastreams"), SensorEntitySet.MultiDatastreams));
        Assert.Equal([all.Id, wind.Id], await IdsAsync(store, new SensorScope(SensorEntitySet.Sensors, station.Sensor, "MultiDatastreams"), SensorEntitySet.MultiDatastreams));
        Assert.Equal([all.Id], await IdsAsync(store, new SensorScope(SensorEntitySet.ObservedProperties, station.Humidity, "MultiDatastreams"), SensorEntitySet.MultiDatastreams));
        Assert.Equal([station.Temperature, station.Humidity, station.Wind], await IdsAsync(store, new SensorScope(SensorEntitySet.MultiDatastreams, all.Id, "ObservedProperties"), SensorEntitySet.ObservedProperties));
        Assert.Equal([station.Thing], await IdsAsync(store, new SensorScope(SensorEntitySet.MultiDatastreams, wind.Id, "Thing"), SensorEntitySet.Things));
        Assert.Equal([station.Sensor], await IdsAsync(store, new SensorScope(SensorEntitySet.MultiDatastreams, wind.Id, "Sensor"), SensorEntitySet.Sensors));

        // $expand of Things' MultiDatastreams: one page per parent from one statement.
        var each = await store.Sensors.QueryEachAsync(Query(SensorEntitySet.MultiDatastreams, new SensorScope(SensorEntitySet.Things, 0, "MultiDatastreams"), "name eq 'Alleen wind'", null), [station.Thing, 999], Ct);
        Assert.Equal([[wind.Id], []], each.Select(p => p.Entities.Select(e => e.Id).ToArray()));
        Assert.Equal([station.Wind], ((MultiDatastream)each[0].Entities[0]).ObservedPropertyIds);
    }

    [Fact]
    public async Task A_multi_datastream_and_what_only_it_uses_are_visible_with_its_thing_and_not_otherwise()
    {
        await using var store = await OpenAsync();
        var station = await StationAsync(store);
        var multi = await store.Sensors.CreateAsync(Weather(station, [station.Temperature, station.Wind]), Ct);
        var feature = await store.Sensors.CreateAsync(new FeatureOfInterest(0, "Mast", "weather mast", "application/geo+json", new GeometryFactory(PrecisionModel.Floating.Value, Crs.Crs84Srid).CreatePoint(new Coordinate(5.12, 52.09))), Ct);
        await store.Sensors.WriteAsync((writer, ct) => writer.AppendMultiAsync([new MultiObservation(0, multi.Id, feature.Id, SensorTime.At(s_t0), null, Json("[1, 2]"))], ct), Ct);

        // The Thing is in dataset "weer": a reader of it sees all; a reader of unlabelled data only does not see what only the MultiDatastream uses.
        var reader = new SensorVisibility(new HashSet<string>(["weer"], StringComparer.Ordinal), Unlabelled: false);
        var outsider = new SensorVisibility(new HashSet<string>(StringComparer.Ordinal), Unlabelled: true);
        Assert.Equal([multi.Id], await IdsAsync(store, null, SensorEntitySet.MultiDatastreams, reader));
        Assert.Empty(await IdsAsync(store, null, SensorEntitySet.MultiDatastreams, outsider));
        Assert.Empty(await IdsAsync(store, new SensorScope(SensorEntitySet.Things, station.Thing, "MultiDatastreams"), SensorEntitySet.MultiDatastreams, outsider));
        Assert.Equal([station.Sensor], await IdsAsync(store, null, SensorEntitySet.Sensors, reader));
        Assert.Empty(await IdsAsync(store, null, SensorEntitySet.Sensors, outsider));
        Assert.Equal([station.Temperature, station.Wind], await IdsAsync(store, null, SensorEntitySet.ObservedProperties, reader));
        Assert.Equal([station.Humidity], await IdsAsync(store, null, SensorEntitySet.ObservedProperties, outsider));
        Assert.Equal([feature.Id], await IdsAsync(store, null, SensorEntitySet.FeaturesOfInterest, reader));
        Assert.Empty(await IdsAsync(store, null, SensorEntitySet.FeaturesOfInterest, outsider));
    }

    [Fact]
    public async Task A_store_file_written_before_the_extension_gains_its_tables_when_opened_and_keeps_its_data()
    {
        var path = _directory.File("old.db");
        long thing, observation;
        Station station;
        await using (var old = await SqliteTwinStore.OpenAsync(path, s_geometry, Ct))
        {
            station = await StationAsync(old);
            thing = station.Thing;
            var datastream = await old.Sensors.CreateAsync(new Datastream(0, "T", "temperature", s_celsius, Measurement, thing, station.Sensor, station.Temperature), Ct);
            observation = (await old.Sensors.AppendAsync([new NewObservation(datastream.Id, SensorTime.At(s_t0), 11.5)], Ct))[0];
        }

        // The file as main's build before the extension leaves it: the same schema without the sta_multi_ tables.
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync(Ct);
            await using var drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE sta_multi_observations; DROP TABLE sta_multi_datastream_observed_properties; DROP TABLE sta_multi_datastreams;";
            await drop.ExecuteNonQueryAsync(Ct);
        }

        Assert.Empty(await MultiTablesAsync(path));

        await using var reopened = await SqliteTwinStore.OpenAsync(path, s_geometry, Ct);
        Assert.Equal(["sta_multi_datastream_observed_properties", "sta_multi_datastreams", "sta_multi_observations"], await MultiTablesAsync(path));
        Assert.Equal(11.5, (await reopened.Sensors.FindObservationAsync(observation, Ct))!.Result);
        var multi = await reopened.Sensors.CreateAsync(Weather(station, [station.Temperature, station.Humidity]), Ct);
        var ids = await reopened.Sensors.WriteAsync((writer, ct) => writer.AppendMultiAsync([new MultiObservation(0, multi.Id, null, SensorTime.At(s_t0), null, Json("[11.5, 80]"))], ct), Ct);
        Assert.Equal([observation + 1], ids);
    }

    private static SensorQuery Query(SensorEntitySet set, SensorScope? scope, string? filter, string? orderBy, SensorVisibility? visibility = null) =>
        new(
            set,
            scope,
            filter is null ? null : QueryOptions.Parse([new("$filter", filter)]).Filter,
            orderBy is null ? [] : QueryOptions.Parse([new("$orderby", orderBy)]).OrderBy,
            100,
            0,
            true,
            s_t0,
            visibility);

    private static async Task<long[]> IdsAsync(SqliteTwinStore store, SensorScope? scope, SensorEntitySet set, SensorVisibility? visibility = null) =>
        [.. (await store.Sensors.QueryAsync(Query(set, scope, null, null, visibility), Ct)).Entities.Select(e => e.Id)];

    private static async Task<List<string>> MultiTablesAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False;Mode=ReadOnly");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'sta\\_multi\\_%' ESCAPE '\\' ORDER BY name";
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var names = new List<string>();
        while (await reader.ReadAsync(Ct))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private Task<SqliteTwinStore> OpenAsync() => SqliteTwinStore.OpenAsync(_directory.File("twin.db"), s_geometry, Ct);

    private static async Task<long> CountAsync(SqliteTwinStore store, string table)
    {
        await using var connection = new SqliteConnection($"Data Source={store.Path};Pooling=False;Mode=ReadOnly");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {table}";
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    private static async Task<Station> StationAsync(SqliteTwinStore store)
    {
        var thing = await store.Sensors.CreateAsync(new Thing(0, "Weerstation Kade", "weather station", Json("""{"dataset":"weer"}""")), Ct);
        var sensor = await store.Sensors.CreateAsync(new Sensor(0, "WS-100", "compact weather sensor", "text/plain", "datasheet"), Ct);
        var temperature = await store.Sensors.CreateAsync(new ObservedProperty(0, "temperature", "http://vocab.nerc.ac.uk/collection/P07/current/CFSN0023/", "air temperature"), Ct);
        var humidity = await store.Sensors.CreateAsync(new ObservedProperty(0, "humidity", "http://vocab.nerc.ac.uk/collection/P07/current/CFSN0413/", "relative humidity"), Ct);
        var wind = await store.Sensors.CreateAsync(new ObservedProperty(0, "wind speed", "http://vocab.nerc.ac.uk/collection/P07/current/CFSN0038/", "wind speed"), Ct);
        return new Station(thing.Id, sensor.Id, temperature.Id, humidity.Id, wind.Id);
    }

    /// <summary>A weather MultiDatastream of <paramref name="properties"/>, with the units and types in the same order.</summary>
    private static MultiDatastream Weather(Station station, long[] properties)
    {
        UnitOfMeasurement UnitOf(long property) =>
            property == station.Temperature ? s_celsius : property == station.Humidity ? s_percent : s_metrePerSecond;
        return new MultiDatastream(
            0, "Weer Kade", "temperature, humidity and wind in one record",
            [.. properties.Select(UnitOf)],
            MultiDatastream.ComplexObservationType, [.. properties.Select(_ => Measurement)], station.Thing, station.Sensor, properties,
            Properties: Json("""{"dataset":"weer"}"""));
    }

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private sealed record Station(long Thing, long Sensor, long Temperature, long Humidity, long Wind);
}
