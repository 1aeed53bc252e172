using System.ComponentModel.DataAnnotations;
using Tweeling.Domain.Algorithms;

namespace Tweeling.Server.Hosting;

/// <summary>
/// Who publishes the algorithm register (<c>/api/v1/algoritmes</c>): the deploying organisation, which
/// becomes every entry's <c>organization</c> and <c>contact_email</c>. A municipality sets its own, e.g.
/// <c>Tweeling__Register__Organisatie="Gemeente Dordrecht"</c>. Validated at start-up.
/// </summary>
internal sealed class RegisterOptions
{
    public const string Section = "Tweeling:Register";

    /// <summary>The organisation's name as in the TOOI value list (at most 100 characters).</summary>
    [Required]
    [StringLength(100)]
    public string Organisatie { get; init; } = string.Empty;

    /// <summary>An e-mail address or https URL for questions about the algorithms (at most 500 characters).</summary>
    [Required]
    [StringLength(500)]
    public string Contact { get; init; } = string.Empty;

    /// <summary>The public URL of this platform's <c>/api/v1/algoritmes</c>, linked from each entry's <c>url</c>; none when empty.</summary>
    [Url]
    public string? RegisterUrl { get; init; }

    /// <summary>The publisher these options describe.</summary>
    public RegisterPublisher Publisher => new(Organisatie, Contact, string.IsNullOrEmpty(RegisterUrl) ? null : RegisterUrl);

    /// <summary>
    /// The options as the command line reads them, from the same sources as the server: <c>appsettings.json</c>
    /// beside the executable, then environment variables.
    /// </summary>
    public static RegisterOptions Load()
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
        return configuration.GetSection(Section).Get<RegisterOptions>() ?? new RegisterOptions();
    }
}
