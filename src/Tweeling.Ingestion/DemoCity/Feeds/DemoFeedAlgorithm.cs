using Tweeling.Domain.Algorithms;

namespace Tweeling.Ingestion.DemoCity.Feeds;

/// <summary>
/// The register entry of the demo city's simulated sensor feed (<see cref="SignalModel"/>, <see cref="DemoFeed"/>):
/// it invents readings for demonstration, tests and training, and processes no personal data.
/// </summary>
public sealed class DemoFeedAlgorithm : IRegisteredAlgorithm
{
    /// <summary>The algorithm's id in the platform's register.</summary>
    public const string AlgorithmId = "demo-sensorfeed";

    /// <inheritdoc />
    public string Id => AlgorithmId;

    /// <inheritdoc />
    public RequiredApprovals Approvals { get; } = RequiredApprovals.None(
        "Geen DPIA, IAMA of toets door de ethische commissie vereist: de generator verzint meetwaarden voor de synthetische demostad. "
        + "Hij verwerkt geen persoonsgegevens of echte metingen en zijn uitkomsten worden niet gebruikt voor besluiten.");

    /// <inheritdoc />
    public RegisterEntry Describe(RegisterPublisher publisher)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        return new RegisterEntry
        {
            Name = "Sensormetingen voor de demostad simuleren",
            DescriptionShort = "Dit algoritme verzint metingen van 60 nep-sensoren in een verzonnen stad, de demostad. "
                + "Zo kunnen we het platform laten zien, testen en er mensen mee opleiden zonder echte gegevens te gebruiken. "
                + "De metingen zeggen niets over een echte plaats of persoon.",
            Organization = publisher.Organization,
            Category = ["Organisatie en bedrijfsvoering"],
            Status = RegisterValues.StatusInUse,
            ContactEmail = publisher.Contact,
            PublicationCategory = RegisterValues.OtherAlgorithms,
            Url = publisher.EntryUrl(AlgorithmId),
            Goal = "<p>Het doel is een levende demonstratie en testomgeving: het platform krijgt doorlopend metingen, zonder dat er echte sensoren of echte gegevens nodig zijn. "
                + "Inwoners en bedrijven komen er niet mee in aanraking. Alle metingen zijn duidelijk gemarkeerd als synthetisch.</p>",
            Proportionality = "<p>Voordeel: het platform kan worden getoond, getest en gebruikt voor opleiding zonder risico voor de privacy van inwoners. "
                + "Het alternatief, echte metingen gebruiken, is onnodig en kan gevoelig zijn. "
                + "Nadeel: de metingen zijn aannemelijk maar niet gekalibreerd, dus er mogen geen conclusies over een echte stad uit worden getrokken. "
                + "Daarom heet de stad 'Demostad (synthetisch)' en staat in de catalogus dat alle gegevens verzonnen zijn.</p>",
            HumanIntervention = "<p>Er is geen menselijke tussenkomst nodig: de uitkomsten worden niet gebruikt voor besluiten. "
                + "Een beheerder kan de demofeed uitzetten (tweeling serve --no-demo) of het algoritme uitschakelen in het register.</p>",
            Risks = "<p>Het belangrijkste risico is dat iemand verzonnen metingen voor echte aanziet. "
                + "Daarom is elke dataset van de demostad gemarkeerd als synthetisch, heeft de gemeente een niet-bestaande code (GM9999) en staat 'synthetisch' in de naam. "
                + "Er zijn geen risico's voor de privacy of voor discriminatie: er worden geen gegevens over personen gebruikt.</p>",
            LawfulBasis = "<p>Niet van toepassing. Het algoritme verwerkt geen persoonsgegevens en ondersteunt geen besluit of wettelijke taak; "
                + "het maakt verzonnen metingen voor demonstratie, tests en opleiding. Een wettelijke grondslag is daarom niet nodig.</p>",
            Impacttoetsen = "<p>Er is geen DPIA gedaan, omdat er geen persoonsgegevens worden verwerkt. "
                + "Er is geen IAMA gedaan, omdat de uitkomsten niet over mensen gaan en niet voor besluiten worden gebruikt.</p>",
            SourceData = "<p>Geen echte gegevens. Invoer is alleen de synthetische demostad (wegen, straten, buurten, kademuren en gemalen die de demostadgenerator heeft verzonnen) "
                + "en een getal (seed) waarmee de toevalsgetallen vastliggen.</p>",
            MethodsAndModels = "<p>Het algoritme is regelgebaseerd en niet zelflerend.</p>"
                + "<p>Input: de plaats en soort van elke gesimuleerde sensor (verkeerstellers, passantentellers, parkeergarages, NO2, PM10, PM2.5, kademuren, gemalen), de seed en de tijd.</p>"
                + "<p>Werking: elke meting is een vaste functie van seed, sensor en tijd: een dag- en weekpatroon (bijvoorbeeld spitsen rond 8 en 17 uur), "
                + "een verzonnen 'weer'-signaal uit sinusgolven van dagen tot weken, en ruis uit een hash van seed, sensor en tijd. "
                + "Zeldzame gebeurtenissen (een druk evenement, een storing van een gemaal, een kademuur die sneller scheef gaat) liggen ook vast door de seed.</p>"
                + "<p>Output: metingen op vaste tijdstippen per sensor, opgeslagen in de SensorThings API. Dezelfde seed geeft altijd dezelfde metingen, ook na een herstart.</p>",
            Provider = RegisterValues.InternallyDeveloped,
            SourceId = AlgorithmId,
            Tags = "demostad, synthetische gegevens, simulatie, sensoren, testen, opleiding",
        };
    }
}
