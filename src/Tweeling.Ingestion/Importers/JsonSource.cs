using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;
using Tweeling.Domain.Geo;

namespace Tweeling.Ingestion.Importers;

/// <summary>Parses JSON source files and the GeoJSON parts the importers share.</summary>
internal static class JsonSource
{
    /// <summary>Parses the file; malformed JSON becomes an <see cref="ImportException"/> with the line and position.</summary>
    public static JsonDocument Parse(SourceFile file)
    {
        try
        {
            return JsonDocument.Parse(file.Utf8, new JsonDocumentOptions { AllowTrailingCommas = false, MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw Malformed(file, e);
        }
    }

    /// <summary>An <see cref="ImportException"/> for a JSON syntax or shape error, with its line and position.</summary>
    public static ImportException Malformed(SourceFile file, JsonException e)
    {
        // JsonException numbers lines and bytes from 0; editors number them from 1.
        var location = e.LineNumber is { } line
            ? string.Create(CultureInfo.InvariantCulture, $"line {line + 1}, position {(e.BytePositionInLine ?? 0) + 1}")
            : null;
        var message = e.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        }

        return new ImportException(file.Path, location, "malformed JSON: " + (cut > 0 ? message[..cut] : message), e);
    }

    /// <summary>
    /// The SRID a GeoJSON <c>crs</c> member names: CRS84 (4326, longitude first) when absent, as RFC 7946
    /// says, or one of the spellings GDAL and others use for CRS84/EPSG:4326 and RD New. Anything else is
    /// a wrong CRS, because the platform cannot transform it to RD New.
    /// </summary>
    public static int GeoJsonSrid(SourceFile file, JsonElement root)
    {
        if (!root.TryGetProperty("crs", out var crs) || crs.ValueKind == JsonValueKind.Null)
        {
            return Crs.Crs84Srid;
        }

        var name = crs.ValueKind == JsonValueKind.Object
            && crs.TryGetProperty("properties", out var properties)
            && properties.ValueKind == JsonValueKind.Object
            && properties.TryGetProperty("name", out var n)
            && n.ValueKind == JsonValueKind.String
                ? n.GetString()!
                : null;
        return SridOfName(name) ?? throw new ImportException(
            file.Path,
            null,
            $"wrong CRS: the file declares '{name ?? crs.GetRawText()}'; accepted are CRS84 (urn:ogc:def:crs:OGC:1.3:CRS84, EPSG:4326) and RD New (EPSG:28992)");
    }

    /// <summary>Maps a CRS name (URN, OGC URI or <c>EPSG:n</c>) to 4326 or 28992, else <c>null</c>.</summary>
    public static int? SridOfName(string? name)
    {
        if (name is null)
        {
            return null;
        }

        var n = name.Trim();
        if (n.EndsWith("CRS84", StringComparison.OrdinalIgnoreCase))
        {
            return Crs.Crs84Srid;
        }

        var digits = n[(n.LastIndexOfAny([':', '/']) + 1)..];
        var isEpsg = n.Contains("EPSG", StringComparison.OrdinalIgnoreCase);
        return isEpsg && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            ? code switch
            {
                Crs.Crs84Srid => Crs.Crs84Srid,
                Crs.RdNewSrid => Crs.RdNewSrid,
                _ => null,
            }
            : null;
    }

    /// <summary>The <c>features</c> array of a FeatureCollection; a file without features is an error.</summary>
    public static IReadOnlyList<JsonElement> Features(SourceFile file, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("type", out var type)
            || type.ValueKind != JsonValueKind.String
            || type.GetString() != "FeatureCollection")
        {
            throw new ImportException(file.Path, null, "not a GeoJSON FeatureCollection (the root needs \"type\": \"FeatureCollection\")");
        }

        if (!root.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
        {
            throw new ImportException(file.Path, null, "the FeatureCollection has no \"features\" array");
        }

        var list = features.EnumerateArray().ToList();
        return list.Count == 0 ? throw new ImportException(file.Path, null, "the file holds no features") : list;
    }

    /// <summary>Reads a GeoJSON geometry with NTS; structural errors (an unclosed ring, too few points) name the feature.</summary>
    public static Geometry ReadGeometry(SourceFile file, string location, JsonElement feature, GeometryFactory factory)
    {
        if (!feature.TryGetProperty("geometry", out var element) || element.ValueKind != JsonValueKind.Object)
        {
            throw new ImportException(file.Path, location, "the feature has no geometry");
        }

        var options = new JsonSerializerOptions();
        options.Converters.Add(new GeoJsonConverterFactory(factory));
        try
        {
            return element.Deserialize<Geometry>(options)
                ?? throw new ImportException(file.Path, location, "the feature has no geometry");
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw new ImportException(file.Path, location, $"invalid geometry: {e.Message}", e);
        }
    }

    /// <summary>A string, number or boolean property as a CLR value; objects and arrays as their JSON text.</summary>
    public static object? ScalarValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number when value.TryGetInt64(out var l) => l,
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => value.GetRawText(),
    };

    /// <summary>A property of a JSON object as text (numbers in invariant form), or <c>null</c>.</summary>
    public static string? Text(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;
}
