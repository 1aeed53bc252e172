using System.Threading.RateLimiting;

namespace Tweeling.Server.Hosting;

/// <summary>
/// A token bucket on the server's clock (<see cref="TimeProvider"/>): it holds at most a limit of tokens, starts full,
/// gains a fixed number each whole period since it was made, and never queues (a request it cannot serve at once is
/// refused at once, with the time until the tokens it lacks are there as <see cref="MetadataName.RetryAfter"/>).
/// </summary>
/// <remarks>
/// <para>
/// Why not .NET's <see cref="TokenBucketRateLimiter"/>: it refills from a timer of its own over the machine's tick
/// count, which nothing can hold still, so a test that needs two requests within one refill period (one second) raced
/// that timer and failed on a loaded machine (<c>RequestLimitsTests</c>). This bucket counts, whenever it is asked, the
/// whole periods elapsed on the clock it is given since it was made: the same tokens at the same moments as a timer
/// that fires every period from the bucket's start, on the server's clock like every other time in the platform
/// (STYLE.md rule 13), and without a timer.
/// </para>
/// <para>
/// <see cref="IdleDuration"/> is the time since the bucket was last full; <see cref="PartitionedRateLimiter"/> drops a
/// partition idle for longer than its limit (10 s) and makes a new, full one at the next request, which is the same
/// bucket. Disposing releases nothing (there is no timer) and leaves the bucket working, so a request that took a
/// partition just as it was dropped is served by a full bucket, as it would be by the new one.
/// </para>
/// </remarks>
internal sealed class ServerClockTokenBucket : RateLimiter
{
    private static readonly RateLimitLease s_acquired = new Lease(isAcquired: true, retryAfter: null);

    private readonly TimeProvider _time;
    private readonly int _limit;
    private readonly int _tokensPerPeriod;
    private readonly TimeSpan _period;
    private readonly long _madeAt;
    private readonly Lock _lock = new();

    private int _tokens;

    // Whole periods since the bucket was made that have been added to _tokens.
    private long _periodsCounted;

    // Since the bucket was made, when it was last filled up; null while a token is missing.
    private TimeSpan? _fullSince = TimeSpan.Zero;

    private long _acquired;
    private long _refused;

    /// <param name="time">The clock the bucket refills on.</param>
    /// <param name="limit">The most tokens the bucket holds (the burst); it starts with this many.</param>
    /// <param name="tokensPerPeriod">Tokens added each whole <paramref name="period"/>.</param>
    /// <param name="period">How often tokens are added.</param>
    public ServerClockTokenBucket(TimeProvider time, int limit, int tokensPerPeriod, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(tokensPerPeriod, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        (_time, _limit, _tokensPerPeriod, _period) = (time, limit, tokensPerPeriod, period);
        _madeAt = time.GetTimestamp();
        _tokens = limit;
    }

    /// <inheritdoc />
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                var now = Refill();
                return now - _fullSince;
            }
        }
    }

    /// <inheritdoc />
    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            Refill();
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = _tokens,
                CurrentQueuedCount = 0,
                TotalSuccessfulLeases = _acquired,
                TotalFailedLeases = _refused,
            };
        }
    }

    /// <inheritdoc />
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, _limit);
        lock (_lock)
        {
            var now = Refill();

            // Asking for no token asks whether there is one (the RateLimiter contract).
            if (permitCount == 0 ? _tokens > 0 : _tokens >= permitCount)
            {
                _tokens -= permitCount;
                _fullSince = _tokens == _limit ? _fullSince : null;
                _acquired++;
                return s_acquired;
            }

            _refused++;
            var periodsNeeded = (Math.Max(1, permitCount - _tokens) + _tokensPerPeriod - 1) / _tokensPerPeriod;
            return new Lease(isAcquired: false, retryAfter: ((_periodsCounted + periodsNeeded) * _period) - now);
        }
    }

    /// <inheritdoc />
    /// <remarks>The bucket does not queue: the answer is the one <see cref="RateLimiter.AttemptAcquire"/> gives now.</remarks>
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(AttemptAcquireCore(permitCount));
    }

    /// <summary>Adds the tokens of the whole periods elapsed since the last count; returns the time since the bucket was made.</summary>
    private TimeSpan Refill()
    {
        var now = _time.GetElapsedTime(_madeAt);
        var periods = now.Ticks / _period.Ticks;
        var added = periods - _periodsCounted;
        if (added > 0)
        {
            if (_tokens < _limit)
            {
                var missing = _limit - _tokens;
                var periodsToFull = (missing + _tokensPerPeriod - 1) / _tokensPerPeriod;
                if (added >= periodsToFull)
                {
                    _tokens = _limit;
                    _fullSince = (_periodsCounted + periodsToFull) * _period;
                }
                else
                {
                    _tokens += (int)added * _tokensPerPeriod;
                }
            }

            _periodsCounted = periods;
        }

        return now;
    }

    private sealed class Lease(bool isAcquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired { get; } = isAcquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (retryAfter is { } after && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = after;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}
