namespace Tweeling.Models.City;

/// <summary>
/// A scenario cannot be applied to the baseline: it names a facility or road link that does not exist at its reference
/// date, or the store has no city at that date. The message says which, in a sentence an API problem can show.
/// </summary>
public sealed class ScenarioInputException : Exception
{
    /// <summary>A problem described by <paramref name="message"/>.</summary>
    public ScenarioInputException(string message)
        : base(message)
    {
    }

    /// <summary>A problem without a description.</summary>
    public ScenarioInputException()
    {
    }

    /// <summary>A problem described by <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    public ScenarioInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
