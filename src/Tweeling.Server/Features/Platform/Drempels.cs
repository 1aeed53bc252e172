using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Tweeling.Domain.Alerts;
using Tweeling.Domain.Ports;
using Tweeling.Server.Features.SensorThings;
using Tweeling.Server.Hosting;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.Platform;

/// <summary>
/// <c>/api/v1/drempels</c>: the thresholds on sensor Datastreams that raise alerts (<c>/api/v1/alarmen</c>).
/// Read-only: thresholds are set with <c>tweeling drempels</c> or come with the demo city, until the API
/// has roles to decide who may change them.
/// </summary>
/// <remarks>
/// Access: a caller reads the thresholds of the Datastreams they may read (<see cref="SensorVisibility"/>, as in the
/// SensorThings API); a threshold of another Datastream does not exist for them.
/// </remarks>
internal static class Drempels
{
    public static async Task<Results<Ok<IReadOnlyList<DrempelView>>, ProblemHttpResult>> List(
        HttpContext http, IAlertStore alerts, ReadAccess access, SensorAccess sensors, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        if (PlatformApi.RejectUnknown(query, "datastream") is { } unknown)
        {
            return unknown;
        }

        var (datastream, problem) = PlatformApi.Id(query, "datastream");
        if (problem is not null)
        {
            return problem;
        }

        var visibility = await access.SensorVisibilityAsync(http, cancellationToken);
        var readable = new List<Threshold>();
        foreach (var threshold in await alerts.ListThresholdsAsync(datastream, cancellationToken))
        {
            if (await sensors.SeesDatastreamAsync(visibility, threshold.DatastreamId, cancellationToken))
            {
                readable.Add(threshold);
            }
        }

        var (api, sta) = (PlatformApi.Root(http.Request), StaApi.ServiceRoot(http.Request));
        return TypedResults.Ok<IReadOnlyList<DrempelView>>([.. readable.Select(t => DrempelView.From(t, api, sta))]);
    }

    public static async Task<Results<Ok<DrempelView>, ProblemHttpResult>> Get(
        string id, HttpContext http, IAlertStore alerts, ReadAccess access, SensorAccess sensors, CancellationToken cancellationToken)
    {
        if (PlatformApi.RejectUnknown(http.Request.Query) is { } unknown)
        {
            return unknown;
        }

        return long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var key) && await alerts.FindThresholdAsync(key, cancellationToken) is { } threshold
            && await sensors.SeesDatastreamAsync(await access.SensorVisibilityAsync(http, cancellationToken), threshold.DatastreamId, cancellationToken)
            ? TypedResults.Ok(DrempelView.From(threshold, PlatformApi.Root(http.Request), StaApi.ServiceRoot(http.Request)))
            : ProblemType.NotFound.With($"There is no drempel '{id}'.");
    }

    /// <summary>The API's word for a condition.</summary>
    public static string Word(ThresholdCondition condition) => condition switch
    {
        ThresholdCondition.Above => "boven",
        ThresholdCondition.Below => "onder",
        _ => "gelijk",
    };

    /// <summary>The API's word for a severity.</summary>
    public static string Word(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Info => "informatie",
        AlertSeverity.Warning => "waarschuwing",
        _ => "kritiek",
    };
}

/// <summary>A threshold as the platform API shows it.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Datastream">The SensorThings Datastream it judges.</param>
/// <param name="Naam">What it guards.</param>
/// <param name="Conditie"><c>boven</c>, <c>onder</c> or <c>gelijk</c> (a status value).</param>
/// <param name="Waarde">The limit, in the Datastream's unit.</param>
/// <param name="Herstelwaarde">The level a result must return to before the alert clears (equal to <paramref name="Waarde"/> for <c>gelijk</c>).</param>
/// <param name="Ernst"><c>informatie</c>, <c>waarschuwing</c> or <c>kritiek</c>.</param>
/// <param name="Links">Itself, its Datastream, and its alerts.</param>
internal sealed record DrempelView(long Id, long Datastream, string Naam, string Conditie, double Waarde, double Herstelwaarde, string Ernst, DrempelLinks Links)
{
    public static DrempelView From(Threshold t, string apiRoot, string staRoot) => new(
        t.Id, t.DatastreamId, t.Name, Drempels.Word(t.Condition), t.Value, t.ClearValue, Drempels.Word(t.Severity),
        new DrempelLinks(
            new PlatformApi.Link($"{apiRoot}/drempels/{t.Id}"),
            new PlatformApi.Link($"{staRoot}/Datastreams({t.DatastreamId})"),
            new PlatformApi.Link($"{apiRoot}/alarmen?drempel={t.Id}")));
}

/// <summary>Links of a threshold.</summary>
internal sealed record DrempelLinks(PlatformApi.Link Self, PlatformApi.Link Datastream, PlatformApi.Link Alarmen);
