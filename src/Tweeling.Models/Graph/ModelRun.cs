namespace Tweeling.Models.Graph;

/// <summary>
/// One run of one model: it hands the model only the inputs it declared and accepts only the outputs it
/// declared, so a model's descriptor is always the truth about what it depends on.
/// </summary>
public sealed class ModelRun
{
    private readonly ModelDescriptor _descriptor;
    private readonly IReadOnlyDictionary<string, object> _inputs;
    private readonly Dictionary<string, object> _outputs = new(StringComparer.Ordinal);

    private ModelRun(ModelDescriptor descriptor, IReadOnlyDictionary<string, object> inputs, int seed)
    {
        _descriptor = descriptor;
        _inputs = inputs;
        Seed = seed;
    }

    /// <summary>The seed of every pseudo-random choice the model makes; part of what reproduces a result.</summary>
    public int Seed { get; }

    /// <summary>
    /// Runs <paramref name="model"/> on <paramref name="inputs"/> (port name → value) and returns its outputs
    /// (port name → value).
    /// </summary>
    /// <exception cref="ArgumentException">An input the model declares is missing or has the wrong type.</exception>
    /// <exception cref="InvalidOperationException">The model did not write every output it declares.</exception>
    public static IReadOnlyDictionary<string, object> Execute(
        IImpactModel model, IReadOnlyDictionary<string, object> inputs, int seed = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        var descriptor = model.Descriptor;
        foreach (var port in descriptor.Inputs)
        {
            if (!inputs.TryGetValue(port.Name, out var value))
            {
                throw new ArgumentException($"Model '{descriptor.Id}' needs input '{port.Name}', which is missing.", nameof(inputs));
            }

            if (!port.ValueType.IsInstanceOfType(value))
            {
                throw new ArgumentException(
                    $"Model '{descriptor.Id}' needs input '{port.Name}' as {port.ValueType.Name}, not {value.GetType().Name}.", nameof(inputs));
            }
        }

        var run = new ModelRun(descriptor, inputs, seed);
        model.Run(run, cancellationToken);
        return run.Written();
    }

    /// <summary>
    /// Brings <paramref name="previous"/> up to date for <paramref name="inputs"/> with
    /// <see cref="IIncrementalModel.TryRunIncremental"/>; <c>null</c> when the model declined (it then needs a full run).
    /// </summary>
    /// <exception cref="InvalidOperationException">The model declined after writing, or accepted without writing every output.</exception>
    public static IReadOnlyDictionary<string, object>? ExecuteIncremental(
        IIncrementalModel model, IReadOnlyDictionary<string, object> inputs, int seed, PreviousRun previous, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(previous);
        var run = new ModelRun(model.Descriptor, inputs, seed);
        if (model.TryRunIncremental(run, previous, cancellationToken))
        {
            return run.Written();
        }

        return run._outputs.Count == 0
            ? null
            : throw new InvalidOperationException($"Model '{model.Descriptor.Id}' declined an incremental run after writing outputs.");
    }

    private Dictionary<string, object> Written()
    {
        var missing = _descriptor.Outputs.Where(p => !_outputs.ContainsKey(p.Name)).Select(p => p.Name).ToList();
        return missing.Count == 0
            ? _outputs
            : throw new InvalidOperationException($"Model '{_descriptor.Id}' did not write its outputs: {string.Join(", ", missing)}.");
    }

    /// <summary>The value of an input the model declared.</summary>
    /// <exception cref="InvalidOperationException">The model did not declare <paramref name="port"/> as an input.</exception>
    public T Input<T>(Port<T> port)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(port);
        if (!_descriptor.Inputs.Contains(port))
        {
            throw new InvalidOperationException($"Model '{_descriptor.Id}' reads '{port.Name}' without declaring it as an input.");
        }

        return (T)_inputs[port.Name];
    }

    /// <summary>Sets an output the model declared.</summary>
    /// <exception cref="InvalidOperationException">The model did not declare <paramref name="port"/> as an output, or wrote it twice.</exception>
    public void Output<T>(Port<T> port, T value)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(port);
        ArgumentNullException.ThrowIfNull(value);
        if (!_descriptor.Outputs.Contains(port))
        {
            throw new InvalidOperationException($"Model '{_descriptor.Id}' writes '{port.Name}' without declaring it as an output.");
        }

        if (!_outputs.TryAdd(port.Name, value))
        {
            throw new InvalidOperationException($"Model '{_descriptor.Id}' wrote '{port.Name}' twice.");
        }
    }
}
