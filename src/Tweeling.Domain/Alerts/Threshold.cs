namespace Tweeling.Domain.Alerts;

/// <summary>When a threshold's alert is raised.</summary>
public enum ThresholdCondition
{
    /// <summary>A result greater than the threshold's value; cleared at or below its clear value.</summary>
    Above,

    /// <summary>A result less than the threshold's value; cleared at or above its clear value.</summary>
    Below,

    /// <summary>A result equal to the value, a status code such as a pump's failure state; cleared by any other result.</summary>
    Equal,
}

/// <summary>How urgent an alert is.</summary>
public enum AlertSeverity
{
    /// <summary>Worth knowing; no action expected.</summary>
    Info,

    /// <summary>Needs attention soon.</summary>
    Warning,

    /// <summary>Needs action now.</summary>
    Critical,
}

/// <summary>
/// A limit on one Datastream's numeric results. An alert is one episode: raised by the first result that
/// crosses <see cref="Value"/>, cleared by the first later result that returns past <see cref="ClearValue"/>.
/// The gap between the two (hysteresis) keeps a noisy value around the limit from raising an alert per
/// observation. Thresholds do not change: a new limit is a new threshold.
/// </summary>
public sealed record Threshold
{
    /// <summary>The longest name accepted, in characters.</summary>
    public const int MaxNameLength = 200;

    /// <summary>
    /// A threshold; <paramref name="clearValue"/> defaults to <paramref name="value"/> (no hysteresis). Fails with
    /// <see cref="ArgumentException"/>, naming the parameter, for an empty or long name, a value that is not
    /// finite, or a clear value on the wrong side of the value (above the value for <see cref="ThresholdCondition.Above"/>,
    /// below it for <see cref="ThresholdCondition.Below"/>, different from it for <see cref="ThresholdCondition.Equal"/>).
    /// </summary>
    public Threshold(long id, long datastreamId, string name, ThresholdCondition condition, double value, AlertSeverity severity, double? clearValue = null)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength)
        {
            throw new ArgumentException($"A threshold needs a name of 1 to {MaxNameLength} characters.", nameof(name));
        }

        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"The threshold value must be a finite number; got {value}.", nameof(value));
        }

        var clear = clearValue ?? value;
        var problem = condition switch
        {
            _ when !double.IsFinite(clear) => $"The clear value must be a finite number; got {clear}.",
            ThresholdCondition.Above when clear > value => $"For a threshold above {value} the clear value must be at most {value}; got {clear}.",
            ThresholdCondition.Below when clear < value => $"For a threshold below {value} the clear value must be at least {value}; got {clear}.",
            ThresholdCondition.Equal when clear != value => $"A threshold on a status value clears on any other value and takes no clear value; got {clear}.",
            _ => null,
        };
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(clearValue));
        }

        if (!Enum.IsDefined(condition))
        {
            throw new ArgumentException($"Unknown condition {condition}.", nameof(condition));
        }

        if (!Enum.IsDefined(severity))
        {
            throw new ArgumentException($"Unknown severity {severity}.", nameof(severity));
        }

        (Id, DatastreamId, Name, Condition, Value, Severity, ClearValue) = (id, datastreamId, name, condition, value, severity, clear);
    }

    /// <summary>The id; ignored when the threshold is added to a store.</summary>
    public long Id { get; init; }

    /// <summary>The SensorThings Datastream whose results it judges.</summary>
    public long DatastreamId { get; }

    /// <summary>What it guards, e.g. <c>Drukte evenemententerrein</c>.</summary>
    public string Name { get; }

    /// <summary>When it raises an alert.</summary>
    public ThresholdCondition Condition { get; }

    /// <summary>The limit, in the Datastream's unit.</summary>
    public double Value { get; }

    /// <summary>The level a result must return to before the alert clears, in the Datastream's unit.</summary>
    public double ClearValue { get; }

    /// <summary>How urgent its alerts are.</summary>
    public AlertSeverity Severity { get; }

    /// <summary>Whether <paramref name="result"/> raises an alert when none is open.</summary>
    public bool IsCrossedBy(double result) => Condition switch
    {
        ThresholdCondition.Above => result > Value,
        ThresholdCondition.Below => result < Value,
        _ => result == Value,
    };

    /// <summary>Whether <paramref name="result"/> clears the open alert.</summary>
    public bool IsClearedBy(double result) => Condition switch
    {
        ThresholdCondition.Above => result <= ClearValue,
        ThresholdCondition.Below => result >= ClearValue,
        _ => result != Value,
    };
}
