using Tweeling.Domain.Features;
using Tweeling.Domain.Ports;
using Tweeling.Ingestion.DemoCity;
using Tweeling.Storage.Sqlite;
using Tweeling.TestSupport;
using City = Tweeling.Ingestion.DemoCity.DemoCity;

namespace Tweeling.Ingestion.Tests.DemoCity;

/// <summary>The demo city written into a real SQLite store and read back through the ports.</summary>
[Collection(DemoCityCollection.Name)]
public sealed class DemoCityWriterTests(DemoCityFixture fixture) : IDisposable
{
    private static readonly DateTimeOffset s_asOf = new(2024, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Everything_written_and_committed_reads_back_from_the_store()
    {
        await using var store = await SqliteTwinStore.OpenAsync(_directory.File("demo.db"), DemoCityFixture.Services, Ct);
        var reports = new List<DemoProgress>();
        await using (var transaction = await store.BeginAsync(Ct))
        {
            await DemoCityWriter.WriteAsync(fixture.City, transaction, new Recorder(reports), Ct);
            await transaction.CommitAsync(Ct);
        }

        // The store answers as of one instant: renewed buildings are there once, as their demolished or their new version.
        foreach (var (collection, count) in fixture.City.Features.Where(f => f.Validity.Contains(s_asOf)).CountBy(f => f.Collection))
        {
            var page = await store.QueryAsync(new FeatureQuery(collection, TemporalFilter.At(s_asOf), Limit: 1), Ct);
            Assert.Equal(count, page.NumberMatched);
        }

        Assert.Equal(fixture.City.Datasets.Select(d => d.Id), (await ((ICatalog)store).ListAsync(Ct)).Select(d => d.Id));
        Assert.Equal(fixture.City.Indicators.Count, (await ((IIndicatorStore)store).ListAsync(Ct)).Count);
        var gemeente = await store.ValuesAsOfAsync([City.GemeenteCode], DateOnly.FromDateTime(s_asOf.UtcDateTime), Ct);
        Assert.Equal(fixture.City.GemeenteValue("inwoners"), gemeente.Single(v => v.IndicatorCode == "inwoners").Value);
        Assert.Equal(1, reports[^1].Fraction);
        Assert.True(reports.Count > fixture.City.Features.Count / DemoCityWriter.ChunkSize);
    }

    [Fact]
    public async Task Without_the_callers_commit_nothing_is_stored()
    {
        await using var store = await SqliteTwinStore.OpenAsync(_directory.File("uncommitted.db"), DemoCityFixture.Services, Ct);
        await using (var transaction = await store.BeginAsync(Ct))
        {
            await DemoCityWriter.WriteAsync(fixture.City, transaction, null, Ct);
        }

        Assert.True(await store.IsEmptyAsync(Ct));
    }

    [Fact]
    public async Task Stops_when_cancelled_and_leaves_the_store_empty()
    {
        await using var store = await SqliteTwinStore.OpenAsync(_directory.File("cancelled.db"), DemoCityFixture.Services, Ct);
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await using (var transaction = await store.BeginAsync(Ct))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => DemoCityWriter.WriteAsync(fixture.City, transaction, null, cancellation.Token));
        }

        Assert.True(await store.IsEmptyAsync(Ct));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class Recorder(List<DemoProgress> reports) : IProgress<DemoProgress>
    {
        public void Report(DemoProgress value) => reports.Add(value);
    }
}
