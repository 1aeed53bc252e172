using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Tweeling.Domain.Audit;
using Tweeling.Domain.Catalog;
using Tweeling.Domain.Features;
using Tweeling.Domain.Indicators;
using Tweeling.Domain.Ports;

namespace Tweeling.Storage.Sqlite;

/// <summary>One SQLite write transaction; see <see cref="IWriteTransaction"/>.</summary>
/// <remarks>
/// SQLite runs statements synchronously (its async methods only wrap them), so the per-feature loop
/// calls the synchronous methods and checks for cancellation itself: at a few microseconds per
/// statement the task machinery would otherwise be a noticeable share of an import.
/// </remarks>
internal sealed class SqliteWriteTransaction(SqliteConnection connection, SqliteTransaction transaction) : IWriteTransaction
{
    private readonly Dictionary<string, CollectionChange> _changes = new(StringComparer.Ordinal);
    private readonly WKBWriter _wkb = new();
    private FeatureCommands? _featureCommands;
    private long _nextFid;
    private bool _completed;

    public async Task PutDatasetAsync(Dataset dataset, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand("INSERT OR REPLACE INTO datasets (id, document) VALUES ($id, $document)");
        command.Parameters.AddWithValue("$id", dataset.Id);
        command.Parameters.AddWithValue("$document", StoredDocuments.Serialize(dataset));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task AddFeaturesAsync(IEnumerable<Feature> features, CancellationToken cancellationToken)
    {
        if (_featureCommands is null)
        {
            _featureCommands = new FeatureCommands(this);
            using var maxFid = CreateCommand("SELECT coalesce(max(fid), 0) FROM features");
            _nextFid = (long)maxFid.ExecuteScalar()! + 1;
        }

        var commands = _featureCommands;
        foreach (var feature in features)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var from = feature.Validity.From.ToUnixTimeMilliseconds();
            long? to = feature.Validity.To?.ToUnixTimeMilliseconds();

            // Fit the new version into the feature's history: the version it interrupts ends where it
            // begins, and it ends where the next later version begins.
            commands.Versions.Parameters[0].Value = feature.Collection;
            commands.Versions.Parameters[1].Value = feature.Id;
            long? interrupted = null;
            var interruptedWasOpen = false;
            using (var reader = commands.Versions.ExecuteReader())
            {
                while (reader.Read())
                {
                    var (fid, start, end) = (reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? (long?)null : reader.GetInt64(2));
                    if (start == from)
                    {
                        throw new DuplicateFeatureException(feature.Collection, feature.Id, feature.Validity.From);
                    }

                    if (start < from && (end is null || end > from))
                    {
                        interrupted = fid;
                        interruptedWasOpen = end is null;
                    }
                    else if (start > from && (to is null || to > start))
                    {
                        to = start;
                    }
                }
            }

            if (!_changes.TryGetValue(feature.Collection, out var change))
            {
                _changes[feature.Collection] = change = new CollectionChange();
            }

            if (interrupted is { } interruptedFid)
            {
                change.EndedVersions += interruptedWasOpen ? 1 : 0;
                commands.Close.Parameters[0].Value = from;
                commands.Close.Parameters[1].Value = interruptedFid;
                commands.Close.ExecuteNonQuery();
                var closeBbox = commands.ForCollection(feature.Collection).Close;
                closeBbox.Parameters[0].Value = from;
                closeBbox.Parameters[1].Value = interruptedFid;
                closeBbox.ExecuteNonQuery();
            }

            var fidValue = _nextFid++;
            object toValue = to is { } t ? t : DBNull.Value;
            var insert = commands.Insert.Parameters;
            insert[0].Value = fidValue;
            insert[1].Value = feature.Collection;
            insert[2].Value = feature.Id;
            insert[3].Value = from;
            insert[4].Value = toValue;
            insert[5].Value = feature.DatasetId;
            insert[6].Value = _wkb.Write(feature.Geometry);
            insert[7].Value = PropertyJson.Serialize(feature.Properties);
            commands.Insert.ExecuteNonQuery();

            var envelope = feature.Geometry.EnvelopeInternal;
            var bbox = commands.ForCollection(feature.Collection).Insert;
            var box = bbox.Parameters;
            box[0].Value = fidValue;
            box[1].Value = envelope.MinX;
            box[2].Value = envelope.MaxX;
            box[3].Value = envelope.MinY;
            box[4].Value = envelope.MaxY;
            box[5].Value = from;
            box[6].Value = toValue;
            box[7].Value = feature.DatasetId;
            bbox.ExecuteNonQuery();
            change.Add(envelope, feature.DatasetId, from, ended: to is not null);
        }

        return Task.CompletedTask;
    }

    public async Task PutIndicatorsAsync(IEnumerable<IndicatorDefinition> definitions, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand("INSERT OR REPLACE INTO indicators (code, document) VALUES ($code, $document)");
        var code = command.Parameters.Add("$code", SqliteType.Text);
        var document = command.Parameters.Add("$document", SqliteType.Text);
        foreach (var definition in definitions)
        {
            cancellationToken.ThrowIfCancellationRequested();
            code.Value = definition.Code;
            document.Value = StoredDocuments.Serialize(definition);
            command.ExecuteNonQuery();
        }
    }

    public async Task PutIndicatorValuesAsync(IEnumerable<IndicatorValue> values, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(
            "INSERT OR REPLACE INTO indicator_values (area, indicator, reference_date, value) VALUES ($area, $indicator, $date, $value)");
        var area = command.Parameters.Add("$area", SqliteType.Text);
        var indicator = command.Parameters.Add("$indicator", SqliteType.Text);
        var date = command.Parameters.Add("$date", SqliteType.Text);
        var value = command.Parameters.Add("$value", SqliteType.Real);
        foreach (var item in values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            area.Value = item.AreaCode;
            indicator.Value = item.IndicatorCode;
            date.Value = SqliteTwinStore.FormatDate(item.ReferenceDate);
            value.Value = item.Value is { } v ? v : DBNull.Value;
            command.ExecuteNonQuery();
        }
    }

    public Task<AuditRecord> AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(SqliteAuditLog.Append(transaction, entry));
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        foreach (var (collection, change) in _changes)
        {
            await UpdateSummaryAsync(collection, change, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _completed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_featureCommands is not null)
        {
            await _featureCommands.DisposeAsync().ConfigureAwait(false);
        }

        if (!_completed)
        {
            await transaction.RollbackAsync().ConfigureAwait(false);
        }

        await transaction.DisposeAsync().ConfigureAwait(false);
        await SqliteTwinStore.ExecuteAsync(connection, SqliteTwinStore.DefaultCacheSize, CancellationToken.None).ConfigureAwait(false);
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Merges what this transaction added to a collection into its stored summary: no scan of the collection.</summary>
    private async Task UpdateSummaryAsync(string collection, CollectionChange change, CancellationToken cancellationToken)
    {
        var extent = new Envelope(change.Extent);
        var count = change.Count;
        var latestStart = change.LatestStart;
        var ended = change.EndedVersions;
        var revision = 1L;
        var datasets = new SortedSet<string>(change.DatasetIds, StringComparer.Ordinal);
        await using (var read = CreateCommand(
            "SELECT feature_count, min_x, max_x, min_y, max_y, dataset_ids, latest_start, ended_versions, revision FROM collection_stats WHERE collection = $collection"))
        {
            read.Parameters.AddWithValue("$collection", collection);
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                count += reader.GetInt64(0);
                extent.ExpandToInclude(new Envelope(reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4)));
                datasets.UnionWith(System.Text.Json.JsonSerializer.Deserialize(reader.GetString(5), StoredDocuments.Default.IReadOnlyCollectionString) ?? []);
                latestStart = Math.Max(latestStart, reader.GetInt64(6));
                ended += reader.GetInt64(7);
                revision = reader.GetInt64(8) + 1;
            }
        }

        await using var write = CreateCommand("""
            INSERT OR REPLACE INTO collection_stats (collection, feature_count, min_x, max_x, min_y, max_y, dataset_ids, latest_start, ended_versions, revision)
            VALUES ($collection, $count, $minX, $maxX, $minY, $maxY, $datasets, $latestStart, $ended, $revision)
            """);
        write.Parameters.AddWithValue("$collection", collection);
        write.Parameters.AddWithValue("$count", count);
        write.Parameters.AddWithValue("$minX", extent.MinX);
        write.Parameters.AddWithValue("$maxX", extent.MaxX);
        write.Parameters.AddWithValue("$minY", extent.MinY);
        write.Parameters.AddWithValue("$maxY", extent.MaxY);
        write.Parameters.AddWithValue("$datasets", System.Text.Json.JsonSerializer.Serialize(datasets, StoredDocuments.Default.IReadOnlyCollectionString));
        write.Parameters.AddWithValue("$latestStart", latestStart);
        write.Parameters.AddWithValue("$ended", ended);
        write.Parameters.AddWithValue("$revision", revision);
        await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private SqliteCommand CreateCommand(string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>What a transaction added to one collection: extent, count and source datasets.</summary>
    private sealed class CollectionChange
    {
        public Envelope Extent { get; } = new();

        public long Count { get; private set; }

        public HashSet<string> DatasetIds { get; } = new(StringComparer.Ordinal);

        public long LatestStart { get; private set; } = long.MinValue;

        /// <summary>Versions that have an end: added with one, or closed by a later version.</summary>
        public long EndedVersions { get; set; }

        public void Add(Envelope envelope, string datasetId, long start, bool ended)
        {
            Extent.ExpandToInclude(envelope);
            Count++;
            DatasetIds.Add(datasetId);
            LatestStart = Math.Max(LatestStart, start);
            EndedVersions += ended ? 1 : 0;
        }
    }

    /// <summary>The prepared statements of a feature write, reused for every feature of a transaction.</summary>
    private sealed class FeatureCommands(SqliteWriteTransaction owner) : IAsyncDisposable
    {
        private readonly Dictionary<string, (SqliteCommand Insert, SqliteCommand Close)> _bboxCommands = new(StringComparer.Ordinal);

        public SqliteCommand Versions { get; } =
            Prepare(owner, "SELECT fid, valid_from, valid_to FROM features WHERE collection = $collection AND id = $id", "$collection", "$id");

        public SqliteCommand Close { get; } = Prepare(owner, "UPDATE features SET valid_to = $to WHERE fid = $fid", "$to", "$fid");

        public SqliteCommand Insert { get; } = Prepare(owner, """
            INSERT INTO features (fid, collection, id, valid_from, valid_to, dataset_id, geometry, properties)
            VALUES ($fid, $collection, $id, $from, $to, $dataset, $geometry, $properties)
            """, "$fid", "$collection", "$id", "$from", "$to", "$dataset", "$geometry", "$properties");

        /// <summary>The R*Tree statements of <paramref name="collection"/>, creating its R*Tree on first use.</summary>
        public (SqliteCommand Insert, SqliteCommand Close) ForCollection(string collection)
        {
            if (!_bboxCommands.TryGetValue(collection, out var commands))
            {
                using (var create = owner.CreateCommand(Schema.CreateBboxTable(collection)))
                {
                    create.ExecuteNonQuery();
                }

                var table = Schema.BboxTable(collection);
                commands = (
                    Prepare(owner, $"INSERT INTO {table} (fid, min_x, max_x, min_y, max_y, valid_from, valid_to, dataset_id) VALUES ($fid, $minX, $maxX, $minY, $maxY, $from, $to, $dataset)",
                        "$fid", "$minX", "$maxX", "$minY", "$maxY", "$from", "$to", "$dataset"),
                    Prepare(owner, $"UPDATE {table} SET valid_to = $to WHERE fid = $fid", "$to", "$fid"));
                _bboxCommands[collection] = commands;
            }

            return commands;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var command in _bboxCommands.Values.SelectMany(c => new[] { c.Insert, c.Close }).Concat([Versions, Close, Insert]))
            {
                await command.DisposeAsync().ConfigureAwait(false);
            }
        }

        /// <summary>A command whose parameters are set by position, in the order given, for every feature.</summary>
        private static SqliteCommand Prepare(SqliteWriteTransaction owner, string sql, params string[] parameters)
        {
            var command = owner.CreateCommand(sql);
            foreach (var name in parameters)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            command.Prepare();
            return command;
        }
    }
}
