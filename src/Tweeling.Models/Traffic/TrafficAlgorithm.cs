using Tweeling.Domain.Algorithms;

namespace Tweeling.Models.Traffic;

/// <summary>
/// The register entry of <see cref="TrafficModel"/>: a rule-based traffic model on aggregated data per buurt,
/// no personal data, no decisions about people. Changing how the model computes means changing this entry
/// in the same commit.
/// </summary>
public sealed class TrafficAlgorithm : IRegisteredAlgorithm
{
    /// <inheritdoc />
    public string Id => TrafficModel.ModelId;

    /// <inheritdoc />
    public RequiredApprovals Approvals { get; } = RequiredApprovals.None(
        "Geen DPIA, IAMA of toets door de ethische commissie vereist: het verkeersmodel rekent met aantallen woningen, banen en voorzieningen per buurt "
        + "en met het wegennet. Het verwerkt geen persoonsgegevens en neemt geen besluiten over mensen; het ondersteunt verkenningen van scenario's.");

    /// <inheritdoc />
    public RegisterEntry Describe(RegisterPublisher publisher)
    {
        return InternalModelEntry.Create(
            publisher,
            TrafficModel.ModelId,
            "Verkeersmodel voor scenario's: autoverkeer per wegvak schatten",
            "Het model schat hoeveel auto's er op een werkdag over elke straat rijden. "
            + "Het rekent met het aantal woningen, banen en voorzieningen per buurt en met het wegennet. "
            + "Zo kan de gemeente zien wat een nieuwe wijk, een afgesloten straat of een lagere snelheid doet met het verkeer.") with
        {
            Category = ["Verkeer", "Ruimte en infrastructuur"],
            Goal = "<p>Het doel is dat beleidsmakers en inwoners vooraf kunnen zien wat een plan betekent voor het autoverkeer in de stad. "
                + "Bijvoorbeeld: hoeveel extra auto's een nieuwbouwwijk geeft, waar het verkeer heen gaat als een straat dicht gaat, of welke straten vollopen.</p>"
                + "<p>De uitkomst is ook de invoer van de modellen voor luchtkwaliteit en geluid. "
                + "Het model zegt niets over personen en neemt geen besluiten.</p>",
            Proportionality = "<p>Voordeel: een snelle, uitlegbare schatting die voor elk scenario opnieuw te berekenen is. "
                + "Nadeel: het is een eenvoudig model. De uitkomst is een schatting en geen telling.</p>"
                + "<p>Een volledig verkeersmodel (zoals het regionale model) is nauwkeuriger maar te traag om tijdens een overleg scenario's te vergelijken. "
                + "Daarom is gekozen voor een eenvoudig model waarvan elke stap na te rekenen is.</p>",
            HumanIntervention = "<p>De uitkomsten zijn een hulpmiddel bij verkenningen. Medewerkers beoordelen ze en vergelijken ze met tellingen. "
                + "Besluiten over verkeersmaatregelen nemen mensen, volgens de normale procedures. "
                + "Een medewerker stelt de kalibratiefactor in op basis van lokale tellingen.</p>",
            Risks = "<p>De kencijfers voor ritten per woning zijn indicatief: de tabellen van CROW waren niet beschikbaar, "
                + "en tellingen laten zien dat de kencijfers het autoverkeer vaak overschatten. "
                + "Daarom is er een kalibratiefactor, en toont de documentatie de onzekerheid. "
                + "Het model kent geen vrachtverkeer van bedrijven of doorgaand verkeer: dat wordt benaderd met vaste aandelen per wegtype.</p>"
                + "<p>Discriminatie is niet aan de orde: het model gebruikt geen gegevens over personen.</p>",
            LawfulBasis = "<p>Het model ondersteunt de taken van de gemeente als wegbeheerder en onder de Omgevingswet: "
                + "zorg voor een veilige en gezonde fysieke leefomgeving en het maken van omgevingsvisies en -plannen.</p>",
            LawfulBasisGrouping =
            [
                new RegisterLink("Omgevingswet", "https://wetten.overheid.nl/BWBR0037885"),
                new RegisterLink("Wegenwet", "https://wetten.overheid.nl/BWBR0001853"),
            ],
            Impacttoetsen = InternalModelEntry.NoImpactAssessmentNeeded,
            SourceData = "<p>Aantallen woningen per buurt naar woningtype en eigendom (BAG, CBS), aantallen banen en voorzieningen per buurt, "
                + "het wegennet met wegtype, maximumsnelheid en eenrichtingsverkeer, en de wijzigingen van het scenario.</p>",
            MethodsAndModels = "<p>Het model is regelgebaseerd en niet zelflerend. Het werkt in drie stappen.</p>"
                + "<ol><li>Ritten: elke woning maakt een aantal autoritten per dag, afhankelijk van woningtype en eigendom (indicatieve kencijfers van CROW-publicatie 381), "
                + "maal een factor voor werkdagen (1,1) en een kalibratiefactor.</li>"
                + "<li>Bestemmingen: de ritten gaan naar buurten met banen en voorzieningen. Hoe verder weg, hoe minder ritten (zwaartekrachtmodel).</li>"
                + "<li>Toedeling: de ritten volgen de snelste route over het wegennet. Drukke wegen worden trager (BPR-functie), "
                + "en het model herhaalt de toedeling zeven keer (Frank-Wolfe) zodat het verkeer zich over de routes verdeelt tot vrijwel geen rit nog een snellere route heeft.</li></ol>"
                + "<p>Heeft de stad meer dan 160 buurten, dan voegt het model naburige buurten samen tot 160 groepen: de ritten uit een groep vertrekken "
                + "vanaf één knooppunt in die groep, de bestemming blijft de eigen buurt. Zo groeit de rekentijd met de grootte van de stad en niet met het kwadraat ervan. "
                + "De afwijking die dit geeft staat in docs/models/verkeer.md.</p>"
                + "<p>Verandert een scenario alleen woningen, dan rekent het model niet alles opnieuw. Het begint bij de uitkomst van de huidige situatie "
                + "en deelt alleen de ritten van de buurten die veranderen opnieuw toe. Dat is veel sneller. De uitkomst wijkt iets af van een volledige berekening: "
                + "verkeer dat al reed, zoekt geen nieuwe route om nieuwe drukte heen. De grootte van die afwijking staat in docs/models/verkeer.md.</p>"
                + "<p>Output per wegvak: motorvoertuigen per werkdag (afgerond op hele auto's, op drukke wegen op stappen van hoogstens 0,5 %), aandeel vrachtverkeer en bussen, aandeel in de file en gemiddelde snelheid. "
                + "De methode en alle parameters staan in docs/models/verkeer.md.</p>",
            Tags = "verkeer, verkeersmodel, autoverkeer, CROW, kencijfers, zwaartekrachtmodel, BPR, scenario, digitale tweeling",
        };
    }
}
