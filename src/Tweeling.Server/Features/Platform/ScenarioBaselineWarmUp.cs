using System.Diagnostics;
using Tweeling.Models.City;
using Tweeling.Models.Scenario;

namespace Tweeling.Server.Features.Platform;

/// <summary>
/// Reads the baseline city as of today (<see cref="ScenarioRunner.WarmAsync"/>: the store read, every derived baseline
/// port and its content hash) in the background once the server has started, so the first scenario run does not wait
/// for it (issue 6: a one-edit re-run p95 &lt; 500 ms starts with a city already read).
/// </summary>
internal sealed partial class ScenarioBaselineWarmUp(ScenarioRunner runner, TimeProvider time, ILogger<ScenarioBaselineWarmUp> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting: it listens while the city is read.
        await Task.Yield();
        var watch = Stopwatch.StartNew();
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        try
        {
            await runner.WarmAsync(today, stoppingToken);
            LogWarm(logger, today, watch.ElapsedMilliseconds);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped while reading: nothing to keep.
        }
        catch (ScenarioInputException)
        {
            // A store without a city (yet): there is nothing to run scenarios on, so nothing to read ahead.
            LogNoCity(logger, today);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // A failed warm-up costs only speed (the first run reads the city), never the host.
            LogFailed(logger, exception);
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Scenario baseline of {ReferenceDate} read in {Milliseconds} ms")]
    private static partial void LogWarm(ILogger logger, DateOnly referenceDate, long milliseconds);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "No scenario baseline to read ahead: the store holds no city on {ReferenceDate}")]
    private static partial void LogNoCity(ILogger logger, DateOnly referenceDate);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Reading the scenario baseline at start failed; the first run reads it")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
