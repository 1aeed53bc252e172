using Tweeling.Models.Graph;
using Tweeling.Models.Noise;
using Tweeling.Models.Results;

namespace Tweeling.Models.Scenario;

/// <summary>
/// Road-traffic noise from <see cref="RoadNoiseModel"/> at the façades of dwellings: per buurt the mean Lden and % highly
/// annoyed, each façade weighted by its building's dwellings, and the share of dwellings above the 53 dB standard value.
/// </summary>
public sealed class NoiseReporter : IIndicatorReporter
{
    /// <summary>The Omgevingswet standard value for municipal roads and the WHO 2018 guideline, dB Lden (models.md §2.3).</summary>
    public const double StandardValueDb = 53;

    private const string Reason = "Indicatief, orde ±3 dB aan een vrije gevel en zonder afscherming te hoog achter de eerste rij; geschikt voor verschillen tussen scenario's (docs/models/geluid.md).";

    // The façade levels of the last reports by building, for the reports of edits that keep most of them.
    private readonly DwellingRecordTable<FacadeNoise> _facades = new(3, f => f.ReceptorId, (f, values) =>
    {
        values[0] = f.LdenDb;
        values[1] = f.HighlyAnnoyedPercent;
        values[2] = f.LdenDb > StandardValueDb ? 100 : 0;
    });

    /// <inheritdoc />
    public IReadOnlyList<ResultIndicator> Indicators { get; } =
    [
        new("lden-gevel", "Wegverkeerslawaai op de gevel van woningen (Lden)", ImpactDomain.Milieu, "dB", Desirability.LowerIsBetter, RoadNoiseModel.ModelId, Certainty.Laag, Reason),
        new("ernstig-gehinderd", "Ernstig gehinderden door wegverkeerslawaai", ImpactDomain.Milieu, "%", Desirability.LowerIsBetter, RoadNoiseModel.ModelId, Certainty.Laag, Reason),
        new("woningen-boven-53-db", "Woningen boven de standaardwaarde van 53 dB Lden", ImpactDomain.Milieu, "%", Desirability.LowerIsBetter, RoadNoiseModel.ModelId, Certainty.Laag, Reason),
    ];

    /// <inheritdoc />
    public IReadOnlyList<AreaValue> Areas(GraphRun run, string municipalityCode)
    {
        ArgumentNullException.ThrowIfNull(run);
        var sums = DwellingWeightedSums.Of(run, indicators: 3);
        sums.AddAll(run.Value(NoisePorts.FacadeLevels), _facades);

        return
        [
            .. sums.Means(0, "lden-gevel", municipalityCode),
            .. sums.Means(1, "ernstig-gehinderd", municipalityCode),
            .. sums.Means(2, "woningen-boven-53-db", municipalityCode),
        ];
    }

    /// <inheritdoc />
    public IReadOnlyList<GridLayer> Grids(GraphRun run) => [];
}
