using Tweeling.Domain.Features;
using Tweeling.Domain.Ports;
using Tweeling.Models.City;
using Tweeling.Models.Scenario;

namespace Tweeling.Models.Tests.Scenario;

/// <summary>
/// Reading the baseline ahead of the first run (<see cref="ScenarioRunner.WarmAsync"/>, what the server does at start):
/// the city is read once per reference date and store revision, and a later run on that date reads no features.
/// </summary>
[Collection(DemoCityStoreCollection.Name)]
public sealed class ScenarioBaselineReadTests(DemoCityStore demo)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_city_read_ahead_is_kept_for_its_reference_date_and_another_date_reads_again()
    {
        var features = new CountingFeatureStore(demo.Store);
        var runner = new ScenarioRunner(ScenarioModels.Graph(ScenarioModels.Create()), features, demo.Store, ScenarioModels.Reporters());

        await runner.WarmAsync(DemoCityStore.ReferenceDate, Ct);
        var firstRead = features.Queries;
        await runner.WarmAsync(DemoCityStore.ReferenceDate, Ct);
        var secondRead = features.Queries - firstRead;

        // The first read pages through every collection the baseline reads; the second only checks the revisions.
        Assert.True(firstRead >= ScenarioRunner.Collections.Count, $"{firstRead} queries");
        Assert.Equal(0, secondRead);
        Assert.Equal(ScenarioRunner.Collections.Count * 2, features.RevisionChecks);
        // A date before the demo city existed has no city: refused, as a run on it would be.
        await Assert.ThrowsAsync<ScenarioInputException>(() => runner.WarmAsync(new DateOnly(1900, 1, 1), Ct));
    }

    /// <summary>The store, counting the feature reads (<see cref="IFeatureStore.QueryAsync"/>) and the revision checks.</summary>
    private sealed class CountingFeatureStore(IFeatureStore inner) : IFeatureStore
    {
        private int _queries;
        private int _revisionChecks;

        public int Queries => _queries;

        public int RevisionChecks => _revisionChecks;

        public Task<FeaturePage> QueryAsync(FeatureQuery query, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _queries);
            return inner.QueryAsync(query, cancellationToken);
        }

        public Task<FeatureVersionPage> QueryVersionsAsync(FeatureQuery query, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _revisionChecks);
            return inner.QueryVersionsAsync(query, cancellationToken);
        }

        public Task<IReadOnlyList<StoredFeature>> LoadVersionsAsync(IReadOnlyList<long> versionIds, CancellationToken cancellationToken) =>
            inner.LoadVersionsAsync(versionIds, cancellationToken);

        public Task<Feature?> FindAsync(string collection, string id, DateTimeOffset asOf, CancellationToken cancellationToken) =>
            inner.FindAsync(collection, id, asOf, cancellationToken);

        public Task<CollectionSummary?> SummarizeAsync(string collection, CancellationToken cancellationToken) => inner.SummarizeAsync(collection, cancellationToken);

        public Task<bool> IsEmptyAsync(CancellationToken cancellationToken) => inner.IsEmptyAsync(cancellationToken);
    }
}
