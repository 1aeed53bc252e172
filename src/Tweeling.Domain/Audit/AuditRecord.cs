namespace Tweeling.Domain.Audit;

/// <summary>
/// What one audited action was: who did it, in which role and for what purpose, what they did to which
/// resource, how much it returned or changed, and how it ended. Never holds personal values: the subject
/// is a pseudonymous account or token id, and the resource names endpoints and ids, not data.
/// </summary>
/// <param name="Time">When the action happened (stored as UTC milliseconds).</param>
/// <param name="Subject">The pseudonymous id of the account, token or process that acted; <c>null</c> for an anonymous caller.</param>
/// <param name="Role">The caller's role by its API name (<c>publiek</c>, <c>analist</c>, <c>beheerder</c>, …).</param>
/// <param name="Purpose">The purpose the caller stated (<c>X-Tweeling-Doel</c>); <c>null</c> when none was stated.</param>
/// <param name="Action">What was done: <c>read</c>, <c>create</c>, <c>update</c>, <c>delete</c>, <c>import</c>, <c>export</c>, …</param>
/// <param name="Resource">Where: the endpoint or command and the dataset and entity ids it touched, e.g. <c>POST /sta/v1.1/Things</c>.</param>
/// <param name="ResultSize">How much the action returned or changed, in <paramref name="ResultUnit"/>.</param>
/// <param name="ResultUnit">The unit of <paramref name="ResultSize"/>: <c>rows</c>, <c>features</c>, <c>entities</c>, <c>observations</c>, <c>bytes</c>, …</param>
/// <param name="Outcome"><c>ok</c>, or why not: <c>failed</c>, <c>denied</c>, <c>not-found</c>.</param>
public sealed record AuditEntry(
    DateTimeOffset Time,
    string? Subject,
    string Role,
    string? Purpose,
    string Action,
    string Resource,
    long ResultSize,
    string ResultUnit,
    string Outcome)
{
    /// <summary>The outcome of an action that did what was asked.</summary>
    public const string Ok = "ok";

    /// <summary>The outcome of a change that was asked for and stored nothing (every row of a bulk create refused).</summary>
    public const string Failed = "failed";

    /// <summary><see cref="Time"/> as the log keeps it: UTC, whole milliseconds.</summary>
    public DateTimeOffset Time { get; init; } = DateTimeOffset.FromUnixTimeMilliseconds(Time.ToUnixTimeMilliseconds());

    /// <summary>
    /// Folds entries that differ only in <see cref="Time"/> and <see cref="ResultSize"/> into one, with the sizes
    /// summed and the latest time, in the order each first appears: what a batch of many small appends (one MQTT
    /// PUBLISH per Observation) records, one record per caller and resource instead of one per append.
    /// </summary>
    public static IReadOnlyList<AuditEntry> Merge(IEnumerable<AuditEntry> entries) =>
        [.. entries
            .GroupBy(e => e with { Time = DateTimeOffset.UnixEpoch, ResultSize = 0 })
            .Select(g => g.Key with { Time = g.Max(e => e.Time), ResultSize = g.Sum(e => e.ResultSize) })];
}

/// <summary>An entry at its place in the audit log.</summary>
/// <param name="Sequence">Its position in the log: 1 for the first record, with no gaps.</param>
/// <param name="Entry">What it records.</param>
/// <param name="Hash">
/// The chain hash up to and including this record, as lowercase hex: see <see cref="AuditChain.Next"/>.
/// </param>
public sealed record AuditRecord(long Sequence, AuditEntry Entry, string Hash);

/// <summary>Which records of the audit log to read; every condition that is <c>null</c> selects all.</summary>
/// <param name="From">Records at or after this time.</param>
/// <param name="To">Records before this time.</param>
/// <param name="Subject">Records of this subject.</param>
/// <param name="Action">Records of this action (<c>read</c>, <c>create</c>, …).</param>
public sealed record AuditFilter(DateTimeOffset? From = null, DateTimeOffset? To = null, string? Subject = null, string? Action = null)
{
    /// <summary>The whole log.</summary>
    public static AuditFilter All { get; } = new();
}
