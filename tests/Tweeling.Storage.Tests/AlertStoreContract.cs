using Tweeling.Domain.Alerts;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;

namespace Tweeling.Storage.Tests;

/// <summary>The ports of the backend under test that alerting uses, and what closes them.</summary>
public sealed record AlertStoreUnderTest(IAlertStore Alerts, ISensorStore Entities, IObservationStore Observations, IAsyncDisposable Lifetime) : IStoreUnderTest;

/// <summary>
/// The alert storage contract: thresholds tied to existing Datastreams, a revision that tells a cache it is
/// stale, and a durable alert history with its filters. A backend derives from this and says how to open a
/// fresh, empty store and how to reopen it.
/// </summary>
public abstract class AlertStoreContract : BackendContract<AlertStoreUnderTest>
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    protected IAlertStore Alerts => Store.Alerts;

    [Fact]
    public async Task A_threshold_on_a_missing_datastream_is_refused_and_nothing_is_stored()
    {
        var error = await Assert.ThrowsAsync<SensorLinkException>(() => Alerts.AddThresholdAsync(Above(404, 10), Ct));

        Assert.Equal(("Datastream", 404L), (error.EntityType, error.Id));
        Assert.Empty(await Alerts.ListThresholdsAsync(null, Ct));
    }

    [Fact]
    public async Task Thresholds_are_added_found_listed_by_datastream_and_removed()
    {
        var (first, second) = (await NewDatastreamAsync(Store.Entities, "a"), await NewDatastreamAsync(Store.Entities, "b"));

        var added = await Alerts.AddThresholdAsync(new Threshold(0, first, "Drukte", ThresholdCondition.Above, 500, AlertSeverity.Warning, clearValue: 400), Ct);
        var other = await Alerts.AddThresholdAsync(new Threshold(0, second, "Storing", ThresholdCondition.Equal, 2, AlertSeverity.Critical), Ct);

        Assert.True(added.Id > 0);
        Assert.Equal(added, await Alerts.FindThresholdAsync(added.Id, Ct));
        Assert.Equal((ThresholdCondition.Equal, 2.0, 2.0, AlertSeverity.Critical), (other.Condition, other.Value, other.ClearValue, other.Severity));
        Assert.Equal([added, other], await Alerts.ListThresholdsAsync(null, Ct));
        Assert.Equal([other], await Alerts.ListThresholdsAsync(second, Ct));
        Assert.True(await Alerts.RemoveThresholdAsync(added.Id, T0, Ct));
        Assert.False(await Alerts.RemoveThresholdAsync(added.Id, T0, Ct));
        Assert.Null(await Alerts.FindThresholdAsync(added.Id, Ct));
        Assert.Equal([other], await Alerts.ListThresholdsAsync(null, Ct));
    }

    [Fact]
    public async Task The_revision_changes_with_every_add_and_remove_and_survives_a_reopen()
    {
        var datastream = await NewDatastreamAsync(Store.Entities, "a");
        var seen = new List<long> { await Alerts.ThresholdRevisionAsync(Ct) };

        var first = await Alerts.AddThresholdAsync(Above(datastream, 1), Ct);
        seen.Add(await Alerts.ThresholdRevisionAsync(Ct));
        await Alerts.RemoveThresholdAsync(first.Id, T0, Ct);
        seen.Add(await Alerts.ThresholdRevisionAsync(Ct));
        await Alerts.AddThresholdAsync(Above(datastream, 2), Ct);
        seen.Add(await Alerts.ThresholdRevisionAsync(Ct));
        await ReopenAsync();

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(seen[^1], await Alerts.ThresholdRevisionAsync(Ct));
    }

    [Fact]
    public async Task Alerts_are_raised_cleared_and_kept_across_a_reopen()
    {
        var datastream = await NewDatastreamAsync(Store.Entities, "a");
        var threshold = await Alerts.AddThresholdAsync(Above(datastream, 10), Ct);

        var raised = (await Alerts.SaveAlertsAsync([Raised(threshold, 7, T0, 12)], Ct)).Single();
        await ReopenAsync();
        var state = (await Alerts.ThresholdStatesAsync(Ct)).Single();

        Assert.True(raised.Id > 0);
        Assert.Equal(raised, await Alerts.FindAlertAsync(raised.Id, Ct));
        Assert.Equal(new ThresholdState(threshold, raised, T0), state);

        var cleared = raised with { Clearing = new AlertObservation(9, T0.AddMinutes(10), 8), ClearedAt = T0.AddMinutes(11) };
        Assert.Equal([cleared], await Alerts.SaveAlertsAsync([cleared], Ct));
        Assert.Equal(cleared, await Alerts.FindAlertAsync(raised.Id, Ct));
        Assert.Equal(new ThresholdState(threshold, null, T0.AddMinutes(10)), (await Alerts.ThresholdStatesAsync(Ct)).Single());
    }

    [Fact]
    public async Task Saving_an_unknown_alert_stores_nothing_of_the_batch()
    {
        var threshold = await Alerts.AddThresholdAsync(Above(await NewDatastreamAsync(Store.Entities, "a"), 10), Ct);
        var unknown = Raised(threshold, 1, T0, 11) with { Id = 999, Clearing = new AlertObservation(2, T0.AddMinutes(1), 9), ClearedAt = T0 };

        await Assert.ThrowsAsync<KeyNotFoundException>(() => Alerts.SaveAlertsAsync([Raised(threshold, 1, T0, 11), unknown], Ct));

        Assert.Empty(await Alerts.ListAlertsAsync(new AlertQuery(100), Ct));
    }

    [Fact]
    public async Task An_alert_for_a_removed_threshold_is_refused_and_nothing_of_the_batch_is_stored()
    {
        var datastream = await NewDatastreamAsync(Store.Entities, "a");
        var kept = await Alerts.AddThresholdAsync(Above(datastream, 10), Ct);
        var removed = await Alerts.AddThresholdAsync(Above(datastream, 20), Ct);
        await Alerts.RemoveThresholdAsync(removed.Id, T0, Ct);

        await Assert.ThrowsAsync<KeyNotFoundException>(() => Alerts.SaveAlertsAsync([Raised(kept, 1, T0, 25), Raised(removed, 1, T0, 25)], Ct));

        Assert.Empty(await Alerts.ListAlertsAsync(new AlertQuery(100), Ct));
    }

    [Fact]
    public async Task Removing_a_threshold_closes_its_open_alert_and_keeps_the_history()
    {
        var threshold = await Alerts.AddThresholdAsync(Above(await NewDatastreamAsync(Store.Entities, "a"), 10), Ct);
        var raised = (await Alerts.SaveAlertsAsync([Raised(threshold, 1, T0, 11)], Ct)).Single();

        await Alerts.RemoveThresholdAsync(threshold.Id, T0.AddHours(1), Ct);

        var closed = await Alerts.FindAlertAsync(raised.Id, Ct);
        Assert.Equal(raised with { ClearedAt = T0.AddHours(1) }, closed);
        Assert.False(closed!.IsOpen);
        Assert.Empty(await Alerts.ThresholdStatesAsync(Ct));
    }

    [Fact]
    public async Task The_history_is_newest_first_with_filters_and_paging()
    {
        var (a, b) = (await NewDatastreamAsync(Store.Entities, "a"), await NewDatastreamAsync(Store.Entities, "b"));
        var onA = await Alerts.AddThresholdAsync(Above(a, 10), Ct);
        var onB = await Alerts.AddThresholdAsync(Above(b, 10), Ct);
        var saved = await Alerts.SaveAlertsAsync(
            [
                Closed(Raised(onA, 1, T0, 11), 2, T0.AddHours(1)),
                Closed(Raised(onB, 3, T0.AddHours(2), 12), 4, T0.AddHours(3)),
                Raised(onA, 5, T0.AddHours(4), 13),
            ],
            Ct);
        var (first, second, open) = (saved[0], saved[1], saved[2]);

        Assert.Equal([open, second, first], await Alerts.ListAlertsAsync(new AlertQuery(100), Ct));
        Assert.Equal([second], await Alerts.ListAlertsAsync(new AlertQuery(1, Offset: 1), Ct));
        Assert.Equal([open, first], await Alerts.ListAlertsAsync(new AlertQuery(100, DatastreamId: a), Ct));
        Assert.Equal([second], await Alerts.ListAlertsAsync(new AlertQuery(100, ThresholdId: onB.Id), Ct));
        Assert.Equal([open], await Alerts.ListAlertsAsync(new AlertQuery(100, OpenOnly: true), Ct));

        // The Datastreams a caller may read are applied before paging: the first page of b's alerts is b's newest.
        Assert.Equal([second], await Alerts.ListAlertsAsync(new AlertQuery(1, Datastreams: [b]), Ct));
        Assert.Equal([first], await Alerts.ListAlertsAsync(new AlertQuery(1, Offset: 1, Datastreams: [a, 999]), Ct));
        Assert.Empty(await Alerts.ListAlertsAsync(new AlertQuery(100, Datastreams: []), Ct));

        // An episode counts for a window it overlaps: raised before its end, cleared at or after its start.
        Assert.Equal([open, second], await Alerts.ListAlertsAsync(new AlertQuery(100, From: T0.AddHours(1.5)), Ct));
        Assert.Equal([second, first], await Alerts.ListAlertsAsync(new AlertQuery(100, To: T0.AddHours(4)), Ct));
        Assert.Equal([second], await Alerts.ListAlertsAsync(new AlertQuery(100, From: T0.AddHours(2.5), To: T0.AddHours(4)), Ct));
    }

    /// <summary>A new Thing with one Datastream named <paramref name="name"/>; returns the Datastream's id.</summary>
    public static async Task<long> NewDatastreamAsync(ISensorStore entities, string name)
    {
        var inserted = await entities.CreateThingAsync(
            new ThingInsert(
                new Thing(0, "Thing " + name, "a thing"),
                [],
                [new DatastreamInsert(
                    new Datastream(0, name, "a datastream", new UnitOfMeasurement("count", "n", "http://unitsofmeasure.org/ucum.html#{count}"), "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement", 0, 0, 0),
                    Link<Sensor>.Create(new Sensor(0, "s " + name, "a sensor", "text/plain", "counts")),
                    Link<ObservedProperty>.Create(new ObservedProperty(0, "p " + name, "urn:test:" + name, "a property")))],
                T0),
            Ct);
        return inserted.DatastreamIds[0];
    }

    /// <summary>A warning above <paramref name="value"/> on <paramref name="datastream"/>.</summary>
    public static Threshold Above(long datastream, double value, double? clearValue = null) =>
        new(0, datastream, $"Boven {value}", ThresholdCondition.Above, value, AlertSeverity.Warning, clearValue);

    private static Alert Raised(Threshold threshold, long observation, DateTimeOffset time, double result) =>
        new(0, threshold.Id, threshold.DatastreamId, threshold.Name, threshold.Severity, new AlertObservation(observation, time, result), time.AddSeconds(1));

    private static Alert Closed(Alert alert, long observation, DateTimeOffset time) =>
        alert with { Clearing = new AlertObservation(observation, time, 0), ClearedAt = time.AddSeconds(1) };
}
