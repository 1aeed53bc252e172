namespace Tweeling.Domain.Algorithms;

/// <summary>
/// One algorithm's entry in the algorithm register, with every field of the national Algoritmeregister
/// publication standard v1.0.0 (MinBZK, <c>backend/app/schemas/config/v1_0_0.json</c>; see
/// <c>shared/reference/standards.md</c> §1a). Each property's XML doc names the standard's field key,
/// which is also its key in the export. Values are plain strings, not enums, so that the validator can
/// report a value outside a value list just as the national register would.
/// </summary>
/// <remarks>
/// Rich-text fields (<c>goal</c>, <c>proportionality</c>, <c>human_intervention</c>, <c>risks</c>,
/// <c>lawful_basis</c>, <c>impacttoetsen</c>, <c>source_data</c>, <c>methods_and_models</c>, <c>tags</c>)
/// may hold only the HTML tags div, br, p, ul, ol and li. The standard asks for B1 language in
/// <c>description_short</c>, <c>goal</c>, <c>proportionality</c> and <c>human_intervention</c>.
/// </remarks>
public sealed record RegisterEntry
{
    /// <summary><c>name</c> (Naam): what the algorithm does, preferably with a verb. Required, at most 100 characters.</summary>
    public required string Name { get; init; }

    /// <summary><c>description_short</c> (Korte omschrijving): two or three sentences, B1. Required, at most 350 characters.</summary>
    public required string DescriptionShort { get; init; }

    /// <summary><c>organization</c> (Organisatie): the one organisation using it, as named in the TOOI value list. Required, at most 100.</summary>
    public required string Organization { get; init; }

    /// <summary><c>category</c> (Thema): at most 3 of the 16 policy areas in <see cref="RegisterValues.Categories"/>.</summary>
    public IReadOnlyList<string> Category { get; init; } = [];

    /// <summary><c>status</c>: one of <see cref="RegisterValues.Statuses"/>. Required.</summary>
    public required string Status { get; init; }

    /// <summary><c>begin_date</c> (Begindatum): the month it was taken into use, <c>yyyy-mm</c>.</summary>
    public string? BeginDate { get; init; }

    /// <summary><c>end_date</c> (Einddatum): the month it was taken out of use, <c>yyyy-mm</c>; empty while in use.</summary>
    public string? EndDate { get; init; }

    /// <summary><c>contact_email</c> (Contactgegevens): an e-mail address or https URL for questions. Required, at most 500.</summary>
    public required string ContactEmail { get; init; }

    /// <summary><c>website</c> (Link naar publiekspagina): the organisation's public page about it. At most 500.</summary>
    public string? Website { get; init; }

    /// <summary><c>publication_category</c> (Publicatiecategorie): one of <see cref="RegisterValues.PublicationCategories"/>. Required.</summary>
    public required string PublicationCategory { get; init; }

    /// <summary><c>url</c> (Link naar bronregistratie): where the entry is registered first, machine-readable. At most 500.</summary>
    public string? Url { get; init; }

    /// <summary><c>goal</c> (Doel en impact): what it is for and how residents and businesses meet it, B1. At most 2500.</summary>
    public string? Goal { get; init; }

    /// <summary><c>proportionality</c> (Afwegingen): pros and cons, alternatives, ethical considerations, B1. At most 2500.</summary>
    public string? Proportionality { get; init; }

    /// <summary><c>human_intervention</c> (Menselijke tussenkomst): how people use, check and correct its output, B1. At most 2500.</summary>
    public string? HumanIntervention { get; init; }

    /// <summary><c>risks</c> (Risicobeheer): the risks and how they are managed. At most 2500.</summary>
    public string? Risks { get; init; }

    /// <summary><c>lawful_basis</c> (Wettelijke basis): the legal basis of the process it serves. At most 2500.</summary>
    public string? LawfulBasis { get; init; }

    /// <summary><c>lawful_basis_grouping</c> (Verwijzingen wettelijke basis): title (at most 100) and link (at most 500) per law.</summary>
    public IReadOnlyList<RegisterLink> LawfulBasisGrouping { get; init; } = [];

    /// <summary><c>process_index_url</c> (Link naar verwerkingsregister): the public part of the processing register. At most 500.</summary>
    public string? ProcessIndexUrl { get; init; }

    /// <summary><c>impacttoetsen_grouping</c> (Verwijzingen impacttoetsen): title and link (at most 500) per assessment done.</summary>
    public IReadOnlyList<RegisterLink> ImpacttoetsenGrouping { get; init; } = [];

    /// <summary><c>impacttoetsen</c> (Toelichting op impacttoetsen): why an assessment was not done. At most 2500.</summary>
    public string? Impacttoetsen { get; init; }

    /// <summary><c>source_data</c> (Gegevens): the data it uses, with their sources. At most 2500.</summary>
    public string? SourceData { get; init; }

    /// <summary><c>source_data_grouping</c> (Verwijzingen gegevensbronnen): title (at most 500) and link (at most 500) per source.</summary>
    public IReadOnlyList<RegisterLink> SourceDataGrouping { get; init; } = [];

    /// <summary><c>methods_and_models</c> (Technische werking): input, processing, output, and whether it is self-learning. At most 5000.</summary>
    public string? MethodsAndModels { get; init; }

    /// <summary><c>provider</c> (Leverancier): the external supplier, or "Intern ontwikkeld". At most 200.</summary>
    public string? Provider { get; init; }

    /// <summary><c>publiccode</c> (Link naar broncode): where its source code is published. At most 500.</summary>
    public string? Publiccode { get; init; }

    /// <summary><c>lang</c> (Taal): ISO 639-3 code of the entry's language; only <c>nld</c> is accepted. Required.</summary>
    public string Lang { get; init; } = RegisterValues.Dutch;

    /// <summary><c>standard_version</c> (Versie publicatiestandaard): <c>1.0.0</c>.</summary>
    public string StandardVersion { get; init; } = RegisterValues.StandardVersion;

    /// <summary><c>source_id</c> (Bron-ID): the algorithm's id in the platform's own register. At most 100.</summary>
    public string? SourceId { get; init; }

    /// <summary><c>tags</c> (Zoektermen): comma-separated search terms, not displayed. At most 2500.</summary>
    public string? Tags { get; init; }
}

/// <summary>An item of a <c>*_grouping</c> field of the publication standard: a title with its link.</summary>
/// <param name="Title"><c>title</c>: what is linked, e.g. "Gemeentewet" or "Data Protection Impact Asssesment (DPIA)".</param>
/// <param name="Link"><c>link</c>: an https URL.</param>
public sealed record RegisterLink(string Title, string Link);
