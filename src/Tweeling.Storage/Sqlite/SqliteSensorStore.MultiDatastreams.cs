using System.Text.Json;
using Microsoft.Data.Sqlite;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using static Tweeling.Storage.Sqlite.SqliteCommands;

namespace Tweeling.Storage.Sqlite;

/// <summary>
/// The MultiDatastream extension in SQL (<c>sta_multi_*</c> in <see cref="Schema"/>): the entity, its ordered
/// ObservedProperties and its Observations with array results.
/// </summary>
/// <remarks>
/// Observations of a MultiDatastream have no latest copy and no rollups: a rollup sums one number per bucket, and a
/// result array's components are different phenomena in different units, so there is no one number to keep. They
/// note a change of everything in <c>sta_changes</c> (like an entity write), which is rare enough for this extension
/// and keeps every cached answer that could show them honest.
/// </remarks>
public sealed partial class SqliteSensorStore
{
    private const string MultiObservationColumns =
        "id, multi_datastream_id, feature_of_interest_id, phenomenon_start, phenomenon_end, result_time, result_json, result_quality, valid_start, valid_end, parameters";

    /// <summary>How <see cref="MultiDatastream"/> maps to <c>sta_multi_datastreams</c>; its ObservedProperties are filled in by <see cref="WithObservedProperties"/>.</summary>
    private Table<MultiDatastream> MultiDatastreamTable() => new(
        "MultiDatastream", "sta_multi_datastreams",
        ["name", "description", "unit_of_measurements", "observation_type", "multi_observation_data_types", "thing_id", "sensor_id",
         "observed_area", "phenomenon_start", "phenomenon_end", "result_start", "result_end", "properties"],
        m => [m.Name, m.Description, UnitsJson(m.UnitOfMeasurements), m.ObservationType, JsonSerializer.Serialize(m.MultiObservationDataTypes),
              m.ThingId, m.SensorId, m.ObservedArea is null ? null : Wkb(m.ObservedArea),
              m.PhenomenonTime?.Start.ToUnixTimeMilliseconds(), m.PhenomenonTime?.End?.ToUnixTimeMilliseconds(),
              m.ResultTime?.Start.ToUnixTimeMilliseconds(), m.ResultTime?.End?.ToUnixTimeMilliseconds(), JsonText(m.Properties)],
        r => new MultiDatastream(
            r.GetInt64(0), r.GetString(1), r.GetString(2), ParseUnits(r.GetString(3)), r.GetString(4),
            JsonSerializer.Deserialize<string[]>(r.GetString(5))!, r.GetInt64(6), r.GetInt64(7), [],
            GeometryOf(r, 8), TimeOf(r, 9, 10), TimeOf(r, 11, 12), JsonOf(r, 13)),
        (m, id) => m with { Id = id },
        m => [("Thing", "sta_things", m.ThingId), ("Sensor", "sta_sensors", m.SensorId),
              .. m.ObservedPropertyIds.Select(p => ("ObservedProperty", "sta_observed_properties", p))]);

    /// <summary>
    /// A query's extra column with the row's ObservedProperty ids in result order, as a JSON array, so that a page of
    /// MultiDatastreams is one statement (<see cref="ReadMultiDatastreamWithObservedProperties"/> reads it).
    /// </summary>
    private const string ObservedPropertyIdsOfRow =
        "(SELECT json_group_array(observed_property_id) FROM (SELECT observed_property_id FROM sta_multi_datastream_observed_properties WHERE multi_datastream_id = e.id ORDER BY position))";

    /// <summary>A MultiDatastream from a query row: its table's columns, then <see cref="ObservedPropertyIdsOfRow"/>.</summary>
    private MultiDatastream ReadMultiDatastreamWithObservedProperties(SqliteDataReader reader) =>
        TableOf<MultiDatastream>().Read(reader) with { ObservedPropertyIds = ParseIds(reader.GetString(TableOf<MultiDatastream>().Columns.Count + 1)) };

    /// <inheritdoc />
    public async Task<MultiObservation?> FindMultiObservationAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        return FindMultiObservation(connection, null, id);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MultiObservation>> MultiObservationsAsync(long multiDatastreamId, long afterId, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        return ReadMultiObservations(Command(
            connection, null, $"SELECT {MultiObservationColumns} FROM sta_multi_observations WHERE multi_datastream_id = $p0 AND id > $p1 ORDER BY id LIMIT $p2",
            multiDatastreamId, afterId, limit));
    }

    /// <summary>
    /// Appends Observations of MultiDatastreams in <paramref name="tx"/> (see <see cref="ISensorWriter.AppendMultiAsync"/>):
    /// every link and every result's length is checked before the first row is written. With <paramref name="replacedId"/>
    /// the one Observation is written under that id (an update) and the sequence is left alone.
    /// </summary>
    private static long[] AppendMulti(SqliteTransaction tx, IReadOnlyList<MultiObservation> observations, long? replacedId = null)
    {
        var connection = tx.Connection!;
        var components = new Dictionary<long, int>();
        foreach (var o in observations)
        {
            if (!components.TryGetValue(o.MultiDatastreamId, out var expected))
            {
                Require(tx, "MultiDatastream", "sta_multi_datastreams", o.MultiDatastreamId);
                expected = (int)(long)Scalar(tx, "SELECT count(*) FROM sta_multi_datastream_observed_properties WHERE multi_datastream_id = $p0", o.MultiDatastreamId)!;
                components[o.MultiDatastreamId] = expected;
            }

            var actual = o.Result.ValueKind == JsonValueKind.Array ? o.Result.GetArrayLength() : -1;
            if (actual != expected)
            {
                throw MultiDatastreamShapeException.Result(o.MultiDatastreamId, expected, actual);
            }

            if (o.FeatureOfInterestId is { } feature)
            {
                Require(tx, "FeatureOfInterest", "sta_features_of_interest", feature);
            }
        }

        var last = Scalar(tx, "SELECT last FROM sta_counters WHERE name = 'observation'") as long? ?? 0;
        var ids = new long[observations.Count];
        using (var insert = new RawStatement(connection, $"INSERT INTO sta_multi_observations ({MultiObservationColumns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"))
        using (var widen = new RawStatement(connection, WidenTimes("sta_multi_datastreams")))
        {
            for (var i = 0; i < observations.Count; i++)
            {
                var o = observations[i];
                ids[i] = replacedId ?? ++last;
                var start = o.PhenomenonTime.Start.ToUnixTimeMilliseconds();
                insert.Bind(1, ids[i]);
                insert.Bind(2, o.MultiDatastreamId);
                insert.Bind(3, o.FeatureOfInterestId);
                insert.Bind(4, start);
                insert.Bind(5, o.PhenomenonTime.End?.ToUnixTimeMilliseconds());
                insert.Bind(6, o.ResultTime?.ToUnixTimeMilliseconds());
                insert.Bind(7, o.Result.GetRawText());
                insert.Bind(8, JsonText(o.ResultQuality));
                insert.Bind(9, o.ValidTime?.Start.ToUnixTimeMilliseconds());
                insert.Bind(10, o.ValidTime?.End?.ToUnixTimeMilliseconds());
                insert.Bind(11, JsonText(o.Parameters));
                insert.Run();

                widen.Bind(1, o.MultiDatastreamId);
                widen.Bind(2, start);
                widen.Bind(3, o.PhenomenonTime.End?.ToUnixTimeMilliseconds() ?? start);
                widen.Bind(4, o.ResultTime?.ToUnixTimeMilliseconds());
                widen.Bind(5, o.ResultTime?.ToUnixTimeMilliseconds());
                widen.Run();
            }
        }

        if (replacedId is null)
        {
            Execute(tx, "INSERT INTO sta_counters (name, last) VALUES ('observation', $p0) ON CONFLICT (name) DO UPDATE SET last = excluded.last", last);
        }

        return ids;
    }

    /// <summary>
    /// Replaces the Observation of a MultiDatastream with <paramref name="id"/> by what <paramref name="merge"/> makes of it
    /// (see <see cref="ISensorWriter.UpdateMultiObservationAsync"/>): the merged one is checked as a new one is, then
    /// written under the same id. <c>null</c> when there is no such Observation.
    /// </summary>
    private static MultiObservation? UpdateMultiObservation(SqliteTransaction tx, long id, Func<MultiObservation, MultiObservation> merge)
    {
        if (FindMultiObservation(tx.Connection!, tx, id) is not { } found)
        {
            return null;
        }

        var merged = merge(found);
        if (merged.Id != id)
        {
            throw new ArgumentException($"An update may not change an Observation's id ({id} to {merged.Id}).", nameof(merge));
        }

        DeleteMultiObservation(tx, id);
        AppendMulti(tx, [merged], id);
        return merged;
    }

    private static MultiObservation? FindMultiObservation(SqliteConnection connection, SqliteTransaction? tx, long id)
    {
        var found = ReadMultiObservations(Command(connection, tx, $"SELECT {MultiObservationColumns} FROM sta_multi_observations WHERE id = $p0", id));
        return found.Count == 0 ? null : found[0];
    }

    private static List<MultiObservation> ReadMultiObservations(SqliteCommand command)
    {
        using (command)
        using (var reader = command.ExecuteReader())
        {
            var observations = new List<MultiObservation>();
            while (reader.Read())
            {
                observations.Add(new MultiObservation(
                    reader.GetInt64(0),
                    reader.GetInt64(1),
                    reader.IsDBNull(2) ? null : reader.GetInt64(2),
                    TimeOf(reader, 3, 4)!.Value,
                    reader.IsDBNull(5) ? null : FromMs(reader.GetInt64(5)),
                    JsonOf(reader, 6)!.Value,
                    JsonOf(reader, 7),
                    TimeOf(reader, 8, 9),
                    JsonOf(reader, 10)));
            }

            return observations;
        }
    }

    /// <summary>Deletes the Observation of a MultiDatastream with <paramref name="id"/>; whether there was one.</summary>
    private static bool DeleteMultiObservation(SqliteTransaction tx, long id) =>
        Execute(tx, "DELETE FROM sta_multi_observations WHERE id = $p0", id) > 0;

    /// <summary>Deletes the MultiDatastreams matching <paramref name="condition"/> (on <c>$p0</c>) with their Observations and ObservedProperty links.</summary>
    private static void DeleteMultiDatastreams(SqliteTransaction tx, string condition, long id)
    {
        // The ids first: a condition on the ObservedProperty links would select nothing once the links are gone.
        var selected = new List<long>();
        using (var command = Command(tx.Connection!, tx, $"SELECT id FROM sta_multi_datastreams WHERE {condition}", id))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                selected.Add(reader.GetInt64(0));
            }
        }

        foreach (var multi in selected)
        {
            Execute(tx, "DELETE FROM sta_multi_observations WHERE multi_datastream_id = $p0", multi);
            Execute(tx, "DELETE FROM sta_multi_datastream_observed_properties WHERE multi_datastream_id = $p0", multi);
            Execute(tx, "DELETE FROM sta_multi_datastreams WHERE id = $p0", multi);
        }
    }

    /// <summary>
    /// Refuses a MultiDatastream that breaks the extension's rules (<see cref="MultiDatastream.Problem"/>), and an update
    /// (<paramref name="stored"/> given) that changes how many components the results of its stored Observations have.
    /// </summary>
    private static void RequireShape<T>(SqliteTransaction tx, T entity, T? stored)
        where T : class, ISensorEntity
    {
        if (entity is not MultiDatastream multi)
        {
            return;
        }

        if (multi.Problem() is { } problem)
        {
            throw new MultiDatastreamShapeException(problem);
        }

        if (stored is MultiDatastream before && before.ObservedPropertyIds.Count != multi.ObservedPropertyIds.Count
            && Scalar(tx, "SELECT EXISTS (SELECT 1 FROM sta_multi_observations WHERE multi_datastream_id = $p0)", multi.Id) is 1L)
        {
            throw new MultiDatastreamShapeException(
                $"MultiDatastream {multi.Id} has Observations with {before.ObservedPropertyIds.Count} result values each; it cannot get {multi.ObservedPropertyIds.Count} ObservedProperties.");
        }
    }

    /// <summary>Writes a MultiDatastream's ObservedProperties in result order, replacing what it had; any other entity is left alone.</summary>
    private static void LinkObservedProperties<T>(SqliteTransaction tx, T entity)
        where T : class, ISensorEntity
    {
        if (entity is not MultiDatastream multi)
        {
            return;
        }

        Execute(tx, "DELETE FROM sta_multi_datastream_observed_properties WHERE multi_datastream_id = $p0", multi.Id);
        for (var position = 0; position < multi.ObservedPropertyIds.Count; position++)
        {
            Execute(tx, "INSERT INTO sta_multi_datastream_observed_properties (multi_datastream_id, position, observed_property_id) VALUES ($p0, $p1, $p2)",
                multi.Id, position, multi.ObservedPropertyIds[position]);
        }
    }

    /// <summary>A MultiDatastream read from its row with its ObservedProperties in result order; any other entity as it is.</summary>
    private static T WithObservedProperties<T>(SqliteConnection connection, SqliteTransaction? tx, T entity)
        where T : class, ISensorEntity
    {
        if (entity is not MultiDatastream multi)
        {
            return entity;
        }

        using var command = Command(connection, tx, "SELECT observed_property_id FROM sta_multi_datastream_observed_properties WHERE multi_datastream_id = $p0 ORDER BY position", multi.Id);
        using var reader = command.ExecuteReader();
        var ids = new List<long>();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        return (T)(ISensorEntity)(multi with { ObservedPropertyIds = ids });
    }

    private static string UnitsJson(IReadOnlyList<UnitOfMeasurement> units) =>
        JsonSerializer.Serialize(units.Select(u => new { name = u.Name, symbol = u.Symbol, definition = u.Definition }));

    private static List<UnitOfMeasurement> ParseUnits(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(u => new UnitOfMeasurement(
            u.GetProperty("name").GetString()!, u.GetProperty("symbol").GetString()!, u.GetProperty("definition").GetString()!))];
    }
}
