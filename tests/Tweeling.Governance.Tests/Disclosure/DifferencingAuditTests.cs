using Tweeling.Domain.Indicators;
using Tweeling.Governance.Disclosure;

namespace Tweeling.Governance.Tests.Disclosure;

/// <summary>
/// Differencing attacks on protected tables: overlapping areas (a wijk and its buurten), an area minus its sub-areas
/// (the gemeente minus all published wijken), solved exactly as a linear programme per hidden cell.
/// </summary>
public sealed class DifferencingAuditTests
{
    public static TheoryData<int> Seeds => [.. Enumerable.Range(1, 25)];

    [Fact]
    public void The_interval_is_what_the_published_equations_allow()
    {
        // Wijk = a + b + c; wijk shown exactly as 30, b as 10 ± 2 (base 5), a hidden, c hidden.
        AuditCell[] cells =
        [
            new("W", 30, 30, 30, false, 0),
            new("a", 4, 0, double.PositiveInfinity, true, 10),
            new("b", 11, 8, 12, false, 0),
            new("c", 15, 0, double.PositiveInfinity, true, 10),
        ];

        var exposures = DifferencingAudit.Audit(cells, [new AuditEquation("W", ["a", "b", "c"])]).ToDictionary(e => e.Id);

        Assert.Equal(0, exposures["a"].Lower, 6);
        Assert.Equal(22, exposures["a"].Upper, 6);
        Assert.True(exposures["a"].IsProtected);
    }

    [Fact]
    public void A_lone_hidden_cell_is_recovered_exactly_by_subtraction()
    {
        AuditCell[] cells = [new("W", 30, 30, 30, false, 0), new("a", 4, 0, double.PositiveInfinity, true, 10), new("b", 26, 26, 26, false, 0)];

        var exposure = DifferencingAudit.Audit(cells, [new AuditEquation("W", ["a", "b"])]).Single();

        Assert.Equal(4, exposure.Lower, 6);
        Assert.Equal(4, exposure.Upper, 6);
        Assert.False(exposure.IsProtected);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void No_hidden_count_can_be_narrowed_below_the_minimum_group_size(int seed)
    {
        var rule = SyntheticTables.Counts;
        var table = SyntheticTables.CountTable(seed);
        var (cells, equations) = DifferencingAudit.Describe("", rule, table, DisclosureControl.Protect(rule, table));

        var exposed = DifferencingAudit.Audit(cells, equations).Where(e => !e.IsProtected).ToList();

        Assert.True(exposed.Count == 0, string.Join("; ", exposed));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void No_hidden_count_can_be_narrowed_when_nothing_is_rounded(int seed)
    {
        var rule = SyntheticTables.Counts with { RoundingBase = 0 };
        var table = SyntheticTables.CountTable(seed);
        var (cells, equations) = DifferencingAudit.Describe("", rule, table, DisclosureControl.Protect(rule, table));

        var exposed = DifferencingAudit.Audit(cells, equations).Where(e => !e.IsProtected).ToList();

        Assert.True(exposed.Count == 0, string.Join("; ", exposed));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void No_hidden_mean_can_be_narrowed_to_within_ten_percent(int seed)
    {
        var rule = new DisclosureRule(StatisticKind.Mean, 100, 100, ObservationsIndicator: "n", DominanceIndicator: "d");
        var table = SyntheticTables.MeanTable(seed);
        var (cells, equations) = DifferencingAudit.Describe("", rule, table, DisclosureControl.Protect(rule, table));

        var exposed = DifferencingAudit.Audit(cells, equations).Where(e => !e.IsProtected).ToList();

        Assert.True(exposed.Count == 0, string.Join("; ", exposed));
    }

    [Fact]
    public void Without_secondary_suppression_the_area_minus_sub_areas_attack_recovers_hidden_counts_exactly()
    {
        var rule = SyntheticTables.Counts with { RoundingBase = 0 };
        var recovered = Seeds.Select(s => s.Data).SelectMany(seed =>
        {
            var table = SyntheticTables.CountTable(seed);
            var weak = SyntheticTables.PrimaryOnly(rule, DisclosureControl.Protect(rule, table), table);
            var (cells, equations) = DifferencingAudit.Describe("", rule, table, weak);
            return DifferencingAudit.Audit(cells, equations);
        }).ToList();

        Assert.NotEmpty(recovered);
        Assert.Contains(recovered, e => e.Upper - e.Lower < 1e-6 && Math.Abs(e.Lower - e.TrueValue) < 1e-6);
    }

    [Fact]
    public void Without_secondary_suppression_rounding_alone_does_not_protect_every_hidden_count()
    {
        var rule = SyntheticTables.Counts;
        var exposed = Seeds.Select(s => s.Data).SelectMany(seed =>
        {
            var table = SyntheticTables.CountTable(seed);
            var weak = SyntheticTables.PrimaryOnly(rule, DisclosureControl.Protect(rule, table), table);
            var (cells, equations) = DifferencingAudit.Describe("", rule, table, weak);
            return DifferencingAudit.Audit(cells, equations);
        }).Where(e => !e.IsProtected).ToList();

        Assert.NotEmpty(exposed);
    }

    [Fact]
    public void Without_secondary_suppression_a_hidden_mean_is_recovered_from_the_wijk_mean_and_its_other_buurten()
    {
        var rule = new DisclosureRule(StatisticKind.Mean, 100, 0, ObservationsIndicator: "n", DominanceIndicator: "d");
        var exposed = Seeds.Select(s => s.Data).SelectMany(seed =>
        {
            var table = SyntheticTables.MeanTable(seed);
            var weak = SyntheticTables.PrimaryOnly(rule, DisclosureControl.Protect(rule, table), table);
            var (cells, equations) = DifferencingAudit.Describe("", rule, table, weak);
            return DifferencingAudit.Audit(cells, equations);
        }).Where(e => !e.IsProtected).ToList();

        Assert.NotEmpty(exposed);
    }
}
