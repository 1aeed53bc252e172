namespace Tweeling.Domain.Features;

/// <summary>
/// Which versions a read wants: those valid at one instant ("the twin as of a date"), or those whose
/// validity overlaps a closed interval whose ends may be open (OGC API <c>datetime=a/b</c>, <c>../b</c>).
/// </summary>
public sealed record TemporalFilter
{
    private TemporalFilter(DateTimeOffset? start, DateTimeOffset? end, bool isInstant)
    {
        Start = start;
        End = end;
        IsInstant = isInstant;
    }

    /// <summary>Inclusive start of the interval, or the instant; <c>null</c> for an open start.</summary>
    public DateTimeOffset? Start { get; }

    /// <summary>Inclusive end of the interval; <c>null</c> for an open end. Equal to <see cref="Start"/> for an instant.</summary>
    public DateTimeOffset? End { get; }

    /// <summary>True when this filter asks for the versions valid at one instant.</summary>
    public bool IsInstant { get; }

    /// <summary>The versions valid at <paramref name="instant"/>.</summary>
    public static TemporalFilter At(DateTimeOffset instant) => new(instant, instant, true);

    /// <summary>The versions valid at any moment between <paramref name="start"/> and <paramref name="end"/>.</summary>
    public static TemporalFilter Between(DateTimeOffset? start, DateTimeOffset? end)
    {
        if (start is { } s && end is { } e && e < s)
        {
            throw new ArgumentException($"The interval ends ({e:O}) before it starts ({s:O}).", nameof(end));
        }

        return new(start, end, false);
    }

    /// <summary>Whether a version with <paramref name="validity"/> passes this filter.</summary>
    public bool Matches(ValidityInterval validity) =>
        IsInstant ? validity.Contains(Start!.Value) : validity.Overlaps(Start, End);
}
