using System.Globalization;
using Tweeling.Domain.Indicators;
using Tweeling.Governance.Disclosure;

namespace Tweeling.Governance.Tests.Disclosure;

/// <summary>Deterministic area tables for a synthetic gemeente GM9999: wijken with buurten, small cells included on purpose.</summary>
internal static class SyntheticTables
{
    public static readonly DisclosureRule Counts = new(StatisticKind.Count, MinimumGroupSize: 10, RoundingBase: 5);

    /// <summary>A count table: each buurt draws 0–60, one in four drawing below 10; wijken and the gemeente are exact sums.</summary>
    public static DisclosureTable CountTable(int seed, int wijken = 6, int maxBuurten = 7)
    {
        var random = new Random(seed);
        var values = new Dictionary<string, double?>(StringComparer.Ordinal);
        var gemeente = 0.0;
        for (var w = 1; w <= wijken; w++)
        {
            var wijk = 0.0;
            var buurten = random.Next(1, maxBuurten + 1);
            for (var b = 1; b <= buurten; b++)
            {
                double value = random.Next(4) == 0 ? random.Next(0, 10) : random.Next(10, 61);
                values[Code("BU9999", w, b)] = value;
                wijk += value;
            }

            values[Code("WK9999", w)] = wijk;
            gemeente += wijk;
        }

        values["GM9999"] = gemeente;
        return new DisclosureTable(values);
    }

    /// <summary>A mean table: per buurt 40–400 households with mean incomes 25–60 k€ and a dominance share of 2–40%.</summary>
    public static DisclosureTable MeanTable(int seed, int wijken = 5, int maxBuurten = 6)
    {
        var random = new Random(seed);
        var means = new Dictionary<string, double?>(StringComparer.Ordinal);
        var observations = new Dictionary<string, double?>(StringComparer.Ordinal);
        var dominance = new Dictionary<string, double?>(StringComparer.Ordinal);
        double gemeenteSum = 0, gemeenteCount = 0;
        for (var w = 1; w <= wijken; w++)
        {
            double wijkSum = 0, wijkCount = 0;
            var buurten = random.Next(1, maxBuurten + 1);
            for (var b = 1; b <= buurten; b++)
            {
                var code = Code("BU9999", w, b);
                double count = random.Next(40, 401);
                var mean = random.Next(25_000, 60_001);
                means[code] = mean;
                observations[code] = count;
                dominance[code] = random.Next(2, 41);
                wijkSum += mean * count;
                wijkCount += count;
            }

            var wijk = Code("WK9999", w);
            means[wijk] = wijkSum / wijkCount;
            observations[wijk] = wijkCount;
            dominance[wijk] = 5;
            gemeenteSum += wijkSum;
            gemeenteCount += wijkCount;
        }

        means["GM9999"] = gemeenteSum / gemeenteCount;
        observations["GM9999"] = gemeenteCount;
        dominance["GM9999"] = 1;
        return new DisclosureTable(means, observations, dominance);
    }

    /// <summary>The pattern a platform without complementary suppression would publish: primary suppression and rounding only.</summary>
    public static IReadOnlyList<DisclosedCell> PrimaryOnly(DisclosureRule rule, IReadOnlyList<DisclosedCell> protectedCells, DisclosureTable table) =>
        [.. protectedCells.Select(c => c.Status == CellStatus.SecondarySuppressed
            ? new DisclosedCell(c.AreaCode, DisclosureControl.Round(table.Values[c.AreaCode]!.Value, rule.RoundingBase), CellStatus.Published)
            : c)];

    private static string Code(string prefix, params int[] parts) =>
        prefix + string.Concat(parts.Select(p => p.ToString("D2", CultureInfo.InvariantCulture)));
}
