using Tweeling.Domain.Algorithms;
using Tweeling.Domain.Reviews;
using Tweeling.Governance.Access;

namespace Tweeling.Governance.Reviews;

/// <summary>
/// The workflow of a review: what a new review must hold, who may decide it, and which status may follow
/// which. Every check returns all problems as sentences, so a refused write can say exactly why.
/// </summary>
/// <remarks>
/// Status flow: concept → in-behandeling → goedgekeurd or afgewezen (or back to concept for changes);
/// goedgekeurd → ingetrokken. A rejected or withdrawn review is final: a new review is recorded instead,
/// so the history of decisions stays intact. Approving a DPIA or IAMA needs every section of its model
/// answered. Only a data steward decides a DPIA, only the ethics committee its own review, and either
/// an IAMA.
/// </remarks>
public static class ReviewRules
{
    /// <summary>The longest pseudonymous reviewer id.</summary>
    public const int MaxReviewerIdLength = 64;

    /// <summary>The longest condition or section text, in characters.</summary>
    public const int MaxTextLength = 5000;

    /// <summary>The problems of <paramref name="review"/> as a new record; empty when it may be stored.</summary>
    public static IReadOnlyList<string> CheckNew(Review review)
    {
        ArgumentNullException.ThrowIfNull(review);
        var problems = new List<string>();
        if (review.Status is not (ReviewStatus.Concept or ReviewStatus.UnderReview))
        {
            problems.Add($"A new review starts as '{Word(ReviewStatus.Concept)}' or '{Word(ReviewStatus.UnderReview)}'; it is decided afterwards.");
        }

        if (!IsId(review.Subject.Id))
        {
            problems.Add($"The subject id '{review.Subject.Id}' must be 1 to 100 lowercase letters, digits, '-', '_' or '.'.");
        }

        if (review.Reviewers.Count == 0)
        {
            problems.Add("A review needs at least one reviewer.");
        }

        problems.AddRange(review.Reviewers.SelectMany(CheckReviewer));
        problems.AddRange(CheckSections(review.Kind, review.Sections));
        if (review.Conditions.Count > 0)
        {
            problems.Add("Conditions are set when a review is approved, not when it is recorded.");
        }

        return problems;
    }

    /// <summary>
    /// <paramref name="review"/> decided as <paramref name="status"/> by <paramref name="by"/> at <paramref name="now"/>,
    /// or the reasons it may not be.
    /// </summary>
    public static (Review? Decided, IReadOnlyList<string> Problems) Decide(
        Review review, ReviewStatus status, Reviewer by, IReadOnlyList<string> conditions, DateOnly? validUntil, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(review);
        ArgumentNullException.ThrowIfNull(by);
        ArgumentNullException.ThrowIfNull(conditions);
        var problems = new List<string>(CheckReviewer(by));
        if (!Follows(review.Status, status))
        {
            problems.Add($"Review {review.Id} is '{Word(review.Status)}'; it cannot become '{Word(status)}'"
                + (review.Status is ReviewStatus.Rejected or ReviewStatus.Withdrawn ? " (a rejected or withdrawn review is final: record a new one)." : "."));
        }

        if (status is ReviewStatus.Approved or ReviewStatus.Rejected or ReviewStatus.Withdrawn && RoleOf(by.Role) is { } role && !MayDecide(review.Kind, role))
        {
            problems.Add($"A {Word(review.Kind)} is decided by {string.Join(" or ", Deciders(review.Kind).Select(RoleWord))}, not by '{by.Role}'.");
        }

        if (status == ReviewStatus.Approved)
        {
            var answered = review.Sections.Where(s => !string.IsNullOrWhiteSpace(s.Text)).Select(s => s.Code).ToHashSet(StringComparer.Ordinal);
            var missing = ReviewTemplates.For(review.Kind).Where(t => !answered.Contains(t.Code)).Select(t => t.Code).ToList();
            if (missing.Count > 0)
            {
                problems.Add($"A {Word(review.Kind)} can only be approved with every section answered; missing: {string.Join(", ", missing)}.");
            }

            if (validUntil is { } until && until < DateOnly.FromDateTime(now.UtcDateTime))
            {
                problems.Add($"'valid until' ({until:yyyy-MM-dd}) is in the past.");
            }
        }
        else if (conditions.Count > 0 || validUntil is not null)
        {
            problems.Add("Conditions and a 'valid until' date belong to an approval only.");
        }

        problems.AddRange(conditions.Where(c => string.IsNullOrWhiteSpace(c) || c.Length > MaxTextLength)
            .Select(_ => $"A condition must be 1 to {MaxTextLength} characters."));
        if (problems.Count > 0)
        {
            return (null, problems);
        }

        var decided = review with
        {
            Status = status,
            Reviewers = review.Reviewers.Contains(by) ? review.Reviewers : [.. review.Reviewers, by],
            Conditions = status == ReviewStatus.Approved ? conditions : review.Conditions,
            ValidUntil = status == ReviewStatus.Approved ? validUntil : review.ValidUntil,
            DecidedAt = status is ReviewStatus.Approved or ReviewStatus.Rejected or ReviewStatus.Withdrawn ? now : review.DecidedAt,
        };
        return (decided, []);
    }

    /// <summary>The API word of a status: concept, in-behandeling, goedgekeurd, afgewezen, ingetrokken.</summary>
    public static string Word(ReviewStatus status) => status switch
    {
        ReviewStatus.Concept => "concept",
        ReviewStatus.UnderReview => "in-behandeling",
        ReviewStatus.Approved => "goedgekeurd",
        ReviewStatus.Rejected => "afgewezen",
        _ => "ingetrokken",
    };

    /// <summary>The API word of a kind: dpia, iama, ethische-commissie.</summary>
    public static string Word(ReviewKind kind) => kind switch
    {
        ReviewKind.Dpia => "dpia",
        ReviewKind.Iama => "iama",
        _ => "ethische-commissie",
    };

    /// <summary>The API word of a subject kind: dataset, algoritme, experiment.</summary>
    public static string Word(ReviewSubjectKind kind) => kind switch
    {
        ReviewSubjectKind.Dataset => "dataset",
        ReviewSubjectKind.Algorithm => "algoritme",
        _ => "experiment",
    };

    /// <summary>The status named by an API word, or <c>null</c>.</summary>
    public static ReviewStatus? ParseStatus(string word) =>
        Enum.GetValues<ReviewStatus>().Cast<ReviewStatus?>().FirstOrDefault(s => Word(s!.Value) == word);

    /// <summary>The kind named by an API word, or <c>null</c>.</summary>
    public static ReviewKind? ParseKind(string word) =>
        Enum.GetValues<ReviewKind>().Cast<ReviewKind?>().FirstOrDefault(k => Word(k!.Value) == word);

    /// <summary>The subject named as <c>kind/id</c>, e.g. <c>algoritme/drempelalarmen</c>, or <c>null</c>.</summary>
    public static ReviewSubject? ParseSubject(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return null;
        }

        var kind = Enum.GetValues<ReviewSubjectKind>().Cast<ReviewSubjectKind?>().FirstOrDefault(k => Word(k!.Value) == text[..slash]);
        return kind is null ? null : new ReviewSubject(kind.Value, text[(slash + 1)..]);
    }

    /// <summary>The subject as <c>kind/id</c>.</summary>
    public static string Text(ReviewSubject subject) => $"{Word(subject.Kind)}/{subject.Id}";

    /// <summary>The API word of a role, e.g. <c>ethische-commissie</c>.</summary>
    public static string RoleWord(Role role) => role switch
    {
        Role.EthischeCommissie => "ethische-commissie",
        _ => role.ToString().ToLowerInvariant(),
    };

    private static Role? RoleOf(string word) =>
        Enum.GetValues<Role>().Cast<Role?>().FirstOrDefault(r => RoleWord(r!.Value) == word);

    private static IReadOnlyList<Role> Deciders(ReviewKind kind) => kind switch
    {
        ReviewKind.Dpia => [Role.Datasteward],
        ReviewKind.Iama => [Role.Datasteward, Role.EthischeCommissie],
        _ => [Role.EthischeCommissie],
    };

    /// <summary>Whether <paramref name="role"/> may decide (approve, reject, withdraw) a review of <paramref name="kind"/>.</summary>
    public static bool MayDecide(ReviewKind kind, Role role) => Deciders(kind).Contains(role);

    private static bool Follows(ReviewStatus from, ReviewStatus to) => (from, to) switch
    {
        (ReviewStatus.Concept, ReviewStatus.UnderReview) => true,
        (ReviewStatus.UnderReview, ReviewStatus.Approved or ReviewStatus.Rejected or ReviewStatus.Concept) => true,
        (ReviewStatus.Approved, ReviewStatus.Withdrawn) => true,
        _ => false,
    };

    private static IEnumerable<string> CheckReviewer(Reviewer reviewer)
    {
        // Pseudonymous ids only: an '@' or a space suggests an e-mail address or a name, which the register must not hold.
        if (reviewer.Id.Length is 0 or > MaxReviewerIdLength
            || !reviewer.Id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.'))
        {
            yield return $"Reviewer id '{reviewer.Id}' must be a pseudonymous id of 1 to {MaxReviewerIdLength} lowercase letters, digits, '-', '_' or '.' (no name or e-mail address).";
        }

        if (RoleOf(reviewer.Role) is not { } role || role == Role.Publiek)
        {
            yield return $"Reviewer role '{reviewer.Role}' must be one of {string.Join(", ", Enum.GetValues<Role>().Where(r => r != Role.Publiek).Select(RoleWord))}.";
        }
    }

    private static IEnumerable<string> CheckSections(ReviewKind kind, IReadOnlyList<ReviewSection> sections)
    {
        var template = ReviewTemplates.For(kind);
        foreach (var section in sections)
        {
            if (!template.Any(t => t.Code == section.Code))
            {
                yield return template.Count == 0
                    ? $"A {Word(kind)} review has no sections; got '{section.Code}'."
                    : $"Section '{section.Code}' is not a section of the {Word(kind)}; its sections are {string.Join(", ", template.Select(t => t.Code))}.";
            }
            else if (string.IsNullOrWhiteSpace(section.Text) || section.Text.Length > MaxTextLength)
            {
                yield return $"Section '{section.Code}' must have a text of 1 to {MaxTextLength} characters.";
            }
        }

        foreach (var duplicate in sections.GroupBy(s => s.Code, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            yield return $"Section '{duplicate.Key}' is given more than once.";
        }
    }

    private static bool IsId(string id) =>
        id.Length is > 0 and <= 100 && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.');
}

/// <summary>Which required approvals a subject has, and which it lacks.</summary>
public static class Approvals
{
    /// <summary>Whether <paramref name="review"/> is an approval that counts on <paramref name="today"/>.</summary>
    public static bool Counts(Review review, DateOnly today) =>
        review.Status == ReviewStatus.Approved && (review.ValidUntil is null || review.ValidUntil >= today);

    /// <summary>The kinds in <paramref name="required"/> for which <paramref name="subject"/> has no approval that counts on <paramref name="today"/>.</summary>
    public static IReadOnlyList<ReviewKind> Missing(RequiredApprovals required, ReviewSubject subject, IEnumerable<Review> reviews, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(required);
        var approved = reviews.Where(r => r.Subject == subject && Counts(r, today)).Select(r => r.Kind).ToHashSet();
        return [.. required.Kinds.Where(k => !approved.Contains(k)).Order()];
    }
}
