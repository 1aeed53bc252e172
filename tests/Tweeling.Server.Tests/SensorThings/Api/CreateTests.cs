using System.Globalization;
using System.Text.Json;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using static Tweeling.Server.Tests.SensorThings.Api.StaWrite;

namespace Tweeling.Server.Tests.SensorThings.Api;

public sealed class CreateTests
{
    private const string Unit = """{"name":"degree Celsius","symbol":"°C","definition":"http://qudt.org/vocab/unit/DEG_C"}""";
    private const string Measurement = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement";

    [Fact]
    public async Task A_thing_deep_inserts_its_locations_datastreams_sensors_properties_and_observations_with_links_to_existing_ones()
    {
        ThingInserted station = null!;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));
        var existingProperty = (await server.Store.Sensors.FindAsync<Datastream>(station.DatastreamIds[0], TestContext.Current.CancellationToken))!.ObservedPropertyId;

        var thing = await ExpectAsync(server, "POST", "/sta/v1.1/Things", $$$"""
            {"name":"Kademuur 12","description":"quay wall","properties":{"owner":"gemeente"},
             "Locations":[{"name":"Kade","description":"the quay","encodingType":"application/geo+json","location":{"type":"Point","coordinates":[5.12,52.09]}}],
             "Datastreams":[{"name":"Tilt","description":"tilt of the wall","unitOfMeasurement":{{{Unit}}},"observationType":"{{{Measurement}}}",
               "Sensor":{"name":"Inclinometer","description":"tilt sensor","encodingType":"application/pdf","metadata":"https://example.org/tilt.pdf"},
               "ObservedProperty":{"@iot.id":{{{existingProperty}}}},
               "Observations":[{"phenomenonTime":"2025-03-01T10:00:00Z","result":0.5},{"phenomenonTime":"2025-03-01T11:00:00Z","result":0.75}]}]}
            """, 201);

        var thingId = thing.GetProperty("@iot.id").GetInt64();
        Assert.Equal("Kademuur 12", thing.GetProperty("name").GetString());
        Assert.Equal(thing.GetRawText(), (await server.GetJsonAsync($"/sta/v1.1/Things({thingId})")).GetRawText());
        var location = Assert.Single((await server.GetJsonAsync($"/sta/v1.1/Things({thingId})/Locations")).GetProperty("value").EnumerateArray());
        Assert.Equal([5.12, 52.09], location.GetProperty("location").GetProperty("coordinates").EnumerateArray().Select(c => c.GetDouble()));
        var historical = Assert.Single(await server.Store.Sensors.ListAsync<HistoricalLocation>(0, 100, TestContext.Current.CancellationToken), h => h.ThingId == thingId);
        Assert.Equal([location.GetProperty("@iot.id").GetInt64()], historical.LocationIds);
        Assert.Equal(TwinServer.Now, historical.Time);

        var datastream = Assert.Single(await server.Store.Sensors.ListAsync<Datastream>(0, 100, TestContext.Current.CancellationToken), d => d.ThingId == thingId);
        Assert.Equal(existingProperty, datastream.ObservedPropertyId);
        Assert.Equal("Inclinometer", (await server.Store.Sensors.FindAsync<Sensor>(datastream.SensorId, TestContext.Current.CancellationToken))!.Name);
        var observations = (await server.GetJsonAsync($"/sta/v1.1/Datastreams({datastream.Id})/Observations?$orderby=phenomenonTime asc")).GetProperty("value").EnumerateArray().ToList();
        Assert.Equal([0.5, 0.75], observations.Select(o => o.GetProperty("result").GetDouble()));
        var features = new List<JsonElement>();
        foreach (var observation in observations)
        {
            features.Add(await server.GetJsonAsync(observation.GetProperty("FeatureOfInterest@iot.navigationLink").GetString()!));
        }

        Assert.Single(features.Select(f => f.GetProperty("@iot.id").GetInt64()).Distinct());
        Assert.Equal("Kade", features[0].GetProperty("name").GetString());
        Assert.Equal(location.GetProperty("location").GetRawText(), features[0].GetProperty("feature").GetRawText());
    }

    [Fact]
    public async Task Every_entity_set_takes_a_post_with_its_links()
    {
        ThingInserted station = null!;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));

        var sensor = await ExpectAsync(server, "POST", "/sta/v1.1/Sensors", """{"name":"SDS011","description":"particulates","encodingType":"application/pdf","metadata":"https://example.org/sds011.pdf"}""", 201);
        var property = await ExpectAsync(server, "POST", "/sta/v1.1/ObservedProperties", """{"name":"PM10","definition":"https://example.org/pm10","description":"particulates up to 10 µm"}""", 201);
        var feature = await ExpectAsync(server, "POST", "/sta/v1.1/FeaturesOfInterest", """{"name":"Gracht","description":"water sample","encodingType":"application/geo+json","feature":{"type":"Point","coordinates":[4.89,52.37]}}""", 201);
        var datastream = await ExpectAsync(server, "POST", "/sta/v1.1/Datastreams", $$$"""
            {"name":"PM10","description":"hourly PM10","unitOfMeasurement":{"name":"microgram per cubic metre","symbol":"µg/m³","definition":"http://qudt.org/vocab/unit/MicroGM-PER-M3"},
             "observationType":"{{{Measurement}}}","Thing":{"@iot.id":{{{station.ThingId}}}},"Sensor":{"@iot.id":{{{Id(sensor)}}}},"ObservedProperty":{"@iot.id":{{{Id(property)}}}}}
            """, 201);
        var observation = await ExpectAsync(server, "POST", "/sta/v1.1/Observations", $$$"""
            {"phenomenonTime":"2025-03-01T09:00:00Z","result":"clear","Datastream":{"@iot.id":{{{Id(datastream)}}}},"FeatureOfInterest":{"@iot.id":{{{Id(feature)}}}}}
            """, 201);
        var location = await ExpectAsync(server, "POST", "/sta/v1.1/Locations", $$$"""
            {"name":"Dam 2","description":"moved","encodingType":"application/geo+json","location":{"type":"Point","coordinates":[4.8925,52.3731]},"Things":[{"@iot.id":{{{station.ThingId}}}}]}
            """, 201);
        var historical = await ExpectAsync(server, "POST", "/sta/v1.1/HistoricalLocations", $$$"""
            {"time":"2024-01-01T00:00:00Z","Thing":{"@iot.id":{{{station.ThingId}}}},"Locations":[{"@iot.id":{{{station.LocationIds[0]}}}}]}
            """, 201);

        var stored = (await server.Store.Sensors.FindAsync<Datastream>(Id(datastream), TestContext.Current.CancellationToken))!;
        Assert.Equal((station.ThingId, Id(sensor), Id(property)), (stored.ThingId, stored.SensorId, stored.ObservedPropertyId));
        Assert.Equal("clear", observation.GetProperty("result").GetString());
        Assert.Equal(Id(feature), (await server.GetJsonAsync($"/sta/v1.1/Observations({Id(observation)})/FeatureOfInterest")).GetProperty("@iot.id").GetInt64());
        Assert.Equal([Id(location)], await server.Store.Sensors.ThingLocationsAsync(station.ThingId, TestContext.Current.CancellationToken));
        Assert.Equal("2024-01-01T00:00:00.000Z", historical.GetProperty("time").GetString());
        var histories = await server.Store.Sensors.ListAsync<HistoricalLocation>(0, 100, TestContext.Current.CancellationToken);
        Assert.Equal(3, histories.Count);
        Assert.Contains(histories, h => h.LocationIds.SequenceEqual([Id(location)]) && h.Time == TwinServer.Now);
    }

    [Fact]
    public async Task Posting_into_a_navigation_collection_links_the_new_entity_to_the_one_in_the_path()
    {
        ThingInserted station = null!;
        ThingInserted bare = null!;
        await using var server = await TwinServer.StartAsync(async store =>
        {
            station = await SensorSeed.WeatherStationAsync(store);
            bare = await SensorSeed.BareThingAsync(store, "Paal");
        });
        var temperature = (await server.Store.Sensors.FindAsync<Datastream>(station.DatastreamIds[0], TestContext.Current.CancellationToken))!;

        var datastream = await ExpectAsync(server, "POST", $"/sta/v1.1/Things({bare.ThingId})/Datastreams", $$$"""
            {"name":"T","description":"temperature","unitOfMeasurement":{{{Unit}}},"observationType":"{{{Measurement}}}",
             "Sensor":{"@iot.id":{{{temperature.SensorId}}}},"ObservedProperty":{"@iot.id":{{{temperature.ObservedPropertyId}}}}}
            """, 201);
        var location = await ExpectAsync(server, "POST", $"/sta/v1.1/Things({bare.ThingId})/Locations", """
            {"name":"Paal 3","description":"post","encodingType":"application/geo+json","location":{"type":"Point","coordinates":[5.0,52.0]}}
            """, 201);
        var observation = await ExpectAsync(server, "POST", $"/sta/v1.1/Datastreams({Id(datastream)})/Observations", """{"result":12.5}""", 201);
        var second = await ExpectAsync(server, "POST", $"/sta/v1.1/Datastreams({Id(datastream)})/Observations", """{"result":13.5,"phenomenonTime":"2025-03-01T12:10:00Z"}""", 201);
        var sensorStream = await ExpectAsync(server, "POST", $"/sta/v1.1/Sensors({temperature.SensorId})/Datastreams", $$$"""
            {"name":"T2","description":"second","unitOfMeasurement":{{{Unit}}},"observationType":"{{{Measurement}}}",
             "Thing":{"@iot.id":{{{station.ThingId}}}},"ObservedProperty":{"@iot.id":{{{temperature.ObservedPropertyId}}}}}
            """, 201);

        Assert.Equal(bare.ThingId, (await server.GetJsonAsync($"/sta/v1.1/Datastreams({Id(datastream)})/Thing")).GetProperty("@iot.id").GetInt64());
        Assert.Equal([Id(location)], await server.Store.Sensors.ThingLocationsAsync(bare.ThingId, TestContext.Current.CancellationToken));
        Assert.Single(await server.Store.Sensors.ListAsync<HistoricalLocation>(0, 100, TestContext.Current.CancellationToken), h => h.ThingId == bare.ThingId);
        Assert.Equal("2025-03-01T12:00:00.000Z", observation.GetProperty("phenomenonTime").GetString());
        var feature = await server.GetJsonAsync($"/sta/v1.1/Observations({Id(observation)})/FeatureOfInterest");
        Assert.Equal("Paal 3", feature.GetProperty("name").GetString());
        Assert.Equal(feature.GetProperty("@iot.id").GetInt64(), (await server.GetJsonAsync($"/sta/v1.1/Observations({Id(second)})/FeatureOfInterest")).GetProperty("@iot.id").GetInt64());
        Assert.Equal(temperature.SensorId, (await server.Store.Sensors.FindAsync<Datastream>(Id(sensorStream), TestContext.Current.CancellationToken))!.SensorId);
    }

    [Fact]
    public async Task A_failing_deep_insert_stores_nothing()
    {
        ThingInserted station = null!;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));
        await ExpectAsync(server, "POST", $"/sta/v1.1/Datastreams({station.DatastreamIds[0]})/Observations", """{"result":1}""", 201);
        var before = await CountsAsync(server);

        using var unknownLink = await SendAsync(server, "POST", "/sta/v1.1/Things", $$$"""
            {"name":"Kademuur","description":"quay wall",
             "Locations":[{"name":"Kade","description":"the quay","encodingType":"application/geo+json","location":{"type":"Point","coordinates":[5.12,52.09]}}],
             "Datastreams":[
               {"name":"Tilt","description":"tilt","unitOfMeasurement":{{{Unit}}},"observationType":"{{{Measurement}}}",
                "Sensor":{"name":"S","description":"s","encodingType":"application/pdf","metadata":"m"},
                "ObservedProperty":{"name":"Tilt","definition":"https://example.org/tilt","description":"tilt"},
                "Observations":[{"result":1},{"result":2}]},
               {"name":"Crack","description":"crack width","unitOfMeasurement":{{{Unit}}},"observationType":"{{{Measurement}}}",
                "Sensor":{"@iot.id":999},"ObservedProperty":{"name":"Crack","definition":"https://example.org/crack","description":"crack"}}]}
            """);
        Assert.Contains("no Sensor with id 999", await AssertProblemAsync(unknownLink, 400), StringComparison.Ordinal);

        using var badObservation = await SendAsync(server, "POST", $"/sta/v1.1/Datastreams({station.DatastreamIds[0]})/Observations", """{"result":2,"FeatureOfInterest":{"name":"F","description":"f","encodingType":"application/geo+json","feature":{"type":"Point","coordinates":[500,0]}}}""");
        Assert.Contains("outside CRS84", await AssertProblemAsync(badObservation, 400), StringComparison.Ordinal);

        Assert.Equal(before, await CountsAsync(server));
    }

    [Theory]
    [InlineData("Things", "{\"name\":\"x\"", "not valid JSON")]
    [InlineData("Things", "[{\"name\":\"x\"}]", "must be a JSON object")]
    [InlineData("Things", "{\"name\":\"x\"}", "needs 'description'")]
    [InlineData("Things", "{\"name\":5,\"description\":\"d\"}", "'name' of a Thing must be a string")]
    [InlineData("Things", "{\"name\":\"x\",\"description\":\"d\",\"colour\":\"red\"}", "no member 'colour'")]
    [InlineData("Things", "{\"name\":\"x\",\"description\":\"d\",\"properties\":[1]}", "'properties'")]
    [InlineData("Things", "{\"name\":\"x\",\"description\":\"d\",\"Datastreams\":{\"@iot.id\":1}}", "must be an array")]
    [InlineData("Things", "{\"name\":\"x\",\"description\":\"d\",\"Locations\":[{\"@iot.id\":\"one\"}]}", "must be an integer")]
    [InlineData("Things", "{\"name\":\"x\",\"description\":\"d\",\"Locations\":[{\"@iot.id\":LOC,\"name\":\"n\"}]}", "may not have other members")]
    [InlineData("Things", "{\"name\":\"x\",\"description\":\"d\",\"Locations\":[{\"@iot.id\":999}]}", "no Location with id 999")]
    [InlineData("Locations", "{\"name\":\"x\",\"description\":\"d\",\"encodingType\":\"application/geo+json\",\"location\":{\"type\":\"Point\"}}", "'location'")]
    [InlineData("Locations", "{\"name\":\"x\",\"description\":\"d\",\"encodingType\":\"text/plain\",\"location\":{\"type\":\"Point\",\"coordinates\":[5,52]}}", "GeoJSON")]
    [InlineData("Locations", "{\"name\":\"x\",\"description\":\"d\",\"encodingType\":\"application/geo+json\",\"location\":\"POINT(5 52)\"}", "GeoJSON geometry object")]
    [InlineData("Datastreams", "{\"name\":\"x\",\"description\":\"d\",\"unitOfMeasurement\":{\"name\":\"n\",\"symbol\":\"s\"},\"observationType\":\"o\",\"Thing\":{\"@iot.id\":THING}}", "'definition'")]
    [InlineData("Datastreams", "{\"name\":\"x\",\"description\":\"d\",\"unitOfMeasurement\":{\"name\":\"n\",\"symbol\":\"s\",\"definition\":\"d\"},\"observationType\":\"o\",\"Thing\":{\"@iot.id\":THING}}", "needs its 'Sensor'")]
    [InlineData("HistoricalLocations", "{\"time\":\"2025-01-01T00:00:00Z\",\"Thing\":{\"@iot.id\":THING}}", "'Locations'")]
    [InlineData("HistoricalLocations", "{\"time\":\"yesterday\",\"Thing\":{\"@iot.id\":THING},\"Locations\":[{\"@iot.id\":LOC}]}", "'time'")]
    [InlineData("Observations", "{\"result\":1,\"Datastream\":{\"@iot.id\":DS},\"resultTime\":\"2025-03-01T00:00:00Z/2025-03-02T00:00:00Z\"}", "'resultTime'")]
    [InlineData("Observations", "{\"result\":1,\"Datastream\":{\"@iot.id\":DS},\"FeatureOfInterest\":{\"name\":\"f\"}}", "needs 'description'")]
    [InlineData("Datastreams(DS)/Observations", "{\"result\":1,\"Datastream\":{\"@iot.id\":DS}}", "given by where the entity is created")]
    [InlineData("Sensors", "{\"name\":\"x\",\"description\":\"d\",\"encodingType\":\"application/pdf\",\"metadata\":{\"a\":1}}", "'metadata'")]
    [InlineData("ObservedProperties", "{\"name\":\"x\",\"description\":\"d\"}", "needs 'definition'")]
    [InlineData("FeaturesOfInterest", "{\"name\":\"x\",\"description\":\"d\",\"encodingType\":\"application/geo+json\",\"feature\":null}", "'feature'")]
    public async Task A_bad_body_is_a_400_problem_that_says_what_is_wrong_and_stores_nothing(string set, string body, string expected)
    {
        ThingInserted station = null!;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));
        var before = await CountsAsync(server);

        using var response = await SendAsync(server, "POST", "/sta/v1.1/" + Fill(set, station), Fill(body, station));

        Assert.Contains(expected, await AssertProblemAsync(response, 400), StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync(server));
    }

    [Fact]
    public async Task A_wrong_path_is_a_404_or_405_problem()
    {
        ThingInserted station = null!;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));
        var before = await CountsAsync(server);
        const string Observation = """{"result":1}""";

        await AssertProblemAsync(await SendAsync(server, "POST", "/sta/v1.1/Datastreams(999)/Observations", Observation), 404);
        await AssertProblemAsync(await SendAsync(server, "POST", "/sta/v1.1/Datastreams(abc)/Observations", Observation), 404);
        await AssertProblemAsync(await SendAsync(server, "POST", "/sta/v1.1/Nothings", Observation), 404);
        await AssertProblemAsync(await SendAsync(server, "POST", $"/sta/v1.1/Datastreams({station.DatastreamIds[0]})/Colours", Observation), 404);
        await AssertProblemAsync(await SendAsync(server, "POST", $"/sta/v1.1/Things({station.ThingId})", """{"name":"x","description":"d"}"""), 405);
        await AssertProblemAsync(await SendAsync(server, "POST", $"/sta/v1.1/Datastreams({station.DatastreamIds[0]})/Thing", """{"name":"x","description":"d"}"""), 405);
        var big = $$$"""{"result":"{{{new string('x', 1024 * 1024)}}}","Datastream":{"@iot.id":{{{station.DatastreamIds[0]}}}}}""";
        Assert.Contains("1 MB", await AssertProblemAsync(await SendAsync(server, "POST", "/sta/v1.1/Observations", big), 413), StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync(server));
    }

    private static long Id(JsonElement entity) => entity.GetProperty("@iot.id").GetInt64();

    private static string Fill(string text, ThingInserted station) => text
        .Replace("THING", station.ThingId.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("LOC", station.LocationIds[0].ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("DS", station.DatastreamIds[0].ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
}
