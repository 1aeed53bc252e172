using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Tweeling.Domain.Alerts;
using Tweeling.Domain.Ports;
using Tweeling.Server.Features.SensorThings;
using Tweeling.Server.Hosting;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.Platform;

/// <summary>
/// <c>/api/v1/alarmen</c>: the alert history, newest first (by the time of the raising observation). An
/// alert is one episode, from the observation that crossed a threshold to the one that cleared it. Paged
/// with <c>limit</c> and <c>offset</c>; a full page carries a <c>Link: &lt;…&gt;; rel="next"</c> header.
/// <c>metActief=true</c> adds to the first page every active alert that is not on it (newest first, at most
/// <see cref="MaxLimit"/>): the web page opens its alert list — the active alerts and the most recent history — with
/// one read instead of two (issue 5 item 10, the first view's requests).
/// </summary>
/// <remarks>
/// Access: a caller reads the alerts of the Datastreams they may read (<see cref="SensorVisibility"/>); the store
/// filters before paging, so pages and their next links count only those.
/// </remarks>
internal static class Alarmen
{
    /// <summary>Alerts per page unless <c>limit</c> says otherwise.</summary>
    public const int DefaultLimit = 100;

    /// <summary>The largest page.</summary>
    public const int MaxLimit = 1_000;

    public static async Task<Results<Ok<IReadOnlyList<AlarmView>>, ProblemHttpResult>> List(
        HttpContext http, IAlertStore alerts, ReadAccess access, SensorAccess sensors, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        if (PlatformApi.RejectUnknown(query, "datastream", "drempel", "van", "tot", "actief", "metActief", "limit", "offset") is { } unknown)
        {
            return unknown;
        }

        var (datastream, datastreamProblem) = PlatformApi.Id(query, "datastream");
        var (threshold, thresholdProblem) = PlatformApi.Id(query, "drempel");
        var (from, fromProblem) = Time(query, "van");
        var (to, toProblem) = Time(query, "tot");
        var (limit, limitProblem) = Integer(query, "limit", DefaultLimit, 1, MaxLimit);
        var (offset, offsetProblem) = Integer(query, "offset", 0, 0, int.MaxValue);
        var (open, openProblem) = Boolean(query, "actief");
        var (withOpen, withOpenProblem) = Boolean(query, "metActief");
        if ((datastreamProblem ?? thresholdProblem ?? fromProblem ?? toProblem ?? limitProblem ?? offsetProblem ?? openProblem ?? withOpenProblem) is { } problem)
        {
            return problem;
        }

        if (withOpen && offset > 0)
        {
            return ProblemType.InvalidParameter.With("'metActief' adds the active alerts to the first page only; leave it out with 'offset'.");
        }

        if (from >= to)
        {
            return ProblemType.InvalidParameter.With($"'van' ({query["van"]}) must be before 'tot' ({query["tot"]}).");
        }

        var readable = await sensors.VisibleDatastreamsAsync(await access.SensorVisibilityAsync(http, cancellationToken), cancellationToken);
        var page = await alerts.ListAlertsAsync(new AlertQuery(limit, offset, datastream, threshold, from, to, open, readable), cancellationToken);
        var (api, sta) = (PlatformApi.Root(http.Request), StaApi.ServiceRoot(http.Request));
        if (page.Count == limit)
        {
            // The next page is of the history alone: the active alerts came with this one.
            var next = QueryString.Create(query.Where(p => p.Key is not ("offset" or "metActief")).Append(new("offset", (offset + limit).ToString(CultureInfo.InvariantCulture))));
            http.Response.Headers.Link = $"<{api}/alarmen{next}>; rel=\"next\"";
        }

        var listed = page;
        if (withOpen && !open)
        {
            var onPage = page.Select(a => a.Id).ToHashSet();
            var active = await alerts.ListAlertsAsync(new AlertQuery(MaxLimit, 0, datastream, threshold, from, to, OpenOnly: true, readable), cancellationToken);
            listed = [.. page, .. active.Where(a => !onPage.Contains(a.Id))];
        }

        return TypedResults.Ok<IReadOnlyList<AlarmView>>([.. listed.Select(a => AlarmView.From(a, api, sta))]);
    }

    public static async Task<Results<Ok<AlarmView>, ProblemHttpResult>> Get(
        string id, HttpContext http, IAlertStore alerts, ReadAccess access, SensorAccess sensors, CancellationToken cancellationToken)
    {
        if (PlatformApi.RejectUnknown(http.Request.Query) is { } unknown)
        {
            return unknown;
        }

        return long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var key) && await alerts.FindAlertAsync(key, cancellationToken) is { } alert
            && await sensors.SeesDatastreamAsync(await access.SensorVisibilityAsync(http, cancellationToken), alert.DatastreamId, cancellationToken)
            ? TypedResults.Ok(AlarmView.From(alert, PlatformApi.Root(http.Request), StaApi.ServiceRoot(http.Request)))
            : ProblemType.NotFound.With($"There is no alarm '{id}'.");
    }

    internal static (DateTimeOffset? Value, ProblemHttpResult? Problem) Time(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out var text))
        {
            return (null, null);
        }

        // RFC 3339 date-times only: an offset is required, so a time is never read in the server's zone.
        return DateTimeOffset.TryParseExact(text.ToString(), ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            && text.ToString() is [.., 'Z' or 'z'] or [.., '+' or '-', _, _, ':', _, _]
            ? (time, null)
            : (null, ProblemType.InvalidParameter.With($"'{name}' must be a date-time with an offset (RFC 3339), e.g. 2026-03-01T12:00:00Z; got '{text}'."));
    }

    internal static (int Value, ProblemHttpResult? Problem) Integer(IQueryCollection query, string name, int fallback, int min, int max)
    {
        if (!query.TryGetValue(name, out var text))
        {
            return (fallback, null);
        }

        return int.TryParse(text.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? (value, null)
            : (fallback, ProblemType.InvalidParameter.With($"'{name}' must be a whole number from {min} to {max}; got '{text}'."));
    }

    private static (bool Value, ProblemHttpResult? Problem) Boolean(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var text) ? text.ToString() switch
        {
            "true" => (true, null),
            "false" => (false, null),
            _ => (false, ProblemType.InvalidParameter.With($"'{name}' must be true or false; got '{text}'.")),
        }
        : (false, null);
}

/// <summary>An alert as the platform API and the <c>alarm</c> live event show it.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Drempel">The threshold that raised it.</param>
/// <param name="Datastream">The SensorThings Datastream.</param>
/// <param name="Naam">The threshold's name when it was raised.</param>
/// <param name="Ernst"><c>informatie</c>, <c>waarschuwing</c> or <c>kritiek</c>.</param>
/// <param name="Status"><c>actief</c> while open, <c>opgeheven</c> once cleared.</param>
/// <param name="Oorzaak">The observation that crossed the threshold.</param>
/// <param name="GemeldOp">When the platform raised it.</param>
/// <param name="Herstel">The observation that cleared it; <c>null</c> while open, or when its threshold was removed.</param>
/// <param name="OpgehevenOp">When the platform cleared it; <c>null</c> while open.</param>
/// <param name="Links">Itself and its threshold.</param>
internal sealed record AlarmView(
    long Id, long Drempel, long Datastream, string Naam, string Ernst, string Status,
    AlarmWaarneming Oorzaak, DateTimeOffset GemeldOp, AlarmWaarneming? Herstel, DateTimeOffset? OpgehevenOp, AlarmLinks Links)
{
    public static AlarmView From(Alert a, string apiRoot, string staRoot) => new(
        a.Id, a.ThresholdId, a.DatastreamId, a.ThresholdName, Drempels.Word(a.Severity), a.IsOpen ? "actief" : "opgeheven",
        AlarmWaarneming.From(a.Raising, staRoot), a.RaisedAt, a.Clearing is { } c ? AlarmWaarneming.From(c, staRoot) : null, a.ClearedAt,
        new AlarmLinks(new PlatformApi.Link($"{apiRoot}/alarmen/{a.Id}"), new PlatformApi.Link($"{apiRoot}/drempels/{a.ThresholdId}")));
}

/// <summary>The observation that raised or cleared an alert.</summary>
/// <param name="Observatie">The Observation id.</param>
/// <param name="Tijdstip">Its phenomenon time.</param>
/// <param name="Resultaat">Its result.</param>
/// <param name="Link">The Observation in the SensorThings API (gone once retention prunes it).</param>
internal sealed record AlarmWaarneming(long Observatie, DateTimeOffset Tijdstip, double Resultaat, string Link)
{
    public static AlarmWaarneming From(AlertObservation o, string staRoot) =>
        new(o.ObservationId, o.Time, o.Result, $"{staRoot}/Observations({o.ObservationId})");
}

/// <summary>Links of an alert.</summary>
internal sealed record AlarmLinks(PlatformApi.Link Self, PlatformApi.Link Drempel);
