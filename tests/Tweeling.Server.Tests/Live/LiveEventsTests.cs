using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Tweeling.Domain.Ports;
using Tweeling.Server.Tests.SensorThings.Api;

namespace Tweeling.Server.Tests.Live;

/// <summary><c>/api/v1/live</c>: observations stored over HTTP reach a listening client as server-sent events within a second.</summary>
public sealed class LiveEventsTests
{
    [Fact]
    public async Task A_posted_observation_reaches_a_live_client_within_a_second()
    {
        ThingInserted? station = null;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));
        var datastream = station!.DatastreamIds[0];
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/live");
        using var live = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal("text/event-stream", live.Content.Headers.ContentType?.MediaType);
        Assert.Equal("1.0.0", live.Headers.GetValues("API-Version").Single());
        using var reader = new StreamReader(await live.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        Assert.Equal("event: verbonden", await reader.ReadLineAsync(TestContext.Current.CancellationToken));

        var clock = Stopwatch.StartNew();
        using var body = new StringContent("""{"result": 42.5, "phenomenonTime": "2025-03-01T11:00:00Z"}""", Encoding.UTF8, "application/json");
        using var posted = await server.Writer.PostAsync($"/sta/v1.1/Datastreams({datastream})/Observations", body, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        string? eventType = null;
        JsonElement data = default;
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventType = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && eventType == "observatie")
            {
                data = JsonDocument.Parse(line["data: ".Length..]).RootElement;
                break;
            }
        }

        var elapsed = clock.Elapsed;
        Assert.Equal("observatie", eventType);
        Assert.NotEqual(JsonValueKind.Undefined, data.ValueKind);
        Assert.Equal(datastream, data.GetProperty("datastream").GetInt64());
        Assert.Equal(42.5, data.GetProperty("resultaat").GetDouble());
        Assert.Equal(posted.Headers.Location!.ToString(), data.GetProperty("link").GetString());
        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"the event took {elapsed.TotalMilliseconds:F0} ms from the POST");
    }

    [Fact]
    public async Task Unknown_parameters_are_refused()
    {
        await using var server = await TwinServer.StartAsync(_ => Task.CompletedTask);

        await Problems.AssertProblemAsync(server.Client, "/api/v1/live?datastream=1", 400);
    }
}
