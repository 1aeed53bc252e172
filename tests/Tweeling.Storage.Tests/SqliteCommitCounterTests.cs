using NetTopologySuite;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Sensors;
using Tweeling.Storage.Sqlite;
using Tweeling.TestSupport;

namespace Tweeling.Storage.Tests;

/// <summary>
/// The commit counter of a store file holds while only reads happen and moves with every commit — through the
/// store it came from, or through another store on the same file, as another process would write.
/// </summary>
public sealed class SqliteCommitCounterTests : IDisposable
{
    private static readonly NtsGeometryServices s_geometry = new(PrecisionModel.Floating.Value, Crs.RdNewSrid);
    private readonly TempDirectory _directory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task The_counter_holds_over_reads_and_moves_with_every_commit_from_any_connection()
    {
        var path = _directory.File("twin.db");
        await using var store = await SqliteTwinStore.OpenAsync(path, s_geometry, Ct);
        using var commits = store.OpenCommitCounter();
        var thing = await store.Sensors.CreateAsync(new Thing(0, "Kade", "quay wall"), Ct);
        var start = commits.Current;

        await store.Sensors.FindAsync<Thing>(thing.Id, Ct);
        await store.Sensors.ListAsync<Thing>(0, 10, Ct);
        Assert.Equal(start, commits.Current);

        await store.Sensors.UpdateAsync<Thing>(thing.Id, t => t with { Name = "Kademuur" }, Ct);
        var afterUpdate = commits.Current;
        Assert.NotEqual(start, afterUpdate);
        Assert.Equal(afterUpdate, commits.Current);

        await using (var other = await SqliteTwinStore.OpenAsync(path, s_geometry, Ct))
        {
            var before = commits.Current;
            await other.Sensors.CreateAsync(new Thing(0, "Brug", "bridge"), Ct);
            Assert.NotEqual(before, commits.Current);
        }
    }

    [Fact]
    public async Task A_rolled_back_write_leaves_the_counter_where_it_was()
    {
        await using var store = await SqliteTwinStore.OpenAsync(_directory.File("twin.db"), s_geometry, Ct);
        using var commits = store.OpenCommitCounter();
        var start = commits.Current;

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.Sensors.WriteAsync<Thing>(
            async (writer, ct) =>
            {
                await writer.CreateAsync(new Thing(0, "Kade", "quay wall"), ct);
                throw new InvalidOperationException("abandoned");
            },
            Ct));

        Assert.Equal(start, commits.Current);
        Assert.Empty(await store.Sensors.ListAsync<Thing>(0, 10, Ct));
    }
}
