using Tweeling.Domain.Catalog;
using Tweeling.Domain.Features;
using Tweeling.Domain.Indicators;

namespace Tweeling.Ingestion.DemoCity;

/// <summary>A generated synthetic city: its catalog entries, features and neighbourhood statistics, ready to write.</summary>
/// <param name="Datasets">The catalog entries every feature and indicator points at; all marked synthetic.</param>
/// <param name="Features">All features in RD New (EPSG:28992), grouped by collection in a fixed order.</param>
/// <param name="Indicators">The indicator definitions.</param>
/// <param name="IndicatorValues">Values per buurt, wijk and the gemeente at the reference date.</param>
public sealed record DemoCity(
    IReadOnlyList<Dataset> Datasets,
    IReadOnlyList<Feature> Features,
    IReadOnlyList<IndicatorDefinition> Indicators,
    IReadOnlyList<IndicatorValue> IndicatorValues)
{
    /// <summary>The synthetic CBS code of the demo municipality; 9999 is no real municipality.</summary>
    public const string GemeenteCode = "GM9999";

    /// <summary>The number of features per collection id, for summaries and log lines.</summary>
    public IReadOnlyDictionary<string, int> CountByCollection() =>
        Features.GroupBy(f => f.Collection, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>The gemeente-wide value of an indicator (e.g. <c>inwoners</c>), or <c>null</c> when there is none.</summary>
    public double? GemeenteValue(string indicatorCode) =>
        IndicatorValues.FirstOrDefault(v => v.AreaCode == GemeenteCode && v.IndicatorCode == indicatorCode)?.Value;
}
