using Microsoft.Data.Sqlite;

namespace Tweeling.Storage.Sqlite;

/// <summary>
/// How the SQLite stores reach their file: a connection of their own per operation (Microsoft.Data.Sqlite pools them,
/// so opening one is cheap), and commands with positional parameters <c>$p0</c>, <c>$p1</c>, … in which <c>null</c>
/// is SQL NULL.
/// </summary>
internal static class SqliteCommands
{
    public static async Task<SqliteConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    /// <summary>A command outside any transaction.</summary>
    public static SqliteCommand Command(SqliteConnection connection, string sql, params object?[] args) => Command(connection, tx: null, sql, args);

    /// <summary>A command in <paramref name="tx"/> (<c>null</c>: outside any transaction).</summary>
    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? tx, string sql, params object?[] args)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        for (var i = 0; i < args.Length; i++)
        {
            command.Parameters.AddWithValue($"$p{i}", args[i] ?? DBNull.Value);
        }

        return command;
    }
}
