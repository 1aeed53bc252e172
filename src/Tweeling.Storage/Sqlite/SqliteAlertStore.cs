using System.Text.Json;
using Microsoft.Data.Sqlite;
using Tweeling.Domain.Alerts;
using Tweeling.Domain.Audit;
using Tweeling.Domain.Ports;
using static Tweeling.Storage.Sqlite.SqliteCommands;

namespace Tweeling.Storage.Sqlite;

/// <summary>
/// Thresholds and alert history in the twin store's file (tables <c>alert_thresholds</c> and <c>alerts</c>,
/// see <see cref="Schema"/>). Times are Unix milliseconds (UTC); conditions and severities are stored as
/// lowercase words, so the file reads without this code.
/// </summary>
public sealed class SqliteAlertStore : IAlertStore
{
    private const string AlertValueColumns =
        "threshold_id, datastream_id, threshold_name, severity, raised_observation, raised_time, raised_result, raised_at, cleared_observation, cleared_time, cleared_result, cleared_at";

    private const string AlertColumns = "id, " + AlertValueColumns;

    private const string ThresholdColumns = "id, datastream_id, name, condition, value, clear_value, severity";

    private readonly string _connectionString;

    internal SqliteAlertStore(string connectionString) => _connectionString = connectionString;

    /// <inheritdoc />
    public Task<Threshold> AddThresholdAsync(Threshold threshold, CancellationToken cancellationToken) => AddThresholdAsync(threshold, null, cancellationToken);

    /// <summary>
    /// <see cref="AddThresholdAsync(Threshold, CancellationToken)"/>, appending the audit record <paramref name="audit"/>
    /// makes of the added threshold in the same transaction (<see cref="SqliteAuditLog"/>).
    /// </summary>
    public async Task<Threshold> AddThresholdAsync(Threshold threshold, Func<Threshold, AuditEntry>? audit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var exists = Command(connection, tx, "SELECT 1 FROM sta_datastreams WHERE id = $p0", threshold.DatastreamId))
        {
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
            {
                throw new SensorLinkException("Datastream", threshold.DatastreamId);
            }
        }

        await using var insert = Command(
            connection, tx,
            "INSERT INTO alert_thresholds (datastream_id, name, condition, value, clear_value, severity) VALUES ($p0, $p1, $p2, $p3, $p4, $p5) RETURNING id",
            threshold.DatastreamId, threshold.Name, Word(threshold.Condition), threshold.Value, threshold.ClearValue, Word(threshold.Severity));
        var added = threshold with { Id = (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! };
        if (audit is not null)
        {
            SqliteAuditLog.Append(tx, audit(added));
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return added;
    }

    /// <inheritdoc />
    public async Task<Threshold?> FindThresholdAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT {ThresholdColumns} FROM alert_thresholds WHERE id = $p0", id);
        return (await ReadThresholdsAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Threshold>> ListThresholdsAsync(long? datastreamId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        await using var command = Command(
            connection, null, $"SELECT {ThresholdColumns} FROM alert_thresholds WHERE $p0 IS NULL OR datastream_id = $p0 ORDER BY id", datastreamId);
        return await ReadThresholdsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<bool> RemoveThresholdAsync(long id, DateTimeOffset time, CancellationToken cancellationToken) => RemoveThresholdAsync(id, time, null, cancellationToken);

    /// <summary>
    /// <see cref="RemoveThresholdAsync(long, DateTimeOffset, CancellationToken)"/>, appending <paramref name="audit"/>
    /// in the same transaction when the threshold existed (<see cref="SqliteAuditLog"/>).
    /// </summary>
    public async Task<bool> RemoveThresholdAsync(long id, DateTimeOffset time, AuditEntry? audit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var close = Command(connection, tx, "UPDATE alerts SET cleared_at = $p1 WHERE threshold_id = $p0 AND cleared_at IS NULL", id, time.ToUnixTimeMilliseconds()))
        {
            await close.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var delete = Command(connection, tx, "DELETE FROM alert_thresholds WHERE id = $p0", id);
        var removed = await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        if (removed && audit is not null)
        {
            SqliteAuditLog.Append(tx, audit);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return removed;
    }

    /// <inheritdoc />
    /// <remarks>
    /// The count of thresholds and the highest id ever given (AUTOINCREMENT never reuses one): an add raises
    /// the second, a remove lowers the first, so any change since an earlier read gives a different pair.
    /// </remarks>
    public async Task<long> ThresholdRevisionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        await using var command = Command(
            connection, null,
            "SELECT ((SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'alert_thresholds') << 32) | (SELECT count(*) FROM alert_thresholds)");
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ThresholdState>> ThresholdStatesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        await using var snapshot = connection.BeginTransaction(deferred: true);
        await using var thresholds = Command(connection, snapshot, $"SELECT {ThresholdColumns} FROM alert_thresholds ORDER BY id");
        var all = await ReadThresholdsAsync(thresholds, cancellationToken).ConfigureAwait(false);
        await using var open = Command(connection, snapshot, $"SELECT {AlertColumns} FROM alerts WHERE cleared_at IS NULL AND threshold_id IN (SELECT id FROM alert_thresholds)");
        var openAlerts = (await ReadAlertsAsync(open, cancellationToken).ConfigureAwait(false)).ToDictionary(a => a.ThresholdId);
        await using var last = Command(connection, snapshot, "SELECT threshold_id, max(coalesce(cleared_time, raised_time)) FROM alerts GROUP BY threshold_id");
        var lastChanges = new Dictionary<long, DateTimeOffset>();
        await using (var reader = await last.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                lastChanges[reader.GetInt64(0)] = FromMs(reader.GetInt64(1));
            }
        }

        return [.. all.Select(t => new ThresholdState(
            t, openAlerts.GetValueOrDefault(t.Id), lastChanges.TryGetValue(t.Id, out var change) ? change : null))];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Alert>> SaveAlertsAsync(IReadOnlyList<Alert> alerts, CancellationToken cancellationToken)
    {
        if (alerts.Count == 0)
        {
            return [];
        }

        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var stored = new List<Alert>(alerts.Count);
        foreach (var alert in alerts)
        {
            var clearing = Clearing(alert);
            if (alert.Id == 0)
            {
                // A threshold removed (by another process) since the caller read it raises nothing: an alert
                // stored for it would stay open for ever.
                await using (var exists = Command(connection, tx, "SELECT 1 FROM alert_thresholds WHERE id = $p0", alert.ThresholdId))
                {
                    if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
                    {
                        throw new KeyNotFoundException($"There is no threshold with id {alert.ThresholdId}.");
                    }
                }

                await using var insert = Command(
                    connection, tx,
                    $"INSERT INTO alerts ({AlertValueColumns}) VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, $p9, $p10, $p11) RETURNING id",
                    [alert.ThresholdId, alert.DatastreamId, alert.ThresholdName, Word(alert.Severity),
                        alert.Raising.ObservationId, alert.Raising.Time.ToUnixTimeMilliseconds(), alert.Raising.Result, alert.RaisedAt.ToUnixTimeMilliseconds(), .. clearing]);
                stored.Add(alert with { Id = (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! });
            }
            else
            {
                await using var update = Command(
                    connection, tx,
                    "UPDATE alerts SET cleared_observation = $p1, cleared_time = $p2, cleared_result = $p3, cleared_at = $p4 WHERE id = $p0",
                    [alert.Id, .. clearing]);
                if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    throw new KeyNotFoundException($"There is no alert with id {alert.Id}.");
                }

                stored.Add(alert);
            }
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return stored;
    }

    /// <inheritdoc />
    public async Task<Alert?> FindAlertAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT {AlertColumns} FROM alerts WHERE id = $p0", id);
        return (await ReadAlertsAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Alert>> ListAlertsAsync(AlertQuery query, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Offset);
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        await using var command = Command(
            connection, null,
            $"""
            SELECT {AlertColumns} FROM alerts
            WHERE ($p0 IS NULL OR datastream_id = $p0) AND ($p1 IS NULL OR threshold_id = $p1)
              AND ($p2 IS NULL OR cleared_at IS NULL OR coalesce(cleared_time, cleared_at) >= $p2)
              AND ($p3 IS NULL OR raised_time < $p3) AND ($p4 = 0 OR cleared_at IS NULL)
              AND ($p7 IS NULL OR datastream_id IN (SELECT value FROM json_each($p7)))
            ORDER BY raised_time DESC, id DESC LIMIT $p5 OFFSET $p6
            """,
            query.DatastreamId, query.ThresholdId, query.From?.ToUnixTimeMilliseconds(), query.To?.ToUnixTimeMilliseconds(), query.OpenOnly ? 1 : 0, query.Limit, query.Offset,
            query.Datastreams is null ? null : JsonSerializer.Serialize(query.Datastreams));
        return await ReadAlertsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private static object?[] Clearing(Alert alert) =>
        [alert.Clearing?.ObservationId, alert.Clearing?.Time.ToUnixTimeMilliseconds(), alert.Clearing?.Result, alert.ClearedAt?.ToUnixTimeMilliseconds()];

    private static async Task<List<Threshold>> ReadThresholdsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var thresholds = new List<Threshold>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            thresholds.Add(new Threshold(
                reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), Parse<ThresholdCondition>(reader.GetString(3)),
                reader.GetDouble(4), Parse<AlertSeverity>(reader.GetString(6)), reader.GetDouble(5)));
        }

        return thresholds;
    }

    private static async Task<List<Alert>> ReadAlertsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var alerts = new List<Alert>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            alerts.Add(new Alert(
                reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3), Parse<AlertSeverity>(reader.GetString(4)),
                new AlertObservation(reader.GetInt64(5), FromMs(reader.GetInt64(6)), reader.GetDouble(7)),
                FromMs(reader.GetInt64(8)),
                reader.IsDBNull(9) ? null : new AlertObservation(reader.GetInt64(9), FromMs(reader.GetInt64(10)), reader.GetDouble(11)),
                reader.IsDBNull(12) ? null : FromMs(reader.GetInt64(12))));
        }

        return alerts;
    }

    private static string Word<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static T Parse<T>(string word)
        where T : struct, Enum => Enum.Parse<T>(word, ignoreCase: true);

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
