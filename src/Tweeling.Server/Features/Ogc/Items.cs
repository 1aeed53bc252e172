using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Tweeling.Domain.Features;
using Tweeling.Domain.Geo;
using Tweeling.Server.Hosting;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.Ogc;

/// <summary><c>GET /ogc/collections/{collectionId}/items[/{featureId}]</c>: features as GeoJSON.</summary>
internal static class Items
{
    public static async Task<Results<GeoJsonResult, ProblemHttpResult>> List(
        string collectionId,
        HttpContext http,
        CollectionSources sources,
        ReadAccess access,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (sources.Find(collectionId) is not var (definition, source))
        {
            return ProblemType.NotFound.With($"There is no collection '{collectionId}'.");
        }

        var (request, problem) = ItemsRequest.Parse(http.Request.Query, definition);
        if (problem is not null)
        {
            return problem;
        }

        var context = await ReadContext.OfAsync(http, access, time, cancellationToken);
        var page = await source.ItemsAsync(definition, request!, context, cancellationToken);

        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        await using (var json = new Utf8JsonWriter(buffer, JsonOutput.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("type", "FeatureCollection");
            json.WriteStartArray("features");
            foreach (var body in page.Features)
            {
                json.WriteRawValue(body, skipInputValidation: true);
            }

            json.WriteEndArray();
            json.WriteNumber("numberMatched", page.NumberMatched);
            json.WriteNumber("numberReturned", page.Features.Count);
            json.WriteString("timeStamp", context.Now.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            json.WriteStartArray("links");
            var self = PageUrl(http.Request, request!.Offset);
            WriteLink(json, self, "self", "Deze pagina");
            if (request.Offset + page.Features.Count < page.NumberMatched)
            {
                WriteLink(json, PageUrl(http.Request, request.Offset + request.Limit), "next", "Volgende pagina");
            }

            if (request.Offset > 0)
            {
                WriteLink(json, PageUrl(http.Request, Math.Max(0, request.Offset - request.Limit)), "prev", "Vorige pagina");
            }

            WriteLink(json, $"{OgcLinks.Base(http.Request)}/collections/{definition.Id}", "collection", definition.Title, OgcFormat.Json);
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return new GeoJsonResult(buffer.WrittenMemory, Crs.UriOf(request.ResponseSrid));
    }

    public static async Task<Results<GeoJsonResult, ProblemHttpResult>> Get(
        string collectionId,
        string featureId,
        HttpContext http,
        CollectionSources sources,
        ReadAccess access,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (sources.Find(collectionId) is not var (definition, source))
        {
            return ProblemType.NotFound.With($"There is no collection '{collectionId}'.");
        }

        if (OgcFormat.CheckOnly(http.Request.Query, "crs", "datetime") is { } problem)
        {
            return problem;
        }

        var (responseSrid, crsProblem) = ItemsRequest.ParseCrs(http.Request.Query, "crs");
        if (crsProblem is not null)
        {
            return crsProblem;
        }

        TemporalFilter? filter = null;
        string? datetime = null;
        if (http.Request.Query.TryGetValue("datetime", out var datetimeText))
        {
            datetime = datetimeText.ToString();
            (filter, var error) = ItemsRequest.ParseDatetime(datetime);
            if (error is not null)
            {
                return ProblemType.InvalidParameter.With(error);
            }
        }

        var context = await ReadContext.OfAsync(http, access, time, cancellationToken);
        var (feature, findProblem) = await source.FindAsync(definition, featureId, new FeatureRequest(responseSrid, filter, datetime), context, cancellationToken);
        if (findProblem is not null)
        {
            return findProblem;
        }

        var buffer = new ArrayBufferWriter<byte>(4 * 1024);
        await using (var json = new Utf8JsonWriter(buffer, JsonOutput.WriterOptions))
        {
            feature!.WriteOpen(json);
            json.WriteStartArray("links");
            var collection = $"{OgcLinks.Base(http.Request)}/collections/{definition.Id}";
            WriteLink(json, $"{collection}/items/{Uri.EscapeDataString(feature.Id)}", "self", feature.Id);
            WriteLink(json, collection, "collection", definition.Title, OgcFormat.Json);
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return new GeoJsonResult(buffer.WrittenMemory, Crs.UriOf(responseSrid));
    }

    private static string PageUrl(HttpRequest request, int offset)
    {
        var parameters = request.Query
            .Where(p => p.Key != "offset")
            .Select(p => new KeyValuePair<string, string?>(p.Key, p.Value.ToString()))
            .Append(new("offset", offset.ToString(CultureInfo.InvariantCulture)));
        return QueryHelpers.AddQueryString($"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}", parameters);
    }

    private static void WriteLink(Utf8JsonWriter json, string href, string rel, string title, string type = OgcFormat.GeoJson)
    {
        json.WriteStartObject();
        json.WriteString("href", href);
        json.WriteString("rel", rel);
        json.WriteString("type", type);
        json.WriteString("title", title);
        json.WriteEndObject();
    }
}

/// <summary>A GeoJSON body with the <c>Content-Crs</c> header of OGC API – Features Part 2.</summary>
internal sealed class GeoJsonResult(ReadOnlyMemory<byte> body, string crsUri) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.ContentType = OgcFormat.GeoJson;
        httpContext.Response.Headers["Content-Crs"] = $"<{crsUri}>";
        httpContext.Response.ContentLength = body.Length;
        await httpContext.Response.Body.WriteAsync(body, httpContext.RequestAborted);
    }
}
