using System.Diagnostics;
using System.Globalization;

namespace Tweeling.Benchmarks;

/// <summary>
/// wrk (Debian package <c>wrk</c>, 4.1) as a second load generator beside <see cref="LoadGenerator"/>: C on epoll, a
/// fraction of the .NET client's CPU per request, so on a two-core machine less of the cores the server needs goes to
/// measuring it (docs/adr/0005-wrk-load-generator.md). Like <see cref="LoadGenerator"/> it is a closed loop: each
/// connection sends its next request when the previous answer has been read in full, and a request's latency runs
/// from its first byte written to its answer's last byte read. <c>sta-read.lua</c> (beside this program) picks each
/// request and, when asked, checks every answer (status, kind and size class); its done() prints one line this class
/// parses.
/// </summary>
internal static class WrkLoadGenerator
{
    private const string ResultPrefix = "sta-read-wrk:";

    /// <summary>The user-visible clock tick of /proc's CPU times: USER_HZ, 100 on every Linux architecture (its ABI).</summary>
    private const double ClockTicksPerSecond = 100;

    /// <summary>The path of wrk, or an exception that says how to get it: bench/sta-read.sh installs it.</summary>
    public static string Find()
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "wrk"))
            .FirstOrDefault(File.Exists);
        return found ?? throw new InvalidOperationException(
            "wrk is not installed, and sta-read measures with it beside its own generator: run bench/sta-read.sh, which installs it (apt-get install wrk, as root).");
    }

    /// <summary>
    /// Runs wrk with <paramref name="clients"/> connections on two threads (one per core of the machine the target is
    /// for) for <paramref name="duration"/>, with <c>sta-read.lua</c> given <paramref name="scriptArguments"/>. Fails when
    /// wrk fails or any answer was an error or not 2xx, and with <paramref name="checkEveryAnswer"/> also when any answer
    /// was not 200 or not of its kind and size class (the script exits 1 then). The check costs wrk CPU, which is why
    /// it is a choice.
    /// </summary>
    public static async Task<WrkResult> RunAsync(
        string wrk, Uri baseAddress, int clients, TimeSpan duration, IEnumerable<string> scriptArguments, bool checkEveryAnswer, CancellationToken ct)
    {
        var start = new ProcessStartInfo(wrk)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["STA_READ_CHECK_ANSWERS"] = checkEveryAnswer ? "1" : "0";
        var script = Path.Combine(AppContext.BaseDirectory, "sta-read.lua");
        string[] arguments =
        [
            "--threads", Math.Min(2, clients).ToString(CultureInfo.InvariantCulture),
            "--connections", clients.ToString(CultureInfo.InvariantCulture),
            "--duration", string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (int)duration.TotalSeconds)}s"),
            // The .NET generator's timeout; wrk's default (2 s) would count a slow answer as an error and leave it out of
            // the latencies instead of in the tail.
            "--timeout", "30s",
            "--script", script,
            baseAddress.ToString().TrimEnd('/'),
            "--",
        ];
        foreach (var argument in arguments.Concat(scriptArguments))
        {
            start.ArgumentList.Add(argument);
        }

        // wrk is this process's child: once it has exited and been waited for, its CPU time is in our children's time
        // (cutime + cstime of /proc/self/stat), which nothing else adds to here (the server runs on until the end).
        var childrenBefore = ChildrenCpu();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start wrk");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var stdout = await output;
        var stderr = await errors;
        var generatorCpu = ChildrenCpu() - childrenBefore;
        var line = stdout.Split('\n').FirstOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal));
        if (process.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"wrk failed (exit code {process.ExitCode}):{Environment.NewLine}{stdout}{stderr}");
        }

        var values = line[ResultPrefix.Length..]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('='))
            .ToDictionary(pair => pair[0], pair => long.Parse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture), StringComparer.Ordinal);
        return new WrkResult(values, generatorCpu);
    }

    /// <summary>The CPU time of this process's children that have exited and been waited for (cutime + cstime).</summary>
    private static TimeSpan ChildrenCpu()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        // The fields after the command name (which may hold spaces, so it is skipped up to its closing parenthesis):
        // state is field 3, cutime and cstime are fields 16 and 17 (proc(5)).
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[16 - 3], CultureInfo.InvariantCulture) + long.Parse(fields[17 - 3], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / ClockTicksPerSecond);
    }
}

/// <summary>One wrk run as <c>sta-read.lua</c> reported it (latencies in microseconds) and the CPU time wrk spent.</summary>
internal sealed class WrkResult(IReadOnlyDictionary<string, long> values, TimeSpan generatorCpu)
{
    public long Requests => values["requests"];

    public TimeSpan Elapsed => TimeSpan.FromMicroseconds(values["duration_us"]);

    public double Throughput => Requests / Elapsed.TotalSeconds;

    /// <summary>Answers that failed or were not as expected: wrk's socket errors, timeouts and non-2xx, and the script's checks.</summary>
    public long Errors => new[] { "connect_errors", "read_errors", "write_errors", "timeouts", "non_2xx", "bad_status", "bad_kind", "bad_size" }.Sum(name => values[name]);

    public double P50 => values["p50_us"] / 1000.0;

    public double P90 => values["p90_us"] / 1000.0;

    public double P99 => values["p99_us"] / 1000.0;

    public double Max => values["max_us"] / 1000.0;

    /// <summary>Whether the script checked every answer (and so counted <see cref="BodyBytes"/> and <see cref="Kinds"/>).</summary>
    public bool Checked => values["checked"] == 1;

    /// <summary>All bytes read, headers and bodies, as wrk counts them.</summary>
    public long Bytes => values["bytes"];

    /// <summary>The bodies' bytes, counted only when <see cref="Checked"/>.</summary>
    public long BodyBytes => values["body_bytes"];

    public TimeSpan GeneratorCpu => generatorCpu;

    /// <summary>The answers the script recognised, by kind: "12,345 Datastreams, 34,567 pages of Observations, …".</summary>
    public string Kinds => string.Create(CultureInfo.InvariantCulture,
        $"{values["entities"]:N0} Datastream entities, {values["pages"]:N0} pages of Observations, {values["things"]:N0} Things with their Datastreams, {values["healthy"]:N0} /healthz");
}
