using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Tweeling.Domain.Audit;
using Tweeling.Domain.Ports;
using static Tweeling.Server.Tests.SensorThings.Api.StaWrite;

namespace Tweeling.Server.Tests.SensorThings.Api;

public sealed class DataArrayCreateTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_observations_appends_every_row_and_answers_their_self_links_in_order()
    {
        ThingInserted station = null!;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));
        var feature = await ExpectAsync(server, "POST", "/sta/v1.1/FeaturesOfInterest", """{"name":"Gracht","description":"water","encodingType":"application/geo+json","feature":{"type":"Point","coordinates":[4.89,52.37]}}""", 201);
        var featureId = feature.GetProperty("@iot.id").GetInt64();
        var (temperature, humidity) = (station.DatastreamIds[0], station.DatastreamIds[1]);

        using var response = await SendAsync(server, "POST", "/sta/v1.1/CreateObservations", $$$"""
            [{"Datastream":{"@iot.id":{{{temperature}}}},"components":["phenomenonTime","result","FeatureOfInterest/id"],"dataArray@iot.count":2,
              "dataArray":[["2025-03-01T10:00:00Z",7.5,{{{featureId}}}],["2025-03-01T11:00:00+01:00",8,null]]},
             {"dataArray":[[55,"2025-03-01T10:00:00Z/2025-03-01T10:30:00Z",{"sensor":"ok"}],[{"state":"dry"},"2025-03-01T10:30:00Z",null]],
              "components":["result","phenomenonTime","parameters"],"Datastream":{"@iot.id":{{{humidity}}}}}]
            """);

        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, body);
        var links = JsonDocument.Parse(body).RootElement.EnumerateArray().Select(l => l.GetString()!).ToList();
        Assert.Equal(4, links.Count);
        var observations = new List<JsonElement>();
        foreach (var link in links)
        {
            observations.Add(await server.GetJsonAsync(link));
        }

        Assert.Equal([7.5, 8.0, 55.0], observations.Take(3).Select(o => o.GetProperty("result").GetDouble()));
        Assert.Equal("dry", observations[3].GetProperty("result").GetProperty("state").GetString());
        Assert.Equal("2025-03-01T10:00:00.000Z", observations[1].GetProperty("phenomenonTime").GetString());
        Assert.Equal("2025-03-01T10:00:00.000Z/2025-03-01T10:30:00.000Z", observations[2].GetProperty("phenomenonTime").GetString());
        Assert.Equal("ok", observations[2].GetProperty("parameters").GetProperty("sensor").GetString());
        var features = new List<long>();
        foreach (var observation in observations)
        {
            features.Add((await server.GetJsonAsync(observation.GetProperty("FeatureOfInterest@iot.navigationLink").GetString()!)).GetProperty("@iot.id").GetInt64());
        }

        Assert.Equal(featureId, features[0]);
        Assert.Single(features.Skip(1).Distinct());
        Assert.NotEqual(featureId, features[1]);
        Assert.Equal(7.75, (await server.Store.Sensors.RollupAsync(temperature, RollupGranularity.Day, TwinServer.Now.AddDays(-1), TwinServer.Now.AddDays(1), Cancel)).Single().Mean);
        Assert.Equal(observations[3].GetProperty("@iot.id").GetInt64(), (await server.Store.Sensors.LatestAsync([humidity], Cancel)).Single().Id);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Created_rows_reach_a_live_client_once_stored(bool withMultiDatastreamRows)
    {
        (ThingInserted Station, WeatherMulti Weather) seeded = (null!, null!);
        await using var server = await TwinServer.StartAsync(async store => seeded = await SensorSeed.StationAndMultiDatastreamAsync(store));
        var station = seeded.Station;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/live");
        using var live = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Cancel);
        using var reader = new StreamReader(await live.Content.ReadAsStreamAsync(Cancel));
        Assert.Equal("event: verbonden", await reader.ReadLineAsync(Cancel));

        using var response = await SendAsync(server, "POST", "/sta/v1.1/CreateObservations", $$$"""
            [{"Datastream":{"@iot.id":{{{station.DatastreamIds[0]}}}},"components":["result"],"dataArray":[[1.5],[2.5],[3.5]]}
             {{{(withMultiDatastreamRows ? $$$""",{"MultiDatastream":{"@iot.id":{{{seeded.Weather.Multi}}}},"components":["result"],"dataArray":[[[4.5,80]]]}""" : "")}}}]
            """);
        Assert.Equal(201, (int)response.StatusCode);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        var results = new List<double>();
        string? eventType = null;
        while (results.Count < 3 && await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventType = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && eventType == "observatie")
            {
                results.Add(JsonDocument.Parse(line["data: ".Length..]).RootElement.GetProperty("resultaat").GetDouble());
            }
        }

        Assert.Equal([1.5, 2.5, 3.5], results);
    }

    [Theory]
    [InlineData("{}", "JSON array")]
    [InlineData("[{\"Datastream\":{\"@iot.id\":DS},\"components\":[\"result\"],\"dataArray\":[[1],[2],]}]", "not valid JSON")]
    [InlineData("[{\"Datastream\":{\"@iot.id\":DS},\"components\":[\"result\"],\"dataArray\":[[1],[\"x\"]]}]]", "not valid JSON")]
    [InlineData("[{\"Datastream\":{\"@iot.id\":DS},\"components\":[\"result\"],\"dataArray@iot.count\":3,\"dataArray\":[[1]]}]", "dataArray@iot.count")]
    [InlineData("[{\"Datastream\":{\"@iot.id\":DS},\"components\":[\"colour\",\"result\"],\"dataArray\":[[1,2]]}]", "'colour'")]
    [InlineData("[{\"Datastream\":{\"@iot.id\":DS},\"components\":[\"phenomenonTime\"],\"dataArray\":[[\"2025-03-01T10:00:00Z\"]]}]", "'result'")]
    [InlineData("[{\"Datastream\":7,\"components\":[\"result\"],\"dataArray\":[[1]]}]", "Datastream must be a link")]
    [InlineData("[{\"components\":[\"result\"],\"dataArray\":[[1]]}]", "needs 'Datastream'")]
    [InlineData("[{\"Datastream\":{\"@iot.id\":DS},\"components\":[\"result\"],\"dataArray\":{\"row\":[1]}}]", "dataArray must be an array")]
    [InlineData("[[1, 2]]", "must be an object")]
    [InlineData("[{\"Datastream\":{\"@iot.id\":DS},\"MultiDatastream\":{\"@iot.id\":DS},\"components\":[\"result\"],\"dataArray\":[[[1,2]]]}]", "names both a Datastream and a MultiDatastream")]
    [InlineData("[{\"MultiDatastream\":\"DS\",\"components\":[\"result\"],\"dataArray\":[[[1,2]]]}]", "MultiDatastream must be a link")]
    public async Task A_body_malformed_as_a_whole_is_a_400_problem_that_names_the_fault_and_stores_nothing(string body, string expected)
    {
        ThingInserted station = null!;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));
        var before = await CountsAsync(server);

        using var response = await SendAsync(server, "POST", "/sta/v1.1/CreateObservations", body.Replace("DS", station.DatastreamIds[0].ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));

        Assert.Contains(expected, await AssertProblemAsync(response, 400), StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync(server));
    }

    [Fact]
    public async Task Bad_rows_answer_error_in_their_place_and_every_good_row_is_stored()
    {
        ThingInserted station = null!;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));
        var (temperature, humidity) = (station.DatastreamIds[0], station.DatastreamIds[1]);

        // Rows 0, 3, 10 and 12 are good; every other row is bad in one way the standard answers with "error".
        using var response = await SendAsync(server, "POST", "/sta/v1.1/CreateObservations", $$$"""
            [{"Datastream":{"@iot.id":{{{temperature}}}},"components":["phenomenonTime","result","FeatureOfInterest/id"],"dataArray":[
               ["2025-03-01T10:00:00Z",1.5,null],
               ["yesterday",2.5,null],
               ["2025-03-01T10:02:00Z",1e400,null],
               ["2025-03-01T10:03:00Z",4.5,null],
               ["2025-03-01T10:04:00Z",5.5],
               ["2025-03-01T10:05:00Z",6.5,null,{"extra":[1,2]}],
               {"phenomenonTime":"2025-03-01T10:06:00Z"},
               7.5,
               ["2025-03-01T10:08:00Z",8.5,999999]]},
             {"Datastream":{"@iot.id":999999},"components":["result"],"dataArray":[[10.5]]},
             {"Datastream":{"@iot.id":{{{humidity}}}},"components":["result","parameters"],"dataArray":[[11.5,{"ok":true}],[12.5,[2]]]},
             {"Datastream":{"@iot.id":{{{humidity}}}},"components":["result"],"dataArray":[[13.5]]}]
            """);

        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, body);
        var answer = JsonDocument.Parse(body).RootElement.EnumerateArray().Select(entry => entry.GetString()!).ToList();
        Assert.Equal(13, answer.Count);
        var good = new Dictionary<int, double> { [0] = 1.5, [3] = 4.5, [10] = 11.5, [12] = 13.5 };
        for (var row = 0; row < answer.Count; row++)
        {
            if (good.TryGetValue(row, out var result))
            {
                Assert.Equal(result, (await server.GetJsonAsync(answer[row])).GetProperty("result").GetDouble());
            }
            else
            {
                Assert.True(answer[row] == "error", $"row {row}: {answer[row]}");
            }
        }

        // Exactly the good rows are in the store file, and nothing else.
        var stored = new List<double>();
        foreach (var datastream in new[] { temperature, humidity })
        {
            stored.AddRange((await server.Store.Sensors.ObservationsAsync(datastream, null, null, 100, 0, TimeOrder.OldestFirst, Cancel)).Select(o => o.Result!.Value));
        }

        Assert.Equal([1.5, 4.5, 11.5, 13.5], stored.Order());
    }

    [Fact]
    public async Task A_request_whose_rows_all_fail_answers_only_errors_and_stores_nothing()
    {
        ThingInserted station = null!;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));
        var before = await CountsAsync(server);

        using var response = await SendAsync(server, "POST", "/sta/v1.1/CreateObservations", $$$"""
            [{"Datastream":{"@iot.id":999999},"components":["result"],"dataArray":[[1],[2]]},
             {"Datastream":{"@iot.id":{{{station.DatastreamIds[0]}}}},"components":["result","FeatureOfInterest/id"],"dataArray":[[3,999999]]}]
            """);

        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, body);
        Assert.Equal(["error", "error", "error"], JsonDocument.Parse(body).RootElement.EnumerateArray().Select(entry => entry.GetString()));
        Assert.Equal(before, await CountsAsync(server));
    }

    [Fact]
    public async Task Groups_of_a_multi_datastream_store_array_results_beside_the_rows_of_datastreams_in_the_rows_order()
    {
        (ThingInserted Station, WeatherMulti Weather) seeded = (null!, null!);
        await using var server = await TwinServer.StartAsync(async store => seeded = await SensorSeed.StationAndMultiDatastreamAsync(store));
        var (temperature, multi) = (seeded.Station.DatastreamIds[0], seeded.Weather.Multi);
        var feature = (await ExpectAsync(server, "POST", "/sta/v1.1/FeaturesOfInterest", """{"name":"Gracht","description":"water","encodingType":"application/geo+json","feature":{"type":"Point","coordinates":[4.89,52.37]}}""", 201))
            .GetProperty("@iot.id").GetInt64();

        var answer = await CreateAsync(server, $$$"""
            [{"MultiDatastream":{"@iot.id":{{{multi}}}},"components":["phenomenonTime","result","FeatureOfInterest/id","parameters"],"dataArray@iot.count":2,
              "dataArray":[["2025-03-01T10:00:00Z",[11.5,80],{{{feature}}},{"battery":90}],["2025-03-01T11:00:00Z",[12.5,{"flag":"dry"}],null,null]]},
             {"Datastream":{"@iot.id":{{{temperature}}}},"components":["result"],"dataArray":[[7.5]]},
             {"components":["result","resultTime"],"dataArray":[[[13,60],"2025-03-01T12:00:05Z"]],"MultiDatastream":{"@iot.id":{{{multi}}}}}]
            """);

        Assert.Equal(4, answer.Count);
        var observations = new List<JsonElement>();
        foreach (var link in answer)
        {
            observations.Add(await server.GetJsonAsync(link));
        }

        Assert.Equal(["[11.5,80]", "[12.5,{\"flag\":\"dry\"}]", "7.5", "[13,60]"], observations.Select(o => o.GetProperty("result").GetRawText()));
        Assert.Equal(90, observations[0].GetProperty("parameters").GetProperty("battery").GetInt32());
        Assert.Equal("2025-03-01T12:00:05.000Z", observations[3].GetProperty("resultTime").GetString());
        foreach (var row in new[] { 0, 1, 3 })
        {
            Assert.Equal($"{answer[row]}/MultiDatastream", observations[row].GetProperty("MultiDatastream@iot.navigationLink").GetString());
            Assert.False(observations[row].TryGetProperty("Datastream@iot.navigationLink", out _));
        }

        Assert.Equal($"{answer[2]}/Datastream", observations[2].GetProperty("Datastream@iot.navigationLink").GetString());

        // The named FeatureOfInterest, else the one derived from the Thing's Location, as for a POST of one Observation.
        Assert.Equal(feature, (await server.GetJsonAsync($"{answer[0]}/FeatureOfInterest")).GetProperty("@iot.id").GetInt64());
        Assert.Equal("Plek Dam", (await server.GetJsonAsync($"{answer[1]}/FeatureOfInterest")).GetProperty("name").GetString());

        // In the store: the MultiDatastream's three in order, its phenomenon time widened; the Datastream's row is its latest.
        Assert.Equal(
            [answer[0], answer[1], answer[3]],
            (await server.Store.Sensors.MultiObservationsAsync(multi, 0, 10, Cancel)).Select(o => $"{server.Client.BaseAddress}sta/v1.1/Observations({o.Id})"));
        Assert.StartsWith("2025-03-01T10:00:00.000Z/", (await server.GetJsonAsync($"/sta/v1.1/MultiDatastreams({multi})")).GetProperty("phenomenonTime").GetString(), StringComparison.Ordinal);
        Assert.Equal(7.5, (await server.Store.Sensors.LatestAsync([temperature], Cancel)).Single().Result);
    }

    [Fact]
    public async Task Bad_rows_of_a_multi_datastream_answer_error_in_their_place_and_every_good_row_is_stored_in_one_commit()
    {
        (ThingInserted Station, WeatherMulti Weather) seeded = (null!, null!);
        await using var server = await TwinServer.StartAsync(async store => seeded = await SensorSeed.StationAndMultiDatastreamAsync(store));
        var (temperature, multi) = (seeded.Station.DatastreamIds[0], seeded.Weather.Multi);
        // Rows 0, 6 and 8 are good; every other row is bad in one way the standard answers with "error".
        var answer = await CreateAsync(server, $$$"""
            [{"MultiDatastream":{"@iot.id":{{{multi}}}},"components":["result","FeatureOfInterest/id"],"dataArray":[
               [[11.5,80],null],
               [[11.5],null],
               [[11.5,80,3],null],
               [11.5,null],
               [null,null],
               [[11.5,80],999999]]},
             {"Datastream":{"@iot.id":{{{temperature}}}},"components":["result"],"dataArray":[[7.5]]},
             {"MultiDatastream":{"@iot.id":999999},"components":["result"],"dataArray":[[[1,2]]]},
             {"MultiDatastream":{"@iot.id":{{{multi}}}},"components":["phenomenonTime","result"],"dataArray":[["2025-03-01T10:00:00Z",[12.5,70]],["soon",[1,2]]]},
             {"Datastream":{"@iot.id":999999},"components":["result"],"dataArray":[[8.5]]}]
            """);

        var good = new Dictionary<int, string> { [0] = "[11.5,80]", [6] = "7.5", [8] = "[12.5,70]" };
        Assert.Equal(11, answer.Count);
        for (var row = 0; row < answer.Count; row++)
        {
            if (good.TryGetValue(row, out var result))
            {
                Assert.Equal(result, (await server.GetJsonAsync(answer[row])).GetProperty("result").GetRawText());
            }
            else
            {
                Assert.True(answer[row] == "error", $"row {row}: {answer[row]}");
            }
        }

        Assert.Equal(["[11.5,80]", "[12.5,70]"], (await server.Store.Sensors.MultiObservationsAsync(multi, 0, 10, Cancel)).Select(o => o.Result.GetRawText()));
        Assert.Equal([7.5], (await server.Store.Sensors.ObservationsAsync(temperature, null, null, 10, 0, TimeOrder.OldestFirst, Cancel)).Select(o => o.Result!.Value));

        // The good rows of both kinds went in together, in one write unit with one audit record of the three.
        var records = new List<AuditRecord>();
        await foreach (var record in server.Store.Audit.ReadAsync(new AuditFilter(Action: "create"), Cancel))
        {
            records.Add(record);
        }

        Assert.Equal(("POST /sta/v1.1/CreateObservations", 3L, AuditEntry.Ok), (Assert.Single(records).Entry.Resource, records[0].Entry.ResultSize, records[0].Entry.Outcome));
    }

    [Fact]
    public async Task Multi_datastream_rows_need_the_sensor_write_role_and_drop_a_kept_answer()
    {
        WeatherMulti weather = null!;
        await using var server = await TwinServer.StartAsync(async store => weather = await SensorSeed.WeatherMultiDatastreamAsync(store, "Dam", null), TwinServer.ProductionAccess);
        using var employee = await server.ClientAsAsync("medewerker");
        var collection = $"/sta/v1.1/MultiDatastreams({weather.Multi})/Observations";
        var body = $$$"""[{"MultiDatastream":{"@iot.id":{{{weather.Multi}}}},"components":["result"],"dataArray":[[[11.5,80]]]}]""";

        // Asked twice, so the answer is kept until the next commit (StaAnswerCache keeps what was asked before).
        for (var i = 0; i < 2; i++)
        {
            Assert.Empty((await employee.GetFromJsonAsync<JsonElement>(collection, Cancel)).GetProperty("value").EnumerateArray());
        }

        using (var anonymous = await server.Client.PostAsync("/sta/v1.1/CreateObservations", new StringContent(body, Encoding.UTF8, "application/json"), Cancel))
        {
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        Assert.Empty(await server.Store.Sensors.MultiObservationsAsync(weather.Multi, 0, 10, Cancel));
        using (var created = await employee.PostAsync("/sta/v1.1/CreateObservations", new StringContent(body, Encoding.UTF8, "application/json"), Cancel))
        {
            Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        }

        var page = await employee.GetFromJsonAsync<JsonElement>(collection, Cancel);
        Assert.Equal("[11.5,80]", Assert.Single(page.GetProperty("value").EnumerateArray()).GetProperty("result").GetRawText());
    }

    [Fact]
    public async Task A_body_of_many_megabytes_is_one_append()
    {
        const int Rows = 100_000;
        ThingInserted station = null!;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));
        var body = new StringBuilder($$$"""[{"Datastream":{"@iot.id":{{{station.DatastreamIds[0]}}}},"components":["phenomenonTime","result"],"dataArray@iot.count":{{{Rows}}},"dataArray":[""");
        for (var i = 0; i < Rows; i++)
        {
            body.Append(CultureInfo.InvariantCulture, $"""{(i == 0 ? "" : ",")}["{TwinServer.Now.AddSeconds(-i):yyyy-MM-ddTHH:mm:ssZ}",{i % 100}.5]""");
        }

        body.Append("]}]");
        Assert.True(body.Length > 2 * 1024 * 1024, "more than the 1 MB of an entity write");

        var watch = Stopwatch.StartNew();
        using var response = await SendAsync(server, "POST", "/sta/v1.1/CreateObservations", body.ToString());
        watch.Stop();

        Assert.Equal(201, (int)response.StatusCode);
        TestContext.Current.TestOutputHelper?.WriteLine($"{Rows} rows ({body.Length / 1024} KiB) in {watch.ElapsedMilliseconds} ms");
        var day = await server.Store.Sensors.RollupAsync(station.DatastreamIds[0], RollupGranularity.Day, TwinServer.Now.AddDays(-3), TwinServer.Now.AddDays(1), Cancel);
        Assert.Equal(Rows, day.Sum(d => d.Count));
    }

    /// <summary>Posts <paramref name="body"/> to CreateObservations, which must answer 201; returns the answer's entries in order.</summary>
    private static async Task<List<string>> CreateAsync(TwinServer server, string body)
    {
        using var response = await SendAsync(server, "POST", "/sta/v1.1/CreateObservations", body);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, text);
        return [.. JsonDocument.Parse(text).RootElement.EnumerateArray().Select(entry => entry.GetString()!)];
    }
}
