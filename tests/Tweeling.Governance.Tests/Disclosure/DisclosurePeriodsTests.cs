using Tweeling.Domain.Indicators;
using Tweeling.Governance.Disclosure;

namespace Tweeling.Governance.Tests.Disclosure;

/// <summary>
/// Time slices: periods of one indicator protected together share one suppression pattern, so an attacker who assumes
/// that a cell did not change between two periods gains nothing; protected one by one, the same attacker recovers a
/// hidden cell exactly (the control).
/// </summary>
public sealed class DisclosurePeriodsTests
{
    /// <summary>Published exactly (no rounding), so that an attack that works recovers the cell to the unit.</summary>
    private static readonly DisclosureRule s_exact = SyntheticTables.Counts with { RoundingBase = 0 };

    private static readonly DateOnly s_first = new(2024, 1, 1);
    private static readonly DateOnly s_second = new(2024, 7, 1);

    /// <summary>
    /// One wijk with four buurten. In the first period A (5) is below the threshold and B (40) its complement; in the
    /// second B (5) is below it and C its complement — and C has 50 households in both periods, published in the first.
    /// </summary>
    private static readonly Dictionary<DateOnly, DisclosureTable> s_periods = new()
    {
        [s_first] = Wijk(5, 40, 50, 60),
        [s_second] = Wijk(60, 5, 50, 70),
    };

    [Fact]
    public void Periods_protected_together_hide_the_same_areas_in_every_period()
    {
        var separately = s_periods.ToDictionary(p => p.Key, p => Hidden(DisclosureControl.Protect(s_exact, p.Value)));

        var together = DisclosureControl.ProtectPeriods(s_exact, s_periods).ToDictionary(p => p.Key, p => Hidden(p.Value));

        Assert.NotEqual(separately[s_first], separately[s_second]);
        Assert.Equal(["BU99990101", "BU99990102", "BU99990103"], together[s_first]);
        Assert.Equal(together[s_first], together[s_second]);
    }

    [Fact]
    public void Each_period_protected_together_is_as_safe_on_its_own_as_when_protected_alone()
    {
        foreach (var (date, cells) in DisclosureControl.ProtectPeriods(s_exact, s_periods))
        {
            var (auditCells, equations) = DifferencingAudit.Describe("", s_exact, s_periods[date], cells);

            Assert.All(DifferencingAudit.Audit(auditCells, equations), e => Assert.True(e.IsProtected, e.ToString()));
        }
    }

    [Fact]
    public void Assuming_an_unchanged_cell_recovers_a_hidden_one_from_periods_protected_alone_but_not_together()
    {
        var alone = s_periods.ToDictionary(p => p.Key, p => DisclosureControl.Protect(s_exact, p.Value));
        var together = DisclosureControl.ProtectPeriods(s_exact, s_periods);

        var recovered = Attack(alone).Where(e => !e.IsProtected).ToList();
        var fromTogether = Attack(together);

        // C's value of the first period gives C in the second, and then B (5 households) follows from the wijk's total.
        var exposed = Assert.Single(recovered, e => e.Id == "t2/BU99990102");
        Assert.Equal(5, exposed.Lower, 6);
        Assert.Equal(5, exposed.Upper, 6);
        Assert.NotEmpty(fromTogether);
        Assert.All(fromTogether, e => Assert.True(e.IsProtected, e.ToString()));
    }

    /// <summary>
    /// Both periods audited together, plus what the attacker assumes: every area whose value did not change between the
    /// periods has one value in both (the strongest form of the assumption: right for exactly those areas).
    /// </summary>
    private static IReadOnlyList<CellExposure> Attack(IReadOnlyDictionary<DateOnly, IReadOnlyList<DisclosedCell>> published)
    {
        var (cells1, equations1) = DifferencingAudit.Describe("t1/", s_exact, s_periods[s_first], published[s_first]);
        var (cells2, equations2) = DifferencingAudit.Describe("t2/", s_exact, s_periods[s_second], published[s_second]);
        var unchanged = s_periods[s_first].Values
            .Where(v => s_periods[s_second].Values.GetValueOrDefault(v.Key) == v.Value)
            .Select(v => new AuditEquation("t1/" + v.Key, ["t2/" + v.Key]));
        return DifferencingAudit.Audit([.. cells1, .. cells2], [.. equations1, .. equations2, .. unchanged]);
    }

    private static DisclosureTable Wijk(double a, double b, double c, double d) => new(new Dictionary<string, double?>(StringComparer.Ordinal)
    {
        ["GM9999"] = a + b + c + d,
        ["WK999901"] = a + b + c + d,
        ["BU99990101"] = a,
        ["BU99990102"] = b,
        ["BU99990103"] = c,
        ["BU99990104"] = d,
    });

    private static List<string> Hidden(IReadOnlyList<DisclosedCell> cells) =>
        [.. cells.Where(c => c.Status != CellStatus.Published).Select(c => c.AreaCode).Order(StringComparer.Ordinal)];
}
