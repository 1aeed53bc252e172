using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Hosting;

/// <summary>
/// How much one client may ask of the server: requests per minute (a token bucket per client address),
/// concurrent live streams per client address, and the size of request bodies, headers and URLs.
/// Set in configuration (<c>Tweeling:Limits</c>, e.g. <c>Tweeling__Limits__AnonymousPerMinute=1200</c>); validated at start-up.
/// </summary>
/// <remarks>
/// Defaults, and why: a person in a browser or GIS client rarely needs more than a few requests a second
/// on average, but a map loading its layers or QGIS paging a collection asks for tens at once — hence
/// 600 a minute (refilled at 10 a second) with a burst of 200. Callers that present credentials get ten
/// times that, since they are known and accountable. A live stream is one long request, so it is limited
/// by how many a client holds open at once (4: a few browser tabs), not by rate.
/// </remarks>
internal sealed class RequestLimitOptions
{
    public const string Section = "Tweeling:Limits";

    /// <summary>Sustained requests per minute per client address without credentials (refilled every second, rounded down to whole requests a second).</summary>
    [Range(60, 10_000_000)]
    public int AnonymousPerMinute { get; init; } = 600;

    /// <summary>Requests an anonymous client may make at once before the sustained rate applies.</summary>
    [Range(1, 10_000_000)]
    public int AnonymousBurst { get; init; } = 200;

    /// <summary>Sustained requests per minute for callers that present credentials.</summary>
    [Range(60, 10_000_000)]
    public int AuthenticatedPerMinute { get; init; } = 6_000;

    /// <summary>Burst for callers that present credentials.</summary>
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

/// <summary>Wires <see cref="RequestLimitOptions"/> into Kestrel and ASP.NET Core's rate limiter.</summary>
internal static class RequestLimits
{
    /// <summary>The policy live event endpoints name with <c>RequireRateLimiting</c>: concurrent streams per client address.</summary>
    public const string LiveStreams = "live-streams";

    /// <summary>
    /// The Retry-After for a refused live stream: a stream ends only when its client leaves, so there is
    /// no exact moment; half a minute is long enough not to hammer and short enough for a closed tab.
    /// </summary>
    private static readonly TimeSpan s_liveRetryAfter = TimeSpan.FromSeconds(30);

    public static IServiceCollection AddRequestLimits(this IServiceCollection services)
    {
        services.AddOptions<RequestLimitOptions>().BindConfiguration(RequestLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<RequestLimitOptions>>((kestrel, limits) =>
        {
            kestrel.Limits.MaxRequestBodySize = limits.Value.MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestLineSize = limits.Value.MaxRequestLineBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = limits.Value.MaxRequestHeadersBytes;
        });
        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(Partition);
            o.AddPolicy(LiveStreams, context => RateLimitPartition.GetConcurrencyLimiter(
                ClientAddress(context),
                _ => new ConcurrencyLimiterOptions { PermitLimit = Limits(context).LiveStreamsPerClient, QueueLimit = 0 }));
            o.OnRejected = RejectAsync;
        });
        return services;
    }

    /// <summary>
    /// The request-rate bucket of a request. Health checks are never limited (monitoring must see a busy
    /// server). Until sign-in exists, a request "with credentials" is one with an Authorization header,
    /// and its bucket is still per client address: an unverified header must not buy a bucket of its own.
    /// When authentication arrives, authenticated callers are partitioned by their subject instead.
    /// </summary>
    private static RateLimitPartition<string> Partition(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/healthz", StringComparison.Ordinal))
        {
            return RateLimitPartition.GetNoLimiter(string.Empty);
        }

        var limits = Limits(context);
        var address = ClientAddress(context);
        return context.Request.Headers.Authorization.Count > 0
            ? RateLimitPartition.GetTokenBucketLimiter("credentials " + address, _ => Bucket(limits.AuthenticatedPerMinute, limits.AuthenticatedBurst))
            : RateLimitPartition.GetTokenBucketLimiter("anonymous " + address, _ => Bucket(limits.AnonymousPerMinute, limits.AnonymousBurst));
    }

    private static TokenBucketRateLimiterOptions Bucket(int perMinute, int burst) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = perMinute / 60,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    /// <summary>
    /// The client's address as the connection shows it. Behind a reverse proxy that is the proxy's
    /// address, so all clients share one bucket: see docs/security.md (forwarded headers) for that setup.
    /// </summary>
    private static string ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static RequestLimitOptions Limits(HttpContext context) => context.RequestServices.GetRequiredService<IOptions<RequestLimitOptions>>().Value;

    /// <summary>429 as an RFC 9457 problem, with Retry-After in whole seconds (RFC 9110 §10.2.3).</summary>
    private static ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var live = rejected.HttpContext.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == LiveStreams;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : s_liveRetryAfter;
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var detail = live
            ? $"This address already holds the most live streams allowed at once ({Limits(rejected.HttpContext).LiveStreamsPerClient}). Close one, or try again in {seconds} seconds."
            : $"Too many requests from this address. Try again in {seconds} seconds.";
        return new ValueTask(ProblemType.TooManyRequests.With(detail).ExecuteAsync(rejected.HttpContext));
    }
}
