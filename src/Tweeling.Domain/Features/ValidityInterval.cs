namespace Tweeling.Domain.Features;

/// <summary>
/// The half-open interval [<see cref="From"/>, <see cref="To"/>) in which a version of a feature or value
/// is the valid one. An open end (<c>To</c> is <c>null</c>) means valid until further notice.
/// </summary>
public readonly record struct ValidityInterval
{
    /// <summary>Creates an interval; <paramref name="to"/> must lie after <paramref name="from"/>.</summary>
    public ValidityInterval(DateTimeOffset from, DateTimeOffset? to = null)
    {
        if (to is { } end && end <= from)
        {
            throw new ArgumentException($"A validity interval must end after it begins ({from:O} .. {end:O}).", nameof(to));
        }

        From = from;
        To = to;
    }

    /// <summary>Inclusive start.</summary>
    public DateTimeOffset From { get; }

    /// <summary>Exclusive end, or <c>null</c> while the version is still valid.</summary>
    public DateTimeOffset? To { get; }

    /// <summary>Whether this version is valid at <paramref name="instant"/>.</summary>
    public bool Contains(DateTimeOffset instant) => From <= instant && (To is null || instant < To);

    /// <summary>Whether this interval shares any instant with [<paramref name="start"/>, <paramref name="end"/>] (either end may be open).</summary>
    public bool Overlaps(DateTimeOffset? start, DateTimeOffset? end) =>
        (end is null || From <= end) && (start is null || To is null || start < To);
}
