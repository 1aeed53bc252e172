using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Tweeling.Domain.Audit;
using Tweeling.Domain.Ports;
using Tweeling.Governance.Audit;
using Tweeling.Server.Hosting;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.Platform;

/// <summary>
/// <c>GET /api/v1/audit</c>: the audit log for the data protection officer (FG), by sequence number, filtered by
/// period (<c>van</c> inclusive, <c>tot</c> exclusive), pseudonymous subject and action, and paged with <c>limit</c> and
/// <c>offset</c>. Only <c>datasteward</c> and <c>beheerder</c> may read it (its access rule). Reading the audit trail is
/// itself access to personal data, so every read appends its own record — the filter and the number of records
/// returned — and answers only once that record is durable. See docs/audit.md.
/// </summary>
internal static class AuditTrail
{
    /// <summary>Records per page unless <c>limit</c> says otherwise.</summary>
    public const int DefaultLimit = 100;

    /// <summary>The largest page.</summary>
    public const int MaxLimit = 1_000;

    public static async Task<Results<Ok<IReadOnlyList<AuditRecordView>>, ProblemHttpResult>> List(
        HttpContext http, IAuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        if (PlatformApi.RejectUnknown(query, "van", "tot", "pseudoniem", "actie", "limit", "offset") is { } unknown)
        {
            return unknown;
        }

        var (from, fromProblem) = Alarmen.Time(query, "van");
        var (to, toProblem) = Alarmen.Time(query, "tot");
        var (limit, limitProblem) = Alarmen.Integer(query, "limit", DefaultLimit, 1, MaxLimit);
        var (offset, offsetProblem) = Alarmen.Integer(query, "offset", 0, 0, int.MaxValue);
        if ((fromProblem ?? toProblem ?? limitProblem ?? offsetProblem) is { } problem)
        {
            return problem;
        }

        if (from >= to)
        {
            return ProblemType.InvalidParameter.With($"'van' ({query["van"]}) must be before 'tot' ({query["tot"]}).");
        }

        var subject = Text(query, "pseudoniem");
        var action = Text(query, "actie");
        if (subject?.Length == 0 || action?.Length == 0)
        {
            return ProblemType.InvalidParameter.With("'pseudoniem' and 'actie' must not be empty when given.");
        }

        // One more than the page tells whether a next page exists; the log is read no further than that.
        var page = new List<AuditRecord>(limit + 1);
        var skipped = 0;
        await foreach (var record in audit.ReadAsync(new AuditFilter(from, to, subject, action), cancellationToken))
        {
            if (skipped < offset)
            {
                skipped++;
                continue;
            }

            page.Add(record);
            if (page.Count > limit)
            {
                break;
            }
        }

        var hasNext = page.Count > limit;
        if (hasNext)
        {
            page.RemoveAt(limit);
        }

        // Recorded (durably) before anything is answered: a read of the audit trail is never unrecorded.
        await audit.AppendAsync(
            AuditEntries.For(ReadAccess.CallerOf(http), time.GetUtcNow(), "read", $"GET {http.Request.Path}{http.Request.QueryString}", page.Count, "records"),
            cancellationToken);
        if (hasNext)
        {
            var next = QueryString.Create(query.Where(p => p.Key != "offset").Append(new("offset", (offset + limit).ToString(CultureInfo.InvariantCulture))));
            http.Response.Headers.Link = $"<{PlatformApi.Root(http.Request)}/audit{next}>; rel=\"next\"";
        }

        return TypedResults.Ok<IReadOnlyList<AuditRecordView>>([.. page.Select(AuditRecordView.From)]);
    }

    private static string? Text(IQueryCollection query, string name) => query.TryGetValue(name, out var text) ? text.ToString() : null;
}

/// <summary>An audit record as the platform API shows it: the fields of docs/audit.md with Dutch names, and its chain hash.</summary>
/// <param name="Volgnummer">Its sequence number (<c>seq</c>).</param>
/// <param name="Tijdstip">When the action happened (UTC, milliseconds).</param>
/// <param name="Pseudoniem">The pseudonymous subject; <c>null</c> for an anonymous caller.</param>
/// <param name="Rol">The caller's role.</param>
/// <param name="Doel">The stated purpose, or <c>null</c>.</param>
/// <param name="Actie"><c>read</c>, <c>create</c>, <c>update</c>, <c>delete</c>, <c>batch</c>, <c>import</c>, <c>export</c>, …</param>
/// <param name="Bron">The endpoint or command and the ids it touched (<c>resource</c>).</param>
/// <param name="Omvang">How much was returned or changed (<c>size</c>).</param>
/// <param name="Eenheid">The unit of <paramref name="Omvang"/>.</param>
/// <param name="Uitkomst"><c>ok</c>, or why not.</param>
/// <param name="Hash">The chain hash up to and including this record.</param>
internal sealed record AuditRecordView(
    long Volgnummer, string Tijdstip, string? Pseudoniem, string Rol, string? Doel, string Actie, string Bron, long Omvang, string Eenheid, string Uitkomst, string Hash)
{
    public static AuditRecordView From(AuditRecord r) => new(
        r.Sequence, AuditChain.FormatTime(r.Entry.Time), r.Entry.Subject, r.Entry.Role, r.Entry.Purpose, r.Entry.Action, r.Entry.Resource,
        r.Entry.ResultSize, r.Entry.ResultUnit, r.Entry.Outcome, r.Hash);
}
