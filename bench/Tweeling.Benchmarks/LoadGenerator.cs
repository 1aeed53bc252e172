using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Tweeling.Benchmarks;

/// <summary>
/// A closed-loop HTTP load generator: each client sends its next request when the previous answer
/// has been read in full, and the latency of every request is kept (a sorted array stands in for a
/// histogram). Clients that are late do not add requests, so latencies under overload are those of
/// a closed loop (no coordinated-omission correction); the report says so.
/// </summary>
internal static class LoadGenerator
{
    private static readonly byte[] s_numberReturned = Encoding.UTF8.GetBytes("\"numberReturned\":");

    /// <summary>Runs <paramref name="clients"/> clients for <paramref name="duration"/>; <paramref name="nextPath"/> picks each request.</summary>
    public static async Task<LoadResult> RunAsync(HttpClient http, int clients, TimeSpan duration, Func<Random, string> nextPath, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, clients).Select(i => Task.Run(() => ClientAsync(http, new Random(1000 + i), clock, duration, nextPath, ct), ct)).ToArray();
        var perClient = await Task.WhenAll(tasks);
        var elapsed = clock.Elapsed;
        var latencies = perClient.SelectMany(c => c.Latencies).ToArray();
        var paths = perClient.SelectMany(c => c.Paths).ToArray();
        Array.Sort(latencies, paths);
        return new LoadResult(
            latencies,
            paths,
            elapsed,
            perClient.Sum(c => c.Errors),
            perClient.Sum(c => c.Bytes),
            perClient.Sum(c => c.Returned),
            perClient.Sum(c => c.Full),
            perClient.Sum(c => c.Empty));
    }

    private static async Task<ClientResult> ClientAsync(HttpClient http, Random random, Stopwatch clock, TimeSpan duration, Func<Random, string> nextPath, CancellationToken ct)
    {
        var result = new ClientResult();
        while (clock.Elapsed < duration)
        {
            var path = nextPath(random);
            var start = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead, ct);
            var body = await response.Content.ReadAsByteArrayAsync(ct);
            var elapsed = Stopwatch.GetElapsedTime(start);
            result.Latencies.Add(elapsed.TotalMilliseconds);
            result.Paths.Add(path);
            result.Bytes += body.Length;
            if (!response.IsSuccessStatusCode)
            {
                result.Errors++;
                continue;
            }

            if (NumberReturned(body) is { } returned)
            {
                result.Returned += returned;
                result.Full += returned >= 100 ? 1 : 0;
                result.Empty += returned == 0 ? 1 : 0;
            }
        }

        return result;
    }

    private static int? NumberReturned(byte[] body)
    {
        var at = body.AsSpan().IndexOf(s_numberReturned);
        if (at < 0)
        {
            return null;
        }

        var digits = body.AsSpan(at + s_numberReturned.Length);
        var length = 0;
        while (length < digits.Length && (char.IsAsciiDigit((char)digits[length]) || digits[length] == (byte)' '))
        {
            length++;
        }

        return int.TryParse(Encoding.ASCII.GetString(digits[..length]).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    private sealed class ClientResult
    {
        public List<double> Latencies { get; } = new(capacity: 4096);

        /// <summary>The path of each request, in the order of <see cref="Latencies"/>.</summary>
        public List<string> Paths { get; } = new(capacity: 4096);

        public long Errors { get; set; }

        public long Bytes { get; set; }

        public long Returned { get; set; }

        public long Full { get; set; }

        public long Empty { get; set; }
    }
}

/// <summary>
/// What a load run measured; <see cref="Latencies"/> are milliseconds, sorted ascending, and <see cref="Paths"/> the
/// path of each of them.
/// </summary>
internal sealed record LoadResult(double[] Latencies, string[] Paths, TimeSpan Elapsed, long Errors, long Bytes, long Returned, long Full, long Empty)
{
    public long Requests => Latencies.Length;

    public double Throughput => Requests / Elapsed.TotalSeconds;

    /// <summary>The nearest-rank percentile (0 &lt; q ≤ 1) in milliseconds.</summary>
    public double Percentile(double q) => Latencies.Length == 0 ? double.NaN : Latencies[Math.Max(0, (int)Math.Ceiling(q * Latencies.Length) - 1)];

    public double Max => Latencies.Length == 0 ? double.NaN : Latencies[^1];

    /// <summary>The requests whose path <paramref name="matches"/>, as a result of their own (bytes and counts are not split).</summary>
    public LoadResult Where(Func<string, bool> matches)
    {
        var picked = Enumerable.Range(0, Latencies.Length).Where(i => matches(Paths[i])).ToArray();
        return this with { Latencies = [.. picked.Select(i => Latencies[i])], Paths = [.. picked.Select(i => Paths[i])] };
    }

    /// <summary>The share of the slowest <paramref name="fraction"/> of all requests whose path <paramref name="matches"/>.</summary>
    public double ShareOfSlowest(double fraction, Func<string, bool> matches)
    {
        var from = Math.Min(Latencies.Length, (int)Math.Floor(Latencies.Length * (1 - fraction)));
        var slowest = Paths.AsSpan(from);
        var count = 0;
        foreach (var path in slowest)
        {
            count += matches(path) ? 1 : 0;
        }

        return slowest.Length == 0 ? double.NaN : count / (double)slowest.Length;
    }
}
