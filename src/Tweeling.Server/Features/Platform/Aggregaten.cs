using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Tweeling.Server.Features.SensorThings;
using Tweeling.Server.Hosting;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.Platform;

/// <summary>
/// <c>GET /api/v1/sensoren/{sensor}/reeksen/{reeks}/aggregaten?interval=uur|dag&amp;van=&amp;tot=</c>: the count, lowest,
/// highest and mean value of one Datastream (<c>reeks</c>) of a Thing (<c>sensor</c>) per UTC hour or day, from the
/// rollups the observation store keeps at ingest. A week or a month of a sensor's history is then 168 hours or 30 days,
/// however many observations it holds (SensorThings pages raw observations; the web panel capped them at 3,000).
/// </summary>
/// <remarks>
/// Access: as in the SensorThings API (<see cref="SensorVisibility"/>); a Thing or Datastream the caller may not read
/// does not exist for them (404), as does a Datastream of another Thing.
/// </remarks>
internal static class Aggregaten
{
    /// <summary>The most buckets one request spans: 31 days of hours, or 744 days.</summary>
    public const int MaxBuckets = 31 * 24;

    /// <summary>The window when <c>van</c> is not given, ending at <c>tot</c>: a day of hours, or 30 days.</summary>
    public static TimeSpan DefaultSpan(RollupGranularity interval) => interval == RollupGranularity.Hour ? TimeSpan.FromHours(24) : TimeSpan.FromDays(30);

    public static async Task<Results<Ok<AggregatenView>, ProblemHttpResult>> Handle(
        string sensor, string reeks, HttpContext http, ISensorStore store, IObservationStore observations, ReadAccess access, SensorAccess sensors, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        if (PlatformApi.RejectUnknown(query, "interval", "van", "tot") is { } unknown)
        {
            return unknown;
        }

        RollupGranularity interval;
        switch (query["interval"].ToString())
        {
            case "" or "uur":
                interval = RollupGranularity.Hour;
                break;
            case "dag":
                interval = RollupGranularity.Day;
                break;
            default:
                return ProblemType.InvalidParameter.With($"'interval' must be 'uur' or 'dag'; got '{query["interval"]}'.");
        }

        var (van, vanProblem) = Alarmen.Time(query, "van");
        var (tot, totProblem) = Alarmen.Time(query, "tot");
        if ((vanProblem ?? totProblem) is { } problem)
        {
            return problem;
        }

        var to = tot ?? time.GetUtcNow();
        var from = van ?? to - DefaultSpan(interval);
        var bucket = interval == RollupGranularity.Hour ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1);
        if (from >= to)
        {
            return ProblemType.InvalidParameter.With($"'van' ({from:O}) must lie before 'tot' ({to:O}).");
        }

        if ((to - from) / bucket > MaxBuckets)
        {
            return ProblemType.InvalidParameter.With(
                $"The window from 'van' to 'tot' spans more than {MaxBuckets} buckets of an {(interval == RollupGranularity.Hour ? "uur" : "dag")}; ask for a shorter window or interval=dag.");
        }

        // An id that is not a positive whole number names nothing: the same 404 as an unknown one.
        if (!long.TryParse(sensor, NumberStyles.None, CultureInfo.InvariantCulture, out var thingId)
            || !long.TryParse(reeks, NumberStyles.None, CultureInfo.InvariantCulture, out var datastreamId)
            || await store.FindAsync<Datastream>(datastreamId, cancellationToken) is not { } datastream
            || datastream.ThingId != thingId
            || !await sensors.SeesDatastreamAsync(await access.SensorVisibilityAsync(http, cancellationToken), datastreamId, cancellationToken))
        {
            return ProblemType.NotFound.With($"There is no reeks '{reeks}' of sensor '{sensor}'.");
        }

        var buckets = await observations.RollupAsync(datastreamId, interval, from, to, cancellationToken);
        var sta = StaApi.ServiceRoot(http.Request);
        return TypedResults.Ok(new AggregatenView(
            thingId, datastreamId, interval == RollupGranularity.Hour ? "uur" : "dag", from, to, datastream.UnitOfMeasurement.Symbol,
            [.. buckets.Select(b => new Aggregaat(b.Start, b.Count, b.Min, b.Max, b.Mean))],
            new AggregatenLinks(
                new PlatformApi.Link($"{PlatformApi.Root(http.Request)}/sensoren/{thingId}/reeksen/{datastreamId}/aggregaten"),
                new PlatformApi.Link($"{sta}/Datastreams({datastreamId})"))));
    }
}

/// <summary>A Datastream's values per hour or day.</summary>
/// <param name="Sensor">The SensorThings Thing.</param>
/// <param name="Reeks">The SensorThings Datastream.</param>
/// <param name="Interval"><c>uur</c> or <c>dag</c> (UTC hours or days).</param>
/// <param name="Van">The window's start: buckets that begin at or after it are listed.</param>
/// <param name="Tot">The window's end: buckets that begin before it are listed.</param>
/// <param name="Eenheid">The Datastream's unit symbol.</param>
/// <param name="Aggregaten">The buckets with at least one numeric result, oldest first.</param>
/// <param name="Links">Itself (without the window) and the Datastream.</param>
internal sealed record AggregatenView(long Sensor, long Reeks, string Interval, DateTimeOffset Van, DateTimeOffset Tot, string Eenheid, IReadOnlyList<Aggregaat> Aggregaten, AggregatenLinks Links);

/// <summary>One hour or day of a Datastream.</summary>
/// <param name="Begin">The bucket's start (UTC).</param>
/// <param name="Aantal">How many numeric results fell in it.</param>
/// <param name="Min">The lowest.</param>
/// <param name="Max">The highest.</param>
/// <param name="Gemiddelde">Their mean.</param>
internal sealed record Aggregaat(DateTimeOffset Begin, long Aantal, double Min, double Max, double Gemiddelde);

/// <summary>Links of a Datastream's aggregates.</summary>
internal sealed record AggregatenLinks(PlatformApi.Link Self, PlatformApi.Link Datastream);
