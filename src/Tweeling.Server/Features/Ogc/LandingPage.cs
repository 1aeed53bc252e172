using Microsoft.AspNetCore.Http.HttpResults;

namespace Tweeling.Server.Features.Ogc;

/// <summary><c>GET /ogc</c>: the OGC API landing page (OGC 17-069r4 §7.2).</summary>
internal static class LandingPage
{
    public static Results<JsonHttpResult<object>, ProblemHttpResult> Handle(HttpRequest request)
    {
        if (OgcFormat.CheckOnly(request.Query) is { } problem)
        {
            return problem;
        }

        var root = OgcLinks.Base(request);
        object body = new
        {
            title = "Tweeling – OGC API Features",
            description = "De features van de digitale tweeling: gebieden, panden, voorzieningen, wegen, groen, bomen en beheerobjecten.",
            links = new[]
            {
                OgcLinks.Link(root, "self", OgcFormat.Json, "Deze pagina"),
                OgcLinks.Link($"{root}/api", "service-desc", OgcFormat.OpenApi, "De API-definitie (OpenAPI 3.0)"),
                OgcLinks.Link($"{root}/conformance", "conformance", OgcFormat.Json, "Conformiteitsklassen"),
                OgcLinks.Link($"{root}/collections", "data", OgcFormat.Json, "Collecties"),
                OgcLinks.Link($"{root}/tileMatrixSets", "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes", OgcFormat.Json, "Tegelschema's"),
            },
        };
        return TypedResults.Json(body, contentType: OgcFormat.Json);
    }
}
