using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Tweeling.Domain.Audit;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Tweeling.Governance.Audit;
using Tweeling.Server.Features.Live;
using Tweeling.Server.Hosting;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.SensorThings;

/// <summary>
/// <c>POST /sta/v1.1/CreateObservations</c>: the dataArray extension's create (OGC 18-088 §14.4), the bulk
/// HTTP ingest path. The body is an array of <c>{"Datastream": {"@iot.id": n}, "components": [...],
/// "dataArray@iot.count": k, "dataArray": [[...], ...]}</c>, a group naming a <c>MultiDatastream</c> instead of a
/// <c>Datastream</c> where the MultiDatastream extension is implemented (its <c>result</c> is then an array with one
/// value per ObservedProperty); the answer is 201 with the selfLinks of the new Observations, in the order of the rows.
/// </summary>
/// <remarks>
/// Limits: a body of at most <see cref="MaxBodyBytes"/> (32 MB, some 400,000 rows of time and number).
/// Components are <c>phenomenonTime</c> (default: the request's time), <c>result</c> (required),
/// <c>resultTime</c>, <c>validTime</c>, <c>resultQuality</c>, <c>parameters</c> and <c>FeatureOfInterest/id</c>
/// (default: the FeatureOfInterest derived from the Datastream's Thing's Location). As the standard asks
/// (OGC 18-088 §14.4.2), each row is answered on its own: the 201 holds a selfLink for every stored row and the
/// string <c>"error"</c> for every row that failed (a value of the wrong kind or range, too few or too many values,
/// a Datastream or FeatureOfInterest that does not exist), in the rows' order. A body that is malformed as a whole
/// (not JSON, not an array of groups, a group without its Datastream or MultiDatastream link, or with both, or with
/// unknown components, a wrong <c>dataArray@iot.count</c>) is a 400 problem and stores nothing. The valid rows of a
/// request are stored in one durable transaction, all or none, and the 201 is written only after it is durable: rows of
/// Datastreams alone are one append through the group commit (<see cref="Tweeling.Storage.GroupCommitObservationStore"/>:
/// concurrent requests share one WAL sync); a request with rows of a MultiDatastream is one write unit of the store
/// (<see cref="AppendInOneUnitAsync"/>), since those rows have no group commit. A request whose every row fails stores
/// nothing and still leaves an audit record (outcome <c>failed</c>), so the attempt is on record (docs/audit.md). The body
/// is read with a <see cref="Utf8JsonReader"/>, without a DOM except for non-numeric JSON values.
/// </remarks>
internal static class DataArrayCreate
{
    /// <summary>The largest body accepted (32 MB), above Kestrel's default request limit of about 28.6 MB.</summary>
    public const int MaxBodyBytes = 32 * 1024 * 1024;

    private static readonly string[] s_components = ["phenomenonTime", "result", "resultTime", "validTime", "resultQuality", "parameters", "FeatureOfInterest/id"];

    public static async Task<IResult> Post(
        HttpContext http,
        ISensorStore sensors,
        IObservationStore observations,
        DerivedFeatureCache derivedFeatures,
        ObservationAnnouncer announcer,
        IAuditLog auditLog,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
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

        // Rows of Datastreams alone need no write unit of their own: they join the group commit with concurrent requests
        // and MQTT PUBLISHes (one durable transaction, one WAL sync, for all of them), which checks that every named
        // Datastream and FeatureOfInterest exists, judges thresholds and tells the live bus once committed. The task
        // completes only after the commit is durable.
        // A row that needs a derived FeatureOfInterest not made yet takes the write unit, where the feature is made in the
        // same transaction as the rows: a request that fails in the store then leaves no feature behind.
        var request = http.Request;
        var ids = parsed.MultiRows.Count == 0 && await AppendValidRowsAsync(http, parsed, observations, derivedFeatures, time, cancellationToken) is { } grouped
            ? grouped
            : await AppendInOneUnitAsync(http, parsed, sensors, derivedFeatures, announcer, time, cancellationToken);
        if (parsed.Count > 0 && parsed.Failed.Count == parsed.Count)
        {
            // Nothing was stored, so no append carried a record; the attempt is recorded on its own, durable before the answer.
            await auditLog.AppendAsync(AuditOf(http, time, 0, AuditEntry.Failed), cancellationToken);
        }

        return StaApi.Json(json => WriteAnswer(json, StaApi.ServiceRoot(request), ids), StatusCodes.Status201Created);
    }

    /// <summary>The audit record of this request: who, the path, how many Observations it stored, and how it ended.</summary>
    private static AuditEntry AuditOf(HttpContext http, TimeProvider time, int stored, string outcome = AuditEntry.Ok) =>
        AuditEntries.For(ReadAccess.CallerOf(http), time.GetUtcNow(), "create", $"{http.Request.Method} {http.Request.PathBase}{http.Request.Path}", stored, "observations", outcome);

    /// <summary>
    /// Appends the rows of <paramref name="parsed"/> that parsed (all of Datastreams) through the group commit and returns
    /// the id of each row by its position, 0 for a failed one; or <c>null</c>, having stored nothing, when a row without a
    /// FeatureOfInterest needs a derived one that <paramref name="derivedFeatures"/> does not hold at the current model
    /// revision (the first Observation of its Location, or the model changed since): looking it up in a unit of its own
    /// could create it, and a failed append would leave it behind, so the caller stores the request in one write unit.
    /// An append that names a missing Datastream or FeatureOfInterest fails as a whole in the store
    /// (<see cref="SensorLinkException"/> names one missing entity), so the rows naming that entity are marked failed in
    /// <see cref="ParsedRows.Failed"/> and the rest is appended again: at most one more append per distinct missing entity,
    /// and none when every link exists.
    /// </summary>
    private static async Task<long[]?> AppendValidRowsAsync(
        HttpContext http, ParsedRows parsed, IObservationStore observations, DerivedFeatureCache derivedFeatures, TimeProvider time, CancellationToken cancellationToken)
    {
        var ids = new long[parsed.Count];
        var rows = parsed.Rows;
        var positions = parsed.Positions;
        while (rows.Count > 0)
        {
            if (derivedFeatures.FillFromKnown(rows) is not { } filled)
            {
                return null;
            }

            try
            {
                var stored = await observations.AppendAsync(filled, [AuditOf(http, time, rows.Count)], cancellationToken);
                for (var i = 0; i < stored.Count; i++)
                {
                    ids[positions[i]] = stored[i];
                }

                return ids;
            }
            catch (SensorLinkException missing) when (missing.EntityType == "FeatureOfInterest" && !rows.Exists(r => r.FeatureOfInterestId == missing.Id))
            {
                // A derived feature deleted since it was remembered: no row is at fault; it is derived again in the write unit.
                return null;
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

        return ids;
    }

    /// <summary>Whether <paramref name="row"/> links to the entity that <paramref name="missing"/> names.</summary>
    private static bool Names(NewObservation row, SensorLinkException missing) => missing.EntityType switch
    {
        "Datastream" => row.DatastreamId == missing.Id,
        "FeatureOfInterest" => row.FeatureOfInterestId == missing.Id,
        _ => false,
    };

    /// <summary>
    /// Stores the rows of <paramref name="parsed"/> that parsed, of Datastreams and of MultiDatastreams, in one write unit
    /// of the store, with the request's audit record, and returns the id of each row by its position (0 for a failed one).
    /// Inside the unit, which holds the store's write lock, each row's links are checked first — its Datastream or
    /// MultiDatastream and its FeatureOfInterest exist, and a MultiDatastream's result has one value per ObservedProperty —
    /// and a row that fails a check is marked failed, so the appends that follow cannot fail on a row and the good rows
    /// commit together. A missing FeatureOfInterest is derived inside the unit, so a unit that fails in the store leaves no
    /// feature behind. The Observations of Datastreams are announced (thresholds, live bus) once committed, as after any
    /// write unit; those of MultiDatastreams reach MQTT subscribers through the store's change bus. The derived features
    /// of the stored rows' Datastreams are then remembered in <paramref name="derivedFeatures"/>, so the next request of
    /// those Datastreams takes the group commit again.
    /// </summary>
    private static async Task<long[]> AppendInOneUnitAsync(
        HttpContext http, ParsedRows parsed, ISensorStore sensors, DerivedFeatureCache derivedFeatures, ObservationAnnouncer announcer, TimeProvider time, CancellationToken cancellationToken)
    {
        var ids = new long[parsed.Count];
        var appended = await sensors.WriteAsync(
            async (writer, ct) =>
            {
                var links = new LinkCheck(writer);
                var rows = new List<Observation>(parsed.Rows.Count);
                var rowPositions = new List<int>(parsed.Rows.Count);
                for (var i = 0; i < parsed.Rows.Count; i++)
                {
                    var row = parsed.Rows[i];
                    if (await links.DatastreamAsync(row.DatastreamId, ct) && await links.FeatureAsync(row.FeatureOfInterestId, ct))
                    {
                        rows.Add(new Observation(
                            0, row.DatastreamId, row.FeatureOfInterestId, row.PhenomenonTime, row.ResultTime, row.Result, row.ResultJson, row.ResultQuality, row.ValidTime, row.Parameters));
                        rowPositions.Add(parsed.Positions[i]);
                    }
                    else
                    {
                        parsed.Failed.Add(parsed.Positions[i]);
                    }
                }

                var multiRows = new List<MultiObservation>(parsed.MultiRows.Count);
                var multiPositions = new List<int>(parsed.MultiRows.Count);
                for (var i = 0; i < parsed.MultiRows.Count; i++)
                {
                    var row = parsed.MultiRows[i];
                    if (await links.ComponentsAsync(row.MultiDatastreamId, ct) == row.Result.GetArrayLength() && await links.FeatureAsync(row.FeatureOfInterestId, ct))
                    {
                        multiRows.Add(row);
                        multiPositions.Add(parsed.MultiPositions[i]);
                    }
                    else
                    {
                        parsed.Failed.Add(parsed.MultiPositions[i]);
                    }
                }

                // Through EntityWriter, as a POST of one Observation: a missing FeatureOfInterest is derived from the Thing's Location.
                var entities = new EntityWriter(writer, time.GetUtcNow());
                var stored = await entities.AppendAsync(rows, ct);
                var storedMulti = await entities.AppendMultiAsync(multiRows, ct);
                for (var i = 0; i < stored.Count; i++)
                {
                    ids[rowPositions[i]] = stored[i];
                }

                for (var i = 0; i < storedMulti.Count; i++)
                {
                    ids[multiPositions[i]] = storedMulti[i];
                }

                if (entities.AppendedObservations > 0)
                {
                    await writer.AppendAuditAsync(AuditOf(http, time, entities.AppendedObservations), ct);
                }

                return entities.Appended;
            },
            cancellationToken);
        await announcer.AnnounceAsync(appended, [], cancellationToken);
        await RememberDerivedFeaturesAsync(parsed, ids, derivedFeatures, cancellationToken);
        return ids;
    }

    /// <summary>
    /// Looks up the derived FeatureOfInterest of each Datastream that a stored row without one needed, now that the write
    /// unit made it: a unit of its own per Datastream that finds the feature and creates nothing (unless the Thing moved
    /// meanwhile, and then it is the feature the next Observation would get), as the group-commit path paid before.
    /// </summary>
    private static async Task RememberDerivedFeaturesAsync(ParsedRows parsed, long[] ids, DerivedFeatureCache derivedFeatures, CancellationToken cancellationToken)
    {
        var datastreams = new HashSet<long>();
        for (var i = 0; i < parsed.Rows.Count; i++)
        {
            if (parsed.Rows[i].FeatureOfInterestId is null && ids[parsed.Positions[i]] != 0)
            {
                datastreams.Add(parsed.Rows[i].DatastreamId);
            }
        }

        foreach (var datastream in datastreams)
        {
            try
            {
                await derivedFeatures.FeatureOfInterestAsync(datastream, cancellationToken);
            }
            catch (SensorLinkException)
            {
                // Deleted since the unit committed: nothing to remember, and the request's rows are stored all the same.
            }
        }
    }

    /// <summary>
    /// The links of the rows of one write unit, each looked up once: whether a Datastream or FeatureOfInterest exists, and a
    /// MultiDatastream's number of ObservedProperties (-1 when it does not exist).
    /// </summary>
    private sealed class LinkCheck(ISensorWriter writer)
    {
        private readonly Dictionary<long, bool> _datastreams = [];
        private readonly Dictionary<long, bool> _features = [];
        private readonly Dictionary<long, int> _components = [];

        public async Task<bool> DatastreamAsync(long id, CancellationToken cancellationToken)
        {
            if (!_datastreams.TryGetValue(id, out var exists))
            {
                _datastreams[id] = exists = await writer.FindAsync<Datastream>(id, cancellationToken) is not null;
            }

            return exists;
        }

        /// <summary>Whether the FeatureOfInterest exists; a row naming none gets a derived one, so it passes.</summary>
        public async Task<bool> FeatureAsync(long? id, CancellationToken cancellationToken)
        {
            if (id is not { } feature)
            {
                return true;
            }

            if (!_features.TryGetValue(feature, out var exists))
            {
                _features[feature] = exists = await writer.FindAsync<FeatureOfInterest>(feature, cancellationToken) is not null;
            }

            return exists;
        }

        public async Task<int> ComponentsAsync(long multiDatastreamId, CancellationToken cancellationToken)
        {
            if (!_components.TryGetValue(multiDatastreamId, out var count))
            {
                _components[multiDatastreamId] = count = await writer.FindAsync<MultiDatastream>(multiDatastreamId, cancellationToken) is { } multi
                    ? multi.ObservedPropertyIds.Count
                    : -1;
            }

            return count;
        }
    }

    /// <summary>
    /// The answer's array, one entry per row in the rows' order (OGC 18-088 §14.4.2): the selfLink of a stored row,
    /// <c>"error"</c> for a failed one (id 0; stored ids are positive). Each link is formatted into one reused buffer, not
    /// a string per row: at 1,000 rows a request that was 1,000 strings.
    /// </summary>
    private static void WriteAnswer(Utf8JsonWriter json, string root, long[] ids)
    {
        var prefix = Encoding.UTF8.GetBytes(root + "/Observations(");
        var link = new byte[prefix.Length + 21];
        prefix.CopyTo(link, 0);
        json.WriteStartArray();
        foreach (var id in ids)
        {
            if (id == 0)
            {
                json.WriteStringValue("error"u8);
                continue;
            }

            // A long has at most 20 characters (with its sign); ids are positive.
            Utf8Formatter.TryFormat(id, link.AsSpan(prefix.Length), out var digits);
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
            throw new EntityBodyException("The body must be a JSON array of {\"Datastream\" (or \"MultiDatastream\"), \"components\", \"dataArray\"} objects.");
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

        Series? series = null;
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
                case "Datastream" or "MultiDatastream":
                    if (series is not null)
                    {
                        throw new EntityBodyException($"{where} names both a Datastream and a MultiDatastream; a group's rows belong to exactly one of them.");
                    }

                    using (var link = JsonDocument.ParseValue(ref reader))
                    {
                        series = link.RootElement.ValueKind == JsonValueKind.Object
                            && link.RootElement.TryGetProperty("@iot.id", out var id) && id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out var value)
                                ? new Series(value, Multi: name == "MultiDatastream")
                                : throw new EntityBodyException($"{where}/{name} must be a link such as {{\"@iot.id\": 1}}.");
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
                    throw new EntityBodyException($"{where} has no member '{name}'; it has Datastream or MultiDatastream, components, dataArray@iot.count and dataArray.");
            }
        }

        if (series is null || components is null || !hasRows)
        {
            throw new EntityBodyException($"{where} needs 'Datastream' (or 'MultiDatastream'), 'components' and 'dataArray'.");
        }

        var before = parsed.Count;
        ParseRows(ref dataArray, where, series.Value, components, now, parsed);
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

    private static void ParseRows(ref Utf8JsonReader reader, string where, Series series, string[] components, DateTimeOffset now, ParsedRows parsed)
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
                var at = new RowName(where, index);
                var row = ParseRow(ref reader, at, components, defaultTime);
                if (series.Multi)
                {
                    parsed.Add(MultiObservationOf(row, at, series.Id));
                }
                else
                {
                    parsed.Add(new NewObservation(
                        series.Id, row.PhenomenonTime, row.Result, row.ResultJson, row.ResultTime, row.FeatureOfInterestId, row.ResultQuality, row.ValidTime, row.Parameters));
                }
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

    /// <summary>The values of the row at the reader, a JSON array of one value per component.</summary>
    private static Row ParseRow(ref Utf8JsonReader reader, RowName at, string[] components, SensorTime defaultTime)
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

        return row;
    }

    /// <summary>
    /// The Observation of MultiDatastream <paramref name="multiDatastreamId"/> that <paramref name="row"/> describes: its
    /// result must be an array (one value per ObservedProperty; the length is checked against the MultiDatastream when stored).
    /// </summary>
    private static MultiObservation MultiObservationOf(Row row, RowName at, long multiDatastreamId) =>
        row.ResultJson is { ValueKind: JsonValueKind.Array } result
            ? new MultiObservation(0, multiDatastreamId, row.FeatureOfInterestId, row.PhenomenonTime, row.ResultTime, result, row.ResultQuality, row.ValidTime, row.Parameters)
            : throw new EntityBodyException($"{at}: the result of an Observation of a MultiDatastream must be an array with one value per ObservedProperty.");

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
    /// The rows of a request: the Observations of the rows that parsed — of Datastreams and of MultiDatastreams — each
    /// with its position among all rows, and the positions of the rows that failed (at parsing, or later for a missing link).
    /// </summary>
    private sealed class ParsedRows
    {
        public List<NewObservation> Rows { get; } = [];

        public List<int> Positions { get; } = [];

        public List<MultiObservation> MultiRows { get; } = [];

        public List<int> MultiPositions { get; } = [];

        public HashSet<int> Failed { get; } = [];

        /// <summary>All rows read, stored or failed.</summary>
        public int Count { get; private set; }

        public void Add(NewObservation row)
        {
            Positions.Add(Count++);
            Rows.Add(row);
        }

        public void Add(MultiObservation row)
        {
            MultiPositions.Add(Count++);
            MultiRows.Add(row);
        }

        public void AddFailed() => Failed.Add(Count++);
    }

    /// <summary>What a group's rows are Observations of: a Datastream, or a MultiDatastream when <paramref name="Multi"/>.</summary>
    private readonly record struct Series(long Id, bool Multi);

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
