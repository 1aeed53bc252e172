using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Tweeling.Domain.Catalog;
using Tweeling.Domain.Ports;
using Tweeling.Governance.Access;
using Tweeling.Server.Hosting;

namespace Tweeling.Server.Features.Platform;

/// <summary>
/// <c>GET /api/v1/catalogus</c>: the catalog as DCAT-AP-NL 3.0 JSON-LD, for harvesting by
/// data.overheid.nl and other DCAT catalogs. Lists the datasets the caller may see.
/// </summary>
internal static class Catalogus
{
    public const string MediaType = "application/ld+json";

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> Handle(HttpContext http, ICatalog catalog, CancellationToken cancellationToken)
    {
        if (PlatformApi.RejectUnknown(http.Request.Query) is { } problem)
        {
            return problem;
        }

        var caller = ReadAccess.CallerOf(http);
        var datasets = (await catalog.ListAsync(cancellationToken)).Where(d => AccessPolicy.CanRead(caller, d));
        var root = $"{http.Request.Scheme}://{http.Request.Host}{PlatformApi.Prefix}";
        return TypedResults.Content(ToJsonLd(root, datasets).ToJsonString(), MediaType);
    }

    /// <summary>A <c>dcat:Catalog</c> holding <paramref name="datasets"/> with their mandatory DCAT-AP-NL properties.</summary>
    public static JsonObject ToJsonLd(string apiRoot, IEnumerable<Dataset> datasets) => new()
    {
        ["@context"] = new JsonObject
        {
            ["dcat"] = "http://www.w3.org/ns/dcat#",
            ["dct"] = "http://purl.org/dc/terms/",
            ["foaf"] = "http://xmlns.com/foaf/0.1/",
            ["vcard"] = "http://www.w3.org/2006/vcard/ns#",
            ["adms"] = "http://www.w3.org/ns/adms#",
            ["xsd"] = "http://www.w3.org/2001/XMLSchema#",
            ["tweeling"] = apiRoot + "/vocabulaire#",
        },
        ["@id"] = apiRoot + "/catalogus",
        ["@type"] = "dcat:Catalog",
        ["dct:title"] = Lang("Tweeling datacatalogus"),
        ["dcat:dataset"] = new JsonArray([.. datasets.Select(d => (JsonNode)Dataset(apiRoot, d))]),
    };

    private static JsonObject Dataset(string apiRoot, Dataset d) => new()
    {
        ["@id"] = $"{apiRoot}/datasets/{Uri.EscapeDataString(d.Id)}",
        ["@type"] = "dcat:Dataset",
        ["dct:identifier"] = d.Id,
        ["dct:title"] = Lang(d.Title),
        ["dct:description"] = Lang(d.Description),
        ["dct:publisher"] = Agent(d.Publisher),
        ["dct:creator"] = Agent(d.Creator),
        ["dcat:contactPoint"] = new JsonObject
        {
            ["@type"] = "vcard:Organization",
            ["vcard:fn"] = d.ContactPoint.Name,
            ["vcard:hasEmail"] = new JsonObject { ["@id"] = "mailto:" + d.ContactPoint.Email },
        },
        ["dcat:theme"] = new JsonArray([.. d.Themes.Select(t => (JsonNode)new JsonObject { ["@id"] = t })]),
        ["dct:accessRights"] = new JsonObject { ["@id"] = d.AccessRights },
        ["dct:license"] = new JsonObject { ["@id"] = d.License },
        ["dct:modified"] = new JsonObject { ["@value"] = d.Modified.ToString("O"), ["@type"] = "xsd:dateTime" },
        ["dct:accrualPeriodicity"] = new JsonObject { ["@id"] = d.AccrualPeriodicity },
        ["dct:provenance"] = new JsonObject { ["@type"] = "dct:ProvenanceStatement", ["dct:description"] = Lang(d.Lineage) },
        ["dct:spatial"] = d.Spatial,
        ["tweeling:classificatie"] = DatasetView.ClassificationName(d.Classification),
        ["tweeling:wettelijkeGrondslag"] = d.LegalBasis,
        ["tweeling:doelen"] = new JsonArray([.. d.Purposes.Select(p => (JsonNode)p)]),
        ["tweeling:synthetisch"] = d.IsSynthetic,
    };

    private static JsonObject Agent(Agent agent) => new()
    {
        ["@id"] = agent.Uri,
        ["@type"] = "foaf:Agent",
        ["foaf:name"] = agent.Name,
    };

    private static JsonObject Lang(string text) => new() { ["@value"] = text, ["@language"] = "nl" };
}
