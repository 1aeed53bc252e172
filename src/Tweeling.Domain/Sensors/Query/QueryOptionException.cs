namespace Tweeling.Domain.Sensors.Query;

/// <summary>How a rejected query option should be answered.</summary>
public enum QueryOptionErrorKind
{
    /// <summary>The option is known but its value is malformed or out of range: answer 400.</summary>
    BadRequest,

    /// <summary>
    /// The option (e.g. <c>$apply</c>, <c>$search</c>) is not supported: answer 501, as SensorThings API 1.1
    /// requires for any unsupported query option, so a client can tell "you asked wrongly" from "we cannot".
    /// </summary>
    NotImplemented,
}

/// <summary>
/// A SensorThings query option was rejected. It is the only exception the query parsers throw, so an
/// endpoint maps it to a problem response in one place and can trust that anything else is a server bug.
/// </summary>
/// <remarks>
/// The message names the option, what is wrong and where, so a user can fix the URL without a debugger,
/// e.g. <c>$filter: expected ')' but found end of input at position 17</c>.
/// </remarks>
public sealed class QueryOptionException : Exception
{
    /// <summary>Creates the exception; the message is composed from the parts.</summary>
    /// <param name="kind">Whether the request is malformed or asks for something not implemented.</param>
    /// <param name="option">The top-level query option, e.g. <c>$filter</c> (also for errors inside <c>$expand</c>'s nested options).</param>
    /// <param name="label">How the message names the place, e.g. <c>$filter</c> or <c>$expand: $top of Observations</c>.</param>
    /// <param name="reason">What is wrong.</param>
    /// <param name="position">Zero-based character offset in the value of <paramref name="option"/>, or <c>null</c> when the value as a whole is wrong.</param>
    public QueryOptionException(QueryOptionErrorKind kind, string option, string label, string reason, int? position = null)
        : base(position is { } p ? $"{label}: {reason} at position {p}" : $"{label}: {reason}")
    {
        Kind = kind;
        Option = option;
        Reason = reason;
        Position = position;
    }

    /// <summary>Whether to answer 400 (<see cref="QueryOptionErrorKind.BadRequest"/>) or 501.</summary>
    public QueryOptionErrorKind Kind { get; }

    /// <summary>The top-level query option whose value was rejected, e.g. <c>$filter</c>.</summary>
    public string Option { get; }

    /// <summary>What is wrong, without the option name and position.</summary>
    public string Reason { get; }

    /// <summary>Zero-based character offset in the option's (decoded) value; <c>null</c> when the whole value is wrong.</summary>
    public int? Position { get; }
}

/// <summary>
/// Where a piece of text sits: which top-level option it belongs to, how errors name it, and its offset in
/// that option's value, so an error deep inside <c>$expand</c> still points at the right character.
/// </summary>
internal readonly record struct OptionContext(string Option, string Label, int Offset)
{
    public QueryOptionException BadRequest(string reason, int? position = null) =>
        new(QueryOptionErrorKind.BadRequest, Option, Label, reason, position + Offset);

    public static OptionContext TopLevel(string option) => new(option, option, 0);
}
