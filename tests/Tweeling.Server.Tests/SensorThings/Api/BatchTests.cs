using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using static Tweeling.Server.Tests.SensorThings.Api.StaWrite;

namespace Tweeling.Server.Tests.SensorThings.Api;

public sealed class BatchTests
{
    private const string Unit = """{"name":"degree Celsius","symbol":"°C","definition":"http://qudt.org/vocab/unit/DEG_C"}""";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_batch_answers_gets_and_writes_in_order_and_a_change_set_links_by_content_id()
    {
        ThingInserted station = null!;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));
        var temperature = (await server.Store.Sensors.FindAsync<Datastream>(station.DatastreamIds[0], Cancel))!;

        var (status, body) = await PostBatchAsync(server, Batch(
            Part("GET", $"Things({station.ThingId})?$select=name"),
            ChangeSet(
                Part("POST", "Things", """{"name":"Kademuur","description":"quay wall"}""", contentId: "1"),
                Part("POST", "$1/Locations", """{"name":"Kade","description":"quay","encodingType":"application/geo+json","location":{"type":"Point","coordinates":[5.12,52.09]}}""", contentId: "2"),
                Part("POST", "/sta/v1.1/Datastreams", $$$"""{"name":"Tilt","description":"tilt","unitOfMeasurement":{{{Unit}}},"observationType":"{{{SensorSeed.Measurement}}}","Thing":{"@iot.id":"$1"},"Sensor":{"@iot.id":{{{temperature.SensorId}}}},"ObservedProperty":{"@iot.id":{{{temperature.ObservedPropertyId}}}}}""", contentId: "3"),
                Part("POST", "$3/Observations", """{"result":0.25}""", contentId: "4")),
            Part("PATCH", $"Things({station.ThingId})", """{"name":"Station Dam-Oost"}"""),
            Part("DELETE", "Things(999)")));

        Assert.Equal(200, status);
        Assert.Equal(["200", "201", "201", "201", "201", "200", "404"], Regex.Matches(body, @"HTTP/1\.1 (\d{3})").Select(m => m.Groups[1].Value));
        Assert.Contains("\"name\":\"Station Dam\"", body, StringComparison.Ordinal);
        var thing = Assert.Single(await server.Store.Sensors.ListAsync<Thing>(0, 10, Cancel), t => t.Name == "Kademuur");
        Assert.Single(await server.Store.Sensors.ThingLocationsAsync(thing.Id, Cancel));
        var datastream = Assert.Single(await server.Store.Sensors.ListAsync<Datastream>(0, 10, Cancel), d => d.ThingId == thing.Id);
        Assert.Equal(0.25, (await server.Store.Sensors.LatestAsync([datastream.Id], Cancel)).Single().Result);
        Assert.Contains($"Location: {server.Address}sta/v1.1/Things({thing.Id})", body, StringComparison.Ordinal);
        Assert.Equal("Station Dam-Oost", (await server.Store.Sensors.FindAsync<Thing>(station.ThingId, Cancel))!.Name);
    }

    [Fact]
    public async Task A_failing_change_set_stores_nothing_and_answers_one_problem_while_the_rest_of_the_batch_runs()
    {
        ThingInserted station = null!;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));
        var before = await CountsAsync(server);

        var (status, body) = await PostBatchAsync(server, Batch(
            ChangeSet(
                Part("POST", "Things", """{"name":"Kademuur","description":"quay wall"}""", contentId: "1"),
                Part("POST", $"Datastreams({station.DatastreamIds[0]})/Observations", """{"result":1}"""),
                Part("PATCH", $"Things({station.ThingId})", """{"name":"renamed"}"""),
                Part("POST", "$1/Datastreams", $$$"""{"name":"Tilt","description":"tilt","unitOfMeasurement":{{{Unit}}},"observationType":"o","Sensor":{"@iot.id":999},"ObservedProperty":{"@iot.id":1}}""")),
            ChangeSet(Part("POST", "$7/Locations", """{"name":"x"}""")),
            Part("GET", "Colours")));

        Assert.Equal(200, status);
        Assert.Equal(["400", "400", "404"], Regex.Matches(body, @"HTTP/1\.1 (\d{3})").Select(m => m.Groups[1].Value));
        Assert.Contains("no Sensor with id 999", body, StringComparison.Ordinal);
        Assert.Contains("'$7'", body, StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync(server));
        Assert.Equal("Station Dam", (await server.Store.Sensors.FindAsync<Thing>(station.ThingId, Cancel))!.Name);
    }

    [Fact]
    public async Task A_change_set_with_a_multi_datastream_whose_arrays_differ_in_length_stores_nothing_and_the_next_change_set_runs()
    {
        await using var server = await TwinServer.StartAsync(_ => Task.CompletedTask);
        const string Measurement = SensorSeed.Measurement;
        string Multi(string units) => $$"""
            {"name":"weer","description":"weather","observationType":"{{MultiDatastream.ComplexObservationType}}","unitOfMeasurements":{{units}},
             "multiObservationDataTypes":["{{Measurement}}","{{Measurement}}"],"Sensor":{"name":"WS","description":"weather sensor","encodingType":"text/plain","metadata":"datasheet"},
             "ObservedProperties":[{"name":"temperature","definition":"urn:t","description":"air"},{"name":"humidity","definition":"urn:h","description":"air"}]}
            """;

        var (status, body) = await PostBatchAsync(server, Batch(
            ChangeSet(
                Part("POST", "Things", """{"name":"Station","description":"weather station"}""", contentId: "1"),
                Part("POST", "$1/MultiDatastreams", Multi($"[{Unit}]"))),
            ChangeSet(
                Part("POST", "Things", """{"name":"Station 2","description":"weather station"}""", contentId: "2"),
                Part("POST", "$2/MultiDatastreams", Multi($"[{Unit},{Unit}]")))));

        Assert.Equal(200, status);
        Assert.Equal(["400", "201", "201"], Regex.Matches(body, @"HTTP/1\.1 (\d{3})").Select(m => m.Groups[1].Value));
        Assert.Contains("unitOfMeasurements (1), multiObservationDataTypes (2) and ObservedProperties (2) must have the same length", body, StringComparison.Ordinal);
        Assert.Equal(["Station 2"], (await server.Store.Sensors.ListAsync<Thing>(0, 10, Cancel)).Select(t => t.Name));
        Assert.Equal(2, (await server.Store.Sensors.ListAsync<ObservedProperty>(0, 10, Cancel)).Count);
        Assert.Single(await server.Store.Sensors.ListAsync<MultiDatastream>(0, 10, Cancel));
    }

    [Fact]
    public async Task A_json_patch_part_is_applied_as_a_single_patch_and_sees_what_earlier_parts_of_its_change_set_wrote()
    {
        const string JsonPatch = "application/json-patch+json";
        ThingInserted station = null!;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));

        var (status, body) = await PostBatchAsync(server, Batch(
            ChangeSet(
                Part("POST", "Things", """{"name":"Kademuur","description":"quay wall","properties":{"owner":"gemeente"}}""", contentId: "1"),
                Part("PATCH", "$1", """[{"op":"test","path":"/name","value":"Kademuur"},{"op":"replace","path":"/description","value":"quay wall, east"},{"op":"add","path":"/properties/risk","value":"high"}]""", contentType: JsonPatch)),
            Part("PATCH", $"Things({station.ThingId})", """[{"op":"copy","from":"/name","path":"/description"}]""", contentType: JsonPatch),

            // The merge renames the station; the patch's test sees the new name, fails, and the whole change set stores nothing.
            ChangeSet(
                Part("PATCH", $"Things({station.ThingId})", """{"name":"renamed"}"""),
                Part("PATCH", $"Things({station.ThingId})", """[{"op":"test","path":"/name","value":"Station Dam"}]""", contentType: JsonPatch)),
            Part("PATCH", $"Things({station.ThingId})", """{"op":"replace"}""", contentType: JsonPatch)));

        Assert.Equal(200, status);
        Assert.Equal(["201", "200", "200", "409", "400"], Regex.Matches(body, @"HTTP/1\.1 (\d{3})").Select(m => m.Groups[1].Value));
        Assert.Contains("must be an array of operations", body, StringComparison.Ordinal);
        var quay = Assert.Single(await server.Store.Sensors.ListAsync<Thing>(0, 10, Cancel), t => t.Name == "Kademuur");
        Assert.Equal("quay wall, east", quay.Description);
        Assert.Equal("""{"owner":"gemeente","risk":"high"}""", quay.Properties!.Value.GetRawText());
        var stationNow = (await server.Store.Sensors.FindAsync<Thing>(station.ThingId, Cancel))!;
        Assert.Equal(("Station Dam", "Station Dam"), (stationNow.Name, stationNow.Description));
    }

    [Fact]
    public async Task A_body_that_is_not_a_multipart_batch_is_a_400_problem()
    {
        await using var server = await TwinServer.StartAsync(_ => Task.CompletedTask);

        using var json = await SendAsync(server, "POST", "/sta/v1.1/$batch", "{}");
        await AssertProblemAsync(json, 400);
        using var content = new StringContent("--b\r\nContent-Type: application/http\r\n\r\nFETCH Things HTTP/1.1\r\n\r\n--b--\r\n", Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/mixed; boundary=b");
        using var badPart = await server.Writer.PostAsync("/sta/v1.1/$batch", content, Cancel);
        Assert.Contains("request line", await AssertProblemAsync(badPart, 400), StringComparison.Ordinal);
    }
}
