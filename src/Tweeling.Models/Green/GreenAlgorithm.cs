using Tweeling.Domain.Algorithms;

namespace Tweeling.Models.Green;

/// <summary>
/// The register entry of the green model (<see cref="GreenModel"/>): counts of green, trees and inhabitants per buurt,
/// no personal data. Changing how the model calculates means changing this entry in the same commit.
/// </summary>
public sealed class GreenAlgorithm : IRegisteredAlgorithm
{
    /// <inheritdoc />
    public string Id => GreenModel.ModelId;

    /// <inheritdoc />
    public RequiredApprovals Approvals { get; } = RequiredApprovals.None(
        "Geen DPIA, IAMA of toets door de ethische commissie vereist: het groenmodel rekent met groenvlakken, bomen, woningen (als adrespunt) en het aantal inwoners per buurt. "
        + "Het verwerkt geen gegevens over personen en neemt geen besluiten over mensen.");

    /// <inheritdoc />
    public RegisterEntry Describe(RegisterPublisher publisher)
    {
        return InternalModelEntry.Create(
            publisher,
            GreenModel.ModelId,
            "Groen per inwoner en de 3-30-300-regel berekenen voor scenario's",
            "Het model berekent per buurt hoeveel openbaar groen er is per inwoner en hoeveel van de buurt onder boomkronen ligt. "
            + "Per woning kijkt het of er 3 bomen dichtbij staan, de buurt 30 procent boomkroon heeft en er een park binnen 300 meter ligt.") with
        {
            Category = ["Natuur en milieu", "Ruimte en infrastructuur", "Wonen"],
            Goal = "<p>Het doel is dat beleidsmakers zien waar groen ontbreekt en wat een plan oplevert, zoals bomen planten of een nieuw park. "
                + "Groen in de buurt is goed voor gezondheid, verkoeling en waterberging.</p>",
            Proportionality = "<p>Voordeel: de gevolgen van een plan voor groen zijn direct te zien, per buurt en per woning. "
                + "Nadeel: 'drie bomen zien vanuit huis' wordt benaderd met 'drie bomen binnen 30 meter', en de afstand tot een park is hemelsbreed, niet over straat.</p>"
                + "<p>Omdat er geen persoonsgegevens worden gebruikt, zijn de risico's voor inwoners klein.</p>",
            HumanIntervention = "<p>Medewerkers kiezen de scenario's en beoordelen de uitkomsten. Het model neemt zelf geen besluit.</p>",
            Risks = "<p>Het risico is dat de benadering voor '3 bomen zien' te ruim of te krap is, bijvoorbeeld door een gebouw tussen woning en boom. "
                + "Daarom staan de keuzes en de grenzen in de documentatie (docs/models/groen.md) en zijn ze instelbaar.</p>"
                + "<p>Discriminatie is niet aan de orde: het model gebruikt geen gegevens over personen, alleen het aantal inwoners per buurt.</p>",
            LawfulBasis = "<p>Het model ondersteunt de taak van de gemeente onder de Omgevingswet om te zorgen voor een gezonde fysieke leefomgeving, waaronder groen in de stad.</p>",
            LawfulBasisGrouping =
            [
                new RegisterLink("Omgevingswet", "https://wetten.overheid.nl/BWBR0037885"),
            ],
            Impacttoetsen = InternalModelEntry.NoImpactAssessmentNeeded,
            SourceData = "<p>Openbaar groen uit de BGT, bomen uit het bomenregister van de gemeente (met kroondiameter), woningen uit de BAG "
                + "en het aantal inwoners per buurt van het CBS of uit het scenario.</p>",
            SourceDataGrouping =
            [
                new RegisterLink("Basisregistratie Grootschalige Topografie (BGT)", "https://www.kadaster.nl/zakelijk/registraties/basisregistraties/bgt"),
                new RegisterLink("CBS Kerncijfers wijken en buurten", "https://www.cbs.nl/nl-nl/reeksen/kerncijfers-wijken-en-buurten"),
            ],
            MethodsAndModels = "<p>Het model is regelgebaseerd en niet zelflerend.</p>"
                + "<p>Groen per inwoner: de oppervlakte openbaar groen binnen de buurt, gedeeld door het aantal inwoners.</p>"
                + "<p>3-30-300: 3 bomen binnen 30 meter van de woning; minstens 30 procent van de buurt onder boomkronen (kronen als cirkels, overlap telt één keer); "
                + "een park van minstens 1 hectare binnen 300 meter hemelsbreed.</p>"
                + "<p>Uitkomst: per buurt het groen per inwoner en het kroonaandeel, per woning welke delen van 3-30-300 gehaald worden, en de aandelen voor de hele stad.</p>",
            Tags = "groen, bomen, 3-30-300, park, groen per inwoner, scenario's, digitale tweeling",
        };
    }
}
