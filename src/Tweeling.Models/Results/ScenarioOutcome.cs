using Tweeling.Domain.Scenarios;

namespace Tweeling.Models.Results;

/// <summary>The domain of the common operational picture an indicator belongs to (the web UI's layer groups).</summary>
public enum ImpactDomain
{
    /// <summary>Residents, households, incomes, care (sociaal).</summary>
    Sociaal,

    /// <summary>Buildings, green, heat, land use (fysiek).</summary>
    Fysiek,

    /// <summary>Traffic and accessibility (mobiliteit).</summary>
    Mobiliteit,

    /// <summary>Air quality and noise (milieu).</summary>
    Milieu,

    /// <summary>Municipal assets and facilities' capacity (beheer).</summary>
    Beheer,
}

/// <summary>Which way an indicator improves: what colours a delta green or red.</summary>
public enum Desirability
{
    /// <summary>More is better (green per inhabitant, share of dwellings meeting 3-30-300).</summary>
    HigherIsBetter,

    /// <summary>Less is better (NO2, Lden, walking distance to a GP, demand over capacity).</summary>
    LowerIsBetter,

    /// <summary>Neither (residents, trips): a change is reported, not judged.</summary>
    Neutral,
}

/// <summary>How far an indicator's level can be trusted, from its model's documented known error.</summary>
public enum Certainty
{
    /// <summary>Validated against reference values, known error within about 10 %.</summary>
    Hoog,

    /// <summary>Documented method, known error about 10–30 %.</summary>
    Middel,

    /// <summary>Indicative only (e.g. the liveability composite), or known error above 30 %.</summary>
    Laag,
}

/// <summary>An indicator the scenario engine reports: what one number of a result means.</summary>
/// <param name="Id">Stable id, lowercase and '-' separated (e.g. <c>no2-jaargemiddelde</c>); the key of every value.</param>
/// <param name="Title">Dutch title for the UI and the report.</param>
/// <param name="Domain">Its domain.</param>
/// <param name="Unit">Its unit (e.g. <c>µg/m³</c>, <c>dB</c>, <c>m</c>, <c>%</c>, <c>personen</c>).</param>
/// <param name="Desirability">Which way it improves.</param>
/// <param name="ModelId">The id of the model (and algorithm-register entry) that computes it.</param>
/// <param name="Certainty">How far its level can be trusted.</param>
/// <param name="CertaintyReason">Why, in one Dutch sentence citing the model's documented known error.</param>
public sealed record ResultIndicator(
    string Id, string Title, ImpactDomain Domain, string Unit, Desirability Desirability, string ModelId, Certainty Certainty, string CertaintyReason);

/// <summary>The value of one indicator for one area.</summary>
/// <param name="Indicator">The <see cref="ResultIndicator.Id"/>.</param>
/// <param name="AreaCode">A CBS buurt code (<c>BU…</c>), or the municipality code (<c>GM…</c>) for the whole city.</param>
/// <param name="Value">The value in the indicator's unit, or <c>null</c> where the area has nothing to measure (no dwellings, no receptors).</param>
public sealed record AreaValue(string Indicator, string AreaCode, double? Value);

/// <summary>One indicator on a regular grid in RD New (EPSG:28992).</summary>
/// <param name="Indicator">The <see cref="ResultIndicator.Id"/>.</param>
/// <param name="OriginX">RD x of the grid's south-west corner, metres.</param>
/// <param name="OriginY">RD y of the grid's south-west corner, metres.</param>
/// <param name="CellSize">Side of a square cell, metres.</param>
/// <param name="Columns">Cells west to east.</param>
/// <param name="Rows">Cells south to north.</param>
/// <param name="Values">Row-major from the south-west cell (index = row × Columns + column); <see cref="double.NaN"/> where there is no value.</param>
public sealed record GridLayer(string Indicator, double OriginX, double OriginY, double CellSize, int Columns, int Rows, IReadOnlyList<double> Values);

/// <summary>Every indicator of one run of the model graph: per area and, where a model computes one, on a grid.</summary>
/// <param name="Indicators">The indicators, in a stable order.</param>
/// <param name="Areas">Per indicator, one value per buurt and one for the municipality.</param>
/// <param name="Grids">The grid layers.</param>
/// <param name="ModelVersions">Model id → version of every model that contributed.</param>
/// <param name="ResultHash">SHA-256 (lowercase hex) over the areas and grids in a canonical binary form (<see cref="Tweeling.Models.Results.ResultHash"/>): equal results, equal hash.</param>
public sealed record ScenarioOutcome(
    IReadOnlyList<ResultIndicator> Indicators,
    IReadOnlyList<AreaValue> Areas,
    IReadOnlyList<GridLayer> Grids,
    IReadOnlyDictionary<string, string> ModelVersions,
    string ResultHash);

/// <summary>A scenario version run against its baseline.</summary>
/// <param name="Scenario">The scenario version that was run.</param>
/// <param name="Seed">The seed of both runs.</param>
/// <param name="Baseline">The results for the baseline as of the scenario's reference date, without interventions.</param>
/// <param name="Outcome">The results with the scenario's interventions applied.</param>
/// <param name="ModelsRan">The ids of the models that actually ran (the others were answered from the graph's cache).</param>
/// <param name="Elapsed">Wall-clock time of the whole run, reading the baseline included.</param>
public sealed record ScenarioRun(ScenarioVersion Scenario, int Seed, ScenarioOutcome Baseline, ScenarioOutcome Outcome, IReadOnlyList<string> ModelsRan, TimeSpan Elapsed);

/// <summary>
/// Runs a scenario version: reads the baseline city through the store ports as of its reference date, applies its
/// interventions, runs the model graph on both and reports every indicator. Deterministic: the same version and seed
/// always give results with the same <see cref="ScenarioOutcome.ResultHash"/>.
/// </summary>
public interface IScenarioRunner
{
    /// <summary>Every indicator the runner reports, in a stable order (what <c>/api/v1/modellen</c> and the UI legend show).</summary>
    IReadOnlyList<ResultIndicator> Indicators { get; }

    /// <summary>Runs <paramref name="scenario"/> and its baseline with <paramref name="seed"/>.</summary>
    Task<ScenarioRun> RunAsync(ScenarioVersion scenario, int seed, CancellationToken cancellationToken);
}

/// <summary>
/// Reads the indicators of one model (or model family) from a finished graph run: the seam between a model's own
/// outputs and the results the API, the impact matrix and the report show. One per model family; the runner asks
/// every reporter of the graph.
/// </summary>
public interface IIndicatorReporter
{
    /// <summary>The indicators this reporter writes, in a stable order.</summary>
    IReadOnlyList<ResultIndicator> Indicators { get; }

    /// <summary>One value per indicator and buurt, plus the whole-city value under <paramref name="municipalityCode"/>.</summary>
    IReadOnlyList<AreaValue> Areas(Graph.GraphRun run, string municipalityCode);

    /// <summary>The indicators this reporter also has on a grid (none for most).</summary>
    IReadOnlyList<GridLayer> Grids(Graph.GraphRun run);
}
