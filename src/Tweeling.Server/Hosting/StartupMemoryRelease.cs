using System.Diagnostics;
using System.Runtime;
using Microsoft.Extensions.Options;
using Tweeling.Server.Features.Platform;

namespace Tweeling.Server.Hosting;

/// <summary>
/// The last piece of the start-up work, after the scenario baseline (<see cref="ScenarioBaselineWarmUp"/>): one
/// blocking, compacting collection that also gives free memory back to the operating system
/// (<see cref="GCCollectionMode.Aggressive"/>, the large object heap compacted once). The start-up work allocates much
/// that it drops — the scenario rehearsal's throw-away runs, the buffers the tile snapshots and the search index were
/// built in — and the runtime keeps that memory committed: the demo city's server stayed at 1.39 GB resident after its
/// start-up, and with this collection 0.81 GB (DESIGN.md §7: ≤ 1 GB; docs/benchmarks.md *Server memory of the demo
/// city*), for one pause of about half a second while no visitor is likely yet. Its event (4009) ends the start-up work;
/// with <see cref="StartupOptions.ReleaseMemory"/> off, event 4011 does.
/// </summary>
internal sealed partial class StartupMemoryRelease(ScenarioBaselineWarmUp scenario, IOptions<StartupOptions> options, ILogger<StartupMemoryRelease> logger)
    : StartupWarmUp(scenario)
{
    /// <summary>What the collection did, once it has run; <c>null</c> before.</summary>
    public MemoryRelease? Released { get; private set; }

    protected override Task WarmAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ReleaseMemory)
        {
            LogLeftToTheRuntime(logger);
            return Task.CompletedTask;
        }

        var before = Environment.WorkingSet;
        var fullCollections = GC.CollectionCount(GC.MaxGeneration);
        var watch = Stopwatch.StartNew();
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Released = new MemoryRelease(before, Environment.WorkingSet, watch.Elapsed, GC.CollectionCount(GC.MaxGeneration) - fullCollections);
        LogReleased(logger, Released.WorkingSetBefore >> 20, Released.WorkingSetAfter >> 20, (long)Released.Pause.TotalMilliseconds);
        return Task.CompletedTask;
    }

    protected override void LogFailed(Exception exception) => LogFailed(logger, exception);

    // One event at the end of the start-up work: the web benchmark's harness (web/e2e/harness/server.mjs) and the bench
    // verbs (BenchServer) wait for 4009, 4010 or 4011 before they measure, so that no start-up work shares the cores with them.
    [LoggerMessage(EventId = 4009, Level = LogLevel.Information, Message = "Start-up work ended: its dropped memory collected and returned, working set {BeforeMegabytes} MB before, {AfterMegabytes} MB after, a {PauseMilliseconds} ms pause")]
    private static partial void LogReleased(ILogger logger, long beforeMegabytes, long afterMegabytes, long pauseMilliseconds);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "Start-up work ended, but returning its dropped memory failed; the runtime returns it in its own time")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Information, Message = "Start-up work ended; what it dropped is left to the runtime (Tweeling:Startup:ReleaseMemory is off)")]
    private static partial void LogLeftToTheRuntime(ILogger logger);
}

/// <summary>Settings of the start-up work (<see cref="StartupWarmUp"/>).</summary>
internal sealed class StartupOptions
{
    public const string Section = "Tweeling:Startup";

    /// <summary>
    /// Whether the start-up work ends with <see cref="StartupMemoryRelease"/>'s collection (default on). The collection
    /// is the whole process's: switch it off where the process is not the server's alone (the server tests do; see their
    /// <c>TestProcess</c>).
    /// </summary>
    public bool ReleaseMemory { get; init; } = true;
}

/// <summary>What <see cref="StartupMemoryRelease"/>'s collection did.</summary>
/// <param name="WorkingSetBefore">The process's resident memory before it, bytes.</param>
/// <param name="WorkingSetAfter">The process's resident memory after it, bytes.</param>
/// <param name="Pause">How long it took (the process's threads wait for it).</param>
/// <param name="FullCollections">The full collections counted while it ran (at least its own).</param>
internal sealed record MemoryRelease(long WorkingSetBefore, long WorkingSetAfter, TimeSpan Pause, int FullCollections);
