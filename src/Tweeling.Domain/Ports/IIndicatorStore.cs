using Tweeling.Domain.Indicators;

namespace Tweeling.Domain.Ports;

/// <summary>Reads indicator definitions and their values per area and time.</summary>
public interface IIndicatorStore
{
    /// <summary>Every indicator definition, ordered by code.</summary>
    Task<IReadOnlyList<IndicatorDefinition>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The definition with <paramref name="code"/>, or <c>null</c>.</summary>
    Task<IndicatorDefinition?> FindAsync(string code, CancellationToken cancellationToken);

    /// <summary>
    /// For each of <paramref name="areaCodes"/> and each indicator, the value with the latest reference
    /// date on or before <paramref name="asOf"/>. Areas without values are absent from the result.
    /// </summary>
    Task<IReadOnlyList<IndicatorValue>> ValuesAsOfAsync(IReadOnlyCollection<string> areaCodes, DateOnly asOf, CancellationToken cancellationToken);

    /// <summary>
    /// Every area's value of each of <paramref name="indicatorCodes"/> with exactly <paramref name="referenceDate"/>: the
    /// whole table at that date, which disclosure control protects as one unit.
    /// </summary>
    Task<IReadOnlyList<IndicatorValue>> TableAsync(IReadOnlyCollection<string> indicatorCodes, DateOnly referenceDate, CancellationToken cancellationToken);

    /// <summary>
    /// The reference dates at which <paramref name="indicatorCode"/> has values, oldest first: the periods that
    /// disclosure control protects together.
    /// </summary>
    Task<IReadOnlyList<DateOnly>> ReferenceDatesAsync(string indicatorCode, CancellationToken cancellationToken);
}
