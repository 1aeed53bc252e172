using Tweeling.Domain.Algorithms;
using Tweeling.Domain.Reviews;

namespace Tweeling.Models.Social;

/// <summary>
/// The register entry of the social model (<see cref="SocialModel"/>): a shift-share estimate of the share of
/// low-income households per buurt, aggregates only. It processes no personal data, so no DPIA; it does say something
/// about the incomes of neighbourhoods, which the fairness rules of shared/reference/models.md §7 (after the SyRI
/// ruling) ask to weigh in an IAMA before it is used. Changing the model means changing this entry.
/// </summary>
public sealed class SocialAlgorithm : IRegisteredAlgorithm
{
    /// <inheritdoc />
    public string Id => SocialModel.ModelId;

    /// <inheritdoc />
    public RequiredApprovals Approvals { get; } = new(
        new HashSet<ReviewKind> { ReviewKind.Iama },
        "Een IAMA is vereist voordat het model wordt gebruikt: het zegt iets over het inkomen in buurten, en zo'n uitkomst kan buurten een stempel geven "
        + "of tot gebiedsgerichte profilering leiden (uitspraak SyRI, ECLI:NL:RBDHA:2020:865). Een DPIA is niet nodig: het model rekent alleen met aantallen "
        + "woningen en met gepubliceerde buurtcijfers, en verwerkt geen persoonsgegevens.");

    /// <inheritdoc />
    public RegisterEntry Describe(RegisterPublisher publisher)
    {
        return InternalModelEntry.Create(
            publisher,
            SocialModel.ModelId,
            "Aandeel huishoudens met een laag inkomen per buurt schatten voor scenario's",
            "Voor een plan met nieuwe of gesloopte woningen schat dit model hoe het aandeel huishoudens met een laag inkomen in een buurt verandert. "
            + "Het rekent alleen met de soort woningen (koop, sociale huur, particuliere huur) en geeft een uitkomst per buurt, nooit per huishouden.") with
        {
            Category = ["Wonen", "Sociale zekerheid", "Ruimte en infrastructuur"],
            Goal = "<p>Het doel is dat de gemeente vóór een besluit over woningbouw ziet wat een plan betekent voor de samenstelling van een buurt. "
                + "Bijvoorbeeld: hoe verandert het aandeel huishoudens met een laag inkomen als er 2.000 sociale huurwoningen bijkomen?</p>"
                + "<p>De uitkomst is een signaal over de behoefte in een buurt, zoals aan voorzieningen of ondersteuning. Het is geen oordeel over de buurt "
                + "en geen middel om mensen of buurten te controleren.</p>",
            Proportionality = "<p>Voordeel: het effect van een plan op de samenstelling van buurten is vooraf zichtbaar, met een open en eenvoudige rekenregel. "
                + "Nadeel: het model weet niet wie er echt in de nieuwe woningen komt wonen. Daarom toont het altijd een onder- en bovengrens, "
                + "en alleen voor buurten met minstens 100 huishoudens.</p>",
            HumanIntervention = "<p>De uitkomst is een verkenning. Medewerkers en bestuurders wegen die zelf mee; het model neemt geen besluiten over mensen of buurten. "
                + "Elk scenario en elke versie blijft bewaard, zodat te controleren is met welke invoer een uitkomst is berekend.</p>",
            Risks = "<p>Risico op stigmatisering: een cijfer over laag inkomen kan een buurt een stempel geven. Daarom is de uitkomst neutraal weergegeven "
                + "(niet goed of slecht gekleurd), alleen per buurt met minstens 100 huishoudens, altijd met de onzekerheid erbij, en zonder kenmerken als "
                + "nationaliteit of afkomst. Risico op een verkeerde schatting: nieuwe bewoners kunnen anders zijn dan gemiddeld. "
                + "De aannames staan in de documentatie (docs/models/sociaal.md).</p>",
            LawfulBasis = "<p>Het model ondersteunt de taken van de gemeente in de ruimtelijke ordening en het woonbeleid onder de Omgevingswet en de Huisvestingswet 2014.</p>",
            LawfulBasisGrouping =
            [
                new RegisterLink("Omgevingswet", "https://wetten.overheid.nl/BWBR0037885"),
                new RegisterLink("Huisvestingswet 2014", "https://wetten.overheid.nl/BWBR0035303"),
            ],
            Impacttoetsen = "<p>Er is een IAMA vereist voordat het model in gebruik gaat, omdat de uitkomst over inkomens in buurten gaat. "
                + "Er is geen DPIA nodig, omdat het model geen persoonsgegevens verwerkt.</p>",
            SourceData = "<p>Het aantal woningen per gebouw met woningtype en eigendom (panden), het aantal huishoudens per buurt uit het bevolkingsmodel, "
                + "en het gepubliceerde aandeel huishoudens met een laag inkomen per buurt van het CBS op de peildatum. Daarnaast de ingrepen van het scenario.</p>",
            SourceDataGrouping = [new RegisterLink("CBS Kerncijfers wijken en buurten", "https://www.cbs.nl/nl-nl/reeksen/kerncijfers-wijken-en-buurten-2004-2024")],
            MethodsAndModels = "<p>Het model is regelgebaseerd en niet zelflerend.</p>"
                + "<p>Voorspeld aandeel = som over de woningen van de buurt van (aandeel van de woningsoort × percentage lage inkomens van die soort): "
                + "koop 3 %, sociale huur 22 %, particuliere huur 11 % (aannames). Per buurt wordt het verschil tussen het gemeten en het voorspelde aandeel "
                + "bij de bestaande woningen opgeteld, zodat de huidige situatie het gemeten cijfer geeft en een plan het aandeel alleen via de nieuwe "
                + "woningsoorten verandert.</p><p>De onder- en bovengrens rekenen met percentages die 50 % lager en hoger zijn. Buurten met minder dan "
                + "100 huishoudens krijgen geen uitkomst.</p>",
            Tags = "scenario, inkomen, lage inkomens, woningbouw, sociale huur, buurt, digitale tweeling",
        };
    }
}
