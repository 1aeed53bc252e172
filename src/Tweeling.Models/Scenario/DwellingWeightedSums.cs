using System.Runtime.CompilerServices;
using Tweeling.Models.City;
using Tweeling.Models.Graph;
using Tweeling.Models.Results;

namespace Tweeling.Models.Scenario;

/// <summary>
/// Per-buurt and city means of a few indicators over records of dwelling buildings (façade receptors, dwellings), each
/// weighted by its building's dwellings: what a <see cref="BuurtValues"/> per indicator with a weight lookup per record
/// gives, bit for bit, on arrays instead of dictionaries.
/// </summary>
/// <remarks>
/// <para>
/// Exact because every sum adds the same products in the same order: a buurt's sum and the city's take the records'
/// <c>value × dwellings</c> in list order, skipping a value that is not finite, as <see cref="BuurtValues.Add"/> does; a
/// buurt the run does not list counts for the city only.
/// </para>
/// <para>
/// Cheap because a record's building is found by position in the dwelling list (<see cref="DwellingWeights.Find"/>: the
/// records come building by building in its order) and its buurt's index is looked up only when the code changes from
/// the record before (neighbouring buildings mostly share a buurt). The air and noise reports looked every record's
/// building up by id (some 32,000–40,000 records an edit, three values each).
/// </para>
/// </remarks>
internal sealed class DwellingWeightedSums
{
    private static readonly ConditionalWeakTable<IReadOnlyList<BuurtArea>, Dictionary<string, int>> s_buurtIndex = [];

    private readonly IReadOnlyList<BuurtArea> _buurten;
    private readonly Dictionary<string, int> _index;
    private readonly DwellingWeights _weights;
    private readonly double[][] _sums;
    private readonly double[][] _weightSums;
    private readonly double[] _citySums;
    private readonly double[] _cityWeights;
    private int _cursor;
    private string? _lastCode;
    private int _lastIndex = -1;

    private DwellingWeightedSums(GraphRun run, int indicators)
    {
        _buurten = BuurtValues.Of(run);
        _index = s_buurtIndex.GetValue(_buurten, BuurtIndex);
        _weights = BuurtValues.DwellingWeights(run);
        _sums = [.. Enumerable.Range(0, indicators).Select(_ => new double[_buurten.Count])];
        _weightSums = [.. Enumerable.Range(0, indicators).Select(_ => new double[_buurten.Count])];
        (_citySums, _cityWeights) = (new double[indicators], new double[indicators]);
    }

    /// <summary>Sums of <paramref name="indicators"/> indicators over the buurten and the dwelling weights of <paramref name="run"/>.</summary>
    public static DwellingWeightedSums Of(GraphRun run, int indicators)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new DwellingWeightedSums(run, indicators);
    }

    /// <summary>
    /// Where building <paramref name="buildingId"/>'s values go: its buurt's index in the run's buurten (−1 for a buurt
    /// the run does not list) and its dwellings; no dwellings (<c>default</c>, which adds nothing) for a building without
    /// dwellings in the run.
    /// </summary>
    public Weighted Locate(string buildingId)
    {
        if (!_weights.Find(buildingId, ref _cursor, out var w) || w.Dwellings <= 0)
        {
            return default;
        }

        return new Weighted(BuurtIndexOf(w.Buurtcode), w.Dwellings);
    }

    /// <summary>
    /// Adds the values of every record of <paramref name="records"/> in list order with its building's weight, as
    /// <see cref="Locate"/> and <see cref="Add"/> record by record would: a record <paramref name="table"/> holds (the
    /// same instance, at its building's place in the baseline's dwelling list) whose building's buurt the run did not
    /// change adds the kept values and weight; any other record is read, located and, when its building has its
    /// baseline weights, kept for the next report.
    /// </summary>
    /// <remarks>
    /// An edit recomputes the records near its change and keeps the others, so most records of its report are found in
    /// the table by reference, in order, without reading the record (spread over the heap) or its building's entry: an
    /// air or noise report reads some 40,000 of each.
    /// </remarks>
    public void AddAll<T>(IReadOnlyList<T> records, DwellingRecordTable<T> table)
        where T : class
    {
        var baseline = _weights.Baseline;
        var rows = table.For(baseline);
        Span<double> values = stackalloc double[table.Values];
        using (rows.Enter())
        {
            rows.Use(_buurten);
            var cursor = 0;
            for (var i = 0; i < records.Count; i++)
            {
                var record = records[i];
                var at = rows.Find(record, ref cursor);
                if (at < 0 || _weights.InChangedBuurt(at))
                {
                    table.Write(record, values);
                    var id = table.BuildingOf(record);
                    if (!_weights.FindUnchanged(id, out at))
                    {
                        var weighted = Locate(id);
                        for (var k = 0; k < values.Length; k++)
                        {
                            Add(k, weighted, values[k]);
                        }

                        continue;
                    }

                    rows.Keep(at, record, BuurtIndexOf(baseline[at].Buurtcode), baseline[at].Count, values);
                    cursor = at + 1;
                }

                var kept = new Weighted(rows.Buurt[at], rows.Dwellings[at]);
                for (var k = 0; k < values.Length; k++)
                {
                    Add(k, kept, rows.Values[(at * values.Length) + k]);
                }
            }
        }
    }

    /// <summary>Adds <paramref name="value"/> of indicator <paramref name="indicator"/> with the weight of <paramref name="at"/>: nothing when the value is not finite or there is no weight.</summary>
    public void Add(int indicator, Weighted at, double value)
    {
        if (!double.IsFinite(value) || at.Dwellings <= 0)
        {
            return;
        }

        if (at.Buurt >= 0)
        {
            _sums[indicator][at.Buurt] += value * at.Dwellings;
            _weightSums[indicator][at.Buurt] += at.Dwellings;
        }

        _citySums[indicator] += value * at.Dwellings;
        _cityWeights[indicator] += at.Dwellings;
    }

    /// <summary>
    /// The weighted means of indicator <paramref name="indicator"/> as <paramref name="id"/>: per buurt of the run in its
    /// order (<c>null</c> without weight), then the city's as <paramref name="municipalityCode"/>.
    /// </summary>
    public IEnumerable<AreaValue> Means(int indicator, string id, string municipalityCode)
    {
        var (sums, weights) = (_sums[indicator], _weightSums[indicator]);
        foreach (var buurt in _buurten)
        {
            var at = _index[buurt.Code];
            yield return new AreaValue(id, buurt.Code, weights[at] > 0 ? sums[at] / weights[at] : null);
        }

        yield return new AreaValue(id, municipalityCode, _cityWeights[indicator] > 0 ? _citySums[indicator] / _cityWeights[indicator] : null);
    }

    // The index of a buurt code in the run's buurten (−1 for none), looked up only when the code is not the last one's.
    private int BuurtIndexOf(string code)
    {
        if (!string.Equals(code, _lastCode, StringComparison.Ordinal))
        {
            (_lastCode, _lastIndex) = (code, _index.GetValueOrDefault(code, -1));
        }

        return _lastIndex;
    }

    // The index of every buurt code in the list (the first, should a code repeat).
    private static Dictionary<string, int> BuurtIndex(IReadOnlyList<BuurtArea> buurten)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < buurten.Count; i++)
        {
            index.TryAdd(buurten[i].Code, i);
        }

        return index;
    }

    /// <summary>A record's buurt index (−1 for the city only) and its building's dwellings, the weight of its values.</summary>
    internal readonly record struct Weighted(int Buurt, double Dwellings);
}
