namespace Tweeling.Domain.Catalog;

/// <summary>
/// How sensitive a dataset is. The access policy decides from it (with the dataset's purposes and the
/// caller's role and purpose) what may be returned; the public role sees only <see cref="Open"/>.
/// </summary>
public enum Classification
{
    /// <summary>Open data: anyone may read it.</summary>
    Open,

    /// <summary>For municipal staff only.</summary>
    Internal,

    /// <summary>For named roles with a stated purpose only; personal data.</summary>
    Confidential,

    /// <summary>Special categories of personal data (GDPR art. 9) or criminal data (art. 10).</summary>
    SpecialCategory,
}

/// <summary>Maps a classification to the EU access-right vocabulary that DCAT-AP-NL uses for <c>dct:accessRights</c>.</summary>
public static class AccessRights
{
    /// <summary>The access-right concept URI for <paramref name="classification"/>.</summary>
    public static string UriOf(Classification classification) => classification switch
    {
        Classification.Open => "http://publications.europa.eu/resource/authority/access-right/PUBLIC",
        Classification.Internal => "http://publications.europa.eu/resource/authority/access-right/RESTRICTED",
        _ => "http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC",
    };
}
