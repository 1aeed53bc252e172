using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tweeling.Domain.Sensors;
using static Tweeling.Server.Tests.SensorThings.Api.StaWrite;

namespace Tweeling.Server.Tests.SensorThings.Api;

/// <summary>
/// POST, PATCH, PUT and DELETE of the MultiDatastream extension's entities over the real server and a real SQLite file:
/// deep insert and links, the rule that the three arrays have one member per result component (400, nothing stored),
/// cascades, and the answer cache dropped by a write.
/// </summary>
public sealed class MultiDatastreamWriteTests
{
    private const string Complex = MultiDatastream.ComplexObservationType;
    private const string Celsius = """{"name":"degree Celsius","symbol":"°C","definition":"http://qudt.org/vocab/unit/DEG_C"}""";
    private const string Percent = """{"name":"percent","symbol":"%","definition":"http://qudt.org/vocab/unit/PERCENT"}""";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>A MultiDatastream's members without links: two components, °C and %.</summary>
    private static string Members(string name) =>
        $$"""
        "name":"{{name}}","description":"temperature and humidity in one record","observationType":"{{Complex}}",
        "unitOfMeasurements":[{{Celsius}},{{Percent}}],"multiObservationDataTypes":["{{SensorSeed.Measurement}}","{{SensorSeed.Measurement}}"]
        """;

    [Fact]
    public async Task A_multi_datastream_deep_inserts_its_thing_sensor_and_observed_properties_in_order_and_links_existing_ones()
    {
        await using var server = await TwinServer.StartAsync(_ => Task.CompletedTask);
        var humidity = await server.Store.Sensors.CreateAsync(new ObservedProperty(0, "humidity", "urn:tweeling:grootheid:vochtigheid", "relative humidity"), Cancel);

        var created = await ExpectAsync(server, "POST", "/sta/v1.1/MultiDatastreams", $$"""
            { {{Members("Weer Dam")}},
              "Thing":{"name":"Station Dam","description":"weather station"},
              "Sensor":{"name":"WS-100","description":"weather sensor","encodingType":"text/plain","metadata":"datasheet"},
              "ObservedProperties":[{"name":"temperature","definition":"urn:tweeling:grootheid:temperatuur","description":"air temperature"},{"@iot.id":{{humidity.Id}}}] }
            """, 201);

        var id = created.GetProperty("@iot.id").GetInt64();
        Assert.Equal(["°C", "%"], created.GetProperty("unitOfMeasurements").EnumerateArray().Select(u => u.GetProperty("symbol").GetString()));
        Assert.Equal(Complex, created.GetProperty("observationType").GetString());
        var stored = (await server.Store.Sensors.FindAsync<MultiDatastream>(id, Cancel))!;
        Assert.Equal(2, stored.ObservedPropertyIds.Count);
        Assert.Equal(humidity.Id, stored.ObservedPropertyIds[1]);
        Assert.Equal("temperature", (await server.Store.Sensors.FindAsync<ObservedProperty>(stored.ObservedPropertyIds[0], Cancel))!.Name);
        Assert.Equal("Station Dam", (await server.GetJsonAsync($"/sta/v1.1/MultiDatastreams({id})/Thing")).GetProperty("name").GetString());

        // The Thing's, the Sensor's and the ObservedProperty's navigation to their MultiDatastreams.
        var thing = await server.GetJsonAsync($"/sta/v1.1/Things({stored.ThingId})");
        var ofThing = await server.GetJsonAsync(thing.GetProperty("MultiDatastreams@iot.navigationLink").GetString()!);
        Assert.Equal([id], ofThing.GetProperty("value").EnumerateArray().Select(m => m.GetProperty("@iot.id").GetInt64()));
        Assert.Equal([id], (await server.GetJsonAsync($"/sta/v1.1/Sensors({stored.SensorId})/MultiDatastreams")).GetProperty("value").EnumerateArray().Select(m => m.GetProperty("@iot.id").GetInt64()));
        Assert.Equal([id], (await server.GetJsonAsync($"/sta/v1.1/ObservedProperties({humidity.Id})/MultiDatastreams")).GetProperty("value").EnumerateArray().Select(m => m.GetProperty("@iot.id").GetInt64()));
        var expanded = await server.GetJsonAsync($"/sta/v1.1/Things({stored.ThingId})?$expand=MultiDatastreams($select=name)");
        Assert.Equal("Weer Dam", Assert.Single(expanded.GetProperty("MultiDatastreams").EnumerateArray()).GetProperty("name").GetString());

        // In a Thing's deep insert, and at a Sensor's navigation collection, linking existing ObservedProperties.
        var station = await ExpectAsync(server, "POST", "/sta/v1.1/Things", $$"""
            { "name":"Station Kade","description":"weather station",
              "MultiDatastreams":[{ {{Members("Weer Kade")}}, "Sensor":{"@iot.id":{{stored.SensorId}}},
                                    "ObservedProperties":[{"@iot.id":{{humidity.Id}}},{"@iot.id":{{stored.ObservedPropertyIds[0]}}}] }] }
            """, 201);
        var kade = Assert.Single((await server.GetJsonAsync($"/sta/v1.1/Things({station.GetProperty("@iot.id").GetInt64()})/MultiDatastreams")).GetProperty("value").EnumerateArray());
        Assert.Equal([humidity.Id, stored.ObservedPropertyIds[0]], (await server.Store.Sensors.FindAsync<MultiDatastream>(kade.GetProperty("@iot.id").GetInt64(), Cancel))!.ObservedPropertyIds);
        var atSensor = await ExpectAsync(server, "POST", $"/sta/v1.1/Sensors({stored.SensorId})/MultiDatastreams", $$"""
            { {{Members("Weer Dam 2")}}, "Thing":{"@iot.id":{{stored.ThingId}}}, "ObservedProperties":[{"@iot.id":{{humidity.Id}}},{"@iot.id":{{stored.ObservedPropertyIds[0]}}}] }
            """, 201);
        Assert.Equal(stored.SensorId, (await server.Store.Sensors.FindAsync<MultiDatastream>(atSensor.GetProperty("@iot.id").GetInt64(), Cancel))!.SensorId);
        Assert.Equal(3, (await server.GetJsonAsync($"/sta/v1.1/Sensors({stored.SensorId})/MultiDatastreams?$count=true")).GetProperty("@iot.count").GetInt64());
    }

    [Theory]
    [InlineData("""[{{C}}]""", """["{{M}}","{{M}}"]""", """[{{T}},{{H}}]""", "{{X}}", "unitOfMeasurements (1), multiObservationDataTypes (2) and ObservedProperties (2) must have the same length")]
    [InlineData("""[{{C}},{{P}}]""", """["{{M}}","{{M}}","{{M}}"]""", """[{{T}},{{H}}]""", "{{X}}", "unitOfMeasurements (2), multiObservationDataTypes (3) and ObservedProperties (2) must have the same length")]
    [InlineData("""[{{C}},{{P}}]""", """["{{M}}","{{M}}"]""", """[{{T}}]""", "{{X}}", "unitOfMeasurements (2), multiObservationDataTypes (2) and ObservedProperties (1) must have the same length")]
    [InlineData("""[]""", """[]""", """[]""", "{{X}}", "needs at least one ObservedProperty")]
    [InlineData("""[{{C}},{{P}}]""", """["{{M}}","{{M}}"]""", """[{{T}},{{H}}]""", "{{M}}", "observationType must be")]
    [InlineData("""{{C}}""", """["{{M}}","{{M}}"]""", """[{{T}},{{H}}]""", "{{X}}", "'unitOfMeasurements' of a MultiDatastream must be an array")]
    [InlineData("""[{{C}},{{P}}]""", """["{{M}}",7]""", """[{{T}},{{H}}]""", "{{X}}", "'multiObservationDataTypes[1]' of a MultiDatastream must be a string")]
    [InlineData("""[{{C}},{"name":"percent"}]""", """["{{M}}","{{M}}"]""", """[{{T}},{{H}}]""", "{{X}}", "unitOfMeasurements[1]")]
    public async Task A_multi_datastream_whose_arrays_do_not_fit_is_a_400_problem_that_says_why_and_stores_nothing(string units, string types, string properties, string observationType, string expected)
    {
        await using var server = await TwinServer.StartAsync(_ => Task.CompletedTask);
        var existing = await server.Store.Sensors.CreateAsync(new ObservedProperty(0, "humidity", "urn:tweeling:grootheid:vochtigheid", "relative humidity"), Cancel);
        string Fill(string text) => text
            .Replace("{{C}}", Celsius, StringComparison.Ordinal).Replace("{{P}}", Percent, StringComparison.Ordinal)
            .Replace("{{M}}", SensorSeed.Measurement, StringComparison.Ordinal).Replace("{{X}}", Complex, StringComparison.Ordinal)
            .Replace("{{T}}", """{"name":"temperature","definition":"urn:t","description":"air temperature"}""", StringComparison.Ordinal)
            .Replace("{{H}}", $$"""{"@iot.id":{{existing.Id}}}""", StringComparison.Ordinal);
        var before = await CountsAsync(server);

        // Deep inserted in a new Thing, so that a refusal must also undo the Thing, the Sensor and the new ObservedProperty.
        using var response = await SendAsync(server, "POST", "/sta/v1.1/Things", $$"""
            { "name":"Station","description":"weather station",
              "MultiDatastreams":[{ "name":"Weer","description":"weather","observationType":"{{Fill(observationType)}}",
                "unitOfMeasurements":{{Fill(units)}},"multiObservationDataTypes":{{Fill(types)}},
                "Sensor":{"name":"WS","description":"weather sensor","encodingType":"text/plain","metadata":"datasheet"},
                "ObservedProperties":{{Fill(properties)}} }] }
            """);

        var detail = await AssertProblemAsync(response, 400);
        Assert.Contains(expected, detail, StringComparison.Ordinal);
        Assert.EndsWith("Nothing was stored.", detail, StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync(server));
        Assert.Empty(await server.Store.Sensors.ListAsync<MultiDatastream>(0, 10, Cancel));
    }

    [Fact]
    public async Task Patch_merges_put_replaces_and_the_observed_properties_keep_their_count_once_there_are_observations()
    {
        WeatherMulti seeded = null!;
        await using var server = await TwinServer.StartAsync(async store => seeded = await SensorSeed.WeatherMultiDatastreamAsync(store, "Dam", null));
        var path = $"/sta/v1.1/MultiDatastreams({seeded.Multi})";

        var patched = await ExpectAsync(server, "PATCH", path, $$"""{"name":"Weer Dam-Oost","ObservedProperties":[{"@iot.id":{{seeded.ObservedProperties[1]}}},{"@iot.id":{{seeded.ObservedProperties[0]}}}]}""", 200);
        Assert.Equal("Weer Dam-Oost", patched.GetProperty("name").GetString());
        Assert.Equal("temperature and humidity in one record", patched.GetProperty("description").GetString());
        Assert.Equal([seeded.ObservedProperties[1], seeded.ObservedProperties[0]], (await server.Store.Sensors.FindAsync<MultiDatastream>(seeded.Multi, Cancel))!.ObservedPropertyIds);

        using (var missing = await SendAsync(server, "PUT", path, """{"name":"Weer","description":"replaced"}"""))
        {
            Assert.Contains("unitOfMeasurements", await AssertProblemAsync(missing, 400), StringComparison.Ordinal);
        }

        var put = await ExpectAsync(server, "PUT", path, $$"""{ {{Members("Weer")}}, "properties":{"owner":"gemeente"} }""", 200);
        Assert.Equal("gemeente", put.GetProperty("properties").GetProperty("owner").GetString());
        Assert.Equal([seeded.ObservedProperties[1], seeded.ObservedProperties[0]], (await server.Store.Sensors.FindAsync<MultiDatastream>(seeded.Multi, Cancel))!.ObservedPropertyIds);

        await server.Store.Sensors.WriteAsync(
            (writer, ct) => writer.AppendMultiAsync([new MultiObservation(0, seeded.Multi, null, SensorTime.At(TwinServer.Now), null, JsonSerializer.SerializeToElement(new[] { 80, 11.5 }))], ct),
            Cancel);
        var before = await StoredAsync(server, seeded.Multi);
        using (var fewer = await SendAsync(server, "PATCH", path, $$"""{"name":"x","unitOfMeasurements":[{{Celsius}}],"multiObservationDataTypes":["{{SensorSeed.Measurement}}"],"ObservedProperties":[{"@iot.id":{{seeded.ObservedProperties[0]}}}]}"""))
        {
            Assert.Contains("has Observations with 2 result values each", await AssertProblemAsync(fewer, 400), StringComparison.Ordinal);
        }

        using (var unknown = await SendAsync(server, "PATCH", path, """{"name":"x","Thing":{"@iot.id":999}}"""))
        {
            Assert.Contains("no Thing with id 999", await AssertProblemAsync(unknown, 400), StringComparison.Ordinal);
        }

        Assert.Equal(before, await StoredAsync(server, seeded.Multi));
        using (var fromProperty = await SendAsync(server, "PATCH", $"/sta/v1.1/ObservedProperties({seeded.ObservedProperties[0]})", """{"MultiDatastreams":[]}"""))
        {
            Assert.Contains("'MultiDatastreams' of an ObservedProperty cannot be changed here", await AssertProblemAsync(fromProperty, 400), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Delete_removes_the_multi_datastream_with_its_observations_and_a_deleted_thing_takes_its_multi_datastreams()
    {
        (WeatherMulti Dam, WeatherMulti Kade) seeded = (null!, null!);
        await using var server = await TwinServer.StartAsync(async store => seeded = (await SensorSeed.WeatherMultiDatastreamAsync(store, "Dam", null), await SensorSeed.WeatherMultiDatastreamAsync(store, "Kade", null)));
        var ids = await server.Store.Sensors.WriteAsync(
            (writer, ct) => writer.AppendMultiAsync(
                [new MultiObservation(0, seeded.Dam.Multi, null, SensorTime.At(TwinServer.Now), null, JsonSerializer.SerializeToElement(new[] { 11.5, 80 })),
                 new MultiObservation(0, seeded.Kade.Multi, null, SensorTime.At(TwinServer.Now), null, JsonSerializer.SerializeToElement(new[] { 12.5, 70 }))],
                ct),
            Cancel);

        using (var deleted = await SendAsync(server, "DELETE", $"/sta/v1.1/MultiDatastreams({seeded.Dam.Multi})"))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        Assert.Null(await server.Store.Sensors.FindAsync<MultiDatastream>(seeded.Dam.Multi, Cancel));
        Assert.Null(await server.Store.Sensors.FindMultiObservationAsync(ids[0], Cancel));
        Assert.NotNull(await server.Store.Sensors.FindAsync<ObservedProperty>(seeded.Dam.ObservedProperties[0], Cancel));
        Assert.NotNull(await server.Store.Sensors.FindMultiObservationAsync(ids[1], Cancel));
        using (var again = await SendAsync(server, "DELETE", $"/sta/v1.1/MultiDatastreams({seeded.Dam.Multi})"))
        {
            await AssertProblemAsync(again, 404);
        }

        using (var thing = await SendAsync(server, "DELETE", $"/sta/v1.1/Things({seeded.Kade.Thing})"))
        {
            Assert.Equal(HttpStatusCode.OK, thing.StatusCode);
        }

        Assert.Null(await server.Store.Sensors.FindAsync<MultiDatastream>(seeded.Kade.Multi, Cancel));
        Assert.Null(await server.Store.Sensors.FindMultiObservationAsync(ids[1], Cancel));
    }

    [Fact]
    public async Task A_kept_answer_is_dropped_by_a_write_over_http_and_writes_need_the_sensor_write_role()
    {
        WeatherMulti seeded = null!;
        await using var server = await TwinServer.StartAsync(async store => seeded = await SensorSeed.WeatherMultiDatastreamAsync(store, "Dam", null), TwinServer.ProductionAccess);
        using var employee = await server.ClientAsAsync("medewerker");
        var path = $"/sta/v1.1/MultiDatastreams({seeded.Multi})";

        // Asked twice, so the answer is kept until the next commit (StaAnswerCache keeps what was asked before).
        Assert.Equal("Weer Dam", (await employee.GetFromJsonAsync<JsonElement>(path, Cancel)).GetProperty("name").GetString());
        Assert.Equal("Weer Dam", (await employee.GetFromJsonAsync<JsonElement>(path, Cancel)).GetProperty("name").GetString());

        using (var anonymous = await server.Client.PatchAsync(path, Json("""{"name":"anonymous"}"""), Cancel))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var patched = await employee.PatchAsync(path, Json("""{"name":"Weer Dam-Oost"}"""), Cancel))
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        }

        Assert.Equal("Weer Dam-Oost", (await employee.GetFromJsonAsync<JsonElement>(path, Cancel)).GetProperty("name").GetString());
        using (var deleted = await employee.DeleteAsync(path, Cancel))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        using var gone = await employee.GetAsync(path, Cancel);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    /// <summary>The MultiDatastream as a GET writes it and its ObservedProperties in result order, to show that a refused write changed nothing.</summary>
    private static async Task<string> StoredAsync(TwinServer server, long id) =>
        (await server.GetJsonAsync($"/sta/v1.1/MultiDatastreams({id})")).GetRawText()
        + string.Join(",", (await server.Store.Sensors.FindAsync<MultiDatastream>(id, Cancel))!.ObservedPropertyIds);

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
