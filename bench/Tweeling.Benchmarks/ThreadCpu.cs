using System.Globalization;

namespace Tweeling.Benchmarks;

/// <summary>
/// The CPU time of another process's threads over a measured window, grouped by what the .NET runtime names them
/// (Linux <c>/proc/{pid}/task/{tid}/stat</c>: user + system time, and <c>comm</c>, the name cut to 15 characters): the
/// tiered-compilation worker (the JIT recompiling hot methods, a start-up cost that ends when the code is tiered up),
/// the garbage collector's threads, and the rest.
/// </summary>
/// <remarks>
/// The threads are read every <see cref="s_interval"/> while the window is open, so a thread that ends inside the window
/// still counts up to its last reading: at most one interval of its time is missed, and that time stays in the process
/// total (<see cref="System.Diagnostics.Process.TotalProcessorTime"/>, which keeps the time of ended threads), so it
/// falls under "the rest". A thread born inside the window counts from zero.
/// </remarks>
internal sealed class ThreadCpu : IAsyncDisposable
{
    /// <summary>How often the threads are read: short enough that an ending thread loses little, long enough to cost nothing.</summary>
    private static readonly TimeSpan s_interval = TimeSpan.FromMilliseconds(200);

    /// <summary>Clock ticks per second of <c>utime</c> and <c>stime</c>: Linux's USER_HZ, 100 on every architecture's ABI.</summary>
    private const double TicksPerSecond = 100;

    private readonly int _pid;
    private readonly Dictionary<int, (string Name, long First, long Last)> _threads = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;

    private ThreadCpu(int pid)
    {
        _pid = pid;
        foreach (var (tid, name, ticks) in Read())
        {
            _threads[tid] = (name, ticks, ticks);
        }

        _sampling = SampleAsync();
    }

    /// <summary>Opens the window on process <paramref name="pid"/>; <c>null</c> where /proc has no threads to read (not Linux).</summary>
    public static ThreadCpu? Start(int pid) =>
        Directory.Exists($"/proc/{pid}/task") ? new ThreadCpu(pid) : null;

    /// <summary>Closes the window: the CPU time each group of threads used in it.</summary>
    public async Task<ThreadCpuSplit> StopAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        Update();
        TimeSpan jit = TimeSpan.Zero, gc = TimeSpan.Zero;
        foreach (var (name, first, last) in _threads.Values)
        {
            var used = TimeSpan.FromSeconds((last - first) / TicksPerSecond);
            if (IsJit(name))
            {
                jit += used;
            }
            else if (IsGc(name))
            {
                gc += used;
            }
        }

        return new ThreadCpuSplit(jit, gc);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }

    /// <summary>The runtime's tiered-compilation worker (".NET Tiered Compilation Worker").</summary>
    private static bool IsJit(string name) => name.StartsWith(".NET Tiered Com", StringComparison.Ordinal);

    /// <summary>The server GC's heap threads (".NET Server GC") and the background GC's (".NET BGC").</summary>
    private static bool IsGc(string name) =>
        name.StartsWith(".NET Server GC", StringComparison.Ordinal) || name.StartsWith(".NET BGC", StringComparison.Ordinal);

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(s_interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                Update();
            }
        }
        catch (OperationCanceledException)
        {
            // the window closed
        }
    }

    private void Update()
    {
        foreach (var (tid, name, ticks) in Read())
        {
            _threads[tid] = _threads.TryGetValue(tid, out var known) ? known with { Last = ticks } : (name, 0, ticks);
        }
    }

    /// <summary>Every thread of the process now: its id, name and CPU ticks so far; a thread that ends while it is read is left out.</summary>
    private List<(int Tid, string Name, long Ticks)> Read()
    {
        var threads = new List<(int, string, long)>();
        string[] tasks;
        try
        {
            tasks = Directory.GetDirectories($"/proc/{_pid}/task");
        }
        catch (DirectoryNotFoundException)
        {
            return threads;
        }

        foreach (var task in tasks)
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(task, "stat"));

                // "tid (comm) state ppid …": comm may hold spaces and parentheses, so the fields are counted after the last ')'.
                var open = stat.IndexOf('(', StringComparison.Ordinal);
                var close = stat.LastIndexOf(')');
                var fields = stat[(close + 2)..].Split(' ');

                // After comm: field 3 (state) is fields[0], so utime (14) and stime (15) are fields[11] and fields[12] (proc(5)).
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                threads.Add((int.Parse(stat.AsSpan(0, open - 1), CultureInfo.InvariantCulture), stat[(open + 1)..close], ticks));
            }
            catch (IOException)
            {
                // the thread ended between listing and reading
            }
        }

        return threads;
    }
}

/// <summary>The CPU time of a process's JIT (tiered-compilation) and GC threads within one window.</summary>
internal sealed record ThreadCpuSplit(TimeSpan Jit, TimeSpan Gc);
