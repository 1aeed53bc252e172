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
