using System.Diagnostics;
using System.Globalization;
using NetTopologySuite.Geometries;
using Npgsql;
using Tweeling.Domain.Features;
using Tweeling.Ingestion.DemoCity;
using Tweeling.Models.Accessibility;
using Tweeling.Models.City;
using Tweeling.Models.Facilities;
using Tweeling.Models.Graph;

namespace Tweeling.Benchmarks;

/// <summary>
/// The <c>bereikbaarheid</c> verb (issue 6, item 7): the walking and cycling distance from every dwelling of the
/// demo city to the nearest facility of each of 10 kinds, by the accessibility model, and in the same run by
/// pgRouting on the identical graph (<see cref="AccessibilityGraph"/>); checks that the distances agree.
/// </summary>
/// <remarks>
/// <para>
/// The demo city has nine <c>voorzieningen</c> kinds; the tenth, <see cref="OnRampKind"/>, is derived from the
/// road network: every point where a stroomweg meets a road that walking and cycling may use (CBS's
/// Nabijheidsstatistiek reports the distance to the nearest on-ramp of a main road among its traffic distances).
/// Every dwelling is its own <see cref="Dwelling"/> at a point inside its pand, as the BAG has one address per dwelling.
/// </para>
/// <para>
/// pgRouting is asked the exact way models.md §6 gives: per kind one <c>pgr_drivingDistance</c> from a vertex
/// joined to that kind's facilities by zero-length edges, over the whole graph (no distance limit), undirected
/// (walking and cycling use every link both ways), joined to the dwellings' vertices in SQL, so only their rows
/// travel. <c>pgr_drivingDistance</c> with many start vertices and <c>equicost</c> runs one search per facility and
/// returns some distances too long; <c>pgr_dijkstraCost</c> many-to-one is slower still (models.md §6).
/// </para>
/// <para>
/// The model's time is its whole run on the demo city's inputs: building the network, joining 10⁵ points to it,
/// ten searches and the per-dwelling and per-buurt outputs. pgRouting's is the ten queries on a loaded graph; the
/// load is timed apart. Both are measured after one unmeasured pass (JIT, caches).
/// </para>
/// </remarks>
internal static class AccessibilityBenchmark
{
    /// <summary>The derived tenth kind: where a stroomweg meets a road open to walking and cycling.</summary>
    public const string OnRampKind = "oprit-hoofdverkeersweg";

    /// <summary>Distances that differ by more than this, metres, count as a mismatch (1 cm).</summary>
    private const double Tolerance = 0.01;

    /// <summary>The ratio issue 6 asks of the model against pgRouting on the same graph.</summary>
    private const double TargetRatio = 10;

    private static readonly DateOnly s_referenceDate = new(2024, 1, 1);

    public static async Task<int> RunAsync(int scale, int runs, string? postgres, CancellationToken ct)
    {
        Console.WriteLine($"# bereikbaarheid --scale {scale} --runs {runs}{(postgres is null ? "" : " --postgres …")}");
#if DEBUG
        Console.WriteLine("WARNING: built in Debug; run with -c Release for numbers worth reporting.");
#endif
        Console.WriteLine(Machine.Describe());

        var (links, dwellings, facilities) = CityInputs(scale);
        var clock = Stopwatch.StartNew();
        var graph = AccessibilityGraph.Build(links, dwellings, facilities);
        clock.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"city:    demo city scale {scale} (seed 1): {links.Count:N0} road links, {dwellings.Count:N0} dwellings, {facilities.Count:N0} facilities of {graph.Kinds.Count} kinds"));
        Console.WriteLine("kinds:   " + string.Join(", ", graph.Kinds.Select(k => $"{k} ({facilities.Count(f => f.Kind == k)})")));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"graph:   {graph.VertexCount:N0} vertices, {graph.Edges.Count:N0} undirected edges ({graph.Edges.Sum(e => e.Metres) / 1_000:N1} km), exported in {clock.Elapsed.TotalMilliseconds:F0} ms"));
        Console.WriteLine();
        Console.WriteLine("| engine | pass | wall ms | CPU ms | load avg after |");
        Console.WriteLine("|---|---|---|---|---|");

        DwellingDistanceTable? ours = null;
        var modelPasses = new List<(TimeSpan Wall, TimeSpan Cpu)>();
        for (var pass = 0; pass <= runs; pass++)
        {
            // New lists each pass: the model keeps its network and the dwellings' joins beside the lists it saw
            // (AccessibilityModel.ActiveModeNetwork), and each pass must build them, as pgRouting builds its graph per query.
            var measured = Measure(() => ours = RunModel([.. links], [.. dwellings], facilities, ct));
            Row("model (AccessibilityModel.Run)", pass, measured);
            if (pass > 0)
            {
                modelPasses.Add(measured);
            }
        }

        var model = Median(modelPasses);
        Row("model (AccessibilityModel.Run)", "median", model);
        if (postgres is null)
        {
            Console.WriteLine();
            Console.WriteLine("pgRouting: not measured (no --postgres connection string given; bench/accessibility.sh sets one up).");
            return 0;
        }

        await using var dataSource = NpgsqlDataSource.Create(postgres);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var versions = await ScalarAsync(connection, "CREATE EXTENSION IF NOT EXISTS pgrouting CASCADE; SELECT version() || '; pgRouting ' || pgr_version()", ct);
        var backend = int.Parse(await ScalarAsync(connection, "SELECT pg_backend_pid()::text", ct), CultureInfo.InvariantCulture);
        var load = await LoadAsync(connection, graph, ct);

        Dictionary<(int Dwelling, int Kind), double> theirs = [];
        var pgPasses = new List<(TimeSpan Wall, TimeSpan Cpu)>();
        for (var pass = 0; pass <= runs; pass++)
        {
            Dictionary<(int, int), double> result = [];
            var measured = await MeasureAsync(() => QueryAsync(connection, graph, result, ct), backend);
            Row("pgRouting (pgr_drivingDistance from a vertex joined to the kind's facilities)", pass, measured);
            theirs = result;
            if (pass > 0)
            {
                pgPasses.Add(measured);
            }
        }

        var pg = Median(pgPasses);
        Row("pgRouting (pgr_drivingDistance from a vertex joined to the kind's facilities)", "median", pg);
        Console.WriteLine();
        Console.WriteLine($"postgres: {versions}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"pgRouting graph load (COPY, index, ANALYZE; not in its times): {load.TotalMilliseconds:F0} ms"));
        Agreement(ours!, graph, theirs);
        var wallRatio = pg.Wall / model.Wall;
        var cpuRatio = pg.Cpu / model.Cpu;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratio (same run, medians): pgRouting wall / model wall = {wallRatio:F1}; pgRouting backend CPU / model process CPU = {cpuRatio:F1}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"target: model ≥ {TargetRatio:F0}× faster than pgRouting on the same graph: wall {(wallRatio >= TargetRatio ? "met" : "NOT met")}, CPU {(cpuRatio >= TargetRatio ? "met" : "NOT met")}"));
        Console.WriteLine("CPU: the model's is its process's (all threads, GC included); pgRouting's is its backend process's (/proc/<pid>/stat), client decoding not included.");
        return 0;
    }

    /// <summary>The demo city's road links, dwellings (one per woning) and facilities (9 kinds and the derived on-ramps) as the model reads them.</summary>
    private static (List<RoadLink> Links, List<Dwelling> Dwellings, List<Facility> Facilities) CityInputs(int scale)
    {
        var city = DemoCityGenerator.Generate(new DemoCityOptions(scale, 1, s_referenceDate), ImportBenchmark.GeometryServices);
        var now = DateTimeOffset.UtcNow;
        var current = city.Features.Where(f => f.Validity.Contains(now)).ToLookup(f => f.Collection, StringComparer.Ordinal);

        var links = current[TwinCollections.Wegvakken].Select(f => new RoadLink(
            f.Id,
            (LineString)f.Geometry,
            Text(f, "wegklasse") switch
            {
                "stroomweg" => RoadClass.Stroomweg,
                "gebiedsontsluitingsweg" => RoadClass.Gebiedsontsluitingsweg,
                "erftoegangsweg" => RoadClass.Erftoegangsweg,
                "fietspad" => RoadClass.Fietspad,
                var other => throw new InvalidDataException($"Wegvak '{f.Id}' has an unknown wegklasse '{other}'."),
            },
            f.Properties.GetValueOrDefault("maximumsnelheid") is { } speed ? Convert.ToDouble(speed, CultureInfo.InvariantCulture) : null,
            Text(f, "richting") != "beide")).ToList();

        var dwellings = new List<Dwelling>();
        foreach (var pand in current[TwinCollections.Panden])
        {
            var count = Convert.ToInt32(pand.Properties.GetValueOrDefault("woningen") ?? 0L, CultureInfo.InvariantCulture);
            var at = pand.Geometry.InteriorPoint;
            for (var n = 1; n <= count; n++)
            {
                dwellings.Add(new Dwelling($"{pand.Id}-{n}", at, Text(pand, "buurtcode")));
            }
        }

        var facilities = current[TwinCollections.Voorzieningen].Select(f => new Facility(
            f.Id, Text(f, "type"), (Point)f.Geometry, Convert.ToDouble(f.Properties["capaciteit"], CultureInfo.InvariantCulture), Text(f, "capaciteitseenheid"))).ToList();
        facilities.AddRange(OnRamps(links));
        return (links, dwellings, facilities);
    }

    /// <summary>The end points of stroomwegen that are also end points of links walking and cycling may use.</summary>
    private static IEnumerable<Facility> OnRamps(List<RoadLink> links)
    {
        static (long, long) Key(Coordinate c) => ((long)Math.Round(c.X * 1_000), (long)Math.Round(c.Y * 1_000));
        var open = links.Where(l => AccessibilityModel.Allows(TravelMode.Walk, l))
            .SelectMany(l => new[] { Key(l.Geometry.StartPoint.Coordinate), Key(l.Geometry.EndPoint.Coordinate) })
            .ToHashSet();
        return links.Where(l => l.Class == RoadClass.Stroomweg)
            .SelectMany(l => new[] { l.Geometry.StartPoint, l.Geometry.EndPoint })
            .Where(p => open.Contains(Key(p.Coordinate)))
            .DistinctBy(p => Key(p.Coordinate))
            .Select((p, i) => new Facility($"OPRIT-{i + 1}", OnRampKind, p, 1, "oprit"));
    }

    private static string Text(Feature feature, string name) =>
        Convert.ToString(feature.Properties.GetValueOrDefault(name), CultureInfo.InvariantCulture) ?? "";

    private static DwellingDistanceTable RunModel(List<RoadLink> links, List<Dwelling> dwellings, List<Facility> facilities, CancellationToken ct)
    {
        var outputs = ModelRun.Execute(
            new AccessibilityModel(),
            new Dictionary<string, object>
            {
                [AccessibilityPorts.RoadLinks.Name] = (IReadOnlyList<RoadLink>)links,
                [AccessibilityPorts.Dwellings.Name] = (IReadOnlyList<Dwelling>)dwellings,
                [FacilitiesPorts.Facilities.Name] = (IReadOnlyList<Facility>)facilities,
                [AccessibilityPorts.IsochroneRequests.Name] = (IReadOnlyList<IsochroneRequest>)[],
            },
            seed: 0,
            ct);
        return (DwellingDistanceTable)outputs[AccessibilityPorts.DwellingDistances.Name];
    }

    /// <summary>
    /// Replaces the tables <c>bereikbaarheid_edges</c> (the graph, vertex ids + 1, since pgRouting wants them
    /// positive), <c>bereikbaarheid_starts</c> (per kind, zero-length edges from the start vertex to its facilities)
    /// and <c>bereikbaarheid_dwellings</c> (dwelling index → vertex), by binary COPY.
    /// </summary>
    private static async Task<TimeSpan> LoadAsync(NpgsqlConnection connection, AccessibilityGraph graph, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await ExecuteAsync(connection, """
            DROP TABLE IF EXISTS bereikbaarheid_edges, bereikbaarheid_starts, bereikbaarheid_dwellings;
            CREATE TABLE bereikbaarheid_edges (id bigint PRIMARY KEY, source bigint NOT NULL, target bigint NOT NULL, cost double precision NOT NULL);
            CREATE TABLE bereikbaarheid_starts (kind text NOT NULL, id bigint PRIMARY KEY, source bigint NOT NULL, target bigint NOT NULL, cost double precision NOT NULL);
            CREATE TABLE bereikbaarheid_dwellings (dwelling integer PRIMARY KEY, vid bigint NOT NULL);
            """, ct);
        await using (var copy = await connection.BeginBinaryImportAsync("COPY bereikbaarheid_edges (id, source, target, cost) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var e = 0; e < graph.Edges.Count; e++)
            {
                var edge = graph.Edges[e];
                await copy.WriteRowAsync(ct, (long)e + 1, (long)edge.Source + 1, (long)edge.Target + 1, edge.Metres);
            }

            await copy.CompleteAsync(ct);
        }

        await using (var copy = await connection.BeginBinaryImportAsync("COPY bereikbaarheid_starts (kind, id, source, target, cost) FROM STDIN (FORMAT BINARY)", ct))
        {
            var id = (long)graph.Edges.Count;
            for (var k = 0; k < graph.Kinds.Count; k++)
            {
                foreach (var facility in graph.FacilityVertices[k])
                {
                    await copy.WriteRowAsync(ct, graph.Kinds[k], ++id, StartVertex(graph), (long)facility + 1, 0.0);
                }
            }

            await copy.CompleteAsync(ct);
        }

        await using (var copy = await connection.BeginBinaryImportAsync("COPY bereikbaarheid_dwellings (dwelling, vid) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var d = 0; d < graph.DwellingVertices.Count; d++)
            {
                if (graph.DwellingVertices[d] is { } vertex)
                {
                    await copy.WriteRowAsync(ct, d, (long)vertex + 1);
                }
            }

            await copy.CompleteAsync(ct);
        }

        await ExecuteAsync(connection, """
            CREATE INDEX ON bereikbaarheid_starts (kind);
            CREATE INDEX ON bereikbaarheid_dwellings (vid);
            ANALYZE bereikbaarheid_edges, bereikbaarheid_starts, bereikbaarheid_dwellings;
            """, ct);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"pgRouting: loaded {graph.VertexCount:N0} vertices, {graph.Edges.Count:N0} edges, start edges of {graph.Kinds.Count} kinds"));
        return clock.Elapsed;
    }

    /// <summary>The vertex joined to a kind's facilities: one past the graph's (pgRouting) ids.</summary>
    private static long StartVertex(AccessibilityGraph graph) => graph.VertexCount + 1L;

    /// <summary>Per kind, one pgr_drivingDistance over the graph and the kind's start edges; fills (dwelling, kind) → metres.</summary>
    private static async Task QueryAsync(NpgsqlConnection connection, AccessibilityGraph graph, Dictionary<(int, int), double> result, CancellationToken ct)
    {
        for (var k = 0; k < graph.Kinds.Count; k++)
        {
            // The kind is a literal in the edges query pgRouting runs itself; quote_literal keeps it one.
            await using var command = new NpgsqlCommand("""
                SELECT w.dwelling, r.agg_cost
                FROM pgr_drivingDistance(
                  'SELECT id, source, target, cost FROM bereikbaarheid_edges
                   UNION ALL SELECT id, source, target, cost FROM bereikbaarheid_starts WHERE kind = ' || quote_literal($1),
                  $2, 'Infinity'::double precision, directed => false) r
                JOIN bereikbaarheid_dwellings w ON w.vid = r.node
                """, connection);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = graph.Kinds[k] });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = StartVertex(graph) });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                result[(reader.GetInt32(0), k)] = reader.GetDouble(1);
            }
        }
    }

    /// <summary>Compares the model's walking distances with pgRouting's, dwelling by dwelling and kind by kind.</summary>
    private static void Agreement(DwellingDistanceTable ours, AccessibilityGraph graph, Dictionary<(int Dwelling, int Kind), double> theirs)
    {
        long compared = 0, mismatches = 0, onlyOurs = 0, onlyTheirs = 0, neither = 0;
        var maxDifference = 0.0;
        for (var k = 0; k < graph.Kinds.Count; k++)
        {
            // The model's kinds are the graph's (both AccessibilityModel.KindsOf), dwellings in the same input order.
            var metres = ours.WalkMetres(ours.IndexOfKind(graph.Kinds[k]));
            for (var d = 0; d < ours.Dwellings.Count; d++)
            {
                var found = theirs.TryGetValue((d, k), out var their);
                if (!double.IsFinite(metres[d]))
                {
                    (onlyTheirs, neither) = found ? (onlyTheirs + 1, neither) : (onlyTheirs, neither + 1);
                    continue;
                }

                if (!found)
                {
                    onlyOurs++;
                    continue;
                }

                compared++;
                var difference = Math.Abs(metres[d] - their);
                maxDifference = Math.Max(maxDifference, difference);
                mismatches += difference > Tolerance ? 1 : 0;
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"agreement: {compared:N0} dwelling × kind distances compared; max |model − pgRouting| = {maxDifference:G3} m; beyond 1 cm: {mismatches:N0}; "
            + $"reached by the model only: {onlyOurs:N0}, by pgRouting only: {onlyTheirs:N0}, by neither: {neither:N0}"));
        Console.WriteLine($"agreement: {(mismatches == 0 && onlyOurs == 0 && onlyTheirs == 0 ? "the distances agree" : "the distances DO NOT agree")}");
    }

    private static (TimeSpan Wall, TimeSpan Cpu) Measure(Action action)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        action();
        wall.Stop();
        return (wall.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu);
    }

    private static async Task<(TimeSpan Wall, TimeSpan Cpu)> MeasureAsync(Func<Task> action, int backend)
    {
        var cpu = BackendCpu(backend);
        var wall = Stopwatch.StartNew();
        await action();
        wall.Stop();
        return (wall.Elapsed, BackendCpu(backend) - cpu);
    }

    /// <summary>A local PostgreSQL backend's user + system CPU time, from /proc/&lt;pid&gt;/stat (fields 14 and 15, in clock ticks of 1/100 s on Linux).</summary>
    private static TimeSpan BackendCpu(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    private static (TimeSpan Wall, TimeSpan Cpu) Median(List<(TimeSpan Wall, TimeSpan Cpu)> passes) =>
        (passes.Select(p => p.Wall).Order().ElementAt(passes.Count / 2), passes.Select(p => p.Cpu).Order().ElementAt(passes.Count / 2));

    private static void Row(string engine, int pass, (TimeSpan Wall, TimeSpan Cpu) measured) =>
        Row(engine, pass == 0 ? "0 (warm-up, not counted)" : pass.ToString(CultureInfo.InvariantCulture), measured);

    private static void Row(string engine, string pass, (TimeSpan Wall, TimeSpan Cpu) measured) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {engine} | {pass} | {measured.Wall.TotalMilliseconds:F0} | {measured.Cpu.TotalMilliseconds:F0} | {Machine.LoadAverage()} |"));

    private static async Task<string> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToString(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) ?? "";
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
