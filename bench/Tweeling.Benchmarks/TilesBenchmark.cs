using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using NetTopologySuite.IO;
using Npgsql;
using NpgsqlTypes;
using Tweeling.Domain.Features;
using Tweeling.Domain.Geo;
using Tweeling.Server.Features.Ogc.Tiles;
using Tweeling.Storage.Sqlite;

namespace Tweeling.Benchmarks;

/// <summary>
/// The <c>tiles</c> verb: seeds a scale-1 demo city store, starts the server (tweeling.dll) as a separate
/// process, and loads <c>/ogc/collections/panden/tiles/WebMercatorQuad/{z}/{y}/{x}</c> with every z14–z16 tile
/// over the panden's extent, picked at random, from concurrent clients. In the same run it loads the same
/// panden (current versions, the same attributes, in EPSG:3857) into a PostGIS database it is given and
/// asks <c>ST_AsMVT</c> for the same tiles, from as many concurrent connections.
/// </summary>
/// <remarks>
/// The server is measured twice: first every tile once (nothing cached: each answer is an encode), then
/// random tiles for the run's duration (mostly from its tile cache, as a map's users meet it). PostGIS has no
/// tile cache, so each of its answers is an encode; its numbers leave out HTTP, which the server's include.
/// </remarks>
internal static class TilesBenchmark
{
    private const string PostgisQuery = """
        SELECT ST_AsMVT(t, 'panden', 4096, 'geom') FROM (
          SELECT id, bouwjaar, functie, hoogte, bouwlagen, woningen, woningtype, eigendom, buurtcode,
                 ST_AsMVTGeom(geom, ST_TileEnvelope($1, $2, $3), 4096, 64, true) AS geom
          FROM panden
          WHERE geom && ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096)
        ) t
        """;

    public static async Task<int> RunAsync(int clients, int warmupSeconds, int durationSeconds, string? postgres, string work, CancellationToken ct)
    {
        Directory.CreateDirectory(work);
        Console.WriteLine($"# tiles --clients {clients} --warmup {warmupSeconds} --duration {durationSeconds}{(postgres is null ? "" : " --postgres …")}");
#if DEBUG
        Console.WriteLine("WARNING: built in Debug; run with -c Release for numbers worth reporting.");
#endif
        Console.WriteLine(Machine.Describe());

        var storePath = Path.Combine(work, "tiles.db");
        var features = await ImportBenchmark.SeedAsync(storePath, scale: 1, ct);
        Console.WriteLine($"store:   {features:N0} features (demo city scale 1, seed 1)");
        var now = DateTimeOffset.UtcNow;
        var (panden, extent) = await ReadPandenAsync(storePath, now, ct);
        var tiles = TilesOver(extent, 14, 16);
        Console.WriteLine($"tiles:   {tiles.Count:N0} tiles at z14–z16 over the extent of {panden.Count:N0} current panden");

        await using var underLoad = await BenchServer.StartAsync(storePath, clients, TimeSpan.FromSeconds(60), ct);
        var (server, http) = (underLoad.Process, underLoad.Http);
        Console.WriteLine();
        Console.WriteLine("| source | requests | errors | empty | req/s | p50 ms | p90 ms | p99 ms | max ms | mean tile bytes | server CPU s | bench CPU s | load avg after |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");

        // The first tile builds the server's snapshot of the collection (read, decode, project, index): timed on its own.
        var first = Stopwatch.StartNew();
        var (primed, _) = await HttpTileAsync(http, tiles[0], ct);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| server, first tile after start (builds the snapshot of all panden versions) | 1 | {(primed ? 0 : 1)} | – | – | {first.Elapsed.TotalMilliseconds:F0} | – | – | – | – | – | – | {Machine.LoadAverage()} |"));

        // The loads start once the server's start-up work (the other collections' tile snapshots, the search index,
        // the scenario baseline: seconds of both cores) has ended, as in the other verbs: measured during it, the
        // server's CPU per tile included that work (0.42–0.54 ms a tile on 2026-12-02 against 0.18 ms before the
        // search index and scenario baseline joined the start-up work).
        var startUpWork = await BenchServer.WaitForStartUpWorkAsync(server, ct);
        var residentAfterStartUp = BenchServer.Resident(server.Id);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"server:  start-up work ended {startUpWork.TotalSeconds:F1} s after the first tile; the loads start after it"));

        // Each other tile once, in random order: every answer is encoded, none comes from the cache.
        var shuffle = new Random(1);
        var order = tiles.Skip(1).OrderBy(_ => shuffle.Next()).ToArray();
        var next = -1;
        var cold = await MeasureAsync(server, () => RunOnceEachAsync(clients, order, () => Interlocked.Increment(ref next), t => HttpTileAsync(http, t, ct)));
        Report("server, every tile once (no cache)", cold);

        await RunForAsync(clients, TimeSpan.FromSeconds(warmupSeconds), tiles, t => HttpTileAsync(http, t, ct));
        var warm = await MeasureAsync(server, () => RunForAsync(clients, TimeSpan.FromSeconds(durationSeconds), tiles, t => HttpTileAsync(http, t, ct)));
        Report("server, random tiles (cache warm)", warm);

        if (postgres is not null)
        {
            await using var dataSource = new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder(postgres) { MaxPoolSize = clients + 2 }.ConnectionString).Build();
            await LoadPostgisAsync(dataSource, panden, ct);
            var (version, _) = await PostgisTileAsync(dataSource, "SELECT postgis_full_version()", ct);
            await RunForAsync(clients, TimeSpan.FromSeconds(warmupSeconds), tiles, t => PostgisTileAsync(dataSource, t, ct));
            var postgis = await MeasureAsync(null, () => RunForAsync(clients, TimeSpan.FromSeconds(durationSeconds), tiles, t => PostgisTileAsync(dataSource, t, ct)));
            Report("PostGIS ST_AsMVT, random tiles", postgis);
            Console.WriteLine();
            Console.WriteLine($"postgis: {version}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ratio (same run): server warm req/s / PostGIS req/s = {warm.Result.Throughput / postgis.Result.Throughput:F1}; server no-cache req/s / PostGIS req/s = {cold.Result.Throughput / postgis.Result.Throughput:F1}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"target: throughput ≥ PostGIS ST_AsMVT on the same data: {(warm.Result.Throughput >= postgis.Result.Throughput && warm.Result.Errors + postgis.Result.Errors == 0 ? "met" : "NOT met")} ({warm.Result.Errors + postgis.Result.Errors} errors)"));
        }
        else
        {
            Console.WriteLine();
            Console.WriteLine("PostGIS: not measured (no --postgres connection string given).");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"target: p99 < 30 ms at {clients} clients (cache warm): {(warm.Result.Percentile(0.99) < 30 && warm.Result.Errors == 0 ? "met" : "NOT met")} (p99 = {warm.Result.Percentile(0.99):F2} ms, {warm.Result.Errors} errors)"));
        Console.WriteLine($"server resident memory: {residentAfterStartUp} when its start-up work had ended; peak during the loads {BenchServer.PeakResident(server.Id)} (VmHWM, reset then)");
        Console.WriteLine("latencies: closed loop (each client waits for its answer), client, server and PostgreSQL share the machine's cores.");

        return 0;
    }

    /// <summary>A WebMercatorQuad tile address.</summary>
    private readonly record struct TileAddress(int Zoom, long Row, long Column);

    /// <summary>A run's result with the CPU time the server process and this process spent on it.</summary>
    private sealed record Measured(TileLoad Result, TimeSpan ServerCpu, TimeSpan BenchCpu);

    /// <summary>Latencies (ms, sorted), elapsed time, errors, empty tiles and bytes of a tile load.</summary>
    private sealed record TileLoad(double[] Latencies, TimeSpan Elapsed, long Errors, long Empty, long Bytes)
    {
        public double Throughput => Latencies.Length / Elapsed.TotalSeconds;

        public double Percentile(double q) => Latencies.Length == 0 ? double.NaN : Latencies[Math.Max(0, (int)Math.Ceiling(q * Latencies.Length) - 1)];
    }

    private static void Report(string name, Measured measured)
    {
        var r = measured.Result;
        var answered = Math.Max(1, r.Latencies.Length - r.Errors - r.Empty);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {r.Latencies.Length:N0} | {r.Errors:N0} | {r.Empty:N0} | {r.Throughput:F0} | {r.Percentile(0.50):F2} | {r.Percentile(0.90):F2} | {r.Percentile(0.99):F2} | {(r.Latencies.Length == 0 ? double.NaN : r.Latencies[^1]):F1} | {r.Bytes / answered:N0} | {(measured.ServerCpu == TimeSpan.Zero ? "–" : measured.ServerCpu.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture))} | {measured.BenchCpu.TotalSeconds:F1} | {Machine.LoadAverage()} |"));
    }

    private static async Task<Measured> MeasureAsync(Process? server, Func<Task<TileLoad>> run)
    {
        server?.Refresh();
        var serverCpu = server?.TotalProcessorTime ?? TimeSpan.Zero;
        var benchCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var result = await run();
        server?.Refresh();
        return new Measured(result, (server?.TotalProcessorTime ?? TimeSpan.Zero) - serverCpu, Process.GetCurrentProcess().TotalProcessorTime - benchCpu);
    }

    /// <summary>Every tile in <paramref name="order"/> once, shared out over <paramref name="clients"/> closed-loop clients.</summary>
    private static async Task<TileLoad> RunOnceEachAsync(int clients, TileAddress[] order, Func<int> claim, Func<TileAddress, Task<(bool Ok, int Bytes)>> fetch)
    {
        var clock = Stopwatch.StartNew();
        var perClient = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            var result = new ClientLoad();
            for (var i = claim(); i < order.Length; i = claim())
            {
                await result.TimeAsync(() => fetch(order[i]));
            }

            return result;
        })));
        return Combine(perClient, clock.Elapsed);
    }

    /// <summary>Random tiles of <paramref name="tiles"/> for <paramref name="duration"/> from <paramref name="clients"/> closed-loop clients (seeded per client).</summary>
    private static async Task<TileLoad> RunForAsync(int clients, TimeSpan duration, IReadOnlyList<TileAddress> tiles, Func<TileAddress, Task<(bool Ok, int Bytes)>> fetch)
    {
        var clock = Stopwatch.StartNew();
        var perClient = await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var random = new Random(1000 + c);
            var result = new ClientLoad();
            while (clock.Elapsed < duration)
            {
                var tile = tiles[random.Next(tiles.Count)];
                await result.TimeAsync(() => fetch(tile));
            }

            return result;
        })));
        return Combine(perClient, clock.Elapsed);
    }

    private static TileLoad Combine(ClientLoad[] perClient, TimeSpan elapsed)
    {
        var latencies = perClient.SelectMany(c => c.Latencies).ToArray();
        Array.Sort(latencies);
        return new TileLoad(latencies, elapsed, perClient.Sum(c => c.Errors), perClient.Sum(c => c.Empty), perClient.Sum(c => c.Bytes));
    }

    private static async Task<(bool Ok, int Bytes)> HttpTileAsync(HttpClient http, TileAddress tile, CancellationToken ct)
    {
        using var response = await http.GetAsync($"/ogc/collections/panden/tiles/WebMercatorQuad/{tile.Zoom}/{tile.Row}/{tile.Column}", HttpCompletionOption.ResponseContentRead, ct);
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        return (response.IsSuccessStatusCode, body.Length);
    }

    private static async Task<(bool Ok, int Bytes)> PostgisTileAsync(NpgsqlDataSource dataSource, TileAddress tile, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(PostgisQuery);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = tile.Zoom });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)tile.Column });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)tile.Row });
        var body = (byte[]?)await command.ExecuteScalarAsync(ct);
        return (true, body?.Length ?? 0);
    }

    private static async Task<(string Text, int Bytes)> PostgisTileAsync(NpgsqlDataSource dataSource, string sql, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(sql);
        var text = (string?)await command.ExecuteScalarAsync(ct) ?? "";
        return (text, text.Length);
    }

    /// <summary>The current panden of the store, as the server tiles them: Web Mercator WKB with the tile attributes; and their CRS84 extent.</summary>
    private static async Task<(List<(Feature Feature, byte[] Wkb)> Panden, (double West, double South, double East, double North) Extent)> ReadPandenAsync(
        string storePath, DateTimeOffset now, CancellationToken ct)
    {
        var store = await SqliteTwinStore.OpenAsync(storePath, ImportBenchmark.GeometryServices, ct);
        await using (store)
        {
            var page = await store.QueryAsync(new FeatureQuery(TwinCollections.Panden, TemporalFilter.At(now), Limit: int.MaxValue), ct);
            var crs = new CrsTransformer(ImportBenchmark.GeometryServices);
            var writer = new WKBWriter();
            var panden = new List<(Feature, byte[])>(page.Items.Count);
            double west = 180, south = 90, east = -180, north = -90;
            foreach (var feature in page.Items)
            {
                var geometry = crs.Transform(feature.Geometry, Crs.Crs84Srid);
                var envelope = geometry.EnvelopeInternal;
                (west, south, east, north) = (Math.Min(west, envelope.MinX), Math.Min(south, envelope.MinY), Math.Max(east, envelope.MaxX), Math.Max(north, envelope.MaxY));
                geometry.Apply(new MercatorFilter());
                geometry.GeometryChanged();
                panden.Add((feature, writer.Write(geometry)));
            }

            SqliteConnection.ClearAllPools();
            return (panden, (west, south, east, north));
        }
    }

    /// <summary>Every tile of zoom levels <paramref name="from"/>–<paramref name="to"/> that intersects <paramref name="extent"/> (CRS84).</summary>
    private static List<TileAddress> TilesOver((double West, double South, double East, double North) extent, int from, int to)
    {
        var tiles = new List<TileAddress>();
        double minX = extent.West, minY = extent.South, maxX = extent.East, maxY = extent.North;
        WebMercatorQuad.FromCrs84(ref minX, ref minY);
        WebMercatorQuad.FromCrs84(ref maxX, ref maxY);
        for (var z = from; z <= to; z++)
        {
            var size = WebMercatorQuad.TileSize(z);
            for (var row = (long)((WebMercatorQuad.HalfWorld - maxY) / size); row <= (long)((WebMercatorQuad.HalfWorld - minY) / size); row++)
            {
                for (var column = (long)((minX + WebMercatorQuad.HalfWorld) / size); column <= (long)((maxX + WebMercatorQuad.HalfWorld) / size); column++)
                {
                    tiles.Add(new TileAddress(z, row, column));
                }
            }
        }

        return tiles;
    }

    /// <summary>
    /// Replaces table <c>panden</c> with the given panden (binary COPY), geometry EPSG:3857 with a GiST index, and
    /// analyses it, so the planner has what it needs.
    /// </summary>
    private static async Task LoadPostgisAsync(NpgsqlDataSource dataSource, List<(Feature Feature, byte[] Wkb)> panden, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = """
                CREATE EXTENSION IF NOT EXISTS postgis;
                DROP TABLE IF EXISTS panden;
                CREATE TABLE panden (id text PRIMARY KEY, bouwjaar bigint, functie text, hoogte double precision, bouwlagen bigint,
                  woningen bigint, woningtype text, eigendom text, buurtcode text, wkb bytea, geom geometry(Geometry, 3857));
                """;
            await create.ExecuteNonQueryAsync(ct);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY panden (id, bouwjaar, functie, hoogte, bouwlagen, woningen, woningtype, eigendom, buurtcode, wkb) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var (feature, wkb) in panden)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(feature.Id, NpgsqlDbType.Text, ct);
                await WholeAsync(copy, feature, "bouwjaar", ct);
                await TextAsync(copy, feature, "functie", ct);
                await RealAsync(copy, feature, "hoogte", ct);
                await WholeAsync(copy, feature, "bouwlagen", ct);
                await WholeAsync(copy, feature, "woningen", ct);
                await TextAsync(copy, feature, "woningtype", ct);
                await TextAsync(copy, feature, "eigendom", ct);
                await TextAsync(copy, feature, "buurtcode", ct);
                await copy.WriteAsync(wkb, NpgsqlDbType.Bytea, ct);
            }

            await copy.CompleteAsync(ct);
        }

        await using (var index = connection.CreateCommand())
        {
            index.CommandText = """
                UPDATE panden SET geom = ST_SetSRID(ST_GeomFromWKB(wkb), 3857);
                ALTER TABLE panden DROP COLUMN wkb;
                CREATE INDEX panden_geom ON panden USING gist (geom);
                ANALYZE panden;
                """;
            await index.ExecuteNonQueryAsync(ct);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"postgis: loaded {panden.Count:N0} panden (EPSG:3857, GiST index) in {clock.Elapsed.TotalSeconds:F1} s"));
    }

    private static Task WholeAsync(NpgsqlBinaryImporter copy, Feature feature, string name, CancellationToken ct) =>
        feature.Properties.GetValueOrDefault(name) is { } value
            ? copy.WriteAsync(Convert.ToInt64(value, CultureInfo.InvariantCulture), NpgsqlDbType.Bigint, ct)
            : copy.WriteNullAsync(ct);

    private static Task RealAsync(NpgsqlBinaryImporter copy, Feature feature, string name, CancellationToken ct) =>
        feature.Properties.GetValueOrDefault(name) is { } value
            ? copy.WriteAsync(Convert.ToDouble(value, CultureInfo.InvariantCulture), NpgsqlDbType.Double, ct)
            : copy.WriteNullAsync(ct);

    private static Task TextAsync(NpgsqlBinaryImporter copy, Feature feature, string name, CancellationToken ct) =>
        feature.Properties.GetValueOrDefault(name) is { } value
            ? copy.WriteAsync(Convert.ToString(value, CultureInfo.InvariantCulture)!, NpgsqlDbType.Text, ct)
            : copy.WriteNullAsync(ct);

    /// <summary>Per-client counts of a load run.</summary>
    private sealed class ClientLoad
    {
        public List<double> Latencies { get; } = new(capacity: 4096);

        public long Errors { get; private set; }

        public long Empty { get; private set; }

        public long Bytes { get; private set; }

        public async Task TimeAsync(Func<Task<(bool Ok, int Bytes)>> fetch)
        {
            var start = Stopwatch.GetTimestamp();
            var (ok, bytes) = await fetch();
            Latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            Bytes += bytes;
            Errors += ok ? 0 : 1;
            Empty += ok && bytes == 0 ? 1 : 0;
        }
    }

    /// <summary>Projects CRS84 positions to Web Mercator in place, with the server's own formula.</summary>
    private sealed class MercatorFilter : NetTopologySuite.Geometries.ICoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(NetTopologySuite.Geometries.CoordinateSequence seq, int i)
        {
            var x = seq.GetX(i);
            var y = seq.GetY(i);
            WebMercatorQuad.FromCrs84(ref x, ref y);
            seq.SetX(i, x);
            seq.SetY(i, y);
        }
    }
}
