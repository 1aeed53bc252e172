using Tweeling.Domain.Alerts;

namespace Tweeling.Ingestion.DemoCity.Feeds;

/// <summary>
/// The thresholds the demo city starts with, one per sensor where a municipality would watch it: crowd
/// counters in the centre (the event zone), quay-wall inclinometers, pumping stations and NO2 monitors.
/// Traffic, parking and particulate matter get none: their limits are about averages over a day or a
/// year, which a threshold on single readings does not judge.
/// </summary>
/// <remarks>
/// The levels and their sources:
/// <list type="bullet">
/// <item><b>Crowds</b>: a warning at 1,000 × the counter's level persons per quarter hour, about 1.2 times
/// its busiest normal hour (Saturday afternoon, ≈ 816 × level), clearing below 800 × level. Crowd managers
/// work with levels relative to a place's normal busiest time because the safe absolute number depends on
/// the street's width: the Green Guide (Guide to Safety at Sports Grounds) puts the flow limit on level
/// ground at 82 persons per metre width per minute, far above any count here. Only an evening event
/// (<see cref="SignalModel.IsEventEvening"/>) crosses it.</item>
/// <item><b>Quay-wall tilt</b>: a warning at 3.3 mm/m from the reference measurement, an angular distortion
/// of 1:300, where Bjerrum (1963, "Allowable settlement of structures") expects the first cracks in masonry;
/// real walls get their own signal values from an engineer. It clears at 3.2 mm/m, above the daily thermal
/// swing of ±0.02 mm/m, so the swing does not raise and clear it every day. The weak wall (<c>kademuur-01</c>)
/// creeps towards it.</item>
/// <item><b>Pumps</b>: critical while the status is 2 (failure).</item>
/// <item><b>NO2</b>: a warning above 200 µg/m³, the EU hourly limit value (Directive 2008/50/EC, Annex XI;
/// unchanged in Directive (EU) 2024/2881). The limit is about hourly means and the readings are 10-minute
/// values, so this is a stricter early warning; the demo's air stays well below it, as Dutch air does.</item>
/// </list>
/// </remarks>
public static class DemoThresholds
{
    /// <summary>The thresholds for <paramref name="streams"/>, in their order (ids 0: the store assigns them).</summary>
    public static IReadOnlyList<Threshold> For(IEnumerable<DemoDatastream> streams) =>
        [.. streams.SelectMany(s => Of(s.Sensor, s.DatastreamId))];

    private static IEnumerable<Threshold> Of(SimulatedSensor sensor, long datastreamId)
    {
        switch (sensor.Kind)
        {
            case SensorKind.CrowdCount:
                yield return new Threshold(
                    0, datastreamId, $"Drukte evenementenzone: {sensor.Name}", ThresholdCondition.Above,
                    RoundTo10(1000 * sensor.Level), AlertSeverity.Warning, RoundTo10(800 * sensor.Level));
                break;
            case SensorKind.QuayWallTilt:
                yield return new Threshold(0, datastreamId, $"Scheefstand 1:300: {sensor.Name}", ThresholdCondition.Above, 3.3, AlertSeverity.Warning, 3.2);
                break;
            case SensorKind.PumpStatus:
                yield return new Threshold(0, datastreamId, $"Storing: {sensor.Name}", ThresholdCondition.Equal, 2, AlertSeverity.Critical);
                break;
            case SensorKind.No2:
                yield return new Threshold(0, datastreamId, $"EU-uurgrenswaarde NO2: {sensor.Name}", ThresholdCondition.Above, 200, AlertSeverity.Warning);
                break;
            default:
                break;
        }
    }

    private static double RoundTo10(double value) => Math.Round(value / 10) * 10;
}
