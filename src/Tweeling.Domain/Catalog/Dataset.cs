namespace Tweeling.Domain.Catalog;

/// <summary>An organisation or person that publishes, creates or answers for a dataset (<c>foaf:Agent</c>).</summary>
/// <param name="Name">Name, e.g. "Gemeente Dordrecht".</param>
/// <param name="Uri">A stable URI identifying the agent, e.g. its OIN-based URI or website.</param>
public sealed record Agent(string Name, string Uri);

/// <summary>Where questions about a dataset go (<c>vcard:Kind</c>).</summary>
/// <param name="Name">Team or role name.</param>
/// <param name="Email">E-mail address.</param>
public sealed record ContactPoint(string Name, string Email);

/// <summary>
/// A dataset in the catalog, with the DCAT-AP-NL 3.0 mandatory properties of <c>dcat:Dataset</c>
/// (identifier, title, description, publisher, contact point, creator, theme, access rights) and the
/// governance the platform adds: classification, legal basis and purposes.
/// </summary>
/// <param name="Id">The <c>dct:identifier</c>: a stable, URL-safe id such as <c>cbs-wijkbuurtkaart-2024</c>.</param>
/// <param name="Title">The <c>dct:title</c>.</param>
/// <param name="Description">The <c>dct:description</c>.</param>
/// <param name="Publisher">The <c>dct:publisher</c>.</param>
/// <param name="Creator">The <c>dct:creator</c>: who made the data.</param>
/// <param name="ContactPoint">The <c>dcat:contactPoint</c>.</param>
/// <param name="Themes">The <c>dcat:theme</c> URIs (EU data-theme vocabulary).</param>
/// <param name="Classification">Sensitivity; determines <c>dct:accessRights</c>.</param>
/// <param name="LegalBasis">The legal ground for processing (GDPR art. 6, or the statute), in words.</param>
/// <param name="Purposes">What the data may be used for; the access policy matches a caller's purpose against these.</param>
/// <param name="License">The <c>dct:license</c> URI.</param>
/// <param name="Modified">The <c>dct:modified</c> instant: when the data last changed.</param>
/// <param name="AccrualPeriodicity">The <c>dct:accrualPeriodicity</c> frequency URI.</param>
/// <param name="Spatial">The <c>dct:spatial</c> coverage, e.g. a CBS municipality code.</param>
/// <param name="Lineage">Where the data came from and how it was processed (<c>dct:provenance</c>).</param>
/// <param name="IsSynthetic">True for generated data such as the demo city: never to be taken for real.</param>
public sealed record Dataset(
    string Id,
    string Title,
    string Description,
    Agent Publisher,
    Agent Creator,
    ContactPoint ContactPoint,
    IReadOnlyList<string> Themes,
    Classification Classification,
    string LegalBasis,
    IReadOnlyList<string> Purposes,
    string License,
    DateTimeOffset Modified,
    string AccrualPeriodicity,
    string? Spatial,
    string Lineage,
    bool IsSynthetic)
{
    /// <summary>The <c>dct:accessRights</c> URI that follows from <see cref="Classification"/>.</summary>
    public string AccessRights => Catalog.AccessRights.UriOf(Classification);
}

/// <summary>Vocabulary URIs used in dataset metadata.</summary>
public static class CatalogVocabulary
{
    /// <summary>EU data theme: regions and cities.</summary>
    public const string ThemeRegions = "http://publications.europa.eu/resource/authority/data-theme/REGI";

    /// <summary>EU data theme: population and society.</summary>
    public const string ThemeSociety = "http://publications.europa.eu/resource/authority/data-theme/SOCI";

    /// <summary>EU data theme: environment.</summary>
    public const string ThemeEnvironment = "http://publications.europa.eu/resource/authority/data-theme/ENVI";

    /// <summary>EU data theme: transport.</summary>
    public const string ThemeTransport = "http://publications.europa.eu/resource/authority/data-theme/TRAN";

    /// <summary>CC BY 4.0.</summary>
    public const string LicenseCcBy40 = "http://creativecommons.org/licenses/by/4.0/";

    /// <summary>CC0 1.0 (public domain dedication).</summary>
    public const string LicenseCc0 = "http://creativecommons.org/publicdomain/zero/1.0/";

    /// <summary>EU frequency: annual.</summary>
    public const string FrequencyAnnual = "http://publications.europa.eu/resource/authority/frequency/ANNUAL";

    /// <summary>EU frequency: irregular.</summary>
    public const string FrequencyIrregular = "http://publications.europa.eu/resource/authority/frequency/IRREG";

    /// <summary>EU frequency: never (a one-off dataset).</summary>
    public const string FrequencyNever = "http://publications.europa.eu/resource/authority/frequency/NEVER";
}
