namespace Tweeling.Domain.Indicators;

/// <summary>What kind of statistic an indicator is; the disclosure rules differ per kind (CBS practice, standards.md §4).</summary>
public enum StatisticKind
{
    /// <summary>A frequency count of persons or households (e.g. households with a payment arrears signal); additive over areas.</summary>
    Count,

    /// <summary>A mean of a magnitude over the persons or households of an area (e.g. mean disposable income); its sum (mean × observations) is additive.</summary>
    Mean,
}

/// <summary>The level of an area in the CBS hierarchy buurt ⊂ wijk ⊂ gemeente.</summary>
public enum AreaLevel
{
    /// <summary>A buurt (neighbourhood, code BU + 8 digits).</summary>
    Buurt,

    /// <summary>A wijk (district, code WK + 6 digits).</summary>
    Wijk,

    /// <summary>A gemeente (municipality, code GM + 4 digits).</summary>
    Gemeente,
}

/// <summary>
/// How the values of an indicator that is derived from personal data are protected before anyone who may not read
/// the underlying microdata sees them. The rule travels with the indicator definition, so it is configured per
/// indicator by whoever publishes it; Governance/Disclosure applies it.
/// </summary>
/// <param name="Kind">Count or mean: decides which of the rules below apply.</param>
/// <param name="MinimumGroupSize">
/// Threshold rule: a cell backed by fewer persons or households than this is suppressed. For a count the value
/// itself is the group; for a mean it is <paramref name="ObservationsIndicator"/>. CBS publishes means only with
/// at least 100 observations (standards.md §4, income statistics rule 3).
/// </param>
/// <param name="RoundingBase">
/// Published values are rounded to the nearest multiple of this (half away from zero, as CBS's "50–149 shows as 100"),
/// e.g. 5 for counts, 100 (euro) for mean incomes; 0 means no rounding.
/// </param>
/// <param name="LowestLevel">
/// Values below this level are never published, e.g. <see cref="AreaLevel.Wijk"/> for counts of early-warning signals:
/// "never show buurt or grid cells that hold individual signals" (standards.md §4, platform defaults).
/// </param>
/// <param name="ObservationsIndicator">For a mean: the (unpublished) indicator holding the number of observations behind each cell.</param>
/// <param name="DominanceIndicator">
/// For a mean: the (unpublished) indicator holding, per cell, the percentage of the cell's absolute sum that its
/// <paramref name="DominanceContributors"/> largest absolute contributions make up.
/// </param>
/// <param name="DominanceContributors">The n of the (n, k) dominance rule; CBS uses n = 1 (the absolute minimum and maximum each).</param>
/// <param name="DominanceMaxPercent">The k of the (n, k) dominance rule; CBS uses 30 (%).</param>
public sealed record DisclosureRule(
    StatisticKind Kind,
    int MinimumGroupSize,
    double RoundingBase,
    AreaLevel LowestLevel = AreaLevel.Buurt,
    string? ObservationsIndicator = null,
    string? DominanceIndicator = null,
    int DominanceContributors = 1,
    double DominanceMaxPercent = 30);
