using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Tweeling.Domain.Ports;
using Tweeling.Governance.Register;
using Tweeling.Governance.Reviews;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.Platform;

/// <summary>
/// <c>/api/v1/algoritmes</c>: the public algorithm register. Every algorithm the platform runs, with its
/// entry in the fields of the Algoritmeregister publication standard v1.0.0, whether it is enabled and
/// what stands in the way if not. <c>/api/v1/algoritmes/export</c> gives the entries in the standard's
/// JSON form for the national register. Paged with <c>limit</c> and <c>offset</c> like <c>/alarmen</c>.
/// </summary>
internal static class Algoritmes
{
    /// <summary>Algorithms per page unless <c>limit</c> says otherwise.</summary>
    public const int DefaultLimit = 100;

    /// <summary>The largest page.</summary>
    public const int MaxLimit = 1_000;

    public static async Task<Results<Ok<IReadOnlyList<AlgoritmeView>>, ProblemHttpResult>> List(
        HttpContext http, AlgorithmRegistry registry, IReviewStore reviews, TimeProvider time, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        if (PlatformApi.RejectUnknown(query, "limit", "offset") is { } unknown)
        {
            return unknown;
        }

        var (limit, limitProblem) = Alarmen.Integer(query, "limit", DefaultLimit, 1, MaxLimit);
        var (offset, offsetProblem) = Alarmen.Integer(query, "offset", 0, 0, int.MaxValue);
        if ((limitProblem ?? offsetProblem) is { } problem)
        {
            return problem;
        }

        var api = PlatformApi.Root(http.Request);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var page = new List<AlgoritmeView>();
        foreach (var registration in registry.All.Skip(offset).Take(limit))
        {
            page.Add(AlgoritmeView.From(await AlgorithmGate.StateAsync(registration, reviews, today, cancellationToken), api));
        }

        if (page.Count == limit && registry.All.Count > offset + limit)
        {
            var next = QueryString.Create(query.Where(p => p.Key != "offset").Append(new("offset", (offset + limit).ToString(CultureInfo.InvariantCulture))));
            http.Response.Headers.Link = $"<{api}/algoritmes{next}>; rel=\"next\"";
        }

        return TypedResults.Ok<IReadOnlyList<AlgoritmeView>>(page);
    }

    public static async Task<Results<Ok<AlgoritmeView>, ProblemHttpResult>> Get(
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

        var state = await AlgorithmGate.StateAsync(registration, reviews, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), cancellationToken);
        return TypedResults.Ok(AlgoritmeView.From(state, PlatformApi.Root(http.Request)));
    }

    /// <summary>Every entry as the publication standard's JSON: an array of objects keyed by the standard's field keys.</summary>
    public static Results<ContentHttpResult, ProblemHttpResult> Export(HttpContext http, AlgorithmRegistry registry)
    {
        if (PlatformApi.RejectUnknown(http.Request.Query) is { } unknown)
        {
            return unknown;
        }

        return TypedResults.Content(registry.Export().ToJsonString(), "application/json");
    }
}

/// <summary>An algorithm as the register API shows it.</summary>
/// <param name="Id">Its id in the platform's register (the entry's <c>source_id</c>).</param>
/// <param name="Naam">The entry's <c>name</c>.</param>
/// <param name="KorteOmschrijving">The entry's <c>description_short</c>.</param>
/// <param name="Status">The entry's <c>status</c>.</param>
/// <param name="Publicatiecategorie">The entry's <c>publication_category</c>.</param>
/// <param name="Ingeschakeld">Whether it runs: switched on, with a conforming entry and every required approval.</param>
/// <param name="Belemmeringen">What stands in the way of running it; empty when nothing does.</param>
/// <param name="VereisteBeoordelingen">The reviews it needs approved: <c>dpia</c>, <c>iama</c>, <c>ethische-commissie</c>.</param>
/// <param name="ToelichtingBeoordelingen">Why these reviews (or none) are required.</param>
/// <param name="Registratie">The full entry in the publication standard's JSON form.</param>
/// <param name="Links">Itself and its reviews.</param>
internal sealed record AlgoritmeView(
    string Id, string Naam, string KorteOmschrijving, string Status, string Publicatiecategorie, bool Ingeschakeld,
    IReadOnlyList<string> Belemmeringen, IReadOnlyList<string> VereisteBeoordelingen, string ToelichtingBeoordelingen, JsonObject Registratie, AlgoritmeLinks Links)
{
    public static AlgoritmeView From(AlgorithmState state, string apiRoot)
    {
        var (algorithm, entry) = (state.Registration.Algorithm, state.Registration.Entry);
        return new(
            algorithm.Id, entry.Name, entry.DescriptionShort, entry.Status, entry.PublicationCategory, state.Enabled, state.Obstacles,
            [.. algorithm.Approvals.Kinds.Order().Select(ReviewRules.Word)], algorithm.Approvals.Reason, RegisterDocument.ToJson(entry),
            new AlgoritmeLinks(
                new PlatformApi.Link($"{apiRoot}/algoritmes/{algorithm.Id}"),
                new PlatformApi.Link($"{apiRoot}/beoordelingen?onderwerp=algoritme/{algorithm.Id}")));
    }
}

/// <summary>Links of an algorithm.</summary>
internal sealed record AlgoritmeLinks(PlatformApi.Link Self, PlatformApi.Link Beoordelingen);
