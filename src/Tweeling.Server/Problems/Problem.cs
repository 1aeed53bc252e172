using Microsoft.AspNetCore.Http.HttpResults;

namespace Tweeling.Server.Problems;

/// <summary>
/// The platform's problem types (RFC 9457). Each has a stable type URI under <c>/problems/</c>,
/// documented in <c>docs/problems/&lt;slug&gt;.md</c>, and one mapping to a response.
/// </summary>
internal sealed record ProblemType(string Slug, int Status, string Title)
{
    public static readonly ProblemType InvalidParameter = new("invalid-parameter", StatusCodes.Status400BadRequest, "A query parameter has an invalid value");
    public static readonly ProblemType UnknownParameter = new("unknown-parameter", StatusCodes.Status400BadRequest, "The request has a query parameter this resource does not know");
    public static readonly ProblemType UnsupportedCrs = new("unsupported-crs", StatusCodes.Status400BadRequest, "The requested coordinate reference system is not supported");
    public static readonly ProblemType NotFound = new("not-found", StatusCodes.Status404NotFound, "The resource does not exist");
    public static readonly ProblemType InvalidBody = new("invalid-body", StatusCodes.Status400BadRequest, "The request body is not valid");
    public static readonly ProblemType BodyTooLarge = new("body-too-large", StatusCodes.Status413PayloadTooLarge, "The request body is too large");
    public static readonly ProblemType MethodNotAllowed = new("method-not-allowed", StatusCodes.Status405MethodNotAllowed, "The method is not allowed on this resource");
    public static readonly ProblemType Unauthorized = new("unauthorized", StatusCodes.Status401Unauthorized, "Sign-in is required, or the credentials were not accepted");
    public static readonly ProblemType Forbidden = new("forbidden", StatusCodes.Status403Forbidden, "The caller's role may not do this");
    public static readonly ProblemType CrossOriginWrite = new("cross-origin-write", StatusCodes.Status403Forbidden, "Pages on this origin may not write here");
    public static readonly ProblemType TooManyRequests = new("too-many-requests", StatusCodes.Status429TooManyRequests, "Too many requests");
    public static readonly ProblemType AlgorithmBlocked = new("algorithm-blocked", StatusCodes.Status409Conflict, "The algorithm cannot be enabled: something stands in its way");
    public static readonly ProblemType ScenarioNotRunnable = new("scenario-not-runnable", StatusCodes.Status409Conflict, "The scenario cannot be run against the city at its reference date");
    public static readonly ProblemType PatchConflict = new("patch-conflict", StatusCodes.Status409Conflict, "The JSON Patch cannot be applied to the entity as it is");
    public static readonly ProblemType NotImplemented = new("not-implemented", StatusCodes.Status501NotImplemented, "This part of the standard is not implemented yet");

    public string TypeUri => "/problems/" + Slug;

    /// <summary>A problem response of this type with a detail that says exactly what was wrong.</summary>
    public ProblemHttpResult With(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: Status, title: Title, type: TypeUri);
}
