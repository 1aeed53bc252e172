namespace Tweeling.Models.Graph;

/// <summary>
/// What a model kept of its last few runs for the next edit to start from, each state found by the output the run wrote
/// (the <see cref="PreviousRun"/> an incremental run is given names it by that output). An output is held weakly: a run
/// nobody holds any more takes its state with it.
/// </summary>
/// <remarks>
/// At most <c>capacity</c> states; when a new one comes in at that count, the least recently used goes, or, with
/// <c>keepFound</c>, the least recently used of those never found since they were kept (a model's full runs then do not
/// push out the baseline every edit starts from), and the least recently used when every one was found.
/// </remarks>
/// <typeparam name="TState">What a run keeps.</typeparam>
/// <param name="capacity">How many states are kept at the most.</param>
/// <param name="keepFound">Whether a state that was found again outlives those that never were.</param>
internal sealed class KeptRunStates<TState>(int capacity, bool keepFound = false)
    where TState : class
{
    // The least recently used first.
    private readonly List<(WeakReference<object> Output, TState State, bool Found)> _states = [];

    /// <summary>The state kept with <paramref name="output"/> (now the most recently used), or <c>null</c>.</summary>
    public TState? Find(object output)
    {
        lock (_states)
        {
            var at = _states.FindIndex(e => e.Output.TryGetTarget(out var kept) && ReferenceEquals(kept, output));
            if (at < 0)
            {
                return null;
            }

            var entry = _states[at] with { Found = true };
            _states.RemoveAt(at);
            _states.Add(entry);
            return entry.State;
        }
    }

    /// <summary>Keeps <paramref name="state"/> as that of the run that wrote <paramref name="output"/>, the most recently used.</summary>
    public void Keep(object output, TState state)
    {
        lock (_states)
        {
            _states.RemoveAll(e => !e.Output.TryGetTarget(out _));
            if (_states.Count >= capacity)
            {
                var neverFound = keepFound ? _states.FindIndex(e => !e.Found) : -1;
                _states.RemoveAt(neverFound < 0 ? 0 : neverFound);
            }

            _states.Add((new WeakReference<object>(output), state, false));
        }
    }
}
