using Tweeling.Domain.Algorithms;

namespace Tweeling.Models.Noise;

/// <summary>
/// The register entry of the road-traffic noise model (<see cref="RoadNoiseModel"/>): a physical calculation on
/// traffic and buildings, no personal data. Changing how the model calculates means changing this entry in the same commit.
/// </summary>
public sealed class RoadNoiseAlgorithm : IRegisteredAlgorithm
{
    /// <inheritdoc />
    public string Id => RoadNoiseModel.ModelId;

    /// <inheritdoc />
    public RequiredApprovals Approvals { get; } = RequiredApprovals.None(
        "Geen DPIA, IAMA of toets door de ethische commissie vereist: het geluidmodel rekent met verkeersintensiteiten per wegvak en de ligging van gebouwen. "
        + "Het verwerkt geen persoonsgegevens en neemt geen besluiten over mensen; de uitkomst is een verkenning voor scenario's, geen wettelijke geluidbelasting.");

    /// <inheritdoc />
    public RegisterEntry Describe(RegisterPublisher publisher)
    {
        return InternalModelEntry.Create(
            publisher,
            RoadNoiseModel.ModelId,
            "Geluid van wegverkeer op gevels berekenen voor scenario's",
            "Het model berekent hoeveel geluid het wegverkeer geeft op de gevels van gebouwen, als jaargemiddelde over dag, avond en nacht (Lden). "
            + "Het schat ook hoeveel bewoners ernstig gehinderd zijn. Zo kan de gemeente scenario's vergelijken, bijvoorbeeld een andere verkeersstroom of een lagere snelheid.") with
        {
            Category = ["Natuur en milieu", "Verkeer", "Zorg en gezondheid"],
            Goal = "<p>Het doel is dat beleidsmakers en inwoners snel zien wat een verkeersplan doet met geluid bij woningen. "
                + "Bijvoorbeeld: wat gebeurt er als een straat 30 km/uur wordt, of als vrachtverkeer een andere route neemt?</p>"
                + "<p>De uitkomst is een verkenning. Voor een besluit met wettelijke gevolgen blijft een geluidonderzoek volgens het Omgevingsbesluit nodig.</p>",
            Proportionality = "<p>Voordeel: de gevolgen van een plan zijn in seconden zichtbaar voor de hele stad, in plaats van na weken rekenwerk. "
                + "Nadeel: het model is eenvoudiger dan de wettelijke rekenmethode. Het rekent zonder afscherming door gebouwen, zonder reflecties en zonder bodemeffect, "
                + "en geeft daardoor vooral achter de eerste rij gebouwen te hoge waarden.</p>"
                + "<p>Omdat er geen persoonsgegevens worden gebruikt en er geen besluiten over mensen worden genomen, zijn de risico's voor inwoners klein.</p>",
            HumanIntervention = "<p>Medewerkers kiezen de scenario's en beoordelen de uitkomsten. Het model neemt zelf geen besluit. "
                + "Bij twijfel of bij een besluit wordt een volledig geluidonderzoek gedaan.</p>",
            Risks = "<p>Het belangrijkste risico is dat een verkennende uitkomst wordt gelezen als de wettelijke geluidbelasting. "
                + "Daarom staan de vereenvoudigingen en de onzekerheid bij de uitkomsten en in de documentatie (docs/models/geluid.md). "
                + "De berekening is controleerbaar: de formules, coëfficiënten en testwaarden zijn openbaar.</p>"
                + "<p>Discriminatie is niet aan de orde: het model gebruikt geen gegevens over personen.</p>",
            LawfulBasis = "<p>Het model ondersteunt de taak van de gemeente onder de Omgevingswet om te zorgen voor een gezonde fysieke leefomgeving, "
                + "waaronder het beheersen van geluid van gemeentelijke wegen (Besluit kwaliteit leefomgeving).</p>",
            LawfulBasisGrouping =
            [
                new RegisterLink("Omgevingswet", "https://wetten.overheid.nl/BWBR0037885"),
                new RegisterLink("Besluit kwaliteit leefomgeving", "https://wetten.overheid.nl/BWBR0041313"),
            ],
            Impacttoetsen = InternalModelEntry.NoImpactAssessmentNeeded,
            SourceData = "<p>Wegvakken met hun ligging, en per wegvak het aantal motorvoertuigen per etmaal met het aandeel middelzwaar, zwaar verkeer en bussen en de gemiddelde snelheid "
                + "(uit tellingen of uit het verkeersmodel van het scenario). Daarnaast de gevelpunten van gebouwen uit de BAG.</p>",
            SourceDataGrouping =
            [
                new RegisterLink("CNOSSOS-EU, Nederlandse coëfficiënten (NoiseModelling RoadCnossos_NL)", "https://github.com/Universite-Gustave-Eiffel/NoiseModelling"),
                new RegisterLink("Basisregistratie Adressen en Gebouwen (BAG)", "https://www.kadaster.nl/zakelijk/registraties/basisregistraties/bag"),
            ],
            MethodsAndModels = "<p>Het model is regelgebaseerd en niet zelflerend.</p>"
                + "<p>Bron: per wegvak de geluidemissie volgens CNOSSOS-EU met de Nederlandse coëfficiënten: rolgeluid en motorgeluid per voertuigcategorie en octaafband, afhankelijk van de snelheid. "
                + "Het verkeer wordt over dag, avond en nacht verdeeld met 6,6, 3,6 en 0,8 procent van het etmaal per uur.</p>"
                + "<p>Overdracht: elk wegvak is een lijnbron boven harde grond; het geluid neemt af met de afstand en door luchtabsorptie. Wegen verder dan 200 meter tellen niet mee.</p>"
                + "<p>Uitkomst: Lday, Levening, Lnight en Lden in dB(A) per gevelpunt, het percentage ernstig gehinderden (Miedema en Oudshoorn) "
                + "en het aantal gevels boven 53 dB (standaardwaarde) en 70 dB (grenswaarde).</p>",
            Tags = "geluid, wegverkeer, Lden, CNOSSOS-EU, hinder, scenario's, digitale tweeling",
        };
    }
}
