namespace Tweeling.Domain.Algorithms;

/// <summary>
/// An algorithm or model of the platform that is published in the algorithm register. Declared in code
/// next to the algorithm it describes, so the entry changes with the algorithm; the platform collects
/// every declaration in one registry.
/// </summary>
public interface IRegisteredAlgorithm
{
    /// <summary>
    /// The algorithm's stable id in the platform's own register (lowercase, digits and '-'): the
    /// <c>source_id</c> of its entry and the id in <c>/api/v1/algoritmes/{id}</c>.
    /// </summary>
    string Id { get; }

    /// <summary>Which approved reviews it needs before it may be enabled, and why.</summary>
    RequiredApprovals Approvals { get; }

    /// <summary>
    /// Its register entry as <paramref name="publisher"/> publishes it: the organisation and contact come
    /// from the deployment, everything else from the algorithm itself.
    /// </summary>
    RegisterEntry Describe(RegisterPublisher publisher);
}

/// <summary>
/// The organisation that runs the platform and publishes its register: a deployment setting, since
/// nothing about one municipality is hard-coded.
/// </summary>
/// <param name="Organization">The organisation's name as in the TOOI value list, e.g. "Gemeente Dordrecht" (<c>organization</c>).</param>
/// <param name="Contact">An e-mail address or https URL for questions about the register (<c>contact_email</c>).</param>
/// <param name="RegisterUrl">The public URL of the platform's own register, <c>…/api/v1/algoritmes</c>, or <c>null</c> (<c>url</c> is then left out).</param>
public sealed record RegisterPublisher(string Organization, string Contact, string? RegisterUrl = null)
{
    /// <summary>The link to one algorithm's entry in the platform's own register, or <c>null</c>.</summary>
    public string? EntryUrl(string algorithmId) => RegisterUrl is null ? null : $"{RegisterUrl.TrimEnd('/')}/{algorithmId}";
}
