using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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

    // The rows of a distance list as the report reads them, made once per list: the model's list is the same instance
    // in every run it did not run again (an edit that left the dwellings' buildings alone), while the dwelling weights
    // change with every count.
    private static readonly ConditionalWeakTable<IReadOnlyList<DwellingFacilityDistance>, Rows> s_rows = [];

    /// <inheritdoc />
    public IReadOnlyList<AreaValue> Areas(GraphRun run, string municipalityCode)
    {
        ArgumentNullException.ThrowIfNull(run);
        var buurten = BuurtValues.Of(run);
        var weights = BuurtValues.DwellingWeights(run);
        var rows = s_rows.GetValue(run.Value(AccessibilityPorts.DwellingDistances), Rows.Of);
        // One weight lookup per dwelling building, not per row (five kinds a building, half a million rows in the demo
        // city); the rows still add in list order, so every sum is the same.
        var weightOf = new (string Buurtcode, int Dwellings)?[rows.Dwellings.Length];
        for (var i = 0; i < weightOf.Length; i++)
        {
            weightOf[i] = weights.TryGetValue(rows.Dwellings[i], out var w) ? w : null;
        }

        var perKind = s_kinds.Select(_ => new BuurtValues()).ToArray();
        for (var r = 0; r < rows.Kind.Length; r++)
        {
            if (weightOf[rows.Dwelling[r]] is { } w)
            {
                perKind[rows.Kind[r]].Add(w.Buurtcode, rows.Metres[r], w.Dwellings);
            }
        }

        return [.. s_kinds.SelectMany((k, i) => perKind[i].Means($"loopafstand-{k.Kind}", buurten, municipalityCode))];
    }

    /// <inheritdoc />
    public IReadOnlyList<GridLayer> Grids(GraphRun run) => [];

    /// <summary>The rows with a walking distance to a reported kind, in list order: the kind's index, the dwelling's index in <see cref="Dwellings"/> and the metres.</summary>
    private sealed record Rows(int[] Kind, int[] Dwelling, double[] Metres, string[] Dwellings)
    {
        public static Rows Of(IReadOnlyList<DwellingFacilityDistance> distances)
        {
            var (kind, dwelling, metres) = (new List<int>(distances.Count), new List<int>(distances.Count), new List<double>(distances.Count));
            var dwellings = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var d in distances)
            {
                var k = Array.FindIndex(s_kinds, x => x.Kind == d.Kind);
                if (d.WalkMetres is { } m && k >= 0)
                {
                    ref var at = ref CollectionsMarshal.GetValueRefOrAddDefault(dwellings, d.DwellingId, out var known);
                    at = known ? at : dwellings.Count - 1;
                    kind.Add(k);
                    dwelling.Add(at);
                    metres.Add(m);
                }
            }

            var ids = new string[dwellings.Count];
            foreach (var (id, at) in dwellings)
            {
                ids[at] = id;
            }

            return new Rows([.. kind], [.. dwelling], [.. metres], ids);
        }
    }
}
