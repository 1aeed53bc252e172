using System.Diagnostics;
using Tweeling.Governance.Access;
using Tweeling.Server.Hosting;

namespace Tweeling.Server.Features.Ogc.Tiles;

/// <summary>
/// Builds the tile snapshots (<see cref="VectorTiles.WarmAsync"/>) in the background once the server has started,
/// then encodes the tiles of the web map's first view for the public (<see cref="VectorTiles.WarmFirstViewAsync"/>),
/// so the first visitor's map waits for neither (issue 5: first useful view &lt; 3 s). The first piece of the start-up
/// work; a failed warm-up only means the first tile request builds the snapshot or encodes the tile.
/// </summary>
internal sealed partial class TileSnapshotWarmUp(
    VectorTiles tiles,
    ReadAccess access,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<TileSnapshotWarmUp> logger)
    : StartupWarmUp(lifetime)
{
    protected override async Task WarmAsync(CancellationToken stoppingToken)
    {
        var watch = Stopwatch.StartNew();
        var collections = await tiles.WarmAsync(stoppingToken);
        LogWarm(logger, collections, watch.ElapsedMilliseconds);
        watch.Restart();
        // A visitor who has not signed in is anonymous, and tiles are kept per set of readable datasets.
        var encoded = await tiles.WarmFirstViewAsync(time.GetUtcNow(), await access.ReadableDatasetsBeforeAnyRequestAsync(Caller.Anonymous, stoppingToken), stoppingToken);
        LogFirstView(logger, encoded, VectorTiles.FirstViewZoom, watch.ElapsedMilliseconds);
    }

    protected override void LogFailed(Exception exception) => LogFailed(logger, exception);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Tile snapshots of {Collections} collections built in {Milliseconds} ms")]
    private static partial void LogWarm(ILogger logger, int collections, long milliseconds);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "{Tiles} tiles of the map's first view (tile matrix {Zoom}) encoded in {Milliseconds} ms")]
    private static partial void LogFirstView(ILogger logger, int tiles, int zoom, long milliseconds);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Building the tile snapshots at start failed; tiles build them on first request")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
