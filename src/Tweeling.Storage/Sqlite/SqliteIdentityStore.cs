using Microsoft.Data.Sqlite;
using Tweeling.Domain.Audit;
using Tweeling.Domain.Identity;
using Tweeling.Domain.Ports;
using static Tweeling.Storage.Sqlite.SqliteCommands;

namespace Tweeling.Storage.Sqlite;

/// <summary>
/// Local accounts and API tokens in the twin store's file (tables <c>accounts</c> and <c>api_tokens</c>, see
/// <see cref="Schema"/>). A token is stored as the SHA-256 of its secret only, under a unique index, so a
/// sign-in looks it up in one index search and a copy of the file holds no usable token.
/// </summary>
public sealed class SqliteIdentityStore : IIdentityStore
{
    private const string AccountColumns = "id, user_name, role, password_hash, created, disabled";
    private const string TokenColumns = "id, account_id, name, created, expires, last_used, revoked";

    private readonly string _connectionString;

    internal SqliteIdentityStore(string connectionString) => _connectionString = connectionString;

    /// <inheritdoc />
    public Task<bool> AddAccountAsync(Account account, CancellationToken cancellationToken) => AddAccountCoreAsync(account, null, cancellationToken);

    /// <inheritdoc />
    public Task<bool> AddAccountAsync(Account account, AuditEntry audit, CancellationToken cancellationToken) =>
        AddAccountCoreAsync(account, audit ?? throw new ArgumentNullException(nameof(audit)), cancellationToken);

    /// <inheritdoc />
    public async Task<Account?> FindAccountAsync(string userName, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, $"SELECT {AccountColumns} FROM accounts WHERE user_name = $p0", userName);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadAccount(reader, 0) : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Account>> ListAccountsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, $"SELECT {AccountColumns} FROM accounts ORDER BY user_name");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var accounts = new List<Account>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            accounts.Add(ReadAccount(reader, 0));
        }

        return accounts;
    }

    /// <inheritdoc />
    public Task<bool> SetDisabledAsync(string userName, bool disabled, CancellationToken cancellationToken) =>
        WriteOneAsync("UPDATE accounts SET disabled = $p1 WHERE user_name = $p0", null, cancellationToken, userName, disabled ? 1 : 0);

    /// <inheritdoc />
    public Task<bool> SetDisabledAsync(string userName, bool disabled, AuditEntry audit, CancellationToken cancellationToken) =>
        WriteOneAsync("UPDATE accounts SET disabled = $p1 WHERE user_name = $p0", audit ?? throw new ArgumentNullException(nameof(audit)), cancellationToken, userName, disabled ? 1 : 0);

    /// <inheritdoc />
    public Task<bool> SetPasswordHashAsync(string userName, string passwordHash, CancellationToken cancellationToken) =>
        WriteOneAsync("UPDATE accounts SET password_hash = $p1 WHERE user_name = $p0", null, cancellationToken, userName, passwordHash);

    /// <inheritdoc />
    public Task<bool> SetPasswordHashAsync(string userName, string passwordHash, AuditEntry audit, CancellationToken cancellationToken) =>
        WriteOneAsync("UPDATE accounts SET password_hash = $p1 WHERE user_name = $p0", audit ?? throw new ArgumentNullException(nameof(audit)), cancellationToken, userName, passwordHash);

    /// <inheritdoc />
    public Task AddTokenAsync(ApiToken token, byte[] secretHash, CancellationToken cancellationToken) => AddTokenCoreAsync(token, secretHash, null, cancellationToken);

    /// <inheritdoc />
    public Task AddTokenAsync(ApiToken token, byte[] secretHash, AuditEntry audit, CancellationToken cancellationToken) =>
        AddTokenCoreAsync(token, secretHash, audit ?? throw new ArgumentNullException(nameof(audit)), cancellationToken);

    /// <inheritdoc />
    public async Task<(ApiToken Token, Account Account)?> FindTokenAsync(byte[] secretHash, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        await using var command = Command(
            connection,
            $"SELECT {Prefixed("t", TokenColumns)}, {Prefixed("a", AccountColumns)} FROM api_tokens t JOIN accounts a ON a.id = t.account_id WHERE t.secret_hash = $p0",
            secretHash);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? (ReadToken(reader), ReadAccount(reader, 7)) : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ApiToken>> ListTokensAsync(string? accountId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, $"SELECT {TokenColumns} FROM api_tokens WHERE $p0 IS NULL OR account_id = $p0 ORDER BY created, id", accountId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var tokens = new List<ApiToken>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            tokens.Add(ReadToken(reader));
        }

        return tokens;
    }

    /// <inheritdoc />
    public Task<bool> RevokeTokenAsync(string tokenId, DateTimeOffset time, CancellationToken cancellationToken) =>
        WriteOneAsync(RevokeSql, null, cancellationToken, tokenId, time.ToUnixTimeMilliseconds());

    /// <inheritdoc />
    public Task<bool> RevokeTokenAsync(string tokenId, DateTimeOffset time, AuditEntry audit, CancellationToken cancellationToken) =>
        WriteOneAsync(RevokeSql, audit ?? throw new ArgumentNullException(nameof(audit)), cancellationToken, tokenId, time.ToUnixTimeMilliseconds());

    /// <inheritdoc />
    public Task MarkTokenUsedAsync(string tokenId, DateTimeOffset time, CancellationToken cancellationToken) =>
        WriteOneAsync("UPDATE api_tokens SET last_used = $p1 WHERE id = $p0", null, cancellationToken, tokenId, time.ToUnixTimeMilliseconds());

    private const string RevokeSql = "UPDATE api_tokens SET revoked = $p1 WHERE id = $p0 AND revoked IS NULL";

    private Task<bool> AddAccountCoreAsync(Account account, AuditEntry? audit, CancellationToken cancellationToken) => WriteOneAsync(
        $"INSERT INTO accounts ({AccountColumns}) VALUES ($p0, $p1, $p2, $p3, $p4, $p5) ON CONFLICT (user_name) DO NOTHING",
        audit,
        cancellationToken,
        account.Id, account.UserName, account.Role, account.PasswordHash, account.Created.ToUnixTimeMilliseconds(), account.Disabled ? 1 : 0);

    private async Task AddTokenCoreAsync(ApiToken token, byte[] secretHash, AuditEntry? audit, CancellationToken cancellationToken)
    {
        var added = await WriteOneAsync(
            $"INSERT INTO api_tokens ({TokenColumns}, secret_hash) SELECT $p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7 FROM accounts WHERE id = $p1",
            audit,
            cancellationToken,
            token.Id, token.AccountId, token.Name, token.Created.ToUnixTimeMilliseconds(), token.Expires?.ToUnixTimeMilliseconds(),
            token.LastUsed?.ToUnixTimeMilliseconds(), token.Revoked?.ToUnixTimeMilliseconds(), secretHash).ConfigureAwait(false);
        if (!added)
        {
            throw new ArgumentException($"there is no account {token.AccountId} to give a token.", nameof(token));
        }
    }

    /// <summary>
    /// Runs <paramref name="sql"/>, which changes at most one row; true when it changed one. With an
    /// <paramref name="audit"/> record the change and the record commit in one durable transaction (as
    /// <see cref="SqliteReviewStore"/> does), and nothing is written when no row changed.
    /// </summary>
    private async Task<bool> WriteOneAsync(string sql, AuditEntry? audit, CancellationToken cancellationToken, params object?[] args)
    {
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        if (audit is null)
        {
            await using var plain = Command(connection, sql, args);
            return await plain.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }

        await using (var durable = Command(connection, "PRAGMA synchronous = FULL"))
        {
            // In WAL mode FULL syncs at commit: the audit record is durable when the call returns.
            await durable.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        using var tx = connection.BeginTransaction();
        await using var write = Command(connection, sql, args);
        write.Transaction = tx;
        if (await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
        {
            return false;
        }

        SqliteAuditLog.Append(tx, audit);
        tx.Commit();
        return true;
    }

    private static Account ReadAccount(SqliteDataReader reader, int first) => new(
        reader.GetString(first),
        reader.GetString(first + 1),
        reader.GetString(first + 2),
        reader.IsDBNull(first + 3) ? null : reader.GetString(first + 3),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(first + 4)),
        reader.GetInt64(first + 5) != 0);

    private static ApiToken ReadToken(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
        Time(reader, 4),
        Time(reader, 5),
        Time(reader, 6));

    private static DateTimeOffset? Time(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    private static string Prefixed(string table, string columns) => string.Join(", ", columns.Split(", ").Select(c => $"{table}.{c}"));
}
