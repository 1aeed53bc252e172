namespace Tweeling.Server.Hosting;

/// <summary>
/// Requests the server makes of its own endpoints inside the process, with no connection and no middleware in front:
/// the GET parts of a SensorThings <c>$batch</c> (<see cref="Features.SensorThings.Batch"/>) and the first view's
/// requests answered at start (<see cref="FirstViewRequestsWarmUp"/>). Each is a request of its own, so what a handler
/// writes to it (status, headers, body) is not mixed with any other request's.
/// </summary>
internal static class InProcessRequest
{
    /// <summary>
    /// A new GET request for <paramref name="path"/> and <paramref name="query"/> (empty, or starting with <c>?</c>) at
    /// <paramref name="scheme"/>://<paramref name="host"/><paramref name="pathBase"/>, whose handlers resolve their
    /// services from <paramref name="services"/> and stop when <paramref name="aborted"/> is cancelled. It holds no
    /// caller: whoever asks sets what else the handler needs (its endpoint, the response body to read back).
    /// </summary>
    public static DefaultHttpContext Get(
        IServiceProvider services, string scheme, HostString host, PathString pathBase, PathString path, QueryString query, CancellationToken aborted = default)
    {
        var context = new DefaultHttpContext { RequestServices = services, RequestAborted = aborted };
        context.Request.Method = HttpMethods.Get;
        context.Request.Scheme = scheme;
        context.Request.Host = host;
        context.Request.PathBase = pathBase;
        context.Request.Path = path;
        context.Request.QueryString = query;
        return context;
    }
}
