using Tweeling.Domain.Algorithms;
using Tweeling.Domain.Reviews;

namespace Tweeling.Models.Liveability;

/// <summary>
/// The register entry of the liveability model (<see cref="LiveabilityModel"/>): an indicative score per buurt over the
/// Leefbaarometer's five dimensions from the other models' outputs, aggregates only. No personal data, so no DPIA; it
/// grades neighbourhoods and its Bewoners dimension rests on their income composition, so an IAMA weighs it before use
/// (shared/reference/models.md §7). Changing the model means changing this entry.
/// </summary>
public sealed class LiveabilityAlgorithm : IRegisteredAlgorithm
{
    /// <inheritdoc />
    public string Id => LiveabilityModel.ModelId;

    /// <inheritdoc />
    public RequiredApprovals Approvals { get; } = new(
        new HashSet<ReviewKind> { ReviewKind.Iama },
        "Een IAMA is vereist voordat het model wordt gebruikt: het geeft buurten een cijfer, en de dimensie bewoners rust op het aandeel huishoudens "
        + "met een laag inkomen. Zo'n cijfer kan buurten een stempel geven. Een DPIA is niet nodig: het model rekent alleen met uitkomsten van andere "
        + "modellen per buurt en verwerkt geen persoonsgegevens.");

    /// <inheritdoc />
    public RegisterEntry Describe(RegisterPublisher publisher)
    {
        return InternalModelEntry.Create(
            publisher,
            LiveabilityModel.ModelId,
            "Indicatieve leefbaarheid per buurt berekenen voor scenario's",
            "Het model geeft per buurt een indicatief cijfer voor de leefbaarheid, verdeeld over vijf onderwerpen: woningen, fysieke omgeving, "
            + "voorzieningen, bewoners en veiligheid. Het is niet de officiële Leefbaarometer, maar een hulpmiddel om plannen te vergelijken.") with
        {
            Category = ["Wonen", "Ruimte en infrastructuur", "Natuur en milieu"],
            Goal = "<p>Het doel is dat de gemeente in één overzicht ziet hoe een plan de leefomgeving in buurten verandert: geluid, lucht, hitte, groen, "
                + "voorzieningen, verkeer en de samenstelling van woningen en bewoners.</p>"
                + "<p>Het cijfer is indicatief. Het is bedoeld om plannen met elkaar te vergelijken, niet om buurten te beoordelen of te rangschikken.</p>",
            Proportionality = "<p>Voordeel: de effecten van een plan op verschillende onderwerpen komen samen in een begrijpelijk overzicht, met open rekenregels. "
                + "Nadeel: het cijfer rust op gelijke gewichten en op een beperkt aantal kenmerken. De officiële Leefbaarometer gebruikt ongeveer 100 kenmerken "
                + "en is afgestemd op oordelen van bewoners en woningprijzen. Daarom heet de uitkomst altijd indicatief en staat de onzekerheid op laag.</p>",
            HumanIntervention = "<p>De uitkomst is een verkenning. Medewerkers en bestuurders wegen die zelf mee en kijken altijd ook naar de onderliggende cijfers. "
                + "Het model neemt geen besluiten over mensen of buurten.</p>",
            Risks = "<p>Risico op stigmatisering: een laag cijfer kan een buurt een stempel geven. De dimensie bewoners rust op het aandeel huishoudens met een laag "
                + "inkomen, zoals in de Leefbaarometer; de gemeente kan die dimensie na de IAMA uitzetten. Er worden geen kenmerken als nationaliteit of afkomst "
                + "gebruikt. Risico op schijnzekerheid: het cijfer lijkt preciezer dan het is. De aannames staan in docs/models/leefbaarheid.md.</p>",
            LawfulBasis = "<p>Het model ondersteunt de taken van de gemeente in de ruimtelijke ordening onder de Omgevingswet, waaronder de zorg voor een goede "
                + "fysieke leefomgeving.</p>",
            LawfulBasisGrouping = [new RegisterLink("Omgevingswet", "https://wetten.overheid.nl/BWBR0037885")],
            Impacttoetsen = "<p>Er is een IAMA vereist voordat het model in gebruik gaat, omdat het buurten een cijfer geeft. "
                + "Er is geen DPIA nodig, omdat het model geen persoonsgegevens verwerkt.</p>",
            SourceData = "<p>De uitkomsten van de andere modellen van de digitale tweeling per buurt: woningen naar type en eigendom, geluid bij de gevels, "
                + "stikstofdioxide, hitte, groen en bomen, voorzieningen en loopafstanden, het aandeel huishoudens met een laag inkomen, en het verkeer op de "
                + "wegen bij de woningen.</p>",
            SourceDataGrouping = [new RegisterLink("Leefbaarometer (ter vergelijking)", "https://www.leefbaarometer.nl")],
            MethodsAndModels = "<p>Het model is regelgebaseerd en niet zelflerend.</p>"
                + "<p>Elk kenmerk krijgt een score van 0 tot 1 tussen twee ankerpunten, bijvoorbeeld geluid: 1 bij 53 dB Lden of minder (norm WHO en "
                + "standaardwaarde Omgevingswet) en 0 bij 70 dB of meer (grenswaarde). Een dimensie is het gemiddelde van haar scores, maal 100. "
                + "Het totaal is het gemiddelde van de dimensies met gelijke gewichten, alleen als er minstens drie bekend zijn.</p>"
                + "<p>Woningvoorraad: de menging van woningtypen en eigendom. Fysieke omgeving: geluid, stikstofdioxide, hitte-eiland, groen per inwoner "
                + "en bomen. Voorzieningen: capaciteit tegenover de norm en loopafstand. Bewoners: het aandeel huishoudens met een laag inkomen. "
                + "Veiligheid: het verkeer op de drukste weg bij de woningen.</p>",
            Tags = "scenario, leefbaarheid, leefbaarometer, leefomgeving, buurt, digitale tweeling",
        };
    }
}
