using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Alerts;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Sensors;
using Tweeling.Storage.Sqlite;

namespace Tweeling.Benchmarks;

/// <summary>
/// Part of the <c>sensor-store</c> verb: what judging thresholds at ingest (<see cref="AlertMonitor"/>, as the
/// server does for every source) costs on top of <c>AppendAsync</c>, for the same rows as the plain ingest —
/// once without thresholds (the common case, which must cost nothing measurable) and once with a threshold on
/// every Datastream — in batches and in single-observation appends (as MQTT and HTTP deliver them).
/// </summary>
internal static class AlertIngestBenchmark
{
    /// <summary>Single-observation appends per measurement: each is a durable commit, so a few ms apiece.</summary>
    private const int SingleAppends = 500;

    private static readonly NtsGeometryServices s_geometry = new(PrecisionModel.Floating.Value, Crs.RdNewSrid);

    /// <summary>Appends the <paramref name="observations"/> rows of <paramref name="make"/> to fresh stores and prints one table row per case.</summary>
    public static async Task PrintRowsAsync(string work, long observations, int batchSize, double plainSeconds, Func<long, NewObservation> make, CancellationToken ct)
    {
        var none = await IngestAsync(Path.Combine(work, "alerts-none.db"), observations, batchSize, make, withThresholds: false, ct);
        var every = await IngestAsync(Path.Combine(work, "alerts-every.db"), observations, batchSize, make, withThresholds: true, ct);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| the same ingest through the alert monitor, no thresholds | {observations / none.Seconds:N0} obs/s ({none.Seconds:F1} s) | plain AppendAsync above: {observations / plainSeconds:N0} obs/s |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| the same ingest, a threshold on every datastream (above 85, clear at 80) | {observations / every.Seconds:N0} obs/s ({every.Seconds:F1} s), {every.Alerts:N0} alerts | plain AppendAsync above |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {SingleAppends} single-observation appends: plain / monitor without thresholds / with | p50 {none.SinglePlain.P50:F2} / {none.SingleMonitored.P50:F2} / {every.SingleMonitored.P50:F2} ms, p99 {none.SinglePlain.P99:F2} / {none.SingleMonitored.P99:F2} / {every.SingleMonitored.P99:F2} ms | each a durable commit |"));
    }

    private static async Task<Result> IngestAsync(string path, long observations, int batchSize, Func<long, NewObservation> make, bool withThresholds, CancellationToken ct)
    {
        ImportBenchmark.DeleteDatabase(path);
        Result result;
        var store = await SqliteTwinStore.OpenAsync(path, s_geometry, ct);
        await using (store)
        {
            var ids = await SensorStoreBenchmark.CreateDatastreamsAsync(store.Sensors, ct);
            if (withThresholds)
            {
                foreach (var id in ids)
                {
                    await store.Alerts.AddThresholdAsync(new Threshold(0, id, $"bench-{id}", ThresholdCondition.Above, 85, AlertSeverity.Warning, 80), ct);
                }
            }

            var monitor = new AlertMonitor(store.Alerts, TimeProvider.System);
            var clock = Stopwatch.StartNew();
            var batch = new List<NewObservation>(batchSize);
            for (long i = 0; i < observations; i++)
            {
                batch.Add(make(i));
                if (batch.Count == batchSize || i == observations - 1)
                {
                    await monitor.AppendAsync(store.Sensors, batch, ct);
                    batch.Clear();
                }
            }

            var seconds = clock.Elapsed.TotalSeconds;
            var alerts = (await store.Alerts.ListAlertsAsync(new AlertQuery(int.MaxValue), ct)).Count;

            // Single appends after the batches, one per datastream in turn, later in time than all of them.
            var next = observations;
            NewObservation Later() => make(next++) with { PhenomenonTime = SensorTime.At(new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(next)) };
            var plain = await TimeAsync(() => store.Sensors.AppendAsync([Later()], ct));
            var monitored = await TimeAsync(() => monitor.AppendAsync(store.Sensors, [Later()], ct));
            result = new Result(seconds, alerts, plain, monitored);
        }

        SqliteConnection.ClearAllPools();
        ImportBenchmark.DeleteDatabase(path);
        return result;
    }

    private static async Task<(double P50, double P99)> TimeAsync(Func<Task> append)
    {
        var times = new double[SingleAppends];
        for (var i = 0; i < SingleAppends; i++)
        {
            var clock = Stopwatch.StartNew();
            await append();
            times[i] = clock.Elapsed.TotalMilliseconds;
        }

        Array.Sort(times);
        return (times[(int)Math.Ceiling(0.5 * SingleAppends) - 1], times[(int)Math.Ceiling(0.99 * SingleAppends) - 1]);
    }

    private sealed record Result(double Seconds, int Alerts, (double P50, double P99) SinglePlain, (double P50, double P99) SingleMonitored);
}
