using System.Globalization;
using Tweeling.Domain.Scenarios;
using Tweeling.Models.Results;

namespace Tweeling.Server.Features.Platform;

/// <summary>Which scenario version a result belongs to.</summary>
internal sealed record ScenarioRef(long Id, int Versie, string Naam, string Peildatum, string Inhoudshash)
{
    public static ScenarioRef From(ScenarioVersion s) =>
        new(s.ScenarioId, s.Version, s.Name, s.ReferenceDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), s.ContentHash);
}

/// <summary>An indicator as the results show it.</summary>
/// <param name="Id">Its id, the key of every value.</param>
/// <param name="Titel">Dutch title.</param>
/// <param name="Domein">sociaal, fysiek, mobiliteit, milieu or beheer.</param>
/// <param name="Eenheid">Its unit.</param>
/// <param name="Wenselijk">hoger-is-beter, lager-is-beter or neutraal.</param>
/// <param name="Model">The model (and algorithm-register entry) that computes it.</param>
/// <param name="Zekerheid">hoog, middel or laag.</param>
/// <param name="ZekerheidToelichting">Why, citing the model's known error.</param>
internal sealed record ResultIndicatorView(string Id, string Titel, string Domein, string Eenheid, string Wenselijk, string Model, string Zekerheid, string ZekerheidToelichting)
{
    public static ResultIndicatorView From(ResultIndicator i) => new(
        i.Id, i.Title, ScenarioResultsImpact.Word(i.Domain), i.Unit, ScenarioResultsImpact.Word(i.Desirability), i.ModelId,
        ScenarioResultsImpact.Word(i.Certainty), i.CertaintyReason);
}

/// <summary>One indicator in one area: baseline, scenario, delta (scenario − baseline) and delta relative to the baseline.</summary>
internal sealed record ResultValueView(string Indicator, string Gebied, double? Basis, double? Scenario, double? Delta, double? RelatieveDelta)
{
    public static ResultValueView From(ResultRow r) => new(r.Indicator, r.Area, r.Baseline, r.Scenario, r.Delta, r.RelativeDelta);
}

/// <summary>The result hashes of the baseline run and of the scenario run: equal hashes, equal results.</summary>
internal sealed record ResultHashes(string Basis, string Scenario);

/// <summary>Links of a scenario version's results.</summary>
/// <param name="Self">This resource.</param>
/// <param name="Scenario">The scenario version.</param>
/// <param name="Resultaten">Every value (JSON; GeoJSON with <c>Accept: application/geo+json</c> or <c>formaat=geojson</c>).</param>
/// <param name="Impactmatrix">The impact matrix.</param>
/// <param name="Rapport">The HTML report.</param>
/// <param name="Tegels">The URL template of the delta tiles (add <c>indicator</c>).</param>
internal sealed record ResultLinks(
    PlatformApi.Link Self, PlatformApi.Link Scenario, PlatformApi.Link Resultaten, PlatformApi.Link Impactmatrix, PlatformApi.Link Rapport, PlatformApi.Link Tegels)
{
    public static ResultLinks For(string apiRoot, ScenarioVersion s, int seed, string self)
    {
        var version = $"{apiRoot}/scenarios/{s.ScenarioId}/versies/{s.Version}";
        var query = seed == ScenarioResults.DefaultSeed ? "" : $"?seed={seed.ToString(CultureInfo.InvariantCulture)}";
        var tileQuery = seed == ScenarioResults.DefaultSeed ? "?indicator={indicator}" : $"?indicator={{indicator}}&seed={seed.ToString(CultureInfo.InvariantCulture)}";
        return new ResultLinks(
            new PlatformApi.Link(self), new PlatformApi.Link(version), new PlatformApi.Link($"{version}/resultaten{query}"),
            new PlatformApi.Link($"{version}/impactmatrix{query}"), new PlatformApi.Link($"{version}/rapport{query}"),
            new PlatformApi.Link($"{version}/resultaten/tiles/WebMercatorQuad/{{tileMatrix}}/{{tileRow}}/{{tileCol}}{tileQuery}"));
    }
}

/// <summary>A grid result of one indicator, named with its URL.</summary>
internal sealed record GridLinkView(string Indicator, string Href);

/// <summary><c>GET …/resultaten</c>: every (or the filtered) indicator per area, with what identifies the run.</summary>
/// <param name="Scenario">The scenario version.</param>
/// <param name="Seed">The seed of both runs.</param>
/// <param name="Resultaathash">The runs' result hashes.</param>
/// <param name="Modelversies">Model id → version of every model that contributed.</param>
/// <param name="Indicatoren">The indicators shown.</param>
/// <param name="Waarden">One value per indicator and area: the municipality first, then the buurten by code.</param>
/// <param name="Rasters">The indicators that also have a grid, with its URL.</param>
/// <param name="Links">Links.</param>
internal sealed record ScenarioResultsView(
    ScenarioRef Scenario, int Seed, ResultHashes Resultaathash, IReadOnlyDictionary<string, string> Modelversies,
    IReadOnlyList<ResultIndicatorView> Indicatoren, IReadOnlyList<ResultValueView> Waarden, IReadOnlyList<GridLinkView> Rasters, ResultLinks Links);

/// <summary>
/// <c>POST …/doorrekening</c>: the summary of a run — what identifies it, which models ran (the others came from the
/// model graph's cache), how long it took, and the whole municipality's value of every indicator.
/// </summary>
internal sealed record ScenarioRunView(
    ScenarioRef Scenario, int Seed, ResultHashes Resultaathash, IReadOnlyDictionary<string, string> Modelversies, IReadOnlyList<string> GerekendeModellen,
    double RekentijdMs, IReadOnlyList<ResultIndicatorView> Indicatoren, IReadOnlyList<ResultValueView> Gemeente, ResultLinks Links);

/// <summary>A grid result: the grid in RD New and its values row-major from the south-west cell; <c>null</c> where there is no value.</summary>
internal sealed record GridResultView(
    string Indicator, string Crs, double OrigineX, double OrigineY, double Celgrootte, int Kolommen, int Rijen,
    IReadOnlyList<double?> Basis, IReadOnlyList<double?> Scenario, IReadOnlyList<double?> Delta);

/// <summary>One indicator's cell of the impact matrix.</summary>
/// <param name="Indicator">The indicator.</param>
/// <param name="Richting">hoger, lager or gelijk: the whole city's value against the threshold.</param>
/// <param name="Beoordeling">beter, slechter, gelijk or neutraal.</param>
/// <param name="Basis">The whole city's baseline value.</param>
/// <param name="Scenario">Its scenario value.</param>
/// <param name="Delta">Scenario − baseline, in the indicator's unit.</param>
/// <param name="RelatieveDelta">Delta over the baseline's magnitude.</param>
/// <param name="BuurtenHoger">Buurten whose value rises beyond the threshold.</param>
/// <param name="BuurtenLager">Buurten whose value falls beyond the threshold.</param>
/// <param name="BuurtenVergeleken">Buurten with a value.</param>
/// <param name="Zekerheid">hoog, middel or laag.</param>
/// <param name="ZekerheidToelichting">Why.</param>
internal sealed record ImpactCellView(
    ResultIndicatorView Indicator, string Richting, string Beoordeling, double? Basis, double? Scenario, double? Delta, double? RelatieveDelta,
    int BuurtenHoger, int BuurtenLager, int BuurtenVergeleken, string Zekerheid, string ZekerheidToelichting)
{
    public static ImpactCellView From(ImpactCell c) => new(
        ResultIndicatorView.From(c.Indicator), c.Direction, c.Judgement, c.City?.Baseline, c.City?.Scenario, c.City?.Delta, c.City?.RelativeDelta,
        c.BuurtenUp, c.BuurtenDown, c.BuurtenCompared, ScenarioResultsImpact.Word(c.Indicator.Certainty), c.Indicator.CertaintyReason);
}

/// <summary>One domain of the impact matrix: whether it moves, and its indicators.</summary>
internal sealed record ImpactDomainView(string Domein, bool Beweegt, int IndicatorenInBeweging, IReadOnlyList<ImpactCellView> Indicatoren);

/// <summary><c>GET …/impactmatrix</c>.</summary>
/// <param name="Scenario">The scenario version.</param>
/// <param name="Seed">The seed.</param>
/// <param name="Resultaathash">The result hashes.</param>
/// <param name="Drempel">The fraction of the baseline a value must move by to count (see docs/scenarios.md).</param>
/// <param name="Domeinen">Every domain, in a fixed order.</param>
/// <param name="Links">Links.</param>
internal sealed record ImpactMatrixView(ScenarioRef Scenario, int Seed, ResultHashes Resultaathash, double Drempel, IReadOnlyList<ImpactDomainView> Domeinen, ResultLinks Links)
{
    public static IReadOnlyList<ImpactDomainView> Domains(IReadOnlyList<ImpactRow> matrix) =>
        [.. matrix.Select(r => new ImpactDomainView(ScenarioResultsImpact.Word(r.Domain), r.Moves, r.Cells.Count(c => c.Moves), [.. r.Cells.Select(ImpactCellView.From)]))];
}

/// <summary>One indicator in one area in two scenarios over the same baseline.</summary>
/// <param name="Indicator">The indicator.</param>
/// <param name="Gebied">The area.</param>
/// <param name="Basis">The baseline value (both scenarios share it).</param>
/// <param name="A">Scenario A's value.</param>
/// <param name="B">Scenario B's value.</param>
/// <param name="DeltaA">A − baseline.</param>
/// <param name="DeltaB">B − baseline.</param>
/// <param name="VerschilBA">B − A.</param>
internal sealed record ComparisonValueView(string Indicator, string Gebied, double? Basis, double? A, double? B, double? DeltaA, double? DeltaB, double? VerschilBA);

/// <summary><c>GET /scenarios/vergelijking</c>: A against B against their common baseline.</summary>
internal sealed record ComparisonView(
    ScenarioRef A, ScenarioRef B, string Peildatum, int Seed, ResultHashes ResultaathashA, ResultHashes ResultaathashB,
    IReadOnlyList<ResultIndicatorView> Indicatoren, IReadOnlyList<ComparisonValueView> Waarden, PlatformApi.Link Self);
