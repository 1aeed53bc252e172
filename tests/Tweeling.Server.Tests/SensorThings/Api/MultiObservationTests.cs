using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tweeling.Domain.Sensors;
using Tweeling.Storage.Sqlite;
using static Tweeling.Server.Tests.SensorThings.Api.StaWrite;

namespace Tweeling.Server.Tests.SensorThings.Api;

/// <summary>
/// Observations of a MultiDatastream (OGC 18-088, MultiDatastream extension) over the real server and a real SQLite file:
/// created at <c>MultiDatastreams(id)/Observations</c> or with a <c>MultiDatastream</c> link, read in the top-level
/// <c>Observations</c> beside those of Datastreams and through navigation, filtered, ordered, selected, expanded, as
/// dataArray, changed and deleted; a result that does not fit and an Observation of both or neither kind are 400 problems.
/// </summary>
public sealed class MultiObservationTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Observations_created_at_a_multi_datastream_or_with_its_link_read_back_with_array_results_beside_those_of_datastreams()
    {
        Weather seeded = null!;
        await using var server = await TwinServer.StartAsync(async store => seeded = await WeatherAsync(store, "Dam", dataset: null));

        var first = await ExpectAsync(server, "POST", $"/sta/v1.1/MultiDatastreams({seeded.Multi})/Observations",
            """{"phenomenonTime":"2025-03-01T10:00:00Z","result":[11.5,80]}""", 201);
        var second = await ExpectAsync(server, "POST", "/sta/v1.1/Observations",
            $$$"""{"phenomenonTime":"2025-03-01T11:00:00Z","result":[12.5,70],"parameters":{"battery":90},"MultiDatastream":{"@iot.id":{{{seeded.Multi}}}}}""", 201);
        var (a, b) = (first.GetProperty("@iot.id").GetInt64(), second.GetProperty("@iot.id").GetInt64());

        // The entity: an array result, a MultiDatastream link and no Datastream link, a FeatureOfInterest derived from the Thing's Location.
        Assert.Equal([11.5, 80], first.GetProperty("result").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal($"{server.Client.BaseAddress}sta/v1.1/Observations({a})/MultiDatastream", first.GetProperty("MultiDatastream@iot.navigationLink").GetString());
        Assert.False(first.TryGetProperty("Datastream@iot.navigationLink", out _));
        Assert.Equal("Weer Dam", (await server.GetJsonAsync($"/sta/v1.1/Observations({a})/MultiDatastream")).GetProperty("name").GetString());
        await Problems.AssertProblemAsync(server.Client, $"/sta/v1.1/Observations({a})/Datastream", 404);
        var feature = await server.GetJsonAsync($"/sta/v1.1/Observations({a})/FeatureOfInterest");
        Assert.Equal("Plek Dam", feature.GetProperty("name").GetString());
        Assert.Equal(feature.GetProperty("@iot.id").GetInt64(), (await server.GetJsonAsync($"/sta/v1.1/Observations({b})/FeatureOfInterest")).GetProperty("@iot.id").GetInt64());
        Assert.Equal("[12.5,70]", (await server.GetJsonAsync($"/sta/v1.1/Observations({b})/result")).GetProperty("result").GetRawText());

        // The MultiDatastream's Observations, newest first as a Datastream's; the top-level set lists both kinds in id order.
        Assert.Equal([b, a], await IdsAsync(server, $"/sta/v1.1/MultiDatastreams({seeded.Multi})/Observations"));
        var multi = await server.GetJsonAsync($"/sta/v1.1/MultiDatastreams({seeded.Multi})");
        Assert.Equal($"{server.Client.BaseAddress}sta/v1.1/MultiDatastreams({seeded.Multi})/Observations", multi.GetProperty("Observations@iot.navigationLink").GetString());
        Assert.Equal("2025-03-01T10:00:00.000Z/2025-03-01T11:00:00.000Z", multi.GetProperty("phenomenonTime").GetString());
        var all = await server.GetJsonAsync("/sta/v1.1/Observations?$count=true");
        Assert.Equal(3, all.GetProperty("@iot.count").GetInt64());
        Assert.Equal([seeded.DatastreamObservation, a, b], all.GetProperty("value").EnumerateArray().Select(o => o.GetProperty("@iot.id").GetInt64()));
        Assert.Equal(21.0, all.GetProperty("value")[0].GetProperty("result").GetDouble());
        Assert.True(all.GetProperty("value")[0].TryGetProperty("Datastream@iot.navigationLink", out _));
        Assert.Equal([seeded.DatastreamObservation, a, b], await IdsAsync(server, $"/sta/v1.1/FeaturesOfInterest({feature.GetProperty("@iot.id").GetInt64()})/Observations?$orderby=id"));

        // $filter, $orderby, $top/$skip with a next link, $select and $expand over both kinds.
        Assert.Equal([a, b], await IdsAsync(server, $"/sta/v1.1/Observations?$filter=MultiDatastream/id eq {seeded.Multi}"));
        Assert.Equal([seeded.DatastreamObservation], await IdsAsync(server, $"/sta/v1.1/Observations?$filter=Datastream/id eq {seeded.Datastream}"));
        Assert.Equal([b], await IdsAsync(server, "/sta/v1.1/Observations?$filter=phenomenonTime gt 2025-03-01T10:30:00Z and parameters/battery eq 90"));
        Assert.Equal([b, a, seeded.DatastreamObservation], await IdsAsync(server, "/sta/v1.1/Observations?$orderby=phenomenonTime desc"));
        var page = await server.GetJsonAsync("/sta/v1.1/Observations?$orderby=phenomenonTime desc&$top=1&$skip=1");
        Assert.Equal(a, Assert.Single(page.GetProperty("value").EnumerateArray()).GetProperty("@iot.id").GetInt64());
        Assert.Contains("skip=2", page.GetProperty("@iot.nextLink").GetString(), StringComparison.Ordinal);
        Assert.Equal([a], await IdsAsync(server, $"/sta/v1.1/MultiDatastreams({seeded.Multi})/Observations?$filter=phenomenonTime lt 2025-03-01T10:30:00Z"));
        Assert.Equal([seeded.Multi], await IdsAsync(server, "/sta/v1.1/MultiDatastreams?$filter=Observations/phenomenonTime gt 2025-03-01T10:30:00Z"));
        var selected = await server.GetJsonAsync($"/sta/v1.1/MultiDatastreams({seeded.Multi})/Observations?$select=result&$top=1");
        Assert.Equal("""{"result":[12.5,70]}""", Assert.Single(selected.GetProperty("value").EnumerateArray()).GetRawText());
        var expanded = await server.GetJsonAsync($"/sta/v1.1/Observations?$expand=MultiDatastream($select=name),Datastream($select=name)&$orderby=id");
        Assert.Equal(JsonValueKind.Null, expanded.GetProperty("value")[0].GetProperty("MultiDatastream").ValueKind);
        Assert.Equal("Temperatuur Dam", expanded.GetProperty("value")[0].GetProperty("Datastream").GetProperty("name").GetString());
        Assert.Equal("Weer Dam", expanded.GetProperty("value")[1].GetProperty("MultiDatastream").GetProperty("name").GetString());
        var withObservations = await server.GetJsonAsync($"/sta/v1.1/MultiDatastreams({seeded.Multi})?$expand=Observations($orderby=phenomenonTime;$top=1;$count=true)");
        Assert.Equal(2, withObservations.GetProperty("Observations@iot.count").GetInt64());
        Assert.Equal(a, Assert.Single(withObservations.GetProperty("Observations").EnumerateArray()).GetProperty("@iot.id").GetInt64());
    }

    [Theory]
    [InlineData("MultiDatastreams({M})/Observations", """{"result":[11.5]}""", "needs a result array of 2 values (one per ObservedProperty), not 1")]
    [InlineData("MultiDatastreams({M})/Observations", """{"result":11.5}""", "must be an array with one value per ObservedProperty, not a number")]
    [InlineData("MultiDatastreams({M})/Observations", """{"phenomenonTime":"2025-03-01T10:00:00Z"}""", "'result'")]
    [InlineData("MultiDatastreams({M})/Observations", """{"result":[1,2],"Datastream":{"@iot.id":{D}}}""", "exactly one Datastream or MultiDatastream")]
    [InlineData("Observations", """{"result":[1,2],"Datastream":{"@iot.id":{D}},"MultiDatastream":{"@iot.id":{M}}}""", "exactly one Datastream or MultiDatastream")]
    [InlineData("Datastreams({D})/Observations", """{"result":[1,2],"MultiDatastream":{"@iot.id":{M}}}""", "exactly one Datastream or MultiDatastream")]
    [InlineData("Observations", """{"result":[1,2]}""", "needs its 'Datastream'")]
    [InlineData("Observations", """{"result":[1,2],"MultiDatastream":{"@iot.id":999}}""", "There is no MultiDatastream with id 999")]
    public async Task An_observation_whose_result_does_not_fit_or_that_names_both_kinds_or_neither_is_a_400_problem_and_stores_nothing(string path, string body, string expected)
    {
        Weather seeded = null!;
        await using var server = await TwinServer.StartAsync(async store => seeded = await WeatherAsync(store, "Dam", dataset: null));
        string Fill(string text) => text
            .Replace("{M}", seeded.Multi.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{D}", seeded.Datastream.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var before = await CountsAsync(server);

        using var response = await SendAsync(server, "POST", "/sta/v1.1/" + Fill(path), Fill(body));

        var detail = await AssertProblemAsync(response, 400);
        Assert.Contains(expected, detail, StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync(server));
        Assert.Empty(await server.Store.Sensors.MultiObservationsAsync(seeded.Multi, 0, 10, Cancel));
    }

    [Fact]
    public async Task Patch_put_and_delete_change_an_observation_of_a_multi_datastream_and_each_drops_a_kept_answer()
    {
        Weather seeded = null!;
        await using var server = await TwinServer.StartAsync(async store => seeded = await WeatherAsync(store, "Dam", dataset: null));
        var id = (await ExpectAsync(server, "POST", $"/sta/v1.1/MultiDatastreams({seeded.Multi})/Observations",
            """{"phenomenonTime":"2025-03-01T10:00:00Z","result":[11.5,80]}""", 201)).GetProperty("@iot.id").GetInt64();
        var path = $"/sta/v1.1/Observations({id})";
        var collection = $"/sta/v1.1/MultiDatastreams({seeded.Multi})/Observations";

        // Asked twice, so the answers are kept until the next commit (StaAnswerCache keeps what was asked before).
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal("[11.5,80]", (await server.GetJsonAsync(path)).GetProperty("result").GetRawText());
            Assert.Equal([id], await IdsAsync(server, collection));
        }

        var patched = await ExpectAsync(server, "PATCH", path, """{"result":[12,75],"resultQuality":"checked"}""", 200);
        Assert.Equal("[12,75]", patched.GetProperty("result").GetRawText());
        Assert.Equal("2025-03-01T10:00:00.000Z", patched.GetProperty("phenomenonTime").GetString());
        Assert.Equal("[12,75]", (await server.GetJsonAsync(path)).GetProperty("result").GetRawText());
        Assert.Equal("checked", (await server.GetJsonAsync(collection)).GetProperty("value")[0].GetProperty("resultQuality").GetString());

        var stored = (await server.GetJsonAsync(path)).GetRawText();
        foreach (var (body, expected) in new[]
        {
            ("""{"result":[12]}""", "needs a result array of 2 values"),
            ($$$"""{"Datastream":{"@iot.id":{{{seeded.Datastream}}}}}""", "belongs to a MultiDatastream, so it cannot be given a 'Datastream'"),
            ("""{"MultiDatastream":{"@iot.id":999}}""", "There is no MultiDatastream with id 999"),
        })
        {
            using var refused = await SendAsync(server, "PATCH", path, body);
            Assert.Contains(expected, await AssertProblemAsync(refused, 400), StringComparison.Ordinal);
        }

        using (var datastreamObservation = await SendAsync(server, "PATCH", $"/sta/v1.1/Observations({seeded.DatastreamObservation})", $$$"""{"MultiDatastream":{"@iot.id":{{{seeded.Multi}}}}}"""))
        {
            Assert.Contains("belongs to a Datastream, so it cannot be given a 'MultiDatastream'", await AssertProblemAsync(datastreamObservation, 400), StringComparison.Ordinal);
        }

        using (var incomplete = await SendAsync(server, "PUT", path, """{"phenomenonTime":"2025-03-01T09:00:00Z"}"""))
        {
            Assert.Contains("'result'", await AssertProblemAsync(incomplete, 400), StringComparison.Ordinal);
        }

        Assert.Equal(stored, (await server.GetJsonAsync(path)).GetRawText());
        var put = await ExpectAsync(server, "PUT", path, """{"phenomenonTime":"2025-03-01T09:00:00Z","result":[9,99]}""", 200);
        Assert.Equal(JsonValueKind.Null, put.GetProperty("resultQuality").ValueKind);
        Assert.Equal("2025-03-01T09:00:00.000Z", (await server.GetJsonAsync(collection)).GetProperty("value")[0].GetProperty("phenomenonTime").GetString());

        using (var deleted = await SendAsync(server, "DELETE", path))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        await Problems.AssertProblemAsync(server.Client, path, 404);
        Assert.Empty(await IdsAsync(server, collection));
        Assert.Null(await server.Store.Sensors.FindMultiObservationAsync(id, Cancel));
    }

    [Fact]
    public async Task Observations_of_a_multi_datastream_are_visible_only_with_its_thing_and_writes_need_the_sensor_write_role()
    {
        (Weather Open, Weather Internal) seeded = (null!, null!);
        await using var server = await TwinServer.StartAsync(
            async store => seeded = await SensorSeed.InOpenAndInternalDatasetsAsync(store, WeatherAsync),
            TwinServer.ProductionAccess);
        using var employee = await server.ClientAsAsync("medewerker");
        var ids = new List<long>();
        foreach (var multi in new[] { seeded.Open.Multi, seeded.Internal.Multi })
        {
            using var anonymous = await server.Client.PostAsync($"/sta/v1.1/MultiDatastreams({multi})/Observations", Json("""{"result":[1,2]}"""), Cancel);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            using var created = await employee.PostAsync($"/sta/v1.1/MultiDatastreams({multi})/Observations", Json("""{"result":[1,2]}"""), Cancel);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            ids.Add((await created.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("@iot.id").GetInt64());
        }

        // The public sees the open station's Observations only: in the set, its count, by id, through navigation and filters.
        var page = await server.GetJsonAsync("/sta/v1.1/Observations?$count=true&$filter=MultiDatastream/id gt 0");
        Assert.Equal([ids[0]], page.GetProperty("value").EnumerateArray().Select(o => o.GetProperty("@iot.id").GetInt64()));
        Assert.Equal(1, page.GetProperty("@iot.count").GetInt64());
        Assert.DoesNotContain(ids[1], await IdsAsync(server, "/sta/v1.1/Observations"));
        await Problems.AssertProblemAsync(server.Client, $"/sta/v1.1/Observations({ids[1]})", 404);
        await Problems.AssertProblemAsync(server.Client, $"/sta/v1.1/MultiDatastreams({seeded.Internal.Multi})/Observations", 404);
        Assert.Equal([ids[0]], await IdsAsync(server, $"/sta/v1.1/MultiDatastreams({seeded.Open.Multi})/Observations"));

        // An employee may read the internal dataset too.
        var all = await (await employee.GetAsync("/sta/v1.1/Observations?$count=true&$filter=MultiDatastream/id gt 0", Cancel)).Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(2, all.GetProperty("@iot.count").GetInt64());
    }

    [Fact]
    public async Task A_data_array_read_groups_the_observations_of_each_multi_datastream_under_its_link()
    {
        Weather seeded = null!;
        await using var server = await TwinServer.StartAsync(async store => seeded = await WeatherAsync(store, "Dam", dataset: null));
        var a = (await ExpectAsync(server, "POST", $"/sta/v1.1/MultiDatastreams({seeded.Multi})/Observations", """{"phenomenonTime":"2025-03-01T10:00:00Z","result":[11.5,80]}""", 201)).GetProperty("@iot.id").GetInt64();
        var b = (await ExpectAsync(server, "POST", $"/sta/v1.1/MultiDatastreams({seeded.Multi})/Observations", """{"phenomenonTime":"2025-03-01T11:00:00Z","result":[12.5,70]}""", 201)).GetProperty("@iot.id").GetInt64();

        var own = await server.GetJsonAsync($"/sta/v1.1/MultiDatastreams({seeded.Multi})/Observations?$resultFormat=dataArray&$select=id,result&$orderby=phenomenonTime");
        var group = Assert.Single(own.GetProperty("value").EnumerateArray());
        Assert.Equal($"{server.Client.BaseAddress}sta/v1.1/MultiDatastreams({seeded.Multi})", group.GetProperty("MultiDatastream@iot.navigationLink").GetString());
        Assert.False(group.TryGetProperty("Datastream@iot.navigationLink", out _));
        Assert.Equal(["id", "result"], group.GetProperty("components").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(2, group.GetProperty("dataArray@iot.count").GetInt32());
        Assert.Equal($"[[{a},[11.5,80]],[{b},[12.5,70]]]", group.GetProperty("dataArray").GetRawText());

        // The top-level set: one group per Datastream or MultiDatastream, in the order of their first Observation.
        var both = await server.GetJsonAsync("/sta/v1.1/Observations?$resultFormat=dataArray&$orderby=id");
        Assert.Equal(
            [$"{server.Client.BaseAddress}sta/v1.1/Datastreams({seeded.Datastream})", $"{server.Client.BaseAddress}sta/v1.1/MultiDatastreams({seeded.Multi})"],
            both.GetProperty("value").EnumerateArray().Select(g => (g.TryGetProperty("Datastream@iot.navigationLink", out var d) ? d : g.GetProperty("MultiDatastream@iot.navigationLink")).GetString()));
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private static async Task<long[]> IdsAsync(TwinServer server, string path) =>
        [.. (await server.GetJsonAsync(path)).GetProperty("value").EnumerateArray().Select(e => e.GetProperty("@iot.id").GetInt64())];

    /// <summary>
    /// <see cref="SensorSeed.WeatherMultiDatastreamAsync"/> and a Datastream of temperature on the same Thing and Sensor that
    /// has one Observation (result 21 at 09:00) of the FeatureOfInterest derived from the Location.
    /// </summary>
    private static async Task<Weather> WeatherAsync(SqliteTwinStore store, string name, string? dataset)
    {
        var station = await SensorSeed.WeatherMultiDatastreamAsync(store, name, dataset);
        var datastream = await store.Sensors.CreateAsync(
            new Datastream(0, "Temperatuur " + name, "air temperature", SensorSeed.Celsius, SensorSeed.Measurement, station.Thing, station.Sensor, station.ObservedProperties[0]),
            Cancel);
        var observation = await store.Sensors.WriteAsync(
            async (writer, ct) =>
            {
                var feature = (await writer.DerivedFeatureOfInterestAsync(datastream.Id, ct))!.Id;
                return (await writer.AppendAsync([new NewObservation(datastream.Id, SensorTime.At(TwinServer.Now.AddHours(-3)), 21, FeatureOfInterestId: feature)], ct))[0];
            },
            Cancel);
        return new Weather(station.Multi, datastream.Id, observation);
    }

    private sealed record Weather(long Multi, long Datastream, long DatastreamObservation);
}
