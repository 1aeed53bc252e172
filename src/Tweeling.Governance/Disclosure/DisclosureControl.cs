using Tweeling.Domain.Indicators;

namespace Tweeling.Governance.Disclosure;

/// <summary>Why a cell is or is not shown.</summary>
public enum CellStatus
{
    /// <summary>Shown, rounded to the rule's base.</summary>
    Published,

    /// <summary>Hidden because the cell itself fails the threshold or dominance rule (or has no value).</summary>
    PrimarySuppressed,

    /// <summary>Hidden so that a primary-suppressed cell cannot be derived from totals (complementary suppression).</summary>
    SecondarySuppressed,
}

/// <summary>One cell (area) of a protected table.</summary>
/// <param name="AreaCode">The CBS area code.</param>
/// <param name="Value">The value to show: rounded when published, <c>null</c> when suppressed.</param>
/// <param name="Status">Published, or why it is hidden. Only for the engine's own use and tests: an API shows <c>null</c> for both kinds of suppression, so nobody can tell a primary from a complementary one.</param>
public sealed record DisclosedCell(string AreaCode, double? Value, CellStatus Status);

/// <summary>
/// The values of one indicator at one reference date, for every area that has one: the unit that disclosure control
/// protects as a whole. Protecting the whole table (never just the areas a request asked for) is what makes every
/// question about it — one area, one level, all areas — see the same suppression pattern.
/// </summary>
/// <param name="Values">Value per area code; <c>null</c> where the source has none.</param>
/// <param name="Observations">For a mean: the number of observations per area (the rule's observations indicator).</param>
/// <param name="DominancePercent">For a mean: the share (%) of the largest absolute contributions per area (the rule's dominance indicator).</param>
public sealed record DisclosureTable(
    IReadOnlyDictionary<string, double?> Values,
    IReadOnlyDictionary<string, double?>? Observations = null,
    IReadOnlyDictionary<string, double?>? DominancePercent = null);

/// <summary>
/// Statistical disclosure control as CBS practises it (standards.md §4, after CBS "Aanvullende onderzoeksbeschrijving
/// inkomensstatistiek", ch. 5 "Criteria voor onthullingsrisico en betrouwbaarheid", and the Kerncijfers Wijken en
/// Buurten): primary suppression by the threshold and dominance rules, complementary (secondary) suppression within the
/// hierarchy buurt ⊂ wijk ⊂ gemeente, and rounding of what is published. Every output derived from personal data that
/// goes to a caller who may not read the microdata passes through <see cref="Protect"/>.
/// </summary>
public static class DisclosureControl
{
    /// <summary>
    /// Protects <paramref name="table"/> under <paramref name="rule"/>. Areas below the rule's lowest level are left out
    /// entirely; every other area of the table is in the result, published (rounded) or suppressed.
    /// </summary>
    /// <remarks>
    /// <para>Primary suppression. Counts: a cell with fewer than <see cref="DisclosureRule.MinimumGroupSize"/> persons or
    /// households (including zero) is hidden — the threshold rule. Means: a cell with fewer observations than that, or
    /// whose <see cref="DisclosureRule.DominanceContributors"/> largest absolute contributions exceed
    /// <see cref="DisclosureRule.DominanceMaxPercent"/>% of its absolute sum, is hidden — CBS's "≥100 observations" and
    /// "absolute minimum and maximum each ≤30% of the absolute sum" (the (1, 30) dominance rule). A cell without a value,
    /// or without the observation or dominance figures its rule needs, is hidden too: the rule fails closed.</para>
    /// <para>Secondary suppression. Every parent with its children forms one equation, parent = Σ children (for a mean
    /// the additive quantity is the sum, mean × observations). CBS: "at least one related cell is also suppressed, so the
    /// hidden value cannot be recomputed". Repeated to a fixed point over all equations:
    /// (1) an equation with hidden cells but fewer than two that are not known to be empty gets its smallest visible
    /// non-empty child hidden as well (the parent when there is none);
    /// (2) for counts, a published parent whose hidden children leave less than the minimum group size undetermined gets
    /// its next-smallest child hidden too, so the hidden cells together never describe a group below the threshold;
    /// (3) a hidden parent whose hidden sub-areas leave less than that (for a mean: <see cref="MeanProtectionShare"/> of
    /// its sum) undetermined gets its next-smallest sub-area hidden too.
    /// A hidden cell with sub-areas leaves undetermined only what its hidden sub-areas leave undetermined: the rest is the
    /// sum of its published sub-areas. Suppression only grows, so the loop ends. Smallest means the fewest persons or
    /// households, which loses the least information. <see cref="DifferencingAudit"/> proves the result.</para>
    /// <para>Rounding. Published values are rounded to the nearest multiple of <see cref="DisclosureRule.RoundingBase"/>,
    /// half away from zero (CBS: "0–49 shows as 0; 50–149 shows as 100"); each cell is rounded on its own, so — as CBS
    /// warns for the Kerncijfers — published parts need not add up to the published total.</para>
    /// </remarks>
    public static IReadOnlyList<DisclosedCell> Protect(DisclosureRule rule, DisclosureTable table)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(table);
        return ProtectWithForced(rule, table, new HashSet<string>(StringComparer.Ordinal));
    }

    /// <summary>
    /// Protects every period of one indicator together (its tables by reference date) so that the suppression pattern is
    /// the same in all of them: an area hidden in any period is hidden in every period in which it has a cell.
    /// </summary>
    /// <remarks>
    /// <para>Why: each period protected on its own may pick another complement. A cell hidden as a complement in one period
    /// but published in another then leaks to anyone who assumes it did not change between the two (a stock such as a
    /// household count often does not): the published value stands in for the hidden one, and the primary cell follows
    /// by subtraction from the period's totals. With one pattern for all periods every cell that protects another is
    /// hidden in every period, so no period hands out a complement of another.</para>
    /// <para>How: each period is protected with the areas hidden in any period so far forced hidden, and the union of
    /// the hidden areas is taken again, until it no longer grows; within each period secondary suppression runs to its
    /// fixed point from the forced cells, so every period on its own stays protected as <see cref="Protect(DisclosureRule, DisclosureTable)"/>
    /// would protect it. Suppression only grows, so the loop ends.</para>
    /// <para>A new period can hide an area that earlier periods showed: the pattern is decided over the periods published
    /// now, so the older publications of that area stay known to whoever kept them (see docs/privacy.md).</para>
    /// </remarks>
    public static IReadOnlyDictionary<DateOnly, IReadOnlyList<DisclosedCell>> ProtectPeriods(DisclosureRule rule, IReadOnlyDictionary<DateOnly, DisclosureTable> periods)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(periods);
        var hidden = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var protectedPeriods = periods.ToDictionary(p => p.Key, p => ProtectWithForced(rule, p.Value, hidden));
            var before = hidden.Count;
            hidden.UnionWith(protectedPeriods.Values.SelectMany(cells => cells).Where(c => c.Status != CellStatus.Published).Select(c => c.AreaCode));
            if (hidden.Count == before)
            {
                return protectedPeriods;
            }
        }
    }

    /// <summary><see cref="Protect(DisclosureRule, DisclosureTable)"/> with the areas of <paramref name="forced"/> hidden from the start.</summary>
    private static IReadOnlyList<DisclosedCell> ProtectWithForced(DisclosureRule rule, DisclosureTable table, IReadOnlySet<string> forced)
    {
        var areas = table.Values.Keys
            .Where(a => AreaHierarchy.LevelOf(a) is { } level && level >= rule.LowestLevel)
            .Order(StringComparer.Ordinal)
            .ToList();
        var status = areas.ToDictionary(
            a => a,
            a => IsPrimary(rule, table, a) ? CellStatus.PrimarySuppressed : forced.Contains(a) ? CellStatus.SecondarySuppressed : CellStatus.Published,
            StringComparer.Ordinal);
        SuppressComplementary(rule, table, areas, status);
        return [.. areas.Select(a => new DisclosedCell(
            a,
            status[a] == CellStatus.Published ? Round(table.Values[a]!.Value, rule.RoundingBase) : null,
            status[a]))];
    }

    /// <summary>Rounds <paramref name="value"/> to the nearest multiple of <paramref name="roundingBase"/>, half away from zero; a base of 0 rounds nothing.</summary>
    public static double Round(double value, double roundingBase) =>
        roundingBase <= 0 ? value : Math.Round(value / roundingBase, MidpointRounding.AwayFromZero) * roundingBase;

    /// <summary>The share of a hidden mean's sum that secondary suppression keeps undetermined through its hidden sub-areas.</summary>
    public const double MeanProtectionShare = 0.25;

    /// <summary>The additive quantity of a cell: a count, or a mean's absolute sum (mean × observations).</summary>
    internal static double Mass(DisclosureRule rule, DisclosureTable table, string area) => rule.Kind switch
    {
        StatisticKind.Count => table.Values.GetValueOrDefault(area) ?? 0,
        _ => Math.Abs((table.Values.GetValueOrDefault(area) ?? 0) * (table.Observations?.GetValueOrDefault(area) ?? 0)),
    };

    /// <summary>The number of persons or households behind a cell: the count itself, or a mean's observations.</summary>
    internal static double GroupSize(DisclosureRule rule, DisclosureTable table, string area) => rule.Kind switch
    {
        StatisticKind.Count => table.Values.GetValueOrDefault(area) ?? 0,
        _ => table.Observations?.GetValueOrDefault(area) ?? 0,
    };

    private static bool IsPrimary(DisclosureRule rule, DisclosureTable table, string area)
    {
        if (table.Values[area] is null || GroupSize(rule, table, area) < rule.MinimumGroupSize)
        {
            return true;
        }

        return rule.Kind == StatisticKind.Mean
            && (table.Observations?.GetValueOrDefault(area) is null
                || table.DominancePercent?.GetValueOrDefault(area) is not { } dominance
                || dominance > rule.DominanceMaxPercent);
    }

    private static void SuppressComplementary(DisclosureRule rule, DisclosureTable table, List<string> areas, Dictionary<string, CellStatus> status)
    {
        var present = areas.ToHashSet(StringComparer.Ordinal);
        var families = areas
            .Where(a => AreaHierarchy.ParentOf(a) is { } parent && present.Contains(parent))
            .GroupBy(a => AreaHierarchy.ParentOf(a)!, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => g.OrderBy(c => GroupSize(rule, table, c)).ThenBy(c => c, StringComparer.Ordinal).ToList(),
                StringComparer.Ordinal);
        var order = families.Keys.Order(StringComparer.Ordinal).ToList();

        // The part of a hidden cell an attacker cannot pin down: a hidden cell with sub-areas equals its published
        // sub-areas plus its hidden ones, so only the hidden sub-areas' own free parts protect it.
        double FreePart(string area) => families.TryGetValue(area, out var children)
            ? children.Where(c => status[c] != CellStatus.Published).Sum(FreePart)
            : Mass(rule, table, area);

        // How much of a hidden cell must stay undetermined: a group of the minimum size for a count; for a mean a
        // quarter of its sum, a margin over the ±10% the audit demands (DifferencingAudit.MeanProtectionFraction).
        double Required(string area) => rule.Kind == StatisticKind.Count ? rule.MinimumGroupSize : MeanProtectionShare * Mass(rule, table, area);

        bool changed;
        do
        {
            changed = false;
            foreach (var parent in order)
            {
                var children = families[parent];
                var parentHidden = status[parent] != CellStatus.Published;
                var hiddenChildren = children.Where(c => status[c] != CellStatus.Published).ToList();
                if (!parentHidden && hiddenChildren.Count == 0)
                {
                    continue;
                }

                // A hidden cell that is known to be empty (no persons or households) hides nothing: it is 0.
                var unknowns = hiddenChildren.Count(c => FreePart(c) > 0) + (parentHidden ? 1 : 0);
                var tooSmall = parentHidden
                    ? FreePart(parent) < Required(parent)
                    : rule.Kind == StatisticKind.Count && hiddenChildren.Sum(FreePart) < rule.MinimumGroupSize;
                if (unknowns >= 2 && !tooSmall)
                {
                    continue;
                }

                var next = children.FirstOrDefault(c => status[c] == CellStatus.Published && GroupSize(rule, table, c) > 0) ?? (parentHidden ? null : parent);
                if (next is not null)
                {
                    status[next] = CellStatus.SecondarySuppressed;
                    changed = true;
                }
            }
        }
        while (changed);
    }
}
