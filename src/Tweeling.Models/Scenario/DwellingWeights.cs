using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Tweeling.Models.City;

namespace Tweeling.Models.Scenario;

/// <summary>
/// Per building id of a dwelling list: its buurt and its dwellings, the weights of façade receptors and dwellings in the
/// reports. What a dictionary of the whole list holds, made from the baseline's index (once per baseline list) and the
/// entries of the buurten the list changed (<see cref="DwellingChanges"/>), so an edit does not index 57,000 buildings
/// again (10–30 ms of an edit under load).
/// </summary>
/// <remarks>
/// A reporter that walks records in the order of the dwelling list (receptors and dwellings are made building by
/// building in the same order) finds most of them by position (<see cref="Find"/>): the same entry the lookup by id
/// finds, since ids are unique (a repeated id throws, as a dictionary of the list does).
/// </remarks>
internal sealed class DwellingWeights : IReadOnlyDictionary<string, (string Buurtcode, int Dwellings)>
{
    private static readonly ConditionalWeakTable<IReadOnlyList<DwellingStock>, Dictionary<string, int>> s_baselineIndex = [];

    private readonly IReadOnlyList<DwellingStock> _dwellings;
    private readonly IReadOnlyList<DwellingStock> _baseline;
    private readonly Dictionary<string, int> _baselineIndex;
    private readonly DwellingChanges _changes;
    private readonly Dictionary<string, DwellingStock> _changed = new(StringComparer.Ordinal);

    private DwellingWeights(IReadOnlyList<DwellingStock> dwellings, IReadOnlyList<DwellingStock> baseline)
    {
        _dwellings = dwellings;
        _baseline = baseline;
        _baselineIndex = s_baselineIndex.GetValue(baseline, IndexOf);
        _changes = DwellingChanges.Between(baseline, dwellings);
        foreach (var entry in _changes.Changed.Values.SelectMany(e => e))
        {
            // An id the list repeats throws, in a changed buurt or beside an unchanged one's, as a dictionary of the list would.
            if (_baselineIndex.TryGetValue(entry.BuildingId, out var at) && !_changes.InChangedBuurt(at))
            {
                throw new ArgumentException($"An item with the same key has already been added. Key: {entry.BuildingId}");
            }

            _changed.Add(entry.BuildingId, entry);
        }
    }

    /// <inheritdoc />
    public int Count => _dwellings.Count;

    /// <inheritdoc />
    public IEnumerable<string> Keys => _dwellings.Select(d => d.BuildingId);

    /// <inheritdoc />
    public IEnumerable<(string Buurtcode, int Dwellings)> Values => _dwellings.Select(d => (d.Buurtcode, d.Count));

    /// <inheritdoc />
    public (string Buurtcode, int Dwellings) this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No dwellings in building '{key}'.");

    /// <summary>The weights of <paramref name="dwellings"/>, with <paramref name="baseline"/> (the city's list) as what most of its entries are.</summary>
    public static DwellingWeights Of(IReadOnlyList<DwellingStock> dwellings, IReadOnlyList<DwellingStock> baseline) => new(dwellings, baseline);

    /// <summary>Whether these are the weights made with <paramref name="baseline"/> as the baseline's list.</summary>
    public bool IsOver(IReadOnlyList<DwellingStock> baseline) => ReferenceEquals(_baseline, baseline);

    /// <inheritdoc />
    public bool ContainsKey(string key) => TryGetValue(key, out _);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out (string Buurtcode, int Dwellings) value)
    {
        if (_baselineIndex.TryGetValue(key, out var at) && !_changes.InChangedBuurt(at))
        {
            value = (_baseline[at].Buurtcode, _baseline[at].Count);
            return true;
        }

        if (_changed.TryGetValue(key, out var entry))
        {
            value = (entry.Buurtcode, entry.Count);
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>The baseline's dwelling list: the list whose positions <see cref="FindUnchanged"/> gives.</summary>
    public IReadOnlyList<DwellingStock> Baseline => _baseline;

    /// <summary>
    /// Whether building <paramref name="id"/> is in the baseline's list at <paramref name="baselineIndex"/> with its
    /// baseline weights in these (its buurt's entries are the baseline's): <c>false</c> for a building these take from a
    /// changed buurt or do not have.
    /// </summary>
    public bool FindUnchanged(string id, out int baselineIndex) =>
        _baselineIndex.TryGetValue(id, out baselineIndex) && !_changes.InChangedBuurt(baselineIndex);

    /// <summary>Whether the baseline's entry at <paramref name="baselineIndex"/> is in a buurt whose entries differ in these weights' list.</summary>
    public bool InChangedBuurt(int baselineIndex) => _changes.InChangedBuurt(baselineIndex);

    /// <summary>
    /// The weights of building <paramref name="id"/>: by position when the dwelling list has it at
    /// <paramref name="cursor"/> or a few places after it (<see cref="CursorSearch"/>; the cursor then moves past it),
    /// else by id.
    /// </summary>
    public bool Find(string id, ref int cursor, out (string Buurtcode, int Dwellings) value)
    {
        var at = CursorSearch.Find(_dwellings.Count, ref cursor, new SameBuilding(_dwellings, id));
        if (at >= 0)
        {
            value = (_dwellings[at].Buurtcode, _dwellings[at].Count);
            return true;
        }

        return TryGetValue(id, out value);
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, (string Buurtcode, int Dwellings)>> GetEnumerator() =>
        _dwellings.Select(d => new KeyValuePair<string, (string, int)>(d.BuildingId, (d.Buurtcode, d.Count))).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    // Throws on a repeated id, as a dictionary of the list does.
    private static Dictionary<string, int> IndexOf(IReadOnlyList<DwellingStock> baseline)
    {
        var index = new Dictionary<string, int>(baseline.Count, StringComparer.Ordinal);
        for (var i = 0; i < baseline.Count; i++)
        {
            index.Add(baseline[i].BuildingId, i);
        }

        return index;
    }

    private readonly struct SameBuilding(IReadOnlyList<DwellingStock> dwellings, string id) : CursorSearch.IPlaceTest
    {
        public bool Holds(int place) => string.Equals(dwellings[place].BuildingId, id, StringComparison.Ordinal);
    }
}
