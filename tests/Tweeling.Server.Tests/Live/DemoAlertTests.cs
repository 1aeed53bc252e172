using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Tweeling.Ingestion.DemoCity.Feeds;
using Tweeling.Server.Cli;

namespace Tweeling.Server.Tests.Live;

/// <summary>
/// The demo city end to end: it is seeded with thresholds, and when the server's clock reaches an event
/// evening the live demo feed's crowd readings raise alerts, on <c>/api/v1/live</c> and in the history.
/// </summary>
public sealed class DemoAlertTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_live_demo_feed_raises_crowd_alerts_on_an_event_evening()
    {
        await using var server = await TwinServer.StartAsync(store =>
            DemoCommand.SeedAsync(store, DemoCommand.DefaultOptions, historyDays: 1, new FakeTimeProvider(TwinServer.Now), CancellationToken.None));
        var model = new SignalModel(DemoCommand.DefaultOptions.Seed);
        var evening = Enumerable.Range(0, 60).Select(d => DateOnly.FromDateTime(TwinServer.Now.UtcDateTime).AddDays(d)).First(model.IsEventEvening);
        Assert.True(evening < new DateOnly(2025, 3, 30), $"seed 1's first event evening, {evening}, should fall before summer time so 20:00 UTC is 21:00 local");
        var thresholds = await server.GetJsonAsync("/api/v1/drempels");

        // First to the afternoon, quietly: the catch-up of the days before is too much to stream live. The
        // last Datastream is caught up last. Then into the evening with a client listening.
        var afternoon = new DateTimeOffset(evening, new TimeOnly(17, 0), TimeSpan.Zero);
        server.Time.Advance(afternoon - TwinServer.Now);
        await CaughtUpAsync(server, afternoon.AddMinutes(-5));
        using var live = await LiveStream.OpenAsync(server.Client);
        server.Time.Advance(TimeSpan.FromHours(3));
        var alarm = await live.NextAsync("alarm", TimeSpan.FromSeconds(30));

        Assert.Equal(30, thresholds.GetArrayLength());
        Assert.Equal(10, thresholds.EnumerateArray().Count(t => t.GetProperty("naam").GetString()!.StartsWith("Drukte evenementenzone", StringComparison.Ordinal)));
        Assert.Equal(JsonValueKind.Object, alarm.ValueKind);
        var open = await server.GetJsonAsync("/api/v1/alarmen?actief=true&van=" + Uri.EscapeDataString($"{evening:yyyy-MM-dd}T17:00:00Z"));
        var crowd = open.EnumerateArray().Where(a => a.GetProperty("naam").GetString()!.StartsWith("Drukte evenementenzone", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(crowd);
        Assert.All(crowd, a =>
        {
            var raisedBy = a.GetProperty("oorzaak").GetProperty("tijdstip").GetDateTimeOffset();
            Assert.InRange(raisedBy, new DateTimeOffset(evening, new TimeOnly(17, 0), TimeSpan.Zero), new DateTimeOffset(evening, new TimeOnly(20, 0), TimeSpan.Zero));
        });
    }

    /// <summary>Waits until the last Datastream has a reading at or after <paramref name="time"/>.</summary>
    private static async Task CaughtUpAsync(TwinServer server, DateTimeOffset time)
    {
        var last = (await server.GetJsonAsync("/sta/v1.1/Datastreams?$top=1000")).GetProperty("value").EnumerateArray().Max(d => d.GetProperty("@iot.id").GetInt64());
        for (var attempt = 0; attempt < 600; attempt++)
        {
            var newest = (await server.GetJsonAsync($"/sta/v1.1/Datastreams({last})/Observations?$top=1")).GetProperty("value");
            if (newest.GetArrayLength() == 1 && newest[0].GetProperty("phenomenonTime").GetDateTimeOffset() >= time)
            {
                return;
            }

            await Task.Delay(100, Ct);
        }

        Assert.Fail($"the demo feed did not catch up to {time:u} within a minute");
    }
}
