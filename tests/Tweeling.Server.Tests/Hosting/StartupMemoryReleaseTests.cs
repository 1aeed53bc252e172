using Microsoft.Extensions.DependencyInjection;
using Tweeling.Server.Features.Platform;
using Tweeling.Server.Hosting;
using Tweeling.Server.Tests.SensorThings.Api;

namespace Tweeling.Server.Tests.Hosting;

/// <summary>The start-up work ends by collecting what it dropped and returning it to the system, unless switched off.</summary>
public sealed class StartupMemoryReleaseTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_start_up_work_ends_with_one_full_collection_after_the_scenario_baseline()
    {
        await using var server = await StartAsync(releaseMemory: true);
        var release = await FinishedAfterTheScenarioBaselineAsync(server);

        // Its collection is one full collection at least.
        var released = Assert.IsType<MemoryRelease>(release.Released);
        Assert.True(released.FullCollections >= 1, $"{released.FullCollections} full collections while it ran");
        Assert.True(released.WorkingSetBefore > 0 && released.WorkingSetAfter > 0);
    }

    [Fact]
    public async Task Switched_off_the_start_up_work_ends_without_a_collection()
    {
        await using var server = await StartAsync(releaseMemory: false);
        var release = await FinishedAfterTheScenarioBaselineAsync(server);

        Assert.Null(release.Released);
    }

    private static Task<TwinServer> StartAsync(bool releaseMemory) => TwinServer.StartAsync(
        async store => await SensorSeed.WeatherStationAsync(store),
        new Dictionary<string, string?>(TwinServer.OpenUnlabelledSensors) { ["Tweeling:Startup:ReleaseMemory"] = releaseMemory ? "true" : "false" });

    /// <summary>Waits for the start-up work's last piece and checks that it ran last, after the scenario baseline's.</summary>
    private static async Task<StartupMemoryRelease> FinishedAfterTheScenarioBaselineAsync(TwinServer server)
    {
        var release = server.Services.GetRequiredService<StartupMemoryRelease>();
        await release.Finished.WaitAsync(TimeSpan.FromMinutes(2), Ct);
        Assert.True(server.Services.GetRequiredService<ScenarioBaselineWarmUp>().Finished.IsCompleted);
        return release;
    }
}
