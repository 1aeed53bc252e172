using Microsoft.Data.Sqlite;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Location = Tweeling.Domain.Sensors.Location;
using static Tweeling.Storage.Sqlite.SqliteCommands;

namespace Tweeling.Storage.Sqlite;

/// <summary>The read side of the SensorThings query options: <see cref="ISensorStore.QueryAsync"/> in SQL.</summary>
public sealed partial class SqliteSensorStore
{
    /// <inheritdoc />
    /// <remarks>
    /// One SELECT for the page and, when counted, one COUNT(*) with the same WHERE, both in one read transaction
    /// so that the count matches the page. A Datastream's Observations ordered by phenomenonTime (either
    /// direction) and filtered on a phenomenonTime range are read along the primary key (datastream_id,
    /// phenomenon_start, id) without a sort.
    /// </remarks>
    public async Task<SensorPage> QueryAsync(SensorQuery query, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(query.Top);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Skip);
        var (sql, countSql, translator) = Translate(query);
        if (!translator.UsesCustomFunctions)
        {
            return ReadPageInSession(query, sql, countSql, translator);
        }

        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        SqliteSpatialFunctions.Register(connection);
        using var tx = connection.BeginTransaction(deferred: true);
        return ReadPage(connection, tx, query, sql, countSql, translator);
    }

    /// <summary><see cref="QueryAsync"/> on a kept read connection with its prepared statements (see <see cref="ReadSession"/>).</summary>
    private SensorPage ReadPageInSession(SensorQuery query, string sql, string countSql, SqliteFilterTranslator translator)
    {
        var session = RentSession();
        SensorPage page;
        try
        {
            using var tx = session.Connection.BeginTransaction(deferred: true);
            page = ReadPage(query, session.Command(sql, tx, translator), query.Count ? session.Command(countSql, tx, translator) : null);
        }
        catch
        {
            // Whatever failed may have left the connection mid-statement: it is not used again.
            session.Dispose();
            throw;
        }

        Return(session);
        return page;
    }

    /// <inheritdoc />
    /// <remarks>
    /// <para>
    /// All parents in one SELECT: the parent ids are a table (<c>json_each</c>) joined to the entities through the
    /// navigation's condition, and <c>ROW_NUMBER() OVER (PARTITION BY parent ORDER BY …)</c> numbers each parent's
    /// entities in the query's order, so that the page of each parent is its rows numbered skip + 1 … skip + top;
    /// counts are one grouped COUNT(*). Visibility is decided once for the statement, as in <see cref="QueryAsync"/>.
    /// </para>
    /// <para>
    /// Observations are the exception: numbering them would read and sort every Observation of every parent
    /// (tens of thousands per Datastream) to keep the newest few, while one page per parent is a short range of the
    /// primary key. They are read parent by parent, with one connection and one read transaction for all.
    /// </para>
    /// </remarks>
    public async Task<IReadOnlyList<SensorPage>> QueryEachAsync(SensorQuery query, IReadOnlyList<long> parentIds, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(query.Top);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Skip);
        var scope = query.Scope ?? throw new ArgumentException("A query for each parent needs a scope (the navigation from the parents).", nameof(query));
        if (parentIds.Count == 0)
        {
            return [];
        }

        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        using var tx = connection.BeginTransaction(deferred: true);
        if (query.Set == SensorEntitySet.Observations)
        {
            var pages = new List<SensorPage>(parentIds.Count);
            foreach (var parentId in parentIds)
            {
                var one = query with { Scope = scope with { Id = parentId } };
                var (sql, countSql, translator) = Translate(one);
                if (translator.UsesCustomFunctions)
                {
                    SqliteSpatialFunctions.Register(connection);
                }

                pages.Add(ReadPage(connection, tx, one, sql, countSql, translator));
            }

            return pages;
        }

        return ReadPagesByParent(connection, tx, query, scope, parentIds);
    }

    private SensorPage ReadPage(SqliteConnection connection, SqliteTransaction tx, SensorQuery query, string sql, string countSql, SqliteFilterTranslator translator)
    {
        using var page = QueryCommand(connection, tx, sql, translator);
        using var count = query.Count ? QueryCommand(connection, tx, countSql, translator) : null;
        return ReadPage(query, page, count);
    }

    /// <summary>Runs <paramref name="page"/> (the query's page, bound but for limit and offset) and <paramref name="count"/> when counted.</summary>
    private SensorPage ReadPage(SensorQuery query, SqliteCommand page, SqliteCommand? count)
    {
        page.Parameters.AddWithValue("$limit", query.Top);
        page.Parameters.AddWithValue("$offset", query.Skip);
        var read = Reader(query);
        var entities = new List<ISensorEntity>();
        using (var reader = page.ExecuteReader())
        {
            while (reader.Read())
            {
                entities.Add(read(reader));
            }
        }

        return new SensorPage(entities, count is null ? null : (long)count.ExecuteScalar()!);
    }

    /// <summary>The pages of <see cref="QueryEachAsync"/> for a set other than Observations: one numbered SELECT for all parents.</summary>
    private List<SensorPage> ReadPagesByParent(SqliteConnection connection, SqliteTransaction tx, SensorQuery query, SensorScope scope, IReadOnlyList<long> parentIds)
    {
        var translator = new SqliteFilterTranslator(query.Set, query.Now, query.Visibility);
        var where = translator.WhereEach(scope, "p.value", query.Filter);
        var order = translator.OrderBy(query.OrderBy);
        if (translator.UsesCustomFunctions)
        {
            SqliteSpatialFunctions.Register(connection);
        }

        var table = SqliteFilterTranslator.Table(query.Set);
        var parents = System.Text.Json.JsonSerializer.Serialize(parentIds.Distinct().ToArray());
        var from = $"json_each($parents) p JOIN {table} e ON {where}";
        var sql = $"SELECT * FROM (SELECT {Columns(query.Set)}, p.value AS parent_id, ROW_NUMBER() OVER (PARTITION BY p.value ORDER BY {order}) AS position FROM {from})"
            + " WHERE position > $offset AND position <= $offset + $limit ORDER BY parent_id, position";

        var read = Reader(query);
        var entities = new Dictionary<long, List<ISensorEntity>>();
        using (var command = QueryCommand(connection, tx, sql, translator))
        {
            command.Parameters.AddWithValue("$parents", parents);
            command.Parameters.AddWithValue("$limit", query.Top);
            command.Parameters.AddWithValue("$offset", query.Skip);
            using var reader = command.ExecuteReader();
            var parentColumn = reader.FieldCount - 2;
            while (reader.Read())
            {
                var parentId = reader.GetInt64(parentColumn);
                if (!entities.TryGetValue(parentId, out var page))
                {
                    entities[parentId] = page = [];
                }

                page.Add(read(reader));
            }
        }

        Dictionary<long, long>? counts = null;
        if (query.Count)
        {
            counts = [];
            using var command = QueryCommand(connection, tx, $"SELECT p.value, COUNT(*) FROM {from} GROUP BY p.value", translator);
            command.Parameters.AddWithValue("$parents", parents);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                counts[reader.GetInt64(0)] = reader.GetInt64(1);
            }
        }

        return [.. parentIds.Select(id => new SensorPage(
            entities.TryGetValue(id, out var page) ? page : [],
            counts is null ? null : counts.GetValueOrDefault(id)))];
    }

    /// <summary>The lines of SQLite's EXPLAIN QUERY PLAN for the page SELECT of <paramref name="query"/>, to check index use.</summary>
    internal async Task<IReadOnlyList<string>> QueryPlanAsync(SensorQuery query, CancellationToken cancellationToken)
    {
        var (sql, _, translator) = Translate(query);
        await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        SqliteSpatialFunctions.Register(connection);
        using var command = QueryCommand(connection, null, "EXPLAIN QUERY PLAN " + sql, translator);
        command.Parameters.AddWithValue("$limit", query.Top);
        command.Parameters.AddWithValue("$offset", query.Skip);
        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read())
        {
            lines.Add(reader.GetString(3));
        }

        return lines;
    }

    private (string Sql, string CountSql, SqliteFilterTranslator Translator) Translate(SensorQuery query)
    {
        var translator = new SqliteFilterTranslator(query.Set, query.Now, query.Visibility);
        if (query.Set == SensorEntitySet.Observations && SqliteFilterTranslator.RowsOf(query.Scope) == ObservationRows.Both)
        {
            return TranslateBothKinds(query, translator);
        }

        var where = translator.Where(query.Scope, query.Filter);
        var order = translator.OrderBy(query.OrderBy);
        var table = translator.RootTable;
        var sql = $"SELECT {Columns(query)} FROM {table} e WHERE {where} ORDER BY {order} LIMIT $limit OFFSET $offset";
        return (sql, $"SELECT COUNT(*) FROM {table} e WHERE {where}", translator);
    }

    /// <summary>
    /// A page of Observations of both kinds (<c>Observations</c>, <c>FeaturesOfInterest(id)/Observations</c>): a compound
    /// SELECT of the Datastreams' and the MultiDatastreams' Observations, each arm with its own WHERE and its order keys as
    /// result columns, sorted by them. SQLite merges two arms that each read in order (along <c>sta_observations_by_id</c>
    /// for the default order by id), so the first page costs what it cost on <c>sta_observations</c> alone; a union as a
    /// subquery would be read whole and sorted.
    /// </summary>
    private (string Sql, string CountSql, SqliteFilterTranslator Translator) TranslateBothKinds(SensorQuery query, SqliteFilterTranslator translator)
    {
        var arms = new List<string>(2);
        var counts = new List<string>(2);
        IReadOnlyList<(string Sql, bool Descending)> keys = [];
        foreach (var rows in (ObservationRows[])[ObservationRows.OfDatastreams, ObservationRows.OfMultiDatastreams])
        {
            translator.FromObservations(rows);
            var where = translator.Where(query.Scope, query.Filter);
            keys = translator.OrderKeys(query.OrderBy);
            var columns = rows == ObservationRows.OfDatastreams ? s_observationQueryColumns + ", NULL AS multi_datastream_id" : s_anyObservationQueryColumns;
            var table = translator.RootTable;
            arms.Add($"SELECT {columns}, {string.Join(", ", keys.Select((k, i) => $"{k.Sql} AS k{i}"))} FROM {table} e WHERE {where}");
            counts.Add($"(SELECT COUNT(*) FROM {table} e WHERE {where})");
        }

        var order = string.Join(", ", keys.Select((k, i) => $"k{i}" + (k.Descending ? " DESC" : "")));
        return ($"{string.Join(" UNION ALL ", arms)} ORDER BY {order} LIMIT $limit OFFSET $offset", $"SELECT {string.Join(" + ", counts)}", translator);
    }

    private static SqliteCommand QueryCommand(SqliteConnection connection, SqliteTransaction? tx, string sql, SqliteFilterTranslator translator)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in translator.Parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    /// <summary><see cref="ObservationColumns"/> qualified with the alias <c>e</c>.</summary>
    private static readonly string s_observationQueryColumns = string.Join(", ", ObservationColumns.Split(", ").Select(c => "e." + c));

    /// <summary>The columns <see cref="ReadAnyObservation"/> expects: <see cref="s_observationQueryColumns"/>, then the MultiDatastream.</summary>
    private static readonly string s_anyObservationQueryColumns = s_observationQueryColumns + ", e.multi_datastream_id";

    /// <summary>The columns the reader of <paramref name="query"/> expects, qualified with the alias <c>e</c>.</summary>
    private string Columns(SensorQuery query) => query.Set switch
    {
        SensorEntitySet.Observations when SqliteFilterTranslator.RowsOf(query.Scope) == ObservationRows.OfDatastreams => s_observationQueryColumns,
        SensorEntitySet.Observations => s_anyObservationQueryColumns,
        var set => Columns(set),
    };

    /// <summary>The columns a reader of <paramref name="set"/> (not Observations) expects, qualified with the alias <c>e</c>.</summary>
    private string Columns(SensorEntitySet set) => set switch
    {
        SensorEntitySet.MultiDatastreams => "e.id, " + string.Join(", ", ColumnsOf(set).Select(c => "e." + c)) + ", " + ObservedPropertyIdsOfRow,
        _ => "e.id, " + string.Join(", ", ColumnsOf(set).Select(c => "e." + c)),
    };

    private IReadOnlyList<string> ColumnsOf(SensorEntitySet set) => set switch
    {
        SensorEntitySet.Things => TableOf<Thing>().Columns,
        SensorEntitySet.Locations => TableOf<Location>().Columns,
        SensorEntitySet.HistoricalLocations => TableOf<HistoricalLocation>().Columns,
        SensorEntitySet.Datastreams => TableOf<Datastream>().Columns,
        SensorEntitySet.Sensors => TableOf<Sensor>().Columns,
        SensorEntitySet.ObservedProperties => TableOf<ObservedProperty>().Columns,
        SensorEntitySet.FeaturesOfInterest => TableOf<FeatureOfInterest>().Columns,
        SensorEntitySet.MultiDatastreams => TableOf<MultiDatastream>().Columns,
        _ => throw new ArgumentOutOfRangeException(nameof(set), set, null),
    };

    /// <summary>The reader of <paramref name="query"/>'s rows: Observations of a Datastream, of both kinds, or entities of another set.</summary>
    private Func<SqliteDataReader, ISensorEntity> Reader(SensorQuery query) =>
        query.Set == SensorEntitySet.Observations && SqliteFilterTranslator.RowsOf(query.Scope) != ObservationRows.OfDatastreams
            ? ReadAnyObservation
            : Reader(query.Set);

    /// <summary>An Observation of either kind from a row of <see cref="s_anyObservationQueryColumns"/>: one with a MultiDatastream is a <see cref="MultiObservation"/>.</summary>
    private static ISensorEntity ReadAnyObservation(SqliteDataReader reader) => reader.IsDBNull(12)
        ? ReadObservation(reader)
        : new MultiObservation(
            reader.GetInt64(0),
            reader.GetInt64(12),
            reader.IsDBNull(2) ? null : reader.GetInt64(2),
            TimeOf(reader, 3, 4)!.Value,
            reader.IsDBNull(5) ? null : FromMs(reader.GetInt64(5)),
            JsonOf(reader, 7)!.Value,
            JsonOf(reader, 8),
            TimeOf(reader, 9, 10),
            JsonOf(reader, 11));

    private Func<SqliteDataReader, ISensorEntity> Reader(SensorEntitySet set) => set switch
    {
        SensorEntitySet.Things => TableOf<Thing>().Read,
        SensorEntitySet.Locations => TableOf<Location>().Read,
        SensorEntitySet.HistoricalLocations => TableOf<HistoricalLocation>().Read,
        SensorEntitySet.Datastreams => TableOf<Datastream>().Read,
        SensorEntitySet.Sensors => TableOf<Sensor>().Read,
        SensorEntitySet.ObservedProperties => TableOf<ObservedProperty>().Read,
        SensorEntitySet.FeaturesOfInterest => TableOf<FeatureOfInterest>().Read,
        SensorEntitySet.Observations => ReadObservation,
        SensorEntitySet.MultiDatastreams => ReadMultiDatastreamWithObservedProperties,
        _ => throw new ArgumentOutOfRangeException(nameof(set), set, null),
    };
}
