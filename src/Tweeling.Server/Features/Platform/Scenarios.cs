using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Scenarios;
using Tweeling.Governance.Audit;
using Tweeling.Server.Hosting;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.Platform;

/// <summary>
/// <c>/api/v1/scenarios</c>: named, versioned sets of interventions over the baseline (issue 6 item 1). A create makes
/// version 1 (201 + Location), a PUT makes the next version, and <c>/scenarios/{id}/versies/{versie}</c> reads any
/// version, which never changes. Geometries are GeoJSON in CRS84 both ways; they are stored in RD New.
/// </summary>
/// <remarks>
/// Access: analists and beheerders write; every signed-in role reads (scenarios are working material of the
/// municipality, not published data); publiek gets 401/403. Every write appends its audit record in the write's own
/// transaction, and a body with any problem stores nothing.
/// </remarks>
internal static class Scenarios
{
    /// <summary>The default page size.</summary>
    public const int DefaultLimit = 100;

    /// <summary>The largest page.</summary>
    public const int MaxLimit = 1_000;

    public static async Task<Results<Ok<IReadOnlyList<ScenarioView>>, ProblemHttpResult>> List(
        HttpContext http, IScenarioStore scenarios, CrsTransformer crs, CancellationToken cancellationToken)
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

        var all = await scenarios.ListAsync(cancellationToken);
        var api = PlatformApi.Root(http.Request);
        if (all.Count > offset + limit)
        {
            var next = QueryString.Create(query.Where(p => p.Key != "offset").Append(new("offset", (offset + limit).ToString(CultureInfo.InvariantCulture))));
            http.Response.Headers.Link = $"<{api}/scenarios{next}>; rel=\"next\"";
        }

        return TypedResults.Ok<IReadOnlyList<ScenarioView>>([.. all.Skip(offset).Take(limit).Select(s => ScenarioView.From(s, crs, api))]);
    }

    public static Task<Results<Ok<ScenarioView>, ProblemHttpResult>> Get(
        string id, HttpContext http, IScenarioStore scenarios, CrsTransformer crs, CancellationToken cancellationToken) =>
        GetVersion(id, null, http, scenarios, crs, cancellationToken);

    public static async Task<Results<Ok<ScenarioView>, ProblemHttpResult>> GetVersion(
        string id, string? versie, HttpContext http, IScenarioStore scenarios, CrsTransformer crs, CancellationToken cancellationToken)
    {
        if (PlatformApi.RejectUnknown(http.Request.Query) is { } unknown)
        {
            return unknown;
        }

        return await FindAsync(id, versie, scenarios, cancellationToken) is { } found
            ? TypedResults.Ok(ScenarioView.From(found, crs, PlatformApi.Root(http.Request)))
            : ProblemType.NotFound.With(versie is null ? $"There is no scenario '{id}'." : $"There is no version '{versie}' of scenario '{id}'.");
    }

    public static async Task<Results<Created<ScenarioView>, ProblemHttpResult>> Create(
        HttpContext http, IScenarioStore scenarios, CrsTransformer crs, TimeProvider time, CancellationToken cancellationToken)
    {
        if (PlatformApi.RejectUnknown(http.Request.Query) is { } unknown)
        {
            return unknown;
        }

        var (draft, problem) = await ReadDraftAsync(http, crs, "The scenario cannot be stored", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var now = time.GetUtcNow();
        var audit = AuditEntries.For(ReadAccess.CallerOf(http), now, "create", $"POST {http.Request.Path}", draft!.Interventions.Count, "interventions");
        var created = await scenarios.CreateAsync(draft, now, audit, cancellationToken);
        var view = ScenarioView.From(created, crs, PlatformApi.Root(http.Request));
        return TypedResults.Created(view.Links.Self.Href, view);
    }

    public static async Task<Results<Ok<ScenarioView>, ProblemHttpResult>> Update(
        string id, HttpContext http, IScenarioStore scenarios, CrsTransformer crs, TimeProvider time, CancellationToken cancellationToken)
    {
        if (PlatformApi.RejectUnknown(http.Request.Query) is { } unknown)
        {
            return unknown;
        }

        if (Key(id) is not { } key || await scenarios.FindAsync(key, null, cancellationToken) is null)
        {
            return ProblemType.NotFound.With($"There is no scenario '{id}'.");
        }

        var (draft, problem) = await ReadDraftAsync(http, crs, $"Scenario {key} cannot get a new version", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var now = time.GetUtcNow();
        var audit = AuditEntries.For(ReadAccess.CallerOf(http), now, "update", $"PUT {http.Request.Path}", draft!.Interventions.Count, "interventions");
        return await scenarios.UpdateAsync(key, draft, now, audit, cancellationToken) is { } updated
            ? TypedResults.Ok(ScenarioView.From(updated, crs, PlatformApi.Root(http.Request)))
            : ProblemType.NotFound.With($"There is no scenario '{id}'.");
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        string id, HttpContext http, IScenarioStore scenarios, TimeProvider time, CancellationToken cancellationToken)
    {
        if (PlatformApi.RejectUnknown(http.Request.Query) is { } unknown)
        {
            return unknown;
        }

        var audit = AuditEntries.For(ReadAccess.CallerOf(http), time.GetUtcNow(), "delete", $"DELETE {http.Request.Path}", 1, "scenarios");
        return Key(id) is { } key && await scenarios.DeleteAsync(key, audit, cancellationToken)
            ? TypedResults.NoContent()
            : ProblemType.NotFound.With($"There is no scenario '{id}'.");
    }

    /// <summary>The scenario version <paramref name="versie"/> (latest when <c>null</c>) of <paramref name="id"/>, or <c>null</c>.</summary>
    internal static async Task<ScenarioVersion?> FindAsync(string id, string? versie, IScenarioStore scenarios, CancellationToken cancellationToken)
    {
        if (Key(id) is not { } key)
        {
            return null;
        }

        if (versie is null)
        {
            return await scenarios.FindAsync(key, null, cancellationToken);
        }

        return int.TryParse(versie, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? await scenarios.FindAsync(key, number, cancellationToken)
            : null;
    }

    private static long? Key(string id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var key) && key > 0 ? key : null;

    /// <summary>
    /// Reads <c>{ "naam", "beschrijving"?, "peildatum", "ingrepen": [...] }</c>, collecting every problem: the answer names
    /// them all, and nothing is stored while there is one.
    /// </summary>
    private static async Task<(ScenarioDraft? Draft, ProblemHttpResult? Problem)> ReadDraftAsync(
        HttpContext http, CrsTransformer crs, string what, CancellationToken cancellationToken)
    {
        JsonElement root;
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: cancellationToken);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return (null, ProblemType.InvalidBody.With($"The body is not valid JSON: {e.Message} Nothing was stored."));
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, ProblemType.InvalidBody.With("The body must be a JSON object. Nothing was stored."));
        }

        var problems = new List<string>();
        var name = root.TryGetProperty("naam", out var n) && n.ValueKind == JsonValueKind.String && n.GetString() is { Length: > 0 and <= 200 } text && !string.IsNullOrWhiteSpace(text) ? text : null;
        if (name is null)
        {
            problems.Add("'naam' is required: a text of 1 to 200 characters.");
        }

        string? description = null;
        if (root.TryGetProperty("beschrijving", out var d) && d.ValueKind != JsonValueKind.Null)
        {
            description = d.ValueKind == JsonValueKind.String && d.GetString() is { Length: <= 4000 } given ? given : null;
            if (description is null)
            {
                problems.Add("'beschrijving' must be a text of at most 4000 characters.");
            }
        }

        DateOnly? referenceDate = root.TryGetProperty("peildatum", out var p) && p.ValueKind == JsonValueKind.String
            && DateOnly.TryParseExact(p.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;
        if (referenceDate is null)
        {
            problems.Add("'peildatum' is required: the baseline's reference date as yyyy-MM-dd.");
        }

        var interventions = root.TryGetProperty("ingrepen", out var i)
            ? ScenarioContent.ReadInterventions(i, Crs.Crs84Srid, crs, problems)
            : [];
        if (!root.TryGetProperty("ingrepen", out _))
        {
            problems.Add("'ingrepen' is required: an array of interventions (it may be empty).");
        }

        var unknown = root.EnumerateObject().Select(m => m.Name).Where(m => m is not ("naam" or "beschrijving" or "peildatum" or "ingrepen")).ToList();
        if (unknown.Count > 0)
        {
            problems.Add($"Unknown member(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))}; known: naam, beschrijving, peildatum, ingrepen.");
        }

        return problems.Count > 0
            ? (null, ProblemType.InvalidBody.With($"{what}: {string.Join(" ", problems)} Nothing was stored."))
            : (new ScenarioDraft(name!, description, referenceDate!.Value, interventions), null);
    }
}

/// <summary>A scenario version as the platform API shows it.</summary>
/// <param name="Id">The scenario's id.</param>
/// <param name="Versie">The version number.</param>
/// <param name="Naam">Its name.</param>
/// <param name="Beschrijving">Its description, or <c>null</c>.</param>
/// <param name="Peildatum">The baseline's reference date (yyyy-MM-dd).</param>
/// <param name="Inhoudshash">SHA-256 of the canonical content (interventions and reference date): equal content, equal hash.</param>
/// <param name="AangemaaktOp">When this version was stored.</param>
/// <param name="Ingrepen">The interventions, geometries as GeoJSON in CRS84.</param>
/// <param name="Links">Itself (this version), the scenario's latest version, and the model list.</param>
internal sealed record ScenarioView(
    long Id, int Versie, string Naam, string? Beschrijving, string Peildatum, string Inhoudshash, DateTimeOffset AangemaaktOp, JsonNode Ingrepen, ScenarioLinks Links)
{
    public static ScenarioView From(ScenarioVersion s, CrsTransformer crs, string apiRoot)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            ScenarioContent.WriteInterventions(json, s.Interventions, crs);
        }

        return new ScenarioView(
            s.ScenarioId, s.Version, s.Name, s.Description, s.ReferenceDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), s.ContentHash, s.CreatedAt,
            JsonNode.Parse(buffer.ToArray())!,
            new ScenarioLinks(
                new PlatformApi.Link($"{apiRoot}/scenarios/{s.ScenarioId}/versies/{s.Version}"),
                new PlatformApi.Link($"{apiRoot}/scenarios/{s.ScenarioId}"),
                new PlatformApi.Link($"{apiRoot}/modellen")));
    }
}

/// <summary>Links of a scenario version.</summary>
internal sealed record ScenarioLinks(PlatformApi.Link Self, PlatformApi.Link Scenario, PlatformApi.Link Modellen);
