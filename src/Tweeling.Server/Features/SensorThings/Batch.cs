using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Server.Features.Live;
using Tweeling.Server.Hosting;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.SensorThings;

/// <summary>
/// <c>POST /sta/v1.1/$batch</c> (OGC 18-088 §11, OData 4.0 Part 1 §11.7 multipart batch): a
/// <c>multipart/mixed</c> body of <c>application/http</c> requests (GET, POST, PATCH, PUT, DELETE) and change
/// sets (nested <c>multipart/mixed</c>). Each request outside a change set is its own write unit; a change set is
/// one unit, so all of its requests are stored or none. Within a change set a request may name an entity created
/// by an earlier one by its <c>Content-ID</c>: <c>$1</c> as the start of the URL (<c>$1/Datastreams</c>) or as an
/// <c>"@iot.id": "$1"</c> link in the body. A PATCH part whose own <c>Content-Type</c> is
/// <c>application/json-patch+json</c> is a JSON Patch (RFC 6902), applied as a single request's is
/// (<see cref="EntityWrites.ApplyJsonPatchAsync"/>); any other PATCH body is a JSON merge. The answer is
/// <c>multipart/mixed</c> with one <c>application/http</c> response per request, in order; a failed change set has one
/// response, its problem.
/// </summary>
/// <remarks>
/// GET parts are answered by the same handler as a GET request (<see cref="Resources.GetAsync"/>), filtered as a GET is.
/// A part that fails in the store — a GET whose read fails, a change set or request whose write unit fails — is answered
/// with its own 500 problem and the batch goes on, since the parts before it may have been stored.
/// </remarks>
internal static partial class Batch
{
    /// <summary>The largest batch body (16 MB).</summary>
    public const int MaxBodyBytes = 16 * 1024 * 1024;

    public static async Task<IResult> Post(
        HttpContext http, ISensorStore sensors, IObservationStore observations, ObservationAnnouncer bus, ReadAccess access, CrsTransformer crs, TimeProvider time,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (Boundary(http.Request.ContentType) is not { } boundary)
        {
            return ProblemType.InvalidBody.With("A $batch body must be multipart/mixed with a boundary (OData 4.0 batch).");
        }

        var (bytes, tooLarge) = await EntityWrites.ReadBodyAsync(http.Request, MaxBodyBytes, cancellationToken);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        var context = new BatchContext(http, sensors, observations, bus, crs, time, await access.SensorVisibilityAsync(http, cancellationToken), loggers.CreateLogger(typeof(Batch)));
        var response = new StringBuilder();
        var responseBoundary = "batchresponse_" + Guid.NewGuid().ToString("N");
        try
        {
            var reader = new MultipartReader(boundary, new MemoryStream(bytes));
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                response.Append("--").Append(responseBoundary).Append("\r\n");
                if (Boundary(section.ContentType) is { } changeSetBoundary)
                {
                    await ChangeSetAsync(context, new MultipartReader(changeSetBoundary, section.Body), response, cancellationToken);
                }
                else
                {
                    var request = await ReadRequestAsync(section, cancellationToken);
                    var answer = request.Method == HttpMethods.Get
                        ? await context.GetAsync(request.Url, cancellationToken)
                        : (await context.WriteAsync([request], cancellationToken)).Answers[0];
                    AppendResponse(response, answer, contentId: null);
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException or BatchFormatException)
        {
            return ProblemType.InvalidBody.With($"The $batch body is not a valid multipart batch: {e.Message}");
        }

        response.Append("--").Append(responseBoundary).Append("--\r\n");
        return TypedResults.Text(response.ToString(), $"multipart/mixed; boundary={responseBoundary}", Encoding.UTF8);
    }

    private static async Task ChangeSetAsync(BatchContext context, MultipartReader reader, StringBuilder response, CancellationToken cancellationToken)
    {
        var requests = new List<PartRequest>();
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            var request = await ReadRequestAsync(section, cancellationToken);
            if (request.Method == HttpMethods.Get)
            {
                throw new BatchFormatException("a change set may not hold a GET request.");
            }

            requests.Add(request);
        }

        var (answers, failed) = await context.WriteAsync(requests, cancellationToken);
        if (failed)
        {
            // The change set failed: one response for all of it, as OData asks.
            AppendResponse(response, answers[0], contentId: null);
            return;
        }

        var changeSetBoundary = "changesetresponse_" + Guid.NewGuid().ToString("N");
        response.Append("Content-Type: multipart/mixed; boundary=").Append(changeSetBoundary).Append("\r\n\r\n");
        for (var i = 0; i < answers.Count; i++)
        {
            response.Append("--").Append(changeSetBoundary).Append("\r\n");
            AppendResponse(response, answers[i], requests[i].ContentId);
        }

        response.Append("--").Append(changeSetBoundary).Append("--\r\n");
    }

    /// <summary>Reads an <c>application/http</c> part: request line, headers, blank line, body.</summary>
    private static async Task<PartRequest> ReadRequestAsync(MultipartSection section, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await section.Body.CopyToAsync(buffer, cancellationToken);
        var text = Encoding.UTF8.GetString(buffer.ToArray());
        // Headers end at the first blank line; parts written by hand may use bare LF line ends.
        var (end, separator) = text.IndexOf("\r\n\r\n", StringComparison.Ordinal) is var crlf and >= 0 ? (crlf, 4) : (text.IndexOf("\n\n", StringComparison.Ordinal), 2);
        var head = end >= 0 ? text[..end] : text;
        var body = end >= 0 ? text[(end + separator)..].Trim() : string.Empty;
        var requestLine = head.Split('\n')[0].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (requestLine.Length < 2 || requestLine[0] is not ("GET" or "POST" or "PATCH" or "PUT" or "DELETE"))
        {
            throw new BatchFormatException($"a part does not start with a request line 'METHOD URL HTTP/1.1' of GET, POST, PATCH, PUT or DELETE: '{head.Split('\n')[0].Trim()}'.");
        }

        var contentId = section.Headers?.TryGetValue("Content-ID", out var id) == true ? id.ToString() : null;
        return new PartRequest(requestLine[0], requestLine[1], body.Length == 0 ? null : body, contentId, HeaderOf(head, HeaderNames.ContentType));
    }

    /// <summary>The value of header <paramref name="name"/> among the lines after the request line of <paramref name="head"/>, or <c>null</c>.</summary>
    private static string? HeaderOf(string head, string name)
    {
        foreach (var line in head.Split('\n').Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }

    private static void AppendResponse(StringBuilder response, PartAnswer answer, string? contentId)
    {
        response.Append("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n");
        if (contentId is not null)
        {
            response.Append("Content-ID: ").Append(contentId).Append("\r\n");
        }

        response.Append("\r\nHTTP/1.1 ").Append(answer.Status).Append(' ').Append(ReasonPhrases.GetReasonPhrase(answer.Status)).Append("\r\n");
        if (answer.Location is not null)
        {
            response.Append("Location: ").Append(answer.Location).Append("\r\n");
        }

        if (answer.ContentType is not null)
        {
            response.Append("Content-Type: ").Append(answer.ContentType).Append("\r\n");
        }

        response.Append("\r\n").Append(answer.Body).Append("\r\n");
    }

    private static string? Boundary(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media) && media.MediaType.Equals("multipart/mixed", StringComparison.OrdinalIgnoreCase)
            ? HeaderUtilities.RemoveQuotes(media.Boundary).Value
            : null;

    /// <summary>A <c>"@iot.id": "$1"</c> link to an entity created earlier in the change set.</summary>
    [GeneratedRegex(@"(""@iot\.id""\s*:\s*)""\$(?<ref>[A-Za-z0-9_\-]+)""", RegexOptions.CultureInvariant)]
    private static partial Regex IdReference();

    /// <summary>One request of a batch.</summary>
    private sealed record PartRequest(string Method, string Url, string? Body, string? ContentId, string? ContentType);

    /// <summary>One response of a batch.</summary>
    private sealed record PartAnswer(int Status, string? ContentType, string? Location, string Body);

    /// <summary>The batch is not well-formed multipart HTTP.</summary>
    private sealed class BatchFormatException(string message) : Exception(message);

    /// <summary>What the parts of one batch share: the outer request and the services.</summary>
    private sealed class BatchContext(
        HttpContext http, ISensorStore sensors, IObservationStore observations, ObservationAnnouncer bus, CrsTransformer crs, TimeProvider time, SensorVisibility visibility, ILogger logger)
    {
        private readonly string _root = StaApi.ServiceRoot(http.Request);

        /// <summary>
        /// Answers a GET part through <see cref="Resources.GetAsync"/>, on a request of its own, with what the batch's caller
        /// may see. A read that fails in the store is a 500 problem in place of this part, as a failed change set is: the
        /// writes before it are stored and must be answered, and the parts after it still run. Problems of the request
        /// itself (a bad query, an unknown entity) are answers of <see cref="Resources.GetAsync"/>, not exceptions, so
        /// anything thrown here other than a cancellation is the server's fault.
        /// </summary>
        public async Task<PartAnswer> GetAsync(string url, CancellationToken cancellationToken)
        {
            var (path, query) = Relative(url, new Dictionary<string, Written>());
            try
            {
                // Executing the result is in the try as well: a collection may be read from the store while it is written.
                var part = Context(path, query);
                var result = await Resources.GetAsync(path, part, visibility, sensors, crs, time, recent: null, cancellationToken);
                return await RunAsync(result, part);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.GetPartFailed(logger, e);
                var problem = TypedResults.Problem(
                    statusCode: StatusCodes.Status500InternalServerError,
                    detail: "The store failed while reading this part of the batch. The failure has been logged.");
                return await RunAsync(problem, Context(string.Empty, string.Empty));
            }
        }

        /// <summary>
        /// Runs <paramref name="requests"/> as one write unit. Returns one answer per request, or — when one failed
        /// and so nothing was stored — the one problem, with <c>Failed</c> set. A failure of the store itself is a 500
        /// problem in place of the change set, not of the whole batch: the requests before it are stored and must be
        /// answered, and the ones after it still run (as after a 4xx).
        /// </summary>
        public async Task<(IReadOnlyList<PartAnswer> Answers, bool Failed)> WriteAsync(IReadOnlyList<PartRequest> requests, CancellationToken cancellationToken)
        {
            try
            {
                return await WriteUnitAsync(requests, cancellationToken);
            }
            catch (WriteUnitFailedException e)
            {
                Log.ChangeSetFailed(logger, requests.Count, e.InnerException);
                var problem = TypedResults.Problem(
                    statusCode: StatusCodes.Status500InternalServerError,
                    detail: "The store failed while writing this change set and rolled it back: nothing of it was stored. The failure has been logged.");
                return ([await RunAsync(problem, Context(string.Empty, string.Empty))], true);
            }
        }

        private async Task<(IReadOnlyList<PartAnswer> Answers, bool Failed)> WriteUnitAsync(IReadOnlyList<PartRequest> requests, CancellationToken cancellationToken)
        {
            var outcome = await EntityWrites.RunAsync(http, sensors, bus, time, async (writer, ct) =>
            {
                var created = new Dictionary<string, Written>(StringComparer.Ordinal);
                var written = new List<Written>();
                foreach (var request in requests)
                {
                    var (path, _) = Relative(request.Url, created);
                    JsonDocument? body = null;
                    try
                    {
                        if (request.Body is { } text)
                        {
                            body = JsonDocument.Parse(IdReference().Replace(text, m => m.Groups[1].Value + Reference(created, m.Groups["ref"].Value).Id));
                        }

                        var result = request.Method == HttpMethods.Patch && EntityWrites.IsJsonPatch(request.ContentType)
                            ? await EntityWrites.ApplyJsonPatchAsync(writer, crs, _root, path, body?.RootElement ?? throw new EntityBodyException("A JSON Patch needs a body."), ct)
                            : await EntityWrites.ApplyAsync(writer, request.Method, path, body?.RootElement, ct);
                        written.Add(result);
                        if (request.ContentId is { } id)
                        {
                            created[id] = result;
                        }
                    }
                    catch (JsonException e)
                    {
                        throw new EntityBodyException($"The body of '{request.Method} {request.Url}' is not valid JSON: {e.Message}");
                    }
                    finally
                    {
                        body?.Dispose();
                    }
                }

                return written;
            }, cancellationToken);
            if (outcome.Problem is not null)
            {
                return ([await RunAsync(outcome.Problem, Context(string.Empty, string.Empty))], true);
            }

            var answers = new List<PartAnswer>();
            for (var i = 0; i < requests.Count; i++)
            {
                var result = await EntityWrites.AnswerAsync(requests[i].Method, outcome.Value![i], sensors, observations, crs, _root, cancellationToken);
                answers.Add(await RunAsync(result, Context(string.Empty, string.Empty)));
            }

            return (answers, false);
        }

        /// <summary>The path below the service root and the query of a part's URL, with a leading <c>$id</c> resolved.</summary>
        private (string Path, string Query) Relative(string url, Dictionary<string, Written> created)
        {
            var path = url;
            var prefixes = new[] { _root + "/", StaApi.Prefix + "/", StaApi.Prefix[1..] + "/", "/" };
            foreach (var prefix in prefixes)
            {
                if (path.StartsWith(prefix, StringComparison.Ordinal))
                {
                    path = path[prefix.Length..];
                    break;
                }
            }

            var query = string.Empty;
            if (path.IndexOf('?', StringComparison.Ordinal) is var q and >= 0)
            {
                (path, query) = (path[..q], path[q..]);
            }

            if (path.StartsWith('$'))
            {
                var slash = path.IndexOf('/', StringComparison.Ordinal);
                var name = slash < 0 ? path[1..] : path[1..slash];
                var target = Reference(created, name);
                path = $"{target.Set.Name}({target.Id})" + (slash < 0 ? string.Empty : path[slash..]);
            }

            return (path, query);
        }

        private static Written Reference(Dictionary<string, Written> created, string contentId) =>
            created.TryGetValue(contentId, out var target)
                ? target
                : throw new EntityBodyException($"'${contentId}' names no entity created earlier in this change set (Content-ID).");

        /// <summary>A request of its own for one part, with the outer request's host and services.</summary>
        private DefaultHttpContext Context(string path, string query)
        {
            var part = InProcessRequest.Get(
                http.RequestServices, http.Request.Scheme, http.Request.Host, http.Request.PathBase, StaApi.Prefix + "/" + path, new QueryString(query));
            part.Response.Body = new MemoryStream();
            return part;
        }

        private static async Task<PartAnswer> RunAsync(IResult result, HttpContext part)
        {
            await result.ExecuteAsync(part);
            var body = (MemoryStream)part.Response.Body;
            return new PartAnswer(
                part.Response.StatusCode,
                part.Response.ContentType,
                part.Response.Headers.Location.Count > 0 ? part.Response.Headers.Location.ToString() : null,
                Encoding.UTF8.GetString(body.ToArray()));
        }
    }

    private static partial class Log
    {
        // Ids and counts only: the exception is the store's (SQLite names tables and constraints, not the values written).
        [LoggerMessage(EventId = 1019, Level = LogLevel.Error, Message = "A $batch change set of {Requests} requests failed in the store and was rolled back")]
        public static partial void ChangeSetFailed(ILogger logger, int requests, Exception? exception);

        // No URL: a part's query may hold values ($filter on a name); the exception is the store's.
        [LoggerMessage(EventId = 1020, Level = LogLevel.Error, Message = "A $batch GET part failed in the store; it was answered 500 and the batch went on")]
        public static partial void GetPartFailed(ILogger logger, Exception exception);
    }
}
