using Tweeling.Models.Results;

namespace Tweeling.Server.Features.Platform;

/// <summary>One indicator in one area: its value in the baseline and in the scenario, and the difference.</summary>
/// <param name="Indicator">The indicator's id.</param>
/// <param name="Area">A CBS buurt code (<c>BU…</c>) or the municipality code (<c>GM…</c>).</param>
/// <param name="Baseline">The value without the scenario's interventions, or <c>null</c> where there is nothing to measure.</param>
/// <param name="Scenario">The value with them, or <c>null</c>.</param>
internal sealed record ResultRow(string Indicator, string Area, double? Baseline, double? Scenario)
{
    /// <summary>Scenario minus baseline, in the indicator's unit; <c>null</c> when either is missing.</summary>
    public double? Delta => Baseline is { } b && Scenario is { } s ? s - b : null;

    /// <summary>The delta as a fraction of the baseline's magnitude; <c>null</c> when either is missing or the baseline is 0.</summary>
    public double? RelativeDelta => Baseline is { } b && Scenario is { } s && b != 0 ? (s - b) / Math.Abs(b) : null;

    /// <summary>Whether this is the whole municipality's value rather than a buurt's.</summary>
    public bool IsMunicipality => Area.StartsWith("GM", StringComparison.Ordinal);

    /// <summary>
    /// Whether the value moves beyond <paramref name="threshold"/> (a fraction of the baseline's magnitude); from a
    /// baseline of 0 any change moves, and a value that appears or disappears moves too.
    /// </summary>
    public bool Moves(double threshold) => (Baseline, Scenario) switch
    {
        ({ } b, { } s) when b == 0 => s != 0,
        ({ } b, { } s) => Math.Abs(s - b) > threshold * Math.Abs(b),
        (null, null) => false,
        _ => true,
    };
}

/// <summary>
/// A scenario run as rows of baseline, scenario and delta per indicator and area: what the results endpoints, the
/// GeoJSON, the tiles, the impact matrix and the report all read.
/// </summary>
internal sealed class ScenarioResultsTable
{
    private readonly Dictionary<string, List<ResultRow>> _byIndicator;

    private ScenarioResultsTable(IReadOnlyList<ResultIndicator> indicators, Dictionary<string, List<ResultRow>> byIndicator)
    {
        Indicators = indicators;
        _byIndicator = byIndicator;
    }

    /// <summary>The indicators, in the runner's stable order.</summary>
    public IReadOnlyList<ResultIndicator> Indicators { get; }

    /// <summary>
    /// Pairs the baseline's and the scenario's area values of <paramref name="run"/>. An area that only one side has
    /// (a buurt whose last dwelling is demolished) keeps a row with <c>null</c> on the other side.
    /// </summary>
    public static ScenarioResultsTable From(ScenarioRun run) => From(run.Outcome.Indicators, run.Baseline.Areas, run.Outcome.Areas);

    /// <summary>Pairs <paramref name="baseline"/> and <paramref name="scenario"/> values of <paramref name="indicators"/>.</summary>
    public static ScenarioResultsTable From(IReadOnlyList<ResultIndicator> indicators, IReadOnlyList<AreaValue> baseline, IReadOnlyList<AreaValue> scenario)
    {
        var before = baseline.ToDictionary(v => (v.Indicator, v.AreaCode), v => v.Value);
        var after = scenario.ToDictionary(v => (v.Indicator, v.AreaCode), v => v.Value);
        var rows = new Dictionary<string, List<ResultRow>>(StringComparer.Ordinal);
        foreach (var indicator in indicators)
        {
            // The municipality first, then the buurten by code: a stable order, so equal runs give equal answers byte for byte.
            var areas = before.Keys.Concat(after.Keys).Where(k => k.Indicator == indicator.Id).Select(k => k.AreaCode).Distinct(StringComparer.Ordinal)
                .OrderBy(a => a.StartsWith("GM", StringComparison.Ordinal) ? 0 : 1).ThenBy(a => a, StringComparer.Ordinal);
            rows[indicator.Id] = [.. areas.Select(a => new ResultRow(indicator.Id, a, before.GetValueOrDefault((indicator.Id, a)), after.GetValueOrDefault((indicator.Id, a))))];
        }

        return new ScenarioResultsTable(indicators, rows);
    }

    /// <summary>The indicator with <paramref name="id"/>, or <c>null</c>.</summary>
    public ResultIndicator? Find(string id) => Indicators.FirstOrDefault(i => i.Id == id);

    /// <summary>Every row of <paramref name="indicator"/>: the municipality first, then the buurten by code.</summary>
    public IReadOnlyList<ResultRow> Rows(string indicator) => _byIndicator.TryGetValue(indicator, out var rows) ? rows : [];

    /// <summary>The whole municipality's row of <paramref name="indicator"/>, or <c>null</c> when the runner reported none.</summary>
    public ResultRow? Municipality(string indicator) => Rows(indicator).FirstOrDefault(r => r.IsMunicipality);

    /// <summary>The buurten's rows of <paramref name="indicator"/>, by code.</summary>
    public IEnumerable<ResultRow> Buurten(string indicator) => Rows(indicator).Where(r => !r.IsMunicipality);

    /// <summary>Every area code of the table, the municipality first.</summary>
    public IReadOnlyList<string> Areas() =>
        [.. _byIndicator.Values.SelectMany(r => r).Select(r => r.Area).Distinct(StringComparer.Ordinal)
            .OrderBy(a => a.StartsWith("GM", StringComparison.Ordinal) ? 0 : 1).ThenBy(a => a, StringComparer.Ordinal)];
}
