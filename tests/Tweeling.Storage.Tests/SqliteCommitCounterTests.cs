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

    [Fact]
    public async Task Sensor_changes_name_each_datastream_with_its_earliest_time_and_everything_after_an_entity_write_or_a_cut_log()
    {
        var path = _directory.File("twin.db");
        await using var store = await SqliteTwinStore.OpenAsync(path, s_geometry, Ct);
        using var commits = store.OpenCommitCounter();
        var (first, second) = (await DatastreamAsync(store, "NO2"), await DatastreamAsync(store, "PM10"));
        var t = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var start = commits.SensorChangesSince(-1);
        Assert.True(start.Everything);

        await store.Sensors.AppendAsync([new NewObservation(first, SensorTime.At(t), 1), new NewObservation(first, SensorTime.At(t.AddHours(-3)), 2)], Ct);
        var observation = (await store.Sensors.AppendAsync([new NewObservation(second, SensorTime.At(t.AddMinutes(-90)), 3)], Ct))[0];
        var appended = commits.SensorChangesSince(start.Seq);
        Assert.False(appended.Everything);
        Assert.Equal(new Dictionary<long, long> { [first] = t.AddHours(-3).ToUnixTimeMilliseconds(), [second] = t.AddMinutes(-90).ToUnixTimeMilliseconds() }, appended.Datastreams);
        Assert.False(appended.Affect(first, t.AddHours(-4).ToUnixTimeMilliseconds()));
        Assert.True(appended.Affect(first, t.AddHours(-3).ToUnixTimeMilliseconds()));
        Assert.True(appended.Affect(null, long.MinValue));

        // A delete names the hour its Observation was in (the store recomputes that hour's rollup), never later than the Observation.
        await store.Sensors.DeleteObservationAsync(observation, Ct);
        var deleted = commits.SensorChangesSince(appended.Seq);
        Assert.False(deleted.Everything);
        Assert.Equal([second], deleted.Datastreams.Keys);
        Assert.True(deleted.Datastreams[second] <= t.AddMinutes(-90).ToUnixTimeMilliseconds());
        Assert.Empty(commits.SensorChangesSince(deleted.Seq).Datastreams);

        await store.Sensors.UpdateAsync<Thing>((await store.Sensors.ListAsync<Thing>(0, 1, Ct))[0].Id, thing => thing with { Name = "Anders" }, Ct);
        Assert.True(commits.SensorChangesSince(deleted.Seq).Everything);

        // A log cut past the reader (as the store lets old rows go): what was cut is unknown, so everything counts as changed.
        var beforeCut = commits.SensorChangesSince(-1).Seq;
        await store.Sensors.AppendAsync([new NewObservation(first, SensorTime.At(t.AddDays(1)), 4)], Ct);
        await store.Sensors.AppendAsync([new NewObservation(first, SensorTime.At(t.AddDays(2)), 5)], Ct);
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync(Ct);
            await using var cut = connection.CreateCommand();
            cut.CommandText = $"DELETE FROM sta_changes WHERE seq = {beforeCut + 1}";
            Assert.Equal(1, await cut.ExecuteNonQueryAsync(Ct));
        }

        Assert.True(commits.SensorChangesSince(beforeCut).Everything);
        Assert.False(commits.SensorChangesSince(beforeCut + 1).Everything);
    }

    [Fact]
    public async Task Callers_that_share_a_read_under_contention_still_see_every_commit_made_before_they_asked()
    {
        var path = _directory.File("twin.db");
        await using var store = await SqliteTwinStore.OpenAsync(path, s_geometry, Ct);
        using var commits = store.OpenCommitCounter();
        var datastream = await DatastreamAsync(store, "NO2");
        var before = commits.Current;
        var committed = 0;
        var stale = 0;
        var reads = 0;
        using var stop = new CancellationTokenSource();
        var callers = Enumerable.Range(0, 8).Select(caller => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                // A commit that ended before this call began must be in the value it gets, shared read or not.
                var knew = Volatile.Read(ref committed) == 1;
                var value = commits.Current;
                if (knew && value == before)
                {
                    Interlocked.Increment(ref stale);
                }

                Interlocked.Increment(ref reads);
            }
        })).ToList();

        await Task.Delay(200, Ct);
        await store.Sensors.AppendAsync([new NewObservation(datastream, SensorTime.At(DateTimeOffset.UnixEpoch), 1)], Ct);
        Volatile.Write(ref committed, 1);
        await Task.Delay(300, Ct);
        await stop.CancelAsync();
        await Task.WhenAll(callers);

        Assert.True(reads > 100, $"only {reads} reads ran");
        Assert.Equal(0, stale);
        Assert.NotEqual(before, commits.Current);
    }

    private static async Task<long> DatastreamAsync(SqliteTwinStore store, string name)
    {
        var thing = await store.Sensors.CreateAsync(new Thing(0, $"Meetpunt {name}", "meetpunt"), Ct);
        var sensor = await store.Sensors.CreateAsync(new Sensor(0, name, "meter", "text/plain", "meter"), Ct);
        var property = await store.Sensors.CreateAsync(new ObservedProperty(0, name, $"urn:test:{name}", name), Ct);
        var datastream = await store.Sensors.CreateAsync(
            new Datastream(0, name, "reeks", new UnitOfMeasurement("ug/m3", "ug/m3", "urn:test:unit"), "OM_Measurement", thing.Id, sensor.Id, property.Id), Ct);
        return datastream.Id;
    }
}
