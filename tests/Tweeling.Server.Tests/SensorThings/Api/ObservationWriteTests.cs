using System.Net;
using System.Text;
using System.Text.Json;
using Tweeling.Domain.Ports;

namespace Tweeling.Server.Tests.SensorThings.Api;

public sealed class ObservationWriteTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_posted_observation_is_created_where_its_location_says_and_is_the_datastreams_latest()
    {
        ThingInserted station = null!;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));
        var datastream = station.DatastreamIds[0];
        await PostAsync(server, "/sta/v1.1/Observations", $$$"""{"phenomenonTime":"2025-03-01T10:00:00Z","result":7.5,"Datastream":{"@iot.id":{{{datastream}}}}}""");

        using var response = await PostAsync(server, "/sta/v1.1/Observations", $$$"""{"phenomenonTime":"2025-03-01T12:00:00+01:00/2025-03-01T12:30:00+01:00","result":8.25,"resultTime":"2025-03-01T11:31:00Z","parameters":{"battery":0.9},"Datastream":{"@iot.id":{{{datastream}}}}}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.Matches(@"/sta/v1\.1/Observations\(\d+\)$", location);
        var created = await server.GetJsonAsync(location);
        Assert.Equal(location, created.GetProperty("@iot.selfLink").GetString());
        Assert.Equal(8.25, created.GetProperty("result").GetDouble());
        Assert.Equal("2025-03-01T11:00:00.000Z/2025-03-01T11:30:00.000Z", created.GetProperty("phenomenonTime").GetString());
        Assert.Equal("2025-03-01T11:31:00.000Z", created.GetProperty("resultTime").GetString());
        Assert.Equal(0.9, created.GetProperty("parameters").GetProperty("battery").GetDouble());
        Assert.Equal(datastream, (await server.GetJsonAsync(created.GetProperty("Datastream@iot.navigationLink").GetString()!)).GetProperty("@iot.id").GetInt64());

        var latest = await server.GetJsonAsync($"/sta/v1.1/Datastreams({datastream})/Observations?$top=1");
        Assert.Equal(location, Assert.Single(latest.GetProperty("value").EnumerateArray()).GetProperty("@iot.selfLink").GetString());
        Assert.True(latest.TryGetProperty("@iot.nextLink", out _));
        var oldest = await server.GetJsonAsync($"/sta/v1.1/Datastreams({datastream})/Observations?$orderby=phenomenonTime asc&$count=true");
        Assert.Equal(2, oldest.GetProperty("@iot.count").GetInt64());
        Assert.Equal([7.5, 8.25], oldest.GetProperty("value").EnumerateArray().Select(o => o.GetProperty("result").GetDouble()));
        var window = await server.GetJsonAsync($"/sta/v1.1/Datastreams({datastream})");
        Assert.Equal("2025-03-01T10:00:00.000Z/2025-03-01T11:30:00.000Z", window.GetProperty("phenomenonTime").GetString());
    }

    [Fact]
    public async Task Posting_to_a_datastreams_observations_links_it_and_keeps_any_json_result()
    {
        ThingInserted station = null!;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));
        var datastream = station.DatastreamIds[1];

        using var response = await PostAsync(server, $"/sta/v1.1/Datastreams({datastream})/Observations", """{"result":{"state":"dry"}}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await server.GetJsonAsync(response.Headers.Location!.ToString());
        Assert.Equal("dry", created.GetProperty("result").GetProperty("state").GetString());
        Assert.Equal("2025-03-01T12:00:00.000Z", created.GetProperty("phenomenonTime").GetString());
        Assert.Equal(datastream, (await server.GetJsonAsync(created.GetProperty("Datastream@iot.navigationLink").GetString()!)).GetProperty("@iot.id").GetInt64());
        using var text = await server.Client.GetAsync(response.Headers.Location + "/result/$value", Cancel);
        Assert.Equal("""{"state":"dry"}""", await text.Content.ReadAsStringAsync(Cancel));
    }

    [Theory]
    [InlineData("{\"result\": 1, ", "not valid JSON")]
    [InlineData("[1]", "JSON object")]
    [InlineData("{\"result\": 1}", "Datastream")]
    [InlineData("{\"Datastream\": {\"@iot.id\": DS}}", "'result'")]
    [InlineData("{\"result\": 1, \"Datastream\": 5}", "'Datastream'")]
    [InlineData("{\"result\": 1, \"Datastream\": {\"@iot.id\": \"one\"}}", "@iot.id")]
    [InlineData("{\"result\": 1, \"Datastream\": {\"@iot.id\": 999}}", "no Datastream with id 999")]
    [InlineData("{\"result\": 1, \"Datastream\": {\"@iot.id\": DS}, \"phenomenonTime\": \"yesterday\"}", "'phenomenonTime'")]
    [InlineData("{\"result\": 1, \"Datastream\": {\"@iot.id\": DS}, \"phenomenonTime\": \"2025-03-01T12:00:00\"}", "'phenomenonTime'")]
    [InlineData("{\"result\": 1, \"Datastream\": {\"@iot.id\": DS}, \"phenomenonTime\": \"2025-03-02T00:00:00Z/2025-03-01T00:00:00Z\"}", "'phenomenonTime'")]
    [InlineData("{\"result\": 1, \"Datastream\": {\"@iot.id\": DS}, \"phenomenonTime\": 20250301}", "'phenomenonTime'")]
    [InlineData("{\"result\": 1, \"Datastream\": {\"@iot.id\": DS}, \"parameters\": [1]}", "'parameters'")]
    [InlineData("{\"result\": 1, \"Datastream\": {\"@iot.id\": DS}, \"colour\": \"red\"}", "'colour'")]
    [InlineData("{\"result\": 1e400, \"Datastream\": {\"@iot.id\": DS}}", "'result'")]
    public async Task A_bad_body_is_a_400_problem_that_says_what_is_wrong(string body, string expected)
    {
        ThingInserted station = null!;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));

        using var response = await PostAsync(server, "/sta/v1.1/Observations", body.Replace("DS", station.DatastreamIds[0].ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

        var detail = await AssertProblemAsync(response, 400);
        Assert.Contains(expected, detail, StringComparison.Ordinal);
        var none = await server.GetJsonAsync($"/sta/v1.1/Datastreams({station.DatastreamIds[0]})/Observations");
        Assert.Empty(none.GetProperty("value").EnumerateArray());
    }

    [Fact]
    public async Task An_unknown_datastream_in_the_path_is_404_and_a_body_over_1_MB_is_413()
    {
        ThingInserted station = null!;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));

        using var unknown = await PostAsync(server, "/sta/v1.1/Datastreams(999)/Observations", """{"result":1}""");
        Assert.Contains("999", await AssertProblemAsync(unknown, 404), StringComparison.Ordinal);
        using var notAnId = await PostAsync(server, "/sta/v1.1/Datastreams(abc)/Observations", """{"result":1}""");
        await AssertProblemAsync(notAnId, 404);
        using var noSet = await PostAsync(server, "/sta/v1.1/Nothings", """{"result":1}""");
        await AssertProblemAsync(noSet, 404);

        var big = $$$"""{"result":"{{{new string('x', 1024 * 1024)}}}","Datastream":{"@iot.id":{{{station.DatastreamIds[0]}}}}}""";
        using var tooLarge = await PostAsync(server, "/sta/v1.1/Observations", big);
        Assert.Contains("1 MB", await AssertProblemAsync(tooLarge, 413), StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> PostAsync(TwinServer server, string path, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

        // A large body waits for 100 Continue (RFC 9110 §10.1.1), so the server's early 413 is not lost to a cut upload.
        request.Headers.ExpectContinue = json.Length > 64 * 1024;
        return server.Writer.SendAsync(request, Cancel);
    }

    private static async Task<string> AssertProblemAsync(HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        return problem.GetProperty("detail").GetString()!;
    }
}
