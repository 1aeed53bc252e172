using System.Runtime.CompilerServices;

namespace Tweeling.Models.City;

/// <summary>
/// Which buurten's dwellings differ between a dwelling list and the baseline's, and the list's entries in those buurten
/// in list order: what lets a per-buurt sum over a scenario's dwellings (bevolking, sociaal, the dwelling weights of the
/// reports) take the baseline's sums for every other buurt instead of going over all 57,000 buildings again.
/// </summary>
/// <remarks>
/// Exact because a sum per buurt adds the buurt's entries in list order: a buurt whose entries are, in order, the same
/// instances as the baseline's has the baseline's sums bit for bit. The comparison walks both lists once by reference
/// (a scenario's list is the baseline's with demolished buildings left out and added ones at the end,
/// <see cref="CityBaseline.Inputs"/>), so it costs some 0.1 ms; any other shape only marks more buurten changed.
/// </remarks>
public sealed class DwellingChanges
{
    private static readonly ConditionalWeakTable<IReadOnlyList<DwellingStock>, DwellingChanges> s_kept = [];
    private static readonly ConditionalWeakTable<IReadOnlyList<DwellingStock>, BuurtIndex> s_buurten = [];

    private readonly BuurtIndex _buurten;
    private readonly bool[] _changedBuurt;

    private DwellingChanges(IReadOnlyList<DwellingStock> baseline, Dictionary<string, List<DwellingStock>> changed, BuurtIndex buurten, bool[] changedBuurt)
    {
        Baseline = baseline;
        Changed = changed;
        _buurten = buurten;
        _changedBuurt = changedBuurt;
    }

    /// <summary>The list compared with.</summary>
    public IReadOnlyList<DwellingStock> Baseline { get; }

    /// <summary>
    /// Per buurt whose entries differ from the baseline's (an entry left out, added or replaced), the list's entries in
    /// it in list order (none where every dwelling of the buurt went). Every other buurt's entries are the baseline's.
    /// </summary>
    public IReadOnlyDictionary<string, List<DwellingStock>> Changed { get; }

    /// <summary>Whether the buurt of the baseline's entry at <paramref name="baselineIndex"/> is one of <see cref="Changed"/>.</summary>
    public bool InChangedBuurt(int baselineIndex) => _changedBuurt[_buurten.BuurtAt[baselineIndex]];

    /// <summary>How <paramref name="dwellings"/> differs from <paramref name="baseline"/>, kept per list for the models and reports that ask again.</summary>
    public static DwellingChanges Between(IReadOnlyList<DwellingStock> baseline, IReadOnlyList<DwellingStock> dwellings)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(dwellings);
        if (s_kept.TryGetValue(dwellings, out var kept) && ReferenceEquals(kept.Baseline, baseline))
        {
            return kept;
        }

        var made = Compare(baseline, dwellings);
        s_kept.AddOrUpdate(dwellings, made);
        return made;
    }

    /// <summary>
    /// The per-buurt values of <paramref name="dwellings"/> (a sum or a grouping of each buurt's entries):
    /// <paramref name="baseline"/>'s, the values of <paramref name="baselineDwellings"/>, in every buurt whose entries are
    /// the baseline's, and <paramref name="perBuurt"/> of the entries of every other buurt (<see cref="Changed"/>). A
    /// buurt's value takes its entries in list order either way, so it is bit for bit what <paramref name="perBuurt"/> of
    /// the whole list gives; a buurt left without entries has no value.
    /// </summary>
    /// <param name="dwellings">A scenario's dwelling list.</param>
    /// <param name="baselineDwellings">The baseline's dwelling list.</param>
    /// <param name="baseline"><paramref name="perBuurt"/> of <paramref name="baselineDwellings"/>: returned as it is when the lists are the same.</param>
    /// <param name="perBuurt">The value of each buurt of a list of entries, keyed by buurt code.</param>
    public static Dictionary<string, T> PerBuurt<T>(
        IReadOnlyList<DwellingStock> dwellings,
        IReadOnlyList<DwellingStock> baselineDwellings,
        Dictionary<string, T> baseline,
        Func<IReadOnlyList<DwellingStock>, Dictionary<string, T>> perBuurt)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(perBuurt);
        if (ReferenceEquals(dwellings, baselineDwellings))
        {
            return baseline;
        }

        var values = new Dictionary<string, T>(baseline, StringComparer.Ordinal);
        foreach (var (code, entries) in Between(baselineDwellings, dwellings).Changed)
        {
            values.Remove(code);
            if (perBuurt(entries).TryGetValue(code, out var own))
            {
                values[code] = own;
            }
        }

        return values;
    }

    private static DwellingChanges Compare(IReadOnlyList<DwellingStock> baseline, IReadOnlyList<DwellingStock> dwellings)
    {
        var changed = new Dictionary<string, List<DwellingStock>>(StringComparer.Ordinal);
        var buurten = s_buurten.GetValue(baseline, BuurtIndex.Of);
        var changedBuurt = new bool[buurten.Codes.Length];
        if (ReferenceEquals(baseline, dwellings))
        {
            return new DwellingChanges(baseline, changed, buurten, changedBuurt);
        }

        void Change(string code)
        {
            changed.TryAdd(code, []);
            if (buurten.Index.TryGetValue(code, out var at))
            {
                changedBuurt[at] = true;
            }
        }

        // Pair the list's entries with the baseline's in order: a baseline entry the list skips went (its buurt changed),
        // and once the baseline is used up every further entry of the list is new (its buurt changed).
        var pairedWith = new int[dwellings.Count];
        var (i, j) = (0, 0);
        for (; i < dwellings.Count && j < baseline.Count; j++)
        {
            if (ReferenceEquals(dwellings[i], baseline[j]))
            {
                pairedWith[i++] = j;
            }
            else
            {
                Change(baseline[j].Buurtcode);
            }
        }

        for (; j < baseline.Count; j++)
        {
            Change(baseline[j].Buurtcode);
        }

        for (var k = i; k < dwellings.Count; k++)
        {
            Change(dwellings[k].Buurtcode);
        }

        // The entries of the changed buurten, in list order: a paired entry's buurt by the baseline's index (an array
        // read, not a lookup by code), the new entries' by their code.
        for (var k = 0; k < dwellings.Count; k++)
        {
            if (k >= i)
            {
                changed[dwellings[k].Buurtcode].Add(dwellings[k]);
            }
            else if (changedBuurt[buurten.BuurtAt[pairedWith[k]]])
            {
                changed[buurten.Codes[buurten.BuurtAt[pairedWith[k]]]].Add(dwellings[k]);
            }
        }

        return new DwellingChanges(baseline, changed, buurten, changedBuurt);
    }

    /// <summary>A baseline list's buurt codes, and per entry the index of its buurt's code.</summary>
    private sealed record BuurtIndex(string[] Codes, Dictionary<string, int> Index, int[] BuurtAt)
    {
        public static BuurtIndex Of(IReadOnlyList<DwellingStock> baseline)
        {
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            var buurtAt = new int[baseline.Count];
            for (var k = 0; k < baseline.Count; k++)
            {
                ref var at = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(index, baseline[k].Buurtcode, out var known);
                at = known ? at : index.Count - 1;
                buurtAt[k] = at;
            }

            var codes = new string[index.Count];
            foreach (var (code, at) in index)
            {
                codes[at] = code;
            }

            return new BuurtIndex(codes, index, buurtAt);
        }
    }
}
