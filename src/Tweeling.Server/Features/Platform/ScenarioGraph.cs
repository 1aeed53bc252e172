using Tweeling.Models.Graph;

namespace Tweeling.Server.Features.Platform;

/// <summary>Wires the platform's impact models into one <see cref="ModelGraph"/>.</summary>
internal static class ScenarioGraph
{
    /// <summary>
    /// The graph of <paramref name="models"/>, whose baseline inputs are the ports they read that no model writes
    /// (the city ports of <c>Tweeling.Models.City</c>).
    /// </summary>
    public static ModelGraph Build(IReadOnlyList<IImpactModel> models)
    {
        var written = models.SelectMany(m => m.Descriptor.Outputs).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var baseline = models.SelectMany(m => m.Descriptor.Inputs).Where(p => !written.Contains(p.Name)).DistinctBy(p => p.Name);
        return new ModelGraph(models, baseline);
    }
}
