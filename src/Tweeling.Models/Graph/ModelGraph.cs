using System.Collections.Concurrent;
using System.Diagnostics;

namespace Tweeling.Models.Graph;

/// <summary>
/// Impact models wired by their ports: every input is either a baseline input or the output of exactly one model,
/// there are no cycles, and models run in topological order. A run reuses the outputs of a model whose inputs are
/// unchanged: outputs are cached by model id, model version, seed and the content hashes of its inputs, so an edit
/// re-runs only the models downstream of what it changed, and the same inputs and seed always give the same results.
/// A run may start from an earlier run (a scenario from its baseline, and from its previous edit): an
/// <see cref="IIncrementalModel"/> that must run then brings that run's outputs up to date, recomputing only the places
/// the difference touches.
/// </summary>
/// <remarks>
/// A cached output's hash is derived from its cache key, not from its content: it changes exactly when an input of
/// the model (or of a model upstream) changes, which is all that downstream caching needs, without hashing large
/// outputs. The cache keeps the outputs of the last <see cref="CacheLimit"/> distinct model runs; the graph is safe
/// to run from several threads.
/// </remarks>
public sealed class ModelGraph
{
    /// <summary>How many distinct model runs the output cache keeps before it starts afresh.</summary>
    public const int CacheLimit = 256;

    private readonly Dictionary<string, Port> _baselineInputs;
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, object>> _cache = new(StringComparer.Ordinal);

    /// <summary>Wires <paramref name="models"/>; <paramref name="baselineInputs"/> are the ports a run must supply.</summary>
    /// <exception cref="ArgumentException">The models do not form a valid graph; the message says why.</exception>
    public ModelGraph(IEnumerable<IImpactModel> models, IEnumerable<Port> baselineInputs)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(baselineInputs);
        var all = models.ToList();
        _baselineInputs = new Dictionary<string, Port>(StringComparer.Ordinal);
        foreach (var port in baselineInputs)
        {
            if (!_baselineInputs.TryAdd(port.Name, port))
            {
                throw new ArgumentException($"Baseline input '{port.Name}' is declared twice.", nameof(baselineInputs));
            }
        }

        var ids = all.GroupBy(m => m.Descriptor.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (ids is not null)
        {
            throw new ArgumentException($"Model '{ids.Key}' is in the graph twice.", nameof(models));
        }

        var producer = new Dictionary<string, IImpactModel>(StringComparer.Ordinal);
        foreach (var model in all)
        {
            foreach (var output in model.Descriptor.Outputs)
            {
                if (_baselineInputs.ContainsKey(output.Name))
                {
                    throw new ArgumentException($"Model '{model.Descriptor.Id}' writes '{output.Name}', which is a baseline input.", nameof(models));
                }

                if (!producer.TryAdd(output.Name, model))
                {
                    throw new ArgumentException(
                        $"'{output.Name}' is written by both '{producer[output.Name].Descriptor.Id}' and '{model.Descriptor.Id}'; a port has exactly one producer.", nameof(models));
                }
            }
        }

        foreach (var model in all)
        {
            foreach (var input in model.Descriptor.Inputs)
            {
                var source = _baselineInputs.TryGetValue(input.Name, out var baseline)
                    ? baseline
                    : producer.TryGetValue(input.Name, out var upstream)
                        ? upstream.Descriptor.Outputs.First(p => p.Name == input.Name)
                        : throw new ArgumentException(
                            $"Model '{model.Descriptor.Id}' reads '{input.Name}', which is neither a baseline input nor written by a model.", nameof(models));
                if (!input.ValueType.IsAssignableFrom(source.ValueType))
                {
                    throw new ArgumentException(
                        $"Model '{model.Descriptor.Id}' reads '{input.Name}' as {input.ValueType.Name}, but it is a {source.ValueType.Name}.", nameof(models));
                }
            }
        }

        Models = Sort(all, producer);
        Downstream = Models.ToDictionary(
            m => m.Descriptor.Id,
            m => (IReadOnlySet<string>)Reach(m, Models),
            StringComparer.Ordinal);
    }

    /// <summary>The models in the order they run: every model after the models it reads from.</summary>
    public IReadOnlyList<IImpactModel> Models { get; }

    /// <summary>The ports a run must supply.</summary>
    public IReadOnlyCollection<Port> BaselineInputs => _baselineInputs.Values;

    /// <summary>Per model id, the ids of the models that (transitively) read its outputs.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> Downstream { get; }

    /// <summary>
    /// Runs the graph on <paramref name="inputs"/> (port name → value, one per baseline input) with
    /// <paramref name="seed"/>, reusing cached outputs of models whose inputs did not change. With
    /// <paramref name="from"/> (an earlier run with the same seed, e.g. the baseline's), a model whose inputs equal that
    /// run's takes its outputs, and an <see cref="IIncrementalModel"/> whose inputs differ brings that run up to date.
    /// </summary>
    /// <remarks>
    /// An exact incremental result (bit-equal to a full run's, <see cref="IIncrementalModel"/>) is cached as a full run's
    /// and answers any run. A warm-started result (<see cref="IWarmStartedModel"/>, within a stated tolerance) is cached
    /// apart (its key names the run it started from), so it never answers a run that did not start from the same place:
    /// a scenario run always starts its warm-started models from its baseline, which keeps its results a function of the
    /// scenario, the baseline and the seed alone.
    /// <para>
    /// <paramref name="nearer"/> is an earlier run with the same seed that may be closer to this one than
    /// <paramref name="from"/> (the previous edit of the same scenario): a model that is not warm-started and whose inputs
    /// equal that run's takes its outputs, and an exact incremental model starts from it instead of <paramref name="from"/>
    /// when no more of its inputs differ from it. Since such results equal a full run's, where they started does not show.
    /// </para>
    /// <para>
    /// <paramref name="inputHashes"/> gives the hash of inputs whose identity the caller knows without hashing their
    /// content (a scenario's port derived from the baseline's and its interventions, <see cref="City.CityBaseline.InputHashes"/>):
    /// the caller promises that equal hashes mean equal values; unequal hashes for equal values only cost a cache miss.
    /// Every other input is hashed by content (<see cref="ContentHash.Of"/>).
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentException">A baseline input is missing, unknown or of the wrong type, or <paramref name="from"/> has another seed.</exception>
    public GraphRun Run(
        IReadOnlyDictionary<string, object> inputs,
        int seed,
        CancellationToken cancellationToken,
        GraphRun? from = null,
        IReadOnlyDictionary<string, string>? inputHashes = null,
        GraphRun? nearer = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (from is not null && from.Seed != seed)
        {
            throw new ArgumentException($"A run with seed {seed} cannot start from a run with seed {from.Seed}.", nameof(from));
        }

        if (nearer is not null && nearer.Seed != seed)
        {
            throw new ArgumentException($"A run with seed {seed} cannot start from a run with seed {nearer.Seed}.", nameof(nearer));
        }

        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        var hashing = Stopwatch.GetTimestamp();
        foreach (var (name, port) in _baselineInputs)
        {
            if (!inputs.TryGetValue(name, out var value))
            {
                throw new ArgumentException($"Baseline input '{name}' is missing.", nameof(inputs));
            }

            if (!port.ValueType.IsInstanceOfType(value))
            {
                throw new ArgumentException($"Baseline input '{name}' must be a {port.ValueType.Name}, not a {value.GetType().Name}.", nameof(inputs));
            }

            values[name] = value;
            hashes[name] = inputHashes is not null && inputHashes.TryGetValue(name, out var known) ? known : ContentHash.Of(value);
        }

        if (inputs.Keys.FirstOrDefault(k => !_baselineInputs.ContainsKey(k)) is { } unknown)
        {
            throw new ArgumentException($"'{unknown}' is not a baseline input of this graph.", nameof(inputs));
        }

        var inputHashing = Stopwatch.GetElapsedTime(hashing);

        var ran = new List<string>();
        var incremental = new List<string>();
        var fromNearer = new List<string>();
        var timings = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var model in Models)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var descriptor = model.Descriptor;
            var key = ContentHash.Combine(
                new[] { descriptor.Id, descriptor.Version, seed.ToString(System.Globalization.CultureInfo.InvariantCulture) }
                    .Concat(descriptor.Inputs.Select(p => p.Name + "=" + hashes[p.Name])));
            var warmStarted = model is IWarmStartedModel;
            var changed = Changed(descriptor, from, hashes);
            var changedFromNearer = warmStarted ? null : Changed(descriptor, nearer, hashes);
            // The same inputs as an earlier run: its outputs, and its hashes, so nothing downstream sees a change.
            var same = changed is { Count: 0 } ? from : changedFromNearer is { Count: 0 } ? nearer : null;
            if (same is not null)
            {
                foreach (var port in descriptor.Outputs)
                {
                    values[port.Name] = same.Values[port.Name];
                    hashes[port.Name] = same.Hashes[port.Name];
                }

                continue;
            }

            // An exact model starts from whichever earlier run fewer of its inputs differ from (the nearer on a tie).
            var (start, startChanged) = changedFromNearer is not null && (changed is null || changedFromNearer.Count <= changed.Count)
                ? (nearer, changedFromNearer)
                : (from, changed);
            var fromKey = warmStarted && from is not null
                ? ContentHash.Combine([key, "from", .. descriptor.Inputs.Select(p => from.Hashes[p.Name])])
                : null;
            // A full or exact result answers any run; a warm-started one only runs from the same place.
            var hit = _cache.TryGetValue(key, out var outputs) ? key : fromKey is not null && _cache.TryGetValue(fromKey, out outputs) ? fromKey : null;
            if (hit is null)
            {
                var started = Stopwatch.GetTimestamp();
                var modelInputs = descriptor.Inputs.ToDictionary(p => p.Name, p => values[p.Name], StringComparer.Ordinal);
                outputs = start is not null && model is IIncrementalModel incrementalModel
                    ? ModelRun.ExecuteIncremental(
                        incrementalModel,
                        modelInputs,
                        seed,
                        new PreviousRun(
                            descriptor.Inputs.ToDictionary(p => p.Name, p => start.Values[p.Name], StringComparer.Ordinal),
                            descriptor.Outputs.ToDictionary(p => p.Name, p => start.Values[p.Name], StringComparer.Ordinal),
                            startChanged!),
                        cancellationToken)
                    : null;
                if (outputs is null)
                {
                    outputs = ModelRun.Execute(model, modelInputs, seed, cancellationToken);
                    hit = key;
                }
                else
                {
                    incremental.Add(descriptor.Id);
                    if (ReferenceEquals(start, nearer))
                    {
                        fromNearer.Add(descriptor.Id);
                    }

                    hit = fromKey ?? key;
                }

                timings[descriptor.Id] = Stopwatch.GetElapsedTime(started);
                ran.Add(descriptor.Id);
                if (_cache.Count >= CacheLimit)
                {
                    _cache.Clear();
                }

                _cache[hit] = outputs;
            }

            foreach (var port in descriptor.Outputs)
            {
                values[port.Name] = outputs![port.Name];
                hashes[port.Name] = ContentHash.Combine([hit, port.Name]);
            }
        }

        return new GraphRun(values, hashes, ran, timings, incremental, seed) { InputHashing = inputHashing, FromNearer = fromNearer };
    }

    // The names of the model's inputs whose hash differs from the earlier run's; null without an earlier run.
    private static HashSet<string>? Changed(ModelDescriptor descriptor, GraphRun? earlier, Dictionary<string, string> hashes) =>
        earlier is null ? null : descriptor.Inputs.Where(p => earlier.Hashes[p.Name] != hashes[p.Name]).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

    private static List<IImpactModel> Sort(List<IImpactModel> models, Dictionary<string, IImpactModel> producer)
    {
        // Depth-first, in the order the models were given, so the order is stable; a grey model met again is a cycle.
        var order = new List<IImpactModel>();
        var state = new Dictionary<string, bool>(StringComparer.Ordinal);
        void Visit(IImpactModel model, List<string> path)
        {
            var id = model.Descriptor.Id;
            if (state.TryGetValue(id, out var done))
            {
                if (!done)
                {
                    throw new ArgumentException($"The models form a cycle: {string.Join(" → ", path.SkipWhile(p => p != id).Append(id))}.", nameof(models));
                }

                return;
            }

            state[id] = false;
            path.Add(id);
            foreach (var input in model.Descriptor.Inputs)
            {
                if (producer.TryGetValue(input.Name, out var upstream))
                {
                    Visit(upstream, path);
                }
            }

            path.RemoveAt(path.Count - 1);
            state[id] = true;
            order.Add(model);
        }

        foreach (var model in models)
        {
            Visit(model, []);
        }

        return order;
    }

    private static HashSet<string> Reach(IImpactModel from, IReadOnlyList<IImpactModel> ordered)
    {
        var produced = new HashSet<string>(from.Descriptor.Outputs.Select(p => p.Name), StringComparer.Ordinal);
        var reached = new HashSet<string>(StringComparer.Ordinal);
        foreach (var model in ordered.SkipWhile(m => m != from).Skip(1))
        {
            if (model.Descriptor.Inputs.Any(p => produced.Contains(p.Name)))
            {
                reached.Add(model.Descriptor.Id);
                produced.UnionWith(model.Descriptor.Outputs.Select(p => p.Name));
            }
        }

        return reached;
    }
}

/// <summary>The result of one <see cref="ModelGraph.Run"/>.</summary>
/// <param name="Values">Every port's value, baseline inputs and outputs, by port name.</param>
/// <param name="Hashes">Every port's hash: the content hash of a baseline input, the derived hash of an output.</param>
/// <param name="Ran">The ids of the models that actually ran, in order; the others were answered from the cache.</param>
/// <param name="Timings">How long each model in <paramref name="Ran"/> took.</param>
/// <param name="Incremental">The ids of the models in <paramref name="Ran"/> that brought the run started from up to date (<see cref="IIncrementalModel"/>) rather than running in full.</param>
/// <param name="Seed">The seed of the run.</param>
public sealed record GraphRun(
    IReadOnlyDictionary<string, object> Values,
    IReadOnlyDictionary<string, string> Hashes,
    IReadOnlyList<string> Ran,
    IReadOnlyDictionary<string, TimeSpan> Timings,
    IReadOnlyList<string> Incremental,
    int Seed)
{
    /// <summary>How long the run took to hash its baseline inputs (instances hashed before cost nothing): part of its time outside the models.</summary>
    public TimeSpan InputHashing { get; init; }

    /// <summary>The ids of the models in <see cref="Incremental"/> that started from the run given as <c>nearer</c> rather than from <c>from</c>.</summary>
    public IReadOnlyList<string> FromNearer { get; init; } = [];

    /// <summary>The value of <paramref name="port"/>.</summary>
    public T Value<T>(Port<T> port)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(port);
        return (T)Values[port.Name];
    }
}
