namespace Tweeling.Models.Graph;

/// <summary>
/// What a model is and what it reads and writes, in the spirit of an OGC API – Processes description:
/// <c>/api/v1/modellen</c> lists it, the graph wires models by it, and a run may touch nothing else.
/// </summary>
/// <param name="Id">The model's stable id (lowercase, '-' separated); also its algorithm-register id.</param>
/// <param name="Version">The model's version; it changes whenever the model's results can change, so a stored result names the version that made it.</param>
/// <param name="Title">A human title (English; the register entry carries the Dutch texts).</param>
/// <param name="Inputs">The ports it reads.</param>
/// <param name="Outputs">The ports it writes, every one on every run.</param>
/// <param name="Crs">The CRS of every geometry it reads and writes: RD New (EPSG:28992, metres), the storage CRS.</param>
public sealed record ModelDescriptor(
    string Id,
    string Version,
    string Title,
    IReadOnlyList<Port> Inputs,
    IReadOnlyList<Port> Outputs,
    string Crs = "EPSG:28992");

/// <summary>An impact model: pure and deterministic — the same inputs and seed always give the same outputs.</summary>
public interface IImpactModel
{
    /// <summary>The model's interface.</summary>
    ModelDescriptor Descriptor { get; }

    /// <summary>Reads the inputs from <paramref name="run"/> and writes every output to it.</summary>
    /// <param name="run">The run: declared inputs, the seed, and where the outputs go.</param>
    /// <param name="cancellationToken">Stops a long run.</param>
    void Run(ModelRun run, CancellationToken cancellationToken);
}
