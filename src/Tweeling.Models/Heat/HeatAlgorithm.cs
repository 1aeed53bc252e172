using Tweeling.Domain.Algorithms;

namespace Tweeling.Models.Heat;

/// <summary>
/// The register entry of the heat model (<see cref="HeatModel"/>): a physical calculation on land cover and weather,
/// no personal data. Changing how the model calculates means changing this entry in the same commit.
/// </summary>
public sealed class HeatAlgorithm : IRegisteredAlgorithm
{
    /// <inheritdoc />
    public string Id => HeatModel.ModelId;

    /// <inheritdoc />
    public RequiredApprovals Approvals { get; } = RequiredApprovals.None(
        "Geen DPIA, IAMA of toets door de ethische commissie vereist: het hittemodel rekent met grondgebruik (gebouwen, verharding, groen, water) en weergegevens. "
        + "Het verwerkt geen persoonsgegevens en neemt geen besluiten over mensen.");

    /// <inheritdoc />
    public RegisterEntry Describe(RegisterPublisher publisher)
    {
        return InternalModelEntry.Create(
            publisher,
            HeatModel.ModelId,
            "Hitte in de stad berekenen voor scenario's",
            "Het model schat per vak van 100 bij 100 meter hoeveel warmer de stad 's nachts is dan het platteland (het hitte-eiland). "
            + "Bij weergegevens van een hete dag berekent het ook de gevoelstemperatuur in zon en schaduw. Zo kan de gemeente zien wat meer groen of minder verharding doet.") with
        {
            Category = ["Natuur en milieu", "Ruimte en infrastructuur", "Zorg en gezondheid"],
            Goal = "<p>Het doel is dat beleidsmakers zien waar hitte het grootst is en wat maatregelen opleveren, zoals bomen planten of een plein vergroenen. "
                + "Dat helpt bij de klimaatadaptatie en bij de zorg voor kwetsbare inwoners tijdens hittegolven.</p>"
                + "<p>De uitkomst is een verkenning op wijkniveau, geen meting.</p>",
            Proportionality = "<p>Voordeel: het effect van een plan op hitte is direct te zien voor de hele stad. "
                + "Nadeel: het model is eenvoudig. Het gebruikt het aandeel bebouwing in plaats van een echte hemelzichtfactor, rekent met vakken van 100 meter en niet met schaduw van gebouwen. "
                + "Kleine maatregelen, zoals één boom, zijn daarom nauwelijks zichtbaar.</p>"
                + "<p>Omdat er geen persoonsgegevens worden gebruikt, zijn de risico's voor inwoners klein.</p>",
            HumanIntervention = "<p>Medewerkers kiezen de scenario's en het weer, en beoordelen de uitkomsten. Het model neemt zelf geen besluit.</p>",
            Risks = "<p>Het risico is dat de uitkomst te precies wordt gelezen. De formule voor het hitte-eiland is gemaakt voor Nederlandse steden, "
                + "maar de onzekerheid is ongeveer een halve graad per 10 procent groen. Daarom staan de vereenvoudigingen en de geldigheid in de documentatie (docs/models/hitte.md).</p>"
                + "<p>Discriminatie is niet aan de orde: het model gebruikt geen gegevens over personen.</p>",
            LawfulBasis = "<p>Het model ondersteunt de taak van de gemeente onder de Omgevingswet om te zorgen voor een gezonde fysieke leefomgeving, "
                + "en de afspraken over klimaatadaptatie in het Deltaprogramma Ruimtelijke Adaptatie.</p>",
            LawfulBasisGrouping =
            [
                new RegisterLink("Omgevingswet", "https://wetten.overheid.nl/BWBR0037885"),
            ],
            Impacttoetsen = InternalModelEntry.NoImpactAssessmentNeeded,
            SourceData = "<p>Grondgebruik uit de BGT en de BAG: gebouwen, verharding, laag groen, boomkronen en water. "
                + "Weergegevens van een KNMI-station: straling, temperatuur, luchtvochtigheid en wind.</p>",
            SourceDataGrouping =
            [
                new RegisterLink("Basisregistratie Grootschalige Topografie (BGT)", "https://www.kadaster.nl/zakelijk/registraties/basisregistraties/bgt"),
                new RegisterLink("KNMI daggegevens van het weer", "https://www.knmi.nl/nederland-nu/klimatologie/daggegevens"),
            ],
            MethodsAndModels = "<p>Het model is regelgebaseerd en niet zelflerend.</p>"
                + "<p>Hitte-eiland: per vak het aandeel groen en bebouwing, gemiddeld over 500 meter, in de formule van Theeuwes en anderen (2017): "
                + "(2 min hemelzicht min groen) keer een weerfactor uit straling, temperatuurverschil over de dag en wind.</p>"
                + "<p>Gevoelstemperatuur (PET): de formules van de landelijke hittekaart (DPRA) voor zon en schaduw, met luchttemperatuur, natteboltemperatuur, straling, wind en zonnestand. "
                + "Onder boomkronen geldt de schaduwwaarde.</p>"
                + "<p>Uitkomst: per vak het hitte-eiland in graden, de gevoelstemperatuur in °C en de hittestressklasse.</p>",
            Tags = "hitte, hitte-eiland, gevoelstemperatuur, PET, groen, klimaatadaptatie, scenario's, digitale tweeling",
        };
    }
}
