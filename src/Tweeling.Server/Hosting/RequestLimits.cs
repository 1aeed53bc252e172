using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Tweeling.Governance.Access;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Hosting;

/// <summary>
/// How much one client may ask of the server: requests per minute (a token bucket per signed-in subject, or per
/// client address for anonymous callers, whose vector tiles have a bucket of their own), concurrent live streams per client address, and the size of request
/// bodies, headers and URLs.
/// Set in configuration (<c>Tweeling:Limits</c>, e.g. <c>Tweeling__Limits__AnonymousPerMinute=1200</c>); validated at start-up.
/// </summary>
/// <remarks>
/// Defaults, and why: a person in a browser or GIS client rarely needs more than a few requests a second
/// on average, but a map loading its layers or QGIS paging a collection asks for tens at once — hence
/// 600 a minute (refilled at 10 a second) with a burst of 200. Callers that have signed in get ten
/// times that, each account its own bucket, since they are known and accountable. Credentials that do not
/// sign in buy nothing: such a request counts as an anonymous one of its address. A live stream is one long request, so it is limited
/// by how many a client holds open at once (4: a few browser tabs), not by rate.
/// </remarks>
internal sealed class RequestLimitOptions
{
    public const string Section = "Tweeling:Limits";

    /// <summary>Sustained requests per minute per client address of anonymous callers and of requests whose credentials did not sign in (refilled every second, rounded down to whole requests a second).</summary>
    [Range(60, 10_000_000)]
    public int AnonymousPerMinute { get; init; } = 600;

    /// <summary>Requests an anonymous client may make at once before the sustained rate applies.</summary>
    [Range(1, 10_000_000)]
    public int AnonymousBurst { get; init; } = 200;

    /// <summary>
    /// Sustained vector-tile requests per minute per client address of anonymous callers, in a bucket of their own: a
    /// map asks for tiles by the hundred — flying to a searched address asked about 150 in 3 s in the web UI's search
    /// test, most of the anonymous burst — and the page's search and API reads must not wait for them. Tiles come from
    /// a cache (7,000 a second at p99 16 ms, docs/benchmarks.md).
    /// </summary>
    [Range(60, 10_000_000)]
    public int AnonymousTilesPerMinute { get; init; } = 6_000;

    /// <summary>Tile requests an anonymous client may make at once before the sustained tile rate applies.</summary>
    [Range(1, 10_000_000)]
    public int AnonymousTilesBurst { get; init; } = 1_000;

    /// <summary>Sustained requests per minute per signed-in subject (account or identity-provider subject), from any address.</summary>
    [Range(60, 10_000_000)]
    public int AuthenticatedPerMinute { get; init; } = 6_000;

    /// <summary>Burst per signed-in subject.</summary>
    [Range(1, 10_000_000)]
    public int AuthenticatedBurst { get; init; } = 2_000;

    /// <summary>Live event streams (<c>/api/v1/live</c>) one client address may hold open at the same time.</summary>
    [Range(1, 10_000)]
    public int LiveStreamsPerClient { get; init; } = 4;

    /// <summary>
    /// The largest request body in bytes (1 MB: a SensorThings entity with a large geometry fits easily).
    /// Endpoints that take bulk data raise it for themselves: <c>CreateObservations</c> 32 MB, <c>$batch</c> 16 MB.
    /// </summary>
    [Range(1024, 1024L * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>The largest request line (method, URL with query, version) in bytes; longer is 414.</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxRequestLineBytes { get; init; } = 8 * 1024;

    /// <summary>The largest total size of the request headers in bytes; larger is 431.</summary>
    [Range(4096, 1024 * 1024)]
    public int MaxRequestHeadersBytes { get; init; } = 32 * 1024;
}

/// <summary>
/// Wires <see cref="RequestLimitOptions"/> into Kestrel and ASP.NET Core's rate limiter. The request-rate limiter runs
/// after sign-in (<see cref="Authentication"/>), so that it partitions by who the caller verifiably is, not by what a
/// request claims: a header that anyone can send must not buy a bucket of its own.
/// </summary>
internal static class RequestLimits
{
    /// <summary>The policy live event endpoints name with <c>RequireRateLimiting</c>: concurrent streams per client address.</summary>
    public const string LiveStreams = "live-streams";

    /// <summary>
    /// The Retry-After for a refused live stream: a stream ends only when its client leaves, so there is
    /// no exact moment; half a minute is long enough not to hammer and short enough for a closed tab.
    /// </summary>
    private static readonly TimeSpan s_liveRetryAfter = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Marks an endpoint whose anonymous requests are charged to the tile bucket of their address
    /// (<see cref="RequestLimitOptions.AnonymousTilesPerMinute"/>) rather than to the anonymous one.
    /// </summary>
    public static TBuilder WithTileRateLimit<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(TileRequests.Instance);

    public static IServiceCollection AddRequestLimits(this IServiceCollection services)
    {
        services.AddOptions<RequestLimitOptions>().BindConfiguration(RequestLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<RequestLimitOptions>>((kestrel, limits) =>
        {
            kestrel.Limits.MaxRequestBodySize = limits.Value.MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestLineSize = limits.Value.MaxRequestLineBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = limits.Value.MaxRequestHeadersBytes;
        });

        // One limiter for the whole server, shared by the rate-limiting middleware and by sign-in, which charges a
        // refused sign-in to the anonymous bucket of its address (see ChargeAnonymousAsync). Its buckets refill on the
        // server's clock.
        services.AddSingleton(sp =>
        {
            var time = sp.GetRequiredService<TimeProvider>();
            return PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, time));
        });
        services.AddOptions<RateLimiterOptions>().Configure<PartitionedRateLimiter<HttpContext>>((o, requests) =>
        {
            o.GlobalLimiter = requests;
            o.AddPolicy(LiveStreams, context => RateLimitPartition.GetConcurrencyLimiter(
                ClientAddress(context),
                _ => new ConcurrencyLimiterOptions { PermitLimit = Limits(context).LiveStreamsPerClient, QueueLimit = 0 }));
            o.OnRejected = (rejected, _) => new ValueTask(RejectAsync(rejected.HttpContext, rejected.Lease));
        });
        services.AddRateLimiter(_ => { });
        return services;
    }

    /// <summary>
    /// The request-rate bucket of a request. Health checks are never limited (monitoring must see a busy server).
    /// A caller that signed in (it has a subject: a local account or the identity provider's subject) has the
    /// signed-in bucket of that subject, from whatever address it calls; every other request, including one whose
    /// credentials were refused, shares the anonymous bucket of its client address.
    /// </summary>
    private static RateLimitPartition<string> Partition(HttpContext context, TimeProvider time)
    {
        if (context.Request.Path.StartsWithSegments("/healthz", StringComparison.Ordinal))
        {
            return RateLimitPartition.GetNoLimiter(string.Empty);
        }

        var limits = Limits(context);
        if (context.Features.Get<Caller>() is { Subject: { } subject })
        {
            return RateLimitPartition.Get("subject " + subject, _ => Bucket(time, limits.AuthenticatedPerMinute, limits.AuthenticatedBurst));
        }

        return context.GetEndpoint()?.Metadata.GetMetadata<TileRequests>() is not null
            ? RateLimitPartition.Get("anonymous tiles " + ClientAddress(context), _ => Bucket(time, limits.AnonymousTilesPerMinute, limits.AnonymousTilesBurst))
            : RateLimitPartition.Get("anonymous " + ClientAddress(context), _ => Bucket(time, limits.AnonymousPerMinute, limits.AnonymousBurst));
    }


    /// <summary>
    /// Whether the anonymous bucket of the request's address is empty. Sign-in asks this before it checks a password:
    /// a password costs a full PBKDF2 hash, which a flood of wrong ones must not get for free once the address has
    /// spent what an anonymous caller may (API tokens are cheap to check and are always tried).
    /// </summary>
    public static bool AnonymousBudgetSpent(HttpContext context) =>
        context.RequestServices.GetRequiredService<PartitionedRateLimiter<HttpContext>>().GetStatistics(context)?.CurrentAvailablePermits <= 0;

    /// <summary>
    /// Charges a request that sign-in refuses (credentials that did not sign in, a bad purpose header) to the anonymous
    /// bucket of its address: the request holds no caller, so <see cref="Partition"/> puts it there. True when the bucket
    /// had room and the refusal may be answered; false when the response has been written as 429.
    /// </summary>
    public static async Task<bool> ChargeAnonymousAsync(HttpContext context)
    {
        using var lease = context.RequestServices.GetRequiredService<PartitionedRateLimiter<HttpContext>>().AttemptAcquire(context);
        if (lease.IsAcquired)
        {
            return true;
        }

        await RejectAsync(context, lease);
        return false;
    }

    /// <summary>A bucket of <paramref name="burst"/> refilled every second with a sixtieth of <paramref name="perMinute"/> (rounded down; at least 1, as the options' minimum is 60).</summary>
    private static ServerClockTokenBucket Bucket(TimeProvider time, int perMinute, int burst) => new(time, burst, perMinute / 60, TimeSpan.FromSeconds(1));

    /// <summary>
    /// The client's address. Behind a reverse proxy that is the address the proxy forwarded, when the proxy is one
    /// the operator trusts (<see cref="ProxyOptions"/>); otherwise the address of the connection.
    /// </summary>
    private static string ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static RequestLimitOptions Limits(HttpContext context) => context.RequestServices.GetRequiredService<IOptions<RequestLimitOptions>>().Value;

    /// <summary>429 as an RFC 9457 problem, with Retry-After in whole seconds (RFC 9110 §10.2.3).</summary>
    private static Task RejectAsync(HttpContext context, RateLimitLease lease)
    {
        var live = context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == LiveStreams;
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : s_liveRetryAfter;
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var detail = live
            ? $"This address already holds the most live streams allowed at once ({Limits(context).LiveStreamsPerClient}). Close one, or try again in {seconds} seconds."
            : context.Features.Get<Caller>() is { Subject: not null }
                ? $"Too many requests from this account. Try again in {seconds} seconds."
                : $"Too many requests from this address. Try again in {seconds} seconds.";
        return ProblemType.TooManyRequests.With(detail).ExecuteAsync(context);
    }
}

/// <summary>Endpoint metadata: the endpoint serves vector tiles (<see cref="RequestLimits.WithTileRateLimit"/>).</summary>
internal sealed class TileRequests
{
    public static readonly TileRequests Instance = new();

    private TileRequests()
    {
    }
}
