using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Data.Sqlite;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Tweeling.Domain.Catalog;
using Tweeling.Domain.Features;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Indicators;
using Tweeling.Domain.Ports;

namespace Tweeling.Storage.Sqlite;

/// <summary>
/// The embedded twin store: one SQLite file in WAL mode, so readers never wait for an import and one
/// command starts a complete twin with no server to install.
/// </summary>
/// <remarks>
/// Every read opens a pooled connection of its own, so the store is safe to share between requests.
/// Writes go through <see cref="BeginAsync"/>: SQLite allows one writer at a time, and a second
/// write transaction waits (up to the command timeout) for the first to finish.
/// </remarks>
public sealed class SqliteTwinStore : IFeatureStore, ICatalog, IIndicatorStore, ITwinWriter, IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly GeometryFactory _factory;

    /// <summary>Per collection, its ended versions at one revision (<see cref="EndedVersionsAsync"/>).</summary>
    private readonly ConcurrentDictionary<string, (long Revision, IReadOnlyDictionary<long, long> Ended)> _endedVersions = new(StringComparer.Ordinal);

    private SqliteTwinStore(string connectionString, GeometryFactory factory)
    {
        _connectionString = connectionString;
        _factory = factory;
        Sensors = new SqliteSensorStore(connectionString, factory.GeometryServices.CreateGeometryFactory(Crs.Crs84Srid));
        Alerts = new SqliteAlertStore(connectionString);
        Reviews = new SqliteReviewStore(connectionString);
        Scenarios = new SqliteScenarioStore(connectionString, new CrsTransformer(factory.GeometryServices));
        Identity = new SqliteIdentityStore(connectionString);
        Audit = new SqliteAuditLog(connectionString);
        MqttSessions = new SqliteMqttSessionStore(connectionString);
    }

    /// <summary>The embedded MQTT broker's persistent sessions, in this store's file; see <see cref="SqliteMqttSessionStore"/>.</summary>
    public SqliteMqttSessionStore MqttSessions { get; }

    /// <summary>The hash-chained audit log, in this store's file; see <see cref="SqliteAuditLog"/>.</summary>
    public SqliteAuditLog Audit { get; }

    /// <summary>Reviews and algorithm switches, in this store's file; see <see cref="SqliteReviewStore"/>.</summary>
    public SqliteReviewStore Reviews { get; }

    /// <summary>Scenarios and their immutable versions, in this store's file; see <see cref="SqliteScenarioStore"/>.</summary>
    public SqliteScenarioStore Scenarios { get; }

    /// <summary>Local accounts and API tokens, in this store's file; see <see cref="SqliteIdentityStore"/>.</summary>
    public SqliteIdentityStore Identity { get; }

    /// <summary>Thresholds on Datastreams and the alert history, in this store's file; see <see cref="SqliteAlertStore"/>.</summary>
    public SqliteAlertStore Alerts { get; }

    /// <summary>The SensorThings entities and observation time series, in this store's file; see <see cref="SqliteSensorStore"/>.</summary>
    public SqliteSensorStore Sensors { get; }

    /// <summary>The store file's full path.</summary>
    public string Path { get; private init; } = string.Empty;

    /// <summary>A counter of the commits to this store's file, on a connection of its own; dispose it when done.</summary>
    public SqliteCommitCounter OpenCommitCounter() => new(_connectionString);

    /// <summary>
    /// Opens the store at <paramref name="path"/>, creating the file and its schema on first use.
    /// Fails with <see cref="StoreUnavailableException"/> when the file cannot be created or written.
    /// </summary>
    public static async Task<SqliteTwinStore> OpenAsync(string path, NtsGeometryServices geometryServices, CancellationToken cancellationToken)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        var store = new SqliteTwinStore(connectionString, geometryServices.CreateGeometryFactory(Crs.RdNewSrid)) { Path = fullPath };
        try
        {
            var directory = System.IO.Path.GetDirectoryName(fullPath);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, "PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, Schema.Create, cancellationToken).ConfigureAwait(false);
            await using var version = connection.CreateCommand();
            version.CommandText = "SELECT version FROM schema_info";
            if (await version.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long stored)
            {
                if (stored != Schema.Version)
                {
                    throw new StoreUnavailableException(fullPath, $"it has schema version {stored}; this build reads version {Schema.Version}");
                }
            }
            else
            {
                version.CommandText = $"INSERT INTO schema_info (version) VALUES ({Schema.Version})";
                await version.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            SqliteConnection.ClearAllPools();
            throw new StoreUnavailableException(fullPath, e.Message, e);
        }

        return store;
    }

    /// <inheritdoc />
    public async Task<FeaturePage> QueryAsync(FeatureQuery query, CancellationToken cancellationToken)
    {
        var versions = await QueryVersionsAsync(query, cancellationToken).ConfigureAwait(false);
        var loaded = await LoadVersionsAsync(versions.VersionIds, cancellationToken).ConfigureAwait(false);
        return new FeaturePage([.. loaded.Select(v => v.Feature)], versions.NumberMatched);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Lists the ids of every match in order — from the collection's R*Tree alone when there is a bbox
    /// and no property filter — which also gives <see cref="FeatureVersionPage.NumberMatched"/>. Geometry
    /// and properties are not read. Statistics and ids come from one read transaction (one WAL snapshot).
    /// </remarks>
    public async Task<FeatureVersionPage> QueryVersionsAsync(FeatureQuery query, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Offset);
        var bboxTable = Schema.BboxTable(query.Collection);
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var snapshot = connection.BeginTransaction(deferred: true);
        if (await ReadStatsAsync(snapshot, query.Collection, cancellationToken).ConfigureAwait(false) is not { } stats)
        {
            // Nothing was ever written to this collection (and it has no R*Tree yet).
            return new FeatureVersionPage([], 0, 0);
        }

        // A bbox read at or after the collection's latest version start, in a collection with a few ended versions, leaves
        // the validity condition out of the R*Tree query and drops the versions that ended by then from its ids instead:
        // reading each candidate's validity from the R*Tree's auxiliary columns made a query about four times dearer
        // (the demo city's 68 ended panden versions put it on every map read; docs/benchmarks.md).
        var endedBy = query.Bbox is not null && ValidAtInstantButForEnded(query, stats)
            ? await EndedVersionsAsync(snapshot, query.Collection, stats, cancellationToken).ConfigureAwait(false)
            : null;
        var matches = new List<long>();
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = snapshot;
            var needsRows = query.PropertyEquals is { Count: > 0 };
            var (from, row) = (query.Bbox, needsRows) switch
            {
                (null, _) => ("features f", "f"),
                (_, false) => ($"{bboxTable} b", "b"),
                _ => ($"{bboxTable} b CROSS JOIN features f ON f.fid = b.fid", "b"),
            };
            command.CommandText = $"SELECT {row}.fid FROM {from} WHERE {BuildWhere(command, query, row, stats, validityInQuery: endedBy is null)} ORDER BY {row}.fid";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var instant = query.Time.Start?.ToUnixTimeMilliseconds();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var fid = reader.GetInt64(0);
                if (endedBy is null || !endedBy.TryGetValue(fid, out var validTo) || validTo > instant)
                {
                    matches.Add(fid);
                }
            }
        }

        return new FeatureVersionPage([.. matches.Skip(query.Offset).Take(query.Limit)], matches.Count, stats.Revision);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredFeature>> LoadVersionsAsync(IReadOnlyList<long> versionIds, CancellationToken cancellationToken)
    {
        if (versionIds.Count == 0)
        {
            return [];
        }

        var byId = new Dictionary<long, StoredFeature>(versionIds.Count);
        await using (var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT {FeatureColumns}, fid FROM features WHERE fid IN (SELECT value FROM json_each($fids))";
            command.Parameters.AddWithValue("$fids", System.Text.Json.JsonSerializer.Serialize(versionIds, StoredDocuments.Default.IReadOnlyListInt64));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var wkb = new WKBReader(_factory.GeometryServices);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var fid = reader.GetInt64(7);
                byId[fid] = new StoredFeature(fid, ReadFeature(reader, wkb));
            }
        }

        return [.. versionIds.Where(byId.ContainsKey).Select(id => byId[id])];
    }

    /// <inheritdoc />
    public async Task<Feature?> FindAsync(string collection, string id, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {FeatureColumns} FROM features
            WHERE collection = $collection AND id = $id AND valid_from <= $t AND (valid_to IS NULL OR valid_to > $t)
            """;
        command.Parameters.AddWithValue("$collection", collection);
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$t", asOf.ToUnixTimeMilliseconds());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? ReadFeature(reader, new WKBReader(_factory.GeometryServices))
            : null;
    }

    /// <inheritdoc />
    public async Task<CollectionSummary?> SummarizeAsync(string collection, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT min_x, max_x, min_y, max_y, feature_count, dataset_ids FROM collection_stats WHERE collection = $collection AND feature_count > 0";
        command.Parameters.AddWithValue("$collection", collection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var datasets = System.Text.Json.JsonSerializer.Deserialize(reader.GetString(5), StoredDocuments.Default.IReadOnlyCollectionString) ?? [];
        return new CollectionSummary(
            new Envelope(reader.GetDouble(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3)),
            reader.GetInt64(4),
            [.. datasets]);
    }

    /// <inheritdoc />
    public async Task<bool> IsEmptyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT NOT EXISTS (SELECT 1 FROM features) AND NOT EXISTS (SELECT 1 FROM datasets)";
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! == 1;
    }

    /// <inheritdoc />
    async Task<IReadOnlyList<Dataset>> ICatalog.ListAsync(CancellationToken cancellationToken)
    {
        var documents = await ReadDocumentsAsync("SELECT document FROM datasets ORDER BY id", null, cancellationToken).ConfigureAwait(false);
        return [.. documents.Select(StoredDocuments.ReadDataset)];
    }

    /// <inheritdoc />
    async Task<Dataset?> ICatalog.FindAsync(string id, CancellationToken cancellationToken)
    {
        var documents = await ReadDocumentsAsync("SELECT document FROM datasets WHERE id = $key", id, cancellationToken).ConfigureAwait(false);
        return documents.Count == 0 ? null : StoredDocuments.ReadDataset(documents[0]);
    }

    /// <inheritdoc />
    async Task<IReadOnlyList<IndicatorDefinition>> IIndicatorStore.ListAsync(CancellationToken cancellationToken)
    {
        var documents = await ReadDocumentsAsync("SELECT document FROM indicators ORDER BY code", null, cancellationToken).ConfigureAwait(false);
        return [.. documents.Select(StoredDocuments.ReadIndicator)];
    }

    /// <inheritdoc />
    async Task<IndicatorDefinition?> IIndicatorStore.FindAsync(string code, CancellationToken cancellationToken)
    {
        var documents = await ReadDocumentsAsync("SELECT document FROM indicators WHERE code = $key", code, cancellationToken).ConfigureAwait(false);
        return documents.Count == 0 ? null : StoredDocuments.ReadIndicator(documents[0]);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<IndicatorValue>> ValuesAsOfAsync(IReadOnlyCollection<string> areaCodes, DateOnly asOf, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT v.indicator, v.area, v.reference_date, v.value FROM indicator_values v
            WHERE v.area IN (SELECT value FROM json_each($areas))
              AND v.reference_date = (SELECT max(w.reference_date) FROM indicator_values w
                                      WHERE w.area = v.area AND w.indicator = v.indicator AND w.reference_date <= $asOf)
            ORDER BY v.area, v.indicator
            """;
        command.Parameters.AddWithValue("$areas", JsonList(areaCodes));
        command.Parameters.AddWithValue("$asOf", FormatDate(asOf));
        return await ReadIndicatorValuesAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<IndicatorValue>> TableAsync(IReadOnlyCollection<string> indicatorCodes, DateOnly referenceDate, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT indicator, area, reference_date, value FROM indicator_values
            WHERE indicator IN (SELECT value FROM json_each($indicators)) AND reference_date = $date
            ORDER BY area, indicator
            """;
        command.Parameters.AddWithValue("$indicators", JsonList(indicatorCodes));
        command.Parameters.AddWithValue("$date", FormatDate(referenceDate));
        return await ReadIndicatorValuesAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DateOnly>> ReferenceDatesAsync(string indicatorCode, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT reference_date FROM indicator_values WHERE indicator = $indicator ORDER BY reference_date";
        command.Parameters.AddWithValue("$indicator", indicatorCode);
        var dates = new List<DateOnly>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            dates.Add(DateOnly.ParseExact(reader.GetString(0), "yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        return dates;
    }

    private static async Task<IReadOnlyList<IndicatorValue>> ReadIndicatorValuesAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var values = new List<IndicatorValue>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            values.Add(new IndicatorValue(
                reader.GetString(0),
                reader.GetString(1),
                DateOnly.ParseExact(reader.GetString(2), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                reader.IsDBNull(3) ? null : reader.GetDouble(3)));
        }

        return values;
    }

    /// <inheritdoc />
    public async Task<IWriteTransaction> BeginAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, WriteCacheSize, cancellationToken).ConfigureAwait(false);
            var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            return new SqliteWriteTransaction(connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open (and its WAL unmerged); release them with the store, and the sensor
        // store's kept read connections first, so that they are closed and not returned to the pool.
        Sensors.Dispose();
        SqliteConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }

    /// <summary>SQLite's default page cache (about 2 MB), restored on a write connection before it returns to the pool.</summary>
    internal const string DefaultCacheSize = "PRAGMA cache_size = -2000;";

    /// <summary>A larger page cache for a write, so the R*Tree and indexes of a large import stay in memory (64 MB).</summary>
    internal const string WriteCacheSize = "PRAGMA cache_size = -65536;";

    /// <summary>The feature columns in the order <see cref="ReadFeature"/> reads them.</summary>
    private const string FeatureColumns = "collection, id, valid_from, valid_to, dataset_id, geometry, properties";

    private static string JsonList(IReadOnlyCollection<string> values) =>
        System.Text.Json.JsonSerializer.Serialize(values, StoredDocuments.Default.IReadOnlyCollectionString);

    internal static string FormatDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// At most this many ended versions of a collection are dropped from a bbox read's ids in memory (see
    /// <see cref="QueryVersionsAsync"/>); past it the validity condition stays in the query.
    /// </summary>
    private const long EndedVersionsFilteredInMemory = 10_000;

    /// <summary>
    /// Whether every version of the collection began at or before the query's instant, so that only the ended ones can be
    /// invalid then — and there are few enough of those to drop in memory.
    /// </summary>
    private static bool ValidAtInstantButForEnded(FeatureQuery query, CollectionStats stats) =>
        query.Time.IsInstant && query.Time.Start!.Value.ToUnixTimeMilliseconds() >= stats.LatestStart &&
        stats.EndedVersions is > 0 and <= EndedVersionsFilteredInMemory;

    /// <summary>The collection's ended versions (fid → end of validity, ms), read once per revision of the collection.</summary>
    private async Task<IReadOnlyDictionary<long, long>> EndedVersionsAsync(
        SqliteTransaction snapshot, string collection, CollectionStats stats, CancellationToken cancellationToken)
    {
        if (_endedVersions.TryGetValue(collection, out var known) && known.Revision == stats.Revision)
        {
            return known.Ended;
        }

        var ended = new Dictionary<long, long>((int)stats.EndedVersions);
        await using (var command = snapshot.Connection!.CreateCommand())
        {
            command.Transaction = snapshot;
            command.CommandText = "SELECT fid, valid_to FROM features WHERE collection = $collection AND valid_to IS NOT NULL";
            command.Parameters.AddWithValue("$collection", collection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                ended[reader.GetInt64(0)] = reader.GetInt64(1);
            }
        }

        _endedVersions[collection] = (stats.Revision, ended);
        return ended;
    }

    /// <summary>
    /// The conditions of <paramref name="query"/>. Validity and dataset are read from <paramref name="row"/>:
    /// <c>b</c> (the collection's R*Tree, with them as auxiliary columns) or <c>f</c> (the features table).
    /// </summary>
    /// <remarks>
    /// Validity and dataset are tested per candidate, which in the R*Tree costs a read of its auxiliary
    /// columns (about 0.8 µs each). When the collection's statistics show that a condition holds for every
    /// version — an instant after the latest start in a collection with no ended version; a dataset list
    /// that includes every dataset of the collection — the condition is left out: it would select all. Validity is left
    /// out too when <paramref name="validityInQuery"/> is false: the caller drops the ended versions itself.
    /// </remarks>
    private static string BuildWhere(SqliteCommand command, FeatureQuery query, string row, CollectionStats stats, bool validityInQuery = true)
    {
        // The R*Tree is the collection's own; the features table holds every collection.
        var conditions = new List<string>();
        if (row == "f")
        {
            conditions.Add("f.collection = $collection");
            command.Parameters.AddWithValue("$collection", query.Collection);
        }

        var everyVersionValidAtInstant = query.Time.IsInstant && stats.EndedVersions == 0 &&
            query.Time.Start!.Value.ToUnixTimeMilliseconds() >= stats.LatestStart;
        if (query.Time.IsInstant && !everyVersionValidAtInstant && validityInQuery)
        {
            conditions.Add($"{row}.valid_from <= $t AND ({row}.valid_to IS NULL OR {row}.valid_to > $t)");
            command.Parameters.AddWithValue("$t", query.Time.Start!.Value.ToUnixTimeMilliseconds());
        }
        else if (!query.Time.IsInstant)
        {
            if (query.Time.End is { } end)
            {
                conditions.Add($"{row}.valid_from <= $end");
                command.Parameters.AddWithValue("$end", end.ToUnixTimeMilliseconds());
            }

            if (query.Time.Start is { } start)
            {
                conditions.Add($"({row}.valid_to IS NULL OR {row}.valid_to > $start)");
                command.Parameters.AddWithValue("$start", start.ToUnixTimeMilliseconds());
            }
        }

        if (query.Bbox is { } bbox)
        {
            conditions.Add("b.min_x <= $maxX AND b.max_x >= $minX AND b.min_y <= $maxY AND b.max_y >= $minY");
            command.Parameters.AddWithValue("$minX", bbox.MinX);
            command.Parameters.AddWithValue("$maxX", bbox.MaxX);
            command.Parameters.AddWithValue("$minY", bbox.MinY);
            command.Parameters.AddWithValue("$maxY", bbox.MaxY);
        }

        if (query.DatasetIds is { } datasets && !stats.DatasetIds.All(datasets.Contains))
        {
            conditions.Add($"{row}.dataset_id IN (SELECT value FROM json_each($datasets))");
            command.Parameters.AddWithValue("$datasets", JsonList(datasets));
        }

        var index = 0;
        foreach (var (name, value) in query.PropertyEquals ?? new Dictionary<string, object>())
        {
            // The JSON path is a parameter too: property names never become SQL text.
            conditions.Add($"json_extract(f.properties, $path{index}) = $value{index}");
            command.Parameters.AddWithValue($"$path{index}", "$.\"" + name.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"");
            command.Parameters.AddWithValue($"$value{index}", value is bool b ? (b ? 1 : 0) : value);
            index++;
        }

        return string.Join(" AND ", conditions);
    }

    private Feature ReadFeature(SqliteDataReader reader, WKBReader wkb)
    {
        var geometry = wkb.Read((byte[])reader.GetValue(5));
        geometry.SRID = Crs.RdNewSrid;
        return new Feature(
            reader.GetString(0),
            reader.GetString(1),
            geometry,
            PropertyJson.Deserialize(reader.GetString(6)),
            new ValidityInterval(
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                reader.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))),
            reader.GetString(4));
    }

    private async Task<List<string>> ReadDocumentsAsync(string sql, string? key, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (key is not null)
        {
            command.Parameters.AddWithValue("$key", key);
        }

        var documents = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            documents.Add(reader.GetString(0));
        }

        return documents;
    }

    private async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    /// <summary>The statistics a read plans with, or <c>null</c> when nothing was ever written to the collection.</summary>
    private static async Task<CollectionStats?> ReadStatsAsync(SqliteTransaction snapshot, string collection, CancellationToken cancellationToken)
    {
        await using var command = snapshot.Connection!.CreateCommand();
        command.Transaction = snapshot;
        command.CommandText = "SELECT dataset_ids, latest_start, ended_versions, revision FROM collection_stats WHERE collection = $collection";
        command.Parameters.AddWithValue("$collection", collection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new CollectionStats(
                System.Text.Json.JsonSerializer.Deserialize(reader.GetString(0), StoredDocuments.Default.IReadOnlyCollectionString) ?? [],
                reader.GetInt64(1),
                reader.GetInt64(2),
                reader.GetInt64(3))
            : null;
    }

    /// <summary>What a read needs to know of a collection to leave out conditions that would select everything.</summary>
    private sealed record CollectionStats(IReadOnlyCollection<string> DatasetIds, long LatestStart, long EndedVersions, long Revision);

    internal static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
