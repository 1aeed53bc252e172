using Tweeling.Domain.Audit;

namespace Tweeling.Governance.Audit;

/// <summary>What <see cref="AuditVerifier.VerifyAsync"/> found.</summary>
/// <param name="Count">The records that chain correctly, from the first.</param>
/// <param name="Head">The chain hash after them (<see cref="AuditChain.Genesis"/> for an empty log): record it elsewhere to detect a cut-off tail later.</param>
/// <param name="BadSequence">The sequence number of the first bad record, or <c>null</c> when the log is intact.</param>
/// <param name="Problem">Why it is bad; <c>null</c> when the log is intact.</param>
public sealed record AuditVerification(long Count, string Head, long? BadSequence, string? Problem)
{
    /// <summary>Whether every record chains correctly (and the head is the expected one, when one was given).</summary>
    public bool IsIntact => Problem is null;
}

/// <summary>
/// Recomputes the audit chain (<see cref="AuditChain"/>) over a log's records and reports the first that
/// does not fit: a record edited (its content or its hash), removed, inserted or moved breaks the chain
/// there. A tail cut off the end leaves a shorter, valid chain; only a head hash recorded elsewhere
/// (<c>expectedHead</c>) reveals it.
/// </summary>
public static class AuditVerifier
{
    /// <summary>Verifies <paramref name="records"/>, which must come in stored order (ascending sequence number).</summary>
    /// <param name="records">The whole log, as stored.</param>
    /// <param name="expectedHead">A head hash recorded earlier; the log must end at it. <c>null</c> to skip the check.</param>
    /// <param name="cancellationToken">Stops the verification.</param>
    public static async Task<AuditVerification> VerifyAsync(IAsyncEnumerable<AuditRecord> records, string? expectedHead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        var (count, head) = (0L, AuditChain.Genesis);
        await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var expected = count + 1;
            if (record.Sequence != expected)
            {
                var problem = record.Sequence > expected
                    ? $"record {expected} is missing: after {(count == 0 ? "the start of the log" : $"record {count}")} comes record {record.Sequence} (deleted records)"
                    : $"record {record.Sequence} appears again after record {count} (inserted or reordered records)";
                return new AuditVerification(count, head, expected, problem);
            }

            var hash = AuditChain.Next(head, record.Sequence, record.Entry);
            if (!string.Equals(hash, record.Hash, StringComparison.Ordinal))
            {
                return new AuditVerification(count, head, record.Sequence,
                    $"record {record.Sequence} does not match its hash: its content or its hash was changed, or it was inserted or moved here (stored {Shorten(record.Hash)}, computed {Shorten(hash)})");
            }

            (count, head) = (expected, hash);
        }

        if (expectedHead is not null && !string.Equals(expectedHead, head, StringComparison.OrdinalIgnoreCase))
        {
            return new AuditVerification(count, head, null,
                $"the log ends at head {head} after {count} records, not at the expected head {expectedHead} (records cut off the end, or another log)");
        }

        return new AuditVerification(count, head, null, null);
    }

    private static string Shorten(string hash) => hash.Length > 16 ? hash[..16] + "…" : hash;
}
