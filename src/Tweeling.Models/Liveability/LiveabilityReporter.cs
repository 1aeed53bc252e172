using Tweeling.Models.Graph;
using Tweeling.Models.Results;

namespace Tweeling.Models.Liveability;

/// <summary>
/// The indicators of the liveability model (<c>leefbaarheid</c>): the composite and its five dimensions per buurt, and
/// for the municipality their dwelling-weighted means. All Certainty Laag: an indicative index on this model's own scale,
/// not the official Leefbaarometer. The composite, Voorzieningen, Bewoners and Veiligheid count as sociaal (how residents
/// fare in their buurt), Woningvoorraad and Fysieke omgeving as fysiek (docs/models/leefbaarheid.md).
/// </summary>
public sealed class LiveabilityReporter : IIndicatorReporter
{
    private const string Unit = "score 0–100";
    private const string Reason = "Indicatief: een eigen index uit de uitkomsten van de andere modellen met gelijke gewichten, niet de officiële Leefbaarometer (docs/models/leefbaarheid.md).";

    /// <summary>The composite.</summary>
    public static readonly ResultIndicator Composite = Indicator("leefbaarheid", "Leefbaarheid (indicatief)", ImpactDomain.Sociaal);

    /// <summary>The Woningvoorraad dimension.</summary>
    public static readonly ResultIndicator Woningvoorraad = Indicator("leefbaarheid-woningvoorraad", "Leefbaarheid: woningvoorraad (indicatief)", ImpactDomain.Fysiek);

    /// <summary>The Fysieke omgeving dimension.</summary>
    public static readonly ResultIndicator FysiekeOmgeving = Indicator("leefbaarheid-fysieke-omgeving", "Leefbaarheid: fysieke omgeving (indicatief)", ImpactDomain.Fysiek);

    /// <summary>The Voorzieningen dimension.</summary>
    public static readonly ResultIndicator Voorzieningen = Indicator("leefbaarheid-voorzieningen", "Leefbaarheid: voorzieningen (indicatief)", ImpactDomain.Sociaal);

    /// <summary>The Bewoners dimension.</summary>
    public static readonly ResultIndicator Bewoners = Indicator("leefbaarheid-bewoners", "Leefbaarheid: bewoners (indicatief)", ImpactDomain.Sociaal);

    /// <summary>The Veiligheid dimension.</summary>
    public static readonly ResultIndicator Veiligheid = Indicator("leefbaarheid-veiligheid", "Leefbaarheid: veiligheid (indicatief)", ImpactDomain.Sociaal);

    private static readonly (ResultIndicator Indicator, Func<BuurtLiveability, double?> Value)[] s_values =
    [
        (Composite, b => b.Composite),
        (Woningvoorraad, b => b.Woningvoorraad),
        (FysiekeOmgeving, b => b.FysiekeOmgeving),
        (Voorzieningen, b => b.Voorzieningen),
        (Bewoners, b => b.Bewoners),
        (Veiligheid, b => b.Veiligheid),
    ];

    /// <inheritdoc />
    public IReadOnlyList<ResultIndicator> Indicators { get; } = [.. s_values.Select(v => v.Indicator)];

    /// <inheritdoc />
    public IReadOnlyList<AreaValue> Areas(GraphRun run, string municipalityCode)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentException.ThrowIfNullOrWhiteSpace(municipalityCode);
        var buurten = run.Value(LiveabilityPorts.Liveability);
        var values = new List<AreaValue>((buurten.Count + 1) * s_values.Length);
        foreach (var (indicator, value) in s_values)
        {
            double sum = 0, weight = 0;
            foreach (var b in buurten)
            {
                var v = value(b);
                values.Add(new(indicator.Id, b.Buurtcode, v));
                if (v is { } known)
                {
                    sum += known * b.Dwellings;
                    weight += b.Dwellings;
                }
            }

            // The city's score is the mean over its dwellings, so a large buurt weighs as much as its residents.
            values.Add(new(indicator.Id, municipalityCode, weight > 0 ? sum / weight : null));
        }

        return values;
    }

    /// <inheritdoc />
    public IReadOnlyList<GridLayer> Grids(GraphRun run) => [];

    private static ResultIndicator Indicator(string id, string title, ImpactDomain domain) =>
        new(id, title, domain, Unit, Desirability.HigherIsBetter, LiveabilityModel.ModelId, Certainty.Laag, Reason);
}
