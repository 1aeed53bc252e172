using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Sensors;
using Tweeling.Server.Features.Ogc;
using StaLocation = Tweeling.Domain.Sensors.Location;

namespace Tweeling.Server.Features.SensorThings;

/// <summary>
/// Writes SensorThings entities as JSON with the standard's property names (OGC 18-088 §8.2), their
/// <c>@iot.id</c>, <c>@iot.selfLink</c> and a <c>&lt;Nav&gt;@iot.navigationLink</c> per navigation property.
/// </summary>
/// <remarks>
/// Only the members in <paramref name="select"/> are written when it is not empty (<c>id</c> stands for
/// <c>@iot.id</c>; a navigation name for its link). A null optional property is written as JSON <c>null</c>,
/// so that a property request can tell "null" (204) from "no such property" (404). Geometries are GeoJSON in
/// CRS84 with 7 decimals (about 1 cm); times are UTC ISO 8601 with milliseconds, an interval as <c>start/end</c>.
/// </remarks>
internal sealed class EntityJson(Utf8JsonWriter json, string serviceRoot, IReadOnlyList<string> select, CrsTransformer crs)
{
    private readonly GeoJsonWriter _geo = new(crs, Crs.Crs84Srid);

    /// <summary>Writes one entity as a complete JSON object; <paramref name="members"/> adds more members (expanded entities) at its end.</summary>
    public void Write(EntitySet set, ISensorEntity entity, Action<Utf8JsonWriter>? members = null)
    {
        json.WriteStartObject();
        if (Selected("id"))
        {
            json.WriteNumber("@iot.id", entity.Id);
        }

        if (select.Count == 0)
        {
            json.WriteString("@iot.selfLink", $"{serviceRoot}/{set.Name}({entity.Id})");
        }

        switch (entity)
        {
            case Thing thing:
                String("name", thing.Name);
                String("description", thing.Description);
                Json("properties", thing.Properties);
                break;
            case StaLocation location:
                String("name", location.Name);
                String("description", location.Description);
                String("encodingType", location.EncodingType);
                Geometry("location", location.Geometry);
                Json("properties", location.Properties);
                break;
            case HistoricalLocation historical:
                Time("time", SensorTime.At(historical.Time));
                break;
            case Datastream datastream:
                String("name", datastream.Name);
                String("description", datastream.Description);
                if (Selected("unitOfMeasurement"))
                {
                    json.WriteStartObject("unitOfMeasurement");
                    json.WriteString("name", datastream.UnitOfMeasurement.Name);
                    json.WriteString("symbol", datastream.UnitOfMeasurement.Symbol);
                    json.WriteString("definition", datastream.UnitOfMeasurement.Definition);
                    json.WriteEndObject();
                }

                String("observationType", datastream.ObservationType);
                Geometry("observedArea", datastream.ObservedArea);
                Time("phenomenonTime", datastream.PhenomenonTime);
                Time("resultTime", datastream.ResultTime);
                Json("properties", datastream.Properties);
                break;
            case Sensor sensor:
                String("name", sensor.Name);
                String("description", sensor.Description);
                String("encodingType", sensor.EncodingType);
                String("metadata", sensor.Metadata);
                Json("properties", sensor.Properties);
                break;
            case ObservedProperty observed:
                String("name", observed.Name);
                String("definition", observed.Definition);
                String("description", observed.Description);
                Json("properties", observed.Properties);
                break;
            case Observation observation:
                Time("phenomenonTime", observation.PhenomenonTime);
                if (Selected("result"))
                {
                    if (observation.Result is { } number)
                    {
                        json.WriteNumber("result", number);
                    }
                    else
                    {
                        json.WritePropertyName("result");
                        WriteJsonOrNull(observation.ResultJson);
                    }
                }

                Time("resultTime", observation.ResultTime is { } resultTime ? SensorTime.At(resultTime) : null);
                Json("resultQuality", observation.ResultQuality);
                Time("validTime", observation.ValidTime);
                Json("parameters", observation.Parameters);
                break;
            case FeatureOfInterest feature:
                String("name", feature.Name);
                String("description", feature.Description);
                String("encodingType", feature.EncodingType);
                Geometry("feature", feature.Feature);
                Json("properties", feature.Properties);
                break;
            default:
                throw new ArgumentException($"{entity.GetType().Name} is not a SensorThings entity.", nameof(entity));
        }

        foreach (var navigation in set.Navigations)
        {
            if (Selected(navigation))
            {
                json.WriteString(navigation + "@iot.navigationLink", $"{serviceRoot}/{set.Name}({entity.Id})/{navigation}");
            }
        }

        members?.Invoke(json);
        json.WriteEndObject();
    }

    /// <summary>An ISO 8601 instant in UTC with milliseconds, or <c>start/end</c> for an interval.</summary>
    public static string Format(SensorTime time) =>
        time.End is { } end ? $"{Format(time.Start)}/{Format(end)}" : Format(time.Start);

    private static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private bool Selected(string name) => select.Count == 0 || select.Contains(name, StringComparer.Ordinal);

    private void String(string name, string value)
    {
        if (Selected(name))
        {
            json.WriteString(name, value);
        }
    }

    private void Json(string name, JsonElement? value)
    {
        if (Selected(name))
        {
            json.WritePropertyName(name);
            WriteJsonOrNull(value);
        }
    }

    private void Time(string name, SensorTime? value)
    {
        if (!Selected(name))
        {
            return;
        }

        if (value is { } time)
        {
            json.WriteString(name, Format(time));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private void Geometry(string name, Geometry? value)
    {
        if (!Selected(name))
        {
            return;
        }

        json.WritePropertyName(name);
        if (value is null)
        {
            json.WriteNullValue();
        }
        else
        {
            _geo.WriteGeometry(json, value);
        }
    }

    private void WriteJsonOrNull(JsonElement? value)
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
