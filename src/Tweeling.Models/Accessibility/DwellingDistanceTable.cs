using System.Collections;

namespace Tweeling.Models.Accessibility;

/// <summary>
/// Per dwelling and facility kind: the walking and cycling network distance (m) and time (min) to the nearest facility of
/// the kind (<see cref="AccessibilityPorts.DwellingDistances"/>), as one column of distances per kind and mode beside
/// the dwellings and the kinds, each held once.
/// </summary>
/// <remarks>
/// <para>
/// A run on the demo city gives 570,700 dwelling × kind values. Made as one record each (two string references and four
/// doubles, 64 bytes), they and the collections they caused were about half of a full run (docs/benchmarks.md,
/// "scenario-access-values"). As columns the model hands over the distance arrays its searches filled, and a reader
/// walks the column of the kind it wants. A time is the distance divided by the mode's speed, divided when read as the
/// records were when made, so every value is the same double as before.
/// </para>
/// <para>
/// As a list the table is its rows dwelling by dwelling, the kinds in <see cref="Kinds"/> order within a dwelling: the
/// records the model wrote before, with the same printed form and JSON, hence the same content hash.
/// </para>
/// </remarks>
public sealed class DwellingDistanceTable : IReadOnlyList<DwellingFacilityDistance>
{
    private readonly double[][] _walkMetres;
    private readonly double[][] _cycleMetres;
    private readonly double _walkMetresPerMinute;
    private readonly double _cycleMetresPerMinute;

    /// <summary>The table of <paramref name="dwellings"/> × <paramref name="kinds"/> over the given columns, kept as they are (not copied).</summary>
    /// <param name="dwellings">The dwellings, in the order of every column.</param>
    /// <param name="kinds">The facility kinds, in the order of the columns.</param>
    /// <param name="walkMetres">Per kind, per dwelling: the walking distance in metres, +∞ where no facility is reached. Not changed afterwards.</param>
    /// <param name="cycleMetres">Per kind, per dwelling: the cycling distance in metres, +∞ where no facility is reached (may be the same arrays as <paramref name="walkMetres"/>).</param>
    /// <param name="walkMetresPerMinute">Walking speed, metres a minute.</param>
    /// <param name="cycleMetresPerMinute">Cycling speed, metres a minute.</param>
    /// <exception cref="ArgumentException">A column is missing or its length is not the number of dwellings.</exception>
    internal DwellingDistanceTable(
        IReadOnlyList<Dwelling> dwellings, IReadOnlyList<string> kinds, double[][] walkMetres, double[][] cycleMetres, double walkMetresPerMinute, double cycleMetresPerMinute)
    {
        if (walkMetres.Length != kinds.Count || cycleMetres.Length != kinds.Count
            || walkMetres.Any(c => c.Length != dwellings.Count) || cycleMetres.Any(c => c.Length != dwellings.Count))
        {
            throw new ArgumentException($"Every column must hold one distance per dwelling ({dwellings.Count}), one column per kind ({kinds.Count}) and mode.");
        }

        Dwellings = dwellings;
        Kinds = kinds;
        _walkMetres = walkMetres;
        _cycleMetres = cycleMetres;
        _walkMetresPerMinute = walkMetresPerMinute;
        _cycleMetresPerMinute = cycleMetresPerMinute;
    }

    /// <summary>The dwellings, in the order of every column.</summary>
    public IReadOnlyList<Dwelling> Dwellings { get; }

    /// <summary>The facility kinds, in the order the model reports them (ordinal).</summary>
    public IReadOnlyList<string> Kinds { get; }

    /// <summary>The number of rows: dwellings × kinds.</summary>
    public int Count => Dwellings.Count * Kinds.Count;

    /// <summary>The row at <paramref name="index"/>: dwelling <c>index / Kinds.Count</c>, kind <c>index % Kinds.Count</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not that of a row.</exception>
    public DwellingFacilityDistance this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return Row(index / Kinds.Count, index % Kinds.Count);
        }
    }

    /// <summary>The index of <paramref name="kind"/> in <see cref="Kinds"/> (ordinal), or −1 when the table has no such kind.</summary>
    public int IndexOfKind(string kind)
    {
        for (var k = 0; k < Kinds.Count; k++)
        {
            if (string.Equals(Kinds[k], kind, StringComparison.Ordinal))
            {
                return k;
            }
        }

        return -1;
    }

    /// <summary>Per dwelling (in <see cref="Dwellings"/> order): the walking distance in metres to the nearest facility of kind <paramref name="kind"/>; +∞ where none is reached.</summary>
    public ReadOnlySpan<double> WalkMetres(int kind) => _walkMetres[kind];

    /// <summary>Per dwelling (in <see cref="Dwellings"/> order): the cycling distance in metres to the nearest facility of kind <paramref name="kind"/>; +∞ where none is reached.</summary>
    public ReadOnlySpan<double> CycleMetres(int kind) => _cycleMetres[kind];

    /// <summary>Dwelling <paramref name="dwelling"/>'s distances and times to the nearest facility of kind <paramref name="kind"/> (indexes into <see cref="Dwellings"/> and <see cref="Kinds"/>).</summary>
    public DwellingFacilityDistance Row(int dwelling, int kind)
    {
        var (walk, cycle) = (_walkMetres[kind][dwelling], _cycleMetres[kind][dwelling]);
        var (walkReached, cycleReached) = (double.IsFinite(walk), double.IsFinite(cycle));
        return new DwellingFacilityDistance(
            Dwellings[dwelling].Id,
            Kinds[kind],
            walkReached ? walk : null,
            walkReached ? walk / _walkMetresPerMinute : null,
            cycleReached ? cycle : null,
            cycleReached ? cycle / _cycleMetresPerMinute : null);
    }

    /// <inheritdoc />
    public IEnumerator<DwellingFacilityDistance> GetEnumerator()
    {
        for (var d = 0; d < Dwellings.Count; d++)
        {
            for (var k = 0; k < Kinds.Count; k++)
            {
                yield return Row(d, k);
            }
        }
    }

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
