using System.Threading.Channels;
using Tweeling.Domain.Sensors;

namespace Tweeling.Server.Features.Live;

/// <summary>
/// Hands every committed create and update of a SensorThings entity — an Observation's update too; new
/// Observations go through <see cref="ObservationBus"/> — to its subscribers, such as the MQTT broker's receive-updates topics.
/// Like the observation bus, each subscriber has a bounded queue that drops its oldest changes rather than
/// slow down writers or grow the server's memory.
/// </summary>
internal sealed class EntityChangeBus
{
    /// <summary>Changes kept per subscriber before the oldest are dropped.</summary>
    public const int QueueLength = 10_000;

    private readonly Lock _gate = new();
    private readonly List<Channel<EntityChange>> _subscribers = [];

    private long _generation;

    /// <summary>
    /// Counts the published batches of changes, so that a cache of entities (<see cref="Hosting.SensorAccess"/>)
    /// can tell that it may be stale without subscribing.
    /// </summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Passes committed changes on to every subscriber.</summary>
    public void Publish(IEnumerable<EntityChange> changes)
    {
        Interlocked.Increment(ref _generation);
        Channel<EntityChange>[] subscribers;
        lock (_gate)
        {
            subscribers = [.. _subscribers];
        }

        foreach (var change in changes)
        {
            foreach (var subscriber in subscribers)
            {
                subscriber.Writer.TryWrite(change);
            }
        }
    }

    /// <summary>A new subscription; dispose it to stop receiving.</summary>
    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<EntityChange>(new BoundedChannelOptions(QueueLength)
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

    /// <summary>One subscriber's queue.</summary>
    internal sealed class Subscription(EntityChangeBus bus, Channel<EntityChange> channel) : IDisposable
    {
        public ChannelReader<EntityChange> Reader => channel.Reader;

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

/// <summary>A committed change of one entity.</summary>
/// <param name="Entity">The entity as stored now.</param>
/// <param name="Previous">The entity before an update; <c>null</c> when it was created.</param>
internal sealed record EntityChange(ISensorEntity Entity, ISensorEntity? Previous);
