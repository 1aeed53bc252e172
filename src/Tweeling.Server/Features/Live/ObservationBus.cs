using System.Threading.Channels;
using Tweeling.Domain.Sensors;

namespace Tweeling.Server.Features.Live;

/// <summary>
/// Hands every newly stored observation to the live subscribers (<c>/api/v1/live</c>). Each subscriber
/// has a bounded queue: a client that reads too slowly loses its oldest events rather than slowing down
/// ingest or growing the server's memory.
/// </summary>
internal sealed class ObservationBus
{
    /// <summary>Events kept per subscriber before the oldest are dropped.</summary>
    public const int QueueLength = 10_000;

    private readonly Lock _gate = new();
    private readonly List<Channel<Observation>> _subscribers = [];

    /// <summary>Passes stored observations on to every subscriber.</summary>
    public void Publish(IReadOnlyList<Observation> observations)
    {
        Channel<Observation>[] subscribers;
        lock (_gate)
        {
            subscribers = [.. _subscribers];
        }

        foreach (var subscriber in subscribers)
        {
            foreach (var observation in observations)
            {
                subscriber.Writer.TryWrite(observation);
            }
        }
    }

    /// <summary>A new subscription; dispose it to stop receiving.</summary>
    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<Observation>(new BoundedChannelOptions(QueueLength)
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

    /// <summary>One live subscriber's queue.</summary>
    internal sealed class Subscription(ObservationBus bus, Channel<Observation> channel) : IDisposable
    {
        public ChannelReader<Observation> Reader => channel.Reader;

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
