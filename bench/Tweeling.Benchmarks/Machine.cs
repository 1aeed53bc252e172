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
