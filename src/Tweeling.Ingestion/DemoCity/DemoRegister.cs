using Tweeling.Domain.Catalog;
using Tweeling.Domain.Indicators;
using static System.FormattableString;

namespace Tweeling.Ingestion.DemoCity;

/// <summary>
/// A synthetic household register of the demo city — disposable income, early-warning signals of payment arrears
/// (vroegsignalering, Wgs) and a multi-problem indication — from which indicators per buurt, wijk and gemeente are
/// derived. Everything is invented and labelled synthetic, but it is treated as the personal data it stands for: the
/// datasets are confidential and special-category, and the public sees the indicators only through disclosure control
/// (each definition carries its <see cref="DisclosureRule"/>).
/// </summary>
/// <remarks>
/// The households are drawn one by one and only their aggregates are kept, so generation stays linear and small in
/// memory at any scale; the register's microdata is never written anywhere. Each buurt has exactly the households of
/// the open <c>huishoudens</c> indicator, so the observation counts behind the means are public knowledge — the
/// strongest attacker the differencing tests assume. Two snapshots: the city's reference date and six months later.
/// </remarks>
internal static class DemoRegister
{
    /// <summary>The register of incomes and payment-arrears signals.</summary>
    public const string RegisterDatasetId = "demostad-huishoudensregister";

    /// <summary>The multi-problem indication: it rests on care and youth-care data (GDPR art. 9), so special category.</summary>
    public const string MultiProblemDatasetId = "demostad-multiprobleem";

    public const string LowIncome = "register_huishoudens_laag_inkomen";
    public const string Arrears = "register_huishoudens_betalingsachterstand";
    public const string MultiProblem = "register_huishoudens_multiprobleem";
    public const string MeanIncome = "register_besteedbaar_inkomen_gemiddeld";
    public const string IncomeObservations = "register_besteedbaar_inkomen_waarnemingen";
    public const string IncomeDominance = "register_besteedbaar_inkomen_dominantie";

    /// <summary>Disposable household income (euro a year) below which a household counts as low-income here; a synthetic stand-in for CBS's low-income threshold.</summary>
    public const double LowIncomeThreshold = 18_000;

    /// <summary>Months between the two snapshots.</summary>
    public const int MonthsBetweenSnapshots = 6;

    /// <summary>The register's purposes: what the access policy lets a role with a matching stated purpose read it for.</summary>
    public static readonly IReadOnlyList<string> RegisterPurposes = ["schuldhulpverlening", "armoedebeleid", "beleidsonderzoek"];

    /// <summary>The multi-problem indication's purposes.</summary>
    public static readonly IReadOnlyList<string> MultiProblemPurposes = ["integrale-hulpverlening", "beleidsonderzoek"];

    public static IReadOnlyList<Dataset> Datasets(DemoCityOptions options)
    {
        var agent = new Agent("Tweeling demostadgenerator", "urn:tweeling:demostad-generator");
        var contact = new ContactPoint("Tweeling-project", "demostad@tweeling.example");
        var modified = new DateTimeOffset(options.ReferenceDate.AddMonths(MonthsBetweenSnapshots).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var lineage = Invariant($"Synthetisch gegenereerd door de Tweeling-demostadgenerator (DemoRegister) met seed {options.Seed} en schaal {options.Scale}, ")
            + Invariant($"peildata {options.ReferenceDate:yyyy-MM-dd} en {options.ReferenceDate.AddMonths(MonthsBetweenSnapshots):yyyy-MM-dd}; ")
            + "per buurt evenveel huishoudens als de open indicator 'huishoudens'. Alleen aggregaten per buurt, wijk en gemeente worden opgeslagen; "
            + "het publiek ziet ze alleen na onthullingsbeheersing (docs/privacy.md).";
        return
        [
            new Dataset(
                RegisterDatasetId,
                "Demostad (synthetisch): huishoudensregister met inkomen en signalen van betalingsachterstanden",
                "Synthetisch register van huishoudens met besteedbaar inkomen en vroegsignalen van betalingsachterstanden (huur, energie, water, zorgverzekering). "
                + "Verzonnen; behandeld als de persoonsgegevens waar het voor staat.",
                agent,
                agent,
                contact,
                [CatalogVocabulary.ThemeSociety],
                Classification.Confidential,
                "Synthetisch. Staat model voor: Wet gemeentelijke schuldhulpverlening art. 3 en 4a (vroegsignalering) en AVG art. 6 lid 1 sub e.",
                RegisterPurposes,
                CatalogVocabulary.LicenseCc0,
                modified,
                CatalogVocabulary.FrequencyIrregular,
                DemoCity.GemeenteCode,
                lineage,
                IsSynthetic: true),
            new Dataset(
                MultiProblemDatasetId,
                "Demostad (synthetisch): huishoudens met meervoudige problematiek",
                "Synthetische indicatie per huishouden van samenloop van schulden, laag inkomen en zorg (Wmo, Jeugdwet). Verzonnen; "
                + "behandeld als bijzondere persoonsgegevens (gezondheid).",
                agent,
                agent,
                contact,
                [CatalogVocabulary.ThemeSociety],
                Classification.SpecialCategory,
                "Synthetisch. Staat model voor: Wmo 2015 art. 5.1.1, Jeugdwet art. 7.4.0 en AVG art. 9 lid 2 sub g.",
                MultiProblemPurposes,
                CatalogVocabulary.LicenseCc0,
                modified,
                CatalogVocabulary.FrequencyIrregular,
                DemoCity.GemeenteCode,
                lineage,
                IsSynthetic: true),
        ];
    }

    public static IReadOnlyList<IndicatorDefinition> Definitions()
    {
        const string Method = "Afgeleid uit het synthetische huishoudensregister van de demostad; wijk en gemeente uit dezelfde huishoudens.";
        return
        [
            new(LowIncome, "Huishoudens met laag inkomen (register)",
                Invariant($"Aantal huishoudens met een besteedbaar inkomen onder {LowIncomeThreshold:0} euro per jaar."), "aantal", RegisterDatasetId, Method, true,
                // CBS income statistics rule 1: counts always rounded to hundreds (0–49 shows as 0); no suppression needed.
                new DisclosureRule(StatisticKind.Count, MinimumGroupSize: 0, RoundingBase: 100)),
            new(Arrears, "Huishoudens met een signaal van betalingsachterstand (register)",
                "Aantal huishoudens met ten minste één vroegsignaal (huur, energie, water, zorgverzekering) op de peildatum.", "aantal", RegisterDatasetId, Method, true,
                // Platform default: never a buurt that holds individual signals; threshold 10, counts rounded to 5.
                new DisclosureRule(StatisticKind.Count, MinimumGroupSize: 10, RoundingBase: 5, LowestLevel: AreaLevel.Wijk)),
            new(MultiProblem, "Huishoudens met meervoudige problematiek (register)",
                "Aantal huishoudens met samenloop van schulden, laag inkomen en zorg.", "aantal", MultiProblemDatasetId, Method, true,
                new DisclosureRule(StatisticKind.Count, MinimumGroupSize: 10, RoundingBase: 5)),
            new(MeanIncome, "Gemiddeld besteedbaar inkomen per huishouden (register)",
                "Gemiddeld besteedbaar huishoudensinkomen in euro per jaar.", "euro", RegisterDatasetId, Method, true,
                // CBS income statistics rule 3: ≥100 observations, absolute minimum and maximum each ≤30% of the absolute sum.
                new DisclosureRule(StatisticKind.Mean, MinimumGroupSize: 100, RoundingBase: 100,
                    ObservationsIndicator: IncomeObservations, DominanceIndicator: IncomeDominance, DominanceContributors: 1, DominanceMaxPercent: 30)),
            new(IncomeObservations, "Waarnemingen besteedbaar inkomen (register, niet openbaar)",
                "Aantal huishoudens achter het gemiddelde inkomen; nodig voor de drempelregel.", "aantal", RegisterDatasetId, Method, true),
            new(IncomeDominance, "Dominantie besteedbaar inkomen (register, niet openbaar)",
                "Het grootste absolute inkomen (positief of negatief) als percentage van de som van de absolute inkomens; nodig voor de dominantieregel.", "%", RegisterDatasetId, Method, true),
        ];
    }

    /// <summary>Draws the households of every buurt and returns the six indicators for both snapshots, for every buurt, wijk and the gemeente.</summary>
    /// <param name="layout">The city's wijken and buurten.</param>
    /// <param name="baseValues">The city's open indicators: <c>huishoudens</c> and <c>huishoudens_laag_inkomen_pct</c> per buurt set size and income level.</param>
    /// <param name="random">The register's own seeded stream.</param>
    /// <param name="referenceDate">The first snapshot's date.</param>
    public static IReadOnlyList<IndicatorValue> Values(CityLayout layout, IReadOnlyList<IndicatorValue> baseValues, Random random, DateOnly referenceDate)
    {
        var households = new Dictionary<string, double>(StringComparer.Ordinal);
        var lowShares = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var value in baseValues)
        {
            if (value.IndicatorCode == "huishoudens")
            {
                households[value.AreaCode] = value.Value ?? 0;
            }
            else if (value.IndicatorCode == "huishoudens_laag_inkomen_pct")
            {
                lowShares[value.AreaCode] = (value.Value ?? 0) / 100;
            }
        }

        var tallies = new[] { new Dictionary<string, Tally>(StringComparer.Ordinal), new Dictionary<string, Tally>(StringComparer.Ordinal) };
        foreach (var buurt in layout.Buurten)
        {
            var now = new Tally();
            var later = new Tally();
            var lowShare = lowShares.GetValueOrDefault(buurt.Code);
            for (var h = 0; h < (int)households.GetValueOrDefault(buurt.Code); h++)
            {
                var household = Household.Draw(random, lowShare);
                now.Add(household);
                later.Add(household.SixMonthsLater(random, lowShare));
            }

            tallies[0][buurt.Code] = now;
            tallies[1][buurt.Code] = later;
        }

        var values = new List<IndicatorValue>();
        for (var snapshot = 0; snapshot < 2; snapshot++)
        {
            var date = referenceDate.AddMonths(snapshot * MonthsBetweenSnapshots);
            var byArea = tallies[snapshot];
            var gemeente = new Tally();
            foreach (var wijk in layout.Wijken)
            {
                var sum = new Tally();
                foreach (var buurt in layout.Buurten.Where(b => b.Wijk == wijk))
                {
                    sum.Add(byArea[buurt.Code]);
                }

                byArea[wijk.Code] = sum;
                gemeente.Add(sum);
            }

            byArea[DemoCity.GemeenteCode] = gemeente;
            foreach (var (area, tally) in byArea.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                values.Add(new(LowIncome, area, date, tally.LowIncome));
                values.Add(new(Arrears, area, date, tally.Arrears));
                values.Add(new(MultiProblem, area, date, tally.MultiProblem));
                values.Add(new(MeanIncome, area, date, tally.Count == 0 ? null : Math.Round(tally.IncomeSum / tally.Count, 2)));
                values.Add(new(IncomeObservations, area, date, tally.Count));
                values.Add(new(IncomeDominance, area, date, tally.AbsoluteSum == 0 ? null : Math.Round(100 * tally.LargestAbsolute / tally.AbsoluteSum, 3)));
            }
        }

        return values;
    }

    /// <summary>One synthetic household: disposable income (euro a year) and its flags.</summary>
    private readonly record struct Household(double Income, bool IsLow, bool HasArrears, bool IsMultiProblem)
    {
        public static Household Draw(Random random, double lowShare)
        {
            var isLow = random.NextDouble() < lowShare;
            var income = DrawIncome(random, isLow);
            var arrears = random.NextDouble() < (isLow ? 0.10 : 0.012);
            return new Household(income, income < LowIncomeThreshold && income >= 0, arrears, MultiProblemDraw(random, isLow, arrears));
        }

        /// <summary>Half a year on: incomes drift a little, a tenth of households change income level, about half the arrears are resolved.</summary>
        public Household SixMonthsLater(Random random, double lowShare)
        {
            var income = random.NextDouble() < 0.1 ? DrawIncome(random, random.NextDouble() < lowShare) : Income * Math.Exp(0.03 * Normal(random));
            var isLow = income < LowIncomeThreshold && income >= 0;
            var arrears = HasArrears ? random.NextDouble() < 0.55 : random.NextDouble() < (isLow ? 0.06 : 0.008);
            var multi = IsMultiProblem ? random.NextDouble() < 0.85 : MultiProblemDraw(random, isLow, arrears) && random.NextDouble() < 0.3;
            return new Household(income, isLow, arrears, multi);
        }

        /// <summary>
        /// Low incomes spread over 9,000–18,000; others log-normal around 40,000; one in a thousand a top income (about
        /// 15 times as much) and three in a thousand a loss (self-employed), which is what the dominance rule is for.
        /// </summary>
        private static double DrawIncome(Random random, bool isLow)
        {
            var u = random.NextDouble();
            return u switch
            {
                < 0.001 => 600_000 * (0.5 + random.NextDouble()),
                < 0.004 => -5_000 - (55_000 * random.NextDouble()),
                _ when isLow => 9_000 + (9_000 * random.NextDouble()),
                _ => LowIncomeThreshold + (24_000 * Math.Exp(0.45 * Normal(random))),
            };
        }

        private static bool MultiProblemDraw(Random random, bool isLow, bool arrears) =>
            random.NextDouble() < (isLow && arrears ? 0.30 : isLow ? 0.02 : 0.002);

        /// <summary>A standard normal draw (Box–Muller).</summary>
        private static double Normal(Random random) =>
            Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
    }

    /// <summary>What an area's indicators are computed from.</summary>
    private sealed class Tally
    {
        public int Count { get; private set; }

        public int LowIncome { get; private set; }

        public int Arrears { get; private set; }

        public int MultiProblem { get; private set; }

        public double IncomeSum { get; private set; }

        public double AbsoluteSum { get; private set; }

        public double LargestAbsolute { get; private set; }

        public void Add(Household household)
        {
            Count++;
            LowIncome += household.IsLow ? 1 : 0;
            Arrears += household.HasArrears ? 1 : 0;
            MultiProblem += household.IsMultiProblem ? 1 : 0;
            IncomeSum += household.Income;
            AbsoluteSum += Math.Abs(household.Income);
            LargestAbsolute = Math.Max(LargestAbsolute, Math.Abs(household.Income));
        }

        public void Add(Tally other)
        {
            Count += other.Count;
            LowIncome += other.LowIncome;
            Arrears += other.Arrears;
            MultiProblem += other.MultiProblem;
            IncomeSum += other.IncomeSum;
            AbsoluteSum += other.AbsoluteSum;
            LargestAbsolute = Math.Max(LargestAbsolute, other.LargestAbsolute);
        }
    }
}
