using System.Diagnostics;

namespace Tweeling.Server.Features.Ogc.Tiles;

/// <summary>
/// Builds the tile snapshots (<see cref="VectorTiles.WarmAsync"/>) in the background once the server has started,
/// so the first visitor's map does not wait for them (issue 5: first useful view &lt; 3 s).
/// </summary>
internal sealed partial class TileSnapshotWarmUp(VectorTiles tiles, ILogger<TileSnapshotWarmUp> logger) : BackgroundService
{
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Completes when the warm-up has ended, built, failed or stopped: later start-up work (the search index) waits for
    /// it, so it does not take the two cores of a small server from the first map's tiles.
    /// </summary>
    public Task Finished => _finished.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await WarmAsync(stoppingToken);
        }
        finally
        {
            _finished.TrySetResult();
        }
    }

    private async Task WarmAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting: it listens while the snapshots build.
        await Task.Yield();
        var watch = Stopwatch.StartNew();
        try
        {
            var collections = await tiles.WarmAsync(stoppingToken);
            LogWarm(logger, collections, watch.ElapsedMilliseconds);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped while building: nothing to keep.
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // A failed warm-up costs only speed (the first tile request builds the snapshot again), never the host.
            LogFailed(logger, exception);
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Tile snapshots of {Collections} collections built in {Milliseconds} ms")]
    private static partial void LogWarm(ILogger logger, int collections, long milliseconds);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Building the tile snapshots at start failed; tiles build them on first request")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
