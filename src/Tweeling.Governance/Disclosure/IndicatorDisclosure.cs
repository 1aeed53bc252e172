using Tweeling.Domain.Indicators;
using Tweeling.Domain.Ports;
using Tweeling.Governance.Access;

namespace Tweeling.Governance.Disclosure;

/// <summary>An indicator as a caller sees it.</summary>
/// <param name="Definition">The definition.</param>
/// <param name="IsProtected">True when the caller sees its values only through disclosure control.</param>
public sealed record VisibleIndicator(IndicatorDefinition Definition, bool IsProtected);

/// <summary>
/// The one seam every indicator read goes through. Decides per indicator from the access policy and the indicator's
/// disclosure rule what a caller sees:
/// <list type="bullet">
/// <item>a caller who may read the source dataset (<see cref="AccessPolicy.CanRead(Caller, Tweeling.Domain.Catalog.Dataset)"/>) sees the values as stored — open
/// data such as CBS Kerncijfers, already protected by its publisher, for everyone; the unprotected aggregates of a
/// confidential register only for a role and purpose that may read the register's microdata itself, to whom the
/// aggregates reveal nothing more;</item>
/// <item>any other caller sees an indicator with a <see cref="DisclosureRule"/> only through
/// <see cref="DisclosureControl.Protect"/>, and an indicator without one not at all (fail closed).</item>
/// </list>
/// </summary>
public sealed class IndicatorDisclosure(IIndicatorStore indicators, ICatalog catalog)
{
    /// <summary>The indicators <paramref name="caller"/> may see, ordered by code.</summary>
    public async Task<IReadOnlyList<VisibleIndicator>> VisibleAsync(Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var datasets = (await catalog.ListAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(d => d.Id, StringComparer.Ordinal);
        var visible = new List<VisibleIndicator>();
        foreach (var definition in await indicators.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!datasets.TryGetValue(definition.SourceDatasetId, out var source))
            {
                continue;
            }

            if (AccessPolicy.CanRead(caller, source))
            {
                visible.Add(new VisibleIndicator(definition, IsProtected: false));
            }
            else if (definition.Disclosure is not null)
            {
                visible.Add(new VisibleIndicator(definition, IsProtected: true));
            }
        }

        return visible;
    }

    /// <summary>
    /// For each of <paramref name="areaCodes"/>, the latest value on or before <paramref name="asOf"/> of every indicator
    /// <paramref name="caller"/> may see, protected where it must be. A protected value is the one its whole table (the
    /// indicator at that value's reference date, all areas) gets from <see cref="DisclosureControl.ProtectPeriods"/> with
    /// every other reference date of the indicator, so asking for one area, one level or all areas, or at any date that
    /// selects the same reference date, shows the same pattern, and that pattern is the same in every period. Areas below
    /// a rule's lowest level get no value at all.
    /// </summary>
    public async Task<IReadOnlyList<(IndicatorValue Value, VisibleIndicator Indicator)>> ValuesAsOfAsync(
        Caller caller, IReadOnlyCollection<string> areaCodes, DateOnly asOf, CancellationToken cancellationToken)
    {
        var visible = (await VisibleAsync(caller, cancellationToken).ConfigureAwait(false)).ToDictionary(v => v.Definition.Code, StringComparer.Ordinal);
        var values = await indicators.ValuesAsOfAsync(areaCodes, asOf, cancellationToken).ConfigureAwait(false);
        var series = new Dictionary<string, IReadOnlyDictionary<DateOnly, IReadOnlyList<DisclosedCell>>>(StringComparer.Ordinal);
        var tables = new Dictionary<(string Code, DateOnly Date), IReadOnlyDictionary<string, DisclosedCell>>();
        var result = new List<(IndicatorValue, VisibleIndicator)>();
        foreach (var value in values)
        {
            if (!visible.TryGetValue(value.IndicatorCode, out var indicator))
            {
                continue;
            }

            if (!indicator.IsProtected)
            {
                result.Add((value, indicator));
                continue;
            }

            if (!series.TryGetValue(value.IndicatorCode, out var periods))
            {
                periods = await ProtectedPeriodsAsync(indicator.Definition, cancellationToken).ConfigureAwait(false);
                series[value.IndicatorCode] = periods;
            }

            var key = (value.IndicatorCode, value.ReferenceDate);
            if (!tables.TryGetValue(key, out var table))
            {
                table = periods.GetValueOrDefault(value.ReferenceDate, []).ToDictionary(c => c.AreaCode, StringComparer.Ordinal);
                tables[key] = table;
            }

            if (table.TryGetValue(value.AreaCode, out var cell))
            {
                result.Add((value with { Value = cell.Value }, indicator));
            }
        }

        return result;
    }

    /// <summary>Every period (reference date) of a protected indicator, protected together so that all periods share one suppression pattern.</summary>
    private async Task<IReadOnlyDictionary<DateOnly, IReadOnlyList<DisclosedCell>>> ProtectedPeriodsAsync(IndicatorDefinition definition, CancellationToken cancellationToken)
    {
        var rule = definition.Disclosure!;
        string[] codes = [definition.Code, .. new[] { rule.ObservationsIndicator, rule.DominanceIndicator }.OfType<string>()];
        var periods = new Dictionary<DateOnly, DisclosureTable>();
        foreach (var referenceDate in await indicators.ReferenceDatesAsync(definition.Code, cancellationToken).ConfigureAwait(false))
        {
            var rows = await indicators.TableAsync(codes, referenceDate, cancellationToken).ConfigureAwait(false);
            Dictionary<string, double?> Column(string? code) => code is null
                ? []
                : rows.Where(r => r.IndicatorCode == code).ToDictionary(r => r.AreaCode, r => r.Value, StringComparer.Ordinal);
            periods[referenceDate] = new DisclosureTable(Column(definition.Code), Column(rule.ObservationsIndicator), Column(rule.DominanceIndicator));
        }

        return DisclosureControl.ProtectPeriods(rule, periods);
    }
}
