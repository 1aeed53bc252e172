using System.Runtime.CompilerServices;
using Tweeling.Models.City;

namespace Tweeling.Models.Scenario;

/// <summary>
/// The values of a report's per-building records (façade levels, concentrations at receptors) by position in the
/// baseline's dwelling list: per building the last record a report added for it, that record's values, and the
/// building's buurt index and dwellings. Kept per baseline list by one reporter, so the report of an edit adds a record
/// the edit left as it was (the same instance) from flat arrays, in list order, instead of reading the record and
/// finding its building by id (<see cref="DwellingWeightedSums.AddAll{T}"/>).
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
/// <param name="values">How many values a record adds (the first indicators of the sums).</param>
/// <param name="buildingOf">The building id of a record.</param>
/// <param name="valuesOf">Writes a record's values, one per indicator.</param>
internal sealed class DwellingRecordTable<T>(int values, Func<T, string> buildingOf, DwellingRecordTable<T>.ValuesOf valuesOf)
    where T : class
{
    private readonly ConditionalWeakTable<IReadOnlyList<DwellingStock>, Rows> _rows = [];

    /// <summary>Writes the values of <paramref name="record"/> into <paramref name="into"/>, one per indicator.</summary>
    public delegate void ValuesOf(T record, Span<double> into);

    /// <summary>How many values a record adds.</summary>
    public int Values => values;

    /// <summary>The building id of <paramref name="record"/>.</summary>
    public string BuildingOf(T record) => buildingOf(record);

    /// <summary>Writes the values of <paramref name="record"/> into <paramref name="into"/>.</summary>
    public void Write(T record, Span<double> into) => valuesOf(record, into);

    /// <summary>The rows kept for <paramref name="baseline"/>.</summary>
    /// <remarks>Hold <see cref="Rows.Enter"/> while reading or writing them (reports of several runs may go at once), and <see cref="Rows.Use"/> them first.</remarks>
    public Rows For(IReadOnlyList<DwellingStock> baseline) => _rows.GetValue(baseline, b => new Rows(b.Count, values));

    /// <summary>Per place of the baseline's dwelling list: the record kept there (<c>null</c> for none), its building's buurt index and dwellings, and its values.</summary>
    internal sealed class Rows(int places, int perPlace)
    {
        // One report at a time reads or writes the rows: the reporters are shared by every scenario the server runs, and
        // the rows by every report over one baseline list.
        private readonly Lock _gate = new();

        // The buurt list the buurt indices are of.
        private IReadOnlyList<BuurtArea>? _buurten;

        public T?[] Record { get; } = new T?[places];

        public int[] Buurt { get; } = new int[places];

        public double[] Dwellings { get; } = new double[places];

        /// <summary>The values of place p, from p × the values a record adds.</summary>
        public double[] Values { get; } = new double[places * perPlace];

        /// <summary>Holds the rows for the caller until the scope is disposed.</summary>
        public Lock.Scope Enter() => _gate.EnterScope();

        /// <summary>Empties the rows when their buurt indices are of another buurt list than <paramref name="buurten"/>.</summary>
        public void Use(IReadOnlyList<BuurtArea> buurten)
        {
            if (!ReferenceEquals(_buurten, buurten))
            {
                Array.Clear(Record);
                _buurten = buurten;
            }
        }

        /// <summary>
        /// The place of <paramref name="record"/> (the same instance) at <paramref name="cursor"/> or a few places after
        /// it (<see cref="CursorSearch"/>), and the cursor past it; −1 when it is not there.
        /// </summary>
        public int Find(T record, ref int cursor) => CursorSearch.Find(Record.Length, ref cursor, new SameRecord(Record, record));

        /// <summary>Keeps <paramref name="record"/> at <paramref name="at"/> with its building's weights and its values.</summary>
        public void Keep(int at, T record, int buurt, double dwellings, ReadOnlySpan<double> values)
        {
            (Record[at], Buurt[at], Dwellings[at]) = (record, buurt, dwellings);
            values.CopyTo(Values.AsSpan(at * values.Length, values.Length));
        }

        private readonly struct SameRecord(T?[] records, T sought) : CursorSearch.IPlaceTest
        {
            public bool Holds(int place) => ReferenceEquals(records[place], sought);
        }
    }
}
