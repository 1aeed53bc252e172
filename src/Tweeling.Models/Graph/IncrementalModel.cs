namespace Tweeling.Models.Graph;

/// <summary>
/// An impact model that can bring an earlier run of itself up to date instead of running from scratch: when an edit
/// changes an input only in some places (the dwellings of one buurt, the inhabitants of a few buurten), the model
/// recomputes only what those places affect and copies the rest from the earlier run's outputs.
/// </summary>
/// <remarks>
/// <para>
/// The contract: the outputs an incremental run writes are <b>equal, bit for bit,</b> to the outputs <see cref="IImpactModel.Run"/>
/// would write on the same inputs and seed, whatever earlier run it starts from. Exact, not "within a tolerance", because
/// a scenario's result hash must not depend on what ran before it (a result dropped from the cache and computed again
/// gives the same hash). A model that cannot promise that for a change (too much changed, or a change it does not
/// understand) returns <c>false</c> without writing, and the graph runs it in full. Because an exact result equals a
/// full run's, the graph caches it as a full run's and may start the model from any earlier run with the same seed (an
/// edit from the previous edit of its scenario). The one kind of exception, a model with a stated tolerance, says so
/// by being an <see cref="IWarmStartedModel"/>.
/// </para>
/// <para>
/// <see cref="ModelGraph"/> remembers every model's last run (inputs and outputs) and offers it as
/// <see cref="PreviousRun"/>: the inputs whose hash differs are in <see cref="PreviousRun.Changed"/>. "Changed" means
/// "may have changed": a model output's hash follows its cache key, so an upstream model that re-ran marks its outputs
/// changed even when their content is the same; the model compares contents where it matters.
/// </para>
/// </remarks>
public interface IIncrementalModel : IImpactModel
{
    /// <summary>
    /// Writes to <paramref name="run"/> every output, computed from <paramref name="previous"/> and the current
    /// inputs, equal to a full run's; or returns <c>false</c> having written nothing.
    /// </summary>
    /// <param name="run">The current run: its inputs, seed and where the outputs go.</param>
    /// <param name="previous">An earlier run of the same model version and seed.</param>
    /// <param name="cancellationToken">Stops a long run.</param>
    bool TryRunIncremental(ModelRun run, PreviousRun previous, CancellationToken cancellationToken);
}

/// <summary>
/// An incremental model whose result is within a stated tolerance of a full run's instead of equal to it (the traffic
/// model's warm start): its result depends on the run it started from. The graph therefore starts it only from the run
/// a caller names as <c>from</c> (a scenario's baseline), never from a nearer earlier run, and caches its result under
/// a key that names that run, so it answers no run that started elsewhere.
/// </summary>
public interface IWarmStartedModel : IIncrementalModel;

/// <summary>An earlier run of a model: its inputs and outputs, and which inputs may differ from the current run's.</summary>
/// <param name="Inputs">The earlier run's inputs, by port name.</param>
/// <param name="Outputs">The earlier run's outputs, by port name.</param>
/// <param name="Changed">The names of the input ports whose hash differs from the current run's.</param>
public sealed record PreviousRun(
    IReadOnlyDictionary<string, object> Inputs,
    IReadOnlyDictionary<string, object> Outputs,
    IReadOnlySet<string> Changed)
{
    /// <summary>The earlier run's value of input <paramref name="port"/>.</summary>
    public T Input<T>(Port<T> port)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(port);
        return (T)Inputs[port.Name];
    }

    /// <summary>The earlier run's value of output <paramref name="port"/>.</summary>
    public T Output<T>(Port<T> port)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(port);
        return (T)Outputs[port.Name];
    }

    /// <summary>Whether input <paramref name="port"/> may differ from the earlier run's.</summary>
    public bool HasChanged(Port port)
    {
        ArgumentNullException.ThrowIfNull(port);
        return Changed.Contains(port.Name);
    }
}
