using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Tweeling.Storage;

/// <summary>
/// Where the observation writer's time goes, per group commit (not per observation), as .NET metrics of the meter
/// <c>Tweeling.Storage</c>: read them from a running server with
/// <c>dotnet-counters monitor -p PID --counters Tweeling.Storage</c> (docs/benchmarks.md, sta-mqtt-threads).
/// </summary>
/// <remarks>
/// Each phase's time is a counter in seconds, so its rate per second is the share of one thread that phase kept busy:
/// the group commit is a single writer, and a writer whose phases add up to about 1 s a second is the serial stage
/// that bounds the ingest rate. Nothing is recorded while no listener is attached (<see cref="Instrument.Enabled"/>),
/// and what is recorded is a few clock reads per group.
/// </remarks>
internal static class ObservationWriteMetrics
{
    private static readonly Meter s_meter = new("Tweeling.Storage");

    private static readonly Counter<double> s_time = s_meter.CreateCounter<double>(
        "tweeling.observation_writer.time", "s",
        "Time the observation writer spent, by phase: wait (its turn and a connection), rows (the existence checks and the observation inserts), " +
        "aggregates (latest values, rollups, time spans, changes), audit, commit (the WAL page writes, the WAL sync and an auto-checkpoint when one falls due), " +
        "group (the whole group through the store below the group commit, the phases above and the live bus), answer (the callers answered after it).");

    private static readonly Histogram<int> s_groupSize = s_meter.CreateHistogram<int>(
        "tweeling.observation_writer.group_size", "{observation}", "Observations in one group commit.");

    /// <summary>A clock reading to measure a phase from (<see cref="Stopwatch.GetTimestamp"/>).</summary>
    public static long Now() => Stopwatch.GetTimestamp();

    /// <summary>Records the time since <paramref name="since"/> under <paramref name="phase"/>; returns the reading that ends it, the next phase's start.</summary>
    public static long Lap(string phase, long since)
    {
        var now = Stopwatch.GetTimestamp();
        if (s_time.Enabled)
        {
            s_time.Add(Stopwatch.GetElapsedTime(since, now).TotalSeconds, new KeyValuePair<string, object?>("phase", phase));
        }

        return now;
    }

    /// <summary>Records the size of one group commit.</summary>
    public static void Group(int observations) => s_groupSize.Record(observations);
}
