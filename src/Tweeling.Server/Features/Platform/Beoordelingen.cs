using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Reviews;
using Tweeling.Governance.Reviews;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.Platform;

/// <summary>
/// <c>/api/v1/beoordelingen</c>: the DPIA, IAMA and ethics committee reviews of datasets, algorithms and
/// experiments, with status, pseudonymous reviewers, conditions and dates. Read-only and public: reviews
/// are recorded and decided with <c>tweeling reviews</c> until the API has signed-in roles to decide who
/// may. The answers of the sections are not shown, only which sections are answered: they may hold
/// internal detail that the organisation publishes itself (linked from the register's <c>impacttoetsen_grouping</c>).
/// </summary>
internal static class Beoordelingen
{
    public static async Task<Results<Ok<IReadOnlyList<BeoordelingView>>, ProblemHttpResult>> List(HttpContext http, IReviewStore reviews, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        if (PlatformApi.RejectUnknown(query, "onderwerp", "limit", "offset") is { } unknown)
        {
            return unknown;
        }

        ReviewSubject? subject = null;
        if (query.TryGetValue("onderwerp", out var text))
        {
            subject = ReviewRules.ParseSubject(text.ToString());
            if (subject is null)
            {
                return ProblemType.InvalidParameter.With($"'onderwerp' must be dataset/<id>, algoritme/<id> or experiment/<id>; got '{text}'.");
            }
        }

        var (limit, limitProblem) = Alarmen.Integer(query, "limit", Algoritmes.DefaultLimit, 1, Algoritmes.MaxLimit);
        var (offset, offsetProblem) = Alarmen.Integer(query, "offset", 0, 0, int.MaxValue);
        if ((limitProblem ?? offsetProblem) is { } problem)
        {
            return problem;
        }

        var all = await reviews.ListAsync(subject, cancellationToken);
        var api = PlatformApi.Root(http.Request);
        if (all.Count > offset + limit)
        {
            var next = QueryString.Create(query.Where(p => p.Key != "offset").Append(new("offset", (offset + limit).ToString(CultureInfo.InvariantCulture))));
            http.Response.Headers.Link = $"<{api}/beoordelingen{next}>; rel=\"next\"";
        }

        return TypedResults.Ok<IReadOnlyList<BeoordelingView>>([.. all.Skip(offset).Take(limit).Select(r => BeoordelingView.From(r, api))]);
    }

    public static async Task<Results<Ok<BeoordelingView>, ProblemHttpResult>> Get(string id, HttpContext http, IReviewStore reviews, CancellationToken cancellationToken)
    {
        if (PlatformApi.RejectUnknown(http.Request.Query) is { } unknown)
        {
            return unknown;
        }

        return long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var key) && await reviews.FindAsync(key, cancellationToken) is { } review
            ? TypedResults.Ok(BeoordelingView.From(review, PlatformApi.Root(http.Request)))
            : ProblemType.NotFound.With($"There is no beoordeling '{id}'.");
    }
}

/// <summary>A review as the platform API shows it.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Soort"><c>dpia</c>, <c>iama</c> or <c>ethische-commissie</c>.</param>
/// <param name="Onderwerp">What it reviews, as <c>dataset/…</c>, <c>algoritme/…</c> or <c>experiment/…</c>.</param>
/// <param name="Status"><c>concept</c>, <c>in-behandeling</c>, <c>goedgekeurd</c>, <c>afgewezen</c> or <c>ingetrokken</c>.</param>
/// <param name="Beoordelaars">Pseudonymous ids with their roles.</param>
/// <param name="Voorwaarden">The conditions of an approval.</param>
/// <param name="BeantwoordeSecties">The codes of the model's sections that are answered (DPIA 1–17, IAMA 1, 2A, 2B, 3, 4).</param>
/// <param name="AangemaaktOp">When it was recorded.</param>
/// <param name="BesluitOp">When it was last decided; <c>null</c> before that.</param>
/// <param name="GeldigTot">The last day an approval counts; <c>null</c> for no end.</param>
/// <param name="Links">Itself.</param>
internal sealed record BeoordelingView(
    long Id, string Soort, string Onderwerp, string Status, IReadOnlyList<BeoordelaarView> Beoordelaars, IReadOnlyList<string> Voorwaarden,
    IReadOnlyList<string> BeantwoordeSecties, DateTimeOffset AangemaaktOp, DateTimeOffset? BesluitOp, DateOnly? GeldigTot, BeoordelingLinks Links)
{
    public static BeoordelingView From(Review r, string apiRoot) => new(
        r.Id, ReviewRules.Word(r.Kind), ReviewRules.Text(r.Subject), ReviewRules.Word(r.Status),
        [.. r.Reviewers.Select(b => new BeoordelaarView(b.Id, b.Role))], r.Conditions, [.. r.Sections.Select(s => s.Code)],
        r.CreatedAt, r.DecidedAt, r.ValidUntil, new BeoordelingLinks(new PlatformApi.Link($"{apiRoot}/beoordelingen/{r.Id}")));
}

/// <summary>A reviewer: a pseudonymous id and a role.</summary>
internal sealed record BeoordelaarView(string Id, string Rol);

/// <summary>Links of a review.</summary>
internal sealed record BeoordelingLinks(PlatformApi.Link Self);
