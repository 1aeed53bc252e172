using System.Runtime.CompilerServices;

namespace Tweeling.Server.Tests;

/// <summary>Settings of the one process in which every server of these tests runs.</summary>
internal static class TestProcess
{
    /// <summary>
    /// The start-up work's closing collection (<c>StartupMemoryRelease</c>) is the whole process's, and this process is
    /// no server's alone: it starts some 130 servers, whose collections stopped every running test for 118 s in all of a
    /// 6.6-minute run (0.9 s each, at most 2.4 s; 2026-12-03), and a timing test failed in CI. So every server here
    /// leaves its memory to the runtime, as <c>Tweeling:Startup:ReleaseMemory</c> allows; the collection's own test
    /// switches it on.
    /// </summary>
    [ModuleInitializer]
    internal static void LeaveStartupMemoryToTheRuntime() => Environment.SetEnvironmentVariable("Tweeling__Startup__ReleaseMemory", "false");
}
