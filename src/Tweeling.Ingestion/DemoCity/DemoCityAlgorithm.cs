using Tweeling.Domain.Algorithms;

namespace Tweeling.Ingestion.DemoCity;

/// <summary>
/// The register entry of the demo city generator (<see cref="DemoCityGenerator"/>): a seeded generator of a
/// synthetic city and its neighbourhood figures, processing no personal data.
/// </summary>
public sealed class DemoCityAlgorithm : IRegisteredAlgorithm
{
    /// <summary>The algorithm's id in the platform's register.</summary>
    public const string AlgorithmId = "demostad-generator";

    /// <inheritdoc />
    public string Id => AlgorithmId;

    /// <inheritdoc />
    public RequiredApprovals Approvals { get; } = RequiredApprovals.None(
        "Geen DPIA, IAMA of toets door de ethische commissie vereist: de generator verzint een stad met gebouwen, wegen en buurtcijfers. "
        + "Hij verwerkt geen persoonsgegevens of echte gegevens en zijn uitkomsten worden niet gebruikt voor besluiten.");

    /// <inheritdoc />
    public RegisterEntry Describe(RegisterPublisher publisher)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        return new RegisterEntry
        {
            Name = "Een verzonnen demostad met buurtcijfers genereren",
            DescriptionShort = "Dit algoritme maakt een verzonnen stad met de grootte en opbouw van een middelgrote Nederlandse stad: buurten, gebouwen, wegen, groen en buurtcijfers. "
                + "Daarmee laten we het platform zien en testen we het, zonder echte gegevens te gebruiken.",
            Organization = publisher.Organization,
            Category = ["Organisatie en bedrijfsvoering", "Ruimte en infrastructuur"],
            Status = RegisterValues.StatusInUse,
            ContactEmail = publisher.Contact,
            PublicationCategory = RegisterValues.OtherAlgorithms,
            Url = publisher.EntryUrl(AlgorithmId),
            Goal = "<p>Het doel is een volledige, realistische stad om het platform mee te tonen, te testen en te meten (bijvoorbeeld hoe snel het is), zonder echte gegevens. "
                + "Inwoners en bedrijven komen er niet mee in aanraking.</p>",
            Proportionality = "<p>Voordeel: alle onderdelen van het platform kunnen op ware grootte worden getest, zonder privacyrisico en zonder afhankelijk te zijn van echte bestanden. "
                + "Nadeel: de stad lijkt echt maar is het niet. Daarom heet ze 'Demostad (synthetisch)', heeft ze de niet-bestaande gemeentecode GM9999 en staat in de catalogus dat alles verzonnen is.</p>",
            HumanIntervention = "<p>Er is geen menselijke tussenkomst nodig: de uitkomsten worden niet gebruikt voor besluiten. "
                + "Een beheerder start de generator zelf (tweeling demo) en kiest schaal, seed en peildatum.</p>",
            Risks = "<p>Het belangrijkste risico is dat iemand de verzonnen stad of haar buurtcijfers voor echt aanziet. "
                + "Elke dataset van de demostad is daarom gemarkeerd als synthetisch. "
                + "Er zijn geen risico's voor de privacy of voor discriminatie: namen van straten en buurten komen uit woordenlijsten (vogels, bomen, schilders) en er worden geen personen gemaakt.</p>",
            LawfulBasis = "<p>Niet van toepassing. Het algoritme verwerkt geen persoonsgegevens en ondersteunt geen besluit of wettelijke taak; "
                + "het maakt een verzonnen stad voor demonstratie, tests en opleiding. Een wettelijke grondslag is daarom niet nodig.</p>",
            Impacttoetsen = "<p>Er is geen DPIA gedaan, omdat er geen persoonsgegevens worden verwerkt. "
                + "Er is geen IAMA gedaan, omdat de uitkomsten niet over echte mensen gaan en niet voor besluiten worden gebruikt.</p>",
            SourceData = "<p>Geen echte gegevens. Invoer is alleen: een schaal, een seed (het getal waarmee de toevalsgetallen vastliggen), een peildatum, "
                + "vaste verhoudingen zoals woningdichtheid en bouwperiodes per soort wijk, en woordenlijsten voor straatnamen.</p>",
            MethodsAndModels = "<p>Het algoritme is regelgebaseerd en niet zelflerend.</p>"
                + "<p>Input: schaal, seed en peildatum.</p>"
                + "<p>Werking: een vast grondplan (rivier, singel, oude kern) wordt met Voronoi-cellen rond vaste punten verdeeld in 13 wijken en hun buurten. "
                + "Straten liggen op een raster van 40 meter; gebouwen worden per wijk geplaatst met bouwjaren, woningtypen en eigendom volgens vaste verdelingen per soort wijk. "
                + "Buurtcijfers (zoals inwoners en woningen) worden afgeleid van de gegenereerde gebouwen met vaste bezettingsgraden.</p>"
                + "<p>Output: gebieden, panden, wegen, voorzieningen, groen, beheerobjecten en buurtcijfers in de store. Dezelfde invoer geeft altijd precies dezelfde stad.</p>",
            Provider = RegisterValues.InternallyDeveloped,
            SourceId = AlgorithmId,
            Tags = "demostad, synthetische gegevens, generator, testen, benchmarks, opleiding",
        };
    }
}
