using System.Buffers;
using System.Text.Json;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Features;
using Tweeling.Domain.Geo;
using Tweeling.Server.Hosting;
using Tweeling.Storage;

namespace Tweeling.Server.Features.Ogc;

/// <summary>
/// Writes features as GeoJSON (RFC 7946) straight to a <see cref="Utf8JsonWriter"/>, transformed to
/// the requested CRS and rounded to a precision that fits it.
/// </summary>
/// <remarks>
/// Rounding: 7 decimals of a degree is about 1 cm on the ground, 3 decimals of a metre is 1 mm; more
/// digits only describe the floating-point noise of the transformation and make responses larger.
/// Hand-written rather than the NTS GeoJSON converter so that precision and streaming are ours to set:
/// positions are transformed one by one as they are written, never into a copy of the geometry.
/// </remarks>
internal sealed class GeoJsonWriter(CrsTransformer transformer, int targetSrid)
{
    private readonly int _decimals = targetSrid == Crs.Crs84Srid ? 7 : 3;

    /// <summary>
    /// Writes a feature's members and leaves its object open, so the caller can add members such as
    /// <c>links</c> before it writes the closing brace.
    /// </summary>
    public void WriteFeature(Utf8JsonWriter writer, Feature feature)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "Feature");
        writer.WriteString("id", feature.Id);
        writer.WritePropertyName("geometry");
        WriteGeometry(writer, feature.Geometry);
        writer.WritePropertyName("properties");
        writer.WriteStartObject();
        foreach (var (name, value) in feature.Properties)
        {
            writer.WritePropertyName(name);
            PropertyJson.WriteValue(writer, value);
        }

        // Lineage and time travel: which dataset this version came from and when it is valid.
        writer.WriteString("dataset", feature.DatasetId);
        writer.WriteString("geldigVanaf", feature.Validity.From);
        if (feature.Validity.To is { } to)
        {
            writer.WriteString("geldigTot", to);
        }
        else
        {
            writer.WriteNull("geldigTot");
        }

        writer.WriteEndObject();
    }

    /// <summary>The feature as one complete GeoJSON object, UTF-8.</summary>
    public byte[] ToJson(Feature feature)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer, JsonOutput.WriterOptions))
        {
            WriteFeature(json, feature);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes <paramref name="geometry"/>, transforming each position to the target CRS as it goes.</summary>
    public void WriteGeometry(Utf8JsonWriter writer, Geometry geometry)
    {
        writer.WriteStartObject();
        writer.WriteString("type", geometry.GeometryType);
        if (geometry is GeometryCollection collection and not MultiPoint and not MultiLineString and not MultiPolygon)
        {
            writer.WriteStartArray("geometries");
            foreach (var member in collection.Geometries)
            {
                WriteGeometry(writer, member);
            }

            writer.WriteEndArray();
        }
        else
        {
            writer.WritePropertyName("coordinates");
            WriteCoordinates(writer, geometry);
        }

        writer.WriteEndObject();
    }

    private void WriteCoordinates(Utf8JsonWriter writer, Geometry geometry)
    {
        switch (geometry)
        {
            case Point point:
                WritePosition(writer, point.CoordinateSequence, 0, point.SRID);
                break;
            case LineString line:
                WriteSequence(writer, line.CoordinateSequence, line.SRID);
                break;
            case Polygon polygon:
                writer.WriteStartArray();
                WriteSequence(writer, Oriented(polygon.Shell, counterClockwise: true), polygon.SRID);
                foreach (var hole in polygon.Holes)
                {
                    WriteSequence(writer, Oriented(hole, counterClockwise: false), polygon.SRID);
                }

                writer.WriteEndArray();
                break;
            case GeometryCollection multi:
                writer.WriteStartArray();
                foreach (var member in multi.Geometries)
                {
                    WriteCoordinates(writer, member);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new NotSupportedException($"GeoJSON has no geometry type for {geometry.GeometryType}.");
        }
    }

    /// <summary>RFC 7946 §3.1.6: exterior rings counterclockwise, holes clockwise.</summary>
    private static CoordinateSequence Oriented(LinearRing ring, bool counterClockwise) =>
        NetTopologySuite.Algorithm.Orientation.IsCCW(ring.CoordinateSequence) == counterClockwise
            ? ring.CoordinateSequence
            : ((LinearRing)ring.Reverse()).CoordinateSequence;

    private void WriteSequence(Utf8JsonWriter writer, CoordinateSequence sequence, int sourceSrid)
    {
        writer.WriteStartArray();
        for (var i = 0; i < sequence.Count; i++)
        {
            WritePosition(writer, sequence, i, sourceSrid);
        }

        writer.WriteEndArray();
    }

    private void WritePosition(Utf8JsonWriter writer, CoordinateSequence sequence, int index, int sourceSrid)
    {
        var (x, y) = (sequence.GetX(index), sequence.GetY(index));
        transformer.Transform(sourceSrid, targetSrid, ref x, ref y);
        writer.WriteStartArray();
        writer.WriteNumberValue(Math.Round(x, _decimals));
        writer.WriteNumberValue(Math.Round(y, _decimals));
        if (sequence.HasZ && !double.IsNaN(sequence.GetZ(index)))
        {
            writer.WriteNumberValue(Math.Round(sequence.GetZ(index), 3));
        }

        writer.WriteEndArray();
    }
}
