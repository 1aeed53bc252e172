using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http.HttpResults;
using Tweeling.Server.Features.Platform;
using Tweeling.Domain.Ports;
using Tweeling.Server.Features.SensorThings;
using Tweeling.Server.Hosting;

namespace Tweeling.Server.Features.Live;

/// <summary>
/// <c>GET /api/v1/live</c>: server-sent events — first <c>verbonden</c>, then one <c>observatie</c> event
/// per observation stored while the client listens (over HTTP, MQTT or from the demo feed) and one per observation
/// changed by a SensorThings PATCH or PUT (the same id again, with its new values), and one
/// <c>alarm</c> event per alert raised or cleared by those observations. Events are published once the
/// observation and its alerts are durable, so the delay is the store's commits plus the network: far below a second.
/// </summary>
/// <remarks>
/// Access: a client receives the observations and alarms of the Datastreams it may read
/// (<see cref="SensorVisibility"/>, as in the SensorThings API), judged per event by the Datastream's Thing as
/// it is then. What the caller may read is settled when the stream opens; a client that signs in again or
/// whose datasets are reclassified reconnects to see the change.
/// </remarks>
internal static class LiveEvents
{
    public const string EventType = "observatie";

    /// <summary>An alert raised or cleared: the alert as it then stood (<see cref="Platform.AlarmView"/>).</summary>
    public const string AlertEventType = "alarm";

    /// <summary>
    /// The first event, sent as soon as the subscription stands: from then on every stored observation
    /// reaches the client. It also makes the server send the response headers right away.
    /// </summary>
    public const string ConnectedEventType = "verbonden";

    public static async Task<Results<ServerSentEventsResult<object?>, ProblemHttpResult>> Handle(
        HttpContext http, ObservationBus bus, ReadAccess access, SensorAccess sensors, IHostApplicationLifetime lifetime, CancellationToken cancellationToken)
    {
        if (PlatformApi.RejectUnknown(http.Request.Query) is { } problem)
        {
            return problem;
        }

        var visibility = await access.SensorVisibilityAsync(http, cancellationToken);
        var root = StaApi.ServiceRoot(http.Request);
        var seen = new Seen(sensors, visibility);
        return TypedResults.ServerSentEvents(Events(bus, seen, PlatformApi.Root(http.Request), root, http.RequestAborted, lifetime.ApplicationStopping));
    }

    /// <summary>The events until the client leaves or the server stops (a stream never ends by itself, so shutdown must end it).</summary>
    private static async IAsyncEnumerable<SseItem<object?>> Events(
        ObservationBus bus, Seen seen, string apiRoot, string staRoot, CancellationToken requestAborted, CancellationToken stopping,
        [EnumeratorCancellation] CancellationToken enumeration = default)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, stopping, enumeration);
        var cancellationToken = cancellation.Token;
        using var subscription = bus.Subscribe();
        yield return new SseItem<object?>(null, ConnectedEventType);
        while (await WaitAsync(subscription, cancellationToken))
        {
            while (subscription.Reader.TryRead(out var item))
            {
                switch (await seen.DatastreamAsync((item.Observation ?? item.Changed)?.DatastreamId ?? item.Alert!.DatastreamId, cancellationToken))
                {
                    case null:
                        yield break;
                    case false:
                        continue;
                }

                // A changed Observation is sent as a new one is: the same id again, with its values as they now are.
                yield return (item.Observation ?? item.Changed) is { } o
                    ? new SseItem<object?>(new LiveObservation(o.DatastreamId, o.Id, o.PhenomenonTime.Start, o.Result, $"{staRoot}/Observations({o.Id})"), EventType)
                    : new SseItem<object?>(AlarmView.From(item.Alert!, apiRoot, staRoot), AlertEventType);
            }
        }
    }

    /// <summary>What one client may see.</summary>
    private sealed class Seen(SensorAccess sensors, SensorVisibility visibility)
    {
        /// <summary>Whether the client may read Datastream <paramref name="id"/>; <c>null</c> when the stream ends meanwhile.</summary>
        public async Task<bool?> DatastreamAsync(long id, CancellationToken cancellationToken)
        {
            try
            {
                return await sensors.SeesDatastreamAsync(visibility, id, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }

    /// <summary>Waits for events; false when the client left or the server stops, which ends the stream quietly.</summary>
    private static async Task<bool> WaitAsync(ObservationBus.Subscription subscription, CancellationToken cancellationToken)
    {
        try
        {
            return await subscription.Reader.WaitToReadAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

/// <summary>One live observation.</summary>
/// <param name="Datastream">The SensorThings Datastream id.</param>
/// <param name="Observatie">The Observation id.</param>
/// <param name="Tijdstip">Its phenomenon time (the start, for an interval).</param>
/// <param name="Resultaat">The numeric result; <c>null</c> for a result that is not a number (read it at <paramref name="Link"/>).</param>
/// <param name="Link">The Observation in the SensorThings API.</param>
internal sealed record LiveObservation(long Datastream, long Observatie, DateTimeOffset Tijdstip, double? Resultaat, string Link);
