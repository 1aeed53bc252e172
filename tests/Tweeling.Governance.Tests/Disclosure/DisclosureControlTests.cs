using Tweeling.Domain.Indicators;
using Tweeling.Governance.Disclosure;

namespace Tweeling.Governance.Tests.Disclosure;

public sealed class DisclosureControlTests
{
    private static readonly DisclosureRule s_counts = SyntheticTables.Counts;
    private static readonly DisclosureRule s_means = new(StatisticKind.Mean, 100, 100, ObservationsIndicator: "n", DominanceIndicator: "d");

    private static DisclosureTable Table(params (string Area, double? Value)[] cells) =>
        new(cells.ToDictionary(c => c.Area, c => c.Value, StringComparer.Ordinal));

    private static Dictionary<string, DisclosedCell> ByArea(IReadOnlyList<DisclosedCell> cells) =>
        cells.ToDictionary(c => c.AreaCode, StringComparer.Ordinal);

    [Theory]
    [InlineData("BU99990102", AreaLevel.Buurt, "WK999901")]
    [InlineData("WK999901", AreaLevel.Wijk, "GM9999")]
    [InlineData("GM9999", AreaLevel.Gemeente, null)]
    public void The_hierarchy_is_read_from_CBS_area_codes(string code, AreaLevel level, string? parent)
    {
        Assert.Equal(level, AreaHierarchy.LevelOf(code));
        Assert.Equal(parent, AreaHierarchy.ParentOf(code));
    }

    [Theory]
    [InlineData("BU9999010")]
    [InlineData("WK99990A")]
    [InlineData("XX9999")]
    [InlineData("")]
    public void A_code_that_is_not_a_CBS_area_code_has_no_level(string code) => Assert.Null(AreaHierarchy.LevelOf(code));

    [Theory]
    [InlineData(12, 5, 10)]
    [InlineData(12.5, 5, 15)]
    [InlineData(49, 100, 0)]
    [InlineData(50, 100, 100)]
    [InlineData(149, 100, 100)]
    [InlineData(37_449.9, 100, 37_400)]
    [InlineData(7.3, 0, 7.3)]
    public void Rounding_is_to_the_nearest_multiple_half_away_from_zero_as_CBS_shows_50_to_149_as_100(double value, double roundingBase, double expected) =>
        Assert.Equal(expected, DisclosureControl.Round(value, roundingBase));

    [Fact]
    public void Counts_below_the_minimum_group_size_are_suppressed_and_the_rest_rounded()
    {
        var cells = ByArea(DisclosureControl.Protect(s_counts, Table(("WK999901", 9), ("WK999902", 0), ("WK999903", 10), ("WK999904", 23))));

        Assert.Equal(CellStatus.PrimarySuppressed, cells["WK999901"].Status);
        Assert.Equal(CellStatus.PrimarySuppressed, cells["WK999902"].Status);
        Assert.Null(cells["WK999901"].Value);
        Assert.Equal(10, cells["WK999903"].Value);
        Assert.Equal(25, cells["WK999904"].Value);
    }

    [Fact]
    public void A_mean_needs_100_observations_and_no_contribution_above_30_percent()
    {
        var table = new DisclosureTable(
            new Dictionary<string, double?> { ["WK999901"] = 41_234, ["WK999902"] = 38_000, ["WK999903"] = 52_000, ["WK999904"] = 45_049, ["WK999905"] = 30_000 },
            new Dictionary<string, double?> { ["WK999901"] = 250, ["WK999902"] = 99, ["WK999903"] = 400, ["WK999904"] = 300 },
            new Dictionary<string, double?> { ["WK999901"] = 30, ["WK999902"] = 5, ["WK999903"] = 31, ["WK999905"] = 4 });

        var cells = ByArea(DisclosureControl.Protect(s_means, table));

        Assert.Equal(41_200, cells["WK999901"].Value);
        Assert.Equal(CellStatus.PrimarySuppressed, cells["WK999902"].Status);
        Assert.Equal(CellStatus.PrimarySuppressed, cells["WK999903"].Status);
        Assert.Equal(CellStatus.PrimarySuppressed, cells["WK999904"].Status);
        Assert.Equal(CellStatus.PrimarySuppressed, cells["WK999905"].Status);
    }

    [Fact]
    public void A_lone_suppressed_buurt_takes_its_smallest_sibling_with_it()
    {
        var cells = ByArea(DisclosureControl.Protect(s_counts, Table(
            ("WK999901", 93), ("BU99990101", 4), ("BU99990102", 40), ("BU99990103", 21), ("BU99990104", 28))));

        Assert.Equal(CellStatus.PrimarySuppressed, cells["BU99990101"].Status);
        Assert.Equal(CellStatus.SecondarySuppressed, cells["BU99990103"].Status);
        Assert.Equal(CellStatus.Published, cells["BU99990102"].Status);
        Assert.Equal(CellStatus.Published, cells["BU99990104"].Status);
        Assert.Equal(95, cells["WK999901"].Value);
    }

    [Fact]
    public void Hidden_siblings_that_together_form_a_group_below_the_threshold_take_a_third_with_them()
    {
        var cells = ByArea(DisclosureControl.Protect(s_counts, Table(
            ("WK999901", 76), ("BU99990101", 3), ("BU99990102", 2), ("BU99990103", 30), ("BU99990104", 41))));

        Assert.Equal(CellStatus.SecondarySuppressed, cells["BU99990103"].Status);
        Assert.Equal(CellStatus.Published, cells["BU99990104"].Status);
    }

    [Fact]
    public void A_small_wijk_with_one_small_buurt_needs_a_hidden_sibling_wijk_which_needs_a_hidden_buurt_in_turn()
    {
        var cells = ByArea(DisclosureControl.Protect(s_counts, Table(
            ("GM9999", 87), ("WK999901", 7), ("BU99990101", 7), ("WK999902", 30), ("BU99990201", 30), ("WK999903", 50), ("BU99990301", 50))));

        Assert.Equal(CellStatus.PrimarySuppressed, cells["WK999901"].Status);
        Assert.Equal(CellStatus.SecondarySuppressed, cells["WK999902"].Status);
        Assert.Equal(CellStatus.SecondarySuppressed, cells["BU99990201"].Status);
        Assert.Equal(CellStatus.Published, cells["WK999903"].Status);
        Assert.Equal(85, cells["GM9999"].Value);
    }

    [Fact]
    public void A_hidden_empty_buurt_protects_nothing_so_a_lone_small_mean_takes_a_non_empty_sibling_with_it()
    {
        var table = new DisclosureTable(
            new Dictionary<string, double?> { ["WK999901"] = 40_000, ["BU99990101"] = 35_000, ["BU99990102"] = null, ["BU99990103"] = 41_000, ["BU99990104"] = 39_000 },
            new Dictionary<string, double?> { ["WK999901"] = 640, ["BU99990101"] = 40, ["BU99990102"] = 0, ["BU99990103"] = 250, ["BU99990104"] = 350 },
            new Dictionary<string, double?> { ["WK999901"] = 2, ["BU99990101"] = 10, ["BU99990103"] = 5, ["BU99990104"] = 4 });

        var cells = ByArea(DisclosureControl.Protect(s_means, table));

        Assert.Equal(CellStatus.PrimarySuppressed, cells["BU99990101"].Status);
        Assert.Equal(CellStatus.PrimarySuppressed, cells["BU99990102"].Status);
        Assert.Equal(CellStatus.SecondarySuppressed, cells["BU99990103"].Status);
        Assert.Equal(CellStatus.Published, cells["BU99990104"].Status);
    }

    [Fact]
    public void A_hidden_wijk_mean_whose_hidden_buurten_leave_too_little_undetermined_hides_more_buurten()
    {
        string[] areas = ["GM9999", "WK999901", "WK999902", "BU99990101", "BU99990102", "BU99990103", "BU99990104", "BU99990201"];
        double[] observations = [1_500, 1_000, 500, 50, 120, 330, 500, 500];
        double[] dominance = [1, 31, 1, 5, 5, 5, 5, 5];
        var table = new DisclosureTable(
            areas.ToDictionary(a => a, _ => (double?)40_000),
            areas.Select((a, i) => (a, i)).ToDictionary(p => p.a, p => (double?)observations[p.i]),
            areas.Select((a, i) => (a, i)).ToDictionary(p => p.a, p => (double?)dominance[p.i]));

        var cells = ByArea(DisclosureControl.Protect(s_means, table));

        // WK999901 is dominated; its hidden buurten must carry at least a quarter of its sum: 50 + 120 + 330 observations of 1,000.
        Assert.Equal(CellStatus.PrimarySuppressed, cells["WK999901"].Status);
        Assert.Equal(CellStatus.PrimarySuppressed, cells["BU99990101"].Status);
        Assert.Equal(CellStatus.SecondarySuppressed, cells["BU99990102"].Status);
        Assert.Equal(CellStatus.SecondarySuppressed, cells["BU99990103"].Status);
        Assert.Equal(CellStatus.Published, cells["BU99990104"].Status);
    }

    [Fact]
    public void Areas_below_the_lowest_level_are_left_out_entirely()
    {
        var rule = s_counts with { LowestLevel = AreaLevel.Wijk };

        var cells = DisclosureControl.Protect(rule, Table(("GM9999", 60), ("WK999901", 60), ("BU99990101", 60)));

        Assert.Equal(["GM9999", "WK999901"], cells.Select(c => c.AreaCode));
    }

    [Fact]
    public void A_cell_without_a_value_or_without_the_figures_its_rule_needs_is_suppressed()
    {
        Assert.Equal(CellStatus.PrimarySuppressed, DisclosureControl.Protect(s_counts, Table(("GM9999", null))).Single().Status);
        var noDominance = new DisclosureTable(new Dictionary<string, double?> { ["GM9999"] = 40_000 }, new Dictionary<string, double?> { ["GM9999"] = 5_000 });
        Assert.Equal(CellStatus.PrimarySuppressed, DisclosureControl.Protect(s_means, noDominance).Single().Status);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Every_family_has_no_or_at_least_two_hidden_cells_after_protection(int seed)
    {
        var cells = ByArea(DisclosureControl.Protect(s_counts, SyntheticTables.CountTable(seed)));

        foreach (var family in cells.Keys.Where(a => AreaHierarchy.ParentOf(a) is not null).GroupBy(a => AreaHierarchy.ParentOf(a)!))
        {
            var hidden = family.Count(a => cells[a].Value is null) + (cells[family.Key].Value is null ? 1 : 0);
            Assert.True(hidden != 1, $"{family.Key} has exactly one hidden cell in its equation");
        }
    }
}
