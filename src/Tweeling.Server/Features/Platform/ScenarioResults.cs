using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Scenarios;
using Tweeling.Governance.Audit;
using Tweeling.Models.City;
using Tweeling.Models.Results;
using Tweeling.Server.Features.Ogc.Tiles;
using Tweeling.Server.Hosting;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.Platform;

/// <summary>
/// The results of a scenario version (issue 6 item 4): running it, its values per indicator and area (baseline,
/// scenario, delta) as JSON and GeoJSON, grids, delta tiles, the impact matrix, the comparison of two scenarios and
/// the HTML report. Every answer comes from <see cref="ScenarioResultsCache"/>: one run per (version, seed), shared.
/// </summary>
/// <remarks>
/// Access: running (<c>POST …/doorrekening</c>) is for analists and beheerders, as writing scenarios is: it is the
/// deliberate, audited action that spends the server's time. Every signed-in role reads results, as it reads
/// scenarios; a read of a version that has not run yet runs it, because results are a pure function of the stored
/// version and seed — a shared link to a report works after a restart too.
/// </remarks>
internal static class ScenarioResults
{
    /// <summary>The seed when the request names none.</summary>
    public const int DefaultSeed = 1;

    /// <summary><c>POST /scenarios/{id}/versies/{versie}/doorrekening</c>: runs the version; 201 for a new run, 200 when it had run.</summary>
    public static async Task<IResult> Run(
        string id, string versie, HttpContext http, IScenarioStore scenarios, ScenarioResultsCache cache, IAuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var ((scenario, seed, run, fresh), problem) = await ResolveRunAsync(new(id, versie, http, scenarios, cache), cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var table = ScenarioResultsTable.From(run);
        var root = PlatformApi.Root(http.Request);
        var links = ResultLinks.For(root, scenario, seed, $"{root}/scenarios/{scenario.ScenarioId}/versies/{scenario.Version}/doorrekening");
        var view = new ScenarioRunView(
            ScenarioRef.From(scenario), seed, Hashes(run), run.Outcome.ModelVersions, run.ModelsRan, Math.Round(run.Elapsed.TotalMilliseconds, 1),
            [.. table.Indicators.Select(ResultIndicatorView.From)],
            [.. table.Indicators.Select(i => table.Municipality(i.Id)).OfType<ResultRow>().Select(ResultValueView.From)],
            links);
        await audit.AppendAsync(AuditEntries.For(ReadAccess.CallerOf(http), time.GetUtcNow(), "run", $"POST {http.Request.Path}", table.Indicators.Count, "indicators"), cancellationToken);
        return fresh ? TypedResults.Created(links.Resultaten.Href, view) : TypedResults.Ok(view);
    }

    /// <summary><c>GET …/resultaten</c>: values per indicator and area, JSON or (by <c>formaat</c> or <c>Accept</c>) GeoJSON of the buurten.</summary>
    public static async Task<IResult> Results(
        string id, string versie, HttpContext http, IScenarioStore scenarios, ScenarioResultsCache cache, ScenarioResultsBuurten outlines, ReadAccess access,
        CrsTransformer crs, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        var format = query.TryGetValue("formaat", out var asked) ? asked.ToString()
            : http.Request.Headers.Accept.ToString().Contains(Dashboards.GeoJsonMediaType, StringComparison.OrdinalIgnoreCase) ? "geojson" : "json";
        var formatProblem = format is "json" or "geojson" ? null : ProblemType.InvalidParameter.With($"'formaat' must be json or geojson; got '{asked}'.");
        var (indicators, indicatorProblem) = Indicators(query, cache.Indicators);
        var ((scenario, seed, run, _), problem) = await ResolveRunAsync(
            new(id, versie, http, scenarios, cache, ["indicator", "gebied", "formaat"], formatProblem ?? indicatorProblem), cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var table = ScenarioResultsTable.From(run);
        var (areas, areaProblem) = Areas(query, table);
        if (areaProblem is not null)
        {
            return areaProblem;
        }

        var root = PlatformApi.Root(http.Request);
        var self = $"{root}{http.Request.Path.Value![PlatformApi.Prefix.Length..]}{http.Request.QueryString}";
        var view = new ScenarioResultsView(
            ScenarioRef.From(scenario), seed, Hashes(run), run.Outcome.ModelVersions,
            [.. table.Indicators.Where(i => indicators.Contains(i.Id)).Select(ResultIndicatorView.From)],
            [.. indicators.SelectMany(table.Rows).Where(r => areas is null || areas.Contains(r.Area)).Select(ResultValueView.From)],
            [.. run.Outcome.Grids.Where(g => indicators.Contains(g.Indicator)).Select(g => new GridLinkView(g.Indicator, $"{VersionPath(root, scenario)}/resultaten/rasters/{Uri.EscapeDataString(g.Indicator)}{SeedQuery(seed)}"))],
            ResultLinks.For(root, scenario, seed, self));
        if (format == "json")
        {
            return TypedResults.Ok(view);
        }

        var buurten = (await outlines.ReadAsync(http, access, scenario.ReferenceDate, cancellationToken)).Buurten
            .Where(b => areas is null || areas.Contains(b.Id)).ToList();
        return TypedResults.Bytes(ScenarioResultsGeo.GeoJson(view, table, indicators, buurten, crs), Dashboards.GeoJsonMediaType);
    }

    /// <summary><c>GET …/resultaten/rasters/{indicator}</c>: one indicator's grid, baseline, scenario and delta.</summary>
    public static async Task<IResult> Grid(
        string id, string versie, string indicator, HttpContext http, IScenarioStore scenarios, ScenarioResultsCache cache, CancellationToken cancellationToken)
    {
        var (resolved, problem) = await ResolveRunAsync(new(id, versie, http, scenarios, cache), cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var run = resolved.Run;
        var after = run.Outcome.Grids.FirstOrDefault(g => g.Indicator == indicator);
        var before = run.Baseline.Grids.FirstOrDefault(g => g.Indicator == indicator);
        if (after is null)
        {
            var known = string.Join(", ", run.Outcome.Grids.Select(g => g.Indicator));
            return ProblemType.NotFound.With($"Indicator '{indicator}' has no grid; those with one: {(known.Length == 0 ? "none" : known)}.");
        }

        // A grid of the same extent and cell size on both sides has a delta per cell; the runner keeps grids fixed per city.
        var aligned = before is not null && before.OriginX == after.OriginX && before.OriginY == after.OriginY && before.CellSize == after.CellSize
            && before.Columns == after.Columns && before.Rows == after.Rows;
        IReadOnlyList<double?> Cells(GridLayer? grid) => grid is null ? [] : [.. grid.Values.Select(v => double.IsFinite(v) ? v : (double?)null)];
        return TypedResults.Ok(new GridResultView(
            indicator, "EPSG:28992", after.OriginX, after.OriginY, after.CellSize, after.Columns, after.Rows,
            aligned ? Cells(before) : [], Cells(after),
            aligned ? [.. before!.Values.Zip(after.Values, (b, s) => double.IsFinite(b) && double.IsFinite(s) ? s - b : (double?)null)] : []));
    }

    /// <summary><c>GET …/resultaten/tiles/WebMercatorQuad/{z}/{y}/{x}?indicator=</c>: the buurten with one indicator's delta as a vector tile.</summary>
    public static async Task<IResult> Tile(
        string id, string versie, string tileMatrixSetId, string tileMatrix, string tileRow, string tileCol, HttpContext http, IScenarioStore scenarios,
        ScenarioResultsCache cache, ScenarioResultsBuurten outlines, ReadAccess access, CancellationToken cancellationToken)
    {
        var (zoom, row, column, tileProblem) = tileMatrixSetId == WebMercatorQuad.Id
            ? ScenarioResultsGeo.ParseTile(tileMatrix, tileRow, tileCol)
            : (0, 0, 0, ProblemType.NotFound.With($"There is no tile matrix set '{tileMatrixSetId}'; tiles are served in {WebMercatorQuad.Id}."));
        var indicator = http.Request.Query.TryGetValue("indicator", out var asked) ? asked.ToString() : "";
        var indicatorProblem = indicator.Length == 0
            ? ProblemType.InvalidParameter.With("'indicator' is required: a tile shows the delta of one indicator.")
            : cache.Indicators.All(i => i.Id != indicator)
                ? ProblemType.InvalidParameter.With($"'indicator' must be one of {string.Join(", ", cache.Indicators.Select(i => i.Id))}; got '{indicator}'.")
                : null;
        var ((scenario, _, run, _), problem) = await ResolveRunAsync(
            new(id, versie, http, scenarios, cache, ["indicator"], tileProblem ?? indicatorProblem), cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var buurten = await outlines.ReadAsync(http, access, scenario.ReferenceDate, cancellationToken);
        return new TileResult(ScenarioResultsGeo.Tile(ScenarioResultsTable.From(run), indicator, buurten, zoom, row, column));
    }

    /// <summary><c>GET …/impactmatrix</c>.</summary>
    public static async Task<IResult> Impact(string id, string versie, HttpContext http, IScenarioStore scenarios, ScenarioResultsCache cache, CancellationToken cancellationToken)
    {
        var ((scenario, seed, run, _), problem) = await ResolveRunAsync(new(id, versie, http, scenarios, cache), cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var root = PlatformApi.Root(http.Request);
        var matrix = ScenarioResultsImpact.Matrix(ScenarioResultsTable.From(run));
        return TypedResults.Ok(new ImpactMatrixView(
            ScenarioRef.From(scenario), seed, Hashes(run), ScenarioResultsImpact.Threshold, ImpactMatrixView.Domains(matrix),
            ResultLinks.For(root, scenario, seed, $"{VersionPath(root, scenario)}/impactmatrix{SeedQuery(seed)}")));
    }

    /// <summary><c>GET /scenarios/vergelijking?a={id}:{versie}&amp;b={id}:{versie}</c>: two versions over the same reference date.</summary>
    public static async Task<IResult> Compare(HttpContext http, IScenarioStore scenarios, ScenarioResultsCache cache, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        if (PlatformApi.RejectUnknown(query, "a", "b", "seed", "indicator", "gebied") is { } unknown)
        {
            return unknown;
        }

        var (seed, seedProblem) = Seed(query);
        if (seedProblem is not null)
        {
            return seedProblem;
        }

        var resolved = new List<ScenarioVersion>(2);
        foreach (var side in new[] { "a", "b" })
        {
            var text = query.TryGetValue(side, out var value) ? value.ToString() : "";
            var parts = text.Split(':');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                return ProblemType.InvalidParameter.With($"'{side}' is required as {{id}}:{{versie}}, e.g. 3:2; got '{text}'.");
            }

            if (await Scenarios.FindAsync(parts[0], parts[1], scenarios, cancellationToken) is not { } found)
            {
                return ProblemType.NotFound.With($"'{side}': there is no version '{parts[1]}' of scenario '{parts[0]}'.");
            }

            resolved.Add(found);
        }

        var (a, b) = (resolved[0], resolved[1]);
        if (a.ReferenceDate != b.ReferenceDate)
        {
            return ProblemType.InvalidParameter.With(
                $"'a' and 'b' must share a reference date to be compared over one baseline; a has {a.ReferenceDate:yyyy-MM-dd}, b has {b.ReferenceDate:yyyy-MM-dd}.");
        }

        var (indicators, indicatorProblem) = Indicators(query, cache.Indicators);
        if (indicatorProblem is not null)
        {
            return indicatorProblem;
        }

        // Both runs at once: each is cached and coalesced on its own.
        var runs = await Task.WhenAll(RunAsync(cache, a, seed, cancellationToken), RunAsync(cache, b, seed, cancellationToken));
        if (runs.Select(r => r.Problem).FirstOrDefault(p => p is not null) is { } notRunnable)
        {
            return notRunnable;
        }

        var (tableA, tableB) = (ScenarioResultsTable.From(runs[0].Run), ScenarioResultsTable.From(runs[1].Run));

        var (areas, areaProblem) = Areas(query, tableA);
        if (areaProblem is not null)
        {
            return areaProblem;
        }

        var values = new List<ComparisonValueView>();
        foreach (var indicator in indicators)
        {
            var rowsB = tableB.Rows(indicator).ToDictionary(r => r.Area, StringComparer.Ordinal);
            foreach (var rowA in tableA.Rows(indicator).Where(r => areas is null || areas.Contains(r.Area)))
            {
                var rowB = rowsB.GetValueOrDefault(rowA.Area);
                var valueB = rowB?.Scenario;
                values.Add(new ComparisonValueView(
                    indicator, rowA.Area, rowA.Baseline, rowA.Scenario, valueB, rowA.Delta,
                    rowA.Baseline is { } basis && valueB is { } vb ? vb - basis : null,
                    rowA.Scenario is { } va && valueB is { } vb2 ? vb2 - va : null));
            }
        }

        var root = PlatformApi.Root(http.Request);
        return TypedResults.Ok(new ComparisonView(
            ScenarioRef.From(a), ScenarioRef.From(b), a.ReferenceDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), seed, Hashes(runs[0].Run), Hashes(runs[1].Run),
            [.. tableA.Indicators.Where(i => indicators.Contains(i.Id)).Select(ResultIndicatorView.From)], values,
            new PlatformApi.Link($"{root}/scenarios/vergelijking{http.Request.QueryString}")));
    }

    /// <summary><c>GET …/rapport</c>: the HTML report for a council member.</summary>
    public static async Task<IResult> Report(
        string id, string versie, HttpContext http, IScenarioStore scenarios, ScenarioResultsCache cache, ScenarioResultsBuurten outlines, ReadAccess access,
        CancellationToken cancellationToken)
    {
        var ((scenario, _, run, _), problem) = await ResolveRunAsync(new(id, versie, http, scenarios, cache), cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var buurten = (await outlines.ReadAsync(http, access, scenario.ReferenceDate, cancellationToken)).Buurten;
        var html = ScenarioResultsReport.Render(run, ScenarioResultsTable.From(run), buurten);
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    /// <summary>
    /// The run of <paramref name="scenario"/> from the cache; a 409 problem when the version does not fit the city at its
    /// reference date (then <c>Run</c> is not set: callers read it only when there is no problem).
    /// </summary>
    private static async Task<(ScenarioRun Run, bool Fresh, ProblemHttpResult? Problem)> RunAsync(
        ScenarioResultsCache cache, ScenarioVersion scenario, int seed, CancellationToken cancellationToken)
    {
        try
        {
            var (run, fresh) = await cache.RunAsync(scenario, seed, cancellationToken);
            return (run, fresh, null);
        }
        catch (ScenarioInputException e)
        {
            return (null!, false, ProblemType.ScenarioNotRunnable.With(
                $"Version {scenario.Version} of scenario {scenario.ScenarioId} cannot be run against the city of {scenario.ReferenceDate:yyyy-MM-dd}: {e.Message}"));
        }
    }

    /// <summary>What <see cref="ResolveRunAsync"/> reads: the route's version, the query parameters the endpoint accepts besides <c>seed</c>, and the endpoint's verdict on them.</summary>
    private sealed record RunRequest(
        string Id, string Versie, HttpContext Http, IScenarioStore Scenarios, ScenarioResultsCache Cache, string[]? Parameters = null, ProblemHttpResult? QueryProblem = null);

    /// <summary>A resolved version with its seed and run; <c>Fresh</c> when this request started the run.</summary>
    private readonly record struct ResolvedRun(ScenarioVersion Scenario, int Seed, ScenarioRun Run, bool Fresh);

    private static ResultHashes Hashes(ScenarioRun run) => new(run.Baseline.ResultHash, run.Outcome.ResultHash);

    private static string VersionPath(string root, ScenarioVersion s) => $"{root}/scenarios/{s.ScenarioId}/versies/{s.Version}";

    private static string SeedQuery(int seed) => seed == DefaultSeed ? "" : $"?seed={seed.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// The version a request names, its seed and its run, or the first problem in this order: a query parameter the
    /// endpoint does not know (400), the seed (400), a version that does not exist (404), the endpoint's own
    /// <see cref="RunRequest.QueryProblem"/>, and a version that does not fit the city (409). The run comes last, so a
    /// bad request never spends the server's time.
    /// </summary>
    private static async Task<(ResolvedRun Resolved, ProblemHttpResult? Problem)> ResolveRunAsync(RunRequest request, CancellationToken cancellationToken)
    {
        var query = request.Http.Request.Query;
        if (PlatformApi.RejectUnknown(query, ["seed", .. request.Parameters ?? []]) is { } unknown)
        {
            return (default, unknown);
        }

        var (seed, seedProblem) = Seed(query);
        if (seedProblem is not null)
        {
            return (default, seedProblem);
        }

        if (await Scenarios.FindAsync(request.Id, request.Versie, request.Scenarios, cancellationToken) is not { } scenario)
        {
            return (default, ProblemType.NotFound.With($"There is no version '{request.Versie}' of scenario '{request.Id}'."));
        }

        if (request.QueryProblem is not null)
        {
            return (default, request.QueryProblem);
        }

        var (run, fresh, notRunnable) = await RunAsync(request.Cache, scenario, seed, cancellationToken);
        return notRunnable is null ? (new ResolvedRun(scenario, seed, run, fresh), null) : (default, notRunnable);
    }

    private static (int Seed, ProblemHttpResult? Problem) Seed(IQueryCollection query)
    {
        if (!query.TryGetValue("seed", out var text))
        {
            return (DefaultSeed, null);
        }

        return int.TryParse(text.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var seed)
            ? (seed, null)
            : (0, ProblemType.InvalidParameter.With($"'seed' must be a whole number from 0 to {int.MaxValue}; got '{text}'."));
    }

    /// <summary>The <c>indicator</c> filter (ids separated by commas), every indicator without it.</summary>
    private static (IReadOnlyList<string> Ids, ProblemHttpResult? Problem) Indicators(IQueryCollection query, IReadOnlyList<ResultIndicator> known)
    {
        var all = known.Select(i => i.Id).ToList();
        if (!query.TryGetValue("indicator", out var text))
        {
            return (all, null);
        }

        var asked = text.ToString().Split(',', StringSplitOptions.TrimEntries);
        var unknown = asked.Where(a => !all.Contains(a, StringComparer.Ordinal)).ToList();
        return unknown.Count > 0
            ? ([], ProblemType.InvalidParameter.With($"'indicator' names unknown indicator(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))}; known: {string.Join(", ", all)}."))
            : ([.. all.Where(asked.Contains)], null);
    }

    /// <summary>The <c>gebied</c> filter (area codes separated by commas), <c>null</c> (every area) without it.</summary>
    private static (IReadOnlySet<string>? Codes, ProblemHttpResult? Problem) Areas(IQueryCollection query, ScenarioResultsTable table)
    {
        if (!query.TryGetValue("gebied", out var text))
        {
            return (null, null);
        }

        var known = table.Areas().ToHashSet(StringComparer.Ordinal);
        var asked = text.ToString().Split(',', StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var unknown = asked.Where(a => !known.Contains(a)).Order(StringComparer.Ordinal).ToList();
        return unknown.Count > 0
            ? (null, ProblemType.InvalidParameter.With($"'gebied' names area(s) without results: {string.Join(", ", unknown.Select(u => $"'{u}'"))}; use a buurt code (BU…) or the municipality code (GM…)."))
            : (asked, null);
    }
}
