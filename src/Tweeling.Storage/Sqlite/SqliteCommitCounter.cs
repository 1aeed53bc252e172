using Microsoft.Data.Sqlite;

namespace Tweeling.Storage.Sqlite;

/// <summary>
/// A number that changes whenever a write to the store file commits — through any connection, in this
/// process or in another one — so that an answer computed from the store can be kept for as long as the
/// number holds (SQLite's <c>PRAGMA data_version</c>).
/// </summary>
/// <remarks>
/// <c>data_version</c> changes when a connection other than the one asking has committed, so the counter asks
/// on a connection of its own that never writes. The check reads SQLite's shared WAL index, not the file, and
/// costs a few microseconds; one connection serves every caller, one at a time. It counts every table: a write
/// to any part of the store (features, audit, alerts) moves it, which makes kept answers stale too often but
/// never too seldom.
/// </remarks>
public sealed class SqliteCommitCounter : IDisposable
{
    private readonly Lock _gate = new();
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _command;

    internal SqliteCommitCounter(string connectionString)
    {
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        _command = _connection.CreateCommand();
        _command.CommandText = "PRAGMA data_version";
        _command.Prepare();
    }

    /// <summary>The current value: equal to an earlier one exactly when nothing was committed in between.</summary>
    public long Current
    {
        get
        {
            lock (_gate)
            {
                return (long)_command.ExecuteScalar()!;
            }
        }
    }

    /// <summary>Closes the counter's connection.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _command.Dispose();
            _connection.Dispose();
        }
    }
}
