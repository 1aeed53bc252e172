using Tweeling.Domain.Audit;
using Tweeling.Domain.Ports;
using Tweeling.Server.Tests.SensorThings.Api;
using static Tweeling.Server.Tests.SensorThings.Api.StaWrite;

namespace Tweeling.Server.Tests.Audit;

/// <summary>
/// Every SensorThings write request over real HTTP leaves one audit record, committed with its change; a failed one (a
/// 4xx, nothing stored) leaves none, except a CreateObservations answered 201 whose every row failed: that attempt is on
/// record with nothing stored and outcome <c>failed</c>.
/// </summary>
public sealed class AuditedWriteTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_create_update_and_delete_each_leave_one_record_naming_the_entity_and_a_failed_write_none()
    {
        await using var server = await TwinServer.StartAsync(_ => Task.CompletedTask);

        var thing = await ExpectAsync(server, "POST", "/sta/v1.1/Things", """{"name":"Paal","description":"meetpaal"}""", 201);
        var id = thing.GetProperty("@iot.id").GetInt64();
        await ExpectAsync(server, "PATCH", $"/sta/v1.1/Things({id})", """{"description":"verplaatst"}""", 200);
        using (var failed = await SendAsync(server, "POST", "/sta/v1.1/Datastreams", """{"name":"x","Thing":{"@iot.id":999}}"""))
        {
            await AssertProblemAsync(failed, 400);
        }

        using (var deleted = await SendAsync(server, "DELETE", $"/sta/v1.1/Things({id})"))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, deleted.StatusCode);
        }

        var records = await AuditRecordsAsync(server);
        Assert.Equal(
            [
                ("create", $"POST /sta/v1.1/Things -> Things({id})", 1L, "entities"),
                ("update", $"PATCH /sta/v1.1/Things({id})", 1L, "entities"),
                ("delete", $"DELETE /sta/v1.1/Things({id})", 1L, "entities"),
            ],
            records.Select(r => (r.Entry.Action, r.Entry.Resource, r.Entry.ResultSize, r.Entry.ResultUnit)));
        Assert.All(records, r => Assert.Equal(("medewerker", TwinServer.Now), (r.Entry.Role, r.Entry.Time)));
        Assert.All(records, r => Assert.StartsWith("acc_", r.Entry.Subject, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_data_array_of_many_observations_is_one_record_with_their_count()
    {
        ThingInserted station = null!;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));
        var rows = string.Join(',', Enumerable.Range(0, 250).Select(i => $"[\"2025-03-01T{i / 60:00}:{i % 60:00}:00Z\",{i}]"));

        await ExpectArrayAsync(server, $$"""[{"Datastream":{"@iot.id":{{station.DatastreamIds[0]}}},"components":["phenomenonTime","result"],"dataArray":[{{rows}}]}]""");

        var record = Assert.Single(await AuditRecordsAsync(server));
        Assert.Equal(("create", "POST /sta/v1.1/CreateObservations", 250L, "observations"), (record.Entry.Action, record.Entry.Resource, record.Entry.ResultSize, record.Entry.ResultUnit));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_data_array_whose_every_row_fails_leaves_one_failed_record_of_nothing_stored(bool withMultiDatastreamRows)
    {
        (ThingInserted Station, WeatherMulti Weather) seeded = (null!, null!);
        await using var server = await TwinServer.StartAsync(async store => seeded = await SensorSeed.StationAndMultiDatastreamAsync(store));
        var multiGroup = $$"""{"MultiDatastream":{"@iot.id":{{seeded.Weather.Multi}}},"components":["result"],"dataArray":[[[1]],[2]]}""";

        // A missing Datastream, a missing FeatureOfInterest and a bad time: each row answers "error".
        await ExpectArrayAsync(server, $$"""
            [{"Datastream":{"@iot.id":999999},"components":["result"],"dataArray":[[1]]},
             {"Datastream":{"@iot.id":{{seeded.Station.DatastreamIds[0]}}},"components":["result","FeatureOfInterest/id"],"dataArray":[[2,999999]]},
             {"Datastream":{"@iot.id":{{seeded.Station.DatastreamIds[0]}}},"components":["phenomenonTime","result"],"dataArray":[["yesterday",3]]}
             {{(withMultiDatastreamRows ? "," + multiGroup : "")}}]
            """);

        var record = Assert.Single(await AuditRecordsAsync(server));
        Assert.Equal(
            ("create", "POST /sta/v1.1/CreateObservations", 0L, "observations", AuditEntry.Failed, "medewerker"),
            (record.Entry.Action, record.Entry.Resource, record.Entry.ResultSize, record.Entry.ResultUnit, record.Entry.Outcome, record.Entry.Role));
        Assert.Empty(await server.Store.Sensors.ObservationsAsync(seeded.Station.DatastreamIds[0], null, null, 10, 0, TimeOrder.OldestFirst, Cancel));
        Assert.Empty(await server.Store.Sensors.MultiObservationsAsync(seeded.Weather.Multi, 0, 10, Cancel));

        // A request with a stored row is on record as any other: the rows stored, outcome ok.
        await ExpectArrayAsync(server, $$"""[{"Datastream":{"@iot.id":{{seeded.Station.DatastreamIds[0]}}},"components":["result"],"dataArray":[[4],[5,6]]}]""");
        var last = (await AuditRecordsAsync(server))[^1];
        Assert.Equal((1L, AuditEntry.Ok), (last.Entry.ResultSize, last.Entry.Outcome));
    }

    private static async Task ExpectArrayAsync(TwinServer server, string json)
    {
        using var response = await SendAsync(server, "POST", "/sta/v1.1/CreateObservations", json);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Cancel));
    }
}
