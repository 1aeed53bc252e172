using Microsoft.Extensions.Options;
using Tweeling.Domain.Catalog;
using Tweeling.Domain.Ports;
using Tweeling.Governance.Access;
using Tweeling.Storage.Sqlite;

namespace Tweeling.Server.Hosting;

/// <summary>
/// Resolves who is calling and asks the access policy what they may read. Every read endpoint goes
/// through <see cref="ReadableDatasetsAsync"/> or, for sensor data, <see cref="SensorVisibilityAsync(HttpContext, CancellationToken)"/>,
/// so the policy is applied in one place.
/// </summary>
/// <remarks>
/// Every request asks, so the catalog it decides from is kept between requests, for as long as nothing has been
/// committed to the store file (<see cref="SqliteCommitCounter"/>, which moves with every commit from any connection or
/// process: an import, the command line, a change of a dataset's classification). The policy itself is still applied
/// to every request; only the catalog read is saved. The counter is read before the catalog, so a catalog read while a
/// change commits is kept under the value it is already stale for and read again by the next request.
/// </remarks>
internal sealed class ReadAccess(ICatalog catalog, IOptions<AccessOptions> options, SqliteCommitCounter commits)
{
    private KeptCatalog? _kept;

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
        var datasets = await DatasetsAsync(cancellationToken).ConfigureAwait(false);
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
        AccessPolicy.ReadableDatasets(caller, await DatasetsAsync(cancellationToken).ConfigureAwait(false)),
        AccessPolicy.CanRead(caller, options.Value.UnlabelledSensors, []));

    /// <summary>What the caller of <paramref name="context"/> may see of the sensor data.</summary>
    public Task<SensorVisibility> SensorVisibilityAsync(HttpContext context, CancellationToken cancellationToken) =>
        SensorVisibilityAsync(CallerOf(context), cancellationToken);

    /// <summary>The catalog's datasets as of the store's last commit: kept, or read when something was committed since.</summary>
    private async ValueTask<IReadOnlyList<Dataset>> DatasetsAsync(CancellationToken cancellationToken)
    {
        var version = commits.Current;
        if (Volatile.Read(ref _kept) is { } kept && kept.Version == version)
        {
            return kept.Datasets;
        }

        var datasets = await catalog.ListAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _kept, new KeptCatalog(version, datasets));
        return datasets;
    }

    /// <summary>The datasets of the catalog as read at one value of the commit counter.</summary>
    private sealed record KeptCatalog(long Version, IReadOnlyList<Dataset> Datasets);
}
