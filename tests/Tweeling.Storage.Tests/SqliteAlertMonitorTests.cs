using Microsoft.Extensions.Time.Testing;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Alerts;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Sensors;
using Tweeling.Storage.Sqlite;
using Tweeling.TestSupport;

namespace Tweeling.Storage.Tests;

/// <summary>
/// The <see cref="AlertMonitor"/> over a real SQLite store: one alert per episode whatever the noise within
/// the hysteresis, phenomenon-time order, late results, and continuing an episode after a restart.
/// </summary>
public sealed class SqliteAlertMonitorTests : IAsyncLifetime, IDisposable
{
    private static readonly NtsGeometryServices s_geometry = new(PrecisionModel.Floating.Value, Crs.RdNewSrid);
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 13, 0, 0, TimeSpan.Zero));
    private SqliteTwinStore? _store;
    private int _minute;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SqliteTwinStore Store => _store ?? throw new InvalidOperationException("The store is not open.");

    public async ValueTask InitializeAsync() => _store = await SqliteTwinStore.OpenAsync(_directory.File("twin.db"), s_geometry, Ct);

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Noise_within_the_hysteresis_raises_one_alert_that_a_return_clears()
    {
        var (datastream, threshold) = await WatchedAsync(value: 100, clearValue: 90);
        var monitor = new AlertMonitor(Store.Alerts, _time);

        var (ids, raised) = await AppendAsync(monitor, datastream, 80, 101);
        var (_, noise) = await AppendAsync(monitor, datastream, 95, 104, 92, 110, 99);
        var (clearedIds, cleared) = await AppendAsync(monitor, datastream, 89);

        var alert = Assert.Single(raised);
        Assert.True(alert.IsOpen);
        Assert.Equal((threshold.Id, datastream, ids[1], 101.0, _time.GetUtcNow()), (alert.ThresholdId, alert.DatastreamId, alert.Raising.ObservationId, alert.Raising.Result, alert.RaisedAt));
        Assert.Empty(noise);
        var clearing = Assert.Single(cleared);
        Assert.Equal((alert.Id, clearedIds[0], 89.0), (clearing.Id, clearing.Clearing!.ObservationId, clearing.Clearing.Result));
        Assert.Equal([clearing], await Store.Alerts.ListAlertsAsync(new AlertQuery(10), Ct));
    }

    [Fact]
    public async Task A_batch_is_judged_in_phenomenon_time_order_and_may_raise_and_clear()
    {
        var (datastream, _) = await WatchedAsync(value: 100, clearValue: 90);
        var monitor = new AlertMonitor(Store.Alerts, _time);
        var t = AlertStoreContract.T0;

        // Sent out of order: by time the results are 50, 120, 80, 130 — two episodes.
        var (_, changes) = await monitor.AppendAsync(
            Store.Sensors,
            [Reading(datastream, t.AddMinutes(3), 130), Reading(datastream, t.AddMinutes(1), 120), Reading(datastream, t, 50), Reading(datastream, t.AddMinutes(2), 80)],
            Ct);

        Assert.Equal([(120.0, true), (120.0, false), (130.0, true)], changes.Select(c => (c.Raising.Result, c.IsOpen)));
        Assert.Equal(80, changes[1].Clearing!.Result);
        Assert.Equal(changes[0].Id, changes[1].Id);
        var history = await Store.Alerts.ListAlertsAsync(new AlertQuery(10), Ct);
        Assert.Equal([changes[2], changes[1]], history);
    }

    [Fact]
    public async Task A_result_older_than_the_last_change_is_too_late_to_change_the_episode()
    {
        var (datastream, _) = await WatchedAsync(value: 100, clearValue: 90);
        var monitor = new AlertMonitor(Store.Alerts, _time);
        var t = AlertStoreContract.T0;
        await monitor.AppendAsync(Store.Sensors, [Reading(datastream, t.AddMinutes(10), 120)], Ct);

        var (_, late) = await monitor.AppendAsync(Store.Sensors, [Reading(datastream, t.AddMinutes(5), 10)], Ct);

        Assert.Empty(late);
        Assert.True(Assert.Single(await Store.Alerts.ListAlertsAsync(new AlertQuery(10), Ct)).IsOpen);
    }

    [Fact]
    public async Task An_open_alert_survives_a_restart_and_is_cleared_afterwards_without_a_second_raise()
    {
        var (datastream, _) = await WatchedAsync(value: 100, clearValue: 90);
        var (_, raised) = await AppendAsync(new AlertMonitor(Store.Alerts, _time), datastream, 120);
        await Store.DisposeAsync();
        _store = await SqliteTwinStore.OpenAsync(_directory.File("twin.db"), s_geometry, Ct);
        var restarted = new AlertMonitor(Store.Alerts, _time);

        var (_, still) = await AppendAsync(restarted, datastream, 125, 95, 140);
        var (_, cleared) = await AppendAsync(restarted, datastream, 60);

        Assert.Empty(still);
        Assert.Equal(raised.Single().Id, Assert.Single(cleared).Id);
        Assert.Single(await Store.Alerts.ListAlertsAsync(new AlertQuery(10), Ct));
    }

    [Fact]
    public async Task A_status_threshold_raises_on_the_value_and_clears_on_any_other()
    {
        var datastream = await AlertStoreContract.NewDatastreamAsync(Store.Sensors, "gemaal");
        await Store.Alerts.AddThresholdAsync(new Threshold(0, datastream, "Storing", ThresholdCondition.Equal, 2, AlertSeverity.Critical), Ct);
        var monitor = new AlertMonitor(Store.Alerts, _time);

        var (_, changes) = await AppendAsync(monitor, datastream, 0, 1, 2, 2, 1, 0, 2);

        Assert.Equal([true, false, true], changes.Select(c => c.IsOpen));
        Assert.All(changes, c => Assert.Equal(2, c.Raising.Result));
    }

    [Fact]
    public async Task A_threshold_added_while_running_takes_effect_within_the_revision_interval_and_unwatched_streams_raise_nothing()
    {
        var datastream = await AlertStoreContract.NewDatastreamAsync(Store.Sensors, "a");
        var monitor = new AlertMonitor(Store.Alerts, _time);
        var (_, before) = await AppendAsync(monitor, datastream, 500);
        await Store.Alerts.AddThresholdAsync(AlertStoreContract.Above(datastream, 100), Ct);

        await Task.Delay(AlertMonitor.RevisionCheckInterval + TimeSpan.FromMilliseconds(100), Ct);
        var (_, after) = await AppendAsync(monitor, datastream, 500);

        Assert.Empty(before);
        Assert.Single(after);
    }

    private async Task<(long Datastream, Threshold Threshold)> WatchedAsync(double value, double clearValue)
    {
        var datastream = await AlertStoreContract.NewDatastreamAsync(Store.Sensors, "watched");
        return (datastream, await Store.Alerts.AddThresholdAsync(AlertStoreContract.Above(datastream, value, clearValue), Ct));
    }

    /// <summary>Appends one result per minute after the last, in order.</summary>
    private Task<(IReadOnlyList<long> Ids, IReadOnlyList<Alert> Changes)> AppendAsync(AlertMonitor monitor, long datastream, params double[] results) =>
        monitor.AppendAsync(Store.Sensors, [.. results.Select(r => Reading(datastream, AlertStoreContract.T0.AddMinutes(_minute++), r))], Ct);

    private static NewObservation Reading(long datastream, DateTimeOffset time, double result) => new(datastream, SensorTime.At(time), result);
}
