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

    /// <summary>How many reads of <c>data_version</c> have started; counted under <see cref="_gate"/>.</summary>
    private long _readsStarted;

    /// <summary>The number (in <see cref="_readsStarted"/>) of the last read that ended, and its value.</summary>
    private long _lastRead;
    private long _lastValue;

    /// <summary>The current value: equal to an earlier one exactly when nothing was committed in between.</summary>
    /// <remarks>
    /// Every SensorThings read asks (the access seam and the answer cache), so at 50 clients callers queue here: a
    /// profile of the server at 50 clients spent a tenth of its CPU spinning on this lock. A caller that waited takes
    /// the value of a read that started after it arrived, if one ended meanwhile — that read saw every commit the
    /// caller could know of — so the callers queued behind one read share it instead of each running the pragma.
    /// </remarks>
    public long Current
    {
        get
        {
            var arrivedAfter = Volatile.Read(ref _readsStarted);
            lock (_gate)
            {
                if (_lastRead > arrivedAfter)
                {
                    return _lastValue;
                }

                // A full fence: the pragma runs after the count moved, so a caller that saw the old count arrived before it.
                var read = Interlocked.Increment(ref _readsStarted);
                _lastValue = (long)_command.ExecuteScalar()!;
                _lastRead = read;
                return _lastValue;
            }
        }
    }

    /// <summary>
    /// What the sensor writes committed after change <paramref name="after"/> changed (<c>sta_changes</c>, noted by every
    /// write of <see cref="SqliteSensorStore"/> in its own transaction): per Datastream the earliest phenomenonTime start
    /// it touched, or <see cref="SensorChanges.Everything"/> after an entity write, or when <paramref name="after"/> is
    /// older than the log keeps (or negative: nothing known yet).
    /// </summary>
    public SensorChanges SensorChangesSince(long after)
    {
        lock (_gate)
        {
            long newest;
            using (var bounds = _connection.CreateCommand())
            {
                bounds.CommandText = "SELECT coalesce(max(seq), 0) FROM sta_changes";
                newest = (long)bounds.ExecuteScalar()!;
            }

            if (after < 0 || after > newest)
            {
                return new SensorChanges(newest, true, new Dictionary<long, long>());
            }

            var changed = new Dictionary<long, long>();
            var rows = 0L;
            var everything = false;
            using (var read = _connection.CreateCommand())
            {
                read.CommandText = "SELECT datastream_id, earliest FROM sta_changes WHERE seq > $after AND seq <= $newest";
                read.Parameters.AddWithValue("$after", after);
                read.Parameters.AddWithValue("$newest", newest);
                using var reader = read.ExecuteReader();
                while (reader.Read())
                {
                    rows++;
                    if (reader.IsDBNull(0))
                    {
                        everything = true;
                        continue;
                    }

                    var datastream = reader.GetInt64(0);
                    var earliest = reader.GetInt64(1);
                    changed[datastream] = changed.TryGetValue(datastream, out var known) ? Math.Min(known, earliest) : earliest;
                }
            }

            // Sequence numbers have no gaps (AUTOINCREMENT, and a rolled-back write takes its number back), so fewer rows
            // than numbers means the log was cut past 'after' in the meantime: what was cut is unknown.
            return new SensorChanges(newest, everything || rows != newest - after, changed);
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

/// <summary>What sensor writes changed since an earlier <see cref="SqliteCommitCounter.SensorChangesSince"/>.</summary>
/// <param name="Seq">The newest change read: the next call asks for what came after it.</param>
/// <param name="Everything">Whether anything at all may have changed (an entity write, or a log cut past the caller).</param>
/// <param name="Datastreams">Per changed Datastream, the earliest phenomenonTime start (Unix ms) an added, updated or deleted Observation had.</param>
public sealed record SensorChanges(long Seq, bool Everything, IReadOnlyDictionary<long, long> Datastreams)
{
    /// <summary>
    /// Whether an answer about Observations of <paramref name="datastream"/> that start at or before <paramref name="until"/>
    /// (Unix ms) may differ now; <paramref name="datastream"/> <c>null</c> is an answer about everything.
    /// </summary>
    public bool Affect(long? datastream, long until) =>
        Everything || datastream is not { } id || (Datastreams.TryGetValue(id, out var earliest) && earliest <= until);
}
