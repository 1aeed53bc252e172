using NetTopologySuite;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Reviews;
using Tweeling.Storage.Sqlite;
using Tweeling.TestSupport;

namespace Tweeling.Storage.Tests;

/// <summary>Reviews and algorithm switches survive a reopen of a real SQLite file, field for field.</summary>
public sealed class SqliteReviewStoreTests : IDisposable
{
    private static readonly NtsGeometryServices s_geometry = new(PrecisionModel.Floating.Value, Crs.RdNewSrid);
    private static readonly DateTimeOffset s_now = new(2026, 6, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_review_is_stored_listed_per_subject_updated_and_read_back_after_reopening()
    {
        var dpia = new Review
        {
            Kind = ReviewKind.Dpia,
            Subject = new ReviewSubject(ReviewSubjectKind.Dataset, "meldingen"),
            Status = ReviewStatus.UnderReview,
            Reviewers = [new Reviewer("opsteller-1", "analist")],
            Sections = [new ReviewSection("1", "Voorstel: \"meldingen\" analyseren"), new ReviewSection("16", "Risico's")],
            CreatedAt = s_now,
        };
        var ethics = dpia with { Kind = ReviewKind.EthicsCommittee, Subject = new ReviewSubject(ReviewSubjectKind.Algorithm, "drempelalarmen"), Sections = [] };

        Review added;
        await using (var store = await OpenAsync())
        {
            added = await store.Reviews.AddAsync(dpia, Ct);
            await store.Reviews.AddAsync(ethics, Ct);
            var decided = added with
            {
                Status = ReviewStatus.Approved,
                Reviewers = [.. added.Reviewers, new Reviewer("ds-17", "datasteward")],
                Conditions = ["Pseudonimiseren."],
                DecidedAt = s_now.AddDays(1),
                ValidUntil = new DateOnly(2027, 6, 1),
            };
            Assert.True(await store.Reviews.UpdateAsync(decided, Ct));
            Assert.False(await store.Reviews.UpdateAsync(decided with { Id = 99 }, Ct));
        }

        await using (var store = await OpenAsync())
        {
            var found = await store.Reviews.FindAsync(added.Id, Ct);
            var ofDataset = await store.Reviews.ListAsync(new ReviewSubject(ReviewSubjectKind.Dataset, "meldingen"), Ct);

            Assert.Equal(1, added.Id);
            Assert.NotNull(found);
            Assert.Equal(ReviewStatus.Approved, found.Status);
            Assert.Equal([new Reviewer("opsteller-1", "analist"), new Reviewer("ds-17", "datasteward")], found.Reviewers);
            Assert.Equal(["Pseudonimiseren."], found.Conditions);
            Assert.Equal(dpia.Sections, found.Sections);
            Assert.Equal(s_now, found.CreatedAt);
            Assert.Equal(s_now.AddDays(1), found.DecidedAt);
            Assert.Equal(new DateOnly(2027, 6, 1), found.ValidUntil);
            Assert.Equal([1L], ofDataset.Select(r => r.Id));
            Assert.Equal(2, (await store.Reviews.ListAsync(null, Ct)).Count);
            Assert.Empty(await store.Reviews.ListAsync(new ReviewSubject(ReviewSubjectKind.Experiment, "meldingen"), Ct));
            Assert.Null(await store.Reviews.FindAsync(3, Ct));
        }
    }

    [Fact]
    public async Task The_last_switch_of_an_algorithm_is_kept()
    {
        await using (var store = await OpenAsync())
        {
            Assert.Null(await store.Reviews.FindActivationAsync("drempelalarmen", Ct));
            await store.Reviews.SetActivationAsync(new AlgorithmActivation("drempelalarmen", true, s_now, "beheer-01"), Ct);
            await store.Reviews.SetActivationAsync(new AlgorithmActivation("drempelalarmen", false, s_now.AddHours(1), "beheer-02"), Ct);
        }

        await using (var store = await OpenAsync())
        {
            Assert.Equal(new AlgorithmActivation("drempelalarmen", false, s_now.AddHours(1), "beheer-02"), await store.Reviews.FindActivationAsync("drempelalarmen", Ct));
            Assert.Null(await store.Reviews.FindActivationAsync("demo-sensorfeed", Ct));
        }
    }

    private Task<SqliteTwinStore> OpenAsync() => SqliteTwinStore.OpenAsync(_directory.File("twin.db"), s_geometry, Ct);
}
