using Microsoft.AspNetCore.Http.HttpResults;
using Tweeling.Domain.Indicators;
using Tweeling.Governance.Disclosure;
using Tweeling.Server.Hosting;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.Platform;

/// <summary>
/// <c>/api/v1/indicatoren</c>: indicator definitions whose source dataset the caller may read, and those derived from
/// personal data that the caller sees through disclosure control (<see cref="IndicatorDisclosure"/>).
/// </summary>
internal static class Indicatoren
{
    public static async Task<Results<Ok<IReadOnlyList<IndicatorView>>, ProblemHttpResult>> List(
        HttpContext http, IndicatorDisclosure indicators, CancellationToken cancellationToken)
    {
        if (PlatformApi.RejectUnknown(http.Request.Query) is { } problem)
        {
            return problem;
        }

        var visible = await indicators.VisibleAsync(ReadAccess.CallerOf(http), cancellationToken);
        return TypedResults.Ok<IReadOnlyList<IndicatorView>>([.. visible.Select(v => IndicatorView.From(v.Definition))]);
    }

    public static async Task<Results<Ok<IndicatorView>, ProblemHttpResult>> Get(
        string code, HttpContext http, IndicatorDisclosure indicators, CancellationToken cancellationToken)
    {
        if (PlatformApi.RejectUnknown(http.Request.Query) is { } problem)
        {
            return problem;
        }

        var indicator = (await indicators.VisibleAsync(ReadAccess.CallerOf(http), cancellationToken)).FirstOrDefault(v => v.Definition.Code == code);
        return indicator is not null
            ? TypedResults.Ok(IndicatorView.From(indicator.Definition))
            : ProblemType.NotFound.With($"There is no indicator '{code}'.");
    }
}

/// <summary>An indicator definition as the platform API shows it.</summary>
internal sealed record IndicatorView(string Code, string Naam, string Beschrijving, string Eenheid, string BronDataset, string Methode, bool Persoonsgegevens)
{
    public static IndicatorView From(IndicatorDefinition i) =>
        new(i.Code, i.Name, i.Description, i.Unit, i.SourceDatasetId, i.Method, i.IsPersonalData);
}
