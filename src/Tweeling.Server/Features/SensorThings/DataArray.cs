using System.Text.Json;
using Tweeling.Domain.Sensors;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.SensorThings;

/// <summary>
/// <c>$resultFormat=dataArray</c> reads of Observations (OGC 18-088 §14.3): per Datastream or MultiDatastream, the
/// component names once and each Observation as an array of values in that order, which is far smaller than one object
/// per Observation. The <c>result</c> of an Observation of a MultiDatastream is its array, as in the entity.
/// </summary>
/// <remarks>
/// The components are those <c>$select</c> names, in its order, or else <c>id</c>, <c>phenomenonTime</c>,
/// <c>resultTime</c> and <c>result</c>, as in the standard's example. Values are written as in an entity.
/// </remarks>
internal static class DataArray
{
    /// <summary>The components without <c>$select</c>.</summary>
    public static readonly IReadOnlyList<string> DefaultComponents = ["id", "phenomenonTime", "resultTime", "result"];

    private static readonly HashSet<string> s_components = ["id", .. EntitySet.Observations.Properties];

    /// <summary>A 400 problem when <c>$select</c> names something that is not an Observation property, else <c>null</c>.</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? CheckComponents(IReadOnlyList<string> select)
    {
        foreach (var name in select)
        {
            if (!s_components.Contains(name))
            {
                return ProblemType.InvalidParameter.With($"$select: '{name}' cannot be a dataArray component; use id, {string.Join(", ", EntitySet.Observations.Properties)}.");
            }
        }

        return null;
    }

    /// <summary>
    /// Writes <c>{"@iot.count"?, "value": [per Datastream or MultiDatastream …], "@iot.nextLink"?}</c>, the groups in order of
    /// their first Observation in the page; a MultiDatastream's group links it with <c>MultiDatastream@iot.navigationLink</c>.
    /// </summary>
    public static void Write(Utf8JsonWriter json, string serviceRoot, IEnumerable<ISensorEntity> observations, IReadOnlyList<string> select, long? count, string? nextLink)
    {
        var components = select.Count > 0 ? select : DefaultComponents;
        json.WriteStartObject();
        if (count is { } total)
        {
            json.WriteNumber("@iot.count", total);
        }

        json.WriteStartArray("value");
        foreach (var group in observations.GroupBy(SeriesOf))
        {
            json.WriteStartObject();
            if (group.Key.Multi)
            {
                json.WriteString("MultiDatastream@iot.navigationLink", $"{serviceRoot}/MultiDatastreams({group.Key.Id})");
            }
            else
            {
                json.WriteString("Datastream@iot.navigationLink", $"{serviceRoot}/Datastreams({group.Key.Id})");
            }

            json.WriteStartArray("components");
            foreach (var component in components)
            {
                json.WriteStringValue(component);
            }

            json.WriteEndArray();
            json.WriteNumber("dataArray@iot.count", group.Count());
            json.WriteStartArray("dataArray");
            foreach (var observation in group)
            {
                json.WriteStartArray();
                foreach (var component in components)
                {
                    WriteValue(json, observation, component);
                }

                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (nextLink is not null)
        {
            json.WriteString("@iot.nextLink", nextLink);
        }

        json.WriteEndObject();
    }

    /// <summary>The series an Observation belongs to: its Datastream, or its MultiDatastream.</summary>
    private static (bool Multi, long Id) SeriesOf(ISensorEntity observation) => observation switch
    {
        MultiObservation multi => (true, multi.MultiDatastreamId),
        _ => (false, ((Observation)observation).DatastreamId),
    };

    private static void WriteValue(Utf8JsonWriter json, ISensorEntity entity, string component)
    {
        // The members both kinds share; only the result differs (a number or any JSON value, or the MultiDatastream's array).
        var (phenomenonTime, resultTime, resultQuality, validTime, parameters) = entity switch
        {
            MultiObservation m => (m.PhenomenonTime, m.ResultTime, m.ResultQuality, m.ValidTime, m.Parameters),
            Observation o => (o.PhenomenonTime, o.ResultTime, o.ResultQuality, o.ValidTime, o.Parameters),
            _ => throw new ArgumentException($"{entity.GetType().Name} is not an Observation.", nameof(entity)),
        };
        switch (component)
        {
            case "id":
                json.WriteNumberValue(entity.Id);
                break;
            case "phenomenonTime":
                json.WriteStringValue(EntityJson.Format(phenomenonTime));
                break;
            case "resultTime":
                WriteTime(json, resultTime is { } instant ? SensorTime.At(instant) : null);
                break;
            case "validTime":
                WriteTime(json, validTime);
                break;
            case "result" when entity is MultiObservation multi:
                multi.Result.WriteTo(json);
                break;
            case "result" when entity is Observation { Result: { } number }:
                json.WriteNumberValue(number);
                break;
            case "result":
                WriteJson(json, ((Observation)entity).ResultJson);
                break;
            case "resultQuality":
                WriteJson(json, resultQuality);
                break;
            default:
                WriteJson(json, parameters);
                break;
        }
    }

    private static void WriteTime(Utf8JsonWriter json, SensorTime? time)
    {
        if (time is { } value)
        {
            json.WriteStringValue(EntityJson.Format(value));
        }
        else
        {
            json.WriteNullValue();
        }
    }

    private static void WriteJson(Utf8JsonWriter json, JsonElement? value)
    {
        if (value is { } element)
        {
            element.WriteTo(json);
        }
        else
        {
            json.WriteNullValue();
        }
    }
}
