using Tweeling.Domain.Reviews;

namespace Tweeling.Governance.Reviews;

/// <summary>
/// The sections each kind of assessment must answer before it can be approved (<c>shared/reference/standards.md</c> §2):
/// the 17 sections of the Rijksmodel DPIA v1.0 in parts A–D, and the four parts of the IAMA (part 2 in 2A
/// data and 2B algorithm). The ethics committee's review has no fixed sections: its outcome is the decision
/// and its conditions.
/// </summary>
public static class ReviewTemplates
{
    /// <summary>The Rijksmodel DPIA: A description (1–10), B lawfulness (11–15), C risks (16), D measures (17).</summary>
    public static IReadOnlyList<SectionTemplate> Dpia { get; } =
    [
        new("1", "A", "Voorstel"),
        new("2", "A", "Persoonsgegevens (gewoon, bijzonder, strafrechtelijk, wettelijk identificatienummer)"),
        new("3", "A", "Gegevensverwerkingen"),
        new("4", "A", "Verwerkingsdoeleinden"),
        new("5", "A", "Betrokken partijen (verwerkingsverantwoordelijke, verwerker, leverancier, ontvanger)"),
        new("6", "A", "Belangen bij de gegevensverwerking"),
        new("7", "A", "Verwerkingslocaties"),
        new("8", "A", "Techniek en methode (geautomatiseerde besluitvorming, profilering, big data)"),
        new("9", "A", "Juridisch en beleidsmatig kader"),
        new("10", "A", "Bewaartermijnen"),
        new("11", "B", "Rechtsgrond"),
        new("12", "B", "Bijzondere persoonsgegevens en wettelijke identificatienummers"),
        new("13", "B", "Doelbinding"),
        new("14", "B", "Noodzaak en evenredigheid (proportionaliteit en subsidiariteit)"),
        new("15", "B", "Rechten van de betrokkenen"),
        new("16", "C", "Risico's voor de betrokkenen (gevolgen, herkomst, kans en ernst)"),
        new("17", "D", "Maatregelen en restrisico per risico"),
    ];

    /// <summary>The IAMA: 1 Waarom, 2A Wat (data), 2B Wat (algoritme), 3 Hoe, 4 Mensenrechten.</summary>
    public static IReadOnlyList<SectionTemplate> Iama { get; } =
    [
        new("1", "1", "Waarom: aanleiding, doel, publieke waarden, wettelijke grondslag, betrokkenen en verantwoordelijkheden"),
        new("2A", "2", "Wat, data (input): type algoritme, bronnen en kwaliteit, bias en aannames, beveiliging en archivering"),
        new("2B", "2", "Wat, algoritme (throughput): regelgebaseerd of zelflerend, eigenaarschap, nauwkeurigheid, transparantie en uitlegbaarheid"),
        new("3", "3", "Hoe, implementatie, gebruik en toezicht (output): besluiten, menselijke tussenkomst, effecten, procedures, communicatie, evaluatie"),
        new("4", "4", "Mensenrechten: stappenplan grondrechten (aantasting, doel, geschiktheid, noodzaak en subsidiariteit, afweging)"),
    ];

    /// <summary>The sections of <paramref name="kind"/>; empty for the ethics committee.</summary>
    public static IReadOnlyList<SectionTemplate> For(ReviewKind kind) => kind switch
    {
        ReviewKind.Dpia => Dpia,
        ReviewKind.Iama => Iama,
        _ => [],
    };
}

/// <summary>One section of an assessment model.</summary>
/// <param name="Code">Its code, e.g. <c>11</c> or <c>2B</c>.</param>
/// <param name="Part">The part it belongs to: A–D for the DPIA, 1–4 for the IAMA.</param>
/// <param name="Title">Its Dutch title.</param>
public sealed record SectionTemplate(string Code, string Part, string Title);
