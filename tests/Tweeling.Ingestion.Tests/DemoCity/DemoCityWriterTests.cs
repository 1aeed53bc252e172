using Tweeling.Domain.Catalog;
using Tweeling.Domain.Features;
using Tweeling.Domain.Indicators;
using Tweeling.Domain.Ports;
using Tweeling.Ingestion.DemoCity;

namespace Tweeling.Ingestion.Tests.DemoCity;

[Collection(DemoCityCollection.Name)]
public sealed class DemoCityWriterTests(DemoCityFixture fixture)
{
    [Fact]
    public async Task Writes_everything_in_chunks_and_leaves_the_commit_to_the_caller()
    {
        var transaction = new RecordingTransaction();
        var reports = new List<DemoProgress>();
        await DemoCityWriter.WriteAsync(fixture.City, transaction, new Recorder(reports), TestContext.Current.CancellationToken);

        Assert.Equal(fixture.City.Datasets, transaction.Datasets);
        Assert.Equal(fixture.City.Features.Count, transaction.FeatureChunks.Sum(c => c.Count));
        Assert.All(transaction.FeatureChunks, c => Assert.InRange(c.Count, 1, DemoCityWriter.ChunkSize));
        Assert.Equal(fixture.City.Features, transaction.FeatureChunks.SelectMany(c => c));
        Assert.Equal(fixture.City.Indicators, transaction.Indicators);
        Assert.Equal(fixture.City.IndicatorValues, transaction.Values);
        Assert.False(transaction.Committed);
        Assert.True(reports.Count > transaction.FeatureChunks.Count);
        Assert.Equal(1, reports[^1].Fraction);
    }

    [Fact]
    public async Task Stops_when_cancelled()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            DemoCityWriter.WriteAsync(fixture.City, new RecordingTransaction(), null, cancellation.Token));
    }

    private sealed class Recorder(List<DemoProgress> reports) : IProgress<DemoProgress>
    {
        public void Report(DemoProgress value) => reports.Add(value);
    }

    private sealed class RecordingTransaction : IWriteTransaction
    {
        public List<Dataset> Datasets { get; } = [];

        public List<List<Feature>> FeatureChunks { get; } = [];

        public List<IndicatorDefinition> Indicators { get; } = [];

        public List<IndicatorValue> Values { get; } = [];

        public bool Committed { get; private set; }

        public Task PutDatasetAsync(Dataset dataset, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Datasets.Add(dataset);
            return Task.CompletedTask;
        }

        public Task AddFeaturesAsync(IEnumerable<Feature> features, CancellationToken cancellationToken)
        {
            FeatureChunks.Add([.. features]);
            return Task.CompletedTask;
        }

        public Task PutIndicatorsAsync(IEnumerable<IndicatorDefinition> definitions, CancellationToken cancellationToken)
        {
            Indicators.AddRange(definitions);
            return Task.CompletedTask;
        }

        public Task PutIndicatorValuesAsync(IEnumerable<IndicatorValue> values, CancellationToken cancellationToken)
        {
            Values.AddRange(values);
            return Task.CompletedTask;
        }

        public Task CommitAsync(CancellationToken cancellationToken)
        {
            Committed = true;
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
