using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Tweeling.Governance.Access;
using Tweeling.Governance.Audit;

namespace Tweeling.Server.Features.SensorThings;

/// <summary>
/// One Observation from an MQTT PUBLISH to <c>v1.1/Observations</c>, <c>v1.1/Datastreams({id})/Observations</c> or
/// <c>v1.1/FeaturesOfInterest({id})/Observations</c> (OGC 18-088 §14.1: the topic's entity is linked). HTTP creates go through <see cref="EntityWrites"/>, which also creates linked entities.
/// </summary>
internal static partial class Observations
{
    private static readonly string[] s_members = ["phenomenonTime", "result", "resultTime", "resultQuality", "validTime", "parameters", "Datastream", "FeatureOfInterest"];

    /// <summary>
    /// Reads one Observation from a JSON body (an MQTT PUBLISH payload); the error says what
    /// to fix when it is not one. <paramref name="pathDatastream"/> and <paramref name="pathFeature"/> are the
    /// Datastream or FeatureOfInterest the path or topic names.
    /// </summary>
    public static (NewObservation? Observation, string? Error) ParseBody(ReadOnlyMemory<byte> body, long? pathDatastream, DateTimeOffset now, long? pathFeature = null)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return (Parse(document.RootElement, pathDatastream, pathFeature, now), null);
        }
        catch (JsonException e)
        {
            return (null, $"The body is not valid JSON: {e.Message}");
        }
        catch (EntityBodyException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>
    /// The Datastream or FeatureOfInterest a resource path (<c>Datastreams(7)/Observations</c>,
    /// <c>FeaturesOfInterest(3)/Observations</c>) or an MQTT topic without its version prefix names for new
    /// Observations: neither for <c>Observations</c> (the body names them), and <c>false</c> for anything else.
    /// </summary>
    public static bool TryObservationTarget(string path, out long? datastreamId, out long? featureId)
    {
        (datastreamId, featureId) = (null, null);
        if (path.TrimEnd('/') == "Observations")
        {
            return true;
        }

        if (NavigationObservations().Match(path) is not { Success: true } match ||
            !long.TryParse(match.Groups["id"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return false;
        }

        if (match.Groups["set"].ValueSpan.SequenceEqual("Datastreams"))
        {
            datastreamId = id;
        }
        else
        {
            featureId = id;
        }

        return true;
    }

    /// <summary>
    /// The MultiDatastream an MQTT topic without its version prefix (<c>MultiDatastreams(7)/Observations</c>) creates
    /// Observations of; <c>false</c> for any other topic.
    /// </summary>
    public static bool TryMultiDatastreamTarget(string path, out long multiDatastreamId)
    {
        multiDatastreamId = 0;
        return MultiDatastreamObservations().Match(path) is { Success: true } match
            && long.TryParse(match.Groups["id"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out multiDatastreamId);
    }

    /// <summary>
    /// Creates the Observation of MultiDatastream <paramref name="multiDatastreamId"/> that an MQTT PUBLISH to
    /// <c>v1.1/MultiDatastreams(id)/Observations</c> carries, as a POST to that path does: one write unit with its audit
    /// record (<paramref name="caller"/>, the resource <paramref name="resource"/> makes of the new id), durable when this
    /// returns, a FeatureOfInterest derived when it names none, and published to subscribers as stored by the store's change
    /// bus. Returns <c>null</c> when stored, else why the payload is not such an Observation (nothing stored). The embedded
    /// broker and the bridge to an external one both create them here. These are rare next to a Datastream's, so they take a
    /// write unit of their own rather than the group commit.
    /// </summary>
    public static async Task<string?> CreateMultiObservationAsync(
        ISensorStore sensors, ReadOnlySequence<byte> payload, long multiDatastreamId, Caller caller, Func<long, string> resource, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            using var body = JsonDocument.Parse(payload);
            await sensors.WriteAsync(
                async (writer, ct) =>
                {
                    var entities = new EntityWriter(writer, time.GetUtcNow());
                    var id = await entities.CreateAsync(EntitySet.Observations, body.RootElement, new Back("MultiDatastream", multiDatastreamId), ct);
                    await writer.AppendAuditAsync(AuditEntries.For(caller, time.GetUtcNow(), "create", resource(id), 1, "observations"), ct);
                    return id;
                },
                cancellationToken);
            return null;
        }
        catch (JsonException e)
        {
            return $"The body is not valid JSON: {e.Message}";
        }
        catch (Exception e) when (e is EntityBodyException or SensorLinkException or MultiDatastreamShapeException or StaProblemException)
        {
            return e.Message;
        }
    }

    private static NewObservation Parse(JsonElement body, long? pathDatastream, long? pathFeature, DateTimeOffset now)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new EntityBodyException($"The body must be a JSON object (an Observation), not {EntityFields.Kind(body)}.");
        }

        foreach (var member in body.EnumerateObject())
        {
            if (!s_members.Contains(member.Name, StringComparer.Ordinal) && member.Name != "@iot.id")
            {
                throw new EntityBodyException($"An Observation has no member '{member.Name}'; it has {string.Join(", ", s_members)}.");
            }
        }

        var datastream = LinkId(body, "Datastream");
        if (pathDatastream is { } inPath)
        {
            if (datastream is { } inBody && inBody != inPath)
            {
                throw new EntityBodyException($"'Datastream' links Datastream {inBody}, but the path is that of Datastream {inPath}.");
            }

            datastream = inPath;
        }

        if (datastream is null)
        {
            throw new EntityBodyException("An Observation needs its Datastream: give \"Datastream\": {\"@iot.id\": <id>}, or POST to Datastreams(id)/Observations.");
        }

        var feature = LinkId(body, "FeatureOfInterest");
        if (pathFeature is { } featureInPath)
        {
            if (feature is { } inBody && inBody != featureInPath)
            {
                throw new EntityBodyException($"'FeatureOfInterest' links FeatureOfInterest {inBody}, but the path is that of FeatureOfInterest {featureInPath}.");
            }

            feature = featureInPath;
        }

        if (!body.TryGetProperty("result", out var result))
        {
            throw new EntityBodyException("An Observation needs a 'result' (a number, or any other JSON value).");
        }

        var (number, other) = EntityFields.ReadResult(result);

        var parameters = Optional(body, "parameters");
        if (parameters is { ValueKind: not JsonValueKind.Object })
        {
            throw new EntityBodyException($"'parameters' must be a JSON object, not {EntityFields.Kind(parameters.Value)}.");
        }

        return new NewObservation(
            datastream.Value,
            EntityFields.Time(body, "phenomenonTime") ?? SensorTime.At(now),
            number,
            other,
            EntityFields.Time(body, "resultTime") is { } resultTime
                ? resultTime.IsInstant ? resultTime.Start : throw new EntityBodyException("'resultTime' must be an instant, not an interval.")
                : null,
            feature,
            Optional(body, "resultQuality"),
            EntityFields.Time(body, "validTime"),
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
            throw new EntityBodyException($"'{name}' must be a link such as {{\"@iot.id\": 1}}, not {EntityFields.Kind(link)}.");
        }

        if (!link.TryGetProperty("@iot.id", out var id))
        {
            throw new EntityBodyException($"'{name}' has no '@iot.id': creating a {name} inside an Observation is not supported yet; link an existing one with {{\"@iot.id\": 1}}.");
        }

        return id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out var value)
            ? value
            : throw new EntityBodyException($"'{name}/@iot.id' must be an integer, not {id.GetRawText()}.");
    }

    private static JsonElement? Optional(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.Clone() : null;

    [GeneratedRegex(@"^(?<set>Datastreams|FeaturesOfInterest)\((?<id>[^()/]*)\)/Observations/?$", RegexOptions.CultureInvariant)]
    private static partial Regex NavigationObservations();

    [GeneratedRegex(@"^MultiDatastreams\((?<id>[^()/]*)\)/Observations/?$", RegexOptions.CultureInvariant)]
    private static partial Regex MultiDatastreamObservations();
}
