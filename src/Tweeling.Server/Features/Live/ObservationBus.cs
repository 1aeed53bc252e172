using System.Threading.Channels;
using Tweeling.Domain.Alerts;
using Tweeling.Domain.Sensors;

namespace Tweeling.Server.Features.Live;

/// <summary>
/// Hands every newly stored observation, and every alert raised or cleared, to the live subscribers
/// (<c>/api/v1/live</c>). Each subscriber has a bounded queue: a client that reads too slowly loses its
/// oldest events rather than slowing down ingest or growing the server's memory.
/// </summary>
internal sealed class ObservationBus
{
    /// <summary>Events kept per subscriber before the oldest are dropped.</summary>
    public const int QueueLength = 10_000;

    private readonly Lock _gate = new();
    private readonly List<Channel<LiveItem>> _subscribers = [];

    /// <summary>Passes stored observations on to every subscriber.</summary>
    public void Publish(IReadOnlyList<Observation> observations) => Publish(observations, o => new LiveItem(o, null));

    /// <summary>Passes stored Observations that were changed after they were stored (a PATCH or PUT) on to every subscriber.</summary>
    public void PublishChanged(IReadOnlyList<Observation> observations) => Publish(observations, o => new LiveItem(null, null, o));

    /// <summary>Passes stored alert changes (raised, or cleared) on to every subscriber.</summary>
    public void Publish(IReadOnlyList<Alert> alerts) => Publish(alerts, a => new LiveItem(null, a));

    /// <summary>A new subscription; dispose it to stop receiving.</summary>
    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<LiveItem>(new BoundedChannelOptions(QueueLength)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_gate)
        {
            _subscribers.Add(channel);
        }

        return new Subscription(this, channel);
    }

    private void Publish<T>(IReadOnlyList<T> items, Func<T, LiveItem> wrap)
    {
        if (items.Count == 0)
        {
            return;
        }

        Channel<LiveItem>[] subscribers;
        lock (_gate)
        {
            subscribers = [.. _subscribers];
        }

        foreach (var subscriber in subscribers)
        {
            foreach (var item in items)
            {
                subscriber.Writer.TryWrite(wrap(item));
            }
        }
    }

    /// <summary>One live subscriber's queue.</summary>
    internal sealed class Subscription(ObservationBus bus, Channel<LiveItem> channel) : IDisposable
    {
        public ChannelReader<LiveItem> Reader => channel.Reader;

        public void Dispose()
        {
            lock (bus._gate)
            {
                bus._subscribers.Remove(channel);
            }

            channel.Writer.TryComplete();
        }
    }
}

/// <summary>
/// One live event: a newly stored observation, an alert as raised or cleared, or a stored observation as changed by a
/// PATCH or PUT (exactly one is set). A changed one is apart from the new ones because MQTT sends changes from the entity
/// change bus, while <c>/api/v1/live</c> sends both alike.
/// </summary>
internal readonly record struct LiveItem(Observation? Observation, Alert? Alert, Observation? Changed = null);
