using NetTopologySuite;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Geo;
using Tweeling.Storage.Sqlite;
using Tweeling.TestSupport;

namespace Tweeling.Storage.Tests;

/// <summary>The audit log contract against a real SQLite file in a temporary folder.</summary>
public sealed class SqliteAuditLogContractTests : AuditLogContract, IDisposable
{
    private static readonly NtsGeometryServices s_geometry = new(PrecisionModel.Floating.Value, Crs.RdNewSrid);
    private readonly TempDirectory _directory = new();

    protected override async Task<AuditLogUnderTest> OpenEmptyStoreAsync() => Wrap(await SqliteTwinStore.OpenAsync(_directory.File("twin.db"), s_geometry, Ct));

    protected override async Task<AuditLogUnderTest> ReopenAsync(AuditLogUnderTest store)
    {
        await store.Lifetime.DisposeAsync();
        return Wrap(await SqliteTwinStore.OpenAsync(_directory.File("twin.db"), s_geometry, Ct));
    }

    public void Dispose() => _directory.Dispose();

    private static AuditLogUnderTest Wrap(SqliteTwinStore store) => new(store.Audit, store, store, store.Sensors, store);
}
