using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Tweeling.Domain.Audit;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Location = Tweeling.Domain.Sensors.Location;
using static Tweeling.Storage.Sqlite.SqliteCommands;

namespace Tweeling.Storage.Sqlite;

/// <summary>
/// The SensorThings entities and the observation time series, in the twin store's SQLite file.
/// Obtained from <see cref="SqliteTwinStore.Sensors"/>.
/// </summary>
/// <remarks>
/// A class of its own rather than more of <see cref="SqliteTwinStore"/>: sensors are a separate concern
/// with their own tables (<c>sta_*</c> in <see cref="Schema"/>), but they share the twin store's file,
/// connection string and pool, so one file is still the whole twin (one backup, one WAL) and the twin
/// store's lifetime is theirs. Each call opens a pooled connection of its own and is one transaction.
/// SQLite runs statements synchronously (its async methods only wrap them), so loops use the synchronous
/// methods. Appends run with <c>PRAGMA synchronous = FULL</c>: in WAL mode that syncs the WAL at every
/// commit, so a returned append survives power loss, not only a crash of the process.
/// </remarks>
public sealed partial class SqliteSensorStore : ISensorStore, IObservationStore
{
    private const long HourMs = 3_600_000;
    private const long DayMs = 86_400_000;

    private const string ObservationColumns =
        "id, datastream_id, feature_of_interest_id, phenomenon_start, phenomenon_end, result_time, result, result_json, result_quality, valid_start, valid_end, parameters";

    private readonly string _connectionString;
    private readonly GeometryFactory _crs84;
    private readonly Dictionary<Type, object> _tables;

    /// <summary>
    /// One write transaction of this store at a time, queued in the process: a second <c>BEGIN IMMEDIATE</c>
    /// would find the file locked, and Microsoft.Data.Sqlite retries a busy lock by sleeping 150 ms, which
    /// turned concurrent writers' waits of one commit (milliseconds) into tenths of seconds.
    /// </summary>
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    internal SqliteSensorStore(string connectionString, GeometryFactory crs84)
    {
        _connectionString = connectionString;
        _crs84 = crs84;
        _tables = new Dictionary<Type, object>
        {
            [typeof(Thing)] = new Table<Thing>(
                "Thing", "sta_things", ["name", "description", "properties"],
                t => [t.Name, t.Description, JsonText(t.Properties)],
                r => new Thing(r.GetInt64(0), r.GetString(1), r.GetString(2), JsonOf(r, 3)),
                (t, id) => t with { Id = id },
                _ => []),
            [typeof(Location)] = new Table<Location>(
                "Location", "sta_locations", ["name", "description", "encoding_type", "location", "properties"],
                l => [l.Name, l.Description, l.EncodingType, Wkb(l.Geometry), JsonText(l.Properties)],
                r => new Location(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), GeometryOf(r, 4)!, JsonOf(r, 5)),
                (l, id) => l with { Id = id },
                _ => []),
            [typeof(HistoricalLocation)] = new Table<HistoricalLocation>(
                "HistoricalLocation", "sta_historical_locations", ["thing_id", "time", "location_ids"],
                h => [h.ThingId, h.Time.ToUnixTimeMilliseconds(), IdList(h.LocationIds)],
                r => new HistoricalLocation(r.GetInt64(0), r.GetInt64(1), FromMs(r.GetInt64(2)), ParseIds(r.GetString(3))),
                (h, id) => h with { Id = id },
                h => [("Thing", "sta_things", h.ThingId), .. h.LocationIds.Select(l => ("Location", "sta_locations", l))]),
            [typeof(Datastream)] = new Table<Datastream>(
                "Datastream", "sta_datastreams",
                ["name", "description", "unit_name", "unit_symbol", "unit_definition", "observation_type", "thing_id", "sensor_id", "observed_property_id",
                 "observed_area", "phenomenon_start", "phenomenon_end", "result_start", "result_end", "properties"],
                d => [d.Name, d.Description, d.UnitOfMeasurement.Name, d.UnitOfMeasurement.Symbol, d.UnitOfMeasurement.Definition, d.ObservationType,
                      d.ThingId, d.SensorId, d.ObservedPropertyId, d.ObservedArea is null ? null : Wkb(d.ObservedArea),
                      d.PhenomenonTime?.Start.ToUnixTimeMilliseconds(), d.PhenomenonTime?.End?.ToUnixTimeMilliseconds(),
                      d.ResultTime?.Start.ToUnixTimeMilliseconds(), d.ResultTime?.End?.ToUnixTimeMilliseconds(), JsonText(d.Properties)],
                r => new Datastream(
                    r.GetInt64(0), r.GetString(1), r.GetString(2), new UnitOfMeasurement(r.GetString(3), r.GetString(4), r.GetString(5)), r.GetString(6),
                    r.GetInt64(7), r.GetInt64(8), r.GetInt64(9), GeometryOf(r, 10), TimeOf(r, 11, 12), TimeOf(r, 13, 14), JsonOf(r, 15)),
                (d, id) => d with { Id = id },
                d => [("Thing", "sta_things", d.ThingId), ("Sensor", "sta_sensors", d.SensorId), ("ObservedProperty", "sta_observed_properties", d.ObservedPropertyId)]),
            [typeof(MultiDatastream)] = MultiDatastreamTable(),
            [typeof(Sensor)] = new Table<Sensor>(
                "Sensor", "sta_sensors", ["name", "description", "encoding_type", "metadata", "properties"],
                s => [s.Name, s.Description, s.EncodingType, s.Metadata, JsonText(s.Properties)],
                r => new Sensor(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), JsonOf(r, 5)),
                (s, id) => s with { Id = id },
                _ => []),
            [typeof(ObservedProperty)] = new Table<ObservedProperty>(
                "ObservedProperty", "sta_observed_properties", ["name", "definition", "description", "properties"],
                p => [p.Name, p.Definition, p.Description, JsonText(p.Properties)],
                r => new ObservedProperty(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), JsonOf(r, 4)),
                (p, id) => p with { Id = id },
                _ => []),
            [typeof(FeatureOfInterest)] = new Table<FeatureOfInterest>(
                "FeatureOfInterest", "sta_features_of_interest", ["name", "description", "encoding_type", "feature", "properties"],
                f => [f.Name, f.Description, f.EncodingType, Wkb(f.Feature), JsonText(f.Properties)],
                r => new FeatureOfInterest(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), GeometryOf(r, 4)!, JsonOf(r, 5)),
                (f, id) => f with { Id = id },
                _ => []),
        };
    }

    /// <inheritdoc />
    public async Task<T> CreateAsync<T>(T entity, CancellationToken cancellationToken)
        where T : class, ISensorEntity
    {
        var table = TableOf<T>();
        return await WriteAsync(tx => Insert(tx, table, entity), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<ThingInserted> CreateThingAsync(ThingInsert insert, CancellationToken cancellationToken) => WriteAsync(tx =>
    {
        var thing = Insert(tx, TableOf<Thing>(), insert.Thing);
        var locationIds = new List<long>();
        foreach (var link in insert.Locations)
        {
            locationIds.Add(Resolve(tx, TableOf<Location>(), link));
        }

        long? historical = null;
        if (locationIds.Count > 0)
        {
            historical = LinkLocations(tx, thing.Id, locationIds, insert.Time);
        }

        var datastreamIds = new List<long>();
        foreach (var datastream in insert.Datastreams)
        {
            var linked = datastream.Datastream with
            {
                ThingId = thing.Id,
                SensorId = Resolve(tx, TableOf<Sensor>(), datastream.Sensor),
                ObservedPropertyId = Resolve(tx, TableOf<ObservedProperty>(), datastream.ObservedProperty),
            };
            datastreamIds.Add(Insert(tx, TableOf<Datastream>(), linked).Id);
        }

        return new ThingInserted(thing.Id, locationIds, datastreamIds, historical);
    }, cancellationToken);

    /// <inheritdoc />
    public async Task<T?> FindAsync<T>(long id, CancellationToken cancellationToken)
        where T : class, ISensorEntity
    {
        var table = TableOf<T>();
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        return Find(connection, null, table, id);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<T>> ListAsync<T>(long afterId, int limit, CancellationToken cancellationToken)
        where T : class, ISensorEntity
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var table = TableOf<T>();
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, null, $"SELECT id, {table.ColumnList} FROM {table.Name} WHERE id > $p0 ORDER BY id LIMIT $p1", afterId, limit);
        using var reader = command.ExecuteReader();
        var entities = new List<T>();
        while (reader.Read())
        {
            entities.Add(table.Read(reader));
        }

        return [.. entities.Select(e => WithObservedProperties(connection, null, e))];
    }

    /// <inheritdoc />
    public Task<T?> UpdateAsync<T>(long id, Func<T, T> merge, CancellationToken cancellationToken)
        where T : class, ISensorEntity
    {
        var table = TableOf<T>();
        return WriteAsync(tx => Update(tx, table, id, merge), cancellationToken);
    }

    private static T? Update<T>(SqliteTransaction tx, Table<T> table, long id, Func<T, T> merge)
        where T : class, ISensorEntity
    {
        if (Find(tx.Connection!, tx, table, id) is not { } stored)
        {
            return null;
        }

        var merged = merge(stored);
        if (merged.Id != id)
        {
            throw new ArgumentException($"An update may not change a {table.Entity}'s id ({id} to {merged.Id}).", nameof(merge));
        }

        RequireLinks(tx, table, merged);
        RequireShape(tx, merged, stored);
        var values = table.Values(merged);
        var assignments = string.Join(", ", table.Columns.Select((c, i) => $"{c} = $p{i}"));
        Execute(tx, $"UPDATE {table.Name} SET {assignments} WHERE id = $p{values.Length}", [.. values, id]);
        LinkObservedProperties(tx, merged);
        return merged;
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync<T>(long id, CancellationToken cancellationToken)
        where T : class, ISensorEntity
    {
        var table = TableOf<T>();
        return WriteAsync(tx => Delete(tx, table, id), cancellationToken);
    }

    private static bool Delete<T>(SqliteTransaction tx, Table<T> table, long id)
        where T : class, ISensorEntity
    {
        if (!Exists(tx, table.Name, id))
        {
            return false;
        }

        switch (table.Entity)
        {
            case "Thing":
                DeleteDatastreams(tx, "thing_id = $p0", id);
                DeleteMultiDatastreams(tx, "thing_id = $p0", id);
                Execute(tx, "DELETE FROM sta_historical_locations WHERE thing_id = $p0", id);
                Execute(tx, "DELETE FROM sta_thing_locations WHERE thing_id = $p0", id);
                break;
            case "Location":
                Execute(tx, "DELETE FROM sta_historical_locations WHERE EXISTS (SELECT 1 FROM json_each(location_ids) WHERE value = $p0)", id);
                Execute(tx, "DELETE FROM sta_thing_locations WHERE location_id = $p0", id);
                break;
            case "Datastream":
                DeleteDatastreams(tx, "id = $p0", id);
                break;
            case "MultiDatastream":
                DeleteMultiDatastreams(tx, "id = $p0", id);
                break;
            case "Sensor":
                DeleteDatastreams(tx, "sensor_id = $p0", id);
                DeleteMultiDatastreams(tx, "sensor_id = $p0", id);
                break;
            case "ObservedProperty":
                DeleteDatastreams(tx, "observed_property_id = $p0", id);
                DeleteMultiDatastreams(tx, "id IN (SELECT multi_datastream_id FROM sta_multi_datastream_observed_properties WHERE observed_property_id = $p0)", id);
                break;
            case "FeatureOfInterest":
                DeleteObservations(tx, "feature_of_interest_id = $p0", id);
                Execute(tx, "DELETE FROM sta_multi_observations WHERE feature_of_interest_id = $p0", id);
                break;
            default:
                break;
        }

        Execute(tx, $"DELETE FROM {table.Name} WHERE id = $p0", id);
        return true;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<long>> ThingLocationsAsync(long thingId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        return LocationsOf(connection, null, thingId);
    }

    /// <inheritdoc />
    public Task SetThingLocationsAsync(long thingId, IReadOnlyCollection<long> locationIds, DateTimeOffset time, CancellationToken cancellationToken) =>
        WriteAsync(tx => SetThingLocations(tx, thingId, locationIds, time), cancellationToken);

    /// <summary>Sets the Thing's Locations in <paramref name="tx"/>; returns whether they changed.</summary>
    private bool SetThingLocations(SqliteTransaction tx, long thingId, IReadOnlyCollection<long> locationIds, DateTimeOffset time)
    {
        Require(tx, "Thing", "sta_things", thingId);
        var wanted = locationIds.Distinct().Order().ToList();
        foreach (var location in wanted)
        {
            Require(tx, "Location", "sta_locations", location);
        }

        if (LocationsOf(tx.Connection!, tx, thingId).SequenceEqual(wanted))
        {
            return false;
        }

        Execute(tx, "DELETE FROM sta_thing_locations WHERE thing_id = $p0", thingId);
        if (wanted.Count > 0)
        {
            LinkLocations(tx, thingId, wanted, time);
        }

        return true;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewObservation> observations, CancellationToken cancellationToken) =>
        AppendAsync(observations, [], cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// One prepared insert for the whole batch; the latest observation, the rollups and the Datastreams'
    /// phenomenon and result time spans are accumulated in memory and written once per Datastream and
    /// bucket (UPSERT), and the audit records chained with one prepared insert (<see cref="SqliteAuditLog.Append(SqliteTransaction, IReadOnlyList{AuditEntry})"/>), before the
    /// commit, which syncs the WAL (<c>synchronous = FULL</c>).
    /// </remarks>
    public async Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewObservation> observations, IReadOnlyList<AuditEntry> audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        if (observations.Count == 0)
        {
            return [];
        }

        var phase = ObservationWriteMetrics.Now();
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
            Execute(connection, null, "PRAGMA synchronous = FULL");
            using var tx = connection.BeginTransaction();
            phase = ObservationWriteMetrics.Lap("wait", phase);
            var ids = Append(tx, observations, null, cancellationToken);
            phase = ObservationWriteMetrics.Now();
            SqliteAuditLog.Append(tx, audit);
            phase = ObservationWriteMetrics.Lap("audit", phase);
            tx.Commit();
            ObservationWriteMetrics.Lap("commit", phase);
            return ids;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// Appends <paramref name="observations"/> in <paramref name="tx"/> with new ids from the counter, or — when
    /// <paramref name="replacing"/> is given — one observation under that existing id (an update, after the
    /// old one was deleted). Returns the ids, in order.
    /// </summary>
    private static long[] Append(SqliteTransaction tx, IReadOnlyList<NewObservation> observations, long? replacing, CancellationToken cancellationToken)
    {
        var connection = tx.Connection!;
        var phase = ObservationWriteMetrics.Now();
        RequireAll(connection, observations);

        long last;
        using (var counter = new RawStatement(connection, "SELECT last FROM sta_counters WHERE name = 'observation'"))
        {
            last = counter.ScalarInt64() ?? 0;
        }

        var ids = new long[observations.Count];
        var latest = new Dictionary<long, (long Start, long Id, int Index)>();
        var spans = new Dictionary<long, Span>();
        var rollups = new Dictionary<(long Datastream, int Granularity, long Bucket), Accumulator>();
        using (var insert = new RawStatement(connection, $"INSERT INTO sta_observations ({ObservationColumns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"))
        {
            for (var i = 0; i < observations.Count; i++)
            {
                if ((i & 1023) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var o = observations[i];
                var id = replacing ?? ++last;
                ids[i] = id;
                var start = o.PhenomenonTime.Start.ToUnixTimeMilliseconds();
                BindObservation(insert, id, o, start);
                insert.Run();

                if (!latest.TryGetValue(o.DatastreamId, out var current) || start >= current.Start)
                {
                    latest[o.DatastreamId] = (start, id, i);
                }

                var end = o.PhenomenonTime.End?.ToUnixTimeMilliseconds() ?? start;
                long? resultTime = o.ResultTime?.ToUnixTimeMilliseconds();
                if (spans.TryGetValue(o.DatastreamId, out var span))
                {
                    span.Add(start, end, resultTime);
                }
                else
                {
                    spans[o.DatastreamId] = new Span(start, end, resultTime);
                }

                if (o.Result is { } value)
                {
                    Accumulate(rollups, (o.DatastreamId, (int)RollupGranularity.Hour, Floor(start, HourMs)), value);
                    Accumulate(rollups, (o.DatastreamId, (int)RollupGranularity.Day, Floor(start, DayMs)), value);
                }
            }
        }

        using (var counter = new RawStatement(connection, "INSERT INTO sta_counters (name, last) VALUES ('observation', ?1) ON CONFLICT (name) DO UPDATE SET last = excluded.last"))
        {
            counter.Bind(1, last);
            counter.Run();
        }

        phase = ObservationWriteMetrics.Lap("rows", phase);

        using (var upsert = new RawStatement(connection, $"""
            INSERT INTO sta_latest ({ObservationColumns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
            ON CONFLICT (datastream_id) DO UPDATE SET
                id = excluded.id, feature_of_interest_id = excluded.feature_of_interest_id, phenomenon_start = excluded.phenomenon_start,
                phenomenon_end = excluded.phenomenon_end, result_time = excluded.result_time, result = excluded.result,
                result_json = excluded.result_json, result_quality = excluded.result_quality, valid_start = excluded.valid_start,
                valid_end = excluded.valid_end, parameters = excluded.parameters
            WHERE excluded.phenomenon_start > sta_latest.phenomenon_start
               OR (excluded.phenomenon_start = sta_latest.phenomenon_start AND excluded.id > sta_latest.id)
            """))
        {
            foreach (var (_, candidate) in latest)
            {
                BindObservation(upsert, candidate.Id, observations[candidate.Index], candidate.Start);
                upsert.Run();
            }
        }

        using (var upsert = new RawStatement(connection, """
            INSERT INTO sta_rollups (datastream_id, granularity, bucket_start, count, sum, min, max) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            ON CONFLICT (datastream_id, granularity, bucket_start) DO UPDATE SET
                count = count + excluded.count, sum = sum + excluded.sum, min = min(min, excluded.min), max = max(max, excluded.max)
            """))
        {
            foreach (var (key, bucket) in rollups)
            {
                upsert.Bind(1, key.Datastream);
                upsert.Bind(2, key.Granularity);
                upsert.Bind(3, key.Bucket);
                upsert.Bind(4, bucket.Count);
                upsert.Bind(5, bucket.Sum);
                upsert.Bind(6, bucket.Min);
                upsert.Bind(7, bucket.Max);
                upsert.Run();
            }
        }

        using (var widen = new RawStatement(connection, WidenTimes("sta_datastreams")))
        {
            foreach (var (datastream, span) in spans)
            {
                widen.Bind(1, datastream);
                widen.Bind(2, span.Start);
                widen.Bind(3, span.End);
                widen.Bind(4, span.ResultStart);
                widen.Bind(5, span.ResultEnd);
                widen.Run();
            }
        }

        RecordChanges(connection, spans.Select(s => ((long?)s.Key, s.Value.Start)));
        ObservationWriteMetrics.Lap("aggregates", phase);
        return ids;
    }

    /// <summary>
    /// The UPDATE that widens the phenomenon time of row ?1 of <paramref name="table"/> (a Datastream or MultiDatastream) to
    /// take in ?2–?3, and its result time ?4–?5 (a null result time leaves it).
    /// </summary>
    private static string WidenTimes(string table) => $"""
        UPDATE {table} SET
            phenomenon_start = min(coalesce(phenomenon_start, ?2), ?2), phenomenon_end = max(coalesce(phenomenon_end, ?3), ?3),
            result_start = coalesce(min(coalesce(result_start, ?4), ?4), result_start),
            result_end = coalesce(max(coalesce(result_end, ?5), ?5), result_end)
        WHERE id = ?1
        """;

    /// <summary>
    /// Throws <see cref="SensorLinkException"/> for the first Datastream or FeatureOfInterest that
    /// <paramref name="observations"/> name and that does not exist; one prepared lookup per table.
    /// </summary>
    private static void RequireAll(SqliteConnection connection, IReadOnlyList<NewObservation> observations)
    {
        var datastreams = new HashSet<long>();
        var features = new HashSet<long>();
        foreach (var observation in observations)
        {
            datastreams.Add(observation.DatastreamId);
            if (observation.FeatureOfInterestId is { } feature)
            {
                features.Add(feature);
            }
        }

        RequireAll(connection, "Datastream", "sta_datastreams", datastreams);
        RequireAll(connection, "FeatureOfInterest", "sta_features_of_interest", features);
    }

    private static void RequireAll(SqliteConnection connection, string entityType, string table, HashSet<long> ids)
    {
        if (ids.Count == 0)
        {
            return;
        }

        using var exists = new RawStatement(connection, $"SELECT 1 FROM {table} WHERE id = ?1");
        foreach (var id in ids)
        {
            exists.Bind(1, id);
            if (exists.ScalarInt64() is null)
            {
                throw new SensorLinkException(entityType, id);
            }
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Observation>> LatestAsync(IReadOnlyCollection<long> datastreamIds, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        return ReadObservations(Command(
            connection, null,
            $"SELECT {ObservationColumns} FROM sta_latest WHERE datastream_id IN (SELECT value FROM json_each($p0)) ORDER BY datastream_id",
            IdList(datastreamIds)));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RollupBucket>> RollupAsync(long datastreamId, RollupGranularity granularity, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        using var command = Command(
            connection, null,
            "SELECT bucket_start, count, sum, min, max FROM sta_rollups WHERE datastream_id = $p0 AND granularity = $p1 AND bucket_start >= $p2 AND bucket_start < $p3 ORDER BY bucket_start",
            datastreamId, (int)granularity, from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds());
        using var reader = command.ExecuteReader();
        var buckets = new List<RollupBucket>();
        while (reader.Read())
        {
            buckets.Add(Bucket(reader, 0));
        }

        return buckets;
    }

    /// <summary>The bucket in the columns bucket_start, count, sum, min, max from <paramref name="first"/> on.</summary>
    private static RollupBucket Bucket(SqliteDataReader reader, int first)
    {
        var count = reader.GetInt64(first + 1);
        return new RollupBucket(FromMs(reader.GetInt64(first)), count, reader.GetDouble(first + 3), reader.GetDouble(first + 4), reader.GetDouble(first + 2) / count);
    }

    /// <inheritdoc />
    /// <remarks>
    /// One statement for all Datastreams: each is a range of the rollups' primary key (datastream, granularity,
    /// bucket start), read in key order, so a month of hours for 50 Datastreams is one pass over 36,000 adjacent rows,
    /// read from the native statement's columns (no data reader per row).
    /// </remarks>
    public async Task<IReadOnlyDictionary<long, IReadOnlyList<RollupBucket>>> RollupsAsync(
        IReadOnlyCollection<long> datastreamIds, RollupGranularity granularity, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        using var select = new RawStatement(connection, """
            SELECT datastream_id, bucket_start, count, sum, min, max FROM sta_rollups
            WHERE datastream_id IN (SELECT value FROM json_each(?1)) AND granularity = ?2 AND bucket_start >= ?3 AND bucket_start < ?4
            ORDER BY datastream_id, bucket_start
            """);
        select.Bind(1, IdList(datastreamIds));
        select.Bind(2, (long)granularity);
        select.Bind(3, from.ToUnixTimeMilliseconds());
        select.Bind(4, to.ToUnixTimeMilliseconds());
        var rollups = new Dictionary<long, IReadOnlyList<RollupBucket>>();
        List<RollupBucket>? buckets = null;
        var current = long.MinValue;
        while (select.Next())
        {
            var datastreamId = select.Int64(0);
            if (buckets is null || datastreamId != current)
            {
                (current, buckets) = (datastreamId, []);
                rollups[datastreamId] = buckets;
            }

            var count = select.Int64(2);
            buckets.Add(new RollupBucket(FromMs(select.Int64(1)), count, select.Double(4), select.Double(5), select.Double(3) / count));
        }

        return rollups;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Observation>> ObservationsAsync(long datastreamId, DateTimeOffset? from, DateTimeOffset? to, int limit, int offset, TimeOrder order, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var direction = order == TimeOrder.NewestFirst ? "DESC" : "ASC";
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        return ReadObservations(Command(
            connection, null,
            $"""
            SELECT {ObservationColumns} FROM sta_observations
            WHERE datastream_id = $p0 AND phenomenon_start >= $p1 AND phenomenon_start < $p2
            ORDER BY phenomenon_start {direction}, id {direction} LIMIT $p3 OFFSET $p4
            """,
            datastreamId, from?.ToUnixTimeMilliseconds() ?? long.MinValue, to?.ToUnixTimeMilliseconds() ?? long.MaxValue, limit, offset));
    }

    /// <inheritdoc />
    public async Task<Observation?> FindObservationAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        var found = ReadObservations(Command(connection, null, $"SELECT {ObservationColumns} FROM sta_observations WHERE id = $p0", id));
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc />
    public Task<bool> DeleteObservationAsync(long id, CancellationToken cancellationToken) =>
        WriteAsync(tx => DeleteObservations(tx, "id = $p0", id) > 0, cancellationToken, onlyObservations: true);

    /// <inheritdoc />
    /// <remarks>Deletes per Datastream, so each delete is a range of the observations' primary key.</remarks>
    public Task<long> PruneAsync(DateTimeOffset olderThan, CancellationToken cancellationToken) => WriteAsync(tx =>
    {
        var datastreams = new List<long>();
        using (var list = Command(tx.Connection!, tx, "SELECT DISTINCT datastream_id FROM sta_rollups UNION SELECT datastream_id FROM sta_latest"))
        using (var reader = list.ExecuteReader())
        {
            while (reader.Read())
            {
                datastreams.Add(reader.GetInt64(0));
            }
        }

        long deleted = 0;
        using var delete = Command(tx.Connection!, tx, "DELETE FROM sta_observations WHERE datastream_id = $p0 AND phenomenon_start < $p1", 0L, olderThan.ToUnixTimeMilliseconds());
        foreach (var datastream in datastreams)
        {
            delete.Parameters[0].Value = datastream;
            deleted += delete.ExecuteNonQuery();
        }

        return deleted;
    }, cancellationToken);

    /// <summary>Binds <paramref name="o"/> under <paramref name="id"/> to ?1–?12 in the order of <see cref="ObservationColumns"/>.</summary>
    private static void BindObservation(RawStatement statement, long id, NewObservation o, long start)
    {
        statement.Bind(1, id);
        statement.Bind(2, o.DatastreamId);
        statement.Bind(3, o.FeatureOfInterestId);
        statement.Bind(4, start);
        statement.Bind(5, o.PhenomenonTime.End?.ToUnixTimeMilliseconds());
        statement.Bind(6, o.ResultTime?.ToUnixTimeMilliseconds());
        statement.Bind(7, o.Result);
        statement.Bind(8, JsonText(o.ResultJson));
        statement.Bind(9, JsonText(o.ResultQuality));
        statement.Bind(10, o.ValidTime?.Start.ToUnixTimeMilliseconds());
        statement.Bind(11, o.ValidTime?.End?.ToUnixTimeMilliseconds());
        statement.Bind(12, JsonText(o.Parameters));
    }

    private static List<Observation> ReadObservations(SqliteCommand command)
    {
        using (command)
        using (var reader = command.ExecuteReader())
        {
            var observations = new List<Observation>();
            while (reader.Read())
            {
                observations.Add(ReadObservation(reader));
            }

            return observations;
        }
    }

    /// <summary>One observation from a row of <see cref="ObservationColumns"/>.</summary>
    private static Observation ReadObservation(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetInt64(1),
        reader.IsDBNull(2) ? null : reader.GetInt64(2),
        TimeOf(reader, 3, 4)!.Value,
        reader.IsDBNull(5) ? null : FromMs(reader.GetInt64(5)),
        reader.IsDBNull(6) ? null : reader.GetDouble(6),
        JsonOf(reader, 7),
        JsonOf(reader, 8),
        TimeOf(reader, 9, 10),
        JsonOf(reader, 11));

    private static void Accumulate(Dictionary<(long, int, long), Accumulator> rollups, (long, int, long) key, double value)
    {
        if (rollups.TryGetValue(key, out var bucket))
        {
            bucket.Add(value);
        }
        else
        {
            rollups[key] = new Accumulator(value);
        }
    }

    /// <summary>The start of the UTC bucket of <paramref name="size"/> ms that holds <paramref name="ms"/> (also before 1970).</summary>
    private static long Floor(long ms, long size) => ms - (((ms % size) + size) % size);

    /// <summary>Deletes the Datastreams matching <paramref name="condition"/> (on <c>$p0</c>) with their observations, latest and rollups.</summary>
    private static void DeleteDatastreams(SqliteTransaction tx, string condition, long id)
    {
        var selected = $"(SELECT id FROM sta_datastreams WHERE {condition})";
        Execute(tx, $"DELETE FROM sta_observations WHERE datastream_id IN {selected}", id);
        Execute(tx, $"DELETE FROM sta_latest WHERE datastream_id IN {selected}", id);
        Execute(tx, $"DELETE FROM sta_rollups WHERE datastream_id IN {selected}", id);
        Execute(tx, $"DELETE FROM sta_datastreams WHERE {condition}", id);
    }

    /// <summary>
    /// Deletes the observations matching <paramref name="condition"/> (on <c>$p0</c>; a FeatureOfInterest's
    /// is a scan, since observations are not indexed by feature) and recomputes what they were part of:
    /// each affected hour from the raw observations left in it, each affected day from its hours, and the
    /// latest of a Datastream whose latest was deleted. An hour whose raw observations were already partly
    /// pruned keeps only what is left of them.
    /// </summary>
    private static int DeleteObservations(SqliteTransaction tx, string condition, long key)
    {
        Execute(tx, "CREATE TEMP TABLE IF NOT EXISTS sta_affected (datastream_id INTEGER, hour INTEGER, PRIMARY KEY (datastream_id, hour)) WITHOUT ROWID");
        Execute(tx, "DELETE FROM temp.sta_affected");
        Execute(tx, $"INSERT OR IGNORE INTO temp.sta_affected SELECT datastream_id, phenomenon_start - (((phenomenon_start % {HourMs}) + {HourMs}) % {HourMs}) FROM sta_observations WHERE {condition}", key);
        var deleted = Execute(tx, $"DELETE FROM sta_observations WHERE {condition}", key);
        Execute(tx, "INSERT INTO sta_changes (datastream_id, earliest) SELECT datastream_id, min(hour) FROM temp.sta_affected GROUP BY datastream_id");
        Execute(tx, "DELETE FROM sta_rollups WHERE granularity = 0 AND (datastream_id, bucket_start) IN (SELECT datastream_id, hour FROM temp.sta_affected)");
        Execute(tx, $"""
            INSERT INTO sta_rollups (datastream_id, granularity, bucket_start, count, sum, min, max)
            SELECT a.datastream_id, 0, a.hour, count(o.result), sum(o.result), min(o.result), max(o.result)
            FROM temp.sta_affected a JOIN sta_observations o
              ON o.datastream_id = a.datastream_id AND o.phenomenon_start >= a.hour AND o.phenomenon_start < a.hour + {HourMs}
            WHERE o.result IS NOT NULL GROUP BY a.datastream_id, a.hour
            """);
        var day = $"(hour - (((hour % {DayMs}) + {DayMs}) % {DayMs}))";
        Execute(tx, $"DELETE FROM sta_rollups WHERE granularity = 1 AND (datastream_id, bucket_start) IN (SELECT datastream_id, {day} FROM temp.sta_affected)");
        Execute(tx, $"""
            INSERT INTO sta_rollups (datastream_id, granularity, bucket_start, count, sum, min, max)
            SELECT r.datastream_id, 1, r.bucket_start - (((r.bucket_start % {DayMs}) + {DayMs}) % {DayMs}) AS d, sum(r.count), sum(r.sum), min(r.min), max(r.max)
            FROM sta_rollups r
            WHERE r.granularity = 0 AND (r.datastream_id, r.bucket_start - (((r.bucket_start % {DayMs}) + {DayMs}) % {DayMs})) IN (SELECT datastream_id, {day} FROM temp.sta_affected)
            GROUP BY r.datastream_id, d
            """);
        Execute(tx, $"DELETE FROM sta_latest WHERE {condition}", key);
        Execute(tx, $"""
            INSERT INTO sta_latest ({ObservationColumns})
            SELECT {ObservationColumns} FROM sta_observations o
            WHERE o.datastream_id IN (SELECT datastream_id FROM temp.sta_affected)
              AND o.datastream_id NOT IN (SELECT datastream_id FROM sta_latest)
              AND o.id = (SELECT p.id FROM sta_observations p WHERE p.datastream_id = o.datastream_id ORDER BY p.phenomenon_start DESC, p.id DESC LIMIT 1)
            """);
        return deleted;
    }

    /// <summary>How many rows of <c>sta_changes</c> are kept: a reader further behind than this treats everything as changed.</summary>
    private const long KeptChanges = 4096;

    /// <summary>
    /// Notes in the write's transaction which Datastreams it changed and the earliest phenomenonTime start it touched
    /// (<c>sta_changes</c>, read by <see cref="SqliteCommitCounter.SensorChangesSince"/>), so that answers about other
    /// Datastreams, or about a time window that ends before it, stay valid across the commit. A Datastream of
    /// <c>null</c> means every one (an entity write: a Thing's properties decide what a caller may see, a deleted
    /// Datastream takes its Observations). Older rows are let go so that the log stays a few pages long.
    /// </summary>
    private static void RecordChanges(SqliteConnection connection, IEnumerable<(long? Datastream, long Earliest)> changes)
    {
        using (var record = new RawStatement(connection, "INSERT INTO sta_changes (datastream_id, earliest) VALUES (?1, ?2)"))
        {
            foreach (var (datastream, earliest) in changes)
            {
                record.Bind(1, datastream);
                record.Bind(2, earliest);
                record.Run();
            }
        }

        using var forget = new RawStatement(connection, $"DELETE FROM sta_changes WHERE seq <= (SELECT max(seq) FROM sta_changes) - {KeptChanges}");
        forget.Run();
    }

    private T Insert<T>(SqliteTransaction tx, Table<T> table, T entity)
        where T : class, ISensorEntity
    {
        RequireLinks(tx, table, entity);
        RequireShape(tx, entity, null);
        var values = table.Values(entity);
        var id = (long)Scalar(tx, $"INSERT INTO {table.Name} ({table.ColumnList}) VALUES ({string.Join(", ", values.Select((_, i) => $"$p{i}"))}) RETURNING id", values)!;
        var created = table.WithId(entity, id);
        LinkObservedProperties(tx, created);
        return created;
    }

    private long Resolve<T>(SqliteTransaction tx, Table<T> table, Link<T> link)
        where T : class, ISensorEntity
    {
        if (link.ExistingId is { } existing)
        {
            Require(tx, table.Entity, table.Name, existing);
            return existing;
        }

        return Insert(tx, table, link.New ?? throw new ArgumentException($"A link to a {table.Entity} names neither an id nor a new entity.", nameof(link))).Id;
    }

    private long LinkLocations(SqliteTransaction tx, long thingId, IReadOnlyCollection<long> locationIds, DateTimeOffset time)
    {
        foreach (var location in locationIds)
        {
            Execute(tx, "INSERT OR IGNORE INTO sta_thing_locations (thing_id, location_id) VALUES ($p0, $p1)", thingId, location);
        }

        return Insert(tx, TableOf<HistoricalLocation>(), new HistoricalLocation(0, thingId, time, [.. locationIds.Distinct().Order()])).Id;
    }

    private static List<long> LocationsOf(SqliteConnection connection, SqliteTransaction? tx, long thingId)
    {
        using var command = Command(connection, tx, "SELECT location_id FROM sta_thing_locations WHERE thing_id = $p0 ORDER BY location_id", thingId);
        using var reader = command.ExecuteReader();
        var ids = new List<long>();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    private static void RequireLinks<T>(SqliteTransaction tx, Table<T> table, T entity)
        where T : class, ISensorEntity
    {
        foreach (var (entityType, name, id) in table.Links(entity))
        {
            Require(tx, entityType, name, id);
        }
    }

    private static void Require(SqliteTransaction tx, string entityType, string table, long id)
    {
        if (!Exists(tx, table, id))
        {
            throw new SensorLinkException(entityType, id);
        }
    }

    private static bool Exists(SqliteTransaction tx, string table, long id) =>
        Scalar(tx, $"SELECT EXISTS (SELECT 1 FROM {table} WHERE id = $p0)", id) is 1L;

    private static T? Find<T>(SqliteConnection connection, SqliteTransaction? tx, Table<T> table, long id)
        where T : class, ISensorEntity
    {
        T? found;
        using (var command = Command(connection, tx, $"SELECT id, {table.ColumnList} FROM {table.Name} WHERE id = $p0", id))
        using (var reader = command.ExecuteReader())
        {
            found = reader.Read() ? table.Read(reader) : null;
        }

        return found is null ? null : WithObservedProperties(connection, tx, found);
    }

    private Table<T> TableOf<T>()
        where T : class, ISensorEntity =>
        _tables.TryGetValue(typeof(T), out var table)
            ? (Table<T>)table
            : throw new ArgumentException($"{typeof(T).Name} is not stored by the sensor store{(typeof(T) == typeof(Observation) ? "; observations go through IObservationStore" : "")}.", nameof(T));

    /// <summary>
    /// Runs <paramref name="write"/> in one transaction; unless it says it wrote only Observations (<paramref name="onlyObservations"/>:
    /// they note their own Datastreams), notes in <c>sta_changes</c> that anything may have changed.
    /// </summary>
    private async Task<TResult> WriteAsync<TResult>(Func<SqliteTransaction, TResult> write, CancellationToken cancellationToken, bool onlyObservations = false)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
            using var tx = connection.BeginTransaction();
            var result = write(tx);
            if (!onlyObservations)
            {
                RecordChanges(connection, [(null, long.MinValue)]);
            }

            tx.Commit();
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private static int Execute(SqliteTransaction tx, string sql, params object?[] args) => Execute(tx.Connection!, tx, sql, args);

    private static int Execute(SqliteConnection connection, SqliteTransaction? tx, string sql, params object?[] args)
    {
        using var command = Command(connection, tx, sql, args);
        return command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteTransaction tx, string sql, params object?[] args)
    {
        using var command = Command(tx.Connection!, tx, sql, args);
        return command.ExecuteScalar();
    }

    private static string? JsonText(JsonElement? value) => value?.GetRawText();

    private static JsonElement? JsonOf(SqliteDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal))
        {
            return null;
        }

        using var document = JsonDocument.Parse(reader.GetString(ordinal));
        return document.RootElement.Clone();
    }

    private static byte[] Wkb(Geometry geometry) => new WKBWriter().Write(geometry);

    private Geometry? GeometryOf(SqliteDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal))
        {
            return null;
        }

        var geometry = new WKBReader(_crs84.GeometryServices).Read((byte[])reader.GetValue(ordinal));
        geometry.SRID = Crs.Crs84Srid;
        return geometry;
    }

    private static SensorTime? TimeOf(SqliteDataReader reader, int start, int end) =>
        reader.IsDBNull(start) ? null : new SensorTime(FromMs(reader.GetInt64(start)), reader.IsDBNull(end) ? null : FromMs(reader.GetInt64(end)));

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static string IdList(IEnumerable<long> ids) => "[" + string.Join(",", ids.Select(id => id.ToString(CultureInfo.InvariantCulture))) + "]";

    private static List<long> ParseIds(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(e => e.GetInt64())];
    }

    /// <summary>How one entity type maps to its table: columns after <c>id</c>, in order.</summary>
    private sealed class Table<T>(
        string entity,
        string name,
        string[] columns,
        Func<T, object?[]> values,
        Func<SqliteDataReader, T> read,
        Func<T, long, T> withId,
        Func<T, (string Entity, string Table, long Id)[]> links)
        where T : class, ISensorEntity
    {
        public string Entity { get; } = entity;

        public string Name { get; } = name;

        public IReadOnlyList<string> Columns { get; } = columns;

        public string ColumnList { get; } = string.Join(", ", columns);

        public Func<T, object?[]> Values { get; } = values;

        public Func<SqliteDataReader, T> Read { get; } = read;

        public Func<T, long, T> WithId { get; } = withId;

        public Func<T, (string Entity, string Table, long Id)[]> Links { get; } = links;
    }

    /// <summary>The phenomenon and result times one batch spans for one Datastream (Unix ms).</summary>
    private sealed class Span(long start, long end, long? resultTime)
    {
        public long Start { get; private set; } = start;

        public long End { get; private set; } = end;

        public long? ResultStart { get; private set; } = resultTime;

        public long? ResultEnd { get; private set; } = resultTime;

        public void Add(long start, long end, long? resultTime)
        {
            Start = Math.Min(Start, start);
            End = Math.Max(End, end);
            if (resultTime is { } r)
            {
                ResultStart = Math.Min(ResultStart ?? r, r);
                ResultEnd = Math.Max(ResultEnd ?? r, r);
            }
        }
    }

    /// <summary>Count, sum, minimum and maximum of the numeric results of one bucket in one batch.</summary>
    private sealed class Accumulator(double first)
    {
        public long Count { get; private set; } = 1;

        public double Sum { get; private set; } = first;

        public double Min { get; private set; } = first;

        public double Max { get; private set; } = first;

        public void Add(double value)
        {
            Count++;
            Sum += value;
            Min = Math.Min(Min, value);
            Max = Math.Max(Max, value);
        }
    }
}
