using Tweeling.Domain.Algorithms;
using Tweeling.Domain.Reviews;
using Tweeling.Governance.Register;
using Tweeling.Governance.Reviews;
using Tweeling.Server.Hosting;
using Tweeling.Storage.Sqlite;
using Tweeling.TestSupport;

namespace Tweeling.Server.Tests.Governance;

/// <summary>
/// Enabling an algorithm that processes personal data is refused, storing nothing, until its DPIA, IAMA and the
/// ethics committee's review are approved; and it stops running when an approval expires or is withdrawn.
/// On a real store file.
/// </summary>
public sealed class AlgorithmGateTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset s_now = new(2026, 6, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly s_today = DateOnly.FromDateTime(s_now.UtcDateTime);
    private static readonly ReviewSubject s_subject = new(ReviewSubjectKind.Algorithm, PersonalDataModel.AlgorithmId);

    private readonly TempDirectory _work = new();
    private SqliteTwinStore _store = null!;
    private Registration _model = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = await SqliteTwinStore.OpenAsync(_work.File("twin.db"), TwinHost.GeometryServices, Ct);
        _model = new AlgorithmRegistry([new PersonalDataModel()], new RegisterPublisher("Gemeente Voorbeeld", "algoritmes@gemeente.example")).All.Single();
    }

    public async ValueTask DisposeAsync() => await _store.DisposeAsync();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Enabling_without_the_required_approvals_is_refused_and_stores_nothing()
    {
        var obstacles = await AlgorithmGate.EnableAsync(_model, _store.Reviews, "beheer-01", s_now, Ct);

        Assert.Equal(3, obstacles.Count);
        Assert.Contains(obstacles, o => o.Contains("no approved dpia review of algoritme/kwetsbare-huishoudens", StringComparison.Ordinal));
        Assert.Contains(obstacles, o => o.Contains("no approved iama review", StringComparison.Ordinal));
        Assert.Contains(obstacles, o => o.Contains("no approved ethische-commissie review", StringComparison.Ordinal));
        Assert.Null(await _store.Reviews.FindActivationAsync(_model.Algorithm.Id, Ct));
        Assert.False((await AlgorithmGate.StateAsync(_model, _store.Reviews, s_today, Ct)).Enabled);
    }

    [Fact]
    public async Task Enabling_with_two_of_three_approvals_names_the_missing_one()
    {
        await ApproveAsync(ReviewKind.Dpia, "ds-17:datasteward");
        await ApproveAsync(ReviewKind.Iama, "ec-03:ethische-commissie");

        var obstacles = await AlgorithmGate.EnableAsync(_model, _store.Reviews, "beheer-01", s_now, Ct);

        Assert.Contains("no approved ethische-commissie review", Assert.Single(obstacles), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enabling_with_every_approval_is_allowed_and_recorded()
    {
        await ApproveAsync(ReviewKind.Dpia, "ds-17:datasteward");
        await ApproveAsync(ReviewKind.Iama, "ds-17:datasteward");
        await ApproveAsync(ReviewKind.EthicsCommittee, "ec-03:ethische-commissie");

        var obstacles = await AlgorithmGate.EnableAsync(_model, _store.Reviews, "beheer-01", s_now, Ct);
        var state = await AlgorithmGate.StateAsync(_model, _store.Reviews, s_today, Ct);

        Assert.Empty(obstacles);
        Assert.True(state.Enabled);
        Assert.Equal(new AlgorithmActivation(_model.Algorithm.Id, true, s_now, "beheer-01"), state.LastSwitch);
    }

    [Fact]
    public async Task An_enabled_algorithm_stops_counting_as_enabled_when_an_approval_expires_or_is_withdrawn()
    {
        await ApproveAsync(ReviewKind.Dpia, "ds-17:datasteward", validUntil: s_today.AddDays(30));
        await ApproveAsync(ReviewKind.Iama, "ds-17:datasteward");
        var ethics = await ApproveAsync(ReviewKind.EthicsCommittee, "ec-03:ethische-commissie");
        Assert.Empty(await AlgorithmGate.EnableAsync(_model, _store.Reviews, "beheer-01", s_now, Ct));

        var afterExpiry = await AlgorithmGate.StateAsync(_model, _store.Reviews, s_today.AddDays(31), Ct);
        var (withdrawn, problems) = ReviewRules.Decide(ethics, ReviewStatus.Withdrawn, new Reviewer("ec-03", "ethische-commissie"), [], null, s_now.AddDays(1));
        Assert.Empty(problems);
        await _store.Reviews.UpdateAsync(withdrawn!, Ct);
        var afterWithdrawal = await AlgorithmGate.StateAsync(_model, _store.Reviews, s_today.AddDays(1), Ct);

        Assert.False(afterExpiry.Enabled);
        Assert.Contains(afterExpiry.Obstacles, o => o.Contains("dpia", StringComparison.Ordinal));
        Assert.False(afterWithdrawal.Enabled);
        Assert.Contains(afterWithdrawal.Obstacles, o => o.Contains("ethische-commissie", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_approval_of_another_subject_does_not_count()
    {
        foreach (var kind in new[] { ReviewKind.Dpia, ReviewKind.Iama, ReviewKind.EthicsCommittee })
        {
            await ApproveAsync(kind, kind == ReviewKind.EthicsCommittee ? "ec-03:ethische-commissie" : "ds-17:datasteward", subject: new ReviewSubject(ReviewSubjectKind.Experiment, PersonalDataModel.AlgorithmId));
        }

        Assert.Equal(3, (await AlgorithmGate.EnableAsync(_model, _store.Reviews, "beheer-01", s_now, Ct)).Count);
    }

    [Fact]
    public async Task An_algorithm_whose_entry_breaks_the_standard_is_refused_with_the_field_named()
    {
        var broken = new AlgorithmRegistry([new PersonalDataModel { Status = "Actief" }], new RegisterPublisher("Gemeente Voorbeeld", "algoritmes@gemeente.example")).All.Single();

        var obstacles = await AlgorithmGate.EnableAsync(broken, _store.Reviews, "beheer-01", s_now, Ct);

        Assert.Contains(obstacles, o => o.StartsWith("register entry: 'status' (Status) is 'Actief'", StringComparison.Ordinal));
    }

    /// <summary>Records a review of <paramref name="kind"/> with every section answered, submits it and approves it, through the review rules.</summary>
    private async Task<Review> ApproveAsync(ReviewKind kind, string decider, DateOnly? validUntil = null, ReviewSubject? subject = null)
    {
        var parts = decider.Split(':');
        var added = await _store.Reviews.AddAsync(new Review
        {
            Kind = kind,
            Subject = subject ?? s_subject,
            Status = ReviewStatus.UnderReview,
            Reviewers = [new Reviewer("opsteller-1", "analist")],
            Sections = [.. ReviewTemplates.For(kind).Select(t => new ReviewSection(t.Code, $"Antwoord op {t.Title}"))],
            CreatedAt = s_now.AddDays(-7),
        }, Ct);
        var (approved, problems) = ReviewRules.Decide(added, ReviewStatus.Approved, new Reviewer(parts[0], parts[1]), ["Na een jaar opnieuw toetsen."], validUntil, s_now.AddDays(-1));
        Assert.Empty(problems);
        Assert.True(await _store.Reviews.UpdateAsync(approved!, Ct));
        return (await _store.Reviews.FindAsync(added.Id, Ct))!;
    }

    /// <summary>A model that profiles households: the kind of algorithm that needs every approval.</summary>
    private sealed class PersonalDataModel : IRegisteredAlgorithm
    {
        public const string AlgorithmId = "kwetsbare-huishoudens";

        public string Status { get; init; } = RegisterValues.StatusInDevelopment;

        public string Id => AlgorithmId;

        public RequiredApprovals Approvals { get; } = RequiredApprovals.PersonalData("Verwerkt persoonsgegevens van huishoudens.");

        public RegisterEntry Describe(RegisterPublisher publisher) => new()
        {
            Name = "Kwetsbare huishoudens signaleren",
            DescriptionShort = "Een testmodel dat persoonsgegevens verwerkt.",
            Organization = publisher.Organization,
            Status = Status,
            ContactEmail = publisher.Contact,
            PublicationCategory = RegisterValues.ImpactfulAlgorithms,
            SourceId = AlgorithmId,
        };
    }
}
