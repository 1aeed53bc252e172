using System.Text.Json;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using static Tweeling.Server.Tests.SensorThings.Api.StaWrite;
using StaLocation = Tweeling.Domain.Sensors.Location;

namespace Tweeling.Server.Tests.SensorThings.Api;

public sealed class UpdateDeleteTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_patch_merges_the_members_given_and_new_locations_record_a_historical_location()
    {
        ThingInserted station = null!;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));
        var dam = (await server.Store.Sensors.FindAsync<StaLocation>(station.LocationIds[0], Cancel))!;
        var moved = await server.Store.Sensors.CreateAsync(dam with { Id = 0, Name = "Dam 2" }, Cancel);
        server.Time.Advance(TimeSpan.FromHours(1));

        var thing = await ExpectAsync(server, "PATCH", $"/sta/v1.1/Things({station.ThingId})", $$$"""{"name":"Station Dam-Oost","Locations":[{"@iot.id":{{{moved.Id}}}}]}""", 200);

        Assert.Equal("Station Dam-Oost", thing.GetProperty("name").GetString());
        Assert.Equal("A weather station", thing.GetProperty("description").GetString());
        Assert.Equal("gemeente", thing.GetProperty("properties").GetProperty("owner").GetString());
        Assert.Equal(thing.GetRawText(), (await server.GetJsonAsync($"/sta/v1.1/Things({station.ThingId})")).GetRawText());
        Assert.Equal([moved.Id], await server.Store.Sensors.ThingLocationsAsync(station.ThingId, Cancel));
        var history = await server.Store.Sensors.ListAsync<HistoricalLocation>(0, 10, Cancel);
        Assert.Equal([(station.LocationIds[0], TwinServer.Now), (moved.Id, TwinServer.Now.AddHours(1))], history.Select(h => (h.LocationIds.Single(), h.Time)));

        await ExpectAsync(server, "PATCH", $"/sta/v1.1/Things({station.ThingId})", """{"properties":null}""", 200);
        Assert.Null((await server.Store.Sensors.FindAsync<Thing>(station.ThingId, Cancel))!.Properties);
        Assert.Equal(2, (await server.Store.Sensors.ListAsync<HistoricalLocation>(0, 10, Cancel)).Count);
    }

    [Fact]
    public async Task A_patch_changes_links_and_an_unknown_link_changes_nothing()
    {
        ThingInserted station = null!;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));
        var humidity = (await server.Store.Sensors.FindAsync<Datastream>(station.DatastreamIds[1], Cancel))!;

        var datastream = await ExpectAsync(server, "PATCH", $"/sta/v1.1/Datastreams({station.DatastreamIds[0]})", $$$"""{"Sensor":{"@iot.id":{{{humidity.SensorId}}}},"unitOfMeasurement":{"name":"kelvin","symbol":"K","definition":"http://qudt.org/vocab/unit/K"}}""", 200);

        Assert.Equal("K", datastream.GetProperty("unitOfMeasurement").GetProperty("symbol").GetString());
        Assert.Equal(humidity.SensorId, (await server.GetJsonAsync($"/sta/v1.1/Datastreams({station.DatastreamIds[0]})/Sensor")).GetProperty("@iot.id").GetInt64());
        var before = await server.Store.Sensors.FindAsync<Datastream>(station.DatastreamIds[0], Cancel);
        using var unknown = await SendAsync(server, "PATCH", $"/sta/v1.1/Datastreams({station.DatastreamIds[0]})", """{"name":"renamed","ObservedProperty":{"@iot.id":999}}""");
        Assert.Contains("no ObservedProperty with id 999", await AssertProblemAsync(unknown, 400), StringComparison.Ordinal);
        Assert.Equal(before, await server.Store.Sensors.FindAsync<Datastream>(station.DatastreamIds[0], Cancel));
    }

    [Fact]
    public async Task A_put_replaces_every_property_and_needs_the_mandatory_ones()
    {
        ThingInserted station = null!;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));

        var thing = await ExpectAsync(server, "PUT", $"/sta/v1.1/Things({station.ThingId})", """{"name":"Station","description":"replaced"}""", 200);

        Assert.Equal(("Station", "replaced"), (thing.GetProperty("name").GetString(), thing.GetProperty("description").GetString()));
        Assert.Null((await server.Store.Sensors.FindAsync<Thing>(station.ThingId, Cancel))!.Properties);
        Assert.Equal(station.LocationIds, await server.Store.Sensors.ThingLocationsAsync(station.ThingId, Cancel));
        using var missing = await SendAsync(server, "PUT", $"/sta/v1.1/Things({station.ThingId})", """{"name":"only a name"}""");
        Assert.Contains("needs 'description'", await AssertProblemAsync(missing, 400), StringComparison.Ordinal);
        Assert.Equal("Station", (await server.Store.Sensors.FindAsync<Thing>(station.ThingId, Cancel))!.Name);

        await ExpectAsync(server, "POST", $"/sta/v1.1/Datastreams({station.DatastreamIds[0]})/Observations", """{"result":1,"phenomenonTime":"2025-03-01T10:00:00Z"}""", 201);
        var datastream = await ExpectAsync(server, "PUT", $"/sta/v1.1/Datastreams({station.DatastreamIds[0]})", $$$"""
            {"name":"T","description":"replaced","unitOfMeasurement":{"name":"kelvin","symbol":"K","definition":"http://qudt.org/vocab/unit/K"},"observationType":"{{{SensorSeed.Measurement}}}"}
            """, 200);
        Assert.Equal(("T", JsonValueKind.Null), (datastream.GetProperty("name").GetString(), datastream.GetProperty("properties").ValueKind));
        Assert.Equal("2025-03-01T10:00:00.000Z/2025-03-01T10:00:00.000Z", datastream.GetProperty("phenomenonTime").GetString());
    }

    [Fact]
    public async Task Patching_an_observation_moves_it_in_the_time_series_and_keeps_latest_and_rollups_right()
    {
        ThingInserted station = null!;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));
        var datastream = station.DatastreamIds[0];
        var first = await ExpectAsync(server, "POST", $"/sta/v1.1/Datastreams({datastream})/Observations", """{"result":1,"phenomenonTime":"2025-03-01T10:00:00Z"}""", 201);
        await ExpectAsync(server, "POST", $"/sta/v1.1/Datastreams({datastream})/Observations", """{"result":3,"phenomenonTime":"2025-03-01T10:30:00Z"}""", 201);
        var id = first.GetProperty("@iot.id").GetInt64();

        var patched = await ExpectAsync(server, "PATCH", $"/sta/v1.1/Observations({id})", """{"result":9,"phenomenonTime":"2025-03-01T11:15:00Z"}""", 200);

        Assert.Equal((id, 9.0), (patched.GetProperty("@iot.id").GetInt64(), patched.GetProperty("result").GetDouble()));
        Assert.Equal(id, (await server.Store.Sensors.LatestAsync([datastream], Cancel)).Single().Id);
        var hours = await server.Store.Sensors.RollupAsync(datastream, RollupGranularity.Hour, TwinServer.Now.AddHours(-2), TwinServer.Now, Cancel);
        Assert.Equal([(1L, 3.0), (1L, 9.0)], hours.Select(h => (h.Count, h.Mean)));
        Assert.NotNull((await server.Store.Sensors.FindObservationAsync(id, Cancel))!.FeatureOfInterestId);
    }

    [Fact]
    public async Task Delete_answers_200_and_cascades_as_the_standard_says()
    {
        ThingInserted station = null!;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));
        var observation = await ExpectAsync(server, "POST", $"/sta/v1.1/Datastreams({station.DatastreamIds[0]})/Observations", """{"result":1}""", 201);
        await ExpectAsync(server, "POST", $"/sta/v1.1/Datastreams({station.DatastreamIds[1]})/Observations", """{"result":2}""", 201);

        using var deletedObservation = await SendAsync(server, "DELETE", $"/sta/v1.1/Observations({observation.GetProperty("@iot.id").GetInt64()})");
        Assert.Equal(200, (int)deletedObservation.StatusCode);
        Assert.Empty(await server.Store.Sensors.LatestAsync([station.DatastreamIds[0]], Cancel));

        using var deleted = await SendAsync(server, "DELETE", $"/sta/v1.1/Things({station.ThingId})");
        Assert.Equal(200, (int)deleted.StatusCode);
        await AssertProblemAsync(await server.Client.GetAsync($"/sta/v1.1/Things({station.ThingId})", Cancel), 404);
        Assert.Empty(await server.Store.Sensors.ListAsync<Datastream>(0, 10, Cancel));
        Assert.Empty(await server.Store.Sensors.ListAsync<HistoricalLocation>(0, 10, Cancel));
        Assert.Single(await server.Store.Sensors.ListAsync<StaLocation>(0, 10, Cancel));
        Assert.Empty(await server.Store.Sensors.LatestAsync(station.DatastreamIds, Cancel));
        await AssertProblemAsync(await SendAsync(server, "DELETE", $"/sta/v1.1/Things({station.ThingId})"), 404);
    }

    [Theory]
    [InlineData("PATCH", "Things", "{\"name\":\"x\"}", 405)]
    [InlineData("PUT", "Things(THING)/Datastreams", "{\"name\":\"x\"}", 405)]
    [InlineData("DELETE", "Things", null, 405)]
    [InlineData("PATCH", "Things(999)", "{\"name\":\"x\"}", 404)]
    [InlineData("PATCH", "Things(abc)", "{\"name\":\"x\"}", 404)]
    [InlineData("DELETE", "Sensors(999)", null, 404)]
    [InlineData("PATCH", "Colours(1)", "{\"name\":\"x\"}", 404)]
    [InlineData("PATCH", "Things(THING)", "{\"name\":", 400)]
    [InlineData("PATCH", "Things(THING)", "[1]", 400)]
    [InlineData("PATCH", "Things(THING)", "{\"name\":null}", 400)]
    [InlineData("PATCH", "Things(THING)", "{\"@iot.id\":12345}", 400)]
    [InlineData("PATCH", "Things(THING)", "{\"colour\":\"red\"}", 400)]
    [InlineData("PATCH", "Things(THING)", "{\"Datastreams\":[{\"@iot.id\":1}]}", 400)]
    [InlineData("PATCH", "Things(THING)", "{\"name\":\"x\",\"Locations\":[{\"@iot.id\":999}]}", 400)]
    [InlineData("PATCH", "Locations(LOC)", "{\"location\":{\"type\":\"Point\",\"coordinates\":[1]}}", 400)]
    [InlineData("PUT", "Sensors(SENSOR)", "{\"name\":\"x\",\"description\":\"d\",\"encodingType\":\"application/pdf\"}", 400)]
    public async Task A_bad_update_or_delete_is_a_problem_and_changes_nothing(string method, string path, string? body, int status)
    {
        ThingInserted station = null!;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));
        var sensor = (await server.Store.Sensors.FindAsync<Datastream>(station.DatastreamIds[0], Cancel))!.SensorId;
        var before = await CountsAsync(server);
        var thing = await server.GetJsonAsync($"/sta/v1.1/Things({station.ThingId})");

        using var response = await SendAsync(server, method, "/sta/v1.1/" + path
            .Replace("THING", $"{station.ThingId}", StringComparison.Ordinal)
            .Replace("LOC", $"{station.LocationIds[0]}", StringComparison.Ordinal)
            .Replace("SENSOR", $"{sensor}", StringComparison.Ordinal), body);

        Assert.False(string.IsNullOrWhiteSpace(await AssertProblemAsync(response, status)));
        Assert.Equal(before, await CountsAsync(server));
        Assert.Equal(thing.GetRawText(), (await server.GetJsonAsync($"/sta/v1.1/Things({station.ThingId})")).GetRawText());
        Assert.Equal(station.LocationIds, await server.Store.Sensors.ThingLocationsAsync(station.ThingId, Cancel));
    }
}
