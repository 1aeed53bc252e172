using System.Runtime.CompilerServices;
using Tweeling.Models.Accessibility;
using Tweeling.Models.City;
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

    // Per distance table, the weights of its dwellings in the baseline's buurten (KeptWeights): an edit keeps the table of
    // the run before while the dwellings' buildings stay (the model does not run), and most of its buildings keep their
    // baseline weights.
    private static readonly ConditionalWeakTable<DwellingDistanceTable, KeptWeights> s_kept = [];

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
        var weightOf = WeightsOf(distances, BuurtValues.DwellingWeights(run), BuurtValues.Of(run), sums);

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

    /// <summary>
    /// Where each dwelling building of <paramref name="distances"/> adds its values (<see cref="DwellingWeightedSums.Locate"/>,
    /// one look-up per building, not per value): the kept weight of a building in a buurt the run's dwellings left as in the
    /// baseline, looked up for the others; made anew when the table, the baseline's list or the buurten are not the kept ones.
    /// </summary>
    /// <remarks>
    /// Exact: a building in an unchanged buurt has its baseline entry in the run's weights (<see cref="DwellingWeights.FindUnchanged"/>),
    /// so its look-up gives the weight the kept one was looked up as. Why: the look-ups by id were most of this report's
    /// time (a pointer to the dwelling, its id and the weights' entry for each of 114,140 buildings on the demo city), and a
    /// one-dwelling edit changes the weights of one or a few buurten only (docs/benchmarks.md, "scenario-scale10-check").
    /// </remarks>
    private static DwellingWeightedSums.Weighted[] WeightsOf(
        DwellingDistanceTable distances, DwellingWeights weights, IReadOnlyList<BuurtArea> buurten, DwellingWeightedSums sums)
    {
        var dwellings = distances.Dwellings;
        var weightOf = new DwellingWeightedSums.Weighted[dwellings.Count];
        if (s_kept.TryGetValue(distances, out var kept) && ReferenceEquals(kept.Baseline, weights.Baseline) && ReferenceEquals(kept.Buurten, buurten))
        {
            for (var d = 0; d < weightOf.Length; d++)
            {
                var at = kept.BaselineAt[d];
                weightOf[d] = at >= 0 && !weights.InChangedBuurt(at) ? kept.Weight[d] : sums.Locate(dwellings[d].Id);
            }

            return weightOf;
        }

        // A building whose buurt this run changed gets no place: its kept weight would be this run's, not the baseline's.
        var baselineAt = new int[weightOf.Length];
        for (var d = 0; d < weightOf.Length; d++)
        {
            var id = dwellings[d].Id;
            baselineAt[d] = weights.FindUnchanged(id, out var at) ? at : -1;
            weightOf[d] = sums.Locate(id);
        }

        s_kept.AddOrUpdate(distances, new KeptWeights(weights.Baseline, buurten, baselineAt, weightOf));
        return weightOf;
    }

    /// <inheritdoc />
    public IReadOnlyList<GridLayer> Grids(GraphRun run) => [];

    /// <summary>
    /// The weights of a distance table's dwellings kept for later reports: per dwelling its place in <paramref name="Baseline"/>
    /// (−1: none, or its buurt was changed when kept) and its weight there, the buurt as an index into <paramref name="Buurten"/>.
    /// Read-only once made.
    /// </summary>
    private sealed record KeptWeights(IReadOnlyList<DwellingStock> Baseline, IReadOnlyList<BuurtArea> Buurten, int[] BaselineAt, DwellingWeightedSums.Weighted[] Weight);
}
