using System.Diagnostics;
using Tweeling.Server.Hosting;

namespace Tweeling.Server.Features.Ogc.Tiles;

/// <summary>
/// Builds the tile snapshots (<see cref="VectorTiles.WarmAsync"/>) in the background once the server has started,
/// so the first visitor's map does not wait for them (issue 5: first useful view &lt; 3 s). The first piece of the
/// start-up work; a failed warm-up only means the first tile request builds the snapshot.
/// </summary>
internal sealed partial class TileSnapshotWarmUp(VectorTiles tiles, ILogger<TileSnapshotWarmUp> logger) : StartupWarmUp(after: null)
{
    protected override async Task WarmAsync(CancellationToken stoppingToken)
    {
        var watch = Stopwatch.StartNew();
        var collections = await tiles.WarmAsync(stoppingToken);
        LogWarm(logger, collections, watch.ElapsedMilliseconds);
    }

    protected override void LogFailed(Exception exception) => LogFailed(logger, exception);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Tile snapshots of {Collections} collections built in {Milliseconds} ms")]
    private static partial void LogWarm(ILogger logger, int collections, long milliseconds);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Building the tile snapshots at start failed; tiles build them on first request")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
