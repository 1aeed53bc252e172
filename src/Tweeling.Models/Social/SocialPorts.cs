using Tweeling.Models.Graph;

namespace Tweeling.Models.Social;

/// <summary>
/// The estimated share of low-income households of one buurt (docs/models/sociaal.md). An aggregate of the buurt,
/// never a score of a household; <c>null</c> shares where the buurt has no dwellings or too few households to publish.
/// </summary>
/// <param name="Buurtcode">The CBS buurt code.</param>
/// <param name="Dwellings">Dwellings in the buurt.</param>
/// <param name="Households">Private households, as the population model estimates them.</param>
/// <param name="Percent">Low-income households as % of households (0–100), or <c>null</c> (no dwellings, or suppressed).</param>
/// <param name="LowPercent">The lower end of the uncertainty band, %, or <c>null</c> with <paramref name="Percent"/>.</param>
/// <param name="HighPercent">The upper end of the uncertainty band, %, or <c>null</c> with <paramref name="Percent"/>.</param>
/// <param name="Calibrated">Whether the buurt's observed share calibrated the estimate (otherwise it is composition only).</param>
/// <param name="Suppressed">
/// Whether the buurt has fewer than <see cref="SocialModel.MinimumHouseholds"/> households, so its share is left out
/// (CBS publishes income percentages only over at least 100 households; shared/reference/standards.md §4).
/// </param>
public sealed record BuurtLowIncomeEstimate(
    string Buurtcode, int Dwellings, double Households, double? Percent, double? LowPercent, double? HighPercent, bool Calibrated, bool Suppressed);

/// <summary>The share of low-income households of the whole municipality, over every buurt (suppressed ones included).</summary>
/// <param name="Households">Private households in the municipality.</param>
/// <param name="Percent">Low-income households as % of households, or <c>null</c> when there are fewer than 100 households.</param>
/// <param name="LowPercent">The lower end of the uncertainty band, %.</param>
/// <param name="HighPercent">The upper end of the uncertainty band, %.</param>
public sealed record CityLowIncomeEstimate(double Households, double? Percent, double? LowPercent, double? HighPercent);

/// <summary>The ports of the social model (<see cref="SocialModel"/>, <c>sociaal</c>).</summary>
public static class SocialPorts
{
    /// <summary>The estimated share of low-income households per buurt, with its uncertainty band.</summary>
    public static readonly Port<IReadOnlyList<BuurtLowIncomeEstimate>> LowIncome = new(
        "low-income-share", "%", "Per buurt: estimated low-income households as % of households (shift-share over type and tenure, calibrated on the observed share), with its uncertainty band; suppressed below 100 households.");

    /// <summary>The same for the whole municipality.</summary>
    public static readonly Port<CityLowIncomeEstimate> CityLowIncome = new(
        "low-income-share-city", "%", "The municipality's estimated low-income households as % of households, with its uncertainty band.");
}
