using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
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

    [Fact]
    public async Task Created_rows_reach_a_live_client_once_stored()
    {
        ThingInserted station = null!;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/live");
        using var live = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Cancel);
        using var reader = new StreamReader(await live.Content.ReadAsStreamAsync(Cancel));
        Assert.Equal("event: verbonden", await reader.ReadLineAsync(Cancel));

        using var response = await SendAsync(server, "POST", "/sta/v1.1/CreateObservations", $$$"""
            [{"Datastream":{"@iot.id":{{{station.DatastreamIds[0]}}}},"components":["result"],"dataArray":[[1.5],[2.5],[3.5]]}]
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
    [InlineData("[{\"Datastream\":{\"@iot.id\":DS},\"components\":[\"phenomenonTime\",\"result\"],\"dataArray\":[[\"2025-03-01T10:00:00Z\",1],[\"yesterday\",2]]}]", "dataArray[1]")]
    [InlineData("[{\"Datastream\":{\"@iot.id\":DS},\"components\":[\"phenomenonTime\",\"result\"],\"dataArray\":[[\"2025-03-01T10:00:00Z\",1],[\"2025-03-01T10:00:00Z\"]]}]", "fewer values")]
    [InlineData("[{\"Datastream\":{\"@iot.id\":DS},\"components\":[\"result\"],\"dataArray\":[[1,2]]}]", "more values")]
    [InlineData("[{\"Datastream\":{\"@iot.id\":DS},\"components\":[\"result\"],\"dataArray@iot.count\":3,\"dataArray\":[[1]]}]", "dataArray@iot.count")]
    [InlineData("[{\"Datastream\":{\"@iot.id\":DS},\"components\":[\"colour\",\"result\"],\"dataArray\":[[1,2]]}]", "'colour'")]
    [InlineData("[{\"Datastream\":{\"@iot.id\":DS},\"components\":[\"phenomenonTime\"],\"dataArray\":[[\"2025-03-01T10:00:00Z\"]]}]", "'result'")]
    [InlineData("[{\"Datastream\":{\"@iot.id\":DS},\"components\":[\"result\"],\"dataArray\":[[1]]},{\"Datastream\":{\"@iot.id\":999},\"components\":[\"result\"],\"dataArray\":[[1]]}]", "no Datastream with id 999")]
    [InlineData("[{\"Datastream\":{\"@iot.id\":DS},\"components\":[\"result\",\"FeatureOfInterest/id\"],\"dataArray\":[[1,999]]}]", "no FeatureOfInterest with id 999")]
    [InlineData("[{\"Datastream\":{\"@iot.id\":DS},\"components\":[\"result\",\"parameters\"],\"dataArray\":[[1,[2]]]}]", "parameters")]
    [InlineData("[{\"Datastream\":7,\"components\":[\"result\"],\"dataArray\":[[1]]}]", "Datastream must be a link")]
    [InlineData("[{\"Datastream\":{\"@iot.id\":DS},\"components\":[\"result\"],\"dataArray\":[[1e400]]}]", "range of a double")]
    [InlineData("[{\"components\":[\"result\"],\"dataArray\":[[1]]}]", "needs 'Datastream'")]
    public async Task A_bad_group_or_row_is_a_400_problem_that_names_it_and_stores_nothing(string body, string expected)
    {
        ThingInserted station = null!;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));
        var before = await CountsAsync(server);

        using var response = await SendAsync(server, "POST", "/sta/v1.1/CreateObservations", body.Replace("DS", station.DatastreamIds[0].ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));

        Assert.Contains(expected, await AssertProblemAsync(response, 400), StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync(server));
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
}
