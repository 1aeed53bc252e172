using Tweeling.Domain.Indicators;

namespace Tweeling.Ingestion.DemoCity;

/// <summary>
/// Neighbourhood statistics derived from the generated buildings. Every buurt value comes from whole-number
/// counts (dwellings, inhabitants, households, …); wijk and gemeente values are the sums of those counts, and
/// percentages are computed from the summed counts, so every aggregate is exact (up to rounding to 0.1%).
/// </summary>
internal static class DemoIndicators
{
    /// <summary>Occupied dwellings per dwelling: about 3.5% of the stock is vacant or a second home.</summary>
    public const double HouseholdsPerDwelling = 0.965;

    private const string Aantal = "aantal";
    private const string Percent = "%";

    // Age shares (0–15, 15–25, 25–45, 45–65, 65+) by zone: the centre young, post-war areas old, suburbs with children.
    private static readonly Dictionary<Zone, double[]> s_ageProfiles = new()
    {
        [Zone.Centrum] = [0.10, 0.17, 0.38, 0.22, 0.13],
        [Zone.Naoorlogs] = [0.14, 0.11, 0.22, 0.26, 0.27],
        [Zone.Buitenwijk] = [0.20, 0.12, 0.25, 0.29, 0.14],
        [Zone.Bedrijventerrein] = [0.12, 0.12, 0.30, 0.28, 0.18],
        [Zone.Landelijk] = [0.15, 0.10, 0.20, 0.32, 0.23],
    };

    private static readonly string[] s_ageCodes = ["leeftijd_0_15", "leeftijd_15_25", "leeftijd_25_45", "leeftijd_45_65", "leeftijd_65_plus"];
    private static readonly string[] s_ageNames = ["0 tot 15 jaar", "15 tot 25 jaar", "25 tot 45 jaar", "45 tot 65 jaar", "65 jaar of ouder"];
    private static readonly string[] s_householdCodes = ["huishoudens_eenpersoons", "huishoudens_zonder_kinderen", "huishoudens_met_kinderen"];
    private static readonly string[] s_householdNames = ["Eenpersoonshuishoudens", "Huishoudens zonder kinderen", "Huishoudens met kinderen"];
    private static readonly string[] s_incomeCodes = ["huishoudens_inkomen_laagste_40", "huishoudens_inkomen_midden_40", "huishoudens_inkomen_hoogste_20"];
    private static readonly string[] s_incomeNames = ["laagste 40%", "middelste 40%", "hoogste 20%"];
    private static readonly string[] s_typeCodes = ["woningen_appartement_pct", "woningen_tussenwoning_pct", "woningen_hoekwoning_pct", "woningen_twee_onder_een_kap_pct", "woningen_vrijstaand_pct"];
    private static readonly string[] s_tenureCodes = ["woningen_koop_pct", "woningen_sociale_huur_pct", "woningen_particuliere_huur_pct"];

    // Layout of an area's count vector.
    private const int Woningen = 0;
    private const int Inwoners = 1;
    private const int Huishoudens = 2;
    private const int Age = 3;
    private const int HouseholdType = Age + 5;
    private const int LowIncome = HouseholdType + 3;
    private const int IncomeClass = LowIncome + 1;
    private const int DwellingType = IncomeClass + 3;
    private const int Tenure = DwellingType + DwellingTypes.Count;
    private const int Length = Tenure + Tenures.Count;

    public static IReadOnlyList<IndicatorDefinition> Definitions()
    {
        const string Source = DemoCatalog.DatasetId;
        const string FromBuildings = "Gegenereerd uit de panden van de demostad; wijk en gemeente zijn sommen van hun buurten.";
        var definitions = new List<IndicatorDefinition>
        {
            new("woningen", "Woningen", "Aantal woningen: de som van het aantal woningen van de panden in het gebied.", Aantal, Source, FromBuildings, false),
            new("inwoners", "Inwoners", "Aantal inwoners.", Aantal, Source,
                "Woningen maal de gemiddelde bezetting naar woningtype (appartement 1,65; tussen- en hoekwoning 2,45; twee-onder-een-kap 2,65; vrijstaand 2,75 personen) "
                + "en eigendom (koop ×1,00; sociale huur ×0,95; particuliere huur ×0,85), per buurt afgerond. " + FromBuildings, true),
            new("huishoudens", "Huishoudens", "Aantal particuliere huishoudens.", Aantal, Source,
                "Woningen maal 0,965 (3,5% leegstand en tweede woningen), per buurt afgerond. " + FromBuildings, true),
        };
        for (var k = 0; k < s_ageCodes.Length; k++)
        {
            definitions.Add(new(s_ageCodes[k], "Inwoners " + s_ageNames[k], "Aantal inwoners van " + s_ageNames[k] + " (CBS-indeling Kerncijfers wijken en buurten).", Aantal, Source,
                "Inwoners verdeeld naar een leeftijdsprofiel per soort wijk (binnenstad jong, naoorlogse wijken oud, buitenwijken met kinderen), bijgesteld naar het aandeel eengezinswoningen; telt op tot het aantal inwoners.", true));
        }

        for (var k = 0; k < s_householdCodes.Length; k++)
        {
            definitions.Add(new(s_householdCodes[k], s_householdNames[k], "Aantal " + s_householdNames[k].ToLowerInvariant() + ".", Aantal, Source,
                "Huishoudens verdeeld naar samenstelling met vaste aandelen per woningtype; telt op tot het aantal huishoudens.", true));
        }

        for (var k = 0; k < s_incomeCodes.Length; k++)
        {
            definitions.Add(new(s_incomeCodes[k], "Huishoudens met inkomen in de " + s_incomeNames[k],
                "Aantal huishoudens met een inkomen in de " + s_incomeNames[k] + " van de landelijke inkomensverdeling (CBS-indeling Kerncijfers wijken en buurten).", Aantal, Source,
                "Huishoudens verdeeld naar inkomensklasse met vaste aandelen per eigendomsvorm (koop 22/46/32%, sociale huur 72/25/3%, particuliere huur 45/40/15%); telt op tot het aantal huishoudens.", true));
        }

        definitions.Add(new("huishoudens_laag_inkomen_pct", "Huishoudens met laag inkomen", "Percentage huishoudens met een laag inkomen.", Percent, Source,
            "Per eigendomsvorm een vast aandeel (koop 3%, particuliere huur 11%, sociale huur 22%) met spreiding per buurt; wijk en gemeente uit de opgetelde aantallen.", true));
        for (var k = 0; k < DwellingTypes.Count; k++)
        {
            definitions.Add(new(s_typeCodes[k], "Woningen: " + DwellingTypes.Names[k], "Percentage van de woningen dat " + DwellingTypes.Names[k] + " is.", Percent, Source,
                "Aandeel in het aantal woningen van de panden; leeg als het gebied geen woningen heeft.", false));
        }

        for (var k = 0; k < Tenures.Count; k++)
        {
            definitions.Add(new(s_tenureCodes[k], "Woningen: " + Tenures.Names[k], "Percentage van de woningen in " + Tenures.Names[k] + ".", Percent, Source,
                "Aandeel in het aantal woningen van de panden; leeg als het gebied geen woningen heeft.", false));
        }

        return definitions;
    }

    public static IReadOnlyList<IndicatorValue> Values(CityLayout layout, Random random, DateOnly date)
    {
        var areas = new List<(string Code, long[] Counts)>();
        var gemeente = new long[Length];
        var buurtCounts = layout.Buurten.Select(b => Counts(b, random)).ToList();
        foreach (var wijk in layout.Wijken)
        {
            var sum = new long[Length];
            for (var b = 0; b < layout.Buurten.Count; b++)
            {
                if (layout.Buurten[b].Wijk == wijk)
                {
                    Add(sum, buurtCounts[b]);
                }
            }

            Add(gemeente, sum);
            areas.Add((wijk.Code, sum));
        }

        areas.Insert(0, (DemoCity.GemeenteCode, gemeente));
        areas.AddRange(layout.Buurten.Select((b, k) => (b.Code, buurtCounts[k])));

        var values = new List<IndicatorValue>();
        void Count(string code, int slot) => values.AddRange(areas.Select(a => new IndicatorValue(code, a.Code, date, a.Counts[slot])));
        void Share(string code, int slot, int of) => values.AddRange(areas.Select(a =>
            new IndicatorValue(code, a.Code, date, a.Counts[of] == 0 ? null : Math.Round(100.0 * a.Counts[slot] / a.Counts[of], 1))));

        Count("woningen", Woningen);
        Count("inwoners", Inwoners);
        Count("huishoudens", Huishoudens);
        for (var k = 0; k < s_ageCodes.Length; k++)
        {
            Count(s_ageCodes[k], Age + k);
        }

        for (var k = 0; k < s_householdCodes.Length; k++)
        {
            Count(s_householdCodes[k], HouseholdType + k);
        }

        for (var k = 0; k < s_incomeCodes.Length; k++)
        {
            Count(s_incomeCodes[k], IncomeClass + k);
        }

        Share("huishoudens_laag_inkomen_pct", LowIncome, Huishoudens);
        for (var k = 0; k < DwellingTypes.Count; k++)
        {
            Share(s_typeCodes[k], DwellingType + k, Woningen);
        }

        for (var k = 0; k < Tenures.Count; k++)
        {
            Share(s_tenureCodes[k], Tenure + k, Woningen);
        }

        return values;
    }

    private static void Add(long[] sum, long[] counts)
    {
        for (var k = 0; k < sum.Length; k++)
        {
            sum[k] += counts[k];
        }
    }

    private static long[] Counts(BuurtArea buurt, Random random)
    {
        var counts = new long[Length];
        var byType = new double[DwellingTypes.Count];
        var byTenure = new double[Tenures.Count];
        for (var t = 0; t < DwellingTypes.Count; t++)
        {
            for (var e = 0; e < Tenures.Count; e++)
            {
                byType[t] += buurt.Dwellings[t, e];
                byTenure[e] += buurt.Dwellings[t, e];
            }
        }

        var dwellings = (long)byType.Sum();
        var inhabitants = (long)Math.Round(buurt.Occupants);
        var households = Math.Min(inhabitants, (long)Math.Round(dwellings * HouseholdsPerDwelling));
        counts[Woningen] = dwellings;
        counts[Inwoners] = inhabitants;
        counts[Huishoudens] = households;
        for (var t = 0; t < DwellingTypes.Count; t++)
        {
            counts[DwellingType + t] = (long)byType[t];
        }

        for (var e = 0; e < Tenures.Count; e++)
        {
            counts[Tenure + e] = (long)byTenure[e];
        }

        // More family houses, more children; always draw the jitter so the random stream does not depend on the data.
        var familyShare = dwellings == 0 ? 0.5 : 1 - (byType[DwellingTypes.Appartement] / dwellings);
        var ages = s_ageProfiles[buurt.Wijk.Zone].Select(p => p * (0.9 + (random.NextDouble() * 0.2))).ToArray();
        ages[0] *= 0.7 + (0.6 * familyShare);
        ages[1] *= 1.2 - (0.4 * familyShare);
        var ageCounts = CityBuilder.LargestRemainder((int)inhabitants, ages);
        for (var k = 0; k < ageCounts.Length; k++)
        {
            counts[Age + k] = ageCounts[k];
        }

        var mix = new double[3];
        for (var t = 0; t < DwellingTypes.Count; t++)
        {
            for (var k = 0; k < 3; k++)
            {
                mix[k] += byType[t] * DwellingTypes.HouseholdMix[t][k];
            }
        }

        var householdCounts = CityBuilder.LargestRemainder((int)households, mix);
        for (var k = 0; k < householdCounts.Length; k++)
        {
            counts[HouseholdType + k] = householdCounts[k];
        }

        var lowShare = 0.0;
        for (var e = 0; e < Tenures.Count; e++)
        {
            lowShare += dwellings == 0 ? 0 : byTenure[e] / dwellings * Tenures.LowIncomeShare[e];
        }

        counts[LowIncome] = (long)Math.Round(households * lowShare * (0.8 + (random.NextDouble() * 0.4)));

        var incomeMix = new double[3];
        for (var e = 0; e < Tenures.Count; e++)
        {
            for (var k = 0; k < 3; k++)
            {
                incomeMix[k] += byTenure[e] * Tenures.IncomeClassShare[e][k];
            }
        }

        var incomeCounts = CityBuilder.LargestRemainder((int)households, incomeMix);
        for (var k = 0; k < incomeCounts.Length; k++)
        {
            counts[IncomeClass + k] = incomeCounts[k];
        }

        return counts;
    }
}
