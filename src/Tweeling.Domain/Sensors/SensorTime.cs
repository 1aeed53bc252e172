namespace Tweeling.Domain.Sensors;

/// <summary>
/// A SensorThings time: an instant (<see cref="End"/> is <c>null</c>) or the closed interval
/// [<see cref="Start"/>, <see cref="End"/>], as ISO 8601 <c>start/end</c>. Stores keep millisecond precision (UTC).
/// </summary>
public readonly record struct SensorTime
{
    /// <summary>Creates an instant, or an interval when <paramref name="end"/> is given; the end may not lie before the start.</summary>
    public SensorTime(DateTimeOffset start, DateTimeOffset? end = null)
    {
        if (end is { } e && e < start)
        {
            throw new ArgumentException($"A time interval may not end before it begins ({start:O}/{e:O}).", nameof(end));
        }

        Start = start;
        End = end;
    }

    /// <summary>The instant, or the interval's start.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>The interval's end, or <c>null</c> for an instant.</summary>
    public DateTimeOffset? End { get; }

    /// <summary>Whether this is an instant rather than an interval.</summary>
    public bool IsInstant => End is null;

    /// <summary>An instant.</summary>
    public static SensorTime At(DateTimeOffset instant) => new(instant);
}
