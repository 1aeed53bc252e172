using System.Globalization;

namespace Tweeling.Models.Tests.Support;

/// <summary>
/// The CPU time of the calling thread, from Linux's <c>/proc/thread-self/stat</c>: the scale tests bound the work a
/// model does, which on a shared, loaded machine the wall clock does not show. Resolution: one clock tick (10 ms).
/// </summary>
internal static class ThreadCpu
{
    /// <summary>Clock ticks per second of <c>utime</c>/<c>stime</c> (USER_HZ, 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    /// <summary>Runs <paramref name="work"/> on this thread and returns the CPU time it took.</summary>
    public static TimeSpan Measure(Action work)
    {
        var before = Now();
        work();
        return Now() - before;
    }

    private static TimeSpan Now()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");

        // Fields after the parenthesised command name: state is field 3, utime 14 and stime 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
