using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using static Tweeling.Server.Tests.SensorThings.Api.StaWrite;

namespace Tweeling.Server.Tests.SensorThings.Api;

/// <summary>
/// Item 7 of issue 3, "a failing deep insert or change set stores nothing", when the failure is the store's own and
/// comes in the middle of the write: a trigger in the real SQLite file makes one INSERT fail with an SQL error only
/// once the rows written before it in the same transaction are there (its <c>WHEN</c> clause reads them), so the
/// failure is provoked after some rows went in, as a full disk or an I/O error would be, and through no mock.
/// </summary>
public sealed partial class StoreFailureTests
{
    /// <summary>The result value whose INSERT the trigger makes fail.</summary>
    private const int Doomed = 666;

    private const string Unit = """{"name":"degree Celsius","symbol":"°C","definition":"http://qudt.org/vocab/unit/DEG_C"}""";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_deep_insert_whose_audit_record_fails_in_the_store_after_every_row_went_in_stores_nothing_and_is_a_500_problem()
    {
        await using var server = await TwinServer.StartAsync(store => SensorSeed.WeatherStationAsync(store));
        var thing = $$$"""
            {"name":"Kademuur","description":"quay wall",
             "Locations":[{"name":"Kade","description":"the quay","encodingType":"application/geo+json","location":{"type":"Point","coordinates":[5.12,52.09]}}],
             "Datastreams":[{"name":"Tilt","description":"tilt","unitOfMeasurement":{{{Unit}}},"observationType":"{{{SensorSeed.Measurement}}}",
               "Sensor":{"name":"Inclinometer","description":"tilt sensor","encodingType":"application/pdf","metadata":"m"},
               "ObservedProperty":{"name":"Tilt","definition":"https://example.org/tilt","description":"tilt"},
               "Observations":[{"result":1},{"result":2}]}]}
            """;
        var before = await CountsAsync(server);
        var recordsBefore = await AuditCountAsync(server);

        // The audit record is the unit's last write: the trigger fires only when the Thing, its Location, HistoricalLocation,
        // Sensor, ObservedProperty, Datastream and both Observations are already in the transaction.
        await using (await FailingInsertAsync(server, "audit_log", """
            EXISTS (SELECT 1 FROM sta_things WHERE name = 'Kademuur')
            AND EXISTS (SELECT 1 FROM sta_historical_locations h JOIN sta_things t ON t.id = h.thing_id WHERE t.name = 'Kademuur')
            AND EXISTS (SELECT 1 FROM sta_datastreams d JOIN sta_sensors s ON s.id = d.sensor_id JOIN sta_observed_properties p ON p.id = d.observed_property_id WHERE d.name = 'Tilt' AND s.name = 'Inclinometer' AND p.name = 'Tilt')
            AND (SELECT count(*) FROM sta_observations o JOIN sta_datastreams d ON d.id = o.datastream_id WHERE d.name = 'Tilt') = 2
            """))
        {
            using var failed = await SendAsync(server, "POST", "/sta/v1.1/Things", thing);
            var detail = await AssertProblemAsync(failed, 500);
            Assert.DoesNotContain("injected", detail, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(before, await CountsAsync(server));
        Assert.Equal(recordsBefore, await AuditCountAsync(server));

        // Nothing is left half done on the server's side either (an open transaction, a used id): the same request now
        // succeeds and its Thing gets the id the failed one would have had.
        var created = await ExpectAsync(server, "POST", "/sta/v1.1/Things", thing, 201);
        Assert.Equal(2, created.GetProperty("@iot.id").GetInt64());
        Assert.Equal(2, (await server.GetJsonAsync("/sta/v1.1/Things(2)/Datastreams?$expand=Observations")).GetProperty("value")[0].GetProperty("Observations").GetArrayLength());
    }

    [Fact]
    public async Task A_change_set_that_fails_in_the_store_stores_none_of_its_parts_answers_one_500_problem_and_the_rest_of_the_batch_runs()
    {
        ThingInserted station = null!;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));
        var (temperature, humidity) = (station.DatastreamIds[0], station.DatastreamIds[1]);
        var before = await CountsAsync(server);

        int status;
        string body;
        await using (await FailingInsertAsync(server, "sta_observations", $"""
            NEW.result = {Doomed}
            AND EXISTS (SELECT 1 FROM sta_things WHERE name = 'Kademuur')
            AND EXISTS (SELECT 1 FROM sta_things WHERE id = {station.ThingId} AND name = 'Station Oost')
            AND EXISTS (SELECT 1 FROM sta_observations WHERE datastream_id = {temperature} AND result = 1)
            """))
        {
            (status, body) = await PostBatchAsync(server, Batch(
                Part("POST", "Things", """{"name":"Voor","description":"before the change set"}"""),
                ChangeSet(
                    Part("POST", "Things", """{"name":"Kademuur","description":"quay wall"}""", contentId: "1"),
                    Part("POST", $"Datastreams({temperature})/Observations", """{"result":1}"""),
                    Part("PATCH", $"Things({station.ThingId})", """{"name":"Station Oost"}"""),
                    Part("POST", $"Datastreams({humidity})/Observations", $$$"""{"result":{{{Doomed}}}}""")),
                Part("POST", "Things", """{"name":"Na","description":"after the change set"}""")));
        }

        // The batch itself is answered (OData 4.0 §11.7: 200 with a response per request, one for a failed change set).
        Assert.Equal(200, status);
        Assert.Equal(["201", "500", "201"], StatusLines().Matches(body).Select(m => m.Groups[1].Value));
        Assert.DoesNotContain("injected", body, StringComparison.OrdinalIgnoreCase);

        // Of the change set nothing is stored — no Thing, no Observation, the station keeps its name — while the
        // requests before and after it are.
        Assert.Equal(["Station Dam", "Voor", "Na"], (await server.Store.Sensors.ListAsync<Thing>(0, 10, Cancel)).Select(t => t.Name));
        Assert.Equal(before.Replace("things 1", "things 3", StringComparison.Ordinal), await CountsAsync(server));
        Assert.Equal(
            [("batch", "POST /sta/v1.1/$batch", 1L), ("batch", "POST /sta/v1.1/$batch", 1L)],
            (await AuditRecordsAsync(server)).Select(r => (r.Entry.Action, r.Entry.Resource, r.Entry.ResultSize)));
    }

    [Fact]
    public async Task Create_observations_that_fail_in_the_store_commit_store_no_row_while_the_appends_committed_beside_them_are_stored()
    {
        ThingInserted station = null!;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));
        var (temperature, humidity) = (station.DatastreamIds[0], station.DatastreamIds[1]);

        // Each Datastream's derived FeatureOfInterest is made on its first Observation; made here, so that the counts below
        // are about the Observations and the request below takes the group commit.
        await ExpectAsync(server, "POST", $"/sta/v1.1/Datastreams({temperature})/Observations", """{"result":0}""", 201);
        await ExpectAsync(server, "POST", $"/sta/v1.1/Datastreams({humidity})/Observations", """{"result":0}""", 201);
        var before = await CountsAsync(server);

        string[] singles;
        await using (await FailingInsertAsync(server, "sta_observations", $"""
            NEW.result = {Doomed} AND (SELECT count(*) FROM sta_observations WHERE datastream_id = {temperature} AND result IN (1, 2)) = 2
            """))
        {
            // The failing request and single appends at the same time: whether they share its group commit or not, the
            // store failure is the request's alone (GroupCommitObservationStore commits the others again without it).
            var rows = $$$"""[{"Datastream":{"@iot.id":{{{temperature}}}},"components":["phenomenonTime","result"],"dataArray":[["2025-03-01T10:00:00Z",1],["2025-03-01T10:01:00Z",2],["2025-03-01T10:02:00Z",{{{Doomed}}}],["2025-03-01T10:03:00Z",3]]}]""";
            var failing = SendAsync(server, "POST", "/sta/v1.1/CreateObservations", rows);
            var others = Enumerable.Range(10, 6).Select(i => ExpectAsync(server, "POST", $"/sta/v1.1/Datastreams({humidity})/Observations", $$$"""{"result":{{{i}}}}""", 201)).ToList();
            using var failed = await failing;
            Assert.DoesNotContain("injected", await AssertProblemAsync(failed, 500), StringComparison.OrdinalIgnoreCase);
            singles = [.. (await Task.WhenAll(others)).Select(o => o.GetProperty("result").GetRawText())];
        }

        Assert.Equal(["10", "11", "12", "13", "14", "15"], singles.Order(StringComparer.Ordinal));
        Assert.Equal(before.Replace("observations 2", "observations 8", StringComparison.Ordinal), await CountsAsync(server));
        Assert.Equal<double?>(
            [0.0],
            (await server.Store.Sensors.ObservationsAsync(temperature, null, null, 100, 0, TimeOrder.OldestFirst, Cancel)).Select(o => o.Result));

        // The latest value and the rollups are kept in the same transaction, so they did not move either.
        Assert.Equal(0.0, (await server.Store.Sensors.LatestAsync([temperature], Cancel)).Single().Result);
        Assert.Equal(1, (await server.Store.Sensors.RollupAsync(temperature, RollupGranularity.Day, TwinServer.Now.AddDays(-30), TwinServer.Now.AddDays(1), Cancel)).Sum(b => b.Count));
        Assert.DoesNotContain(await AuditRecordsAsync(server), r => r.Entry.Resource == "POST /sta/v1.1/CreateObservations");
    }

    /// <summary>
    /// The first Observations of a Located Thing's Datastream make its derived FeatureOfInterest. When they fail in the
    /// store the request answers that nothing was stored, and nothing is: the feature is made in the same write unit as
    /// the rows, not in one of its own before them. The same rows then succeed with the feature, and later requests reuse it.
    /// </summary>
    [Fact]
    public async Task Create_observations_that_fail_in_the_store_leave_no_derived_feature_of_interest_behind()
    {
        ThingInserted station = null!;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));
        var temperature = station.DatastreamIds[0];
        var before = await CountsAsync(server);
        Assert.Contains("features 0, observations 0", before, StringComparison.Ordinal);

        await using (await FailingInsertAsync(server, "sta_observations", $"NEW.result = {Doomed}"))
        {
            using var failed = await SendAsync(server, "POST", "/sta/v1.1/CreateObservations", Rows(1, Doomed));
            Assert.DoesNotContain("injected", await AssertProblemAsync(failed, 500), StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(before, await CountsAsync(server));
        Assert.DoesNotContain(await AuditRecordsAsync(server), r => r.Entry.Resource == "POST /sta/v1.1/CreateObservations");

        var first = await CreatedAsync(Rows(1, 2));
        var second = await CreatedAsync(Rows(3, 4));
        Assert.Equal(before.Replace("features 0, observations 0", "features 1, observations 4", StringComparison.Ordinal), await CountsAsync(server));
        var links = first.EnumerateArray().Concat(second.EnumerateArray()).Select(l => new Uri(l.GetString()!).AbsolutePath).ToList();
        Assert.Equal(4, links.Count);
        foreach (var link in links)
        {
            var feature = await server.GetJsonAsync(link + "/FeatureOfInterest");
            Assert.Equal(("Dam", 1L), (feature.GetProperty("name").GetString(), feature.GetProperty("@iot.id").GetInt64()));
        }

        async Task<JsonElement> CreatedAsync(string rows)
        {
            using var response = await SendAsync(server, "POST", "/sta/v1.1/CreateObservations", rows);
            var body = await response.Content.ReadAsStringAsync(Cancel);
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
            return JsonDocument.Parse(body).RootElement;
        }

        string Rows(int a, int b) =>
            $$$"""[{"Datastream":{"@iot.id":{{{temperature}}}},"components":["phenomenonTime","result"],"dataArray":[["2025-03-01T10:00:00Z",{{{a}}}],["2025-03-01T10:01:00Z",{{{b}}}]]}]""";
    }

    /// <summary>
    /// A GET part whose read fails in the store (its table is renamed away by the test's own connection, so SQLite
    /// answers "no such table", as it would for a damaged file) is answered with its own 500 problem, without the SQL
    /// error; the writes before it are stored and answered, and the parts after it, reads and writes, still run.
    /// </summary>
    [Fact]
    public async Task A_get_part_whose_read_fails_in_the_store_answers_its_own_500_problem_and_the_rest_of_the_batch_runs()
    {
        ThingInserted station = null!;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));

        int status;
        string body;
        await using (await UnreadableTableAsync(server, "sta_historical_locations"))
        {
            (status, body) = await PostBatchAsync(server, Batch(
                Part("POST", "Things", """{"name":"Voor","description":"before the read"}"""),
                Part("GET", $"Things({station.ThingId})/HistoricalLocations"),
                Part("GET", $"Things({station.ThingId})?$select=name"),
                Part("POST", "Things", """{"name":"Na","description":"after the read"}""")));
        }

        Assert.Equal(200, status);
        Assert.Equal(["201", "500", "200", "201"], StatusLines().Matches(body).Select(m => m.Groups[1].Value));
        Assert.Contains("application/problem+json", body, StringComparison.Ordinal);
        Assert.Contains("\"Station Dam\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("no such table", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("sta_historical_locations", body, StringComparison.Ordinal);
        Assert.Equal(["Station Dam", "Voor", "Na"], (await server.Store.Sensors.ListAsync<Thing>(0, 10, Cancel)).Select(t => t.Name));

        // The table is back: the same read answers.
        Assert.Equal(1, (await server.GetJsonAsync($"/sta/v1.1/Things({station.ThingId})/HistoricalLocations")).GetProperty("value").GetArrayLength());
    }

    /// <summary>
    /// Makes every read of <paramref name="table"/> fail in the server's store by renaming it, from a connection of the
    /// test's; disposing the result gives the table its name back.
    /// </summary>
    private static async Task<IAsyncDisposable> UnreadableTableAsync(TwinServer server, string table)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = server.Store.Path, Pooling = false }.ToString());
        await connection.OpenAsync(Cancel);
        await ExecuteAsync(connection, $"ALTER TABLE {table} RENAME TO unreadable_{table}");
        return new RestoredTable(connection, table);
    }

    /// <summary>
    /// Makes every INSERT into <paramref name="table"/> for which <paramref name="when"/> holds fail with an SQL error
    /// (<c>RAISE(ABORT)</c>: the statement fails and the caller's transaction is left for it to roll back), by a trigger
    /// written into the server's store file from a connection of the test's; disposing the result drops the trigger.
    /// </summary>
    private static async Task<IAsyncDisposable> FailingInsertAsync(TwinServer server, string table, string when)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = server.Store.Path, Pooling = false }.ToString());
        await connection.OpenAsync(Cancel);
        await ExecuteAsync(connection, $"CREATE TRIGGER injected_failure BEFORE INSERT ON {table} WHEN {when} BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
        return new DroppedTrigger(connection);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Cancel);
    }

    private static async Task<int> AuditCountAsync(TwinServer server) => (await AuditRecordsAsync(server)).Count;

    [GeneratedRegex(@"HTTP/1\.1 (\d{3})", RegexOptions.CultureInvariant)]
    private static partial Regex StatusLines();

    /// <summary>Renames the table back and closes the test's connection.</summary>
    private sealed class RestoredTable(SqliteConnection connection, string table) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await ExecuteAsync(connection, $"ALTER TABLE unreadable_{table} RENAME TO {table}");
            await connection.DisposeAsync();
        }
    }

    /// <summary>Drops the injected trigger and closes the test's connection.</summary>
    private sealed class DroppedTrigger(SqliteConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await ExecuteAsync(connection, "DROP TRIGGER IF EXISTS injected_failure");
            await connection.DisposeAsync();
        }
    }
}
