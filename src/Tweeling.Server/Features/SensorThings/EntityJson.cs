using System.Buffers;
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
/// Written for reads of thousands of entities per second: member names are encoded once (<see cref="JsonEncodedText"/>),
/// links and times are formatted into stack buffers and written from there, so an entity costs no strings of its own.
/// </remarks>
internal sealed class EntityJson(Utf8JsonWriter json, string serviceRoot, IReadOnlyList<string> select, CrsTransformer crs)
{
    /// <summary>The length of an instant as written: <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>.</summary>
    private const int InstantLength = 24;

    private static readonly JsonEncodedText s_id = JsonEncodedText.Encode("@iot.id");
    private static readonly JsonEncodedText s_selfLink = JsonEncodedText.Encode("@iot.selfLink");
    private static readonly JsonEncodedText s_symbol = JsonEncodedText.Encode("symbol");

    /// <summary>Every property name of every set, encoded once.</summary>
    private static readonly Dictionary<string, JsonEncodedText> s_names = EntitySet.Readable
        .SelectMany(set => set.Properties)
        .Distinct(StringComparer.Ordinal)
        .ToDictionary(name => name, name => JsonEncodedText.Encode(name), StringComparer.Ordinal);

    /// <summary><c>&lt;Nav&gt;@iot.navigationLink</c> of every navigation property, encoded once.</summary>
    private static readonly Dictionary<string, JsonEncodedText> s_navigationLinks = EntitySet.Readable
        .SelectMany(set => set.Navigations)
        .Distinct(StringComparer.Ordinal)
        .ToDictionary(name => name, name => JsonEncodedText.Encode(name + "@iot.navigationLink"), StringComparer.Ordinal);

    private readonly GeoJsonWriter _geo = new(crs, Crs.Crs84Srid);

    /// <summary>Writes one entity as a complete JSON object; <paramref name="members"/> adds more members (expanded entities) at its end.</summary>
    public void Write(EntitySet set, ISensorEntity entity, Action<Utf8JsonWriter>? members = null)
    {
        json.WriteStartObject();
        if (Selected("id"))
        {
            json.WriteNumber(s_id, entity.Id);
        }

        if (select.Count == 0)
        {
            Link(s_selfLink, set, entity.Id, null);
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
                    json.WritePropertyName(s_names["unitOfMeasurement"]);
                    Unit(datastream.UnitOfMeasurement);
                }

                String("observationType", datastream.ObservationType);
                Geometry("observedArea", datastream.ObservedArea);
                Time("phenomenonTime", datastream.PhenomenonTime);
                Time("resultTime", datastream.ResultTime);
                Json("properties", datastream.Properties);
                break;
            case MultiDatastream multi:
                String("name", multi.Name);
                String("description", multi.Description);
                if (Selected("unitOfMeasurements"))
                {
                    json.WriteStartArray(s_names["unitOfMeasurements"]);
                    foreach (var unit in multi.UnitOfMeasurements)
                    {
                        Unit(unit);
                    }

                    json.WriteEndArray();
                }

                String("observationType", multi.ObservationType);
                if (Selected("multiObservationDataTypes"))
                {
                    json.WriteStartArray(s_names["multiObservationDataTypes"]);
                    foreach (var type in multi.MultiObservationDataTypes)
                    {
                        json.WriteStringValue(type);
                    }

                    json.WriteEndArray();
                }

                Geometry("observedArea", multi.ObservedArea);
                Time("phenomenonTime", multi.PhenomenonTime);
                Time("resultTime", multi.ResultTime);
                Json("properties", multi.Properties);
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
                        json.WriteNumber(s_names["result"], number);
                    }
                    else
                    {
                        json.WritePropertyName(s_names["result"]);
                        WriteJsonOrNull(observation.ResultJson);
                    }
                }

                Time("resultTime", observation.ResultTime is { } resultTime ? SensorTime.At(resultTime) : null);
                Json("resultQuality", observation.ResultQuality);
                Time("validTime", observation.ValidTime);
                Json("parameters", observation.Parameters);
                break;
            case MultiObservation multiObservation:
                Time("phenomenonTime", multiObservation.PhenomenonTime);
                Json("result", multiObservation.Result);
                Time("resultTime", multiObservation.ResultTime is { } multiResultTime ? SensorTime.At(multiResultTime) : null);
                Json("resultQuality", multiObservation.ResultQuality);
                Time("validTime", multiObservation.ValidTime);
                Json("parameters", multiObservation.Parameters);
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

        foreach (var navigation in set.NavigationsOf(entity))
        {
            if (Selected(navigation))
            {
                Link(s_navigationLinks[navigation], set, entity.Id, navigation);
            }
        }

        members?.Invoke(json);
        json.WriteEndObject();
    }

    /// <summary>An ISO 8601 instant in UTC with milliseconds, or <c>start/end</c> for an interval.</summary>
    public static string Format(SensorTime time)
    {
        Span<byte> utf8 = stackalloc byte[(2 * InstantLength) + 1];
        return System.Text.Encoding.ASCII.GetString(utf8[..Format(time, utf8)]);
    }

    /// <summary>Writes <paramref name="time"/> as <see cref="Format(SensorTime)"/> does into <paramref name="utf8"/> (49 bytes fit any); returns the length.</summary>
    private static int Format(SensorTime time, Span<byte> utf8)
    {
        var length = Format(time.Start, utf8);
        if (time.End is { } end)
        {
            utf8[length++] = (byte)'/';
            length += Format(end, utf8[length..]);
        }

        return length;
    }

    /// <summary><c>yyyy-MM-ddTHH:mm:ss.fffZ</c> in UTC, the milliseconds cut (not rounded) as the custom format "fff" does.</summary>
    private static int Format(DateTimeOffset instant, Span<byte> utf8)
    {
        var utc = instant.UtcDateTime;
        Digits(utf8[..4], utc.Year);
        utf8[4] = (byte)'-';
        Digits(utf8[5..7], utc.Month);
        utf8[7] = (byte)'-';
        Digits(utf8[8..10], utc.Day);
        utf8[10] = (byte)'T';
        Digits(utf8[11..13], utc.Hour);
        utf8[13] = (byte)':';
        Digits(utf8[14..16], utc.Minute);
        utf8[16] = (byte)':';
        Digits(utf8[17..19], utc.Second);
        utf8[19] = (byte)'.';
        Digits(utf8[20..23], utc.Millisecond);
        utf8[23] = (byte)'Z';
        return InstantLength;
    }

    /// <summary>Writes <paramref name="value"/> as exactly <c>digits.Length</c> decimal digits, zero-padded.</summary>
    private static void Digits(Span<byte> digits, int value)
    {
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            digits[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    private bool Selected(string name) => select.Count == 0 || select.Contains(name, StringComparer.Ordinal);

    /// <summary>Writes <c>{serviceRoot}/{Set}({id})</c>, with <c>/{navigation}</c> when given, as the string member <paramref name="name"/>.</summary>
    private void Link(JsonEncodedText name, EntitySet set, long id, string? navigation)
    {
        // The service root is a short URL; a longer one (a long PathBase) takes the rented buffer.
        // Two slashes, two parentheses and at most 20 characters of a long.
        var length = serviceRoot.Length + set.Name.Length + 24 + (navigation?.Length ?? 0);
        char[]? rented = null;
        Span<char> link = length <= 256 ? stackalloc char[256] : (rented = ArrayPool<char>.Shared.Rent(length));
        var written = 0;
        serviceRoot.CopyTo(link);
        written += serviceRoot.Length;
        link[written++] = '/';
        set.Name.CopyTo(link[written..]);
        written += set.Name.Length;
        link[written++] = '(';
        id.TryFormat(link[written..], out var digits, default, CultureInfo.InvariantCulture);
        written += digits;
        link[written++] = ')';
        if (navigation is not null)
        {
            link[written++] = '/';
            navigation.CopyTo(link[written..]);
            written += navigation.Length;
        }

        json.WriteString(name, link[..written]);
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>A unit of measurement as the standard's object value (its name, symbol and definition).</summary>
    private void Unit(UnitOfMeasurement unit)
    {
        json.WriteStartObject();
        json.WriteString(s_names["name"], unit.Name);
        json.WriteString(s_symbol, unit.Symbol);
        json.WriteString(s_names["definition"], unit.Definition);
        json.WriteEndObject();
    }

    private void String(string name, string value)
    {
        if (Selected(name))
        {
            json.WriteString(s_names[name], value);
        }
    }

    private void Json(string name, JsonElement? value)
    {
        if (Selected(name))
        {
            json.WritePropertyName(s_names[name]);
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
            Span<byte> utf8 = stackalloc byte[(2 * InstantLength) + 1];
            json.WriteString(s_names[name], utf8[..Format(time, utf8)]);
        }
        else
        {
            json.WriteNull(s_names[name]);
        }
    }

    private void Geometry(string name, Geometry? value)
    {
        if (!Selected(name))
        {
            return;
        }

        json.WritePropertyName(s_names[name]);
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
