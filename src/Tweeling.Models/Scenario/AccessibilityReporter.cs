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
        var sums = DwellingWeightedSums.Of(run, s_kinds.Length);
        var distances = run.Value(AccessibilityPorts.DwellingDistances);
        // One weight lookup per dwelling building, not per value (five kinds a building); a building without dwellings
        // weighs nothing.
        var weightOf = new DwellingWeightedSums.Weighted[distances.Dwellings.Count];
        for (var d = 0; d < weightOf.Length; d++)
        {
            weightOf[d] = sums.Locate(distances.Dwellings[d].Id);
        }

        // A kind's sums take its dwellings in list order, as they did row by row; +∞ (none reached) adds nothing.
        for (var i = 0; i < s_kinds.Length; i++)
        {
            var kind = distances.IndexOfKind(s_kinds[i].Kind);
            if (kind < 0)
            {
                continue;
            }

            var metres = distances.WalkMetres(kind);
            for (var d = 0; d < weightOf.Length; d++)
            {
                sums.Add(i, weightOf[d], metres[d]);
            }
        }

        return [.. s_kinds.SelectMany((k, i) => sums.Means(i, $"loopafstand-{k.Kind}", municipalityCode))];
    }

    /// <inheritdoc />
    public IReadOnlyList<GridLayer> Grids(GraphRun run) => [];
}
