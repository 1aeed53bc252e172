using Tweeling.Domain.Algorithms;

namespace Tweeling.Domain.Alerts;

/// <summary>
/// The register entry of the threshold alerts that <see cref="AlertMonitor"/> raises and clears: a fixed
/// rule per Datastream, no learning, no personal data. Changing how the monitor judges means changing
/// this entry in the same commit.
/// </summary>
public sealed class ThresholdAlertsAlgorithm : IRegisteredAlgorithm
{
    /// <summary>The algorithm's id in the platform's register.</summary>
    public const string AlgorithmId = "drempelalarmen";

    /// <inheritdoc />
    public string Id => AlgorithmId;

    /// <inheritdoc />
    public RequiredApprovals Approvals { get; } = RequiredApprovals.None(
        "Geen DPIA, IAMA of toets door de ethische commissie vereist: de drempelalarmen vergelijken meetwaarden van sensoren in de openbare ruimte "
        + "(luchtkwaliteit, tellingen van verkeer en passanten, bezetting van parkeergarages, kademuren, gemalen) met vaste grenzen. "
        + "Ze verwerken geen persoonsgegevens en nemen geen besluiten over mensen. Komt er een drempel op gegevens over personen, dan is eerst een nieuwe beoordeling nodig.");

    /// <inheritdoc />
    public RegisterEntry Describe(RegisterPublisher publisher)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        return new RegisterEntry
        {
            Name = "Drempelalarmen op sensormetingen melden",
            DescriptionShort = "Sensoren in de stad meten bijvoorbeeld luchtkwaliteit, drukte en de stand van gemalen. "
                + "Komt een meting boven of onder een grens die de gemeente heeft ingesteld, dan meldt het systeem een alarm aan medewerkers. "
                + "Als de meting weer normaal is, wordt het alarm opgeheven.",
            Organization = publisher.Organization,
            Category = ["Natuur en milieu", "Openbare orde en veiligheid", "Ruimte en infrastructuur"],
            Status = RegisterValues.StatusInUse,
            ContactEmail = publisher.Contact,
            PublicationCategory = RegisterValues.OtherAlgorithms,
            Url = publisher.EntryUrl(AlgorithmId),
            Goal = "<p>Het doel is dat medewerkers snel zien wanneer er iets mis is in de openbare ruimte. "
                + "Bijvoorbeeld: de lucht is erg vervuild, het is te druk in een winkelstraat, een gemaal staat stil of een kademuur verschuift. "
                + "Zo kan de gemeente op tijd ingrijpen.</p>"
                + "<p>Inwoners en bedrijven merken er niets van zolang alles normaal is. "
                + "Het algoritme zegt niets over personen en neemt geen besluiten over hen.</p>",
            Proportionality = "<p>Voordeel: medewerkers hoeven niet de hele dag grafieken te bekijken, en een probleem valt ook 's nachts op. "
                + "Nadeel: een grens die verkeerd is ingesteld geeft te veel of te weinig alarmen.</p>"
                + "<p>Alternatieven zijn handmatig meekijken (te traag, te veel werk) of een zelflerend model dat afwijkingen zoekt. "
                + "Daarvoor is niet gekozen: een vaste grens is voor iedereen te begrijpen en te controleren. "
                + "Omdat er geen persoonsgegevens worden gebruikt, zijn de risico's voor inwoners klein.</p>",
            HumanIntervention = "<p>Een alarm is alleen een melding. Een medewerker bekijkt het alarm en de metingen en beslist zelf wat er moet gebeuren. "
                + "Medewerkers stellen de grenzen in en passen ze aan (met 'tweeling drempels'). "
                + "Elk alarm wordt bewaard met de meting die het veroorzaakte en de meting die het ophief, zodat achteraf te controleren is waarom het kwam.</p>",
            Risks = "<p>Een kapotte of verkeerd afgestelde sensor kan een onterecht alarm geven, of een echt probleem missen. "
                + "Daarom is een alarm een signaal voor een medewerker en nooit zelf een besluit. "
                + "Een herstelgrens (hysterese) voorkomt dat een meting rond de grens steeds opnieuw alarm geeft. "
                + "De alarmgeschiedenis is openbaar in de API (/api/v1/alarmen), zodat te zien is hoe vaak en wanneer alarmen afgaan en of grenzen moeten worden bijgesteld.</p>"
                + "<p>Discriminatie is niet aan de orde: het algoritme gebruikt geen gegevens over personen.</p>",
            LawfulBasis = "<p>Het algoritme ondersteunt wettelijke taken van de gemeente. "
                + "De Omgevingswet draagt de gemeente de zorg op voor een veilige en gezonde fysieke leefomgeving, waaronder luchtkwaliteit en het beheer van water en kademuren. "
                + "Volgens de Gemeentewet (artikel 172) zorgt de burgemeester voor de openbare orde, bijvoorbeeld bij grote drukte.</p>",
            LawfulBasisGrouping =
            [
                new RegisterLink("Omgevingswet", "https://wetten.overheid.nl/BWBR0037885"),
                new RegisterLink("Gemeentewet", "https://wetten.overheid.nl/BWBR0005416"),
            ],
            Impacttoetsen = "<p>Er is geen DPIA gedaan, omdat het algoritme geen persoonsgegevens verwerkt. "
                + "Er is geen IAMA gedaan, omdat het algoritme geen besluiten over mensen neemt of voorbereidt en geen grondrechten raakt. "
                + "Als er ooit drempels komen op gegevens over personen, dan worden eerst een DPIA, een IAMA en een toets door de ethische commissie gedaan.</p>",
            SourceData = "<p>Metingen van sensoren in de openbare ruimte, via de SensorThings API van het platform: "
                + "luchtkwaliteit (NO2, PM10, PM2.5), tellingen van verkeer en passanten (alleen aantallen, geen beelden of kentekens), "
                + "bezetting van parkeergarages, de scheefstand van kademuren en de status van gemalen. "
                + "Daarnaast de grenzen die medewerkers per meetreeks instellen.</p>",
            SourceDataGrouping =
            [
                new RegisterLink("OGC SensorThings API 1.1 (meetreeksen van het platform)", "https://docs.ogc.org/is/18-088/18-088.html"),
            ],
            MethodsAndModels = "<p>Het algoritme is regelgebaseerd en niet zelflerend.</p>"
                + "<p>Input: elke nieuwe meting (Observation) van een meetreeks (Datastream) waarop een drempel staat. "
                + "Een drempel heeft een conditie (boven, onder of gelijk aan een waarde), een herstelwaarde en een ernst (informatie, waarschuwing, kritiek).</p>"
                + "<p>Werking: per drempel worden de metingen in volgorde van meettijd beoordeeld. "
                + "De eerste meting die de grens overschrijdt opent een alarm. Het alarm blijft open tot een latere meting terugkomt voorbij de herstelwaarde; "
                + "bij 'gelijk' (een statuscode, zoals een storing van een gemaal) heft elke andere waarde het alarm op. "
                + "Een meting die ouder is dan de laatste verandering van het alarm verandert niets meer.</p>"
                + "<p>Output: gemelde en opgeheven alarmen, bewaard in de alarmgeschiedenis (/api/v1/alarmen) en live gemeld (/api/v1/live).</p>",
            Provider = RegisterValues.InternallyDeveloped,
            SourceId = AlgorithmId,
            Tags = "sensoren, drempels, alarmen, luchtkwaliteit, drukte, gemalen, kademuren, SensorThings, digitale tweeling",
        };
    }
}
