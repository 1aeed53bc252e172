using Microsoft.Extensions.Options;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Tweeling.Server.Tests.SensorThings.Api;

namespace Tweeling.Server.Tests.Hosting;

/// <summary>Retention of raw Observations (issue 3, item 3), <c>Tweeling:Retention</c>, in the running server.</summary>
public sealed class ObservationRetentionTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Observations_older_than_the_retention_are_pruned_at_start_up_and_latest_and_rollups_stay()
    {
        var datastream = 0L;
        var now = TwinServer.Now;
        await using var server = await TwinServer.StartAsync(
            async store =>
            {
                datastream = (await SensorSeed.WeatherStationAsync(store)).DatastreamIds[0];
                await store.Sensors.AppendAsync(
                    [.. new[] { (-40.0, 1.0), (-31.0, 2.0), (-29.0, 3.0), (-1.0 / 24, 4.0) }.Select(o => new NewObservation(datastream, SensorTime.At(now.AddDays(o.Item1)), o.Item2))],
                    Cancel);
            },
            new Dictionary<string, string?>(TwinServer.OpenUnlabelledSensors) { ["Tweeling:Retention:ObservationDays"] = "30" });

        // The first prune runs as the server starts, beside its other start-up work.
        var left = await ObservationsAsync(server, datastream);
        for (var waited = 0; left.Count > 2 && waited < 300; waited++)
        {
            await Task.Delay(100, Cancel);
            left = await ObservationsAsync(server, datastream);
        }

        Assert.Equal([3.0, 4.0], left.Select(o => o.Result!.Value));
        var days = await server.Store.Sensors.RollupAsync(datastream, RollupGranularity.Day, now.AddDays(-41), now.AddDays(1), Cancel);
        Assert.Equal(4, days.Sum(d => d.Count));
        Assert.Equal(4.0, (await server.Store.Sensors.LatestAsync([datastream], Cancel)).Single().Result);
    }

    [Theory]
    [InlineData("ObservationDays", "-1")]
    [InlineData("IntervalMinutes", "0")]
    public async Task A_retention_out_of_range_stops_the_start_naming_the_setting(string setting, string value)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TwinServer.StartAsync(
            _ => Task.CompletedTask,
            new Dictionary<string, string?>(TwinServer.OpenUnlabelledSensors) { [$"Tweeling:Retention:{setting}"] = value }));

        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    private static async Task<List<Observation>> ObservationsAsync(TwinServer server, long datastream) =>
        [.. await server.Store.Sensors.ObservationsAsync(datastream, null, null, 100, 0, TimeOrder.OldestFirst, Cancel)];
}
