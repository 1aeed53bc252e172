using Tweeling.Models.Accessibility;
using Tweeling.Models.Graph;
using Tweeling.Models.Results;

namespace Tweeling.Models.Scenario;

/// <summary>
/// Walking distance over the network to the nearest GP, pharmacy, primary school, childcare and supermarket, from
/// <see cref="AccessibilityModel"/>: per buurt the mean over its dwellings, each building weighted by its dwellings.
/// </summary>
public sealed class AccessibilityReporter : IIndicatorReporter
{
    private const string Reason = "Exact op het gegeven netwerk; de fout is die van het netwerk (ontbrekende paden, rechte aansluitlijnen) en nog niet gevalideerd tegen CBS 85830NED (docs/models/bereikbaarheid.md).";

    private static readonly (string Kind, string Title)[] s_kinds =
    [
        ("huisarts", "huisarts"), ("apotheek", "apotheek"), ("basisschool", "basisschool"), ("kinderopvang", "kinderopvang"), ("supermarkt", "supermarkt"),
    ];

    /// <inheritdoc />
    public IReadOnlyList<ResultIndicator> Indicators { get; } =
    [
        .. s_kinds.Select(k => new ResultIndicator(
            $"loopafstand-{k.Kind}", $"Loopafstand over het netwerk tot de dichtstbijzijnde {k.Title}", ImpactDomain.Mobiliteit, "m", Desirability.LowerIsBetter, AccessibilityModel.ModelId, Certainty.Middel, Reason)),
    ];

    /// <inheritdoc />
    public IReadOnlyList<AreaValue> Areas(GraphRun run, string municipalityCode)
    {
        ArgumentNullException.ThrowIfNull(run);
        var buurten = BuurtValues.Of(run);
        var weights = BuurtValues.DwellingWeights(run);
        var perKind = s_kinds.ToDictionary(k => k.Kind, _ => new BuurtValues(), StringComparer.Ordinal);
        foreach (var d in run.Value(AccessibilityPorts.DwellingDistances))
        {
            if (d.WalkMetres is { } metres && perKind.TryGetValue(d.Kind, out var values) && weights.TryGetValue(d.DwellingId, out var w))
            {
                values.Add(w.Buurtcode, metres, w.Dwellings);
            }
        }

        return [.. s_kinds.SelectMany(k => perKind[k.Kind].Means($"loopafstand-{k.Kind}", buurten, municipalityCode))];
    }

    /// <inheritdoc />
    public IReadOnlyList<GridLayer> Grids(GraphRun run) => [];
}
