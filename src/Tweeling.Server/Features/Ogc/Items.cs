using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Features;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Server.Hosting;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.Ogc;

/// <summary><c>GET /ogc/collections/{collectionId}/items[/{featureId}]</c>: features as GeoJSON.</summary>
internal static class Items
{
    /// <summary>
    /// The part of CRS84 where RD New is meaningful: its EPSG area of use (3.2–7.22°E, 50.75–53.7°N)
    /// with a margin. A bbox is cut to it before it is projected, since the oblique stereographic
    /// projection of a point on the far side of the globe is meaningless.
    /// </summary>
    private static readonly Envelope s_rdNewAreaOfUse = new(1.0, 9.5, 49.5, 55.0);

    public static async Task<Results<GeoJsonResult, ProblemHttpResult>> List(
        string collectionId,
        HttpContext http,
        IFeatureStore features,
        ReadAccess access,
        CrsTransformer crs,
        FeatureJsonCache cache,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (TwinCollections.Find(collectionId) is not { } definition)
        {
            return ProblemType.NotFound.With($"There is no collection '{collectionId}'.");
        }

        var (request, problem) = ItemsRequest.Parse(http.Request.Query, definition);
        if (problem is not null)
        {
            return problem;
        }

        var now = time.GetUtcNow();
        var bbox = request!.Bbox;
        if (bbox is not null && request.BboxSrid == Crs.Crs84Srid)
        {
            var usable = bbox.Intersection(s_rdNewAreaOfUse);
            bbox = usable.IsNull ? new Envelope(0, 0, 0, 0) : crs.Transform(usable, Crs.Crs84Srid, Crs.RdNewSrid);
        }

        var query = new FeatureQuery(
            definition.Id,
            request.Time ?? TemporalFilter.At(now),
            bbox,
            request.PropertyEquals,
            request.Limit,
            request.Offset,
            await access.ReadableDatasetsAsync(http, cancellationToken));
        var page = await features.QueryVersionsAsync(query, cancellationToken);
        var bodies = await FeatureJsonAsync(page, features, cache.For(definition.Id, request.ResponseSrid, page.Revision), new GeoJsonWriter(crs, request.ResponseSrid), cancellationToken);

        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        await using (var json = new Utf8JsonWriter(buffer, JsonOutput.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("type", "FeatureCollection");
            json.WriteStartArray("features");
            foreach (var body in bodies)
            {
                json.WriteRawValue(body, skipInputValidation: true);
            }

            json.WriteEndArray();
            json.WriteNumber("numberMatched", page.NumberMatched);
            json.WriteNumber("numberReturned", bodies.Count);
            json.WriteString("timeStamp", now.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            json.WriteStartArray("links");
            var self = PageUrl(http.Request, request.Offset);
            WriteLink(json, self, "self", "Deze pagina");
            if (request.Offset + bodies.Count < page.NumberMatched)
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
        IFeatureStore features,
        ReadAccess access,
        CrsTransformer crs,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (TwinCollections.Find(collectionId) is not { } definition)
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

        var asOf = time.GetUtcNow();
        if (http.Request.Query.TryGetValue("datetime", out var datetimeText))
        {
            var (filter, error) = ItemsRequest.ParseDatetime(datetimeText.ToString());
            // An instant, a date (its first moment) or an interval (its start) picks one version.
            if (filter?.Start is not { } start)
            {
                return ProblemType.InvalidParameter.With(error ?? $"'datetime' on a single feature needs a start instant or date; got '{datetimeText}'.");
            }

            asOf = start;
        }

        var feature = await features.FindAsync(definition.Id, featureId, asOf, cancellationToken);
        if (feature is null || !(await access.ReadableDatasetsAsync(http, cancellationToken)).Contains(feature.DatasetId))
        {
            return ProblemType.NotFound.With($"Collection '{definition.Id}' has no feature '{featureId}' valid at {asOf:O}.");
        }

        var buffer = new ArrayBufferWriter<byte>(4 * 1024);
        await using (var json = new Utf8JsonWriter(buffer, JsonOutput.WriterOptions))
        {
            new GeoJsonWriter(crs, responseSrid).WriteFeature(json, feature);
            json.WriteStartArray("links");
            var collection = $"{OgcLinks.Base(http.Request)}/collections/{definition.Id}";
            WriteLink(json, $"{collection}/items/{Uri.EscapeDataString(feature.Id)}", "self", feature.Id);
            WriteLink(json, collection, "collection", definition.Title, OgcFormat.Json);
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return new GeoJsonResult(buffer.WrittenMemory, Crs.UriOf(responseSrid));
    }

    /// <summary>The GeoJSON of each version of the page, from the cache where it holds them, else decoded and written once.</summary>
    private static async Task<List<byte[]>> FeatureJsonAsync(
        FeatureVersionPage page, IFeatureStore features, FeatureJsonCache.Generation cached, GeoJsonWriter writer, CancellationToken cancellationToken)
    {
        var bodies = new Dictionary<long, byte[]>(page.VersionIds.Count);
        var missing = new List<long>();
        foreach (var id in page.VersionIds)
        {
            if (cached.TryGet(id, out var json))
            {
                bodies[id] = json;
            }
            else
            {
                missing.Add(id);
            }
        }

        foreach (var version in await features.LoadVersionsAsync(missing, cancellationToken))
        {
            var json = writer.ToJson(version.Feature);
            cached.Add(version.VersionId, json);
            bodies[version.VersionId] = json;
        }

        return [.. page.VersionIds.Where(bodies.ContainsKey).Select(id => bodies[id])];
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
