using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Tweeling.Governance.Audit;
using Tweeling.Server.Hosting;
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
/// (default: the FeatureOfInterest derived from the Datastream's Thing's Location). As the standard asks
/// (OGC 18-088 §14.4.2), each row is answered on its own: the 201 holds a selfLink for every stored row and the
/// string <c>"error"</c> for every row that failed (a value of the wrong kind or range, too few or too many values,
/// a Datastream or FeatureOfInterest that does not exist), in the rows' order. A body that is malformed as a whole
/// (not JSON, not an array of groups, a group without its Datastream link or with unknown components, a wrong
/// <c>dataArray@iot.count</c>) is a 400 problem and stores nothing. The valid rows are appended in one durable store
/// append through the group commit (<see cref="Tweeling.Storage.GroupCommitObservationStore"/>: concurrent requests
/// share one WAL sync), and the 201 is written only after it is durable. The body is read with a
/// <see cref="Utf8JsonReader"/>, without a DOM except for non-numeric JSON values.
/// </remarks>
internal static class DataArrayCreate
{
    /// <summary>The largest body accepted (32 MB), above Kestrel's default request limit of about 28.6 MB.</summary>
    public const int MaxBodyBytes = 32 * 1024 * 1024;

    private static readonly string[] s_components = ["phenomenonTime", "result", "resultTime", "validTime", "resultQuality", "parameters", "FeatureOfInterest/id"];

    public static async Task<IResult> Post(
        HttpContext http, ISensorStore sensors, IObservationStore observations, DerivedFeatureCache derivedFeatures, TimeProvider time, CancellationToken cancellationToken)
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

        ParsedRows parsed;
        try
        {
            parsed = Parse(body, time.GetUtcNow());
        }
        catch (JsonException e)
        {
            return ProblemType.InvalidBody.With($"The body is not valid JSON: {e.Message} Nothing was stored.");
        }
        catch (EntityBodyException e)
        {
            return ProblemType.InvalidBody.With(e.Message + " Nothing was stored.");
        }

        // Only Observations are appended, so the request needs no write unit of its own: it joins the group commit
        // with concurrent requests and MQTT PUBLISHes (one durable transaction, one WAL sync, for all of them), which
        // checks that every named Datastream and FeatureOfInterest exists, judges thresholds and tells the live bus
        // once committed. The task completes only after the commit is durable.
        var request = http.Request;
        var ids = await AppendValidRowsAsync(http, parsed, observations, derivedFeatures, time, cancellationToken);
        return StaApi.Json(json => WriteAnswer(json, StaApi.ServiceRoot(request), parsed.Failed, ids), StatusCodes.Status201Created);
    }

    /// <summary>
    /// Appends the rows of <paramref name="parsed"/> that parsed and returns their ids, in order. An append that names
    /// a missing Datastream or FeatureOfInterest fails as a whole in the store (<see cref="SensorLinkException"/> names
    /// one missing entity), so the rows naming that entity are marked failed in <see cref="ParsedRows.Failed"/> and the
    /// rest is appended again: at most one more append per distinct missing entity, and none when every link exists.
    /// A row without a FeatureOfInterest derives one only for an existing Datastream, and that row is then stored, so
    /// no derived feature is left behind by failed rows.
    /// </summary>
    private static async Task<IReadOnlyList<long>> AppendValidRowsAsync(
        HttpContext http, ParsedRows parsed, IObservationStore observations, DerivedFeatureCache derivedFeatures, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = http.Request;
        var rows = parsed.Rows;
        var positions = parsed.Positions;
        while (rows.Count > 0)
        {
            var audit = AuditEntries.For(ReadAccess.CallerOf(http), time.GetUtcNow(), "create", $"{request.Method} {request.PathBase}{request.Path}", rows.Count, "observations");
            try
            {
                return await derivedFeatures.AppendAsync(observations, rows, [audit], cancellationToken);
            }
            catch (SensorLinkException missing)
            {
                var keptRows = new List<NewObservation>(rows.Count);
                var keptPositions = new List<int>(rows.Count);
                for (var i = 0; i < rows.Count; i++)
                {
                    if (Names(rows[i], missing))
                    {
                        parsed.Failed.Add(positions[i]);
                    }
                    else
                    {
                        keptRows.Add(rows[i]);
                        keptPositions.Add(positions[i]);
                    }
                }

                (rows, positions) = (keptRows, keptPositions);
            }
        }

        return [];
    }

    /// <summary>Whether <paramref name="row"/> links to the entity that <paramref name="missing"/> names.</summary>
    private static bool Names(NewObservation row, SensorLinkException missing) => missing.EntityType switch
    {
        "Datastream" => row.DatastreamId == missing.Id,
        "FeatureOfInterest" => row.FeatureOfInterestId == missing.Id,
        _ => false,
    };

    /// <summary>
    /// The answer's array, one entry per row in the rows' order (OGC 18-088 §14.4.2): the selfLink of a stored row,
    /// <c>"error"</c> for a failed one. <paramref name="ids"/> are the stored rows' ids in order. Each link is formatted
    /// into one reused buffer, not a string per row: at 1,000 rows a request that was 1,000 strings.
    /// </summary>
    private static void WriteAnswer(Utf8JsonWriter json, string root, HashSet<int> failed, IReadOnlyList<long> ids)
    {
        var prefix = Encoding.UTF8.GetBytes(root + "/Observations(");
        var link = new byte[prefix.Length + 21];
        prefix.CopyTo(link, 0);
        json.WriteStartArray();
        var stored = 0;
        for (var position = 0; position < ids.Count + failed.Count; position++)
        {
            if (failed.Contains(position))
            {
                json.WriteStringValue("error"u8);
                continue;
            }

            // A long has at most 20 characters (with its sign); ids are positive.
            Utf8Formatter.TryFormat(ids[stored++], link.AsSpan(prefix.Length), out var digits);
            link[prefix.Length + digits] = (byte)')';
            json.WriteStringValue(link.AsSpan(0, prefix.Length + digits + 1));
        }

        json.WriteEndArray();
    }

    /// <summary>
    /// Reads every group and row. A row that is bad on its own is marked failed and the reading goes on with the next
    /// row; a body or group that is malformed throws <see cref="EntityBodyException"/> naming it.
    /// </summary>
    private static ParsedRows Parse(byte[] body, DateTimeOffset now)
    {
        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            throw new EntityBodyException("The body must be a JSON array of {\"Datastream\", \"components\", \"dataArray\"} objects.");
        }

        // All groups' rows in one list, in the body's order: the order of the ids and selfLinks answered.
        var parsed = new ParsedRows();
        for (var group = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; group++)
        {
            ParseGroup(ref reader, group, now, parsed);
        }

        if (reader.Read())
        {
            throw new EntityBodyException("The body has content after its array.");
        }

        return parsed;
    }

    /// <summary>Reads the group at the reader and adds its rows to <paramref name="parsed"/>.</summary>
    private static void ParseGroup(ref Utf8JsonReader reader, int index, DateTimeOffset now, ParsedRows parsed)
    {
        var where = $"CreateObservations[{index}]";
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new EntityBodyException($"{where} must be an object with Datastream, components and dataArray.");
        }

        long? datastream = null;
        string[]? components = null;
        long? count = null;
        var dataArray = default(Utf8JsonReader);
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
                    dataArray = reader;
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

        var before = parsed.Count;
        ParseRows(ref dataArray, where, datastream.Value, components, now, parsed);
        if (count is { } expected && expected != parsed.Count - before)
        {
            throw new EntityBodyException($"{where}/dataArray@iot.count is {expected}, but dataArray has {parsed.Count - before} rows.");
        }
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

    private static void ParseRows(ref Utf8JsonReader reader, string where, long datastream, string[] components, DateTimeOffset now, ParsedRows parsed)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new EntityBodyException($"{where}/dataArray must be an array of rows.");
        }

        var defaultTime = SensorTime.At(now);
        var rowDepth = reader.CurrentDepth + 1;
        for (var index = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; index++)
        {
            try
            {
                parsed.Add(ParseRow(ref reader, new RowName(where, index), datastream, components, defaultTime));
            }
            catch (EntityBodyException)
            {
                // The standard answers a bad row with "error" in its place and stores the others (OGC 18-088 §14.4.2).
                // The reader stands somewhere inside the row: move it to the row's last token so the next row follows.
                parsed.AddFailed();
                SkipRestOfRow(ref reader, rowDepth);
            }
        }
    }

    /// <summary>Moves the reader from anywhere in the row at <paramref name="rowDepth"/> to the row's last token.</summary>
    private static void SkipRestOfRow(ref Utf8JsonReader reader, int rowDepth)
    {
        if (reader.CurrentDepth == rowDepth && reader.TokenType != JsonTokenType.EndArray)
        {
            // The row itself is no array: a scalar is its own last token, an object is skipped whole.
            reader.Skip();
            return;
        }

        while (!(reader.CurrentDepth == rowDepth && reader.TokenType == JsonTokenType.EndArray) && reader.Read())
        {
        }
    }

    /// <summary>The Observation of the row at the reader, a JSON array of one value per component.</summary>
    private static NewObservation ParseRow(ref Utf8JsonReader reader, RowName at, long datastream, string[] components, SensorTime defaultTime)
    {
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

        return new NewObservation(
            datastream, row.PhenomenonTime, row.Result, row.ResultJson, row.ResultTime, row.FeatureOfInterestId, row.ResultQuality, row.ValidTime, row.Parameters);
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

    /// <summary>
    /// The rows of a request: the Observations of the rows that parsed, each with its position among all rows, and the
    /// positions of the rows that failed (at parsing, or later for a missing link).
    /// </summary>
    private sealed class ParsedRows
    {
        public List<NewObservation> Rows { get; } = [];

        public List<int> Positions { get; } = [];

        public HashSet<int> Failed { get; } = [];

        /// <summary>All rows read so far, stored or failed.</summary>
        public int Count => Rows.Count + Failed.Count;

        public void Add(NewObservation row)
        {
            Positions.Add(Count);
            Rows.Add(row);
        }

        public void AddFailed() => Failed.Add(Count);
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
}
