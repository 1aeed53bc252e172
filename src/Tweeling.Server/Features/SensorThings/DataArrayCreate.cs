using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Tweeling.Server.Features.Live;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.SensorThings;

/// <summary>
/// <c>POST /sta/v1.1/CreateObservations</c>: the dataArray extension's create (OGC 18-088 §14.4), the bulk
/// HTTP ingest path. The body is an array of <c>{"Datastream": {"@iot.id": n}, "components": [...],
/// "dataArray@iot.count": k, "dataArray": [[...], ...]}</c>; the answer is 201 with the selfLinks of the new
/// Observations, in the order of the rows.
/// </summary>
/// <remarks>
/// Limits: a body of at most <see cref="MaxBodyBytes"/> (32 MB, some 400,000 rows of time and number).
/// Components are <c>phenomenonTime</c> (default: the request's time), <c>result</c> (required),
/// <c>resultTime</c>, <c>validTime</c>, <c>resultQuality</c>, <c>parameters</c> and <c>FeatureOfInterest/id</c>
/// (default: the FeatureOfInterest derived from the Datastream's Thing's Location). Unlike the standard's
/// per-row <c>"error"</c> entries the request is all or nothing: every row is checked before anything is
/// stored, and all rows are appended in one durable store append (one WAL sync), so a bad row is a 400 that
/// names it and nothing is stored. The body is read with a <see cref="Utf8JsonReader"/>, without a DOM except
/// for non-numeric JSON values.
/// </remarks>
internal static class DataArrayCreate
{
    /// <summary>The largest body accepted (32 MB), above Kestrel's default request limit of about 28.6 MB.</summary>
    public const int MaxBodyBytes = 32 * 1024 * 1024;

    private static readonly string[] s_components = ["phenomenonTime", "result", "resultTime", "validTime", "resultQuality", "parameters", "FeatureOfInterest/id"];

    public static async Task<IResult> Post(HttpContext http, ISensorStore sensors, ObservationAnnouncer bus, TimeProvider time, CancellationToken cancellationToken)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        var (body, tooLarge) = await EntityWrites.ReadBodyAsync(http.Request, MaxBodyBytes, cancellationToken);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        List<Group> groups;
        try
        {
            groups = Parse(body, time.GetUtcNow());
        }
        catch (JsonException e)
        {
            return ProblemType.InvalidBody.With($"The body is not valid JSON: {e.Message} Nothing was stored.");
        }
        catch (EntityBodyException e)
        {
            return ProblemType.InvalidBody.With(e.Message + " Nothing was stored.");
        }

        var (ids, problem) = await EntityWrites.RunAsync(http, sensors, bus, time, async (writer, ct) =>
        {
            var all = new List<Observation>(groups.Sum(g => g.Rows.Count));
            foreach (var group in groups)
            {
                if (!await writer.ExistsAsync(EntitySet.Datastreams, group.DatastreamId, ct))
                {
                    throw new SensorLinkException("Datastream", group.DatastreamId);
                }

                // Rows without a FeatureOfInterest get the derived one in AppendAsync, once per Datastream.
                all.AddRange(group.Rows);
            }

            return await writer.AppendAsync(all, ct);
        }, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var root = StaApi.ServiceRoot(http.Request);
        return StaApi.Json(
            json =>
            {
                json.WriteStartArray();
                foreach (var id in ids!)
                {
                    json.WriteStringValue($"{root}/Observations({id})");
                }

                json.WriteEndArray();
            },
            StatusCodes.Status201Created);
    }

    /// <summary>Reads every group and row; throws <see cref="EntityBodyException"/> naming the first bad one.</summary>
    private static List<Group> Parse(byte[] body, DateTimeOffset now)
    {
        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            throw new EntityBodyException("The body must be a JSON array of {\"Datastream\", \"components\", \"dataArray\"} objects.");
        }

        var groups = new List<Group>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            groups.Add(ParseGroup(ref reader, groups.Count, now));
        }

        if (reader.Read())
        {
            throw new EntityBodyException("The body has content after its array.");
        }

        return groups;
    }

    private static Group ParseGroup(ref Utf8JsonReader reader, int index, DateTimeOffset now)
    {
        var where = $"CreateObservations[{index}]";
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new EntityBodyException($"{where} must be an object with Datastream, components and dataArray.");
        }

        long? datastream = null;
        string[]? components = null;
        long? count = null;
        var rows = default(Utf8JsonReader);
        var hasRows = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "Datastream":
                    using (var link = JsonDocument.ParseValue(ref reader))
                    {
                        datastream = link.RootElement.ValueKind == JsonValueKind.Object
                            && link.RootElement.TryGetProperty("@iot.id", out var id) && id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out var value)
                                ? value
                                : throw new EntityBodyException($"{where}/Datastream must be a link such as {{\"@iot.id\": 1}}.");
                    }

                    break;
                case "components":
                    components = ParseComponents(ref reader, where);
                    break;
                case "dataArray@iot.count":
                    count = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var number) && number >= 0
                        ? number
                        : throw new EntityBodyException($"{where}/dataArray@iot.count must be a non-negative integer.");
                    break;
                case "dataArray":
                    // Rows are read once the components are known, which may come after them.
                    rows = reader;
                    hasRows = true;
                    reader.Skip();
                    break;
                default:
                    throw new EntityBodyException($"{where} has no member '{name}'; it has Datastream, components, dataArray@iot.count and dataArray.");
            }
        }

        if (datastream is null || components is null || !hasRows)
        {
            throw new EntityBodyException($"{where} needs 'Datastream', 'components' and 'dataArray'.");
        }

        var observations = ParseRows(ref rows, where, datastream.Value, components, now);
        if (count is { } expected && expected != observations.Count)
        {
            throw new EntityBodyException($"{where}/dataArray@iot.count is {expected}, but dataArray has {observations.Count} rows.");
        }

        return new Group(datastream.Value, observations);
    }

    private static string[] ParseComponents(ref Utf8JsonReader reader, string where)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new EntityBodyException($"{where}/components must be an array of component names.");
        }

        var components = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var name = reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new EntityBodyException($"{where}/components must hold strings.");
            if (!s_components.Contains(name, StringComparer.Ordinal) || components.Contains(name, StringComparer.Ordinal))
            {
                throw new EntityBodyException($"{where}/components: '{name}' is unknown or repeated; components are {string.Join(", ", s_components)}, each at most once.");
            }

            components.Add(name);
        }

        return components.Contains("result", StringComparer.Ordinal)
            ? [.. components]
            : throw new EntityBodyException($"{where}/components must include 'result'.");
    }

    private static List<Observation> ParseRows(ref Utf8JsonReader reader, string where, long datastream, string[] components, DateTimeOffset now)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new EntityBodyException($"{where}/dataArray must be an array of rows.");
        }

        var observations = new List<Observation>();
        var defaultTime = SensorTime.At(now);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            // The row's name is only needed in an error message, so it is made only then, not once per row.
            var at = new RowName(where, observations.Count);
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new EntityBodyException($"{at} must be an array of {components.Length} values ({string.Join(", ", components)}).");
            }

            var row = new Row { PhenomenonTime = defaultTime };
            foreach (var component in components)
            {
                if (!reader.Read() || reader.TokenType == JsonTokenType.EndArray)
                {
                    throw new EntityBodyException($"{at} has fewer values than the {components.Length} components.");
                }

                Component(ref reader, at, component, ref row);
            }

            if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray)
            {
                throw new EntityBodyException($"{at} has more values than the {components.Length} components.");
            }

            observations.Add(new Observation(
                0, datastream, row.FeatureOfInterestId, row.PhenomenonTime, row.ResultTime, row.Result, row.ResultJson, row.ResultQuality, row.ValidTime, row.Parameters));
        }

        return observations;
    }

    /// <summary>Sets the value of <paramref name="component"/> at the reader in <paramref name="row"/>.</summary>
    private static void Component(ref Utf8JsonReader reader, RowName at, string component, ref Row row)
    {
        switch (component)
        {
            case "result" when reader.TokenType == JsonTokenType.Number:
                row.Result = reader.TryGetDouble(out var number) && double.IsFinite(number)
                    ? number
                    : throw new EntityBodyException($"{at}: the result is out of the range of a double.");
                break;
            case "result":
                row.ResultJson = Value(ref reader);
                break;
            case "phenomenonTime":
                row.PhenomenonTime = Time(ref reader, at, component) ?? throw new EntityBodyException($"{at}: phenomenonTime cannot be null.");
                break;
            case "resultTime":
                var resultTime = Time(ref reader, at, component);
                row.ResultTime = resultTime is { IsInstant: false }
                    ? throw new EntityBodyException($"{at}: resultTime must be an instant, not an interval.")
                    : resultTime?.Start;
                break;
            case "validTime":
                row.ValidTime = Time(ref reader, at, component);
                break;
            case "FeatureOfInterest/id":
                row.FeatureOfInterestId = reader.TokenType switch
                {
                    JsonTokenType.Null => null,
                    JsonTokenType.Number when reader.TryGetInt64(out var id) => id,
                    _ => throw new EntityBodyException($"{at}: FeatureOfInterest/id must be an integer."),
                };
                break;
            case "parameters":
                row.Parameters = reader.TokenType is JsonTokenType.StartObject or JsonTokenType.Null
                    ? Value(ref reader)
                    : throw new EntityBodyException($"{at}: parameters must be a JSON object.");
                break;
            default:
                row.ResultQuality = Value(ref reader);
                break;
        }
    }

    /// <summary>The JSON value at the reader, owning its memory; <c>null</c> for JSON null.</summary>
    private static JsonElement? Value(ref Utf8JsonReader reader)
    {
        using var value = JsonDocument.ParseValue(ref reader);
        return value.RootElement.ValueKind == JsonValueKind.Null ? null : value.RootElement.Clone();
    }

    private static SensorTime? Time(ref Utf8JsonReader reader, RowName at, string component)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw new EntityBodyException($"{at}: {component} must be an ISO 8601 time string.");
        }

        var text = reader.GetString()!;
        return EntityFields.ParseTime(text)
            ?? throw new EntityBodyException($"{at}: {component} must be an ISO 8601 instant with a time zone or an interval start/end, not '{text}'.");
    }

    /// <summary>The values of one row, gathered before its Observation is made.</summary>
    private struct Row
    {
        public SensorTime PhenomenonTime;
        public double? Result;
        public JsonElement? ResultJson;
        public DateTimeOffset? ResultTime;
        public SensorTime? ValidTime;
        public JsonElement? ResultQuality;
        public JsonElement? Parameters;
        public long? FeatureOfInterestId;
    }

    /// <summary>Names a row in error messages, such as <c>CreateObservations[0]/dataArray[12]</c>.</summary>
    private readonly record struct RowName(string Group, int Index)
    {
        public override string ToString() => $"{Group}/dataArray[{Index}]";
    }

    /// <summary>The rows of one Datastream.</summary>
    private sealed record Group(long DatastreamId, List<Observation> Rows);
}
