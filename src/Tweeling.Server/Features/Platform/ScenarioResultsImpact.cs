using Tweeling.Models.Results;

namespace Tweeling.Server.Features.Platform;

/// <summary>How one indicator moves in a scenario: the cell of the impact matrix.</summary>
/// <param name="Indicator">The indicator.</param>
/// <param name="City">The whole municipality's row, or <c>null</c> when the runner reported none.</param>
/// <param name="Direction"><c>hoger</c>, <c>lager</c> or <c>gelijk</c>: the municipality's value against the threshold.</param>
/// <param name="Judgement"><c>beter</c>, <c>slechter</c>, <c>gelijk</c> or <c>neutraal</c> (a change of an indicator that is not judged).</param>
/// <param name="BuurtenUp">Buurten whose value rises beyond the threshold.</param>
/// <param name="BuurtenDown">Buurten whose value falls beyond the threshold.</param>
/// <param name="BuurtenCompared">Buurten with a value in the baseline or the scenario.</param>
internal sealed record ImpactCell(
    ResultIndicator Indicator, ResultRow? City, string Direction, string Judgement, int BuurtenUp, int BuurtenDown, int BuurtenCompared)
{
    /// <summary>Whether the indicator moves anywhere: in the whole city or in at least one buurt.</summary>
    public bool Moves => Direction != "gelijk" || BuurtenUp + BuurtenDown > 0;
}

/// <summary>One domain's row of the impact matrix.</summary>
internal sealed record ImpactRow(ImpactDomain Domain, IReadOnlyList<ImpactCell> Cells)
{
    /// <summary>Whether any indicator of the domain moves.</summary>
    public bool Moves => Cells.Any(c => c.Moves);
}

/// <summary>
/// The cross-domain impact matrix (issue 6 item 4): per domain and indicator, which way the scenario moves it, how
/// much (absolute and relative delta of the whole city, and how many buurten move beyond <see cref="Threshold"/>),
/// and how certain that is (the indicator's <see cref="ResultIndicator.Certainty"/>).
/// </summary>
internal static class ScenarioResultsImpact
{
    /// <summary>
    /// A value "moves" when it changes by more than 1 % of its baseline's magnitude. One threshold for every unit, so
    /// the matrix compares domains on one footing; 1 % is well under the known error of every model (about 10 % and
    /// more, see the models' documentation), so a move says "the model sees an effect here", not "the effect is certain" —
    /// the certainty column says that. Below it, rounding and seed noise would light up every cell.
    /// </summary>
    public const double Threshold = 0.01;

    /// <summary>The matrix of <paramref name="table"/>: one row per domain, in the order of <see cref="ImpactDomain"/>, every domain present.</summary>
    public static IReadOnlyList<ImpactRow> Matrix(ScenarioResultsTable table) =>
        [.. Enum.GetValues<ImpactDomain>().Select(domain => new ImpactRow(domain, [.. table.Indicators.Where(i => i.Domain == domain).Select(i => Cell(table, i))]))];

    /// <summary>The cell of <paramref name="indicator"/>.</summary>
    public static ImpactCell Cell(ScenarioResultsTable table, ResultIndicator indicator)
    {
        var city = table.Municipality(indicator.Id);
        var buurten = table.Buurten(indicator.Id).Where(r => r.Baseline is not null || r.Scenario is not null).ToList();
        var direction = city is null || !city.Moves(Threshold) ? "gelijk" : (city.Scenario ?? 0) > (city.Baseline ?? 0) ? "hoger" : "lager";
        return new ImpactCell(
            indicator, city, direction, Judge(indicator.Desirability, direction),
            buurten.Count(r => r.Moves(Threshold) && (r.Scenario ?? 0) > (r.Baseline ?? 0)),
            buurten.Count(r => r.Moves(Threshold) && (r.Scenario ?? 0) < (r.Baseline ?? 0)),
            buurten.Count);
    }

    /// <summary>Whether a move in <paramref name="direction"/> is an improvement for an indicator of <paramref name="desirability"/>.</summary>
    public static string Judge(Desirability desirability, string direction) => (desirability, direction) switch
    {
        (_, "gelijk") => "gelijk",
        (Desirability.HigherIsBetter, "hoger") or (Desirability.LowerIsBetter, "lager") => "beter",
        (Desirability.HigherIsBetter, _) or (Desirability.LowerIsBetter, _) => "slechter",
        _ => "neutraal",
    };

    /// <summary>The API word of a domain.</summary>
    public static string Word(ImpactDomain domain) => domain.ToString().ToLowerInvariant();

    /// <summary>The API word of a certainty.</summary>
    public static string Word(Certainty certainty) => certainty.ToString().ToLowerInvariant();

    /// <summary>The API word of a desirability: which way the indicator improves.</summary>
    public static string Word(Desirability desirability) => desirability switch
    {
        Desirability.HigherIsBetter => "hoger-is-beter",
        Desirability.LowerIsBetter => "lager-is-beter",
        _ => "neutraal",
    };
}
