using System.Diagnostics;

namespace Tweeling.Models.Tests.Accessibility;

/// <summary>
/// The scale tests of the facilities and accessibility models run one at a time, so that the process's CPU
/// time during a run is the run's own: the machine is shared, and wall-clock time there measures the load of
/// other processes as much as the model.
/// </summary>
[CollectionDefinition(nameof(ModelTiming), DisableParallelization = true)]
public sealed class ModelTiming
{
    /// <summary>Runs <paramref name="action"/> and returns its wall-clock time and the CPU time the process used meanwhile.</summary>
    internal static (TimeSpan Wall, TimeSpan Cpu) Measure(Action action)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        action();
        wall.Stop();
        return (wall.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu);
    }
}
