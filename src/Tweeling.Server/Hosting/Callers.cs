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
/// to every request, except that a caller without a purpose reuses its role's answer over the same kept catalog
/// (see <see cref="VisibilityOf"/>). The counter is read before the catalog, so a catalog read while a
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
    /// The ids of the datasets <paramref name="caller"/> may read, for work done ahead of any request (the start-up's
    /// tiles); nothing is sent, so nothing is audited. A request asks <see cref="ReadableDatasetsAsync(HttpContext, CancellationToken)"/>.
    /// </summary>
    public async Task<IReadOnlySet<string>> ReadableDatasetsBeforeAnyRequestAsync(Caller caller, CancellationToken cancellationToken) =>
        AccessPolicy.ReadableDatasets(caller, await DatasetsAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// What <paramref name="caller"/> may see of the sensor data: the Things of the datasets they may read, and the
    /// Things that name no dataset when they may read data classified as <see cref="AccessOptions.UnlabelledSensors"/>.
    /// </summary>
    public async Task<SensorVisibility> SensorVisibilityAsync(Caller caller, CancellationToken cancellationToken) =>
        VisibilityOf(caller, await KeptCatalogAsync(commits.Current, cancellationToken).ConfigureAwait(false));

    /// <summary>What the caller of <paramref name="context"/> may see of the sensor data.</summary>
    public Task<SensorVisibility> SensorVisibilityAsync(HttpContext context, CancellationToken cancellationToken) =>
        SensorVisibilityAsync(CallerOf(context), cancellationToken);

    /// <summary>
    /// What the caller of <paramref name="context"/> may see of the sensor data, decided from the catalog as of
    /// <paramref name="commitCount"/> (<see cref="SqliteCommitCounter.Current"/>, read by the caller just before): for a
    /// request that needs the count for more than this, so that it reads the counter once.
    /// </summary>
    public async Task<SensorVisibility> SensorVisibilityAsync(HttpContext context, long commitCount, CancellationToken cancellationToken)
        => VisibilityOf(CallerOf(context), await KeptCatalogAsync(commitCount, cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// The policy's answer for <paramref name="caller"/> over <paramref name="kept"/>. It depends on the caller's role and
    /// stated purpose only (<see cref="AccessPolicy.CanRead(Caller, Classification, IReadOnlyCollection{string})"/>), so a
    /// caller without a purpose — anonymous residents, most staff — gets the answer computed for its role over the same
    /// catalog, and the catalog's next read starts afresh. A purpose is any text a client sends, so its answers are
    /// computed per request rather than kept (a table of them would grow with whatever clients send).
    /// </summary>
    private SensorVisibility VisibilityOf(Caller caller, KeptCatalog kept)
    {
        var role = (int)caller.Role;
        if (caller.Purpose is not null || (uint)role >= (uint)kept.VisibilityByRole.Length)
        {
            return Decide(caller, kept.Datasets);
        }

        // Two callers of a role that ask at once may both decide; the first answer stored is the one every caller gets.
        ref var slot = ref kept.VisibilityByRole[role];
        return Volatile.Read(ref slot) ?? Interlocked.CompareExchange(ref slot, Decide(caller, kept.Datasets), null) ?? slot!;
    }

    private SensorVisibility Decide(Caller caller, IReadOnlyList<Dataset> datasets) => new(
        AccessPolicy.ReadableDatasets(caller, datasets),
        AccessPolicy.CanRead(caller, options.Value.UnlabelledSensors, []));

    /// <summary>The catalog's datasets as of the store's last commit: kept, or read when something was committed since.</summary>
    private async ValueTask<IReadOnlyList<Dataset>> DatasetsAsync(CancellationToken cancellationToken) =>
        (await KeptCatalogAsync(commits.Current, cancellationToken).ConfigureAwait(false)).Datasets;

    /// <summary>The catalog as of commit count <paramref name="version"/>: kept, or read when the kept one is of another count.</summary>
    private async ValueTask<KeptCatalog> KeptCatalogAsync(long version, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _kept) is { } kept && kept.Version == version)
        {
            return kept;
        }

        var read = new KeptCatalog(version, await catalog.ListAsync(cancellationToken).ConfigureAwait(false));
        Volatile.Write(ref _kept, read);
        return read;
    }

    /// <summary>The datasets of the catalog as read at one value of the commit counter, and the sensor visibility of each role without a purpose over them.</summary>
    private sealed class KeptCatalog(long version, IReadOnlyList<Dataset> datasets)
    {
        public long Version { get; } = version;

        public IReadOnlyList<Dataset> Datasets { get; } = datasets;

        /// <summary>Indexed by <see cref="Role"/>; filled as callers of each role ask.</summary>
        public readonly SensorVisibility?[] VisibilityByRole = new SensorVisibility?[Enum.GetValues<Role>().Length];
    }
}
