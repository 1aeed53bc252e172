using Microsoft.Extensions.Options;
using Tweeling.Domain.Catalog;
using Tweeling.Domain.Ports;
using Tweeling.Governance.Access;

namespace Tweeling.Server.Hosting;

/// <summary>
/// Resolves who is calling and asks the access policy what they may read. Every read endpoint goes
/// through <see cref="ReadableDatasetsAsync"/> or, for sensor data, <see cref="SensorVisibilityAsync(HttpContext, CancellationToken)"/>,
/// so the policy is applied in one place.
/// </summary>
internal sealed class ReadAccess(ICatalog catalog, IOptions<AccessOptions> options)
{
    /// <summary>
    /// The caller of a request: the role and pseudonymous subject it signed in as (see <see cref="Authentication"/>)
    /// and the purpose it stated in <see cref="Authentication.PurposeHeader"/>. Anonymous when nothing signed it in.
    /// </summary>
    public static Caller CallerOf(HttpContext context) => context.Features.Get<Caller>() ?? Caller.Anonymous;

    /// <summary>Records the caller of a request, once it has signed in.</summary>
    public static void SetCaller(HttpContext context, Caller caller) => context.Features.Set(caller);

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

    /// <summary>
    /// What <paramref name="caller"/> may see of the sensor data: the Things of the datasets they may read, and the
    /// Things that name no dataset when they may read data classified as <see cref="AccessOptions.UnlabelledSensors"/>.
    /// </summary>
    public async Task<SensorVisibility> SensorVisibilityAsync(Caller caller, CancellationToken cancellationToken) => new(
        AccessPolicy.ReadableDatasets(caller, await catalog.ListAsync(cancellationToken).ConfigureAwait(false)),
        AccessPolicy.CanRead(caller, options.Value.UnlabelledSensors, []));

    /// <summary>What the caller of <paramref name="context"/> may see of the sensor data.</summary>
    public Task<SensorVisibility> SensorVisibilityAsync(HttpContext context, CancellationToken cancellationToken) =>
        SensorVisibilityAsync(CallerOf(context), cancellationToken);
}
