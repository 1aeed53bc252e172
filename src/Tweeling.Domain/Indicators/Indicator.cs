namespace Tweeling.Domain.Indicators;

/// <summary>A named, documented quantity measured per area and time, e.g. inhabitants or the share of low incomes.</summary>
/// <param name="Code">A stable code, e.g. <c>inwoners</c> or a CBS variable name such as <c>AantalInwoners_5</c>.</param>
/// <param name="Name">A human name (Dutch).</param>
/// <param name="Description">What it means.</param>
/// <param name="Unit">The unit, e.g. <c>aantal</c>, <c>%</c>, <c>km2</c>, <c>µg/m3</c>.</param>
/// <param name="SourceDatasetId">The catalog dataset the values come from.</param>
/// <param name="Method">How the values are obtained or computed.</param>
/// <param name="IsPersonalData">
/// True when the values derive from personal data. If the source dataset is open (such as CBS Kerncijfers wijken en
/// buurten) its publisher has already applied disclosure control; if it is not, <paramref name="Disclosure"/> decides
/// what a caller who may not read the source dataset sees.
/// </param>
/// <param name="Disclosure">
/// How values are protected for callers who may not read the (non-open) source dataset; <c>null</c> means such callers
/// see neither the indicator nor its values.
/// </param>
public sealed record IndicatorDefinition(
    string Code,
    string Name,
    string Description,
    string Unit,
    string SourceDatasetId,
    string Method,
    bool IsPersonalData,
    DisclosureRule? Disclosure = null);

/// <summary>The value of an indicator for one area at one reference date (peildatum).</summary>
/// <param name="IndicatorCode">The indicator.</param>
/// <param name="AreaCode">The CBS area code (GM…, WK…, BU…).</param>
/// <param name="ReferenceDate">The date the value describes; it holds until a later value replaces it.</param>
/// <param name="Value">The value in the indicator's unit; <c>null</c> when the source withholds it.</param>
public sealed record IndicatorValue(string IndicatorCode, string AreaCode, DateOnly ReferenceDate, double? Value);
