using System.Runtime.CompilerServices;
using Tweeling.Models.City;
using Tweeling.Models.Graph;
using Tweeling.Models.Population;

namespace Tweeling.Models.Social;

/// <summary>
/// The share of low-income households per buurt from the composition of the housing stock (issue 6 item 2j; a
/// shift-share model, shared/reference/models.md §7; docs/models/sociaal.md): Σ over dwellings of type × tenure of
/// their share × the low-income rate of that type and tenure, calibrated per buurt on the observed share so that the
/// baseline reproduces it and a scenario moves it by composition only. Aggregates per buurt only.
/// </summary>
public sealed class SocialModel : IImpactModel
{
    /// <summary>The model's id, also its algorithm-register id.</summary>
    public const string ModelId = "sociaal";

    /// <summary>
    /// The default relative uncertainty of the rates (±50 %) [A]: how far the households that move into new dwellings
    /// may differ from the average of their tenure (allocation rules, rent level, local market).
    /// </summary>
    public const double DefaultRateUncertainty = 0.5;

    /// <summary>
    /// The fewest households a published share may rest on: CBS publishes income percentages only over at least 100
    /// households (shared/reference/standards.md §4), and the platform follows that rule.
    /// </summary>
    public const double MinimumHouseholds = 100;

    private readonly LowIncomeRates _rates;
    private readonly double _uncertainty;

    // The grouping of baseline stocks seen, by list (read only once made, so shared between runs and threads).
    private readonly ConditionalWeakTable<IReadOnlyList<DwellingStock>, Dictionary<string, Dictionary<string, BuildingStock>>> _baselineGroups = [];

    // The shares of a buurt whose buildings a scenario left as they were, by its baseline grouping: a function of that
    // grouping, the observed share and the rate factor alone, so every edit that leaves the buurt alone takes them.
    private readonly ConditionalWeakTable<Dictionary<string, BuildingStock>, Dictionary<(double? Observed, double RateFactor), double>> _unchangedShares = [];

    /// <summary>A model with <paramref name="rates"/> (default <see cref="LowIncomeRates.Default"/>) and their relative uncertainty.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The uncertainty is outside 0–1.</exception>
    public SocialModel(LowIncomeRates? rates = null, double rateUncertainty = DefaultRateUncertainty)
    {
        if (!double.IsFinite(rateUncertainty) || rateUncertainty is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(rateUncertainty), rateUncertainty, "The relative uncertainty of the rates is from 0 to 1.");
        }

        _rates = rates ?? LowIncomeRates.Default;
        _uncertainty = rateUncertainty;
    }

    /// <inheritdoc />
    public ModelDescriptor Descriptor { get; } = new(
        ModelId,
        "1.0.0",
        "Share of low-income households per buurt from the housing stock's type and tenure (shift-share), calibrated on the observed share",
        [CityPorts.Dwellings, CityPorts.BaselineDwellings, CityPorts.BuurtLowIncome, PopulationPorts.Population],
        [SocialPorts.LowIncome, SocialPorts.CityLowIncome]);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">An observed share is outside 0–100.</exception>
    public void Run(ModelRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var stock = run.Input(CityPorts.Dwellings);
        var baselineStock = run.Input(CityPorts.BaselineDwellings);
        // The baseline's stock is the same list in every edit of every scenario on that city: grouped once per model.
        var baseline = _baselineGroups.GetValue(baselineStock, Group);
        var scenario = DwellingChanges.PerBuurt(stock, baselineStock, baseline, Group);
        var observed = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var o in run.Input(CityPorts.BuurtLowIncome))
        {
            if (o.Percent is { } percent)
            {
                observed[o.Buurtcode] = double.IsFinite(percent) && percent is >= 0 and <= 100
                    ? percent
                    : throw new ArgumentException($"Buurt '{o.Buurtcode}' has an observed low-income share of {percent}; it must be a percentage from 0 to 100.");
            }
        }

        var households = run.Input(PopulationPorts.Population).ToDictionary(p => p.Buurtcode, p => p.Households, StringComparer.Ordinal);

        var result = new List<BuurtLowIncomeEstimate>();
        double cityHouseholds = 0, cityLow = 0, cityPercent = 0, cityHigh = 0;
        // Every buurt with dwellings before or after, so a buurt whose dwellings are all demolished shows (without a share).
        foreach (var code in scenario.Keys.Union(baseline.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var after = scenario.GetValueOrDefault(code) ?? [];
            var before = baseline.GetValueOrDefault(code) ?? [];
            var dwellings = after.Values.Sum(s => s.Count);
            var buurtHouseholds = households.TryGetValue(code, out var h) ? h : dwellings * PopulationModel.HouseholdsPerDwelling;
            if (dwellings == 0)
            {
                result.Add(new(code, 0, buurtHouseholds, null, null, null, false, false));
                continue;
            }

            var calibrated = observed.TryGetValue(code, out var share) && before.Count > 0;
            var estimate = Share(after, before, calibrated ? share : null, 1);
            var lower = Share(after, before, calibrated ? share : null, 1 - _uncertainty);
            var upper = Share(after, before, calibrated ? share : null, 1 + _uncertainty);
            var (low, high) = (Math.Min(lower, upper), Math.Max(lower, upper));
            cityHouseholds += buurtHouseholds;
            cityPercent += estimate * buurtHouseholds;
            cityLow += low * buurtHouseholds;
            cityHigh += high * buurtHouseholds;
            var suppressed = buurtHouseholds < MinimumHouseholds;
            result.Add(suppressed
                ? new(code, dwellings, buurtHouseholds, null, null, null, calibrated, true)
                : new(code, dwellings, buurtHouseholds, estimate, low, high, calibrated, false));
        }

        run.Output(SocialPorts.LowIncome, result);
        // A household-weighted mean over every buurt, suppressed ones included: the city's own share, not the mean of what may be shown.
        run.Output(SocialPorts.CityLowIncome, cityHouseholds >= MinimumHouseholds
            ? new CityLowIncomeEstimate(cityHouseholds, cityPercent / cityHouseholds, cityLow / cityHouseholds, cityHigh / cityHouseholds)
            : new CityLowIncomeEstimate(cityHouseholds, null, null, null));
    }

    /// <summary>
    /// The share in a buurt, %, with every rate times <paramref name="rateFactor"/>: the composition share of
    /// <paramref name="after"/>, plus, where <paramref name="observed"/> is known, the residual observed − composition
    /// share of <paramref name="before"/> weighted by the part of <paramref name="after"/>'s dwellings that were already
    /// there. The residual belongs to the existing households (what the rates miss about them), so new dwellings get the
    /// rate of their type and tenure and the baseline reproduces <paramref name="observed"/> exactly. Clamped to 0–100.
    /// </summary>
    private double Share(Dictionary<string, BuildingStock> after, Dictionary<string, BuildingStock> before, double? observed, double rateFactor)
    {
        if (!ReferenceEquals(after, before))
        {
            return ShareOf(after, before, observed, rateFactor);
        }

        var kept = _unchangedShares.GetValue(before, _ => []);
        lock (kept)
        {
            if (kept.TryGetValue((observed, rateFactor), out var share))
            {
                return share;
            }
        }

        var made = ShareOf(after, before, observed, rateFactor);
        lock (kept)
        {
            kept[(observed, rateFactor)] = made;
        }

        return made;
    }

    private double ShareOf(Dictionary<string, BuildingStock> after, Dictionary<string, BuildingStock> before, double? observed, double rateFactor)
    {
        var composition = Composition(after, rateFactor);
        if (observed is not { } share)
        {
            return Math.Clamp(composition, 0, 100);
        }

        var kept = after.Sum(b => before.TryGetValue(b.Key, out var was) ? Math.Min(b.Value.Count, was.Count) : 0);
        var residual = share - Composition(before, rateFactor);
        return Math.Clamp(composition + (residual * kept / after.Values.Sum(s => s.Count)), 0, 100);
    }

    private double Composition(Dictionary<string, BuildingStock> stock, double rateFactor)
    {
        double dwellings = 0, low = 0;
        foreach (var s in stock.Values)
        {
            dwellings += s.Count;
            low += s.RateTimesDwellings;
        }

        return dwellings > 0 ? low / dwellings * rateFactor : 0;
    }

    // Per buurt, per building: its dwellings and Σ dwellings × their low-income rate (%), so the sum over a stock ÷ its dwellings is its composition share.
    private Dictionary<string, Dictionary<string, BuildingStock>> Group(IReadOnlyList<DwellingStock> stock)
    {
        var byBuurt = new Dictionary<string, Dictionary<string, BuildingStock>>(StringComparer.Ordinal);
        foreach (var d in stock)
        {
            if (!byBuurt.TryGetValue(d.Buurtcode, out var buildings))
            {
                byBuurt[d.Buurtcode] = buildings = new Dictionary<string, BuildingStock>(StringComparer.Ordinal);
            }

            var was = buildings.GetValueOrDefault(d.BuildingId);
            buildings[d.BuildingId] = new BuildingStock(was.Count + d.Count, was.RateTimesDwellings + (d.Count * _rates.Percent(d.Type, d.Tenure)));
        }

        return byBuurt;
    }

    private readonly record struct BuildingStock(int Count, double RateTimesDwellings);
}
