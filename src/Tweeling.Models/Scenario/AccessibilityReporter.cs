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
    // change with every count. A new list (the model brought up to date) starts with the rows of the last list made, as
    // the same instances: those are taken from the last list's rows, and only the rest read.
    private static readonly ConditionalWeakTable<IReadOnlyList<DwellingFacilityDistance>, Rows> s_rows = [];
    private static readonly Lock s_lastLock = new();
    private static (WeakReference<IReadOnlyList<DwellingFacilityDistance>> List, Rows Rows)? s_last;

    /// <inheritdoc />
    public IReadOnlyList<AreaValue> Areas(GraphRun run, string municipalityCode)
    {
        ArgumentNullException.ThrowIfNull(run);
        var sums = DwellingWeightedSums.Of(run, s_kinds.Length);
        var rows = s_rows.GetValue(run.Value(AccessibilityPorts.DwellingDistances), RowsOf);
        // One weight lookup per dwelling building, not per row (five kinds a building, half a million rows in the demo
        // city); a building without dwellings weighs nothing.
        var weightOf = new DwellingWeightedSums.Weighted[rows.Dwellings.Length];
        for (var i = 0; i < weightOf.Length; i++)
        {
            weightOf[i] = sums.Locate(rows.Dwellings[i]);
        }

        for (var r = 0; r < rows.Kind.Length; r++)
        {
            if (rows.Kind[r] >= 0)
            {
                sums.Add(rows.Kind[r], weightOf[rows.Dwelling[r]], rows.Metres[r]);
            }
        }

        return [.. s_kinds.SelectMany((k, i) => sums.Means(i, $"loopafstand-{k.Kind}", municipalityCode))];
    }

    /// <inheritdoc />
    public IReadOnlyList<GridLayer> Grids(GraphRun run) => [];

    private static Rows RowsOf(IReadOnlyList<DwellingFacilityDistance> distances)
    {
        Rows? before = null;
        IReadOnlyList<DwellingFacilityDistance>? listBefore = null;
        lock (s_lastLock)
        {
            if (s_last is { } last && last.List.TryGetTarget(out var list))
            {
                (listBefore, before) = (list, last.Rows);
            }
        }

        var rows = Rows.Of(distances, listBefore, before);
        lock (s_lastLock)
        {
            s_last = (new WeakReference<IReadOnlyList<DwellingFacilityDistance>>(distances), rows);
        }

        return rows;
    }

    /// <summary>
    /// Per row of the list, in list order: the reported kind's index (−1 for another kind or no walking distance), an
    /// index into <see cref="Dwellings"/> and the metres. A dwelling id may have more than one index (one in the rows taken
    /// from an earlier list, one in the rest); each gets the same weight, so the sums are the same.
    /// </summary>
    private sealed record Rows(int[] Kind, int[] Dwelling, double[] Metres, string[] Dwellings)
    {
        public static Rows Of(IReadOnlyList<DwellingFacilityDistance> distances, IReadOnlyList<DwellingFacilityDistance>? listBefore, Rows? before)
        {
            var (kind, dwelling, metres) = (new int[distances.Count], new int[distances.Count], new double[distances.Count]);
            // The leading rows the list shares with the earlier one (the same instances) are the earlier rows.
            var shared = 0;
            var sharedDwellings = 0;
            if (listBefore is not null && before is not null)
            {
                var most = Math.Min(distances.Count, listBefore.Count);
                while (shared < most && ReferenceEquals(distances[shared], listBefore[shared]))
                {
                    sharedDwellings = before.Kind[shared] >= 0 ? Math.Max(sharedDwellings, before.Dwelling[shared] + 1) : sharedDwellings;
                    shared++;
                }

                Array.Copy(before.Kind, kind, shared);
                Array.Copy(before.Dwelling, dwelling, shared);
                Array.Copy(before.Metres, metres, shared);
            }

            var dwellings = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var r = shared; r < distances.Count; r++)
            {
                var d = distances[r];
                var k = Array.FindIndex(s_kinds, x => x.Kind == d.Kind);
                if (d.WalkMetres is { } m && k >= 0)
                {
                    ref var at = ref CollectionsMarshal.GetValueRefOrAddDefault(dwellings, d.DwellingId, out var known);
                    at = known ? at : sharedDwellings + dwellings.Count - 1;
                    (kind[r], dwelling[r], metres[r]) = (k, at, m);
                }
                else
                {
                    kind[r] = -1;
                }
            }

            var ids = new string[sharedDwellings + dwellings.Count];
            Array.Copy(before?.Dwellings ?? [], ids, sharedDwellings);
            foreach (var (id, at) in dwellings)
            {
                ids[at] = id;
            }

            return new Rows(kind, dwelling, metres, ids);
        }
    }
}
