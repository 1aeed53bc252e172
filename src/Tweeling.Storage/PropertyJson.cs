using System.Buffers;
using System.Text.Json;

namespace Tweeling.Storage;

/// <summary>
/// Serialises feature properties to and from JSON text, keeping their order and their types: JSON
/// integers come back as <see cref="long"/>, other numbers as <see cref="double"/>.
/// </summary>
public static class PropertyJson
{
    /// <summary>The properties as a JSON object.</summary>
    public static string Serialize(IReadOnlyDictionary<string, object?> properties)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, properties);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes the properties as a JSON object to <paramref name="writer"/>.</summary>
    public static void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, object?> properties)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in properties)
        {
            writer.WritePropertyName(name);
            WriteValue(writer, value);
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes one property value; throws for a type that a feature property cannot hold.</summary>
    public static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case long l: writer.WriteNumberValue(l); break;
            case int i: writer.WriteNumberValue(i); break;
            case double d when double.IsFinite(d): writer.WriteRawValue(FormatDouble(d)); break;
            case double: writer.WriteNullValue(); break;
            default: throw new ArgumentException($"A feature property cannot hold a {value.GetType().Name}; use string, long, double, bool or null.", nameof(value));
        }
    }

    /// <summary>
    /// Writes a double so that it reads back as a double: 9.0 becomes <c>9.0</c>, not <c>9</c>, which a
    /// reader would take for an integer. The shortest round-trip form keeps every bit.
    /// </summary>
    private static string FormatDouble(double value)
    {
        var text = value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        return IsFractional(System.Text.Encoding.ASCII.GetBytes(text)) ? text : text + ".0";
    }

    private static bool IsFractional(ReadOnlySpan<byte> number) => number.IndexOfAny(".eE"u8) >= 0;

    /// <summary>Reads a JSON object written by <see cref="Serialize"/>.</summary>
    public static Dictionary<string, object?> Deserialize(string json)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                // Nested values are not feature properties; skip them rather than misread their members.
                reader.Skip();
                result[name] = null;
                continue;
            }

            result[name] = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.True => true,
                JsonTokenType.False => false,
                JsonTokenType.Number when !IsFractional(reader.ValueSpan) && reader.TryGetInt64(out var l) => l,
                JsonTokenType.Number => reader.GetDouble(),
                _ => null,
            };
        }

        return result;
    }
}
