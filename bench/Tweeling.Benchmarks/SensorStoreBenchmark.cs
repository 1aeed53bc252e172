using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Tweeling.Domain.Sensors.Query;
using Tweeling.Storage.Sqlite;
using Location = Tweeling.Domain.Sensors.Location;

namespace Tweeling.Benchmarks;

/// <summary>
/// The <c>sensor-store</c> verb: ingest into the time-series store (<see cref="IObservationStore.AppendAsync(System.Collections.Generic.IReadOnlyList{Tweeling.Domain.Sensors.NewObservation}, System.Threading.CancellationToken)"/>,
/// latest and rollups kept at ingest, durable on return) beside a raw bulk insert of the same rows into a
/// bare SQLite table in the same run; then the two read targets of DESIGN §7 on the filled store:
/// "latest observation of every datastream" and "hourly means over 30 days for 50 datastreams".
/// </summary>
internal static class SensorStoreBenchmark
{
    internal const int Datastreams = 60;
    private const int BatchSize = 10_000;
    private const int ReadRepeats = 50;
    private static readonly NtsGeometryServices s_geometry = new(PrecisionModel.Floating.Value, Crs.RdNewSrid);

    public static async Task<int> RunAsync(long observations, string work, CancellationToken ct)
    {
        Directory.CreateDirectory(work);
        var path = Path.Combine(work, "sensors.db");
        ImportBenchmark.DeleteDatabase(path);
        Console.WriteLine($"# sensor-store --observations {observations}");
        Console.WriteLine(Machine.Describe());
        Console.WriteLine();

        var store = await SqliteTwinStore.OpenAsync(path, s_geometry, ct);
        await using (store)
        {
            var ids = await CreateDatastreamsAsync(store.Sensors, ct);

            // 30 days ending 2026-01-01, spread evenly over the datastreams: one reading per datastream every
            // (30 days × 60 / N); at 10^7 that is about every 15 s, a dense but realistic sensor rate.
            var end = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
            var start = end.AddDays(-30);
            var step = TimeSpan.FromTicks((end - start).Ticks * Datastreams / observations);
            NewObservation Make(long i) => new(ids[(int)(i % Datastreams)], SensorTime.At(start + (step * (i / Datastreams))), Math.Sin(i * 0.001) * 40 + 50);

            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var batch = new List<NewObservation>(BatchSize);
            for (long i = 0; i < observations; i++)
            {
                batch.Add(Make(i));
                if (batch.Count == BatchSize)
                {
                    await store.Sensors.AppendAsync(batch, ct);
                    batch.Clear();
                }
            }

            if (batch.Count > 0)
            {
                await store.Sensors.AppendAsync(batch, ct);
            }

            var ingest = clock.Elapsed.TotalSeconds;

            // CPU seconds beside the wall clock: on a shared machine the wall clock also counts other jobs' turns.
            var ingestCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            var raw = RawInsert(Path.Combine(work, "raw.db"), observations, Make);

            var latest = await TimeAsync(() => store.Sensors.LatestAsync(ids, ct));
            var hourly = await TimeAsync(async () =>
            {
                foreach (var id in ids.Take(50))
                {
                    await store.Sensors.RollupAsync(id, RollupGranularity.Hour, start, end, ct);
                }
            });
            var hourlyAtOnce = await TimeAsync(() => store.Sensors.RollupsAsync([.. ids.Take(50)], RollupGranularity.Hour, start, end, ct));

            // The SensorThings hot path through the query port: one datastream's day by phenomenonTime, newest
            // first, a page of 100 (and with $count over the day), as GET Datastreams(id)/Observations?$filter=… asks.
            var day = QueryOptions.Parse([
                new("$filter", $"phenomenonTime ge {end.AddDays(-2):yyyy-MM-dd'T'HH:mm:ss'Z'} and phenomenonTime lt {end.AddDays(-1):yyyy-MM-dd'T'HH:mm:ss'Z'}"),
                new("$orderby", "phenomenonTime desc")]);
            var dayQuery = new SensorQuery(SensorEntitySet.Observations, new SensorScope(SensorEntitySet.Datastreams, ids[0], "Observations"), day.Filter, day.OrderBy, 101, 0, false, end);
            var dayPage = await TimeAsync(() => store.Sensors.QueryAsync(dayQuery, ct));
            var dayCount = await TimeAsync(() => store.Sensors.QueryAsync(dayQuery with { Count = true }, ct));

            Console.WriteLine("| what | result | target / reference |");
            Console.WriteLine("|---|---|---|");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| AppendAsync, {observations:N0} numeric observations over {Datastreams} datastreams, batches of {BatchSize:N0} | {observations / ingest:N0} obs/s ({ingest:F1} s, {ingestCpu:F1} s CPU, {ingestCpu * 1e6 / observations:F2} µs CPU per observation) | raw bulk insert, same rows, bare table: {observations / raw:N0} obs/s ({raw:F1} s); store / raw = {raw / ingest:P0} |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| latest observation of every datastream ({Datastreams}) | p50 {latest.P50:F2} ms, p99 {latest.P99:F2} ms | < 50 ms |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| hourly means over 30 days for 50 datastreams, RollupAsync per datastream (50 reads) | p50 {hourly.P50:F2} ms, p99 {hourly.P99:F2} ms | < 50 ms |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| hourly means over 30 days for 50 datastreams, RollupsAsync (one statement) | p50 {hourlyAtOnce.P50:F2} ms, p99 {hourlyAtOnce.P99:F2} ms | < 50 ms |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| QueryAsync: one datastream's day by phenomenonTime range, newest first, page of 100 | p50 {dayPage.P50:F2} ms, p99 {dayPage.P99:F2} ms | SensorThings reads p99 < 20 ms |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| the same with $count=true | p50 {dayCount.P50:F2} ms, p99 {dayCount.P99:F2} ms | SensorThings reads p99 < 20 ms |"));
            await AlertIngestBenchmark.PrintRowsAsync(work, observations, BatchSize, ingest, Make, ct);
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"store file: {new FileInfo(path).Length / 1e6:F0} MB (+ WAL {(File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length / 1e6 : 0):F0} MB); reads repeated {ReadRepeats}×, nearest-rank percentiles; load after: {Machine.LoadAverage()}"));
        }

        SqliteConnection.ClearAllPools();
        ImportBenchmark.DeleteDatabase(path);
        return 0;
    }

    /// <summary>The benchmark's datastreams in a fresh store: ids 1 to 60, so generated rows fit any such store.</summary>
    internal static async Task<long[]> CreateDatastreamsAsync(ISensorStore sensors, CancellationToken ct)
    {
        var point = s_geometry.CreateGeometryFactory(Crs.Crs84Srid).CreatePoint(new Coordinate(4.67, 51.81));
        var ids = new long[Datastreams];
        long? sensorId = null;
        long? propertyId = null;
        for (var i = 0; i < Datastreams; i++)
        {
            var inserted = await sensors.CreateThingAsync(new ThingInsert(
                new Thing(0, $"bench-{i}", "benchmark thing"),
                [Link<Location>.Create(new Location(0, "here", "here", "application/geo+json", point))],
                [new DatastreamInsert(
                    new Datastream(0, $"bench-{i}", "benchmark", new UnitOfMeasurement("µg/m3", "µg/m3", "urn:ucum:ug/m3"), "OM_Measurement", 0, 0, 0),
                    sensorId is { } s ? Link<Sensor>.To(s) : Link<Sensor>.Create(new Sensor(0, "bench", "bench", "text/plain", "bench")),
                    propertyId is { } p ? Link<ObservedProperty>.To(p) : Link<ObservedProperty>.Create(new ObservedProperty(0, "bench", "urn:bench", "bench")))],
                DateTimeOffset.UnixEpoch), ct);
            ids[i] = inserted.DatastreamIds[0];
            var datastream = (await sensors.FindAsync<Datastream>(ids[i], ct))!;
            (sensorId, propertyId) = (datastream.SensorId, datastream.ObservedPropertyId);
        }

        return ids;
    }

    /// <summary>The same rows, one prepared statement, one transaction, into a table without any index: the floor.</summary>
    internal static double RawInsert(string path, long count, Func<long, NewObservation> make)
    {
        ImportBenchmark.DeleteDatabase(path);
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE observations (datastream_id INTEGER, phenomenon_time INTEGER, result REAL);";
            setup.ExecuteNonQuery();
        }

        var clock = Stopwatch.StartNew();
        using (var transaction = connection.BeginTransaction())
        {
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO observations VALUES ($d, $t, $r)";
            var (d, t, r) = (insert.Parameters.Add("$d", SqliteType.Integer), insert.Parameters.Add("$t", SqliteType.Integer), insert.Parameters.Add("$r", SqliteType.Real));
            insert.Prepare();
            for (long i = 0; i < count; i++)
            {
                var o = make(i);
                d.Value = o.DatastreamId;
                t.Value = o.PhenomenonTime.Start.ToUnixTimeMilliseconds();
                r.Value = o.Result;
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        var seconds = clock.Elapsed.TotalSeconds;
        connection.Close();
        ImportBenchmark.DeleteDatabase(path);
        return seconds;
    }

    private static async Task<(double P50, double P99)> TimeAsync(Func<Task> read)
    {
        await read();
        var times = new double[ReadRepeats];
        for (var i = 0; i < ReadRepeats; i++)
        {
            var clock = Stopwatch.StartNew();
            await read();
            times[i] = clock.Elapsed.TotalMilliseconds;
        }

        Array.Sort(times);
        return (times[(int)Math.Ceiling(0.5 * ReadRepeats) - 1], times[(int)Math.Ceiling(0.99 * ReadRepeats) - 1]);
    }
}
