using System.CommandLine;
using System.Globalization;
using Tweeling.Domain.Reviews;
using Tweeling.Governance.Audit;
using Tweeling.Governance.Reviews;

namespace Tweeling.Server.Cli;

/// <summary>
/// <c>tweeling reviews add|list|decide</c>: DPIA, IAMA and ethics committee reviews of datasets, algorithms
/// and experiments (<c>/api/v1/beoordelingen</c>). Reviewers are named by a pseudonymous id and a role
/// (<c>id:role</c>); only a data steward decides a DPIA and only the ethics committee its own review.
/// Writes are command-line only until the API has signed-in roles.
/// </summary>
internal static class ReviewsCommand
{
    private static readonly Option<string?> s_kind = new("--kind") { Description = "dpia, iama or ethische-commissie." };

    private static readonly Option<string?> s_subject = new("--subject") { Description = "What is reviewed: dataset/<id>, algoritme/<id> or experiment/<id>." };

    private static readonly Option<string[]> s_reviewer = new("--reviewer") { Description = "A reviewer as <pseudonymous-id>:<role>, e.g. ds-017:datasteward; repeat for more." };

    private static readonly Option<string[]> s_section = new("--section") { Description = "An answered section as <code>=<text>, e.g. 11=\"Publieke taak, AVG art. 6(1)(e)\"; DPIA codes 1–17, IAMA 1, 2A, 2B, 3, 4." };

    private static readonly Option<bool> s_submit = new("--submit") { Description = "Record it as in-behandeling (submitted) instead of concept." };

    private static readonly Argument<string> s_id = new("id") { Description = "The review's id, as 'tweeling reviews list' shows it." };

    private static readonly Option<string?> s_status = new("--status") { Description = "in-behandeling, goedgekeurd, afgewezen, ingetrokken, or concept (back for changes)." };

    private static readonly Option<string?> s_decider = new("--reviewer") { Description = "Who decides, as <pseudonymous-id>:<role>." };

    private static readonly Option<string[]> s_condition = new("--condition") { Description = "A condition of the approval; repeat for more." };

    private static readonly Option<string?> s_validUntil = new("--valid-until") { Description = "The last day the approval counts (yyyy-MM-dd), e.g. the next periodic review." };

    public static Command Create()
    {
        var add = new Command("add", "Record a review.") { s_kind, s_subject, s_reviewer, s_section, s_submit };
        add.SetAction((result, cancellationToken) => AddAsync(
            result.GetValue(TweelingCli.Store)!, result.GetValue(s_kind), result.GetValue(s_subject), result.GetValue(s_reviewer) ?? [],
            result.GetValue(s_section) ?? [], result.GetValue(s_submit), cancellationToken));

        var list = new Command("list", "List reviews with their status.") { s_subject };
        list.SetAction((result, cancellationToken) => ListAsync(result.GetValue(TweelingCli.Store)!, result.GetValue(s_subject), cancellationToken));

        var decide = new Command("decide", "Move a review on: submit, approve (with conditions), reject, withdraw.") { s_id, s_status, s_decider, s_condition, s_validUntil };
        decide.SetAction((result, cancellationToken) => DecideAsync(
            result.GetValue(TweelingCli.Store)!, result.GetValue(s_id)!, result.GetValue(s_status), result.GetValue(s_decider),
            result.GetValue(s_condition) ?? [], result.GetValue(s_validUntil), cancellationToken));

        return new Command("reviews", "DPIA, IAMA and ethics committee reviews (/api/v1/beoordelingen).") { add, list, decide };
    }

    private static async Task<int> AddAsync(string storePath, string? kindText, string? subjectText, string[] reviewerTexts, string[] sectionTexts, bool submit, CancellationToken cancellationToken)
    {
        if (kindText is null || ReviewRules.ParseKind(kindText) is not { } kind)
        {
            TweelingCli.Error($"--kind must be dpia, iama or ethische-commissie; got '{kindText}'.");
            return TweelingCli.UserError;
        }

        if (Subject(subjectText) is not { } subject)
        {
            return TweelingCli.UserError;
        }

        var reviewers = new List<Reviewer>();
        foreach (var text in reviewerTexts)
        {
            if (Reviewer(text, "--reviewer") is not { } reviewer)
            {
                return TweelingCli.UserError;
            }

            reviewers.Add(reviewer);
        }

        var sections = new List<ReviewSection>();
        foreach (var text in sectionTexts)
        {
            var equals = text.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                TweelingCli.Error($"--section must be <code>=<text>; got '{text}'.");
                return TweelingCli.UserError;
            }

            sections.Add(new ReviewSection(text[..equals], text[(equals + 1)..]));
        }

        var review = new Review
        {
            Kind = kind,
            Subject = subject,
            Status = submit ? ReviewStatus.UnderReview : ReviewStatus.Concept,
            Reviewers = reviewers,
            Sections = sections,
            CreatedAt = TimeProvider.System.GetUtcNow(),
        };
        if (ReviewRules.CheckNew(review) is { Count: > 0 } problems)
        {
            TweelingCli.Error($"the review cannot be recorded:{Environment.NewLine}  - {string.Join($"{Environment.NewLine}  - ", problems)}");
            return TweelingCli.UserError;
        }

        if (await TweelingCli.OpenStoreAsync(storePath, cancellationToken) is not { } store)
        {
            return TweelingCli.EnvironmentError;
        }

        await using (store)
        {
            var audit = AuditEntries.For(
                AuditEntries.CommandLineOperator, review.CreatedAt, "create", $"tweeling reviews add: {ReviewRules.Word(kind)} of {ReviewRules.Text(subject)}", 1, "reviews");
            var added = await store.Reviews.AddAsync(review, audit, cancellationToken);
            Console.Out.WriteLine($"Recorded review {added.Id}: {ReviewRules.Word(kind)} of {ReviewRules.Text(subject)}, {ReviewRules.Word(added.Status)}.");
            return 0;
        }
    }

    private static async Task<int> ListAsync(string storePath, string? subjectText, CancellationToken cancellationToken)
    {
        ReviewSubject? subject = null;
        if (subjectText is not null && (subject = Subject(subjectText)) is null)
        {
            return TweelingCli.UserError;
        }

        if (await TweelingCli.OpenStoreAsync(storePath, cancellationToken) is not { } store)
        {
            return TweelingCli.EnvironmentError;
        }

        await using (store)
        {
            var reviews = await store.Reviews.ListAsync(subject, cancellationToken);
            if (reviews.Count == 0)
            {
                Console.Out.WriteLine($"The store {store.Path} has no reviews{(subject is null ? "" : $" of {ReviewRules.Text(subject)}")}. Record one with 'tweeling reviews add'.");
                return 0;
            }

            // One line per review, not a table: conditions are sentences that a terminal-wide table would break up.
            foreach (var r in reviews)
            {
                Console.Out.WriteLine(string.Join(
                    "  ",
                    r.Id.ToString(CultureInfo.InvariantCulture), ReviewRules.Word(r.Kind), ReviewRules.Text(r.Subject), ReviewRules.Word(r.Status),
                    $"reviewers: {string.Join(", ", r.Reviewers.Select(b => $"{b.Id}:{b.Role}"))}",
                    $"valid until: {r.ValidUntil?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "-"}",
                    $"conditions: {(r.Conditions.Count == 0 ? "-" : string.Join(" ", r.Conditions))}"));
            }

            return 0;
        }
    }

    private static async Task<int> DecideAsync(
        string storePath, string idText, string? statusText, string? deciderText, string[] conditions, string? validUntilText, CancellationToken cancellationToken)
    {
        if (!long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            TweelingCli.Error($"id must be a review id (a positive whole number); got '{idText}'.");
            return TweelingCli.UserError;
        }

        if (statusText is null || ReviewRules.ParseStatus(statusText) is not { } status)
        {
            TweelingCli.Error($"--status must be concept, in-behandeling, goedgekeurd, afgewezen or ingetrokken; got '{statusText}'.");
            return TweelingCli.UserError;
        }

        if (Reviewer(deciderText, "--reviewer") is not { } decider)
        {
            return TweelingCli.UserError;
        }

        DateOnly? validUntil = null;
        if (validUntilText is not null)
        {
            if (!DateOnly.TryParseExact(validUntilText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                TweelingCli.Error($"--valid-until must be a date as yyyy-MM-dd; got '{validUntilText}'.");
                return TweelingCli.UserError;
            }

            validUntil = date;
        }

        if (await TweelingCli.OpenStoreAsync(storePath, cancellationToken) is not { } store)
        {
            return TweelingCli.EnvironmentError;
        }

        await using (store)
        {
            if (await store.Reviews.FindAsync(id, cancellationToken) is not { } review)
            {
                TweelingCli.Error($"there is no review {id} in {store.Path}.");
                return TweelingCli.UserError;
            }

            var now = TimeProvider.System.GetUtcNow();
            var (decided, problems) = ReviewRules.Decide(review, status, decider, conditions, validUntil, now);
            if (decided is null)
            {
                TweelingCli.Error($"review {id} cannot become '{statusText}':{Environment.NewLine}  - {string.Join($"{Environment.NewLine}  - ", problems)}");
                return TweelingCli.UserError;
            }

            await store.Reviews.UpdateAsync(
                decided, AuditEntries.For(AuditEntries.CommandLineOperator, now, "update", $"tweeling reviews decide: review {id} {ReviewRules.Word(decided.Status)}", 1, "reviews"), cancellationToken);
            Console.Out.WriteLine($"Review {id} ({ReviewRules.Word(review.Kind)} of {ReviewRules.Text(review.Subject)}) is now {ReviewRules.Word(decided.Status)}.");
            return 0;
        }
    }

    /// <summary>The subject named by <paramref name="text"/>; an algorithm must be in the register.</summary>
    private static ReviewSubject? Subject(string? text)
    {
        if (text is null || ReviewRules.ParseSubject(text) is not { } subject)
        {
            TweelingCli.Error($"--subject must be dataset/<id>, algoritme/<id> or experiment/<id>; got '{text}'.");
            return null;
        }

        if (subject.Kind == ReviewSubjectKind.Algorithm)
        {
            if (AlgoritmesCommand.ConfiguredRegistry() is not { } registry)
            {
                return null;
            }

            if (registry.Find(subject.Id) is null)
            {
                TweelingCli.Error($"--subject: there is no algorithm '{subject.Id}' in the register; known: {string.Join(", ", registry.All.Select(r => r.Algorithm.Id))}.");
                return null;
            }
        }

        return subject;
    }

    private static Reviewer? Reviewer(string? text, string option)
    {
        var colon = text?.LastIndexOf(':') ?? -1;
        if (text is null || colon <= 0 || colon == text.Length - 1)
        {
            TweelingCli.Error($"{option} must be <pseudonymous-id>:<role>, e.g. ds-017:datasteward; got '{text}'.");
            return null;
        }

        return new Reviewer(text[..colon], text[(colon + 1)..]);
    }
}
