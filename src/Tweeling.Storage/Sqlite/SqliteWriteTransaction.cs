using Microsoft.Data.Sqlite;
using NetTopologySuite.IO;
using Tweeling.Domain.Catalog;
using Tweeling.Domain.Features;
using Tweeling.Domain.Indicators;
using Tweeling.Domain.Ports;

namespace Tweeling.Storage.Sqlite;

/// <summary>One SQLite write transaction; see <see cref="IWriteTransaction"/>.</summary>
internal sealed class SqliteWriteTransaction(SqliteConnection connection, SqliteTransaction transaction) : IWriteTransaction
{
    private readonly HashSet<string> _touchedCollections = new(StringComparer.Ordinal);
    private readonly WKBWriter _wkb = new();
    private FeatureCommands? _featureCommands;
    private bool _completed;

    public async Task PutDatasetAsync(Dataset dataset, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand("INSERT OR REPLACE INTO datasets (id, document) VALUES ($id, $document)");
        command.Parameters.AddWithValue("$id", dataset.Id);
        command.Parameters.AddWithValue("$document", StoredDocuments.Serialize(dataset));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task AddFeaturesAsync(IEnumerable<Feature> features, CancellationToken cancellationToken)
    {
        var commands = _featureCommands ??= new FeatureCommands(this);
        foreach (var feature in features)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var from = feature.Validity.From.ToUnixTimeMilliseconds();
            long? to = feature.Validity.To?.ToUnixTimeMilliseconds();

            // Fit the new version into the feature's history: the version it interrupts ends where it
            // begins, and it ends where the next later version begins.
            commands.Versions.Parameters["$collection"].Value = feature.Collection;
            commands.Versions.Parameters["$id"].Value = feature.Id;
            long? interrupted = null;
            await using (var reader = await commands.Versions.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var (fid, start, end) = (reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? (long?)null : reader.GetInt64(2));
                    if (start == from)
                    {
                        throw new DuplicateFeatureException(feature.Collection, feature.Id, feature.Validity.From);
                    }

                    if (start < from && (end is null || end > from))
                    {
                        interrupted = fid;
                    }
                    else if (start > from && (to is null || to > start))
                    {
                        to = start;
                    }
                }
            }

            if (interrupted is { } interruptedFid)
            {
                commands.Close.Parameters["$fid"].Value = interruptedFid;
                commands.Close.Parameters["$to"].Value = from;
                await commands.Close.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var envelope = feature.Geometry.EnvelopeInternal;
            var insert = commands.Insert.Parameters;
            insert["$collection"].Value = feature.Collection;
            insert["$id"].Value = feature.Id;
            insert["$from"].Value = from;
            insert["$to"].Value = to is { } t ? t : DBNull.Value;
            insert["$dataset"].Value = feature.DatasetId;
            insert["$geometry"].Value = _wkb.Write(feature.Geometry);
            insert["$properties"].Value = PropertyJson.Serialize(feature.Properties);
            var newFid = (long)(await commands.Insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;

            var box = commands.Bbox.Parameters;
            box["$fid"].Value = newFid;
            box["$minX"].Value = envelope.MinX;
            box["$maxX"].Value = envelope.MaxX;
            box["$minY"].Value = envelope.MinY;
            box["$maxY"].Value = envelope.MaxY;
            await commands.Bbox.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            _touchedCollections.Add(feature.Collection);
        }
    }

    public async Task PutIndicatorsAsync(IEnumerable<IndicatorDefinition> definitions, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand("INSERT OR REPLACE INTO indicators (code, document) VALUES ($code, $document)");
        var code = command.Parameters.Add("$code", SqliteType.Text);
        var document = command.Parameters.Add("$document", SqliteType.Text);
        foreach (var definition in definitions)
        {
            code.Value = definition.Code;
            document.Value = StoredDocuments.Serialize(definition);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
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
            area.Value = item.AreaCode;
            indicator.Value = item.IndicatorCode;
            date.Value = SqliteTwinStore.FormatDate(item.ReferenceDate);
            value.Value = item.Value is { } v ? v : DBNull.Value;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        await using (var stats = CreateCommand("""
            INSERT OR REPLACE INTO collection_stats (collection, feature_count, min_x, min_y, max_x, max_y, dataset_ids)
            SELECT $collection, count(*), min(b.min_x), min(b.min_y), max(b.max_x), max(b.max_y),
                   (SELECT json_group_array(dataset_id) FROM (SELECT DISTINCT dataset_id FROM features WHERE collection = $collection ORDER BY dataset_id))
            FROM features f JOIN features_bbox b ON b.fid = f.fid WHERE f.collection = $collection
            """))
        {
            var collection = stats.Parameters.Add("$collection", SqliteType.Text);
            foreach (var touched in _touchedCollections)
            {
                collection.Value = touched;
                await stats.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
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
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    private SqliteCommand CreateCommand(string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>The prepared statements of a feature write, reused for every feature of a transaction.</summary>
    private sealed class FeatureCommands : IAsyncDisposable
    {
        public FeatureCommands(SqliteWriteTransaction owner)
        {
            Versions = owner.CreateCommand("SELECT fid, valid_from, valid_to FROM features WHERE collection = $collection AND id = $id");
            Versions.Parameters.Add("$collection", SqliteType.Text);
            Versions.Parameters.Add("$id", SqliteType.Text);

            Close = owner.CreateCommand("UPDATE features SET valid_to = $to WHERE fid = $fid");
            Close.Parameters.Add("$to", SqliteType.Integer);
            Close.Parameters.Add("$fid", SqliteType.Integer);

            Insert = owner.CreateCommand("""
                INSERT INTO features (collection, id, valid_from, valid_to, dataset_id, geometry, properties)
                VALUES ($collection, $id, $from, $to, $dataset, $geometry, $properties) RETURNING fid
                """);
            foreach (var name in (string[])["$collection", "$id", "$from", "$to", "$dataset", "$geometry", "$properties"])
            {
                Insert.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            Bbox = owner.CreateCommand("INSERT INTO features_bbox (fid, min_x, max_x, min_y, max_y) VALUES ($fid, $minX, $maxX, $minY, $maxY)");
            foreach (var name in (string[])["$fid", "$minX", "$maxX", "$minY", "$maxY"])
            {
                Bbox.Parameters.Add(new SqliteParameter { ParameterName = name });
            }
        }

        public SqliteCommand Versions { get; }

        public SqliteCommand Close { get; }

        public SqliteCommand Insert { get; }

        public SqliteCommand Bbox { get; }

        public async ValueTask DisposeAsync()
        {
            await Versions.DisposeAsync().ConfigureAwait(false);
            await Close.DisposeAsync().ConfigureAwait(false);
            await Insert.DisposeAsync().ConfigureAwait(false);
            await Bbox.DisposeAsync().ConfigureAwait(false);
        }
    }
}
