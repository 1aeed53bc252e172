using Tweeling.Domain.Algorithms;

namespace Tweeling.Models.Population;

/// <summary>
/// The register entry of the population model (<see cref="PopulationModel"/>): it estimates residents per buurt from
/// dwellings for scenarios; aggregates only, no data about persons. Changing the model means changing this entry.
/// </summary>
public sealed class PopulationAlgorithm : IRegisteredAlgorithm
{
    /// <inheritdoc />
    public string Id => PopulationModel.ModelId;

    /// <inheritdoc />
    public RequiredApprovals Approvals { get; } = RequiredApprovals.None(
        "Geen DPIA, IAMA of toets door de ethische commissie vereist: het model rekent met aantallen woningen per gebouw en met buurtcijfers "
        + "(inwoners, huishoudens, leeftijdsgroepen) en geeft alleen aantallen per buurt. Het verwerkt geen persoonsgegevens en neemt geen besluiten over mensen.");

    /// <inheritdoc />
    public RegisterEntry Describe(RegisterPublisher publisher)
    {
        return InternalModelEntry.Create(
            publisher,
            PopulationModel.ModelId,
            "Bevolking per buurt schatten voor scenario's",
            "Voor een plan, zoals nieuwe woningen of sloop, schat dit model hoeveel inwoners en huishoudens er per buurt komen, en in welke leeftijdsgroepen. "
            + "Ook berekent het hoe de bevolking over een aantal jaren ouder wordt. Het is een hulpmiddel bij het verkennen van plannen.") with
        {
            Category = ["Ruimte en infrastructuur", "Wonen"],
            Goal = "<p>Het doel is dat de gemeente vóór een besluit ziet wat een plan betekent voor het aantal inwoners per buurt. "
                + "Andere modellen (zoals voorzieningen, verkeer en groen) gebruiken die schatting weer.</p>"
                + "<p>Het model zegt niets over personen. De uitkomst is een schatting per buurt, geen voorspelling voor een huishouden.</p>",
            Proportionality = "<p>Voordeel: een plan is snel en op dezelfde manier door te rekenen, en de aannames staan open beschreven. "
                + "Nadeel: een gemiddelde bezetting per woningtype klopt voor een buurt nooit precies. "
                + "Daarom wordt het model per buurt afgesteld op de buurtcijfers.</p>",
            HumanIntervention = "<p>De uitkomst is een verkenning. Medewerkers en bestuurders wegen die zelf mee; het model neemt geen besluiten. "
                + "Elk scenario en elke versie blijft bewaard, zodat te controleren is met welke invoer een uitkomst is berekend.</p>",
            Risks = "<p>Het model kan er naast zitten als een nieuwe wijk anders wordt bewoond dan de bestaande woningen. "
                + "Bij vergrijzing worden geboorte, sterfte en verhuizingen niet meegenomen. "
                + "Dit staat bij elke uitkomst in de documentatie (docs/models/bevolking.md).</p>",
            LawfulBasis = "<p>Het model ondersteunt de taken van de gemeente in de ruimtelijke ordening onder de Omgevingswet, zoals het omgevingsplan en de woningbouwplanning.</p>",
            LawfulBasisGrouping = [new RegisterLink("Omgevingswet", "https://wetten.overheid.nl/BWBR0037885")],
            Impacttoetsen = InternalModelEntry.NoImpactAssessmentNeeded,
            SourceData = "<p>Het aantal woningen per gebouw met woningtype en eigendom (panden), en de buurtcijfers van het CBS (inwoners, huishoudens, leeftijdsgroepen) op de peildatum. "
                + "Daarnaast de ingrepen van het scenario.</p>",
            SourceDataGrouping = [new RegisterLink("CBS Kerncijfers wijken en buurten", "https://www.cbs.nl/nl-nl/reeksen/kerncijfers-wijken-en-buurten-2004-2024")],
            MethodsAndModels = "<p>Het model is regelgebaseerd en niet zelflerend.</p>"
                + "<p>Inwoners = woningen × gemiddelde bezetting naar woningtype (appartement 1,65; tussen- en hoekwoning 2,45; twee-onder-een-kap 2,65; vrijstaand 2,75) "
                + "× factor naar eigendom (koop 1,00; sociale huur 0,95; particuliere huur 0,85). Huishoudens = woningen × 0,965. "
                + "Per buurt wordt de uitkomst vermenigvuldigd met de verhouding tussen de buurtcijfers en de berekende waarde voor de huidige woningen.</p>"
                + "<p>De leeftijdsopbouw van de buurt wordt overgenomen. Bij vergrijzing met N jaar schuift elk jaar een deel van elke leeftijdsgroep door naar de volgende; het totaal blijft gelijk.</p>",
            Tags = "scenario, bevolking, inwoners, huishoudens, woningbouw, vergrijzing, digitale tweeling",
        };
    }
}
