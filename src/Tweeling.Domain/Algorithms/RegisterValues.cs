namespace Tweeling.Domain.Algorithms;

/// <summary>
/// The value lists of the Algoritmeregister publication standard v1.0.0, spelled exactly as its field
/// config (<c>v1_0_0.json</c>, <c>permitted_values</c>) spells them.
/// </summary>
public static class RegisterValues
{
    /// <summary><c>status</c>: being developed.</summary>
    public const string StatusInDevelopment = "In ontwikkeling";

    /// <summary><c>status</c>: in use (also when it is still being developed further).</summary>
    public const string StatusInUse = "In gebruik";

    /// <summary><c>status</c>: taken out of use.</summary>
    public const string StatusOutOfUse = "Buiten gebruik";

    /// <summary><c>publication_category</c>: category A, a high-risk AI system under the AI Act.</summary>
    public const string HighRiskAiSystem = "Hoog-risico AI-systeem";

    /// <summary><c>publication_category</c>: category B, algorithms with impact on people.</summary>
    public const string ImpactfulAlgorithms = "Impactvolle algoritmes";

    /// <summary><c>publication_category</c>: category C, all other algorithms.</summary>
    public const string OtherAlgorithms = "Overige algoritmes";

    /// <summary><c>lang</c>: Dutch, the only language the register accepts.</summary>
    public const string Dutch = "nld";

    /// <summary><c>standard_version</c>: the version this type follows.</summary>
    public const string StandardVersion = "1.0.0";

    /// <summary>The supplier to name when the algorithm was built by the organisation itself.</summary>
    public const string InternallyDeveloped = "Intern ontwikkeld";

    /// <summary>The recommended <c>impacttoetsen_grouping</c> title of a DPIA (the standard's spelling, "Asssesment" included).</summary>
    public const string DpiaTitle = "Data Protection Impact Asssesment (DPIA)";

    /// <summary>The recommended <c>impacttoetsen_grouping</c> title of an IAMA.</summary>
    public const string IamaTitle = "Impact Assessment Mensenrechten en Algoritmes (IAMA)";

    /// <summary>The permitted values of <c>status</c>.</summary>
    public static IReadOnlyList<string> Statuses { get; } = [StatusInDevelopment, StatusInUse, StatusOutOfUse];

    /// <summary>The permitted values of <c>publication_category</c>.</summary>
    public static IReadOnlyList<string> PublicationCategories { get; } = [HighRiskAiSystem, ImpactfulAlgorithms, OtherAlgorithms];

    /// <summary>The permitted values of <c>category</c> (Thema), the 16 policy areas.</summary>
    public static IReadOnlyList<string> Categories { get; } =
    [
        "Organisatie en bedrijfsvoering", "Cultuur en recreatie", "Economie", "Overheidsfinanciën", "Wonen", "Internationaal",
        "Migratie en integratie", "Natuur en milieu", "Onderwijs en wetenschap", "Openbare orde en veiligheid", "Recht",
        "Ruimte en infrastructuur", "Sociale zekerheid", "Verkeer", "Werk", "Zorg en gezondheid",
    ];
}
