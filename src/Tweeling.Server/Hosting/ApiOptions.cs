using System.ComponentModel.DataAnnotations;

namespace Tweeling.Server.Hosting;

/// <summary>
/// Who answers for the APIs: published as <c>info.contact</c> in both OpenAPI documents, as the NL API
/// Design Rules require (/core/doc-openapi-contact). A municipality sets its own in configuration,
/// e.g. the environment variable <c>Tweeling__Api__ContactEmail</c>. Validated at start-up.
/// </summary>
internal sealed class ApiOptions
{
    public const string Section = "Tweeling:Api";

    /// <summary>Team or organisation name.</summary>
    [Required]
    public string ContactName { get; init; } = string.Empty;

    /// <summary>E-mail address for questions about the API.</summary>
    [Required]
    [EmailAddress]
    public string ContactEmail { get; init; } = string.Empty;

    /// <summary>A web page about the API.</summary>
    [Required]
    [Url]
    public string ContactUrl { get; init; } = string.Empty;
}
