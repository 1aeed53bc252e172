using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Tweeling.Storage.Sqlite;

/// <summary>
/// Read connections that keep their prepared statements, for <see cref="QueryAsync"/>: SensorThings reads ask the same
/// few statements thousands of times a second (a Datastream's Observations in a time window, a page of the newest), and
/// Microsoft.Data.Sqlite prepares a statement anew for every command, which for a statement with the visibility
/// condition cost more than running it (about 0.1 ms of 0.2 ms, measured on the demo store's time-window read).
/// </summary>
/// <remarks>
/// A session is one open connection with its commands by SQL text, used by one query at a time. Parameters are bound
/// anew for every run, so the SQL text is the whole key (the translator puts every value in a parameter). A session
/// keeps at most <see cref="StatementsPerSession"/> statements (a burst of different filters empties it) and at most
/// <see cref="KeptSessions"/> sessions are kept between queries; the rest are closed. Queries with the spatial
/// functions, which are registered per connection, take pooled connections as before.
/// </remarks>
public sealed partial class SqliteSensorStore : IDisposable
{
    private const int StatementsPerSession = 32;

    private const int KeptSessions = 16;

    private readonly ConcurrentBag<ReadSession> _sessions = [];
    private volatile bool _disposed;

    /// <summary>Closes the kept read connections; a query still running closes its own when it ends.</summary>
    public void Dispose()
    {
        _disposed = true;
        while (_sessions.TryTake(out var session))
        {
            session.Dispose();
        }
    }

    private ReadSession RentSession() => _sessions.TryTake(out var session) ? session : new ReadSession(_connectionString);

    private void Return(ReadSession session)
    {
        if (_disposed || _sessions.Count >= KeptSessions)
        {
            session.Dispose();
            return;
        }

        _sessions.Add(session);
        if (_disposed && _sessions.TryTake(out var late))
        {
            late.Dispose();
        }
    }

    /// <summary>One open read connection and its prepared commands.</summary>
    private sealed class ReadSession : IDisposable
    {
        private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

        public ReadSession(string connectionString)
        {
            Connection = new SqliteConnection(connectionString);
            Connection.Open();
        }

        public SqliteConnection Connection { get; }

        /// <summary>The command of <paramref name="sql"/>, prepared once per session, in <paramref name="tx"/> with <paramref name="translator"/>'s parameters.</summary>
        public SqliteCommand Command(string sql, SqliteTransaction tx, SqliteFilterTranslator translator)
        {
            if (!_commands.TryGetValue(sql, out var command))
            {
                if (_commands.Count >= StatementsPerSession)
                {
                    DisposeCommands();
                }

                command = Connection.CreateCommand();
                command.CommandText = sql;
                _commands[sql] = command;
            }

            command.Transaction = tx;
            command.Parameters.Clear();
            foreach (var (name, value) in translator.Parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            return command;
        }

        public void Dispose()
        {
            DisposeCommands();
            Connection.Dispose();
        }

        private void DisposeCommands()
        {
            foreach (var command in _commands.Values)
            {
                command.Dispose();
            }

            _commands.Clear();
        }
    }
}
