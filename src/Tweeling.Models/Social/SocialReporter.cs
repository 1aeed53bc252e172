using Tweeling.Models.Graph;
using Tweeling.Models.Results;

namespace Tweeling.Models.Social;

/// <summary>
/// The indicators of the social model (<c>sociaal</c>): the estimated share of low-income households per buurt and for
/// the municipality, with the lower and upper ends of its uncertainty band, so the uncertainty is shown beside the value
/// (shared/reference/models.md §7). No grid: income is reported for areas of at least 100 households only.
/// </summary>
public sealed class SocialReporter : IIndicatorReporter
{
    private const string Reason = "De buurt begint bij het waargenomen aandeel; het effect van nieuwe woningen rust op aangenomen percentages per eigendom (±50 %, docs/models/sociaal.md).";

    /// <summary>The estimated share of low-income households.</summary>
    public static readonly ResultIndicator LowIncome = new(
        "huishoudens-laag-inkomen", "Huishoudens met een laag inkomen", ImpactDomain.Sociaal, "%", Desirability.Neutral, SocialModel.ModelId, Certainty.Middel, Reason);

    /// <summary>The lower end of its uncertainty band.</summary>
    public static readonly ResultIndicator LowIncomeLower = new(
        "huishoudens-laag-inkomen-ondergrens", "Huishoudens met een laag inkomen (ondergrens)", ImpactDomain.Sociaal, "%", Desirability.Neutral, SocialModel.ModelId, Certainty.Middel, Reason);

    /// <summary>The upper end of its uncertainty band.</summary>
    public static readonly ResultIndicator LowIncomeUpper = new(
        "huishoudens-laag-inkomen-bovengrens", "Huishoudens met een laag inkomen (bovengrens)", ImpactDomain.Sociaal, "%", Desirability.Neutral, SocialModel.ModelId, Certainty.Middel, Reason);

    /// <inheritdoc />
    /// <remarks>
    /// Neutral on purpose: more low-income households in a buurt (say, after building social rent) is a change to report,
    /// not a loss to colour red; judging it would turn a needs signal into a neighbourhood label.
    /// </remarks>
    public IReadOnlyList<ResultIndicator> Indicators { get; } = [LowIncome, LowIncomeLower, LowIncomeUpper];

    /// <inheritdoc />
    public IReadOnlyList<AreaValue> Areas(GraphRun run, string municipalityCode)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentException.ThrowIfNullOrWhiteSpace(municipalityCode);
        var buurten = run.Value(SocialPorts.LowIncome);
        var city = run.Value(SocialPorts.CityLowIncome);
        var values = new List<AreaValue>((buurten.Count + 1) * Indicators.Count);
        foreach (var b in buurten)
        {
            values.Add(new(LowIncome.Id, b.Buurtcode, b.Percent));
            values.Add(new(LowIncomeLower.Id, b.Buurtcode, b.LowPercent));
            values.Add(new(LowIncomeUpper.Id, b.Buurtcode, b.HighPercent));
        }

        values.Add(new(LowIncome.Id, municipalityCode, city.Percent));
        values.Add(new(LowIncomeLower.Id, municipalityCode, city.LowPercent));
        values.Add(new(LowIncomeUpper.Id, municipalityCode, city.HighPercent));
        return values;
    }

    /// <inheritdoc />
    public IReadOnlyList<GridLayer> Grids(GraphRun run) => [];
}
