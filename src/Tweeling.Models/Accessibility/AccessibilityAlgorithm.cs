using Tweeling.Domain.Algorithms;

namespace Tweeling.Models.Accessibility;

/// <summary>
/// The register entry of <see cref="AccessibilityModel"/>: shortest paths over the road network from
/// dwellings to facilities, no learning, no personal data. Changing the speeds, the network rules or the
/// method means changing this entry (and the model's version) in the same commit.
/// </summary>
public sealed class AccessibilityAlgorithm : IRegisteredAlgorithm
{
    /// <inheritdoc />
    public string Id => AccessibilityModel.ModelId;

    /// <inheritdoc />
    public RequiredApprovals Approvals { get; } = RequiredApprovals.None(
        "Geen DPIA, IAMA of toets door de ethische commissie vereist: het model rekent afstanden over het wegennet tussen woningen (adressen uit de BAG) "
        + "en voorzieningen. Het gebruikt geen gegevens over de bewoners en neemt of bereidt geen besluiten over personen voor.");

    /// <inheritdoc />
    public RegisterEntry Describe(RegisterPublisher publisher)
    {
        return InternalModelEntry.Create(
            publisher,
            Id,
            "Loop- en fietsafstand tot voorzieningen berekenen",
            "Het model berekent voor elke woning hoe ver het lopen en fietsen is naar de dichtstbijzijnde huisarts, school, supermarkt en andere voorzieningen. "
            + "Het tekent ook welk gebied binnen een aantal minuten bereikbaar is.") with
        {
            Category = ["Ruimte en infrastructuur", "Verkeer", "Zorg en gezondheid"],
            Goal = "<p>Het doel is dat de gemeente ziet hoe goed voorzieningen te bereiken zijn, en wat een plan daaraan verandert. "
                + "Bijvoorbeeld: hoeveel verder lopen inwoners als een huisartsenpraktijk verhuist, of wat een nieuwe fietsbrug oplevert.</p>"
                + "<p>Inwoners merken er zelf niets van. Het model zegt niets over de bewoners van een woning.</p>",
            Proportionality = "<p>Voordeel: de afstand is over straten en fietspaden gemeten, zoals het CBS dat doet, en niet hemelsbreed. "
                + "Zo tellen water, spoor en snelwegen mee. Nadeel: het model kent geen stoplichten, hoogteverschillen of drukte, en gaat uit van een vaste snelheid.</p>"
                + "<p>Het alternatief is hemelsbrede afstand (eenvoudiger, maar onjuist bij water en spoor) of een routeplanner van een bedrijf (niet na te rekenen). "
                + "Er is gekozen voor een bekende, open methode (kortste route volgens Dijkstra) die iedereen kan narekenen.</p>",
            HumanIntervention = "<p>De uitkomsten zijn een hulpmiddel voor beleidsmedewerkers en planners. Zij beoordelen de cijfers en beslissen zelf. "
                + "De snelheden zijn instellingen die een medewerker kan aanpassen. De gemiddelden per buurt zijn te vergelijken met de cijfers van het CBS over nabijheid van voorzieningen.</p>",
            Risks = "<p>Een onvolledig wegennet (een ontbrekend fietspad of een brug) geeft te lange afstanden. "
                + "Daarom meldt het model woningen van waar geen voorziening bereikbaar is, en zijn de buurtgemiddelden te controleren met de CBS-cijfers. "
                + "Lopen en fietsen mogen over alle wegen behalve stroomwegen (zoals snelwegen), in beide richtingen; waar dat in werkelijkheid niet mag, is de afstand te kort.</p>"
                + "<p>Discriminatie is niet aan de orde: het model gebruikt geen gegevens over personen.</p>",
            LawfulBasis = "<p>Het model ondersteunt wettelijke taken van de gemeente. "
                + "De Omgevingswet vraagt de gemeente te zorgen voor een evenwichtige toedeling van functies aan locaties en voor een goede bereikbaarheid. "
                + "De Wegenverkeerswet 1994 en de Wegenwet regelen de taken van de gemeente als wegbeheerder.</p>",
            LawfulBasisGrouping =
            [
                new RegisterLink("Omgevingswet", "https://wetten.overheid.nl/BWBR0037885"),
                new RegisterLink("Wegenverkeerswet 1994", "https://wetten.overheid.nl/BWBR0006622"),
            ],
            Impacttoetsen = "<p>Er is geen DPIA gedaan, omdat het model geen persoonsgegevens verwerkt: een adres zonder gegevens over de bewoners is openbare informatie uit de BAG. "
                + "Er is geen IAMA gedaan, omdat het model geen besluiten over mensen neemt of voorbereidt en geen grondrechten raakt.</p>",
            SourceData = "<p>Het wegennet met de wegklasse van elke weg (wegvakken), de woningen als punten met hun buurt (BAG), en de voorzieningen met hun soort en adres.</p>",
            SourceDataGrouping =
            [
                new RegisterLink("Basisregistratie Adressen en Gebouwen (BAG)", "https://www.kadaster.nl/zakelijk/registraties/basisregistraties/bag"),
                new RegisterLink("Nationaal Wegenbestand (NWB)", "https://www.nationaalwegenbestand.nl"),
                new RegisterLink("CBS Nabijheidsstatistiek (methode)", "https://www.cbs.nl/nl-nl/onze-diensten/methoden/onderzoeksomschrijvingen/korte-onderzoeksbeschrijvingen/nabijheidsstatistiek"),
            ],
            MethodsAndModels = "<p>Het model is regelgebaseerd en niet zelflerend.</p>"
                + "<p>Input: het wegennet, de woningen, de voorzieningen en de punten waarvoor een bereikbaarheidsgebied gevraagd wordt.</p>"
                + "<p>Werking: elke woning en voorziening wordt met een rechte lijn aan de dichtstbijzijnde weg gekoppeld. "
                + "Per soort voorziening zoekt het algoritme van Dijkstra in één keer vanaf alle voorzieningen tegelijk de kortste route naar elk punt van het netwerk. "
                + "De tijd volgt uit een vaste snelheid: lopen 5 km/u, fietsen 15 km/u. "
                + "Voor een bereikbaarheidsgebied zoekt het model alle straten die binnen de gegeven minuten bereikbaar zijn en tekent een strook van 30 meter om die straten.</p>"
                + "<p>Output: per woning en per buurt de loop- en fietsafstand en -tijd tot de dichtstbijzijnde voorziening van elke soort, en de bereikbaarheidsgebieden.</p>",
            Tags = "bereikbaarheid, nabijheid, loopafstand, fietsafstand, isochroon, Dijkstra, voorzieningen, wegennet, scenario, digitale tweeling",
        };
    }
}
