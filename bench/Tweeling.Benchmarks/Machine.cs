using System.Globalization;
using System.Runtime.InteropServices;

namespace Tweeling.Benchmarks;

/// <summary>Describes the machine a benchmark ran on, as docs/benchmarks.md requires for every result.</summary>
internal static class Machine
{
    /// <summary>Date (UTC), processor count, CPU model, memory, OS, .NET version and the load average.</summary>
    public static string Describe()
    {
        var cpu = ReadFirst("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memory = ReadFirst("/proc/meminfo", "MemTotal") ?? "unknown";
        return string.Join(Environment.NewLine,
            $"date:    {DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}",
            $"cpus:    {Environment.ProcessorCount} ({cpu})",
            $"memory:  {memory}",
            $"os:      {RuntimeInformation.OSDescription}",
            $"runtime: {RuntimeInformation.FrameworkDescription}",
            $"load:    {LoadAverage()}");
    }

    /// <summary>The 1, 5 and 15 minute load averages (other processes share the cores), or "unknown".</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>
    /// The JIT compilation time (all threads, so parallel work can add up to more than the wall time) and the number of
    /// methods compiled since the process started: read before and after a phase to see what of it was compilation
    /// (first calls, tier-up and on-stack replacement), rather than our code running.
    /// </summary>
    public static (TimeSpan Time, long Methods) Jit() =>
        (System.Runtime.JitInfo.GetCompilationTime(currentThread: false), System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: false));

    /// <summary>What <see cref="Jit"/> added between two readings, as "12 ms JIT (345 methods)".</summary>
    public static string JitSince((TimeSpan Time, long Methods) before)
    {
        var (time, methods) = Jit();
        return string.Create(CultureInfo.InvariantCulture, $"{(time - before.Time).TotalMilliseconds:F0} ms JIT ({methods - before.Methods} methods)");
    }

    /// <summary>
    /// The garbage collector's pause time and its collections per generation since the process started: read before and
    /// after a phase to see what of its wall time the collector took (a gen2 collection walks every kept run's state).
    /// </summary>
    public static (TimeSpan Paused, int Gen0, int Gen1, int Gen2) Gc() =>
        (GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));

    /// <summary>What <see cref="Gc"/> added between two readings, as "8 ms GC paused (gen0 2, gen1 1, gen2 0)".</summary>
    public static string GcSince((TimeSpan Paused, int Gen0, int Gen1, int Gen2) before)
    {
        var (paused, gen0, gen1, gen2) = Gc();
        return string.Create(CultureInfo.InvariantCulture,
            $"{(paused - before.Paused).TotalMilliseconds:F0} ms GC paused (gen0 {gen0 - before.Gen0}, gen1 {gen1 - before.Gen1}, gen2 {gen2 - before.Gen2})");
    }

    private static string? ReadFirst(string path, string key)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        return line?[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }
}
