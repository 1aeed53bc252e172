using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Reviews;
using Tweeling.Governance.Audit;
using Tweeling.Governance.Identity;
using Tweeling.Governance.Register;
using Tweeling.Governance.Reviews;
using Tweeling.Server.Hosting;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.Platform;

/// <summary>
/// The review workflow over the API (standards.md §2): <c>POST /api/v1/beoordelingen</c> records a DPIA, IAMA or
/// ethics review (datasteward, beheerder), and <c>POST /api/v1/beoordelingen/{id}/besluit</c> moves it on. The rules
/// are <see cref="ReviewRules"/>, as for <c>tweeling reviews</c>: the decider is the signed-in caller (its pseudonym
/// and role), so only a data steward decides a DPIA, only the ethics committee its own review, and either an IAMA;
/// another role gets 403. Every write appends its audit record in the write's own transaction.
/// </summary>
internal static class BeoordelingWrites
{
    public static async Task<Results<Created<BeoordelingView>, ProblemHttpResult>> Create(
        HttpContext http, IReviewStore reviews, AlgorithmRegistry registry, TimeProvider time, CancellationToken cancellationToken)
    {
        if (PlatformApi.RejectUnknown(http.Request.Query) is { } unknown)
        {
            return unknown;
        }

        var (body, bodyProblem) = await Body.ReadAsync(http, cancellationToken);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        var problems = new List<string>();
        var kind = body!.Text("soort") is { } kindText ? ReviewRules.ParseKind(kindText) : null;
        if (kind is null)
        {
            problems.Add("'soort' must be dpia, iama or ethische-commissie.");
        }

        var subject = body.Text("onderwerp") is { } subjectText ? ReviewRules.ParseSubject(subjectText) : null;
        if (subject is null)
        {
            problems.Add("'onderwerp' must be dataset/<id>, algoritme/<id> or experiment/<id>.");
        }
        else if (subject.Kind == ReviewSubjectKind.Algorithm && registry.Find(subject.Id) is null)
        {
            problems.Add($"'onderwerp': there is no algorithm '{subject.Id}' in the register; known: {string.Join(", ", registry.All.Select(r => r.Algorithm.Id))}.");
        }

        var reviewers = body.Objects("beoordelaars", problems).Select(o => new Reviewer(o.Text("id") ?? "", o.Text("rol") ?? "")).ToList();
        var sections = body.Objects("secties", problems).Select(o => new ReviewSection(o.Text("code") ?? "", o.Text("tekst") ?? "")).ToList();
        var submit = body.Boolean("indienen", problems) ?? false;
        if (problems.Count > 0)
        {
            return Refused("The review cannot be recorded", problems);
        }

        var review = new Review
        {
            Kind = kind!.Value,
            Subject = subject!,
            Status = submit ? ReviewStatus.UnderReview : ReviewStatus.Concept,
            Reviewers = reviewers,
            Sections = sections,
            CreatedAt = time.GetUtcNow(),
        };
        if (ReviewRules.CheckNew(review) is { Count: > 0 } invalid)
        {
            return Refused("The review cannot be recorded", invalid);
        }

        var caller = ReadAccess.CallerOf(http);
        var added = await reviews.AddAsync(
            review,
            AuditEntries.For(caller, review.CreatedAt, "create", $"POST {http.Request.Path}: {ReviewRules.Word(review.Kind)} of {ReviewRules.Text(review.Subject)}", 1, "reviews"),
            cancellationToken);
        var view = BeoordelingView.From(added, PlatformApi.Root(http.Request));
        return TypedResults.Created(view.Links.Self.Href, view);
    }

    public static async Task<Results<Ok<BeoordelingView>, ProblemHttpResult>> Decide(
        string id, HttpContext http, IReviewStore reviews, TimeProvider time, CancellationToken cancellationToken)
    {
        if (PlatformApi.RejectUnknown(http.Request.Query) is { } unknown)
        {
            return unknown;
        }

        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var key) || await reviews.FindAsync(key, cancellationToken) is not { } review)
        {
            return ProblemType.NotFound.With($"There is no beoordeling '{id}'.");
        }

        var (body, bodyProblem) = await Body.ReadAsync(http, cancellationToken);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        var problems = new List<string>();
        var status = body!.Text("status") is { } statusText ? ReviewRules.ParseStatus(statusText) : null;
        if (status is null)
        {
            problems.Add("'status' must be concept, in-behandeling, goedgekeurd, afgewezen or ingetrokken.");
        }

        var conditions = body.Texts("voorwaarden", problems);
        DateOnly? validUntil = null;
        if (body.Text("geldigTot") is { } dateText)
        {
            if (DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                validUntil = date;
            }
            else
            {
                problems.Add($"'geldigTot' must be a date as yyyy-MM-dd; got '{dateText}'.");
            }
        }

        if (problems.Count > 0)
        {
            return Refused($"Review {key} cannot be decided", problems);
        }

        var caller = ReadAccess.CallerOf(http);
        if (status is ReviewStatus.Approved or ReviewStatus.Rejected or ReviewStatus.Withdrawn && !ReviewRules.MayDecide(review.Kind, caller.Role))
        {
            return ProblemType.Forbidden.With($"A {ReviewRules.Word(review.Kind)} is not decided by the role '{RoleNames.Name(caller.Role)}' (standards.md §2; see ReviewRules).");
        }

        var now = time.GetUtcNow();
        var (decided, refused) = ReviewRules.Decide(review, status!.Value, new Reviewer(caller.Subject ?? "", RoleNames.Name(caller.Role)), conditions, validUntil, now);
        if (decided is null)
        {
            return Refused($"Review {key} cannot become '{ReviewRules.Word(status.Value)}'", refused);
        }

        await reviews.UpdateAsync(decided, AuditEntries.For(caller, now, "update", $"POST {http.Request.Path}: {ReviewRules.Word(decided.Status)}", 1, "reviews"), cancellationToken);
        return TypedResults.Ok(BeoordelingView.From(decided, PlatformApi.Root(http.Request)));
    }

    /// <summary>
    /// <c>PUT /api/v1/algoritmes/{id}/status</c> (beheerder): switches an algorithm on or off through <see cref="AlgorithmGate"/>.
    /// Switching on is refused with 409 and every obstacle — a missing approval, a register entry that breaks the standard —
    /// and stores nothing; switching off is always allowed. The switch and its audit record commit together.
    /// </summary>
    public static async Task<Results<Ok<AlgoritmeView>, ProblemHttpResult>> SetStatus(
        string id, HttpContext http, AlgorithmRegistry registry, IReviewStore reviews, TimeProvider time, CancellationToken cancellationToken)
    {
        if (PlatformApi.RejectUnknown(http.Request.Query) is { } unknown)
        {
            return unknown;
        }

        if (registry.Find(id) is not { } registration)
        {
            return ProblemType.NotFound.With($"There is no algorithm '{id}' in the register.");
        }

        var (body, bodyProblem) = await Body.ReadAsync(http, cancellationToken);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        var problems = new List<string>();
        if (body!.Boolean("ingeschakeld", problems) is not { } enable)
        {
            return Refused("The status cannot be set", problems.Count > 0 ? problems : ["'ingeschakeld' (true or false) is required."]);
        }

        var caller = ReadAccess.CallerOf(http);
        var now = time.GetUtcNow();
        var by = caller.Subject ?? RoleNames.Name(caller.Role);
        var audit = AuditEntries.For(caller, now, "update", $"PUT {http.Request.Path}: {(enable ? "ingeschakeld" : "uitgeschakeld")}", 1, "algorithms");
        if (enable)
        {
            if (await AlgorithmGate.EnableAsync(registration, reviews, by, now, audit, cancellationToken) is { Count: > 0 } obstacles)
            {
                return ProblemType.AlgorithmBlocked.With($"Algorithm '{id}' cannot be enabled: {string.Join(" ", obstacles)} Nothing was changed.");
            }
        }
        else
        {
            await AlgorithmGate.DisableAsync(registration, reviews, by, now, audit, cancellationToken);
        }

        var state = await AlgorithmGate.StateAsync(registration, reviews, DateOnly.FromDateTime(now.UtcDateTime), cancellationToken);
        return TypedResults.Ok(AlgoritmeView.From(state, PlatformApi.Root(http.Request)));
    }

    private static ProblemHttpResult Refused(string what, IReadOnlyList<string> problems) =>
        ProblemType.InvalidBody.With($"{what}: {string.Join(" ", problems)} Nothing was stored.");

    /// <summary>A JSON object body, read with the problems of its members collected as sentences.</summary>
    private sealed class Body(JsonElement root)
    {
        public static async Task<(Body? Body, ProblemHttpResult? Problem)> ReadAsync(HttpContext http, CancellationToken cancellationToken)
        {
            try
            {
                using var document = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: cancellationToken);
                return document.RootElement.ValueKind == JsonValueKind.Object
                    ? (new Body(document.RootElement.Clone()), null)
                    : (null, ProblemType.InvalidBody.With("The body must be a JSON object. Nothing was stored."));
            }
            catch (JsonException e)
            {
                return (null, ProblemType.InvalidBody.With($"The body is not valid JSON: {e.Message} Nothing was stored."));
            }
        }

        public string? Text(string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        public bool? Boolean(string name, List<string> problems)
        {
            if (!root.TryGetProperty(name, out var value))
            {
                return null;
            }

            if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                return value.GetBoolean();
            }

            problems.Add($"'{name}' must be true or false.");
            return null;
        }

        public IReadOnlyList<Body> Objects(string name, List<string> problems) =>
            Array(name, problems).Where(e => Is(e, JsonValueKind.Object, name, "an object", problems)).Select(e => new Body(e)).ToList();

        public IReadOnlyList<string> Texts(string name, List<string> problems) =>
            Array(name, problems).Where(e => Is(e, JsonValueKind.String, name, "a string", problems)).Select(e => e.GetString()!).ToList();

        private IEnumerable<JsonElement> Array(string name, List<string> problems)
        {
            if (!root.TryGetProperty(name, out var value))
            {
                return [];
            }

            if (value.ValueKind == JsonValueKind.Array)
            {
                return value.EnumerateArray().ToList();
            }

            problems.Add($"'{name}' must be an array.");
            return [];
        }

        private static bool Is(JsonElement element, JsonValueKind kind, string name, string what, List<string> problems)
        {
            if (element.ValueKind == kind)
            {
                return true;
            }

            problems.Add($"Every item of '{name}' must be {what}.");
            return false;
        }
    }
}
