namespace Tweeling.Server.Hosting;

/// <summary>
/// Start-up work done in the background once the host has started — work that only makes a first request faster, so a
/// failure is logged and costs speed, never the host. The pieces run one after another, in the order of what a first
/// visitor needs first: the map's tiles, then the map's other requests, then search, then the scenario baseline; on a
/// two-core server running them side by side would take the cores from the first map (issue 5: first view &lt; 3 s).
/// The last piece returns what the others dropped to the system (<see cref="StartupMemoryRelease"/>).
/// </summary>
/// <remarks>
/// The first piece waits for <see cref="IHostApplicationLifetime.ApplicationStarted"/>, not only for the hosted services'
/// start: hosted services start before the web server builds its pipeline, and until then the endpoint data source is
/// empty, so a piece that answers requests in the process found no endpoint (every request 404 in a CI run on a loaded
/// machine, 2026-12-03). From that moment the host listens, as the work runs.
/// </remarks>
internal abstract class StartupWarmUp : BackgroundService
{
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<CancellationToken, Task> _turn;

    /// <summary>The first piece: it runs once the host has started.</summary>
    protected StartupWarmUp(IHostApplicationLifetime lifetime) => _turn = stoppingToken => StartedAsync(lifetime, stoppingToken);

    /// <summary>A later piece: it runs once <paramref name="after"/> has ended.</summary>
    protected StartupWarmUp(StartupWarmUp after) => _turn = after.Finished.WaitAsync;

    /// <summary>Completes when this piece has ended: done, failed or stopped.</summary>
    public Task Finished => _finished.Task;

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _turn(stoppingToken);
            await WarmAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped while working: nothing to keep.
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LogFailed(exception);
        }
        finally
        {
            _finished.TrySetResult();
        }
    }

    /// <summary>The work itself; it logs its own success.</summary>
    protected abstract Task WarmAsync(CancellationToken stoppingToken);

    /// <summary>Logs a failure with the piece's own event id (the first request then does the work).</summary>
    protected abstract void LogFailed(Exception exception);

    private static async Task StartedAsync(IHostApplicationLifetime lifetime, CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }
    }
}
