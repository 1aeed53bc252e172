using System.Diagnostics;
using Tweeling.Server.Hosting;

namespace Tweeling.Server.Features.Platform;

/// <summary>
/// Builds the search index (<see cref="SearchIndex"/>) in the background once the map's first view is warm, so the first
/// search after a start does not wait for it (issue 5: building it read and indexed ~50,000 buildings of the demo city
/// inside the first request, 24 s on a busy two-core machine).
/// </summary>
/// <remarks>
/// It comes after <see cref="Features.Ogc.Tiles.TileSnapshotWarmUp"/> and <see cref="FirstViewRequestsWarmUp"/>: the first
/// map needs its tiles and requests sooner than anyone can type a search.
/// A write after the build makes the next search rebuild, as before; a failed build makes the first search build it.
/// </remarks>
internal sealed partial class SearchIndexWarmUp(SearchIndex index, FirstViewRequestsWarmUp firstView, ILogger<SearchIndexWarmUp> logger) : StartupWarmUp(firstView)
{
    protected override async Task WarmAsync(CancellationToken stoppingToken)
    {
        var watch = Stopwatch.StartNew();
        var entries = await index.EntriesAsync(stoppingToken);
        LogBuilt(logger, entries.Count, watch.ElapsedMilliseconds);
    }

    protected override void LogFailed(Exception exception) => LogFailed(logger, exception);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Search index of {Entries} names built in {Milliseconds} ms")]
    private static partial void LogBuilt(ILogger logger, int entries, long milliseconds);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Building the search index at start failed; the first search builds it")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
