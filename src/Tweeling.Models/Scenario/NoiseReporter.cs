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
        var buurten = BuurtValues.Of(run);
        var weights = BuurtValues.DwellingWeights(run);
        var (lden, annoyed, above) = (new BuurtValues(), new BuurtValues(), new BuurtValues());
        foreach (var f in run.Value(NoisePorts.FacadeLevels))
        {
            if (weights.TryGetValue(f.ReceptorId, out var w))
            {
                lden.Add(w.Buurtcode, f.LdenDb, w.Dwellings);
                annoyed.Add(w.Buurtcode, f.HighlyAnnoyedPercent, w.Dwellings);
                above.Add(w.Buurtcode, f.LdenDb > StandardValueDb ? 100 : 0, w.Dwellings);
            }
        }

        return
        [
            .. lden.Means("lden-gevel", buurten, municipalityCode),
            .. annoyed.Means("ernstig-gehinderd", buurten, municipalityCode),
            .. above.Means("woningen-boven-53-db", buurten, municipalityCode),
        ];
    }

    /// <inheritdoc />
    public IReadOnlyList<GridLayer> Grids(GraphRun run) => [];
}
