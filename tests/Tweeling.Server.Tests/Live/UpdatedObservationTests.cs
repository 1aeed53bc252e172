using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Tweeling.Domain.Alerts;
using Tweeling.Domain.Ports;
using Tweeling.Server.Tests.SensorThings.Api;
using Tweeling.Storage.Sqlite;
using static Tweeling.Server.Tests.SensorThings.Api.StaWrite;

namespace Tweeling.Server.Tests.Live;

/// <summary>
/// An Observation changed after it was stored (PATCH or PUT, on its own or in a <c>$batch</c> change set) is a
/// reading like a new one: the corrected value reaches <c>/api/v1/live</c> as an <c>observatie</c> event with the
/// same Observation id, and it is judged against its Datastream's thresholds, so a correction can raise or clear an alert.
/// </summary>
public sealed class UpdatedObservationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_patched_observation_reaches_a_live_client_with_its_corrected_result()
    {
        ThingInserted? station = null;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));
        var datastream = station!.DatastreamIds[0];
        using var live = await LiveStream.OpenAsync(server.Client);
        var created = await ExpectAsync(server, "POST", $"/sta/v1.1/Datastreams({datastream})/Observations", """{"result": 12.5, "phenomenonTime": "2025-03-01T11:00:00Z"}""", 201);
        var id = created.GetProperty("@iot.id").GetInt64();
        Assert.Equal(12.5, (await live.NextAsync("observatie")).GetProperty("resultaat").GetDouble());

        await ExpectAsync(server, "PATCH", $"/sta/v1.1/Observations({id})", """{"result": 13.25}""", 200);
        var corrected = await live.NextAsync("observatie");

        Assert.Equal(id, corrected.GetProperty("observatie").GetInt64());
        Assert.Equal(datastream, corrected.GetProperty("datastream").GetInt64());
        Assert.Equal(13.25, corrected.GetProperty("resultaat").GetDouble());
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 11, 0, 0, TimeSpan.Zero), corrected.GetProperty("tijdstip").GetDateTimeOffset());
    }

    [Fact]
    public async Task An_observation_replaced_by_put_in_a_batch_change_set_reaches_a_live_client_once_in_its_last_state()
    {
        ThingInserted? station = null;
        await using var server = await TwinServer.StartAsync(async store => station = await SensorSeed.WeatherStationAsync(store));
        var datastream = station!.DatastreamIds[0];
        var created = await ExpectAsync(server, "POST", $"/sta/v1.1/Datastreams({datastream})/Observations", """{"result": 1, "phenomenonTime": "2025-03-01T10:00:00Z"}""", 201);
        var id = created.GetProperty("@iot.id").GetInt64();
        using var live = await LiveStream.OpenAsync(server.Client);

        // One change set: a new Observation changed again by Content-ID, and the existing one replaced by PUT.
        var body = "--b\r\nContent-Type: multipart/mixed; boundary=c\r\n\r\n"
            + Part("c", "POST", $"Datastreams({datastream})/Observations", """{"result": 5, "phenomenonTime": "2025-03-01T10:30:00Z"}""", contentId: "1")
            + Part("c", "PATCH", "$1", """{"result": 6}""")
            + Part("c", "PUT", $"Observations({id})", $$$"""{"result": 2.5, "phenomenonTime": "2025-03-01T10:05:00Z", "Datastream": {"@iot.id": {{{datastream}}}}}""")
            + "--c--\r\n\r\n--b--\r\n";
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/mixed; boundary=b");
        using var response = await server.Writer.PostAsync("/sta/v1.1/$batch", content, Ct);
        var answer = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("HTTP/1.1 4", answer, StringComparison.Ordinal);

        var first = await live.NextAsync("observatie");
        var second = await live.NextAsync("observatie");

        Assert.Equal(6, first.GetProperty("resultaat").GetDouble());
        Assert.NotEqual(id, first.GetProperty("observatie").GetInt64());
        Assert.Equal((id, 2.5), (second.GetProperty("observatie").GetInt64(), second.GetProperty("resultaat").GetDouble()));
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 10, 5, 0, TimeSpan.Zero), second.GetProperty("tijdstip").GetDateTimeOffset());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => live.NextAsync("observatie", TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task Correcting_an_observation_past_a_threshold_raises_an_alert_and_correcting_it_back_clears_it()
    {
        long datastream = 0;
        await using var server = await TwinServer.StartAsync(async store => datastream = await WatchedTemperatureAsync(store));
        using var live = await LiveStream.OpenAsync(server.Client);
        var created = await ExpectAsync(server, "POST", $"/sta/v1.1/Datastreams({datastream})/Observations", """{"result": 25, "phenomenonTime": "2025-03-01T11:00:00Z"}""", 201);
        var id = created.GetProperty("@iot.id").GetInt64();
        var link = created.GetProperty("@iot.selfLink").GetString();
        Assert.Empty((await server.GetJsonAsync("/api/v1/alarmen")).EnumerateArray());

        await ExpectAsync(server, "PATCH", $"/sta/v1.1/Observations({id})", """{"result": 31.5}""", 200);
        var raised = await live.NextAsync("alarm");
        Assert.Equal(("actief", 31.5, link), (
            raised.GetProperty("status").GetString(), raised.GetProperty("oorzaak").GetProperty("resultaat").GetDouble(), raised.GetProperty("oorzaak").GetProperty("link").GetString()));

        await ExpectAsync(server, "PUT", $"/sta/v1.1/Observations({id})", $$$"""{"result": 20, "phenomenonTime": "2025-03-01T11:00:00Z", "Datastream": {"@iot.id": {{{datastream}}}}}""", 200);
        var cleared = await live.NextAsync("alarm");

        Assert.Equal(raised.GetProperty("id").GetInt64(), cleared.GetProperty("id").GetInt64());
        Assert.Equal(("opgeheven", 20.0), (cleared.GetProperty("status").GetString(), cleared.GetProperty("herstel").GetProperty("resultaat").GetDouble()));
        var stored = Assert.Single((await server.GetJsonAsync("/api/v1/alarmen")).EnumerateArray());
        Assert.Equal("opgeheven", stored.GetProperty("status").GetString());
    }

    /// <summary>A weather station whose temperature has a threshold above 30 °C that clears at 28 °C.</summary>
    private static async Task<long> WatchedTemperatureAsync(SqliteTwinStore store)
    {
        var datastream = (await SensorSeed.WeatherStationAsync(store)).DatastreamIds[0];
        await store.Alerts.AddThresholdAsync(new Threshold(0, datastream, "Hittestress", ThresholdCondition.Above, 30, AlertSeverity.Critical, clearValue: 28), CancellationToken.None);
        return datastream;
    }

    /// <summary>One request of a multipart batch or change set with boundary <paramref name="boundary"/> (OGC 18-088 §11).</summary>
    private static string Part(string boundary, string method, string url, string json, string? contentId = null) =>
        $"--{boundary}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n"
        + (contentId is null ? string.Empty : $"Content-ID: {contentId}\r\n")
        + $"\r\n{method} {url} HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{json}\r\n";
}
