using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.SensorThings;

/// <summary>
/// <c>POST /sta/v1.1/Observations</c> and <c>POST /sta/v1.1/Datastreams({id})/Observations</c>: append one
/// Observation (OGC 18-088 §10.2). The 201 is sent only after the store has made it durable.
/// </summary>
internal static partial class Observations
{
    /// <summary>The largest body accepted: one Observation is a few hundred bytes, so 1 MB leaves room for big results.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    private static readonly string[] s_members = ["phenomenonTime", "result", "resultTime", "resultQuality", "validTime", "parameters", "Datastream", "FeatureOfInterest"];

    public static async Task<Results<StaJsonResult, ProblemHttpResult>> Post(
        string path,
        HttpContext http,
        ISensorStore sensors,
        IObservationStore observations,
        CrsTransformer crs,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!TryObservationTarget(path, out var pathDatastream))
        {
            if (DatastreamObservations().Match(path) is { Success: true } unparsable)
            {
                return ProblemType.NotFound.With($"There is no Datastream with id {unparsable.Groups["id"].Value}.");
            }

            var set = path.Split('/', '(')[0];
            if (EntitySet.Find(set) is null)
            {
                return ProblemType.NotFound.With($"There is no entity set '{set}' to create entities in.");
            }

            return ProblemType.NotImplemented.With($"Creating entities at '{StaApi.Prefix}/{path}' is not implemented yet; only Observations can be created, at Observations or Datastreams(id)/Observations.");
        }

        if (pathDatastream is { } id && await sensors.FindAsync<Datastream>(id, cancellationToken) is null)
        {
            return ProblemType.NotFound.With($"There is no Datastream with id {id}.");
        }

        var (body, tooLarge) = await ReadBodyAsync(http.Request, cancellationToken);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        var (observation, error) = ParseBody(body, pathDatastream, time.GetUtcNow());
        if (observation is null)
        {
            return ProblemType.InvalidBody.With(error!);
        }

        long newId;
        try
        {
            newId = (await observations.AppendAsync([observation], cancellationToken))[0];
        }
        catch (SensorLinkException e)
        {
            return ProblemType.InvalidBody.With($"The Observation links a {e.EntityType} that does not exist: there is no {e.EntityType} with id {e.Id}. Nothing was stored.");
        }

        var root = StaApi.ServiceRoot(http.Request);
        var stored = await observations.FindObservationAsync(newId, cancellationToken)
            ?? throw new InvalidOperationException($"Observation {newId} was appended but cannot be read back.");
        return StaApi.Json(
            json => new EntityJson(json, root, [], crs).Write(EntitySet.Observations, stored),
            StatusCodes.Status201Created,
            $"{root}/Observations({newId})");
    }

    /// <summary>
    /// Reads one Observation from a JSON body (HTTP POST or an MQTT PUBLISH payload); the error says what
    /// to fix when it is not one. <paramref name="pathDatastream"/> is the Datastream the path or topic names.
    /// </summary>
    public static (NewObservation? Observation, string? Error) ParseBody(ReadOnlyMemory<byte> body, long? pathDatastream, DateTimeOffset now)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return (Parse(document.RootElement, pathDatastream, now), null);
        }
        catch (JsonException e)
        {
            return (null, $"The body is not valid JSON: {e.Message}");
        }
        catch (BodyException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>
    /// The Datastream a resource path (<c>Datastreams(7)/Observations</c>) or an MQTT topic without its
    /// version prefix names for new Observations: <c>null</c> for <c>Observations</c> (the body names it),
    /// and <c>false</c> for anything else.
    /// </summary>
    public static bool TryObservationTarget(string path, out long? datastreamId)
    {
        datastreamId = null;
        if (path.TrimEnd('/') == "Observations")
        {
            return true;
        }

        if (DatastreamObservations().Match(path) is { Success: true } match &&
            long.TryParse(match.Groups["id"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            datastreamId = id;
            return true;
        }

        return false;
    }

    /// <summary>Reads the body up to <see cref="MaxBodyBytes"/>; a larger one is a 413 problem, whatever Content-Length said.</summary>
    private static async Task<(byte[] Body, ProblemHttpResult? TooLarge)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var tooLarge = ProblemType.BodyTooLarge.With($"The body is larger than {MaxBodyBytes} bytes (1 MB), the limit for one Observation.");
        if (request.ContentLength > MaxBodyBytes)
        {
            return ([], tooLarge);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return ([], tooLarge);
            }

            buffer.Write(chunk, 0, read);
        }

        return (buffer.ToArray(), null);
    }

    private static NewObservation Parse(JsonElement body, long? pathDatastream, DateTimeOffset now)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new BodyException($"The body must be a JSON object (an Observation), not {Kind(body)}.");
        }

        foreach (var member in body.EnumerateObject())
        {
            if (!s_members.Contains(member.Name, StringComparer.Ordinal) && member.Name != "@iot.id")
            {
                throw new BodyException($"An Observation has no member '{member.Name}'; it has {string.Join(", ", s_members)}.");
            }
        }

        var datastream = LinkId(body, "Datastream");
        if (pathDatastream is { } inPath)
        {
            if (datastream is { } inBody && inBody != inPath)
            {
                throw new BodyException($"'Datastream' links Datastream {inBody}, but the path is that of Datastream {inPath}.");
            }

            datastream = inPath;
        }

        if (datastream is null)
        {
            throw new BodyException("An Observation needs its Datastream: give \"Datastream\": {\"@iot.id\": <id>}, or POST to Datastreams(id)/Observations.");
        }

        if (!body.TryGetProperty("result", out var result))
        {
            throw new BodyException("An Observation needs a 'result' (a number, or any other JSON value).");
        }

        double? number = null;
        JsonElement? other = null;
        if (result.ValueKind == JsonValueKind.Number)
        {
            number = result.TryGetDouble(out var value) && double.IsFinite(value)
                ? value
                : throw new BodyException($"'result' {result.GetRawText()} is out of the range of a double.");
        }
        else if (result.ValueKind != JsonValueKind.Null)
        {
            other = result.Clone();
        }

        var parameters = Optional(body, "parameters");
        if (parameters is { ValueKind: not JsonValueKind.Object })
        {
            throw new BodyException($"'parameters' must be a JSON object, not {Kind(parameters.Value)}.");
        }

        return new NewObservation(
            datastream.Value,
            Time(body, "phenomenonTime") ?? SensorTime.At(now),
            number,
            other,
            Time(body, "resultTime") is { } resultTime
                ? resultTime.IsInstant ? resultTime.Start : throw new BodyException("'resultTime' must be an instant, not an interval.")
                : null,
            LinkId(body, "FeatureOfInterest"),
            Optional(body, "resultQuality"),
            Time(body, "validTime"),
            parameters);
    }

    /// <summary>The id of <c>{"@iot.id": n}</c> in member <paramref name="name"/>, or <c>null</c> when absent.</summary>
    private static long? LinkId(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var link) || link.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (link.ValueKind != JsonValueKind.Object)
        {
            throw new BodyException($"'{name}' must be a link such as {{\"@iot.id\": 1}}, not {Kind(link)}.");
        }

        if (!link.TryGetProperty("@iot.id", out var id))
        {
            throw new BodyException($"'{name}' has no '@iot.id': creating a {name} inside an Observation is not supported yet; link an existing one with {{\"@iot.id\": 1}}.");
        }

        return id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out var value)
            ? value
            : throw new BodyException($"'{name}/@iot.id' must be an integer, not {id.GetRawText()}.");
    }

    private static JsonElement? Optional(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.Clone() : null;

    /// <summary>An ISO 8601 instant or <c>start/end</c> interval with a time zone; <c>null</c> when absent or null.</summary>
    private static SensorTime? Time(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var text = value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new BodyException($"'{name}' must be an ISO 8601 time string, not {Kind(value)}.");
        var parts = text.Split('/');
        if (parts.Length > 2 || !TryInstant(parts[0], out var start))
        {
            throw new BodyException($"'{name}' must be an ISO 8601 instant with a time zone (2025-03-01T12:00:00Z) or an interval start/end, not '{text}'.");
        }

        if (parts.Length == 1)
        {
            return SensorTime.At(start);
        }

        if (!TryInstant(parts[1], out var end) || end < start)
        {
            throw new BodyException($"'{name}' interval '{text}' must end with an ISO 8601 instant no earlier than its start.");
        }

        return new SensorTime(start, end);
    }

    private static bool TryInstant(string text, out DateTimeOffset instant)
    {
        instant = default;
        return IsoInstant().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out instant);
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    [GeneratedRegex(@"^Datastreams\((?<id>[^()/]*)\)/Observations/?$", RegexOptions.CultureInvariant)]
    private static partial Regex DatastreamObservations();

    /// <summary>Date, time and an explicit offset (Z or ±hh:mm), so that no instant depends on the server's zone.</summary>
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoInstant();

    /// <summary>The body is JSON but not a valid Observation; the message says what to fix.</summary>
    private sealed class BodyException(string message) : Exception(message);
}
