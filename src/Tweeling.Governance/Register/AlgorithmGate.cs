using Tweeling.Domain.Algorithms;
using Tweeling.Domain.Audit;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Reviews;
using Tweeling.Governance.Reviews;

namespace Tweeling.Governance.Register;

/// <summary>
/// Decides whether an algorithm may run: its register entry must conform to the publication standard, it
/// must not be out of use, and every review its declaration requires must be approved and unexpired.
/// Enabling is refused, storing nothing, while any of that is missing; and an algorithm that was enabled
/// stops counting as enabled the day an approval expires or is withdrawn.
/// </summary>
/// <remarks>
/// An algorithm never switched on or off follows its declaration: enabled when its status is
/// "In gebruik" (and nothing stands in the way). A switch is stored per algorithm with who made it.
/// </remarks>
public static class AlgorithmGate
{
    /// <summary>Everything that stands in the way of running <paramref name="registration"/> on <paramref name="today"/>; empty when nothing does.</summary>
    public static IReadOnlyList<string> Obstacles(Registration registration, IEnumerable<Review> reviews, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var obstacles = new List<string>();
        obstacles.AddRange(registration.Violations.Select(v => $"register entry: {v.Message}"));
        if (registration.Entry.Status == RegisterValues.StatusOutOfUse)
        {
            obstacles.Add($"its register entry says '{RegisterValues.StatusOutOfUse}'.");
        }

        var subject = new ReviewSubject(ReviewSubjectKind.Algorithm, registration.Algorithm.Id);
        obstacles.AddRange(Approvals.Missing(registration.Algorithm.Approvals, subject, reviews, today)
            .Select(k => $"no approved {ReviewRules.Word(k)} review of {ReviewRules.Text(subject)} (record one with 'tweeling reviews add' and have it decided)."));
        return obstacles;
    }

    /// <summary>The current state of <paramref name="registration"/>.</summary>
    public static async Task<AlgorithmState> StateAsync(Registration registration, IReviewStore store, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(store);
        var subject = new ReviewSubject(ReviewSubjectKind.Algorithm, registration.Algorithm.Id);
        var reviews = await store.ListAsync(subject, cancellationToken).ConfigureAwait(false);
        var activation = await store.FindActivationAsync(registration.Algorithm.Id, cancellationToken).ConfigureAwait(false);
        var obstacles = Obstacles(registration, reviews, today);
        var switchedOn = activation?.Enabled ?? registration.Entry.Status == RegisterValues.StatusInUse;
        return new AlgorithmState(registration, switchedOn && obstacles.Count == 0, activation, obstacles, reviews);
    }

    /// <summary>
    /// Switches <paramref name="registration"/> on, recording <paramref name="by"/>; refused (nothing stored) with
    /// the obstacles when there are any. Returns the obstacles; empty means it is now enabled.
    /// </summary>
    public static Task<IReadOnlyList<string>> EnableAsync(Registration registration, IReviewStore store, string by, DateTimeOffset now, CancellationToken cancellationToken) =>
        EnableAsync(registration, store, by, now, null, cancellationToken);

    /// <summary>
    /// <see cref="EnableAsync(Registration, IReviewStore, string, DateTimeOffset, CancellationToken)"/>; a switch made
    /// is recorded as <paramref name="audit"/> in the audit log, in the switch's own transaction.
    /// </summary>
    public static async Task<IReadOnlyList<string>> EnableAsync(
        Registration registration, IReviewStore store, string by, DateTimeOffset now, AuditEntry? audit, CancellationToken cancellationToken)
    {
        var state = await StateAsync(registration, store, DateOnly.FromDateTime(now.UtcDateTime), cancellationToken).ConfigureAwait(false);
        if (state.Obstacles.Count > 0)
        {
            return state.Obstacles;
        }

        var activation = new AlgorithmActivation(registration.Algorithm.Id, true, now, by);
        await (audit is null ? store.SetActivationAsync(activation, cancellationToken) : store.SetActivationAsync(activation, audit, cancellationToken)).ConfigureAwait(false);
        return [];
    }

    /// <summary>Switches <paramref name="registration"/> off, recording <paramref name="by"/>. Always allowed.</summary>
    public static Task DisableAsync(Registration registration, IReviewStore store, string by, DateTimeOffset now, CancellationToken cancellationToken) =>
        DisableAsync(registration, store, by, now, null, cancellationToken);

    /// <summary>
    /// <see cref="DisableAsync(Registration, IReviewStore, string, DateTimeOffset, CancellationToken)"/>, recorded as
    /// <paramref name="audit"/> in the switch's own transaction.
    /// </summary>
    public static Task DisableAsync(Registration registration, IReviewStore store, string by, DateTimeOffset now, AuditEntry? audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(store);
        var activation = new AlgorithmActivation(registration.Algorithm.Id, false, now, by);
        return audit is null ? store.SetActivationAsync(activation, cancellationToken) : store.SetActivationAsync(activation, audit, cancellationToken);
    }
}

/// <summary>Whether a registered algorithm runs, and why (not).</summary>
/// <param name="Registration">The algorithm and its entry.</param>
/// <param name="Enabled">Whether it is switched on and nothing stands in its way.</param>
/// <param name="LastSwitch">Its last switch on or off; <c>null</c> when it follows its declaration.</param>
/// <param name="Obstacles">What stands in the way of running it; empty when nothing does.</param>
/// <param name="Reviews">Its reviews, by ascending id.</param>
public sealed record AlgorithmState(Registration Registration, bool Enabled, AlgorithmActivation? LastSwitch, IReadOnlyList<string> Obstacles, IReadOnlyList<Review> Reviews);
