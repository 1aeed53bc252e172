using NetTopologySuite.Geometries;
using Tweeling.Models.City;
using Tweeling.Models.Graph;
using Tweeling.Models.Results;

namespace Tweeling.Models.Scenario;

/// <summary>
/// Collects one indicator's values per buurt and for the municipality as weighted means or sums: the common step of
/// every reporter. Every buurt of <see cref="CityPorts.BuurtAreas"/> gets a value, <c>null</c> where it has nothing to
/// measure, so every indicator has the same areas.
/// </summary>
internal sealed class BuurtValues
{
    private readonly Dictionary<string, (double Sum, double Weight)> _buurten = new(StringComparer.Ordinal);
    private double _citySum;
    private double _cityWeight;

    // The buurt of the last value and its sums, added to the dictionary when the next value is for another buurt (or
    // when the sums are read): values come buurt by buurt (receptors and dwellings are listed building by building,
    // and the buildings of a buurt together), so most values cost a comparison of two codes instead of a hash lookup.
    private string? _currentBuurt;
    private (double Sum, double Weight) _current;

    /// <summary>Adds <paramref name="value"/> with <paramref name="weight"/> to <paramref name="buurtcode"/> and to the city.</summary>
    public void Add(string buurtcode, double value, double weight = 1)
    {
        if (!double.IsFinite(value) || weight <= 0)
        {
            return;
        }

        // The same sums in the same order as one hash lookup per value (a reporter adds up to half a million in an edit).
        if (!string.Equals(buurtcode, _currentBuurt, StringComparison.Ordinal))
        {
            Settle();
            _currentBuurt = buurtcode;
            _current = _buurten.GetValueOrDefault(buurtcode);
        }

        _current = (_current.Sum + (value * weight), _current.Weight + weight);
        _citySum += value * weight;
        _cityWeight += weight;
    }

    /// <summary>Puts the current buurt's sums in the dictionary.</summary>
    private void Settle()
    {
        if (_currentBuurt is not null)
        {
            _buurten[_currentBuurt] = _current;
            _currentBuurt = null;
        }
    }

    /// <summary>The weighted means (<c>null</c> for a buurt without weight), with <paramref name="city"/> instead of the city mean when given.</summary>
    public IEnumerable<AreaValue> Means(string indicator, IReadOnlyList<BuurtArea> buurten, string municipalityCode, double? city = null) =>
        Values(indicator, buurten, municipalityCode, s => s.Weight > 0 ? s.Sum / s.Weight : null, city ?? (_cityWeight > 0 ? _citySum / _cityWeight : null));

    /// <summary>The weighted sums (0 for a buurt without values), with <paramref name="city"/> instead of the city sum when given.</summary>
    public IEnumerable<AreaValue> Sums(string indicator, IReadOnlyList<BuurtArea> buurten, string municipalityCode, double? city = null) =>
        Values(indicator, buurten, municipalityCode, s => s.Sum, city ?? _citySum);

    /// <summary>The buurten of a run: every reporter reports exactly these.</summary>
    public static IReadOnlyList<BuurtArea> Of(GraphRun run) => run.Value(CityPorts.BuurtAreas);

    /// <summary>
    /// Per building id of the dwelling stock: its buurt and its dwellings, the weights of façade receptors. Made once per
    /// dwelling list and shared by the reporters that weight by dwellings (four of them read the same list in a run), from
    /// the baseline's index and the buurten the scenario changed (<see cref="Scenario.DwellingWeights"/>).
    /// </summary>
    public static DwellingWeights DwellingWeights(GraphRun run)
    {
        var dwellings = run.Value(CityPorts.Dwellings);
        // A run without the baseline's list (a model's own tests) indexes its list whole.
        var baseline = run.Values.TryGetValue(CityPorts.BaselineDwellings.Name, out var value) ? (IReadOnlyList<DwellingStock>)value : dwellings;
        lock (s_weights)
        {
            if (!s_weights.TryGetValue(dwellings, out var weights) || !weights.IsOver(baseline))
            {
                weights = Scenario.DwellingWeights.Of(dwellings, baseline);
                s_weights.AddOrUpdate(dwellings, weights);
            }

            return weights;
        }
    }

    /// <summary>A locator of the run's buurten, built once per buurt list.</summary>
    public static BuurtLocator Locator(GraphRun run) => s_locators.GetValue(run.Value(CityPorts.BuurtAreas), b => new BuurtLocator(b));

    /// <summary>The buurt of a point of the run's city.</summary>
    public static string BuurtOf(GraphRun run, Point point) => Locator(run).Find(point);

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IReadOnlyList<BuurtArea>, BuurtLocator> s_locators = [];

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IReadOnlyList<DwellingStock>, DwellingWeights> s_weights = [];

    private IEnumerable<AreaValue> Values(string indicator, IReadOnlyList<BuurtArea> buurten, string municipalityCode, Func<(double Sum, double Weight), double?> value, double? city)
    {
        Settle();
        foreach (var buurt in buurten)
        {
            yield return new AreaValue(indicator, buurt.Code, _buurten.TryGetValue(buurt.Code, out var s) ? value(s) : value((0, 0)));
        }

        yield return new AreaValue(indicator, municipalityCode, city);
    }
}
