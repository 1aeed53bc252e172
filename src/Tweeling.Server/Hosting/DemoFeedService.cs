using Tweeling.Domain.Ports;
using Tweeling.Governance.Access;
using Tweeling.Governance.Audit;
using Tweeling.Governance.Register;
using Tweeling.Ingestion.DemoCity.Feeds;
using Tweeling.Server.Features.SensorThings;

namespace Tweeling.Server.Hosting;

/// <summary>
/// Runs the demo city's simulated sensors live: at start (catching up after downtime) and then every
/// <see cref="Period"/>, appends the readings that have come due. A store without demo sensors costs one
/// listing of its Things per period. A round runs only while the algorithm register says the feed
/// (<see cref="DemoFeedAlgorithm"/>) is enabled, so <c>tweeling algoritmes disable demo-sensorfeed</c> stops it
/// within a period, and a later enable catches up.
/// </summary>
internal sealed partial class DemoFeedService(
    ISensorStore sensors, IObservationStore observations, DerivedFeatureCache derivedFeatures, AlgorithmRegistry registry, IReviewStore reviews, TimeProvider time,
    ILogger<DemoFeedService> logger)
    : BackgroundService
{
    /// <summary>How often due readings are appended: well under the shortest sensor interval (5 minutes).</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(30);

    /// <summary>The feed as the audit log names it: the platform's own process, acting for its register entry.</summary>
    private static readonly Caller s_feed = new(Role.Beheerder, Subject: DemoFeedAlgorithm.AlgorithmId);

    /// <summary>
    /// Every append of a round is recorded with it (one record per append, with its count of observations and
    /// Datastreams), and its readings get the FeatureOfInterest derived from their sensor's Location, as
    /// Observations over HTTP and MQTT do.
    /// </summary>
    private readonly AuditedAppends _recorded = new(new FeatureDerivingObservationStore(observations, derivedFeatures), appended => AuditEntries.For(
        s_feed, time.GetUtcNow(), "create", $"{DemoFeedAlgorithm.AlgorithmId} -> {appended.Select(o => o.DatastreamId).Distinct().Count()} Datastreams", appended.Count, "observations"));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        do
        {
            try
            {
                if (registry.Find(DemoFeedAlgorithm.AlgorithmId) is { } feed
                    && !(await AlgorithmGate.StateAsync(feed, reviews, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), stoppingToken)).Enabled)
                {
                    continue;
                }

                var appended = await DemoFeed.CatchUpAsync(sensors, _recorded, time.GetUtcNow(), stoppingToken);
                if (appended > 0)
                {
                    Log.Appended(logger, appended);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A failed round is retried next period; the feed must never take the server down.
                Log.Failed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Demo feed appended {Count} simulated readings")]
        public static partial void Appended(ILogger logger, long count);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Demo feed round failed; retrying next period")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}
