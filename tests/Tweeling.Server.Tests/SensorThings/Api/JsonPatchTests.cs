using System.Text;
using System.Text.Json;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using static Tweeling.Server.Tests.SensorThings.Api.StaWrite;

namespace Tweeling.Server.Tests.SensorThings.Api;

/// <summary>PATCH with a JSON Patch body (RFC 6902, <c>application/json-patch+json</c>), the optional update class of OGC 18-088 §10.3.</summary>
public sealed class JsonPatchTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_operation_applies_in_order_to_properties_and_nested_paths()
    {
        ThingInserted station = null!;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));

        using var response = await PatchAsync(server, $"/sta/v1.1/Things({station.ThingId})", """
            [{"op":"test","path":"/name","value":"Station Dam"},
             {"op":"replace","path":"/name","value":"Station Dam-Oost"},
             {"op":"add","path":"/properties/colour","value":"green"},
             {"op":"add","path":"/properties/tags","value":["air"]},
             {"op":"add","path":"/properties/tags/-","value":"noise"},
             {"op":"copy","from":"/properties/owner","path":"/properties/formerOwner"},
             {"op":"move","from":"/properties/colour","path":"/properties/kleur"},
             {"op":"replace","path":"/properties/owner","value":{"name":"waterschap","since":2025}},
             {"op":"copy","from":"/properties/owner","path":"/properties/previous"},
             {"op":"replace","path":"/properties/previous/since","value":2020},
             {"op":"test","path":"/properties/tags/1","value":"noise"},
             {"op":"remove","path":"/properties/tags/0"}]
            """);

        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, body);
        var thing = JsonDocument.Parse(body).RootElement;
        Assert.Equal("Station Dam-Oost", thing.GetProperty("name").GetString());
        Assert.Equal("A weather station", thing.GetProperty("description").GetString());
        var stored = (await server.Store.Sensors.FindAsync<Thing>(station.ThingId, Cancel))!;
        Assert.Equal("Station Dam-Oost", stored.Name);
        var properties = stored.Properties!.Value;
        Assert.Equal(["formerOwner", "kleur", "owner", "previous", "tags"], properties.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(("waterschap", 2025), (properties.GetProperty("owner").GetProperty("name").GetString(), properties.GetProperty("owner").GetProperty("since").GetInt32()));
        Assert.Equal(2020, properties.GetProperty("previous").GetProperty("since").GetInt32());
        Assert.Equal(["noise"], properties.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(("gemeente", "green"), (properties.GetProperty("formerOwner").GetString(), properties.GetProperty("kleur").GetString()));
        Assert.Equal(properties.GetRawText(), thing.GetProperty("properties").GetRawText());
        Assert.Equal(station.LocationIds, await server.Store.Sensors.ThingLocationsAsync(station.ThingId, Cancel));
    }

    [Fact]
    public async Task A_patch_of_a_link_relinks_the_entity_as_a_merge_would()
    {
        ThingInserted station = null!;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));
        var humidity = (await server.Store.Sensors.FindAsync<Datastream>(station.DatastreamIds[1], Cancel))!;

        using var response = await PatchAsync(server, $"/sta/v1.1/Datastreams({station.DatastreamIds[0]})", $$$"""
            [{"op":"add","path":"/Sensor","value":{"@iot.id":{{{humidity.SensorId}}}}},
             {"op":"replace","path":"/unitOfMeasurement/symbol","value":"K"}]
            """);

        Assert.Equal(200, (int)response.StatusCode);
        var datastream = (await server.Store.Sensors.FindAsync<Datastream>(station.DatastreamIds[0], Cancel))!;
        Assert.Equal((humidity.SensorId, "K", "degree Celsius"), (datastream.SensorId, datastream.UnitOfMeasurement.Symbol, datastream.UnitOfMeasurement.Name));
    }

    [Theory]
    [InlineData("""[{"op":"test","path":"/name","value":"Another name"}]""", "test")]
    [InlineData("""[{"op":"replace","path":"/name","value":"Renamed"},{"op":"test","path":"/properties/owner","value":"provincie"}]""", "test")]
    [InlineData("""[{"op":"remove","path":"/properties/colour"}]""", "colour")]
    [InlineData("""[{"op":"replace","path":"/properties/owner/name","value":"x"}]""", "Nothing was changed")]
    [InlineData("""[{"op":"move","from":"/properties/nothing","path":"/properties/something"}]""", "nothing")]
    [InlineData("""[{"op":"copy","from":"/properties/nothing","path":"/properties/something"}]""", "nothing")]
    public async Task An_operation_that_cannot_apply_to_the_entity_is_a_409_problem_and_changes_nothing(string patch, string expected)
    {
        ThingInserted station = null!;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));
        var before = await server.Store.Sensors.FindAsync<Thing>(station.ThingId, Cancel);
        var counts = await CountsAsync(server);

        using var response = await PatchAsync(server, $"/sta/v1.1/Things({station.ThingId})", patch);

        Assert.Contains(expected, await AssertProblemAsync(response, 409), StringComparison.Ordinal);
        Assert.Equal(JsonSerializer.Serialize(before), JsonSerializer.Serialize(await server.Store.Sensors.FindAsync<Thing>(station.ThingId, Cancel)));
        Assert.Equal(counts, await CountsAsync(server));
    }

    [Theory]
    [InlineData("""{"op":"replace","path":"/name","value":"x"}""", "array of operations")]
    [InlineData("""[{"op":"frobnicate","path":"/name"}]""", "no known 'op'")]
    [InlineData("""[{"op":"replace","value":"x"}]""", "needs a 'path'")]
    [InlineData("""[{"op":"replace","path":"name","value":"x"}]""", "JSON Pointer")]
    [InlineData("""[{"op":"add","path":"/properties/x"}]""", "needs a 'value'")]
    [InlineData("""[{"op":"copy","path":"/properties/x"}]""", "needs a 'from'")]
    [InlineData("""[{"op":"remove","path":"/description"}]""", "needs 'description'")]
    [InlineData("""[{"op":"add","path":"/colour","value":"green"}]""", "no member 'colour'")]
    [InlineData("""[{"op":"replace","path":"/@iot.id","value":424242}]""", "cannot change")]
    public async Task A_malformed_patch_or_one_that_leaves_an_invalid_entity_is_a_400_problem_and_changes_nothing(string patch, string expected)
    {
        ThingInserted station = null!;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));
        var before = await server.Store.Sensors.FindAsync<Thing>(station.ThingId, Cancel);

        using var response = await PatchAsync(server, $"/sta/v1.1/Things({station.ThingId})", patch);

        Assert.Contains(expected, await AssertProblemAsync(response, 400), StringComparison.Ordinal);
        Assert.Equal(JsonSerializer.Serialize(before), JsonSerializer.Serialize(await server.Store.Sensors.FindAsync<Thing>(station.ThingId, Cancel)));
    }

    [Fact]
    public async Task A_patch_of_an_unknown_entity_is_a_404_problem_and_of_a_collection_a_405()
    {
        await using var server = await TwinServer.StartAsync(async store => await SensorSeed.WeatherStationAsync(store));
        const string Patch = """[{"op":"replace","path":"/name","value":"x"}]""";

        using var unknown = await PatchAsync(server, "/sta/v1.1/Things(999999)", Patch);
        using var collection = await PatchAsync(server, "/sta/v1.1/Things", Patch);

        Assert.Contains("no Thing with id 999999", await AssertProblemAsync(unknown, 404), StringComparison.Ordinal);
        await AssertProblemAsync(collection, 405);
    }

    private static Task<HttpResponseMessage> PatchAsync(TwinServer server, string path, string patch) =>
        server.Writer.SendAsync(
            new HttpRequestMessage(HttpMethod.Patch, path) { Content = new StringContent(patch, Encoding.UTF8, "application/json-patch+json") },
            Cancel);
}
