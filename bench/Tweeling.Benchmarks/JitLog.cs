using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;
using System.Text;

namespace Tweeling.Benchmarks;

/// <summary>
/// Which methods the JIT compiled in each phase of a benchmark, and at which tier (the scenario verb's <c>--jit-log</c>):
/// an in-process listener on the runtime's event source (<c>Microsoft-Windows-DotNETRuntime</c>, JIT keyword 0x10,
/// verbose). <c>MethodJittingStarted</c> (event 145) says when a compile began; <c>MethodLoadVerbose</c> (event 143)
/// when its code was published, with the method's type, name and optimisation tier. The time between the two is the
/// compile's wall time on its thread (a tier-1 compile runs on the runtime's background thread, a first call's on the
/// calling thread), so it includes any time the thread waited for a core. A compile is counted in the phase its
/// code was published in. Listening costs a little time per compile, so the phases' times are a little slower with it.
/// </summary>
internal sealed class JitLog : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords JitKeyword = (EventKeywords)0x10;
    private const int MethodLoadVerboseId = 143;
    private const int MethodJittingStartedId = 145;

    // The tier is bits 7 and up of MethodFlags (the runtime's ETW method flags); the values are its OptimizationTier enum.
    private const int TierShift = 7;
    private const uint TierMask = 0xF;

    private readonly ConcurrentDictionary<ulong, DateTime> _started = new();
    private readonly ConcurrentQueue<Compile> _compiles = new();
    private readonly List<(string Name, DateTime Start, DateTime End)> _phases = [];
    private long _lastEventTicks = DateTime.UtcNow.Ticks;

    /// <summary>One published compile: when, which method, at which tier, and its wall time when its start was seen.</summary>
    private sealed record Compile(DateTime Published, string Method, string Tier, double? Milliseconds);

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeSource)
        {
            EnableEvents(eventSource, EventLevel.Verbose, JitKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventSource.Name != RuntimeSource || eventData.Payload is null || eventData.PayloadNames is null)
        {
            return;
        }

        Interlocked.Exchange(ref _lastEventTicks, DateTime.UtcNow.Ticks);
        switch (eventData.EventId)
        {
            case MethodJittingStartedId:
                _started[Convert.ToUInt64(Payload(eventData, "MethodID"), CultureInfo.InvariantCulture)] = eventData.TimeStamp.ToUniversalTime();
                break;
            case MethodLoadVerboseId:
                var id = Convert.ToUInt64(Payload(eventData, "MethodID"), CultureInfo.InvariantCulture);
                var flags = Convert.ToUInt32(Payload(eventData, "MethodFlags"), CultureInfo.InvariantCulture);
                var published = eventData.TimeStamp.ToUniversalTime();
                double? milliseconds = _started.TryRemove(id, out var started) ? (published - started).TotalMilliseconds : null;
                _compiles.Enqueue(new Compile(published, $"{Payload(eventData, "MethodNamespace")}.{Payload(eventData, "MethodName")}", Tier((flags >> TierShift) & TierMask), milliseconds));
                break;
        }
    }

    /// <summary>Marks a phase from now until the returned value is disposed; compiles published in it are counted in it.</summary>
    public IDisposable Phase(string name)
    {
        var start = DateTime.UtcNow;
        return new PhaseEnd(() =>
        {
            lock (_phases)
            {
                _phases.Add((name, start, DateTime.UtcNow));
            }
        });
    }

    /// <summary>
    /// Waits until no event arrived for a second (the listener's events are dispatched some time after they were
    /// written; at most 15 s), then writes every phase's compiles to <paramref name="path"/>, slowest first, and returns
    /// one line per phase for the benchmark's output.
    /// </summary>
    public async Task<IReadOnlyList<string>> WriteAsync(string path, CancellationToken ct)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(15) && DateTime.UtcNow.Ticks - Interlocked.Read(ref _lastEventTicks) < TimeSpan.TicksPerSecond)
        {
            await Task.Delay(200, ct);
        }

        var compiles = _compiles.ToArray();
        List<(string Name, DateTime Start, DateTime End)> phases;
        lock (_phases)
        {
            phases = [.. _phases];
        }

        var summary = new List<string>();
        var text = new StringBuilder();
        foreach (var (name, start, end) in phases)
        {
            var inPhase = compiles.Where(c => c.Published >= start && c.Published < end).OrderByDescending(c => c.Milliseconds ?? 0).ToList();
            var tiers = string.Join(", ", inPhase.GroupBy(c => c.Tier, StringComparer.Ordinal).OrderByDescending(g => g.Count())
                .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Count()} ({g.Sum(c => c.Milliseconds ?? 0):F0} ms)")));
            var owners = string.Join(", ", inPhase.GroupBy(c => Owner(c.Method), StringComparer.Ordinal).OrderByDescending(g => g.Sum(c => c.Milliseconds ?? 0)).Take(6)
                .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Count()} ({g.Sum(c => c.Milliseconds ?? 0):F0} ms)")));
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{name}: {inPhase.Count} compiles, {inPhase.Sum(c => c.Milliseconds ?? 0):F0} ms compile wall time; by tier: {tiers}; by namespace: {owners}");
            summary.Add(line);
            text.AppendLine(CultureInfo.InvariantCulture, $"## {line}");
            text.AppendLine();
            text.AppendLine("| ms | tier | method |");
            text.AppendLine("|---|---|---|");
            foreach (var compile in inPhase)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {(compile.Milliseconds is { } ms ? ms.ToString("F2", CultureInfo.InvariantCulture) : "–")} | {compile.Tier} | `{compile.Method}` |");
            }

            text.AppendLine();
        }

        await File.WriteAllTextAsync(path, text.ToString(), ct);
        return summary;
    }

    // The namespace of a method's type ("Tweeling.Models.Liveability"), to three levels. The name is cut before its
    // first generic argument, nested type or compiler-generated name (whose dots are not the namespace's); what is left
    // ends with the type, and with the method when nothing was cut.
    private static string Owner(string method)
    {
        var end = method.IndexOfAny(['`', '[', '+', '<']);
        var parts = (end < 0 ? method : method[..end]).Split('.', StringSplitOptions.RemoveEmptyEntries);
        var namespaceParts = parts.Length - (end < 0 ? 2 : 1);
        return namespaceParts < 1 ? "(compiler-generated)" : string.Join('.', parts.Take(Math.Min(3, namespaceParts)));
    }

    private static object? Payload(EventWrittenEventArgs e, string name)
    {
        var index = e.PayloadNames!.IndexOf(name);
        return index < 0 ? null : e.Payload![index];
    }

    private static string Tier(uint tier) => tier switch
    {
        1 => "MinOpts",
        2 => "FullOpts",
        3 => "Tier0",
        4 => "Tier1",
        5 => "ReadyToRun",
        6 => "Tier1-OSR",
        7 => "Tier0-instrumented",
        8 => "Tier1-instrumented",
        _ => "unknown",
    };

    private sealed class PhaseEnd(Action end) : IDisposable
    {
        private Action? _end = end;

        public void Dispose() => Interlocked.Exchange(ref _end, null)?.Invoke();
    }
}
