using Microsoft.Extensions.Options;
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
    /// The caller of a request. The platform has no sign-in yet, so every caller is the public role
    /// and sees open data only; identities and roles arrive with the governance work (issue 4).
    /// </summary>
    public static Caller CallerOf(HttpContext context) => Caller.Anonymous;

    /// <summary>The ids of the datasets the caller of <paramref name="context"/> may read.</summary>
    public async Task<IReadOnlySet<string>> ReadableDatasetsAsync(HttpContext context, CancellationToken cancellationToken) =>
        AccessPolicy.ReadableDatasets(CallerOf(context), await catalog.ListAsync(cancellationToken).ConfigureAwait(false));

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
