using Tweeling.Domain.Algorithms;

namespace Tweeling.Models.Facilities;

/// <summary>
/// The register entry of <see cref="FacilitiesModel"/>: fixed planning norms and the 2SFCA method on counts
/// per buurt, no learning, no personal data. Changing the norms or the method means changing this entry
/// (and the model's version) in the same commit.
/// </summary>
public sealed class FacilitiesAlgorithm : IRegisteredAlgorithm
{
    /// <inheritdoc />
    public string Id => FacilitiesModel.ModelId;

    /// <inheritdoc />
    public RequiredApprovals Approvals { get; } = RequiredApprovals.None(
        "Geen DPIA, IAMA of toets door de ethische commissie vereist: het model rekent met aantallen inwoners per buurt en leeftijdsgroep "
        + "en met de capaciteit van voorzieningen. Het verwerkt geen persoonsgegevens en neemt of bereidt geen besluiten over personen voor; "
        + "de uitkomsten gaan over buurten en ondersteunen ruimtelijke planning.");

    /// <inheritdoc />
    public RegisterEntry Describe(RegisterPublisher publisher)
    {
        return InternalModelEntry.Create(
            publisher,
            Id,
            "Vraag naar en aanbod van voorzieningen per buurt berekenen",
            "Het model berekent per buurt hoeveel huisartsen, apotheken, plaatsen op basisscholen, kinderopvang en verpleeghuizen "
            + "de inwoners nodig hebben, en hoeveel daarvan in de buurt beschikbaar is. Zo ziet de gemeente waar in een scenario een tekort ontstaat.") with
        {
            Category = ["Zorg en gezondheid", "Onderwijs en wetenschap", "Ruimte en infrastructuur"],
            Goal = "<p>Het doel is dat de gemeente bij plannen voor nieuwe woningen of bij vergrijzing op tijd ziet of er genoeg voorzieningen zijn. "
                + "Bijvoorbeeld: zijn er genoeg huisartsen in de buurt, genoeg plaatsen op de basisschool en genoeg plaatsen in een verpleeghuis?</p>"
                + "<p>Inwoners merken er zelf niets van. Het model zegt niets over personen. Het helpt bij plannen voor de stad.</p>",
            Proportionality = "<p>Voordeel: in een scenario is snel en voor elke buurt op dezelfde manier te zien waar vraag en aanbod uit balans raken. "
                + "Nadeel: het model gebruikt landelijke normen en een vaste afstand. Echte keuzes van inwoners, zoals een huisarts dichter bij het werk, zitten er niet in.</p>"
                + "<p>Alternatieven zijn een telling per buurt zonder afstand (dan tellen voorzieningen net over de buurtgrens niet mee) "
                + "of een verkeersmodel met keuzes van inwoners (veel meer gegevens nodig). "
                + "Er is gekozen voor een eenvoudige, bekende methode (2SFCA) die iedereen kan narekenen.</p>",
            HumanIntervention = "<p>De uitkomsten zijn een hulpmiddel voor beleidsmedewerkers en planners. Zij beoordelen de cijfers en beslissen zelf. "
                + "De normen en afstanden zijn instellingen die een medewerker kan aanpassen. Elke uitkomst noemt de versie van het model en de invoer, zodat een berekening te herhalen is.</p>",
            Risks = "<p>Een verkeerde norm of een verouderde capaciteit geeft een verkeerd beeld van tekorten. "
                + "Daarom staat bij elke norm de bron en de betrouwbaarheid in de documentatie (docs/models/voorzieningen.md). "
                + "De afstand is hemelsbreed met een omwegfactor; bij water of spoor kan de echte afstand veel groter zijn. "
                + "Het bereikbaarheidsmodel rekent wel over het wegennet en kan de uitkomsten controleren.</p>"
                + "<p>Discriminatie is niet aan de orde: het model gebruikt alleen aantallen inwoners per leeftijdsgroep en geen gegevens over personen.</p>",
            LawfulBasis = "<p>Het model ondersteunt wettelijke taken van de gemeente. "
                + "De Omgevingswet vraagt de gemeente in het omgevingsplan te zorgen voor een evenwichtige toedeling van functies aan locaties, waaronder maatschappelijke voorzieningen. "
                + "De Wet op het primair onderwijs draagt de gemeente de zorg op voor de huisvesting van scholen.</p>",
            LawfulBasisGrouping =
            [
                new RegisterLink("Omgevingswet", "https://wetten.overheid.nl/BWBR0037885"),
                new RegisterLink("Wet op het primair onderwijs", "https://wetten.overheid.nl/BWBR0003420"),
            ],
            Impacttoetsen = "<p>Er is geen DPIA gedaan, omdat het model geen persoonsgegevens verwerkt. "
                + "Er is geen IAMA gedaan, omdat het model geen besluiten over mensen neemt of voorbereidt en geen grondrechten raakt.</p>",
            SourceData = "<p>Het aantal inwoners per buurt in leeftijdsgroepen (0–3, 4–11, 12–17, 18–64, 65–74 en 75 jaar en ouder), uit het bevolkingsmodel van het platform of uit CBS-cijfers. "
                + "De voorzieningen met hun soort, adres en capaciteit (fte huisarts, patiënten, leerlingplaatsen, kindplaatsen, bedden). "
                + "Normen uit de planningspraktijk: de normpraktijk van de NZa (2.095 patiënten per fte huisarts) en afgeleide cijfers van CBS.</p>",
            SourceDataGrouping =
            [
                new RegisterLink("CBS Kerncijfers wijken en buurten", "https://www.cbs.nl/nl-nl/reeksen/kerncijfers-wijken-en-buurten-2004-2024"),
                new RegisterLink("CBS Nabijheid voorzieningen (85830NED)", "https://opendata.cbs.nl/statline/#/CBS/nl/dataset/85830NED/table"),
            ],
            MethodsAndModels = "<p>Het model is regelgebaseerd en niet zelflerend.</p>"
                + "<p>Input: inwoners per buurt en leeftijdsgroep, en de voorzieningen met hun capaciteit.</p>"
                + "<p>Werking: de vraag van een buurt is het aantal inwoners per leeftijdsgroep maal een norm. Voorbeeld: 1 fte huisarts per 2.095 inwoners. "
                + "Daarna de methode 2SFCA (two-step floating catchment area, Luo en Wang 2003). Stap 1: elke voorziening deelt haar capaciteit door de vraag van alle buurten binnen een vaste afstand. "
                + "Stap 2: elke buurt telt die verhoudingen op van de voorzieningen binnen dezelfde afstand. "
                + "De afstand is hemelsbreed maal een omwegfactor van 1,3.</p>"
                + "<p>Output: per buurt en soort voorziening de vraag, de capaciteit binnen bereik, de verhouding aanbod/vraag en het tekort; per voorziening de vraag binnen haar bereik.</p>",
            Tags = "voorzieningen, huisarts, apotheek, basisschool, kinderopvang, verpleeghuis, 2SFCA, vraag en aanbod, scenario, digitale tweeling",
        };
    }
}
