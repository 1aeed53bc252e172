using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Tweeling.Domain.Audit;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Scenarios;
using static Tweeling.Storage.Sqlite.SqliteCommands;

namespace Tweeling.Storage.Sqlite;

/// <summary>
/// Scenarios in the twin store's file (tables <c>scenarios</c> and <c>scenario_versions</c>, see <see cref="Schema"/>).
/// A version row is written once and never updated; its content is the canonical JSON of <see cref="ScenarioContent"/>
/// (RD New), so the file reads without this code and the stored hash can be checked by anyone.
/// </summary>
public sealed class SqliteScenarioStore : IScenarioStore
{
    private const string Columns = "v.scenario_id, v.version, v.name, v.description, v.reference_date, v.content, v.content_hash, v.created_at";

    private readonly string _connectionString;
    private readonly CrsTransformer _crs;

    internal SqliteScenarioStore(string connectionString, CrsTransformer crs)
    {
        _connectionString = connectionString;
        _crs = crs;
    }

    /// <inheritdoc />
    public async Task<ScenarioVersion> CreateAsync(ScenarioDraft draft, DateTimeOffset at, AuditEntry? audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        using var tx = Begin(connection, audit);
        await using var insert = Command(connection, tx, "INSERT INTO scenarios (latest_version, created_at) VALUES (1, $p0) RETURNING id", at.ToUnixTimeMilliseconds());
        var id = (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        var version = await InsertVersionAsync(connection, tx, id, 1, draft, at, cancellationToken).ConfigureAwait(false);
        Commit(tx, audit);
        return version;
    }

    /// <inheritdoc />
    public async Task<ScenarioVersion?> UpdateAsync(long scenarioId, ScenarioDraft draft, DateTimeOffset at, AuditEntry? audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        using var tx = Begin(connection, audit);
        await using var bump = Command(connection, tx, "UPDATE scenarios SET latest_version = latest_version + 1 WHERE id = $p0 RETURNING latest_version", scenarioId);
        if (await bump.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not long next)
        {
            return null;
        }

        var version = await InsertVersionAsync(connection, tx, scenarioId, (int)next, draft, at, cancellationToken).ConfigureAwait(false);
        Commit(tx, audit);
        return version;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(long scenarioId, AuditEntry? audit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        using var tx = Begin(connection, audit);
        await using var versions = Command(connection, tx, "DELETE FROM scenario_versions WHERE scenario_id = $p0", scenarioId);
        await versions.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await using var scenario = Command(connection, tx, "DELETE FROM scenarios WHERE id = $p0", scenarioId);
        if (await scenario.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            return false;
        }

        Commit(tx, audit);
        return true;
    }

    /// <inheritdoc />
    public async Task<ScenarioVersion?> FindAsync(long scenarioId, int? version, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        await using var command = Command(
            connection,
            null,
            $"""
            SELECT {Columns} FROM scenario_versions v
            WHERE v.scenario_id = $p0 AND v.version = COALESCE($p1, (SELECT latest_version FROM scenarios WHERE id = $p0))
            """,
            scenarioId,
            version);
        return (await ReadAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ScenarioVersion>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        await using var command = Command(
            connection,
            null,
            $"SELECT {Columns} FROM scenario_versions v JOIN scenarios s ON s.id = v.scenario_id AND s.latest_version = v.version ORDER BY s.id");
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<ScenarioVersion> InsertVersionAsync(
        SqliteConnection connection, SqliteTransaction tx, long id, int number, ScenarioDraft draft, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var content = ScenarioContent.Canonical(draft.ReferenceDate, draft.Interventions);
        var hash = ScenarioContent.Hash(draft.ReferenceDate, draft.Interventions);
        await using var insert = Command(
            connection,
            tx,
            "INSERT INTO scenario_versions (scenario_id, version, name, description, reference_date, content, content_hash, created_at) VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7)",
            id, number, draft.Name, draft.Description, Date(draft.ReferenceDate), content, hash, at.ToUnixTimeMilliseconds());
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return new ScenarioVersion(id, number, draft.Name, draft.Description, draft.ReferenceDate, draft.Interventions, hash, at);
    }

    private async Task<List<ScenarioVersion>> ReadAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var versions = new List<ScenarioVersion>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            using var content = JsonDocument.Parse(reader.GetString(5));
            var problems = new List<string>();
            var interventions = ScenarioContent.ReadInterventions(content.RootElement.GetProperty("ingrepen"), Crs.RdNewSrid, _crs, problems);
            if (problems.Count > 0)
            {
                throw new InvalidDataException($"Scenario {reader.GetInt64(0)} version {reader.GetInt32(1)} holds content this version cannot read: {string.Join(" ", problems)}");
            }

            versions.Add(new ScenarioVersion(
                reader.GetInt64(0),
                reader.GetInt32(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                DateOnly.ParseExact(reader.GetString(4), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                interventions,
                reader.GetString(6),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7))));
        }

        return versions;
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A write transaction; with an audit record it syncs at commit, so the record is durable when the call returns.</summary>
    private static SqliteTransaction Begin(SqliteConnection connection, AuditEntry? audit)
    {
        if (audit is not null)
        {
            using var durable = Command(connection, null, "PRAGMA synchronous = FULL");
            durable.ExecuteNonQuery();
        }

        return connection.BeginTransaction();
    }

    /// <summary>Appends <paramref name="audit"/> (when given) in <paramref name="tx"/> and commits both.</summary>
    private static void Commit(SqliteTransaction tx, AuditEntry? audit)
    {
        if (audit is not null)
        {
            SqliteAuditLog.Append(tx, audit);
        }

        tx.Commit();
    }
}
