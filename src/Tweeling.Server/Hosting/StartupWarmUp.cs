namespace Tweeling.Server.Hosting;

/// <summary>
/// Start-up work done in the background once the host listens — work that only makes a first request faster, so a
/// failure is logged and costs speed, never the host. The pieces run one after another (<paramref name="after"/>), in
/// the order of what a first visitor needs first: the map's tiles, then search, then the scenario baseline; on a
/// two-core server running them side by side would take the cores from the first map (issue 5: first view &lt; 3 s).
/// </summary>
internal abstract class StartupWarmUp(StartupWarmUp? after) : BackgroundService
{
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when this piece has ended: done, failed or stopped.</summary>
    public Task Finished => _finished.Task;

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (after is null)
            {
                // Let the host finish starting: it listens while the work runs.
                await Task.Yield();
            }
            else
            {
                await after.Finished.WaitAsync(stoppingToken);
            }

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
}
