using Microsoft.AspNetCore.Http.HttpResults;
using Tweeling.Domain.Catalog;
using Tweeling.Domain.Ports;
using Tweeling.Governance.Access;
using Tweeling.Server.Hosting;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.Platform;

/// <summary><c>/api/v1/datasets</c>: the dataset catalog, as the caller may see it.</summary>
internal static class Datasets
{
    public static async Task<Results<Ok<IReadOnlyList<DatasetView>>, ProblemHttpResult>> List(HttpContext http, ICatalog catalog, CancellationToken cancellationToken)
    {
        if (PlatformApi.RejectUnknown(http.Request.Query) is { } problem)
        {
            return problem;
        }

        var caller = ReadAccess.CallerOf(http);
        var visible = (await catalog.ListAsync(cancellationToken)).Where(d => AccessPolicy.CanRead(caller, d));
        return TypedResults.Ok<IReadOnlyList<DatasetView>>([.. visible.Select(d => DatasetView.From(d, http.Request))]);
    }

    public static async Task<Results<Ok<DatasetView>, ProblemHttpResult>> Get(string id, HttpContext http, ICatalog catalog, CancellationToken cancellationToken)
    {
        if (PlatformApi.RejectUnknown(http.Request.Query) is { } problem)
        {
            return problem;
        }

        var dataset = await catalog.FindAsync(id, cancellationToken);
        return dataset is not null && AccessPolicy.CanRead(ReadAccess.CallerOf(http), dataset)
            ? TypedResults.Ok(DatasetView.From(dataset, http.Request))
            : ProblemType.NotFound.With($"There is no dataset '{id}'.");
    }
}

/// <summary>A dataset as the platform API shows it (Dutch names, /core/interface-language).</summary>
internal sealed record DatasetView(
    string Id,
    string Titel,
    string Beschrijving,
    AgentView Uitgever,
    AgentView Maker,
    ContactView Contactpunt,
    IReadOnlyList<string> Themas,
    string Classificatie,
    string Toegangsrechten,
    string WettelijkeGrondslag,
    IReadOnlyList<string> Doelen,
    string Licentie,
    DateTimeOffset Gewijzigd,
    string Updatefrequentie,
    string? Gebied,
    string Herkomst,
    bool Synthetisch,
    DatasetLinks Links)
{
    public static DatasetView From(Dataset d, HttpRequest request) => new(
        d.Id, d.Title, d.Description,
        new AgentView(d.Publisher.Name, d.Publisher.Uri), new AgentView(d.Creator.Name, d.Creator.Uri),
        new ContactView(d.ContactPoint.Name, d.ContactPoint.Email),
        d.Themes, ClassificationName(d.Classification), d.AccessRights, d.LegalBasis, d.Purposes, d.License, d.Modified,
        d.AccrualPeriodicity, d.Spatial, d.Lineage, d.IsSynthetic,
        new DatasetLinks(new PlatformApi.Link($"{request.Scheme}://{request.Host}{PlatformApi.Prefix}/datasets/{Uri.EscapeDataString(d.Id)}")));

    /// <summary>The classification's API name.</summary>
    public static string ClassificationName(Classification classification) => classification switch
    {
        Classification.Open => "open",
        Classification.Internal => "intern",
        Classification.Confidential => "vertrouwelijk",
        _ => "bijzondere-persoonsgegevens",
    };
}

/// <summary>An organisation or person.</summary>
internal sealed record AgentView(string Naam, string Uri);

/// <summary>A contact point.</summary>
internal sealed record ContactView(string Naam, string Email);

/// <summary>Links of a dataset.</summary>
internal sealed record DatasetLinks(PlatformApi.Link Self);
