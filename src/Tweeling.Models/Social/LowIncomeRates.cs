using Tweeling.Domain.Scenarios;

namespace Tweeling.Models.Social;

/// <summary>
/// The share of low-income households per dwelling type and tenure, in % of households: the "type-specific rates" of
/// the shift-share model (shared/reference/models.md §7; docs/models/sociaal.md).
/// </summary>
public sealed class LowIncomeRates
{
    private readonly double[,] _percent;

    private LowIncomeRates(double[,] percent) => _percent = percent;

    /// <summary>
    /// The default rates: koop 3 %, sociale huur 22 %, particuliere huur 11 % for every dwelling type. These are
    /// assumptions of the order CBS reports (low incomes concentrate in social rent, few in owner-occupation; SCP, De
    /// sociale staat van Nederland 2018, "Wonen") and the rates the demo city draws its households with
    /// (docs/demo-city.md). No open CBS table by type within tenure was found, so the type does not change the rate;
    /// the calibration per buurt absorbs what type adds in the baseline.
    /// </summary>
    public static LowIncomeRates Default { get; } = ByTenure(koop: 3, socialeHuur: 22, particuliereHuur: 11);

    /// <summary>The same rate for every dwelling type of a tenure, in %.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A rate is outside 0–100 or not finite.</exception>
    public static LowIncomeRates ByTenure(double koop, double socialeHuur, double particuliereHuur)
    {
        var types = Enum.GetValues<DwellingType>().Length;
        var tenures = new[] { koop, socialeHuur, particuliereHuur };
        var percent = new double[types, tenures.Length];
        for (var type = 0; type < types; type++)
        {
            for (var tenure = 0; tenure < tenures.Length; tenure++)
            {
                percent[type, tenure] = Checked(tenures[tenure]);
            }
        }

        return new LowIncomeRates(percent);
    }

    /// <summary>Rates per type (rows in <see cref="DwellingType"/> order) and tenure (columns in <see cref="Tenure"/> order), in %.</summary>
    /// <exception cref="ArgumentException">The table is not 5 × 3, or a rate is outside 0–100.</exception>
    public static LowIncomeRates ByTypeAndTenure(double[,] percent)
    {
        ArgumentNullException.ThrowIfNull(percent);
        if (percent.GetLength(0) != Enum.GetValues<DwellingType>().Length || percent.GetLength(1) != Enum.GetValues<Tenure>().Length)
        {
            throw new ArgumentException("The rates need one row per dwelling type (5) and one column per tenure (3).", nameof(percent));
        }

        var copy = (double[,])percent.Clone();
        foreach (var rate in copy)
        {
            Checked(rate);
        }

        return new LowIncomeRates(copy);
    }

    /// <summary>The share of low-income households in a dwelling of <paramref name="type"/> and <paramref name="tenure"/>, %.</summary>
    public double Percent(DwellingType type, Tenure tenure) => _percent[(int)type, (int)tenure];

    private static double Checked(double rate) =>
        double.IsFinite(rate) && rate is >= 0 and <= 100 ? rate : throw new ArgumentOutOfRangeException(nameof(rate), rate, "A low-income rate is a percentage from 0 to 100.");
}
