using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Tweeling.Domain.Audit;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Reviews;
using static Tweeling.Storage.Sqlite.SqliteCommands;

namespace Tweeling.Storage.Sqlite;

/// <summary>
/// Reviews and algorithm switches in the twin store's file (tables <c>reviews</c> and
/// <c>algorithm_activations</c>, see <see cref="Schema"/>). Times are Unix milliseconds (UTC); kinds and
/// statuses are lowercase words; reviewers, conditions and sections are JSON arrays, so the file reads
/// without this code.
/// </summary>
public sealed class SqliteReviewStore : IReviewStore
{
    private const string Columns = "id, kind, subject_kind, subject_id, status, reviewers, conditions, sections, created_at, decided_at, valid_until";

    private readonly string _connectionString;

    internal SqliteReviewStore(string connectionString) => _connectionString = connectionString;

    /// <inheritdoc />
    public Task<Review> AddAsync(Review review, CancellationToken cancellationToken) => AddCoreAsync(review, null, cancellationToken);

    /// <inheritdoc />
    public Task<Review> AddAsync(Review review, AuditEntry audit, CancellationToken cancellationToken) =>
        AddCoreAsync(review, audit ?? throw new ArgumentNullException(nameof(audit)), cancellationToken);

    /// <inheritdoc />
    public Task<bool> UpdateAsync(Review review, CancellationToken cancellationToken) => UpdateCoreAsync(review, null, cancellationToken);

    /// <inheritdoc />
    public Task<bool> UpdateAsync(Review review, AuditEntry audit, CancellationToken cancellationToken) =>
        UpdateCoreAsync(review, audit ?? throw new ArgumentNullException(nameof(audit)), cancellationToken);

    /// <inheritdoc />
    public Task SetActivationAsync(AlgorithmActivation activation, CancellationToken cancellationToken) => SetActivationCoreAsync(activation, null, cancellationToken);

    /// <inheritdoc />
    public Task SetActivationAsync(AlgorithmActivation activation, AuditEntry audit, CancellationToken cancellationToken) =>
        SetActivationCoreAsync(activation, audit ?? throw new ArgumentNullException(nameof(audit)), cancellationToken);

    private async Task<Review> AddCoreAsync(Review review, AuditEntry? audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(review);
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        using var tx = Begin(connection, audit);
        await using var insert = Command(
            connection,
            """
            INSERT INTO reviews (kind, subject_kind, subject_id, status, reviewers, conditions, sections, created_at, decided_at, valid_until)
            VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, $p9) RETURNING id
            """,
            Word(review.Kind), Word(review.Subject.Kind), review.Subject.Id, Word(review.Status), Json(review.Reviewers), Json(review.Conditions), Json(review.Sections),
            review.CreatedAt.ToUnixTimeMilliseconds(), review.DecidedAt?.ToUnixTimeMilliseconds(), Date(review.ValidUntil));
        insert.Transaction = tx;
        var id = (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        Commit(tx, audit);
        return review with { Id = id };
    }

    /// <inheritdoc />
    public async Task<Review?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, $"SELECT {Columns} FROM reviews WHERE id = $p0", id);
        return (await ReadAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Review>> ListAsync(ReviewSubject? subject, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        await using var command = Command(
            connection,
            $"SELECT {Columns} FROM reviews WHERE $p0 IS NULL OR (subject_kind = $p0 AND subject_id = $p1) ORDER BY id",
            subject is null ? null : Word(subject.Kind), subject?.Id);
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> UpdateCoreAsync(Review review, AuditEntry? audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(review);
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        using var tx = Begin(connection, audit);
        await using var update = Command(
            connection,
            "UPDATE reviews SET status = $p1, reviewers = $p2, conditions = $p3, sections = $p4, decided_at = $p5, valid_until = $p6 WHERE id = $p0",
            review.Id, Word(review.Status), Json(review.Reviewers), Json(review.Conditions), Json(review.Sections), review.DecidedAt?.ToUnixTimeMilliseconds(), Date(review.ValidUntil));
        update.Transaction = tx;
        if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            return false;
        }

        Commit(tx, audit);
        return true;
    }

    /// <inheritdoc />
    public async Task<AlgorithmActivation?> FindActivationAsync(string algorithmId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, "SELECT enabled, changed_at, changed_by FROM algorithm_activations WHERE algorithm_id = $p0", algorithmId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new AlgorithmActivation(algorithmId, reader.GetInt64(0) != 0, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.GetString(2))
            : null;
    }

    private async Task SetActivationCoreAsync(AlgorithmActivation activation, AuditEntry? audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activation);
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        using var tx = Begin(connection, audit);
        await using var upsert = Command(
            connection,
            """
            INSERT INTO algorithm_activations (algorithm_id, enabled, changed_at, changed_by) VALUES ($p0, $p1, $p2, $p3)
            ON CONFLICT (algorithm_id) DO UPDATE SET enabled = excluded.enabled, changed_at = excluded.changed_at, changed_by = excluded.changed_by
            """,
            activation.AlgorithmId, activation.Enabled ? 1 : 0, activation.ChangedAt.ToUnixTimeMilliseconds(), activation.ChangedBy);
        upsert.Transaction = tx;
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        Commit(tx, audit);
    }

    /// <summary>
    /// A write transaction (<c>BEGIN IMMEDIATE</c>, so the audit chain's head is read under the write lock); with an
    /// audit record it syncs at commit (<c>synchronous = FULL</c>), so the record is durable when the call returns.
    /// </summary>
    private static SqliteTransaction Begin(SqliteConnection connection, AuditEntry? audit)
    {
        if (audit is not null)
        {
            using var durable = Command(connection, "PRAGMA synchronous = FULL");
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

    private static async Task<List<Review>> ReadAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var reviews = new List<Review>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            reviews.Add(new Review
            {
                Id = reader.GetInt64(0),
                Kind = Parse<ReviewKind>(reader.GetString(1)),
                Subject = new ReviewSubject(Parse<ReviewSubjectKind>(reader.GetString(2)), reader.GetString(3)),
                Status = Parse<ReviewStatus>(reader.GetString(4)),
                Reviewers = JsonSerializer.Deserialize<Reviewer[]>(reader.GetString(5))!,
                Conditions = JsonSerializer.Deserialize<string[]>(reader.GetString(6))!,
                Sections = JsonSerializer.Deserialize<ReviewSection[]>(reader.GetString(7))!,
                CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8)),
                DecidedAt = reader.IsDBNull(9) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(9)),
                ValidUntil = reader.IsDBNull(10) ? null : DateOnly.ParseExact(reader.GetString(10), "yyyy-MM-dd", CultureInfo.InvariantCulture),
            });
        }

        return reviews;
    }

    private static string Json<T>(IReadOnlyList<T> values) => JsonSerializer.Serialize(values);

    private static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Word<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static T Parse<T>(string word)
        where T : struct, Enum => Enum.Parse<T>(word, ignoreCase: true);
}
