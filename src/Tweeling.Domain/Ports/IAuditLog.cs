using Tweeling.Domain.Audit;

namespace Tweeling.Domain.Ports;

/// <summary>
/// The append-only, hash-chained audit log (docs/audit.md). A change appends its record inside its own
/// write unit (<see cref="IWriteTransaction.AppendAuditAsync"/>, <see cref="ISensorWriter.AppendAuditAsync"/>),
/// so the two commit together; a read appends through <see cref="AppendAsync"/> before it answers.
/// </summary>
public interface IAuditLog
{
    /// <summary>
    /// Appends <paramref name="entry"/> as the next record and returns it with its sequence number and
    /// chain hash once it is durable (it survives a crash or power loss from then on).
    /// </summary>
    Task<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>The records matching <paramref name="filter"/>, by ascending sequence number, exactly as stored.</summary>
    IAsyncEnumerable<AuditRecord> ReadAsync(AuditFilter filter, CancellationToken cancellationToken);
}
