using Tweeling.Domain.Scenarios;
using Tweeling.Models.Results;

namespace Tweeling.Server.Features.Platform;

/// <summary>
/// Keeps the runs of recently read scenario versions, so that reading results, the impact matrix, tiles and the
/// report of one version does not run the models again; and lets concurrent requests for the same version share one
/// run (coalescing): the second request waits for the first one's run instead of starting its own.
/// </summary>
/// <remarks>
/// A run is kept under (scenario id, version, content hash, seed): a version never changes, and the content hash
/// keeps a run from answering for another scenario should an id be used again after a delete. The runner is
/// deterministic, so a run dropped from the cache and run again gives the same <see cref="ScenarioOutcome.ResultHash"/>.
/// </remarks>
internal sealed class ScenarioResultsCache(IScenarioRunner runner)
{
    /// <summary>
    /// At most this many runs are kept, the oldest dropped first. A run of the demo city holds every indicator for
    /// every buurt twice and a few grids: well under a megabyte each.
    /// </summary>
    public const int Capacity = 32;

    private readonly Lock _gate = new();
    private readonly Dictionary<RunKey, Task<ScenarioRun>> _runs = [];
    private readonly Queue<RunKey> _age = new();

    /// <summary>The indicators the runner reports.</summary>
    public IReadOnlyList<ResultIndicator> Indicators => runner.Indicators;

    /// <summary>
    /// The run of <paramref name="scenario"/> with <paramref name="seed"/>; <c>Fresh</c> is true for the request that
    /// started it, false for every request answered from the cache or from a run already under way.
    /// </summary>
    public async Task<(ScenarioRun Run, bool Fresh)> RunAsync(ScenarioVersion scenario, int seed, CancellationToken cancellationToken)
    {
        var key = new RunKey(scenario.ScenarioId, scenario.Version, scenario.ContentHash, seed);
        Task<ScenarioRun> running;
        var fresh = false;
        lock (_gate)
        {
            if (!_runs.TryGetValue(key, out running!) || running.IsFaulted || running.IsCanceled)
            {
                // Shared by every request for this key, so no single request's cancellation may stop it.
                running = Task.Run(() => runner.RunAsync(scenario, seed, CancellationToken.None), CancellationToken.None);
                if (!_runs.ContainsKey(key))
                {
                    _age.Enqueue(key);
                }

                _runs[key] = running;
                fresh = true;
                while (_runs.Count > Capacity && _age.TryDequeue(out var oldest))
                {
                    _runs.Remove(oldest);
                }
            }
        }

        return (await running.WaitAsync(cancellationToken), fresh);
    }

    private readonly record struct RunKey(long ScenarioId, int Version, string ContentHash, int Seed);
}
