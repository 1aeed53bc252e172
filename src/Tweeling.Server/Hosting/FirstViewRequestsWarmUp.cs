using System.Diagnostics;
using Microsoft.AspNetCore.Routing.Template;
using Tweeling.Governance.Access;
using Tweeling.Server.Features.Ogc.Tiles;

namespace Tweeling.Server.Hosting;

/// <summary>
/// Start-up work after the first view's tiles (<see cref="TileSnapshotWarmUp"/>): the web map's other requests of its
/// first view — its settings, the catalog, the alerts and the sensors (<see cref="Requests"/>) — answered
/// <see cref="Rounds"/> times in the process, for the public, and the answers thrown away. The first visitor's requests
/// then run code that has run before: in the idle web benchmark the first run after a start asked them 2–10× slower
/// than later runs (at a load average of 55: <c>/ogc/collections</c> 236 against 14–21 ms, the sensors 162 against
/// 9–33 ms; docs/benchmarks.md web-firstview8), and those first times are spent compiling and loading code, not data.
/// </summary>
/// <remarks>
/// Each request goes to its endpoint's own request delegate (parameter binding, filters, handler, JSON writing) with a
/// request of its own (<see cref="InProcessRequest"/>) in a fresh service scope, as <see cref="Features.SensorThings.Batch"/> answers its parts; it is
/// anonymous, so its handler reads through the access policy as the public does, and it is only made when the
/// endpoint's <see cref="AccessRule"/> lets the public read it. It bypasses the middleware in front (sign-in, rate
/// limiter, audit), which no visitor's request does: no one receives the answer, no address is charged and nothing
/// non-open is read, so nothing is there to limit or record.
/// </remarks>
internal sealed partial class FirstViewRequestsWarmUp(
    EndpointDataSource endpoints,
    IServiceScopeFactory scopes,
    TileSnapshotWarmUp tiles,
    ILogger<FirstViewRequestsWarmUp> logger)
    : StartupWarmUp(tiles)
{
    /// <summary>
    /// The requests the web map makes for its first view besides the page, its scripts and the tiles, as the web UI asks
    /// them (web/src/main.ts, catalog.ts, live/view.ts, live/sensoritems.ts). The live event stream never ends and is
    /// left out.
    /// </summary>
    public static readonly IReadOnlyList<string> Requests =
    [
        "/config.json",
        "/ogc/collections",
        "/api/v1/datasets",
        "/api/v1/indicatoren",
        "/api/v1/alarmen?limit=20&metActief=true",
        "/ogc/collections/sensoren/items?limit=1000",
    ];

    /// <summary>
    /// How many times each request is answered: 30 is the .NET runtime's call count after which tiered compilation
    /// recompiles a method optimised (<c>TC_CallCountThreshold</c>), so the methods these requests share are also past
    /// that before a visitor comes, instead of being recompiled on the server's cores during the first views
    /// (docs/benchmarks.md web-firstview7: 0.5–1.0 s more server CPU in runs 2–3 than later).
    /// </summary>
    public const int Rounds = 30;

    private IReadOnlyDictionary<string, int> _statuses = new Dictionary<string, int>();

    /// <summary>The HTTP status of each request's last answer once the work has ended (404: no endpoint the public may read).</summary>
    public IReadOnlyDictionary<string, int> Statuses => Volatile.Read(ref _statuses);

    protected override async Task WarmAsync(CancellationToken stoppingToken)
    {
        var watch = Stopwatch.StartNew();
        var targets = Requests.Select(r => (Request: r, Target: PublicEndpoint(r))).ToList();
        var statuses = new Dictionary<string, int>();
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var (request, target) in targets)
            {
                statuses[request] = target is { } found ? await AnswerAsync(request, found.Endpoint, found.Values, stoppingToken) : StatusCodes.Status404NotFound;
            }
        }

        Volatile.Write(ref _statuses, statuses);
        var failed = statuses.Where(s => s.Value != StatusCodes.Status200OK).Select(s => $"{s.Key} {s.Value}").ToList();
        if (failed.Count > 0)
        {
            LogNotAnswered(logger, string.Join(", ", failed));
        }

        LogWarm(logger, Requests.Count, Rounds, watch.ElapsedMilliseconds);
    }

    protected override void LogFailed(Exception exception) => LogFailed(logger, exception);

    /// <summary>
    /// The GET endpoint that routing would choose for <paramref name="request"/>'s path (the lowest order, then the fewest
    /// route parameters, so the SPA fallback never wins over a real endpoint), with its route values; <c>null</c> when
    /// there is none or its access rule refuses the public.
    /// </summary>
    private (RouteEndpoint Endpoint, RouteValueDictionary Values)? PublicEndpoint(string request)
    {
        var path = new PathString(request.Split('?')[0]);
        var matches = new List<(RouteEndpoint Endpoint, RouteValueDictionary Values)>();
        foreach (var endpoint in endpoints.Endpoints.OfType<RouteEndpoint>())
        {
            var values = new RouteValueDictionary();
            if (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(HttpMethods.Get) == true
                && new TemplateMatcher(new RouteTemplate(endpoint.RoutePattern), new RouteValueDictionary(endpoint.RoutePattern.Defaults)).TryMatch(path, values))
            {
                matches.Add((endpoint, values));
            }
        }

        var chosen = matches.OrderBy(m => m.Endpoint.Order).ThenBy(m => m.Endpoint.RoutePattern.Parameters.Count).FirstOrDefault();
        return chosen.Endpoint?.Metadata.GetMetadata<AccessRule>()?.Decide(Role.Publiek) is AccessDecision.Allow or AccessDecision.Filter ? chosen : null;
    }

    /// <summary>Answers <paramref name="request"/> at <paramref name="endpoint"/> for an anonymous caller; returns the status.</summary>
    private async Task<int> AnswerAsync(string request, RouteEndpoint endpoint, RouteValueDictionary values, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var query = request.IndexOf('?', StringComparison.Ordinal);
        var context = InProcessRequest.Get(
            scope.ServiceProvider,
            "http",
            new HostString("localhost"),
            PathString.Empty,
            query < 0 ? request : request[..query],
            new QueryString(query < 0 ? string.Empty : request[query..]),
            cancellationToken);
        context.Request.Headers.Accept = "application/json";
        context.Request.RouteValues = values;
        context.SetEndpoint(endpoint);
        await endpoint.RequestDelegate!(context);
        return context.Response.StatusCode;
    }

    [LoggerMessage(EventId = 4006, Level = LogLevel.Information, Message = "{Requests} requests of the map's first view answered {Rounds} times in {Milliseconds} ms")]
    private static partial void LogWarm(ILogger logger, int requests, int rounds, long milliseconds);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Warning, Message = "Requests of the map's first view not answered with 200 at start: {Requests}")]
    private static partial void LogNotAnswered(ILogger logger, string requests);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Warning, Message = "Answering the map's first-view requests at start failed; the first visitor's requests run that code first")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
