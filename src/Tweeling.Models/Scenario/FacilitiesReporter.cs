using Tweeling.Models.Facilities;
using Tweeling.Models.Graph;
using Tweeling.Models.Results;

namespace Tweeling.Models.Scenario;

/// <summary>
/// Demand against capacity per facility kind with a Dutch norm (GP, pharmacy, primary school, childcare, nursing home),
/// from <see cref="FacilitiesModel"/>: per buurt the demand over the capacity that falls to it (2SFCA), and the shortage.
/// </summary>
public sealed class FacilitiesReporter : IIndicatorReporter
{
    private const string Reason = "Landelijke normen en hemelsbrede afstand × 1,3 als verzorgingsgebied; bewoners op één punt per buurt (docs/models/voorzieningen.md).";

    private static readonly (string Kind, string Title)[] s_kinds =
    [
        ("huisarts", "huisartsen"), ("apotheek", "apotheken"), ("basisschool", "basisscholen"), ("kinderopvang", "kinderopvang"), ("verpleeghuis", "verpleeghuizen"),
    ];

    /// <inheritdoc />
    public IReadOnlyList<ResultIndicator> Indicators { get; } =
    [
        .. s_kinds.SelectMany(k => new ResultIndicator[]
        {
            new($"{k.Kind}-vraag-capaciteit", $"Vraag gedeeld door beschikbare capaciteit: {k.Title}", ImpactDomain.Beheer, "-", Desirability.LowerIsBetter, FacilitiesModel.ModelId, Certainty.Middel, Reason),
            new($"{k.Kind}-tekort", $"Tekort aan capaciteit: {k.Title}", ImpactDomain.Beheer, FacilityNorm.Dutch.First(n => n.Kind == k.Kind).CapacityUnit, Desirability.LowerIsBetter, FacilitiesModel.ModelId, Certainty.Middel, Reason),
        }),
    ];

    /// <inheritdoc />
    public IReadOnlyList<AreaValue> Areas(GraphRun run, string municipalityCode)
    {
        ArgumentNullException.ThrowIfNull(run);
        var buurten = BuurtValues.Of(run);
        var supply = run.Value(FacilitiesPorts.Supply);
        var facilities = run.Value(FacilitiesPorts.Facilities);
        var result = new List<AreaValue>();
        foreach (var (kind, _) in s_kinds)
        {
            var rows = supply.Where(s => s.Kind == kind).ToDictionary(s => s.Buurtcode, StringComparer.Ordinal);
            var demand = rows.Values.Sum(s => s.Demand);
            var capacity = facilities.Where(f => f.Kind == kind).Sum(f => f.Capacity);
            // Demand over capacity: null where a buurt has no demand, or demand but no capacity in reach (infinitely short).
            result.AddRange(buurten.Select(b => new AreaValue(
                $"{kind}-vraag-capaciteit", b.Code, rows.TryGetValue(b.Code, out var s) && s.Demand > 0 && s.AccessibleCapacity > 0 ? s.Demand / s.AccessibleCapacity : null)));
            result.Add(new AreaValue($"{kind}-vraag-capaciteit", municipalityCode, demand > 0 && capacity > 0 ? demand / capacity : null));
            result.AddRange(buurten.Select(b => new AreaValue($"{kind}-tekort", b.Code, rows.TryGetValue(b.Code, out var s) ? s.Shortage : 0)));
            result.Add(new AreaValue($"{kind}-tekort", municipalityCode, rows.Values.Sum(s => s.Shortage)));
        }

        return result;
    }

    /// <inheritdoc />
    public IReadOnlyList<GridLayer> Grids(GraphRun run) => [];
}
