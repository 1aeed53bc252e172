using Tweeling.Domain.Audit;
using Tweeling.Domain.Reviews;

namespace Tweeling.Domain.Ports;

/// <summary>
/// Reviews (DPIA, IAMA, ethics committee) of datasets, algorithms and experiments, and the switched-on
/// state of algorithms. Every method is one all-or-nothing unit.
/// </summary>
public interface IReviewStore
{
    /// <summary>Adds <paramref name="review"/> (its id is ignored) and returns it with its new id.</summary>
    Task<Review> AddAsync(Review review, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="AddAsync(Review, CancellationToken)"/>, with <paramref name="audit"/> appended to the audit log
    /// (<see cref="IAuditLog"/>) in the same transaction: the record commits with the review, or neither does.
    /// </summary>
    Task<Review> AddAsync(Review review, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>The review with <paramref name="id"/>, or <c>null</c>.</summary>
    Task<Review?> FindAsync(long id, CancellationToken cancellationToken);

    /// <summary>Every review, or those of <paramref name="subject"/>, by ascending id.</summary>
    Task<IReadOnlyList<Review>> ListAsync(ReviewSubject? subject, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the stored review with <paramref name="review"/>'s id by <paramref name="review"/> (its kind,
    /// subject and creation time stay as stored). Returns whether it existed.
    /// </summary>
    Task<bool> UpdateAsync(Review review, CancellationToken cancellationToken);

    /// <summary><see cref="UpdateAsync(Review, CancellationToken)"/>, with <paramref name="audit"/> appended in the same transaction.</summary>
    Task<bool> UpdateAsync(Review review, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>The last switch of algorithm <paramref name="algorithmId"/>, or <c>null</c> when it was never switched.</summary>
    Task<AlgorithmActivation?> FindActivationAsync(string algorithmId, CancellationToken cancellationToken);

    /// <summary>Records <paramref name="activation"/> as the algorithm's current state.</summary>
    Task SetActivationAsync(AlgorithmActivation activation, CancellationToken cancellationToken);

    /// <summary><see cref="SetActivationAsync(AlgorithmActivation, CancellationToken)"/>, with <paramref name="audit"/> appended in the same transaction.</summary>
    Task SetActivationAsync(AlgorithmActivation activation, AuditEntry audit, CancellationToken cancellationToken);
}
