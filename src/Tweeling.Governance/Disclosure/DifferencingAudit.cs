using Tweeling.Domain.Indicators;

namespace Tweeling.Governance.Disclosure;

/// <summary>What an attacker knows about one cell: its true (additive) value lies in [<paramref name="Lower"/>, <paramref name="Upper"/>].</summary>
/// <param name="Id">A unique id, e.g. <c>2025-01-01/BU99990101</c>.</param>
/// <param name="TrueValue">The unprotected value (known to the auditor, not to the attacker).</param>
/// <param name="Lower">The attacker's lower bound from what is published: the rounding interval, or 0 for a hidden cell.</param>
/// <param name="Upper">The attacker's upper bound; +∞ for a hidden cell.</param>
/// <param name="Suppressed">Whether the cell is hidden, so the audit must show it stays undetermined.</param>
/// <param name="RequiredWidth">How wide the attacker's interval for a hidden cell must stay at least.</param>
public sealed record AuditCell(string Id, double TrueValue, double Lower, double Upper, bool Suppressed, double RequiredWidth);

/// <summary>A linear identity an attacker may use: the cell <paramref name="Total"/> equals the sum of <paramref name="Parts"/> (e.g. wijk = Σ buurten).</summary>
/// <param name="Total">The id of the total.</param>
/// <param name="Parts">The ids of the parts.</param>
public sealed record AuditEquation(string Total, IReadOnlyList<string> Parts);

/// <summary>The interval an attacker can narrow a hidden cell down to, and whether that keeps it protected.</summary>
/// <param name="Id">The cell.</param>
/// <param name="TrueValue">Its unprotected value.</param>
/// <param name="Lower">The smallest value consistent with everything published.</param>
/// <param name="Upper">The largest value consistent with everything published (+∞ when unbounded).</param>
/// <param name="RequiredWidth">The width the interval must keep.</param>
public sealed record CellExposure(string Id, double TrueValue, double Lower, double Upper, double RequiredWidth)
{
    /// <summary>True when the attacker's interval is at least the required width: the cell cannot be recovered.</summary>
    public bool IsProtected => Upper - Lower >= RequiredWidth - 1e-6;
}

/// <summary>
/// Proves a published table safe against differencing: for every hidden cell, the smallest and largest value consistent
/// with every published figure (each known only up to its rounding), every identity between cells (a total is the sum
/// of its parts — overlapping areas, an area minus its sub-areas) and non-negativity. Any linear combination of
/// published figures an attacker might form is implied by these constraints, so if the interval stays wide no
/// combination recovers the cell.
/// </summary>
public static class DifferencingAudit
{
    /// <summary>
    /// A mean's hidden cell must stay uncertain by at least this fraction of its true sum: ±10% around it on average,
    /// the customary protection level of the p%-rule for magnitude data.
    /// </summary>
    public const double MeanProtectionFraction = 0.2;

    /// <summary>The attacker's interval for every hidden cell among <paramref name="cells"/>.</summary>
    /// <exception cref="InvalidOperationException">The published figures contradict each other (the audit's input is wrong).</exception>
    public static IReadOnlyList<CellExposure> Audit(IReadOnlyList<AuditCell> cells, IReadOnlyList<AuditEquation> equations)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(equations);
        var index = cells.Select((c, i) => (c.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        var rows = equations
            .Where(e => index.ContainsKey(e.Total) && e.Parts.All(index.ContainsKey))
            .Select(e => (Variables: (int[])[index[e.Total], .. e.Parts.Select(p => index[p])], Coefficients: (double[])[1, .. e.Parts.Select(_ => -1.0)], Rhs: 0.0))
            .ToList();
        var bounds = new LinearBounds([.. cells.Select(c => c.Lower)], [.. cells.Select(c => c.Upper)], rows);
        if (!bounds.IsFeasible)
        {
            throw new InvalidOperationException("The published figures are inconsistent with the identities between them.");
        }

        return [.. cells.Select((c, i) => (Cell: c, Index: i))
            .Where(p => p.Cell.Suppressed)
            .Select(p =>
            {
                var (min, max) = bounds.RangeOf(p.Index);
                return new CellExposure(p.Cell.Id, p.Cell.TrueValue, min, max, p.Cell.RequiredWidth);
            })];
    }

    /// <summary>
    /// The attacker's view of one protected table: one cell per area that <see cref="DisclosureControl.Protect"/>
    /// returned, in the additive quantity (a count; for a mean its sum, mean × observations, with the observations taken
    /// as known exactly — the strongest attacker, since household counts are open data), and one equation per parent
    /// with its children (wijk = Σ buurten, gemeente = Σ wijken).
    /// </summary>
    /// <param name="idPrefix">Prefixes every cell id, so several tables (time slices, indicators) can be audited together.</param>
    /// <param name="rule">The rule the table was protected with.</param>
    /// <param name="table">The unprotected table.</param>
    /// <param name="disclosed">What <see cref="DisclosureControl.Protect"/> returned for it (or a weaker pattern, to show an attack).</param>
    public static (IReadOnlyList<AuditCell> Cells, IReadOnlyList<AuditEquation> Equations) Describe(
        string idPrefix, DisclosureRule rule, DisclosureTable table, IReadOnlyList<DisclosedCell> disclosed)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(disclosed);
        var cells = new List<AuditCell>();
        foreach (var cell in disclosed)
        {
            var weight = rule.Kind == StatisticKind.Mean ? table.Observations?.GetValueOrDefault(cell.AreaCode) ?? 0 : 1;
            var trueValue = (table.Values.GetValueOrDefault(cell.AreaCode) ?? 0) * weight;
            var id = idPrefix + cell.AreaCode;
            if (cell.Value is { } shown)
            {
                var (low, high) = RoundingInterval(rule, shown);
                cells.Add(new AuditCell(id, trueValue, Math.Max(0, low * weight), high * weight, false, 0));
            }
            else
            {
                var required = rule.Kind == StatisticKind.Mean ? MeanProtectionFraction * Math.Abs(trueValue) : rule.MinimumGroupSize;
                // An area without observations has a sum of 0, and the attacker knows it (its household count is open).
                var upper = rule.Kind == StatisticKind.Mean && weight == 0 ? 0 : double.PositiveInfinity;
                cells.Add(new AuditCell(id, trueValue, 0, upper, true, required));
            }
        }

        var present = disclosed.Select(c => c.AreaCode).ToHashSet(StringComparer.Ordinal);
        var equations = disclosed
            .Where(c => AreaHierarchy.ParentOf(c.AreaCode) is { } parent && present.Contains(parent))
            .GroupBy(c => AreaHierarchy.ParentOf(c.AreaCode)!, StringComparer.Ordinal)
            .Select(g => new AuditEquation(idPrefix + g.Key, [.. g.Select(c => idPrefix + c.AreaCode)]))
            .ToList();
        return (cells, equations);
    }

    /// <summary>
    /// The values that round to <paramref name="shown"/>. Counts are whole numbers, so with base 5 a shown 10 means 8 to 12
    /// (half away from zero: 7.5 is not a count, 12.5 would show as 15); a mean can be any number within half a base.
    /// </summary>
    private static (double Low, double High) RoundingInterval(DisclosureRule rule, double shown)
    {
        var half = Math.Max(0, rule.RoundingBase) / 2;
        return rule.Kind == StatisticKind.Count && half > 0
            ? (Math.Ceiling(shown - half), Math.Ceiling(shown + half) - 1)
            : (shown - half, shown + half);
    }
}
