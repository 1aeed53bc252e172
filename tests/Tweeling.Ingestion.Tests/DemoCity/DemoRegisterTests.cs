using Tweeling.Domain.Catalog;
using Tweeling.Domain.Indicators;

namespace Tweeling.Ingestion.Tests.DemoCity;

/// <summary>The synthetic household register: classified as the personal data it stands for, every derived indicator under a disclosure rule.</summary>
[Collection(DemoCityCollection.Name)]
public sealed class DemoRegisterTests(DemoCityFixture fixture)
{
    private static readonly DateOnly s_later = DemoCityFixture.ReferenceDate.AddMonths(6);

    private double Value(string indicator, string area, DateOnly date) =>
        fixture.City.IndicatorValues.Single(v => v.IndicatorCode == indicator && v.AreaCode == area && v.ReferenceDate == date).Value!.Value;

    [Fact]
    public void The_register_is_confidential_and_the_multi_problem_indication_special_category_both_synthetic_with_purposes()
    {
        var register = fixture.City.Datasets.Single(d => d.Id == "demostad-huishoudensregister");
        var multiProblem = fixture.City.Datasets.Single(d => d.Id == "demostad-multiprobleem");

        Assert.Equal(Classification.Confidential, register.Classification);
        Assert.Equal(Classification.SpecialCategory, multiProblem.Classification);
        Assert.All([register, multiProblem], d =>
        {
            Assert.True(d.IsSynthetic);
            Assert.Contains("synthetisch", d.Title, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("beleidsonderzoek", d.Purposes);
            Assert.StartsWith("Synthetisch", d.LegalBasis, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Every_published_register_indicator_has_a_disclosure_rule_and_the_helper_figures_have_none()
    {
        var definitions = fixture.City.Indicators.Where(d => d.SourceDatasetId.StartsWith("demostad-", StringComparison.Ordinal) && d.SourceDatasetId != "demostad-basis").ToList();

        Assert.Equal(6, definitions.Count);
        Assert.All(definitions, d => Assert.True(d.IsPersonalData));
        var mean = definitions.Single(d => d.Code == "register_besteedbaar_inkomen_gemiddeld").Disclosure!;
        Assert.Equal(new DisclosureRule(StatisticKind.Mean, 100, 100, AreaLevel.Buurt, "register_besteedbaar_inkomen_waarnemingen", "register_besteedbaar_inkomen_dominantie", 1, 30), mean);
        Assert.Equal(AreaLevel.Wijk, definitions.Single(d => d.Code == "register_huishoudens_betalingsachterstand").Disclosure!.LowestLevel);
        Assert.Null(definitions.Single(d => d.Code == mean.ObservationsIndicator).Disclosure);
        Assert.Null(definitions.Single(d => d.Code == mean.DominanceIndicator).Disclosure);
    }

    [Fact]
    public void Each_buurt_has_the_open_household_count_and_wijken_and_gemeente_are_sums_at_both_snapshots()
    {
        var buurten = fixture.City.IndicatorValues.Where(v => v.IndicatorCode == "huishoudens" && v.AreaCode.StartsWith("BU", StringComparison.Ordinal)).ToList();
        Assert.All(buurten, b => Assert.Equal(b.Value, Value("register_besteedbaar_inkomen_waarnemingen", b.AreaCode, DemoCityFixture.ReferenceDate)));

        foreach (var date in new[] { DemoCityFixture.ReferenceDate, s_later })
        {
            foreach (var code in new[] { "register_huishoudens_laag_inkomen", "register_huishoudens_betalingsachterstand", "register_huishoudens_multiprobleem" })
            {
                var total = Value(code, "GM9999", date);
                var ofBuurten = buurten.Sum(b => Value(code, b.AreaCode, date));
                Assert.Equal(total, ofBuurten);
                Assert.True(total > 0, $"{code} on {date} is empty");
            }
        }

        Assert.NotEqual(Value("register_huishoudens_betalingsachterstand", "GM9999", DemoCityFixture.ReferenceDate), Value("register_huishoudens_betalingsachterstand", "GM9999", s_later));
        Assert.InRange(Value("register_besteedbaar_inkomen_gemiddeld", "GM9999", DemoCityFixture.ReferenceDate), 30_000, 60_000);
    }

    [Fact]
    public void Some_cells_are_small_or_dominated_so_the_disclosure_rules_have_work_to_do()
    {
        var buurtValues = fixture.City.IndicatorValues.Where(v => v.AreaCode.StartsWith("BU", StringComparison.Ordinal) && v.ReferenceDate == DemoCityFixture.ReferenceDate).ToList();

        Assert.Contains(buurtValues, v => v.IndicatorCode == "register_huishoudens_multiprobleem" && v.Value is > 0 and < 10);
        Assert.Contains(buurtValues, v => v.IndicatorCode == "register_besteedbaar_inkomen_waarnemingen" && v.Value is > 0 and < 100);
        Assert.Contains(buurtValues, v => v.IndicatorCode == "register_besteedbaar_inkomen_dominantie" && v.Value > 30);
    }
}
