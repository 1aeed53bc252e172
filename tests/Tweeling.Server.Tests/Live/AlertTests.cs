using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tweeling.Domain.Alerts;
using Tweeling.Domain.Reviews;
using Tweeling.Server.Hosting;
using Tweeling.Server.Tests.SensorThings.Api;
using Tweeling.Storage.Sqlite;
using Tweeling.TestSupport;

namespace Tweeling.Server.Tests.Live;

/// <summary>
/// Thresholds over the real HTTP server: an observation posted past a threshold raises one alert, in
/// <c>/api/v1/alarmen</c> and as an <c>alarm</c> event on <c>/api/v1/live</c> within a second; noise within the
/// hysteresis raises no second one; a return clears it; and an open alert outlives a restart.
/// </summary>
public sealed class AlertTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_observation_past_a_threshold_raises_one_alert_in_the_history_and_on_the_live_stream_within_a_second()
    {
        long datastream = 0;
        Threshold? threshold = null;
        await using var server = await TwinServer.StartAsync(async store => (datastream, threshold) = await WatchedTemperatureAsync(store));
        using var live = await LiveStream.OpenAsync(server.Client);

        var clock = Stopwatch.StartNew();
        var observation = await PostAsync(server.Writer, datastream, 31.5, "2025-03-01T11:00:00Z");
        var alarm = await live.NextAsync("alarm");
        var elapsed = clock.Elapsed;

        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"the alarm event took {elapsed.TotalMilliseconds:F0} ms from the POST");
        Assert.Equal("actief", alarm.GetProperty("status").GetString());
        Assert.Equal(threshold!.Id, alarm.GetProperty("drempel").GetInt64());
        Assert.Equal(datastream, alarm.GetProperty("datastream").GetInt64());
        Assert.Equal("kritiek", alarm.GetProperty("ernst").GetString());
        Assert.Equal(31.5, alarm.GetProperty("oorzaak").GetProperty("resultaat").GetDouble());
        Assert.Equal(observation, alarm.GetProperty("oorzaak").GetProperty("link").GetString());
        Assert.Equal(JsonValueKind.Null, alarm.GetProperty("herstel").ValueKind);
        Assert.Equal(TwinServer.Now, alarm.GetProperty("gemeldOp").GetDateTimeOffset());

        var history = await server.GetJsonAsync("/api/v1/alarmen");
        var stored = Assert.Single(history.EnumerateArray());
        Assert.Equal(alarm.GetProperty("id").GetInt64(), stored.GetProperty("id").GetInt64());
        Assert.Equal(alarm.GetRawText(), (await server.GetJsonAsync($"/api/v1/alarmen/{stored.GetProperty("id").GetInt64()}")).GetRawText());
        Assert.EndsWith($"/api/v1/drempels/{threshold.Id}", stored.GetProperty("links").GetProperty("drempel").GetProperty("href").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task While_drempelalarmen_is_disabled_in_the_register_nothing_is_judged_and_enabling_it_resumes()
    {
        long datastream = 0;
        await using var server = await TwinServer.StartAsync(async store =>
        {
            (datastream, _) = await WatchedTemperatureAsync(store);
            await store.Reviews.SetActivationAsync(new AlgorithmActivation(ThresholdAlertsAlgorithm.AlgorithmId, false, TwinServer.Now, "beheer-01"), CancellationToken.None);
        });
        Assert.False((await server.GetJsonAsync($"/api/v1/algoritmes/{ThresholdAlertsAlgorithm.AlgorithmId}")).GetProperty("ingeschakeld").GetBoolean());

        await PostAsync(server.Writer, datastream, 35, "2025-03-01T11:00:00Z");
        Assert.Empty((await server.GetJsonAsync("/api/v1/alarmen")).EnumerateArray());

        await server.Store.Reviews.SetActivationAsync(new AlgorithmActivation(ThresholdAlertsAlgorithm.AlgorithmId, true, TwinServer.Now, "beheer-01"), CancellationToken.None);
        // The monitor asks the register at most once per check interval (real time, not the server's fake clock).
        await Task.Delay(AlertMonitor.RevisionCheckInterval + TimeSpan.FromMilliseconds(200), Ct);
        await PostAsync(server.Writer, datastream, 32, "2025-03-01T11:01:00Z");

        var alarm = Assert.Single((await server.GetJsonAsync("/api/v1/alarmen")).EnumerateArray());
        Assert.Equal(("actief", 32.0), (alarm.GetProperty("status").GetString(), alarm.GetProperty("oorzaak").GetProperty("resultaat").GetDouble()));
    }

    [Fact]
    public async Task Noise_within_the_hysteresis_raises_no_second_alert_and_a_return_clears_the_first()
    {
        long datastream = 0;
        await using var server = await TwinServer.StartAsync(async store => (datastream, _) = await WatchedTemperatureAsync(store));
        using var live = await LiveStream.OpenAsync(server.Client);
        await PostAsync(server.Writer, datastream, 31, "2025-03-01T11:00:00Z");
        var raised = await live.NextAsync("alarm");

        // Around the limit of 30 but never back to 28: the same episode.
        foreach (var (value, minute) in new[] { (29.5, 1), (30.5, 2), (28.5, 3), (33.0, 4) })
        {
            await PostAsync(server.Writer, datastream, value, $"2025-03-01T11:{minute:D2}:00Z");
        }

        var clearing = await PostAsync(server.Writer, datastream, 27.9, "2025-03-01T11:05:00Z");
        var cleared = await live.NextAsync("alarm");

        Assert.Equal(raised.GetProperty("id").GetInt64(), cleared.GetProperty("id").GetInt64());
        Assert.Equal("opgeheven", cleared.GetProperty("status").GetString());
        Assert.Equal(clearing, cleared.GetProperty("herstel").GetProperty("link").GetString());
        Assert.Equal(27.9, cleared.GetProperty("herstel").GetProperty("resultaat").GetDouble());
        var history = await server.GetJsonAsync("/api/v1/alarmen");
        Assert.Equal("opgeheven", Assert.Single(history.EnumerateArray()).GetProperty("status").GetString());
        Assert.Empty((await server.GetJsonAsync("/api/v1/alarmen?actief=true")).EnumerateArray());
    }

    [Fact]
    public async Task An_open_alert_survives_a_server_restart_and_is_cleared_after_it()
    {
        using var directory = new TempDirectory();
        var path = directory.File("twin.db");
        long datastream;
        await using (var store = await SqliteTwinStore.OpenAsync(path, TwinHost.GeometryServices, Ct))
        {
            (datastream, _) = await WatchedTemperatureAsync(store);
        }

        await using (var first = await RunningServer.StartAsync(path))
        {
            await PostAsync(first.Client, datastream, 35, "2025-03-01T10:00:00Z");
            Assert.Single((await JsonAsync(first.Client, "/api/v1/alarmen?actief=true")).EnumerateArray());
        }

        await using var second = await RunningServer.StartAsync(path);
        var open = Assert.Single((await JsonAsync(second.Client, "/api/v1/alarmen?actief=true")).EnumerateArray());
        await PostAsync(second.Client, datastream, 34, "2025-03-01T10:10:00Z");
        await PostAsync(second.Client, datastream, 20, "2025-03-01T10:20:00Z");

        var history = (await JsonAsync(second.Client, "/api/v1/alarmen")).EnumerateArray().ToList();
        var alert = Assert.Single(history);
        Assert.Equal(open.GetProperty("id").GetInt64(), alert.GetProperty("id").GetInt64());
        Assert.Equal("opgeheven", alert.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Thresholds_are_listed_filtered_by_datastream_and_read_one_by_one()
    {
        long datastream = 0;
        Threshold? threshold = null;
        await using var server = await TwinServer.StartAsync(async store => (datastream, threshold) = await WatchedTemperatureAsync(store));

        var all = await server.GetJsonAsync("/api/v1/drempels");
        var one = await server.GetJsonAsync($"/api/v1/drempels/{threshold!.Id}");

        Assert.Equal(one.GetRawText(), Assert.Single(all.EnumerateArray()).GetRawText());
        Assert.Equal(("Hittestress", "boven", 30.0, 28.0, "kritiek"), (
            one.GetProperty("naam").GetString(), one.GetProperty("conditie").GetString(), one.GetProperty("waarde").GetDouble(),
            one.GetProperty("herstelwaarde").GetDouble(), one.GetProperty("ernst").GetString()));
        Assert.EndsWith($"/sta/v1.1/Datastreams({datastream})", one.GetProperty("links").GetProperty("datastream").GetProperty("href").GetString(), StringComparison.Ordinal);
        Assert.Single((await server.GetJsonAsync($"/api/v1/drempels?datastream={datastream}")).EnumerateArray());
        Assert.Empty((await server.GetJsonAsync($"/api/v1/drempels?datastream={datastream + 1}")).EnumerateArray());
    }

    [Fact]
    public async Task The_history_pages_newest_first_with_a_next_link_and_filters()
    {
        long datastream = 0;
        Threshold? threshold = null;
        await using var server = await TwinServer.StartAsync(async store => (datastream, threshold) = await WatchedTemperatureAsync(store));
        for (var hour = 1; hour <= 3; hour++)
        {
            await PostAsync(server.Writer, datastream, 31, $"2025-03-01T0{hour}:00:00Z");
            await PostAsync(server.Writer, datastream, 20, $"2025-03-01T0{hour}:30:00Z");
        }

        using var page = await server.Client.GetAsync("/api/v1/alarmen?limit=2", Ct);
        var first = JsonDocument.Parse(await page.Content.ReadAsStringAsync(Ct)).RootElement;
        var next = page.Headers.GetValues("Link").Single();

        Assert.Equal(["2025-03-01T03:00:00+00:00", "2025-03-01T02:00:00+00:00"], first.EnumerateArray().Select(a => a.GetProperty("oorzaak").GetProperty("tijdstip").GetDateTimeOffset().ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal($"<{server.Address.ToString().TrimEnd('/')}/api/v1/alarmen?limit=2&offset=2>; rel=\"next\"", next);
        var last = await server.GetJsonAsync("/api/v1/alarmen?limit=2&offset=2");
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 1, 0, 0, TimeSpan.Zero), Assert.Single(last.EnumerateArray()).GetProperty("oorzaak").GetProperty("tijdstip").GetDateTimeOffset());
        Assert.Equal(2, (await server.GetJsonAsync("/api/v1/alarmen?van=2025-03-01T01:45:00Z")).GetArrayLength());
        Assert.Equal(2, (await server.GetJsonAsync("/api/v1/alarmen?tot=2025-03-01T02:45:00%2B00:00")).GetArrayLength());
        Assert.Equal(3, (await server.GetJsonAsync($"/api/v1/alarmen?drempel={threshold!.Id}&datastream={datastream}")).GetArrayLength());
        Assert.Equal(0, (await server.GetJsonAsync($"/api/v1/alarmen?drempel={threshold.Id + 1}")).GetArrayLength());
    }

    [Fact]
    public async Task With_metActief_one_read_gives_the_newest_page_and_every_older_active_alert_and_the_next_page_is_history_only()
    {
        long temperature = 0;
        long humidity = 0;
        await using var server = await TwinServer.StartAsync(async store =>
        {
            (temperature, _) = await WatchedTemperatureAsync(store);
            humidity = (await SensorSeed.WeatherStationAsync(store)).DatastreamIds[1];
            await store.Alerts.AddThresholdAsync(new Threshold(0, humidity, "Benauwd", ThresholdCondition.Above, 90, AlertSeverity.Warning), CancellationToken.None);
        });
        // The humidity alert is raised first and stays active; three temperature alerts are raised and cleared after it.
        await PostAsync(server.Writer, humidity, 95, "2025-03-01T00:30:00Z");
        for (var hour = 1; hour <= 3; hour++)
        {
            await PostAsync(server.Writer, temperature, 31, $"2025-03-01T0{hour}:00:00Z");
            await PostAsync(server.Writer, temperature, 20, $"2025-03-01T0{hour}:30:00Z");
        }

        using var response = await server.Client.GetAsync("/api/v1/alarmen?limit=2&metActief=true", Ct);
        var alarms = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.EnumerateArray().ToList();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            [(temperature, "opgeheven", "2025-03-01T03:00"), (temperature, "opgeheven", "2025-03-01T02:00"), (humidity, "actief", "2025-03-01T00:30")],
            alarms.Select(a => (a.GetProperty("datastream").GetInt64(), a.GetProperty("status").GetString()!, a.GetProperty("oorzaak").GetProperty("tijdstip").GetDateTimeOffset().ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture))));
        Assert.Equal($"<{server.Address.ToString().TrimEnd('/')}/api/v1/alarmen?limit=2&offset=2>; rel=\"next\"", response.Headers.GetValues("Link").Single());
        // Without it, the page is the history alone; an active alert already on the page is not listed twice.
        Assert.Equal(2, (await server.GetJsonAsync("/api/v1/alarmen?limit=2")).GetArrayLength());
        Assert.Equal(4, (await server.GetJsonAsync("/api/v1/alarmen?limit=10&metActief=true")).GetArrayLength());
    }

    [Theory]
    [InlineData("/api/v1/alarmen?limit=0", 400, "'limit'")]
    [InlineData("/api/v1/alarmen?limit=1001", 400, "'limit'")]
    [InlineData("/api/v1/alarmen?limit=ten", 400, "'limit'")]
    [InlineData("/api/v1/alarmen?offset=-1", 400, "'offset'")]
    [InlineData("/api/v1/alarmen?van=2025-03-01", 400, "'van'")]
    [InlineData("/api/v1/alarmen?tot=2025-03-01T12:00:00", 400, "'tot'")]
    [InlineData("/api/v1/alarmen?van=2025-03-02T00:00:00Z&tot=2025-03-01T00:00:00Z", 400, "'van'")]
    [InlineData("/api/v1/alarmen?actief=ja", 400, "'actief'")]
    [InlineData("/api/v1/alarmen?metActief=ja", 400, "'metActief'")]
    [InlineData("/api/v1/alarmen?metActief=true&offset=20", 400, "'metActief'")]
    [InlineData("/api/v1/alarmen?datastream=abc", 400, "'datastream'")]
    [InlineData("/api/v1/alarmen?drempel=0", 400, "'drempel'")]
    [InlineData("/api/v1/alarmen?status=actief", 400, "'status'")]
    [InlineData("/api/v1/alarmen/999", 404, "alarm '999'")]
    [InlineData("/api/v1/alarmen/x", 404, "alarm 'x'")]
    [InlineData("/api/v1/alarmen/1?limit=1", 400, "'limit'")]
    [InlineData("/api/v1/drempels?datastream=-3", 400, "'datastream'")]
    [InlineData("/api/v1/drempels?naam=x", 400, "'naam'")]
    [InlineData("/api/v1/drempels/999", 404, "drempel '999'")]
    public async Task Bad_requests_are_problems_that_name_what_was_wrong(string path, int status, string named)
    {
        await using var server = await TwinServer.StartAsync(async store => await WatchedTemperatureAsync(store));

        var detail = await Problems.AssertProblemAsync(server.Client, path, status);

        Assert.Contains(named, detail, StringComparison.Ordinal);
    }

    /// <summary>A weather station whose temperature has a critical threshold above 30 °C that clears at 28 °C.</summary>
    private static async Task<(long Datastream, Threshold Threshold)> WatchedTemperatureAsync(SqliteTwinStore store)
    {
        var station = await SensorSeed.WeatherStationAsync(store);
        var datastream = station.DatastreamIds[0];
        var threshold = await store.Alerts.AddThresholdAsync(new Threshold(0, datastream, "Hittestress", ThresholdCondition.Above, 30, AlertSeverity.Critical, clearValue: 28), CancellationToken.None);
        return (datastream, threshold);
    }

    /// <summary>Posts one observation and returns its URL.</summary>
    private static async Task<string> PostAsync(HttpClient client, long datastream, double result, string time)
    {
        using var body = new StringContent(
            $$"""{"result": {{result.ToString(System.Globalization.CultureInfo.InvariantCulture)}}, "phenomenonTime": "{{time}}"}""", Encoding.UTF8, "application/json");
        using var posted = await client.PostAsync($"/sta/v1.1/Datastreams({datastream})/Observations", body, Ct);
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        return posted.Headers.Location!.ToString();
    }

    private static async Task<JsonElement> JsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
    }

    /// <summary>A server over an existing store file, stopped (not deleted) on dispose, so a second one can restart on it.</summary>
    private sealed class RunningServer(WebApplication app, SqliteTwinStore store, HttpClient client) : IAsyncDisposable
    {
        public HttpClient Client { get; } = client;

        public static async Task<RunningServer> StartAsync(string path)
        {
            var store = await SqliteTwinStore.OpenAsync(path, TwinHost.GeometryServices, Ct);
            var app = TwinHost.Build(store, "http://127.0.0.1:0", new FakeTimeProvider(TwinServer.Now), settings: TwinServer.OpenUnlabelledSensors);
            await app.StartAsync(Ct);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            return new RunningServer(app, store, await TwinServer.SignedInClientAsync(store, new Uri(address), "medewerker"));
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await app.StopAsync();
            await app.DisposeAsync();
            await store.DisposeAsync();
        }
    }
}
