namespace Tweeling.Domain.Reviews;

/// <summary>What a review is about.</summary>
public enum ReviewSubjectKind
{
    /// <summary>A dataset of the catalog, by its id.</summary>
    Dataset,

    /// <summary>An algorithm of the register, by its id.</summary>
    Algorithm,

    /// <summary>A living-lab experiment, by its id.</summary>
    Experiment,
}

/// <summary>Where a review stands.</summary>
public enum ReviewStatus
{
    /// <summary>Being written; not yet submitted.</summary>
    Concept,

    /// <summary>Submitted; the reviewers are assessing it.</summary>
    UnderReview,

    /// <summary>Approved, possibly with conditions.</summary>
    Approved,

    /// <summary>Rejected.</summary>
    Rejected,

    /// <summary>An approval withdrawn later, e.g. because its conditions were not met.</summary>
    Withdrawn,
}

/// <summary>The dataset, algorithm or experiment a review is about.</summary>
/// <param name="Kind">What kind of thing it is.</param>
/// <param name="Id">Its id: a dataset id, an algorithm id, or an experiment id.</param>
public sealed record ReviewSubject(ReviewSubjectKind Kind, string Id);

/// <summary>Someone who took part in a review, by a pseudonymous id (never a name or e-mail address) and a role.</summary>
/// <param name="Id">The pseudonymous account or subject id.</param>
/// <param name="Role">The platform role in which they reviewed, by its API name, e.g. <c>datasteward</c> or <c>ethische-commissie</c>.</param>
public sealed record Reviewer(string Id, string Role);

/// <summary>One section of an assessment: its code in the model (e.g. DPIA <c>11</c>, IAMA <c>2B</c>) and the answer, or a link to it.</summary>
/// <param name="Code">The section's code.</param>
/// <param name="Text">The answer, or where the answer is kept.</param>
public sealed record ReviewSection(string Code, string Text);

/// <summary>
/// A DPIA, IAMA or ethics committee review of one dataset, algorithm or experiment, with its status,
/// reviewers, conditions and dates. An approval counts until <see cref="ValidUntil"/> (if set).
/// </summary>
public sealed record Review
{
    /// <summary>Its id; 0 before it is stored.</summary>
    public long Id { get; init; }

    /// <summary>DPIA, IAMA or ethics committee.</summary>
    public required ReviewKind Kind { get; init; }

    /// <summary>What it reviews.</summary>
    public required ReviewSubject Subject { get; init; }

    /// <summary>Where it stands.</summary>
    public required ReviewStatus Status { get; init; }

    /// <summary>Who prepared and who decided it, in the order they joined.</summary>
    public required IReadOnlyList<Reviewer> Reviewers { get; init; }

    /// <summary>The conditions of an approval, each one sentence; empty when there are none.</summary>
    public IReadOnlyList<string> Conditions { get; init; } = [];

    /// <summary>The assessment's answered sections, by code.</summary>
    public IReadOnlyList<ReviewSection> Sections { get; init; } = [];

    /// <summary>When it was recorded.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it was last decided (approved, rejected or withdrawn); <c>null</c> before that.</summary>
    public DateTimeOffset? DecidedAt { get; init; }

    /// <summary>The last day an approval counts (e.g. a DPIA due for its periodic review); <c>null</c> for no end.</summary>
    public DateOnly? ValidUntil { get; init; }
}

/// <summary>Whether an algorithm is switched on, as last decided, and by whom.</summary>
/// <param name="AlgorithmId">The algorithm's id in the register.</param>
/// <param name="Enabled">Switched on or off.</param>
/// <param name="ChangedAt">When it was switched.</param>
/// <param name="ChangedBy">Who switched it: a pseudonymous id.</param>
public sealed record AlgorithmActivation(string AlgorithmId, bool Enabled, DateTimeOffset ChangedAt, string ChangedBy);
