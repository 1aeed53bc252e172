using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson.Exceptions;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson.Operations;
using Microsoft.Net.Http.Headers;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Sensors;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.SensorThings;

/// <summary>
/// PATCH with a JSON Patch body (RFC 6902, <c>Content-Type: application/json-patch+json</c>): the optional update
/// requirement of OGC 18-088 §10.3 (<c>/req/create-update-delete/update-entity-jsonpatch</c>). The patch is applied
/// to the entity as a GET writes it (its properties, <c>@iot.id</c> and navigation links), and the result replaces
/// the entity as a PUT would: the same checks, the same cascades (a new Location of a Thing records a
/// HistoricalLocation), in the same one write unit, so a failing operation stores nothing. Inside a <c>$batch</c> a part
/// with that <c>Content-Type</c> is applied the same way, in its change set's unit (<see cref="Batch"/>).
/// </summary>
/// <remarks>
/// The operations are applied by <c>Microsoft.AspNetCore.JsonPatch.SystemTextJson</c> to a <see cref="JsonObject"/>
/// (docs/adr/0003-json-patch.md). A patch that is not a JSON array of operations with a known <c>op</c> and a
/// <c>path</c> is a 400; a patch that cannot be applied to the entity as it is — a failing <c>test</c>, a path that
/// does not exist where it must — is a 409 (RFC 5789 §2.2, "conflicting state"); a patch that applies but leaves an
/// entity the standard does not allow (a mandatory property removed, an unknown member added) is a 400 as for PUT.
/// </remarks>
internal static partial class EntityWrites
{
    /// <summary>The media type of a JSON Patch body (RFC 6902 §6).</summary>
    public const string JsonPatchMediaType = "application/json-patch+json";

    private static readonly HashSet<string> s_patchOperations = ["add", "remove", "replace", "move", "copy", "test"];

    /// <summary>Whether a body of <paramref name="contentType"/> is a JSON Patch rather than a JSON merge of members.</summary>
    public static bool IsJsonPatch(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var type) && type.MediaType.Equals(JsonPatchMediaType, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Applies <paramref name="body"/>, a JSON Patch document, to the entity at <paramref name="path"/> inside the write
    /// unit of <paramref name="writer"/>. The entity is read through the unit, so a patch in a <c>$batch</c> change set
    /// sees what earlier parts of it wrote; the unit holds the store's write lock, so nothing else changes it meanwhile.
    /// </summary>
    public static async Task<Written> ApplyJsonPatchAsync(
        EntityWriter writer, CrsTransformer crs, string root, string path, JsonElement body, CancellationToken cancellationToken)
    {
        var patch = ParseJsonPatch(body);
        var target = Target.Parse(path);
        if (target.Problem is not null)
        {
            throw new StaProblemException(target.Problem);
        }

        var set = target.Set!;
        if (target.Id is not { } id || target.Navigation is not null)
        {
            throw new StaProblemException(ProblemType.MethodNotAllowed.With(
                $"A JSON Patch applies to one entity, such as '{StaApi.Prefix}/{set.Name}(1)', not to '{StaApi.Prefix}/{path}'."));
        }

        var stored = await writer.FindAsync(set, id, cancellationToken)
            ?? throw new PathNotFoundException($"There is no {set.EntityType} with id {id}.");
        var entity = EntityNode(crs, root, set, stored);
        foreach (var operation in patch.Operations)
        {
            try
            {
                new JsonPatchDocument([AsApplied(entity, operation)], JsonSerializerOptions.Default).ApplyTo(entity);
            }
            catch (JsonPatchException e)
            {
                throw new StaProblemException(ProblemType.PatchConflict.With(
                    $"The JSON Patch cannot be applied to {set.EntityType} {id}: {e.Message} Nothing was changed."));
            }
        }

        using var patched = JsonDocument.Parse(entity.ToJsonString());
        await writer.UpdateAsync(set, id, patched.RootElement, partial: false, cancellationToken);
        return new Written(set, id, StatusCodes.Status200OK);
    }

    /// <summary>
    /// <paramref name="operation"/> as it is handed to the library. A <c>copy</c> is applied as an <c>add</c> of a deep copy
    /// of the value at its <c>from</c>, which is what RFC 6902 §4.5 defines it as: the library's own <c>copy</c> fails
    /// on a member of a <see cref="JsonObject"/> (version 10.0.15: "could not be copied", tested by
    /// <c>JsonPatchTests</c>), since the node it would add still belongs to its source.
    /// </summary>
    private static Operation AsApplied(JsonObject entity, Operation operation)
    {
        if (operation.op != "copy")
        {
            return operation;
        }

        if (!TryFind(entity, operation.from, out var value))
        {
            throw new StaProblemException(ProblemType.PatchConflict.With(
                $"The JSON Patch cannot be applied: the 'from' of a copy, '{operation.from}', names no member of the entity. Nothing was changed."));
        }

        return new Operation("add", operation.path, from: null, JsonSerializer.SerializeToElement(value));
    }

    /// <summary>Finds the node at JSON Pointer <paramref name="pointer"/> (RFC 6901) in <paramref name="root"/>; a JSON null member is found as <c>null</c>.</summary>
    private static bool TryFind(JsonNode root, string pointer, out JsonNode? node)
    {
        node = root;
        foreach (var token in pointer.Split('/').Skip(1).Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)))
        {
            switch (node)
            {
                case JsonObject members when members.TryGetPropertyValue(token, out var member):
                    node = member;
                    break;
                case JsonArray items when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < items.Count:
                    node = items[index];
                    break;
                default:
                    node = null;
                    return false;
            }
        }

        return true;
    }

    /// <summary>The entity as a GET writes it, as a mutable JSON object.</summary>
    private static JsonObject EntityNode(CrsTransformer crs, string root, EntitySet set, ISensorEntity stored)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            new EntityJson(json, root, [], crs).Write(set, stored);
        }

        return JsonNode.Parse(buffer.ToArray())!.AsObject();
    }

    /// <summary>
    /// The patch document of <paramref name="body"/>; a body that is not an array of operation objects, each with a
    /// known <c>op</c>, a string <c>path</c>, a <c>from</c> where <c>move</c> and <c>copy</c> need one and a <c>value</c>
    /// where <c>add</c>, <c>replace</c> and <c>test</c> need one (RFC 6902 §4), throws <see cref="EntityBodyException"/>
    /// naming the first bad operation.
    /// </summary>
    private static JsonPatchDocument ParseJsonPatch(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Array)
        {
            throw new EntityBodyException($"A JSON Patch body must be an array of operations such as {{\"op\": \"replace\", \"path\": \"/name\", \"value\": \"…\"}}, not {EntityFields.Kind(body)}.");
        }

        var index = 0;
        foreach (var operation in body.EnumerateArray())
        {
            var at = $"Operation {index++}";
            if (operation.ValueKind != JsonValueKind.Object)
            {
                throw new EntityBodyException($"{at} must be an object with 'op' and 'path'.");
            }

            var op = operation.TryGetProperty("op", out var opValue) && opValue.ValueKind == JsonValueKind.String ? opValue.GetString()! : null;
            if (op is null || !s_patchOperations.Contains(op))
            {
                throw new EntityBodyException($"{at} has no known 'op'; the operations are {string.Join(", ", s_patchOperations)}.");
            }

            RequirePointer(operation, "path", at);
            if (op is "move" or "copy")
            {
                RequirePointer(operation, "from", at);
            }

            if (op is "add" or "replace" or "test" && !operation.TryGetProperty("value", out _))
            {
                throw new EntityBodyException($"{at} ('{op}') needs a 'value'.");
            }
        }

        return body.Deserialize<JsonPatchDocument>()
            ?? throw new EntityBodyException("A JSON Patch body must be an array of operations.");
    }

    /// <summary>Requires member <paramref name="name"/> of <paramref name="operation"/> to be a JSON Pointer (RFC 6901: empty or starting with '/').</summary>
    private static void RequirePointer(JsonElement operation, string name, string at)
    {
        if (!operation.TryGetProperty(name, out var pointer) || pointer.ValueKind != JsonValueKind.String || pointer.GetString() is not ({ Length: 0 } or ['/', ..]))
        {
            throw new EntityBodyException($"{at} needs a '{name}' that is a JSON Pointer such as '/properties/colour'.");
        }
    }
}
