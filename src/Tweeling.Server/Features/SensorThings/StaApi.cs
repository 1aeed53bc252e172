using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Tweeling.Domain.Sensors.Query;
using Tweeling.Server.Hosting;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.SensorThings;

/// <summary>What the SensorThings API 1.1 endpoints share: the prefix, the service root URL, query options and JSON bodies.</summary>
internal static class StaApi
{
    /// <summary>Where the API is mapped.</summary>
    public const string Prefix = "/sta/v1.1";

    /// <summary>The default page size when <c>$top</c> is not given.</summary>
    public const int DefaultTop = 100;

    /// <summary>The server's page limit: a larger <c>$top</c> is cut to it and the rest is behind <c>@iot.nextLink</c>.</summary>
    public const int MaxTop = 10_000;

    /// <summary>The absolute URL of the service root, without a trailing slash.</summary>
    public static string ServiceRoot(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}{Prefix}";

    /// <summary>
    /// Parses the request's query options. A malformed option is a 400 problem, an option the parser does not
    /// know is a 501 problem (as the standard asks).
    /// </summary>
    public static (QueryOptions? Options, ProblemHttpResult? Problem) ParseOptions(HttpRequest request)
    {
        var parameters = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in request.Query)
        {
            foreach (var value in values)
            {
                parameters.Add(new(name, value ?? string.Empty));
            }
        }

        try
        {
            return (QueryOptions.Parse(parameters), null);
        }
        catch (QueryOptionException e) when (e.Kind == QueryOptionErrorKind.BadRequest)
        {
            return (null, ProblemType.InvalidParameter.With(e.Message));
        }
        catch (QueryOptionException e)
        {
            return (null, ProblemType.NotImplemented.With(e.Message));
        }
    }

    /// <summary>A 400 problem when <c>$select</c> names something <paramref name="set"/> does not have, else <c>null</c>.</summary>
    public static ProblemHttpResult? CheckSelect(QueryOptions options, EntitySet set)
    {
        foreach (var name in options.Select)
        {
            if (!set.CanSelect(name))
            {
                return ProblemType.InvalidParameter.With(
                    $"$select: {set.EntityType} has no property or navigation property '{name}'; it has id, {string.Join(", ", set.Properties.Concat(set.Navigations))}.");
            }
        }

        return null;
    }

    /// <summary>A thread's buffer kept between answers up to this size; a larger one (a huge page) is let go after use.</summary>
    private const int KeptBufferBytes = 1024 * 1024;

    /// <summary>
    /// A buffer per thread for writing answers: a growing buffer per answer copied itself over and over (a 95 KB
    /// answer grew through six arrays, the last one on the large object heap) before its bytes were copied out.
    /// </summary>
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? s_buffer;

    /// <summary>Writes a JSON body with <paramref name="write"/> and wraps it as a response.</summary>
    public static StaJsonResult Json(Action<Utf8JsonWriter> write, int status = StatusCodes.Status200OK, string? location = null)
    {
        // Taken from the thread while in use, so that a nested call (none today) would get a buffer of its own.
        var buffer = s_buffer ?? new ArrayBufferWriter<byte>(64 * 1024);
        s_buffer = null;
        byte[] body;
        try
        {
            using (var json = new Utf8JsonWriter(buffer, JsonOutput.WriterOptions))
            {
                write(json);
            }

            body = buffer.WrittenSpan.ToArray();
        }
        finally
        {
            buffer.ResetWrittenCount();
            if (buffer.Capacity <= KeptBufferBytes)
            {
                s_buffer = buffer;
            }
        }

        return new StaJsonResult(body, status, location);
    }
}

/// <summary>
/// A ready JSON body (<c>application/json</c>) with a status and, for a creation, a <c>Location</c>. With an entity tag,
/// a GET whose <c>If-None-Match</c> names it is answered 304 Not Modified without the body. An answer kept by
/// <see cref="StaAnswerCache"/> is also sent gzip-compressed to a client that accepts it (<see cref="GzipAnswer"/>).
/// </summary>
internal sealed class StaJsonResult(ReadOnlyMemory<byte> body, int status, string? location, string? etag = null, GzipAnswer? gzip = null)
    : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => status;

    /// <summary>The UTF-8 JSON body.</summary>
    public ReadOnlyMemory<byte> Body => body;

    /// <summary>The strong entity tag of the body, when it has one.</summary>
    public string? ETag => etag;

    /// <summary>This answer with the entity tag of its body (see <see cref="StaAnswerCache.ETagOf"/>).</summary>
    public StaJsonResult Tagged() => new(body, status, location, StaAnswerCache.ETagOf(body.Span));

    /// <summary>
    /// This answer as <see cref="StaAnswerCache"/> keeps it: given to many clients, so its gzip form is worth making
    /// (once, for the first client that accepts it).
    /// </summary>
    public StaJsonResult Kept() => etag is null || gzip is not null || !GzipAnswer.WorthIt(body.Length) ? this : new(body, status, location, etag, new GzipAnswer(body, etag));

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        var (sent, tag) = (body, etag);
        var compressed = false;
        if (gzip is not null)
        {
            // Whether the answer is compressed depends on the request's Accept-Encoding, so shared caches must key on it
            // (appended: the CORS middleware may vary the answer by Origin as well).
            response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptEncoding);
            if (GzipAnswer.Accepted(httpContext.Request))
            {
                (sent, tag, compressed) = (gzip.Body, gzip.ETag, true);
            }
        }

        if (tag is not null)
        {
            response.Headers.ETag = tag;
            if (status == StatusCodes.Status200OK && NotModified(httpContext.Request, tag))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
        }

        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        if (compressed)
        {
            response.Headers.ContentEncoding = "gzip";
        }

        if (location is not null)
        {
            response.Headers.Location = location;
        }

        response.ContentLength = sent.Length;
        await response.Body.WriteAsync(sent, httpContext.RequestAborted);
    }

    /// <summary>Whether <c>If-None-Match</c> names <paramref name="etag"/> or is <c>*</c> (RFC 9110 §13.1.2: weak comparison).</summary>
    private static bool NotModified(HttpRequest request, string etag)
    {
        if (request.Headers.IfNoneMatch.Count == 0)
        {
            return false;
        }

        var tag = new EntityTagHeaderValue(etag);
        return request.GetTypedHeaders().IfNoneMatch.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(tag, useStrongComparison: false));
    }
}
