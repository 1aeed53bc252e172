using Tweeling.Domain.Ports;
using static Tweeling.Storage.Sqlite.SqliteCommands;

namespace Tweeling.Storage.Sqlite;

/// <summary>
/// The embedded MQTT broker's persistent sessions in the twin store's file (tables <c>mqtt_sessions</c> and
/// <c>mqtt_subscriptions</c>, see <see cref="Schema"/>). Expiries are seconds, times Unix milliseconds (UTC).
/// </summary>
public sealed class SqliteMqttSessionStore : IMqttSessionStore
{
    private readonly string _connectionString;

    internal SqliteMqttSessionStore(string connectionString) => _connectionString = connectionString;

    /// <inheritdoc />
    public Task SessionStartedAsync(string clientId, TimeSpan expiry, CancellationToken cancellationToken) =>
        ExecuteAsync(
            """
            INSERT INTO mqtt_sessions (client_id, expiry_seconds, away_since) VALUES ($p0, $p1, NULL)
            ON CONFLICT (client_id) DO UPDATE SET expiry_seconds = excluded.expiry_seconds, away_since = NULL
            """,
            cancellationToken,
            clientId,
            (long)expiry.TotalSeconds);

    /// <inheritdoc />
    public Task SessionAwayAsync(string clientId, DateTimeOffset since, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE mqtt_sessions SET away_since = $p1 WHERE client_id = $p0", cancellationToken, clientId, since.ToUnixTimeMilliseconds());

    /// <inheritdoc />
    public Task SessionEndedAsync(string clientId, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM mqtt_subscriptions WHERE client_id = $p0; DELETE FROM mqtt_sessions WHERE client_id = $p0", cancellationToken, clientId);

    /// <inheritdoc />
    public Task SubscribedAsync(string clientId, string topicFilter, int qualityOfService, CancellationToken cancellationToken) =>
        ExecuteAsync(
            """
            INSERT INTO mqtt_subscriptions (client_id, topic_filter, qos)
            SELECT $p0, $p1, $p2 WHERE EXISTS (SELECT 1 FROM mqtt_sessions WHERE client_id = $p0)
            ON CONFLICT (client_id, topic_filter) DO UPDATE SET qos = excluded.qos
            """,
            cancellationToken,
            clientId,
            topicFilter,
            qualityOfService);

    /// <inheritdoc />
    public Task UnsubscribedAsync(string clientId, string topicFilter, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM mqtt_subscriptions WHERE client_id = $p0 AND topic_filter = $p1", cancellationToken, clientId, topicFilter);

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredMqttSession>> SessionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT s.client_id, s.expiry_seconds, s.away_since, m.topic_filter, m.qos
            FROM mqtt_sessions s LEFT JOIN mqtt_subscriptions m ON m.client_id = s.client_id
            ORDER BY s.client_id, m.topic_filter
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var sessions = new List<StoredMqttSession>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var clientId = reader.GetString(0);
            if (sessions.Count == 0 || sessions[^1].ClientId != clientId)
            {
                sessions.Add(new StoredMqttSession(
                    clientId,
                    TimeSpan.FromSeconds(reader.GetInt64(1)),
                    reader.IsDBNull(2) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                    new List<(string, int)>()));
            }

            if (!reader.IsDBNull(3))
            {
                ((List<(string, int)>)sessions[^1].Subscriptions).Add((reader.GetString(3), (int)reader.GetInt64(4)));
            }
        }

        return sessions;
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params object?[] args)
    {
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, sql, args);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
