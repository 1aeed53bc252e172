namespace Tweeling.Server.Features.Live;

/// <summary>
/// Counts the committed writes that may change how SensorThings entities relate — creates, updates and
/// deletes of entities other than Observations, and a Thing's move to other Locations — so that what is
/// derived from those relations and remembered (such as <see cref="SensorThings.DerivedFeatureCache"/>) knows
/// when it is stale. Observation appends, updates and deletes never change a relation and do not count.
/// </summary>
internal sealed class SensorModelRevision
{
    private long _value;

    /// <summary>The number of such writes committed so far.</summary>
    public long Current => Interlocked.Read(ref _value);

    /// <summary>Counts one more, after its commit.</summary>
    public void Advance() => Interlocked.Increment(ref _value);
}
