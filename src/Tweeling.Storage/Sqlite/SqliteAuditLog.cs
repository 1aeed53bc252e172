using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Tweeling.Domain.Audit;
using Tweeling.Domain.Ports;

namespace Tweeling.Storage.Sqlite;

/// <summary>
/// The audit log in the twin store's file (table <c>audit_log</c>); see <see cref="IAuditLog"/> and docs/audit.md.
/// </summary>
/// <remarks>
/// A record gets its sequence number and chain hash inside the write transaction that appends it, from the
/// last record that transaction sees; SQLite's single writer (<c>BEGIN IMMEDIATE</c>) makes that the true
/// last record, so concurrent appenders, in this process or another, always extend one chain.
/// <para>
/// <see cref="AppendAsync"/> commits in groups: appends that arrive while a commit is being synced wait for
/// it and then go in one transaction together, with one sync. A read of non-open data therefore waits for
/// at most about two syncs, however many readers there are, instead of queueing behind one sync each.
/// </para>
/// </remarks>
public sealed class SqliteAuditLog : IAuditLog
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _commit = new(1, 1);
    private readonly List<Pending> _waiting = [];

    internal SqliteAuditLog(string connectionString) => _connectionString = connectionString;

    /// <inheritdoc />
    public async Task<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var pending = new Pending(entry);
        lock (_waiting)
        {
            _waiting.Add(pending);
        }

        // Not cancellable once queued: another caller's commit may already be writing this entry.
        await _commit.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (!pending.Completion.Task.IsCompleted)
            {
                await CommitWaitingAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _commit.Release();
        }

        return await pending.Completion.Task.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<AuditRecord> ReadAsync(AuditFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = Query(filter);
        command.Parameters.AddWithValue("$from", (object?)filter.From?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$to", (object?)filter.To?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$subject", (object?)filter.Subject ?? DBNull.Value);
        command.Parameters.AddWithValue("$action", (object?)filter.Action ?? DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return Read(reader);
        }
    }

    /// <summary>
    /// The read for <paramref name="filter"/> with only the conditions it sets, so SQLite can pick the
    /// <c>audit_log_by_subject</c>, <c>audit_log_by_action</c> or <c>audit_log_by_time</c> index (a
    /// <c>$p IS NULL OR …</c> condition would keep it from using any). The parameters are <c>$from</c>,
    /// <c>$to</c>, <c>$subject</c> and <c>$action</c>.
    /// </summary>
    internal static string Query(AuditFilter filter)
    {
        var conditions = new List<string>();
        if (filter.From is not null)
        {
            conditions.Add("time >= $from");
        }

        if (filter.To is not null)
        {
            conditions.Add("time < $to");
        }

        if (filter.Subject is not null)
        {
            conditions.Add("subject = $subject");
        }

        if (filter.Action is not null)
        {
            conditions.Add("action = $action");
        }

        var where = conditions.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", conditions);
        return $"SELECT {Columns} FROM audit_log{where} ORDER BY seq";
    }

    /// <summary>
    /// Appends <paramref name="entry"/> as the next record in <paramref name="tx"/>, which must hold the write
    /// lock (a <c>BEGIN IMMEDIATE</c> transaction): the record commits or rolls back with it.
    /// </summary>
    internal static AuditRecord Append(SqliteTransaction tx, AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Append(tx, [entry])[0];
    }

    /// <summary>
    /// Appends <paramref name="entries"/>, in order, as the next records in <paramref name="tx"/> (see the single-entry
    /// overload). The head of the chain is read once and the insert prepared once for all of them: a group commit of
    /// MQTT PUBLISHes to 60 Datastreams brings 60 records, and reading the head and preparing the statement anew for
    /// each cost about as much as storing the group's observations (CPU profile of <c>mqtt-ingest</c>, docs/benchmarks.md).
    /// </summary>
    internal static IReadOnlyList<AuditRecord> Append(SqliteTransaction tx, IReadOnlyList<AuditEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return [];
        }

        var connection = tx.Connection!;
        var (last, previousHash) = (0L, AuditChain.Genesis);
        using (var head = connection.CreateCommand())
        {
            head.Transaction = tx;
            head.CommandText = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";
            using var reader = head.ExecuteReader();
            if (reader.Read())
            {
                (last, previousHash) = (reader.GetInt64(0), reader.GetString(1));
            }
        }

        using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = """
            INSERT INTO audit_log (seq, time, subject, role, purpose, action, resource, result_size, result_unit, outcome, hash)
            VALUES ($seq, $time, $subject, $role, $purpose, $action, $resource, $size, $unit, $outcome, $hash)
            """;
        var parameters = new[] { "$seq", "$time", "$subject", "$role", "$purpose", "$action", "$resource", "$size", "$unit", "$outcome", "$hash" }
            .Select(name => insert.Parameters.Add(new SqliteParameter { ParameterName = name }))
            .ToArray();
        var records = new List<AuditRecord>(entries.Count);
        foreach (var entry in entries)
        {
            var record = new AuditRecord(last + 1, entry, AuditChain.Next(previousHash, last + 1, entry));
            object?[] values =
            [
                record.Sequence, entry.Time.ToUnixTimeMilliseconds(), entry.Subject, entry.Role, entry.Purpose, entry.Action,
                entry.Resource, entry.ResultSize, entry.ResultUnit, entry.Outcome, record.Hash,
            ];
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = values[i] ?? DBNull.Value;
            }

            // The same command runs again with new values: Microsoft.Data.Sqlite keeps its prepared statement.
            insert.ExecuteNonQuery();
            records.Add(record);
            (last, previousHash) = (record.Sequence, record.Hash);
        }

        return records;
    }

    /// <summary>Writes every waiting entry in one durable transaction and completes their callers.</summary>
    private async Task CommitWaitingAsync()
    {
        List<Pending> group;
        lock (_waiting)
        {
            group = [.. _waiting];
            _waiting.Clear();
        }

        try
        {
            await using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(CancellationToken.None).ConfigureAwait(false);
            await using (var durable = connection.CreateCommand())
            {
                // In WAL mode FULL syncs the log at every commit: a returned record survives power loss.
                durable.CommandText = "PRAGMA synchronous = FULL";
                await durable.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            }

            using var tx = connection.BeginTransaction();
            var records = Append(tx, [.. group.Select(p => p.Entry)]);
            tx.Commit();
            for (var i = 0; i < group.Count; i++)
            {
                group[i].Completion.TrySetResult(records[i]);
            }
        }
        catch (Exception e)
        {
            foreach (var pending in group)
            {
                pending.Completion.TrySetException(e);
            }
        }
    }

    private const string Columns = "seq, time, subject, role, purpose, action, resource, result_size, result_unit, outcome, hash";

    private static AuditRecord Read(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        new AuditEntry(
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
            reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetString(4),
            reader.GetString(5),
            reader.GetString(6),
            reader.GetInt64(7),
            reader.GetString(8),
            reader.GetString(9)),
        reader.GetString(10));

    /// <summary>An entry waiting for a group commit, and its caller.</summary>
    private sealed record Pending(AuditEntry Entry)
    {
        // Continuations run asynchronously so that completing one caller never holds up the commit loop.
        public TaskCompletionSource<AuditRecord> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
