using System.Text.Json;
using Tweeling.Domain.Sensors;

namespace Tweeling.Ingestion.DemoCity.Feeds;

/// <summary>
/// The properties a demo sensor's Thing carries: marked synthetic, its catalog dataset (<c>dataset</c>,
/// which the access policy reads), and what the live feed needs to continue its readings after a restart
/// (key, kind, level, interval in seconds, seed).
/// </summary>
public static class DemoSensorProperties
{
    /// <summary>The Thing properties of <paramref name="sensor"/>.</summary>
    public static JsonElement Of(SimulatedSensor sensor, int seed) => JsonSerializer.SerializeToElement(new Dictionary<string, object>
    {
        ["demoSleutel"] = sensor.Key,
        ["soort"] = sensor.Kind.ToString(),
        ["niveau"] = sensor.Level,
        ["intervalSeconden"] = (long)sensor.Interval.TotalSeconds,
        ["zaad"] = seed,
        ["synthetisch"] = true,
        ["dataset"] = DemoSensorCatalog.DatasetId,
    });

    /// <summary>The simulated sensor a Thing stands for, with its seed; <c>null</c> for a Thing that is not a demo sensor.</summary>
    public static (SimulatedSensor Sensor, int Seed)? Read(Thing thing, Location location)
    {
        if (thing.Properties is not { ValueKind: JsonValueKind.Object } p ||
            !p.TryGetProperty("demoSleutel", out var key) || key.ValueKind != JsonValueKind.String ||
            !p.TryGetProperty("soort", out var kindText) || !Enum.TryParse<SensorKind>(kindText.GetString(), out var kind) ||
            !p.TryGetProperty("niveau", out var level) || level.ValueKind != JsonValueKind.Number ||
            !p.TryGetProperty("intervalSeconden", out var interval) || !interval.TryGetInt64(out var seconds) || seconds <= 0 ||
            !p.TryGetProperty("zaad", out var seed) || !seed.TryGetInt32(out var seedValue) ||
            location.Geometry is not NetTopologySuite.Geometries.Point point)
        {
            return null;
        }

        var sensor = new SimulatedSensor(key.GetString()!, kind, thing.Name, point, TimeSpan.FromSeconds(seconds), level.GetDouble());
        return (sensor, seedValue);
    }
}
