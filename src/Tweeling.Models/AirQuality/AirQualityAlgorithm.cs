using Tweeling.Domain.Algorithms;

namespace Tweeling.Models.AirQuality;

/// <summary>
/// The register entry of <see cref="AirQualityModel"/>: the Dutch standard calculation method 1 (SRM1) on traffic
/// per street, no personal data, no decisions about people. Changing how the model computes means changing this
/// entry in the same commit.
/// </summary>
public sealed class AirQualityAlgorithm : IRegisteredAlgorithm
{
    /// <inheritdoc />
    public string Id => AirQualityModel.ModelId;

    /// <inheritdoc />
    public RequiredApprovals Approvals { get; } = RequiredApprovals.None(
        "Geen DPIA, IAMA of toets door de ethische commissie vereist: het luchtkwaliteitsmodel rekent met verkeer per straat, "
        + "het straatprofiel en de achtergrondconcentratie. Het verwerkt geen persoonsgegevens en neemt geen besluiten over mensen.");

    /// <inheritdoc />
    public RegisterEntry Describe(RegisterPublisher publisher)
    {
        return InternalModelEntry.Create(
            publisher,
            AirQualityModel.ModelId,
            "Luchtkwaliteit langs straten schatten voor scenario's (SRM1)",
            "Het model schat hoeveel stikstofdioxide (NO2) en fijnstof (PM10 en PM2,5) er gemiddeld in de lucht zit langs straten in de stad. "
            + "Het rekent met het verkeer per straat, de vorm van de straat, bomen en de achtergrondconcentratie. "
            + "Zo kan de gemeente zien wat een verkeersplan doet met de luchtkwaliteit.") with
        {
            Category = ["Natuur en milieu", "Verkeer", "Zorg en gezondheid"],
            Goal = "<p>Het doel is dat beleidsmakers en inwoners vooraf kunnen zien wat een plan betekent voor de luchtkwaliteit. "
                + "Bijvoorbeeld: wordt de lucht in een straat schoner als er minder auto's rijden, of vuiler als een andere straat het verkeer opvangt? "
                + "De uitkomsten worden vergeleken met de Europese grenswaarden en de advieswaarden van de WHO.</p>"
                + "<p>Het model zegt niets over personen en neemt geen besluiten.</p>",
            Proportionality = "<p>Voordeel: de berekening volgt de wettelijke standaardrekenmethode 1 (SRM1) en is snel genoeg om scenario's direct te vergelijken. "
                + "Nadeel: het is een verkenning en geen wettelijke toetsing. Daarvoor blijft de officiële rekentool (AERIUS Lucht) nodig.</p>"
                + "<p>Een zwaarder verspreidingsmodel is nauwkeuriger maar te traag voor het vergelijken van scenario's.</p>",
            HumanIntervention = "<p>De uitkomsten zijn een hulpmiddel bij verkenningen. Medewerkers beoordelen ze en vergelijken ze met metingen van sensoren en met de officiële berekeningen. "
                + "Besluiten nemen mensen, volgens de normale procedures.</p>",
            Risks = "<p>De uitkomst is zo goed als de invoer: het verkeer komt uit het verkeersmodel, dat ook een schatting is. "
                + "De emissiefactoren veranderen elk jaar; het model gebruikt de factoren van peiljaar 2021 tot de gemeente de nieuwe invoert. "
                + "Voor PM2,5 en voor direct uitgestoten NO2 zijn vaste aandelen aangenomen. "
                + "Verder dan 30 of 60 meter van een straat geldt SRM1 niet; daar toont het model alleen de achtergrondconcentratie.</p>"
                + "<p>Discriminatie is niet aan de orde: het model gebruikt geen gegevens over personen.</p>",
            LawfulBasis = "<p>De Omgevingswet draagt de gemeente de zorg op voor een gezonde fysieke leefomgeving, waaronder de luchtkwaliteit. "
                + "De rekenmethode SRM1 staat in de Omgevingsregeling (eerder de Regeling beoordeling luchtkwaliteit 2007, bijlage 1).</p>",
            LawfulBasisGrouping =
            [
                new RegisterLink("Omgevingswet", "https://wetten.overheid.nl/BWBR0037885"),
                new RegisterLink("Regeling beoordeling luchtkwaliteit 2007", "https://wetten.overheid.nl/BWBR0022817"),
            ],
            Impacttoetsen = InternalModelEntry.NoImpactAssessmentNeeded,
            SourceData = "<p>Het verkeer per straat uit het verkeersmodel, het wegennet, per straat het wegtype en de bomen, "
                + "de achtergrondconcentraties van het RIVM (GCN-kaarten) en de emissiefactoren van het ministerie van Infrastructuur en Waterstaat.</p>",
            MethodsAndModels = "<p>Het model is regelgebaseerd en niet zelflerend: het volgt standaardrekenmethode 1 (SRM1).</p>"
                + "<ul><li>Uitstoot per straat: aantal voertuigen maal de emissiefactor per voertuigsoort en snelheidstype, met een deel in de file.</li>"
                + "<li>Verdunning: de bijdrage neemt af met de afstand tot de as van de weg, volgens een formule per wegtype. Bomen boven de straat verhogen de bijdrage, wind verlaagt hem.</li>"
                + "<li>NO2 ontstaat deels uit NOx met ozon uit de achtergrond.</li>"
                + "<li>Concentratie = achtergrond + bijdrage van de straat.</li></ul>"
                + "<p>Output: jaargemiddelde NO2, PM10 en PM2,5 in µg/m³ op gekozen punten en in een raster. "
                + "De methode en alle parameters staan in docs/models/luchtkwaliteit.md.</p>",
            Tags = "luchtkwaliteit, stikstofdioxide, NO2, fijnstof, PM10, PM2,5, SRM1, verkeer, scenario, digitale tweeling",
        };
    }
}
