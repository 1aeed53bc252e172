using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Tweeling.Domain.Ports;

namespace Tweeling.Server.Hosting;

/// <summary>
/// How long raw Observations are kept (issue 3, item 3: retention is configurable), section <c>Tweeling:Retention</c>.
/// The latest value of each Datastream and its hourly and daily rollups are kept whatever this says, so the map,
/// the dashboards and the aggregates read the same after a prune.
/// </summary>
internal sealed class RetentionOptions
{
    public const string Section = "Tweeling:Retention";

    /// <summary>
    /// Days of raw Observations kept, counted back from now by their phenomenon time (its start); 0, the default, keeps
    /// every Observation. At most 36,600 days (100 years).
    /// </summary>
    [Range(0, 36_600)]
    public int ObservationDays { get; init; }

    /// <summary>Minutes between prunes (default 60, at most a week): the first runs at start-up.</summary>
    [Range(1, 10_080)]
    public int IntervalMinutes { get; init; } = 60;
}

/// <summary>
/// Removes raw Observations older than <see cref="RetentionOptions.ObservationDays"/> at start-up and every
/// <see cref="RetentionOptions.IntervalMinutes"/> (<see cref="IObservationStore.PruneAsync"/>); does nothing when
/// retention is 0.
/// </summary>
internal sealed partial class ObservationRetention(IObservationStore observations, IOptions<RetentionOptions> options, TimeProvider time, ILogger<ObservationRetention> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.ObservationDays == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(settings.IntervalMinutes), time);
        do
        {
            var olderThan = time.GetUtcNow().AddDays(-settings.ObservationDays);
            try
            {
                Log.Pruned(logger, await observations.PruneAsync(olderThan, stoppingToken), settings.ObservationDays);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The next tick tries again; a failed prune removed nothing (one transaction).
                Log.PruneFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Retention removed {Count} observations older than {Days} days; latest values and rollups are kept")]
        public static partial void Pruned(ILogger logger, long count, int days);

        [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "Retention could not remove old observations; it tries again at the next interval")]
        public static partial void PruneFailed(ILogger logger, Exception exception);
    }
}
