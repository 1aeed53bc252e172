using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Sensors;
using Tweeling.Server.Hosting;

namespace Tweeling.Server.Features.SensorThings;

/// <summary>
/// Reads the properties of one entity from a JSON request body (POST, PATCH, PUT, a <c>$batch</c> part): each
/// with its type checked and, unless <paramref name="Partial"/>, mandatory ones required.
/// </summary>
/// <param name="Body">The entity's JSON object.</param>
/// <param name="Partial">
/// A PATCH: an absent member keeps the stored value. Otherwise (POST, PUT) an absent mandatory member is an
/// error and an absent optional one is <c>null</c>.
/// </param>
/// <param name="EntityType">The entity type, for messages (<c>Thing</c>).</param>
internal readonly partial record struct EntityFields(JsonElement Body, bool Partial, string EntityType)
{
    /// <summary>The encodings of a geometry the server reads: GeoJSON (the 1.0 name is still in use).</summary>
    public static readonly IReadOnlyList<string> GeoJsonEncodings = ["application/geo+json", "application/vnd.geo+json"];

    private static readonly JsonSerializerOptions s_geoJson = GeoJsonOptions();

    /// <summary>A mandatory string.</summary>
    public string Text(string name, string? stored)
    {
        if (!Present(name, out var value))
        {
            return Partial && stored is not null ? stored : throw Missing(name, "a string");
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new EntityBodyException($"'{name}' of {A(EntityType)} must be a string, not {Kind(value)}.");
    }

    /// <summary>An optional JSON object (<c>properties</c>, <c>parameters</c>).</summary>
    public JsonElement? Object(string name, JsonElement? stored)
    {
        if (!Present(name, out var value))
        {
            return Partial ? stored : null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.Object => value.Clone(),
            _ => throw new EntityBodyException($"'{name}' of {A(EntityType)} must be a JSON object, not {Kind(value)}."),
        };
    }

    /// <summary>An optional member of any JSON type (<c>resultQuality</c>).</summary>
    public JsonElement? Any(string name, JsonElement? stored)
    {
        if (!Present(name, out var value))
        {
            return Partial ? stored : null;
        }

        return value.ValueKind == JsonValueKind.Null ? null : value.Clone();
    }

    /// <summary>The encoding of a geometry member: one of <see cref="GeoJsonEncodings"/>.</summary>
    public string GeoEncoding(string name, string? stored)
    {
        var encoding = Text(name, stored);
        return GeoJsonEncodings.Contains(encoding, StringComparer.OrdinalIgnoreCase)
            ? encoding
            : throw new EntityBodyException($"'{name}' of {A(EntityType)} must be {string.Join(" or ", GeoJsonEncodings)}: the server reads GeoJSON geometries only, not '{encoding}'.");
    }

    /// <summary>A mandatory GeoJSON geometry in CRS84.</summary>
    public Geometry Geometry(string name, Geometry? stored)
    {
        if (!Present(name, out var value))
        {
            return Partial && stored is not null ? stored : throw Missing(name, "a GeoJSON geometry");
        }

        return value.ValueKind == JsonValueKind.Null ? throw Missing(name, "a GeoJSON geometry") : ReadGeometry(name, value);
    }

    /// <summary>An optional GeoJSON geometry in CRS84.</summary>
    public Geometry? OptionalGeometry(string name, Geometry? stored)
    {
        if (!Present(name, out var value))
        {
            return Partial ? stored : null;
        }

        return value.ValueKind == JsonValueKind.Null ? null : ReadGeometry(name, value);
    }

    private Geometry ReadGeometry(string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new EntityBodyException($"'{name}' of {A(EntityType)} must be a GeoJSON geometry object, not {Kind(value)}.");
        }

        Geometry? geometry;
        try
        {
            geometry = value.Deserialize<Geometry>(s_geoJson);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or NotSupportedException or FormatException)
        {
            throw new EntityBodyException($"'{name}' of {A(EntityType)} is not a valid GeoJSON geometry: {e.Message}");
        }

        if (geometry is null || geometry.IsEmpty)
        {
            throw new EntityBodyException($"'{name}' of {A(EntityType)} is not a GeoJSON geometry with coordinates.");
        }

        foreach (var coordinate in geometry.Coordinates)
        {
            if (!double.IsFinite(coordinate.X) || !double.IsFinite(coordinate.Y) || Math.Abs(coordinate.X) > 180 || Math.Abs(coordinate.Y) > 90)
            {
                throw new EntityBodyException($"'{name}' of {A(EntityType)} has a position outside CRS84 (longitude -180..180, latitude -90..90): {coordinate.X.ToString(CultureInfo.InvariantCulture)}, {coordinate.Y.ToString(CultureInfo.InvariantCulture)}.");
            }
        }

        geometry.SRID = Crs.Crs84Srid;
        return geometry;
    }

    /// <summary>A mandatory instant (<c>HistoricalLocation/time</c>).</summary>
    public DateTimeOffset Instant(string name, DateTimeOffset? stored)
    {
        var time = OptionalTime(name, stored is { } s ? SensorTime.At(s) : null) ?? throw Missing(name, "an ISO 8601 instant");
        return time.IsInstant ? time.Start : throw new EntityBodyException($"'{name}' of {A(EntityType)} must be an instant, not an interval.");
    }

    /// <summary>An optional instant or interval.</summary>
    public SensorTime? OptionalTime(string name, SensorTime? stored)
    {
        if (!Present(name, out _))
        {
            return Partial ? stored : null;
        }

        return Time(Body, name);
    }

    /// <summary>A mandatory <c>unitOfMeasurement</c>: an object with the strings <c>name</c>, <c>symbol</c> and <c>definition</c>.</summary>
    public UnitOfMeasurement Unit(string name, UnitOfMeasurement? stored)
    {
        if (!Present(name, out var value))
        {
            return Partial && stored is not null ? stored : throw Missing(name, "an object with name, symbol and definition");
        }

        return ReadUnit(name, value);
    }

    /// <summary>
    /// A mandatory array of units (a MultiDatastream's <c>unitOfMeasurements</c>), each as <see cref="Unit"/> reads one;
    /// whether there are as many as the entity's other arrays is the store's check (<see cref="MultiDatastream.Problem"/>).
    /// </summary>
    public IReadOnlyList<UnitOfMeasurement> Units(string name, IReadOnlyList<UnitOfMeasurement>? stored)
    {
        if (!Present(name, out var value))
        {
            return Partial && stored is not null ? stored : throw Missing(name, "an array of objects with name, symbol and definition");
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new EntityBodyException($"'{name}' of {A(EntityType)} must be an array of objects with name, symbol and definition, not {Kind(value)}.");
        }

        var units = new List<UnitOfMeasurement>();
        foreach (var unit in value.EnumerateArray())
        {
            units.Add(ReadUnit($"{name}[{units.Count}]", unit));
        }

        return units;
    }

    /// <summary>A mandatory array of strings (a MultiDatastream's <c>multiObservationDataTypes</c>).</summary>
    public IReadOnlyList<string> Texts(string name, IReadOnlyList<string>? stored)
    {
        if (!Present(name, out var value))
        {
            return Partial && stored is not null ? stored : throw Missing(name, "an array of strings");
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new EntityBodyException($"'{name}' of {A(EntityType)} must be an array of strings, not {Kind(value)}.");
        }

        var entityType = EntityType;
        return [.. value.EnumerateArray().Select((text, i) => text.ValueKind == JsonValueKind.String
            ? text.GetString()!
            : throw new EntityBodyException($"'{name}[{i}]' of {A(entityType)} must be a string, not {Kind(text)}."))];
    }

    private UnitOfMeasurement ReadUnit(string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new EntityBodyException($"'{name}' of {A(EntityType)} must be an object with name, symbol and definition, not {Kind(value)}.");
        }

        var unit = new EntityFields(value, Partial: false, name);
        foreach (var member in value.EnumerateObject())
        {
            if (member.Name is not ("name" or "symbol" or "definition"))
            {
                throw new EntityBodyException($"'{name}' has no member '{member.Name}'; it has name, symbol and definition.");
            }
        }

        return new UnitOfMeasurement(unit.Text("name", null), unit.Text("symbol", null), unit.Text("definition", null));
    }

    /// <summary>An Observation's <c>result</c>: a finite number, or any other JSON value (JSON <c>null</c> as neither).</summary>
    public (double? Number, JsonElement? Other) Result(string name, (double?, JsonElement?)? stored)
    {
        if (!Present(name, out var value))
        {
            return Partial && stored is { } s ? s : throw Missing(name, "a number, or any other JSON value");
        }

        return ReadResult(value);
    }

    /// <summary>
    /// The <c>result</c> of an Observation of a MultiDatastream: a JSON array (the store checks that it has one value per
    /// ObservedProperty of the MultiDatastream).
    /// </summary>
    public JsonElement ResultArray(string name, JsonElement? stored)
    {
        if (!Present(name, out var value))
        {
            return Partial && stored is { } s ? s : throw Missing(name, "an array with one value per ObservedProperty of its MultiDatastream");
        }

        return value.ValueKind == JsonValueKind.Array
            ? value.Clone()
            : throw new EntityBodyException($"'{name}' of an Observation of a MultiDatastream must be an array with one value per ObservedProperty, not {Kind(value)}.");
    }

    /// <summary>A result value: a finite number, or any other JSON value.</summary>
    public static (double? Number, JsonElement? Other) ReadResult(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            return value.TryGetDouble(out var number) && double.IsFinite(number)
                ? (number, null)
                : throw new EntityBodyException($"'result' {value.GetRawText()} is out of the range of a double.");
        }

        return value.ValueKind == JsonValueKind.Null ? (null, null) : (null, value.Clone());
    }

    /// <summary>An ISO 8601 instant or <c>start/end</c> interval with a time zone; <c>null</c> when absent or null.</summary>
    public static SensorTime? Time(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var text = value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new EntityBodyException($"'{name}' must be an ISO 8601 time string, not {Kind(value)}.");
        return ParseTime(text) ?? throw new EntityBodyException(
            $"'{name}' must be an ISO 8601 instant with a time zone (2025-03-01T12:00:00Z) or an interval start/end ending no earlier than it starts, not '{text}'.");
    }

    /// <summary>An ISO 8601 instant with a time zone, or an interval <c>start/end</c> with end ≥ start; <c>null</c> when it is neither.</summary>
    public static SensorTime? ParseTime(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return TryInstant(text, out var instant) ? SensorTime.At(instant) : null;
        }

        return TryInstant(text[..slash], out var start) && TryInstant(text[(slash + 1)..], out var end) && end >= start
            ? new SensorTime(start, end)
            : null;
    }

    /// <summary>An entity type with its indefinite article, for messages: "a Thing", "an Observation".</summary>
    public static string A(string entityType, bool capital = false) =>
        (entityType[0] is 'A' or 'E' or 'I' or 'O' or 'U' ? (capital ? "An " : "an ") : (capital ? "A " : "a ")) + entityType;

    /// <summary>How a JSON value's kind reads in a message.</summary>
    public static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static bool TryInstant(string text, out DateTimeOffset instant)
    {
        instant = default;
        return IsoInstant().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out instant);
    }

    private bool Present(string name, out JsonElement value) => Body.TryGetProperty(name, out value);

    private EntityBodyException Missing(string name, string what) =>
        new(Partial
            ? $"'{name}' of {A(EntityType)} cannot be null: it must be {what}."
            : $"{A(EntityType, capital: true)} needs '{name}' ({what}).");

    private static JsonSerializerOptions GeoJsonOptions()
    {
        var options = new JsonSerializerOptions();
        options.Converters.Add(new GeoJsonConverterFactory(TwinHost.GeometryServices.CreateGeometryFactory(Crs.Crs84Srid)));
        return options;
    }

    /// <summary>Date, time and an explicit offset (Z or ±hh:mm), so that no instant depends on the server's zone.</summary>
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoInstant();
}

/// <summary>A request body is JSON but not a valid entity (or change); the message says what to fix. Nothing was stored.</summary>
internal sealed class EntityBodyException(string message) : Exception(message);
