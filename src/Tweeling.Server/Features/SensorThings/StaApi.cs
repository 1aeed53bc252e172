using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
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

    /// <summary>Writes a JSON body with <paramref name="write"/> and wraps it as a response.</summary>
    public static StaJsonResult Json(Action<Utf8JsonWriter> write, int status = StatusCodes.Status200OK, string? location = null)
    {
        var buffer = new ArrayBufferWriter<byte>(4 * 1024);
        using (var json = new Utf8JsonWriter(buffer, JsonOutput.WriterOptions))
        {
            write(json);
        }

        return new StaJsonResult(buffer.WrittenMemory, status, location);
    }
}

/// <summary>A ready JSON body (<c>application/json</c>) with a status and, for a creation, a <c>Location</c>.</summary>
internal sealed class StaJsonResult(ReadOnlyMemory<byte> body, int status, string? location) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => status;

    /// <summary>The UTF-8 JSON body.</summary>
    public ReadOnlyMemory<byte> Body => body;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = status;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        if (location is not null)
        {
            httpContext.Response.Headers.Location = location;
        }

        httpContext.Response.ContentLength = body.Length;
        await httpContext.Response.Body.WriteAsync(body, httpContext.RequestAborted);
    }
}
