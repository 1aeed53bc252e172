using Tweeling.Domain.Catalog;
using Tweeling.Domain.Ports;
using Tweeling.Governance.Access;

namespace Tweeling.Server.Hosting;

/// <summary>
/// Resolves who is calling and asks the access policy what they may read. Every read endpoint goes
/// through <see cref="ReadableDatasetsAsync"/>, so the policy is applied in one place.
/// </summary>
internal sealed class ReadAccess(ICatalog catalog)
{
    /// <summary>
    /// The caller of a request. The platform has no sign-in yet, so every caller is the public role
    /// and sees open data only; identities and roles arrive with the governance work (issue 4).
    /// </summary>
    public static Caller CallerOf(HttpContext context) => Caller.Anonymous;

    /// <summary>
    /// The ids of the datasets the caller of <paramref name="context"/> may read. When they include a dataset
    /// that is not open, the response is recorded in the audit log before it is sent (<see cref="AuditedReads"/>).
    /// </summary>
    public async Task<IReadOnlySet<string>> ReadableDatasetsAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var datasets = await catalog.ListAsync(cancellationToken).ConfigureAwait(false);
        var readable = AccessPolicy.ReadableDatasets(CallerOf(context), datasets);
        var nonOpen = datasets.Where(d => d.Classification != Classification.Open && readable.Contains(d.Id)).Select(d => d.Id).ToList();
        if (nonOpen.Count > 0)
        {
            AuditedReads.Mark(context, nonOpen);
        }

        return readable;
    }
}
