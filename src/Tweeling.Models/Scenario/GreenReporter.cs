using Tweeling.Models.Graph;
using Tweeling.Models.Green;
using Tweeling.Models.Results;

namespace Tweeling.Models.Scenario;

/// <summary>Public green per inhabitant, tree canopy and the 3-30-300 rule, from <see cref="GreenModel"/>.</summary>
public sealed class GreenReporter : IIndicatorReporter
{
    private const string Reason = "Zo volledig als het bomen- en groenbestand; de zichtbaarheidsbenadering (bomen binnen 30 m) en de hemelsbrede parkafstand flatteren (docs/models/groen.md).";

    // Whether each dwelling meets 3-30-300, from the last reports by building, for the reports of edits that keep most dwellings' figures.
    private readonly DwellingRecordTable<DwellingGreen> _dwellings = new(1, d => d.DwellingId, (d, values) => values[0] = d.MeetsAll ? 100 : 0);

    /// <inheritdoc />
    public IReadOnlyList<ResultIndicator> Indicators { get; } =
    [
        new("groen-per-inwoner", "Openbaar groen per inwoner", ImpactDomain.Fysiek, "m²/inwoner", Desirability.HigherIsBetter, GreenModel.ModelId, Certainty.Middel, Reason),
        new("kroonbedekking", "Bedekking door boomkronen", ImpactDomain.Fysiek, "%", Desirability.HigherIsBetter, GreenModel.ModelId, Certainty.Middel, Reason),
        new("woningen-3-30-300", "Woningen die aan de 3-30-300-regel voldoen", ImpactDomain.Fysiek, "%", Desirability.HigherIsBetter, GreenModel.ModelId, Certainty.Middel, Reason),
    ];

    /// <inheritdoc />
    public IReadOnlyList<AreaValue> Areas(GraphRun run, string municipalityCode)
    {
        ArgumentNullException.ThrowIfNull(run);
        var buurten = BuurtValues.Of(run);
        var areas = buurten.ToDictionary(b => b.Code, b => b.Area.Area, StringComparer.Ordinal);
        var (perInhabitant, canopy) = (new BuurtValues(), new BuurtValues());
        foreach (var n in run.Value(GreenPorts.PerNeighbourhood))
        {
            if (n.GreenM2PerInhabitant is { } m2)
            {
                perInhabitant.Add(n.Code, m2, n.Inhabitants);
            }

            // Canopy weighted by buurt area, so the city value is the city's canopy share.
            canopy.Add(n.Code, 100 * n.CanopyShare, areas.GetValueOrDefault(n.Code));
        }

        var rule = DwellingWeightedSums.Of(run, indicators: 1);
        rule.AddAll(run.Value(GreenPorts.PerDwelling), _dwellings);

        return
        [
            .. perInhabitant.Means("groen-per-inwoner", buurten, municipalityCode, run.Value(GreenPorts.Summary).GreenM2PerInhabitant),
            .. canopy.Means("kroonbedekking", buurten, municipalityCode),
            .. rule.Means(0, "woningen-3-30-300", municipalityCode),
        ];
    }

    /// <inheritdoc />
    public IReadOnlyList<GridLayer> Grids(GraphRun run) => [];
}
