using Tweeling.Models.Graph;
using Tweeling.Models.Population;
using Tweeling.Models.Results;

namespace Tweeling.Models.Scenario;

/// <summary>Residents, households and the 65+ share per buurt, from <see cref="PopulationModel"/>.</summary>
public sealed class PopulationReporter : IIndicatorReporter
{
    private const string Reason = "Gekalibreerd op de buurtcijfers van de peildatum; nieuwe woningen krijgen de bezetting van de bestaande voorraad, vergrijzing zonder geboorte, sterfte of migratie (docs/models/bevolking.md).";

    /// <inheritdoc />
    public IReadOnlyList<ResultIndicator> Indicators { get; } =
    [
        new("inwoners", "Inwoners", ImpactDomain.Sociaal, "personen", Desirability.Neutral, PopulationModel.ModelId, Certainty.Middel, Reason),
        new("huishoudens", "Huishoudens", ImpactDomain.Sociaal, "huishoudens", Desirability.Neutral, PopulationModel.ModelId, Certainty.Middel, Reason),
        new("aandeel-65-plus", "Aandeel inwoners van 65 jaar en ouder", ImpactDomain.Sociaal, "%", Desirability.Neutral, PopulationModel.ModelId, Certainty.Middel, Reason),
    ];

    /// <inheritdoc />
    public IReadOnlyList<AreaValue> Areas(GraphRun run, string municipalityCode)
    {
        ArgumentNullException.ThrowIfNull(run);
        var buurten = BuurtValues.Of(run);
        var (residents, households, elderly) = (new BuurtValues(), new BuurtValues(), new BuurtValues());
        foreach (var b in run.Value(PopulationPorts.Population))
        {
            residents.Add(b.Buurtcode, b.Residents);
            households.Add(b.Buurtcode, b.Households);
            // The share weighted by residents, so the city value is the city's share.
            elderly.Add(b.Buurtcode, 100 * b.AgeGroups[4] / Math.Max(b.Residents, double.Epsilon), b.Residents);
        }

        return
        [
            .. residents.Sums("inwoners", buurten, municipalityCode),
            .. households.Sums("huishoudens", buurten, municipalityCode),
            .. elderly.Means("aandeel-65-plus", buurten, municipalityCode),
        ];
    }

    /// <inheritdoc />
    public IReadOnlyList<GridLayer> Grids(GraphRun run) => [];
}
