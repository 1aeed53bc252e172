using Tweeling.Domain.Reviews;
using Tweeling.Governance.Reviews;

namespace Tweeling.Server.Tests.Governance;

/// <summary>The review workflow: who decides what, which status follows which, and what an approval needs.</summary>
public sealed class ReviewRulesTests
{
    private static readonly DateTimeOffset s_now = new(2026, 6, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly Review s_submittedDpia = new()
    {
        Id = 7,
        Kind = ReviewKind.Dpia,
        Subject = new ReviewSubject(ReviewSubjectKind.Dataset, "meldingen"),
        Status = ReviewStatus.UnderReview,
        Reviewers = [new Reviewer("opsteller-1", "analist")],
        Sections = [.. ReviewTemplates.Dpia.Select(t => new ReviewSection(t.Code, "antwoord"))],
        CreatedAt = s_now.AddDays(-3),
    };

    [Fact]
    public void The_dpia_has_the_17_sections_of_the_rijksmodel_and_the_iama_its_four_parts()
    {
        Assert.Equal(Enumerable.Range(1, 17).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), ReviewTemplates.Dpia.Select(s => s.Code));
        Assert.Equal(["A", "B", "C", "D"], ReviewTemplates.Dpia.Select(s => s.Part).Distinct());
        Assert.Equal(["1", "2A", "2B", "3", "4"], ReviewTemplates.Iama.Select(s => s.Code));
        Assert.Equal(["1", "2", "3", "4"], ReviewTemplates.Iama.Select(s => s.Part).Distinct());
    }

    [Fact]
    public void A_data_steward_approves_a_dpia_with_conditions_and_is_added_to_its_reviewers()
    {
        var (approved, problems) = ReviewRules.Decide(s_submittedDpia, ReviewStatus.Approved, new Reviewer("ds-17", "datasteward"), ["Pseudonimiseren voor analyse."], new DateOnly(2027, 6, 1), s_now);

        Assert.Empty(problems);
        Assert.Equal(ReviewStatus.Approved, approved!.Status);
        Assert.Equal(s_now, approved.DecidedAt);
        Assert.Equal(["Pseudonimiseren voor analyse."], approved.Conditions);
        Assert.Equal([new Reviewer("opsteller-1", "analist"), new Reviewer("ds-17", "datasteward")], approved.Reviewers);
    }

    [Theory]
    [InlineData("analist", "decided by datasteward")]
    [InlineData("ethische-commissie", "decided by datasteward")]
    [InlineData("burgemeester", "Reviewer role 'burgemeester' must be one of")]
    public void Only_a_data_steward_decides_a_dpia(string role, string problem)
    {
        var (decided, problems) = ReviewRules.Decide(s_submittedDpia, ReviewStatus.Approved, new Reviewer("x-1", role), [], null, s_now);

        Assert.Null(decided);
        Assert.Contains(problems, p => p.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void A_dpia_with_unanswered_sections_cannot_be_approved()
    {
        var incomplete = s_submittedDpia with { Sections = [.. s_submittedDpia.Sections.Where(s => s.Code is not ("11" or "16"))] };

        var (_, problems) = ReviewRules.Decide(incomplete, ReviewStatus.Approved, new Reviewer("ds-17", "datasteward"), [], null, s_now);

        Assert.Contains("missing: 11, 16.", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ReviewStatus.Concept, ReviewStatus.Approved)]
    [InlineData(ReviewStatus.Rejected, ReviewStatus.Approved)]
    [InlineData(ReviewStatus.Withdrawn, ReviewStatus.UnderReview)]
    [InlineData(ReviewStatus.Approved, ReviewStatus.Rejected)]
    public void A_status_may_only_follow_the_workflow(ReviewStatus from, ReviewStatus to)
    {
        var (decided, problems) = ReviewRules.Decide(s_submittedDpia with { Status = from }, to, new Reviewer("ds-17", "datasteward"), [], null, s_now);

        Assert.Null(decided);
        Assert.Contains(problems, p => p.Contains("cannot become", StringComparison.Ordinal));
    }

    [Fact]
    public void Only_the_ethics_committee_decides_its_own_review()
    {
        var review = s_submittedDpia with { Kind = ReviewKind.EthicsCommittee, Sections = [] };

        Assert.NotEmpty(ReviewRules.Decide(review, ReviewStatus.Approved, new Reviewer("ds-17", "datasteward"), [], null, s_now).Problems);
        Assert.Empty(ReviewRules.Decide(review, ReviewStatus.Approved, new Reviewer("ec-03", "ethische-commissie"), [], null, s_now).Problems);
    }

    [Theory]
    [InlineData("jan.jansen@gemeente.nl", "pseudonymous id")]
    [InlineData("Jan Jansen", "pseudonymous id")]
    [InlineData("", "pseudonymous id")]
    public void A_reviewer_is_a_pseudonymous_id_never_a_name_or_email(string id, string problem)
    {
        var review = s_submittedDpia with { Id = 0, Status = ReviewStatus.Concept, Reviewers = [new Reviewer(id, "datasteward")] };

        Assert.Contains(ReviewRules.CheckNew(review), p => p.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void A_new_review_names_unknown_and_duplicate_sections_and_may_not_start_decided()
    {
        var review = s_submittedDpia with
        {
            Id = 0,
            Kind = ReviewKind.Iama,
            Status = ReviewStatus.Approved,
            Sections = [new ReviewSection("2A", "data"), new ReviewSection("2A", "nog eens"), new ReviewSection("5", "?")],
        };

        var problems = ReviewRules.CheckNew(review);

        Assert.Contains(problems, p => p.StartsWith("A new review starts as 'concept'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Section '5' is not a section of the iama; its sections are 1, 2A, 2B, 3, 4.", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Section '2A' is given more than once.", StringComparison.Ordinal));
    }
}
