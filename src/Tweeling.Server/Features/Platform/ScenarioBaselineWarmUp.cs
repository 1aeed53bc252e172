using System.Diagnostics;
using Tweeling.Models.City;
using Tweeling.Models.Scenario;
using Tweeling.Server.Hosting;

namespace Tweeling.Server.Features.Platform;

/// <summary>
/// Reads the baseline city as of today (<see cref="ScenarioRunner.WarmAsync"/>: the store read, every derived baseline
/// port and its content hash) in the background, so the first scenario run does not wait for it (issue 6: a one-edit
/// re-run p95 &lt; 500 ms starts with a city already read), then rehearses a few edits of a throw-away scenario on it
/// (<see cref="ScenarioRunner.RehearseEditsAsync"/>: nothing kept), so a planner's first edits do not wait for the JIT
/// to compile and recompile the edit's code (not in a city above <see cref="ScenarioRunner.RehearsalBuildingLimit"/>
/// buildings, where an edit's model work outweighs its JIT). It comes after the search index: a map and a search are what a first
/// visitor needs sooner. A failed read makes the first run read the city.
/// </summary>
internal sealed partial class ScenarioBaselineWarmUp(ScenarioRunner runner, SearchIndexWarmUp search, TimeProvider time, ILogger<ScenarioBaselineWarmUp> logger)
    : StartupWarmUp(search)
{
    protected override async Task WarmAsync(CancellationToken stoppingToken)
    {
        var watch = Stopwatch.StartNew();
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        try
        {
            await runner.WarmAsync(today, stoppingToken);
        }
        catch (ScenarioInputException)
        {
            // A store without a city (yet): there is nothing to run scenarios on, so nothing to read ahead.
            LogNoCity(logger, today);
            return;
        }

        // A failure here (the base class logs it) leaves the city read: only the first edits are slower.
        var read = watch.ElapsedMilliseconds;
        watch.Restart();
        var rehearsal = await runner.RehearseEditsAsync(today, ScenarioRunner.RehearsedEdits, ScenarioRunner.RehearsalBuildingLimit, ScenarioModels.Reporters(), stoppingToken);
        if (rehearsal.Skipped)
        {
            LogNotRehearsed(logger, rehearsal.Buildings, ScenarioRunner.RehearsalBuildingLimit);
        }

        LogWarm(logger, today, read, rehearsal.Skipped ? 0 : ScenarioRunner.RehearsedEdits, watch.ElapsedMilliseconds, string.Join(", ", rehearsal.Incremental));
    }

    protected override void LogFailed(Exception exception) => LogFailed(logger, exception);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Scenario baseline of {ReferenceDate} read in {Milliseconds} ms; {Edits} edits of a throw-away scenario rehearsed in {RehearsalMilliseconds} ms (incremental: {Incremental})")]
    private static partial void LogWarm(ILogger logger, DateOnly referenceDate, long milliseconds, int edits, long rehearsalMilliseconds, string incremental);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Information, Message = "Scenario edits not rehearsed at start: the city has {Buildings} buildings, more than {Limit}; there an edit's model work outweighs its JIT")]
    private static partial void LogNotRehearsed(ILogger logger, int buildings, int limit);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "No scenario baseline to read ahead: the store holds no city on {ReferenceDate}")]
    private static partial void LogNoCity(ILogger logger, DateOnly referenceDate);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Reading the scenario baseline or rehearsing its edits at start failed; the first run reads what was not read")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
