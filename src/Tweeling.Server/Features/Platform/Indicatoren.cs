using Microsoft.AspNetCore.Http.HttpResults;
using Tweeling.Domain.Indicators;
using Tweeling.Domain.Ports;
using Tweeling.Server.Hosting;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.Platform;

/// <summary><c>/api/v1/indicatoren</c>: indicator definitions whose source dataset the caller may read.</summary>
internal static class Indicatoren
{
    public static async Task<Results<Ok<IReadOnlyList<IndicatorView>>, ProblemHttpResult>> List(
        HttpContext http, IIndicatorStore indicators, ReadAccess access, CancellationToken cancellationToken)
    {
        if (PlatformApi.RejectUnknown(http.Request.Query) is { } problem)
        {
            return problem;
        }

        var readable = await access.ReadableDatasetsAsync(http, cancellationToken);
        var visible = (await indicators.ListAsync(cancellationToken)).Where(i => readable.Contains(i.SourceDatasetId));
        return TypedResults.Ok<IReadOnlyList<IndicatorView>>([.. visible.Select(IndicatorView.From)]);
    }

    public static async Task<Results<Ok<IndicatorView>, ProblemHttpResult>> Get(
        string code, HttpContext http, IIndicatorStore indicators, ReadAccess access, CancellationToken cancellationToken)
    {
        if (PlatformApi.RejectUnknown(http.Request.Query) is { } problem)
        {
            return problem;
        }

        var indicator = await indicators.FindAsync(code, cancellationToken);
        return indicator is not null && (await access.ReadableDatasetsAsync(http, cancellationToken)).Contains(indicator.SourceDatasetId)
            ? TypedResults.Ok(IndicatorView.From(indicator))
            : ProblemType.NotFound.With($"There is no indicator '{code}'.");
    }
}

/// <summary>An indicator definition as the platform API shows it.</summary>
internal sealed record IndicatorView(string Code, string Naam, string Beschrijving, string Eenheid, string BronDataset, string Methode, bool Persoonsgegevens)
{
    public static IndicatorView From(IndicatorDefinition i) =>
        new(i.Code, i.Name, i.Description, i.Unit, i.SourceDatasetId, i.Method, i.IsPersonalData);
}
