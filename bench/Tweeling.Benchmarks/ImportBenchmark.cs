using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Tweeling.Domain.Geo;
using Tweeling.Ingestion.DemoCity;
using Tweeling.Storage;
using Tweeling.Storage.Sqlite;

namespace Tweeling.Benchmarks;

/// <summary>
/// The <c>import</c> verb: demo city generation plus its write into a fresh SQLite store, as
/// <c>tweeling demo</c> does it, with two references measured in the same run on the same rows:
/// a raw insert into a bare table (one prepared statement, one transaction, no indexes), and the
/// same raw insert into a copy of the store's tables and indexes (UNIQUE, collection index, R*Tree).
/// </summary>
internal static class ImportBenchmark
{
    /// <summary>The same geometry services as the server's composition root (TwinHost): floating precision, RD New.</summary>
    public static NtsGeometryServices GeometryServices { get; } = new(PrecisionModel.Floating.Value, Crs.RdNewSrid);

    private static readonly DateOnly s_referenceDate = new(2024, 1, 1);

    /// <summary>Generates the demo city (seed 1) and writes it into a fresh store at <paramref name="path"/>; returns the feature count.</summary>
    public static async Task<int> SeedAsync(string path, int scale, CancellationToken ct)
    {
        DeleteDatabase(path);
        var city = DemoCityGenerator.Generate(new DemoCityOptions(scale, 1, s_referenceDate), GeometryServices);
        var store = await SqliteTwinStore.OpenAsync(path, GeometryServices, ct);
        await using (store)
        {
            await using var transaction = await store.BeginAsync(ct);
            await DemoCityWriter.WriteAsync(city, transaction, progress: null, ct);
            await transaction.CommitAsync(ct);
        }

        SqliteConnection.ClearAllPools();
        return city.Features.Count;
    }

    /// <summary>The store's own schema (features table, indexes); the R*Trees, one per collection as in the store, are created as rows arrive.</summary>
    private static readonly string s_indexedSchema = Tweeling.Storage.Sqlite.Schema.Create;

    private const string BareSchema = """
        CREATE TABLE features (
            collection TEXT, id TEXT, valid_from INTEGER, valid_to INTEGER,
            dataset_id TEXT, geometry BLOB, properties TEXT);
        """;

    public static async Task<int> RunAsync(int scale, int runs, string work, CancellationToken ct)
    {
        Directory.CreateDirectory(work);
        Console.WriteLine($"# import --scale {scale} --runs {runs}");
        Console.WriteLine(Machine.Describe());
        Console.WriteLine();
        Console.WriteLine("| run | features | generate s | store write s | total s | generate CPU s | write CPU s | store MB | raw bare insert s | raw indexed insert s | serialise s | write/raw bare | write/raw indexed | managed heap after generate MB | peak working set MB | load avg |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        var results = new List<ImportRun>();
        for (var run = 1; run <= runs; run++)
        {
            var result = await RunOnceAsync(scale, work, ct);
            results.Add(result);
            Console.WriteLine(Row(run.ToString(CultureInfo.InvariantCulture), result));
        }

        if (runs > 1)
        {
            var median = new ImportRun(
                results[0].Features,
                Median(results, r => r.Generate), Median(results, r => r.Write), Median(results, r => r.Total),
                Median(results, r => r.GenerateCpu), Median(results, r => r.WriteCpu),
                Median(results, r => r.StoreBytes), Median(results, r => r.RawBare), Median(results, r => r.RawIndexed),
                Median(results, r => r.Serialise), Median(results, r => r.ManagedHeapBytes), results.Max(r => r.PeakWorkingSetBytes),
                Machine.LoadAverage());
            Console.WriteLine(Row("median", median));
        }

        Console.WriteLine();
        Console.WriteLine("write/raw = store write time / raw insert time of the same rows in the same run (raw excludes WKB and JSON serialisation, shown apart).");
        Console.WriteLine("CPU s = this process's user+system CPU time in that phase (less sensitive than wall time to other processes on the cores).");
        Console.WriteLine("peak working set is the process's peak so far (it never decreases across runs); the median row shows the maximum.");
        return 0;
    }

    private static string Row(string label, ImportRun r) => string.Create(CultureInfo.InvariantCulture,
        $"| {label} | {r.Features:N0} | {r.Generate:F2} | {r.Write:F2} | {r.Total:F2} | {r.GenerateCpu:F2} | {r.WriteCpu:F2} | {r.StoreBytes / 1e6:F0} | {r.RawBare:F2} | {r.RawIndexed:F2} | {r.Serialise:F2} | {r.Write / r.RawBare:F1} | {r.Write / r.RawIndexed:F1} | {r.ManagedHeapBytes / 1e6:F0} | {r.PeakWorkingSetBytes / 1e6:F0} | {r.Load} |");

    private static double Median(List<ImportRun> runs, Func<ImportRun, double> value)
    {
        var sorted = runs.Select(value).Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static async Task<ImportRun> RunOnceAsync(int scale, string work, CancellationToken ct)
    {
        var storePath = Path.Combine(work, "import.db");
        DeleteDatabase(storePath);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var city = DemoCityGenerator.Generate(new DemoCityOptions(scale, 1, s_referenceDate), GeometryServices);
        var generate = clock.Elapsed.TotalSeconds;
        var generateCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var managedHeap = GC.GetTotalMemory(forceFullCollection: false);

        cpu = Process.GetCurrentProcess().TotalProcessorTime;
        clock.Restart();
        var store = await SqliteTwinStore.OpenAsync(storePath, GeometryServices, ct);
        await using (store)
        {
            await using var transaction = await store.BeginAsync(ct);
            await DemoCityWriter.WriteAsync(city, transaction, progress: null, ct);
            await transaction.CommitAsync(ct);
        }

        var write = clock.Elapsed.TotalSeconds;
        var writeCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        SqliteConnection.ClearAllPools(); // closes the pooled connections, so the WAL is checkpointed into the file
        var storeBytes = FileBytes(storePath);

        // Serialise the same rows once, outside the raw timings: the raw inserts measure SQLite only.
        clock.Restart();
        var wkb = new WKBWriter();
        var rows = city.Features.Select(f => new RawRow(
            f.Collection, f.Id, f.Validity.From.ToUnixTimeMilliseconds(), f.Validity.To?.ToUnixTimeMilliseconds(), f.DatasetId,
            wkb.Write(f.Geometry), PropertyJson.Serialize(f.Properties), f.Geometry.EnvelopeInternal)).ToArray();
        var serialise = clock.Elapsed.TotalSeconds;

        var rawBare = RawInsert(Path.Combine(work, "raw-bare.db"), BareSchema, rows, withBbox: false);
        var rawIndexed = RawInsert(Path.Combine(work, "raw-indexed.db"), s_indexedSchema, rows, withBbox: true);
        var peak = Process.GetCurrentProcess().PeakWorkingSet64;
        DeleteDatabase(storePath);
        return new ImportRun(city.Features.Count, generate, write, generate + write, generateCpu, writeCpu, storeBytes, rawBare, rawIndexed, serialise, managedHeap, peak, Machine.LoadAverage());
    }

    /// <summary>Inserts every row with one prepared statement in one transaction into a fresh file; returns seconds.</summary>
    private static double RawInsert(string path, string schema, RawRow[] rows, bool withBbox)
    {
        DeleteDatabase(path);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString();
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            // The store's journal mode, write page cache (64 MB) and SQLite's default synchronous setting.
            setup.CommandText = "PRAGMA journal_mode=WAL; PRAGMA cache_size = -65536;" + schema;
            setup.ExecuteNonQuery();
        }

        var clock = Stopwatch.StartNew();
        using (var transaction = connection.BeginTransaction())
        {
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO features (collection, id, valid_from, valid_to, dataset_id, geometry, properties) VALUES ($c, $i, $f, $t, $d, $g, $p)";
            var parameters = new[] { "$c", "$i", "$f", "$t", "$d", "$g", "$p" }.Select(n => insert.Parameters.Add(new SqliteParameter { ParameterName = n })).ToArray();
            insert.Prepare();
            var trees = new Dictionary<string, (SqliteCommand Insert, SqliteParameter[] Box)>(StringComparer.Ordinal);
            foreach (var row in rows)
            {
                parameters[0].Value = row.Collection;
                parameters[1].Value = row.Id;
                parameters[2].Value = row.From;
                parameters[3].Value = row.To is { } to ? to : DBNull.Value;
                parameters[4].Value = row.Dataset;
                parameters[5].Value = row.Geometry;
                parameters[6].Value = row.Properties;
                insert.ExecuteNonQuery();
                if (withBbox)
                {
                    if (!trees.TryGetValue(row.Collection, out var tree))
                    {
                        using (var create = connection.CreateCommand())
                        {
                            create.Transaction = transaction;
                            create.CommandText = Tweeling.Storage.Sqlite.Schema.CreateBboxTable(row.Collection);
                            create.ExecuteNonQuery();
                        }

                        var bbox = connection.CreateCommand();
                        bbox.Transaction = transaction;
                        bbox.CommandText = $"INSERT INTO {Tweeling.Storage.Sqlite.Schema.BboxTable(row.Collection)} (fid, min_x, max_x, min_y, max_y, valid_from, valid_to, dataset_id) VALUES (last_insert_rowid(), $a, $b, $c, $d, $f, $g, $h)";
                        var parametersOfBox = new[] { "$a", "$b", "$c", "$d", "$f", "$g", "$h" }.Select(n => bbox.Parameters.Add(new SqliteParameter { ParameterName = n })).ToArray();
                        bbox.Prepare();
                        trees[row.Collection] = tree = (bbox, parametersOfBox);
                    }

                    var box = tree.Box;
                    box[0].Value = row.Envelope.MinX;
                    box[1].Value = row.Envelope.MaxX;
                    box[2].Value = row.Envelope.MinY;
                    box[3].Value = row.Envelope.MaxY;
                    box[4].Value = row.From;
                    box[5].Value = parameters[3].Value;
                    box[6].Value = row.Dataset;
                    tree.Insert.ExecuteNonQuery();
                }
            }

            foreach (var tree in trees.Values)
            {
                tree.Insert.Dispose();
            }

            transaction.Commit();
        }

        var seconds = clock.Elapsed.TotalSeconds;
        connection.Close();
        DeleteDatabase(path);
        return seconds;
    }

    private static long FileBytes(string path) =>
        new[] { path, path + "-wal" }.Where(File.Exists).Sum(p => new FileInfo(p).Length);

    public static void DeleteDatabase(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }

    private sealed record RawRow(string Collection, string Id, long From, long? To, string Dataset, byte[] Geometry, string Properties, Envelope Envelope);

    private sealed record ImportRun(
        long Features, double Generate, double Write, double Total, double GenerateCpu, double WriteCpu, double StoreBytes, double RawBare, double RawIndexed,
        double Serialise, double ManagedHeapBytes, long PeakWorkingSetBytes, string Load);
}
