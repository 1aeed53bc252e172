using Microsoft.AspNetCore.Http.HttpResults;
using Tweeling.Domain.Features;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.Ogc;

/// <summary><c>GET /ogc/collections/{collectionId}/queryables</c>: the filterable properties as JSON Schema (OGC API – Features Part 3).</summary>
internal static class Queryables
{
    public static Results<JsonHttpResult<object>, ProblemHttpResult> Handle(string collectionId, HttpRequest request)
    {
        if (TwinCollections.Find(collectionId) is not { } definition)
        {
            return ProblemType.NotFound.With($"There is no collection '{collectionId}'.");
        }

        if (OgcFormat.CheckOnly(request.Query) is { } problem)
        {
            return problem;
        }

        var properties = definition.Queryables.ToDictionary(
            q => q.Name,
            q => (object)new { type = JsonSchemaType(q.Type), description = q.Description },
            StringComparer.Ordinal);
        object body = new Dictionary<string, object>
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = $"{OgcLinks.Base(request)}/collections/{definition.Id}/queryables",
            ["type"] = "object",
            ["title"] = definition.Title,
            ["properties"] = properties,
            ["additionalProperties"] = false,
        };
        return TypedResults.Json(body, contentType: "application/schema+json");
    }

    public static string JsonSchemaType(QueryableType type) => type switch
    {
        QueryableType.Integer => "integer",
        QueryableType.Number => "number",
        QueryableType.Boolean => "boolean",
        _ => "string",
    };
}
