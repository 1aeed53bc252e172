using Tweeling.Domain.Reviews;

namespace Tweeling.Domain.Algorithms;

/// <summary>
/// The approved reviews something needs before it may be enabled, and the reason for that choice — also
/// when it needs none, so that the reason is on record.
/// </summary>
/// <param name="Kinds">The review kinds that must each have an approved, unexpired review.</param>
/// <param name="Reason">Why these (or none) are required, in Dutch, for the register and the reviewers.</param>
public sealed record RequiredApprovals(IReadOnlySet<ReviewKind> Kinds, string Reason)
{
    /// <summary>
    /// What every algorithm that processes personal data needs: a DPIA (AVG art. 35 for high-risk
    /// processing), an IAMA, and the ethics committee's approval.
    /// </summary>
    public static RequiredApprovals PersonalData(string reason) =>
        new(new HashSet<ReviewKind> { ReviewKind.Dpia, ReviewKind.Iama, ReviewKind.EthicsCommittee }, reason);

    /// <summary>No review is required, for the stated reason.</summary>
    public static RequiredApprovals None(string reason) => new(new HashSet<ReviewKind>(), reason);
}
