using Tweeling.Domain.Algorithms;

namespace Tweeling.Governance.Register;

/// <summary>
/// The field rules of the Algoritmeregister publication standard v1.0.0, transcribed from its machine-readable
/// field config (MinBZK/Algoritmeregister, <c>backend/app/schemas/config/v1_0_0.json</c>): per field key
/// whether it is required, its maximum length, its value list, its maximum number of items, whether it is
/// rich text, and the fields of a grouping's items.
/// </summary>
public static class PublicationStandard
{
    /// <summary>The HTML tags a rich-text field may hold (<c>allowed_html_tags</c>).</summary>
    public static IReadOnlyList<string> AllowedHtmlTags { get; } = ["div", "br", "p", "ul", "ol", "li"];

    /// <summary>Every field of the standard, in the order of its config.</summary>
    public static IReadOnlyList<FieldRule> Fields { get; } =
    [
        Text("name", "Naam", required: true, 100),
        Text("description_short", "Korte omschrijving", required: true, 350),
        Text("organization", "Organisatie", required: true, 100),
        new("category", "Thema", FieldType.List) { MaxItems = 3, PermittedValues = RegisterValues.Categories },
        new("status", "Status", FieldType.Choice) { Required = true, PermittedValues = RegisterValues.Statuses },
        new("begin_date", "Begindatum", FieldType.Month) { MaxLength = 7 },
        new("end_date", "Einddatum", FieldType.Month) { MaxLength = 7 },
        Text("contact_email", "Contactgegevens", required: true, 500),
        Text("website", "Link naar publiekspagina", required: false, 500),
        new("publication_category", "Publicatiecategorie", FieldType.Choice) { Required = true, PermittedValues = RegisterValues.PublicationCategories },
        Text("url", "Link naar bronregistratie", required: false, 500),
        RichText("goal", "Doel en impact", 2500),
        RichText("proportionality", "Afwegingen", 2500),
        RichText("human_intervention", "Menselijke tussenkomst", 2500),
        RichText("risks", "Risicobeheer", 2500),
        RichText("lawful_basis", "Wettelijke basis", 2500),
        Grouping("lawful_basis_grouping", "Verwijzingen wettelijke basis", titleMaxLength: 100),
        Text("process_index_url", "Link naar verwerkingsregister", required: false, 500),
        Grouping("impacttoetsen_grouping", "Verwijzingen impacttoetsen", titleMaxLength: null),
        RichText("impacttoetsen", "Toelichting op impacttoetsen", 2500),
        RichText("source_data", "Gegevens", 2500),
        Grouping("source_data_grouping", "Verwijzingen gegevensbronnen", titleMaxLength: 500),
        RichText("methods_and_models", "Technische werking", 5000),
        Text("provider", "Leverancier", required: false, 200),
        Text("publiccode", "Link naar broncode", required: false, 500),
        new("lang", "Taal", FieldType.Choice) { Required = true, PermittedValues = [RegisterValues.Dutch] },
        new("standard_version", "Versie publicatiestandaard", FieldType.Choice) { PermittedValues = [RegisterValues.StandardVersion] },
        Text("source_id", "Bron-ID", required: false, 100),
        RichText("tags", "Zoektermen", 2500),
    ];

    /// <summary>The rule of the field with key <paramref name="key"/>, or <c>null</c> when the standard has no such field.</summary>
    public static FieldRule? Find(string key) => Fields.FirstOrDefault(f => f.Key == key);

    private static FieldRule Text(string key, string title, bool required, int maxLength) =>
        new(key, title, FieldType.Text) { Required = required, MaxLength = maxLength };

    private static FieldRule RichText(string key, string title, int maxLength) =>
        new(key, title, FieldType.Text) { MaxLength = maxLength, RichText = true };

    // Both item fields are required; the link is at most 500 characters in every grouping.
    private static FieldRule Grouping(string key, string title, int? titleMaxLength) =>
        new(key, title, FieldType.Grouping)
        {
            Items =
            [
                new FieldRule("title", "Titel", FieldType.Text) { Required = true, MaxLength = titleMaxLength },
                new FieldRule("link", "Link", FieldType.Text) { Required = true, MaxLength = 500 },
            ],
        };
}

/// <summary>The kind of value a field of the standard holds.</summary>
public enum FieldType
{
    /// <summary>A string.</summary>
    Text,

    /// <summary>One string from a value list (the config's <c>enum</c>).</summary>
    Choice,

    /// <summary>An array of strings from a value list.</summary>
    List,

    /// <summary>A month, <c>yyyy-mm</c>.</summary>
    Month,

    /// <summary>An array of objects with the fields <see cref="FieldRule.Items"/>.</summary>
    Grouping,
}

/// <summary>One field's rules in the publication standard.</summary>
/// <param name="Key">The field key, e.g. <c>description_short</c>.</param>
/// <param name="Title">The Dutch title the register shows, e.g. "Korte omschrijving".</param>
/// <param name="Type">What kind of value it holds.</param>
public sealed record FieldRule(string Key, string Title, FieldType Type)
{
    /// <summary>Whether the field must have a non-blank value (<c>required</c>).</summary>
    public bool Required { get; init; }

    /// <summary>The most characters (Unicode code points) a value may have (<c>max_length</c>), or <c>null</c>.</summary>
    public int? MaxLength { get; init; }

    /// <summary>The values the field may take (<c>permitted_values</c>), or <c>null</c> for free text.</summary>
    public IReadOnlyList<string>? PermittedValues { get; init; }

    /// <summary>The most items a list may have (<c>max_items</c>), or <c>null</c>.</summary>
    public int? MaxItems { get; init; }

    /// <summary>Whether the value is rich text that may hold only <see cref="PublicationStandard.AllowedHtmlTags"/>.</summary>
    public bool RichText { get; init; }

    /// <summary>The fields of each item of a grouping, or <c>null</c>.</summary>
    public IReadOnlyList<FieldRule>? Items { get; init; }
}
