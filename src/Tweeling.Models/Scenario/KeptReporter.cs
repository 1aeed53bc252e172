using System.Diagnostics.CodeAnalysis;
using Tweeling.Models.Graph;
using Tweeling.Models.Results;

namespace Tweeling.Models.Scenario;

/// <summary>
/// A reporter that keeps its last few reports, each with the hashes of the ports it read, and answers a run whose ports
/// have those hashes again with the kept report instead of reporting anew: an edit that leaves a model's ports alone
/// (a green edit and the traffic, air and noise reports; any edit and the ports of the baseline) costs that report
/// nothing.
/// </summary>
/// <remarks>
/// Exact because a report is a function of the values of the ports it reads (and the municipality code), and a graph
/// run's port hashes (<see cref="GraphRun.Hashes"/>) identify their values: a content hash, a hash derived from the city
/// and the interventions (<see cref="City.CityBaseline.InputHashes"/>), or a model's cache key. Which ports a report reads
/// is recorded while it reads them, so a reporter needs to declare nothing and a port it reads only for some values is
/// covered whenever it was read.
/// </remarks>
/// <param name="reporter">The reporter whose reports are kept.</param>
public sealed class KeptReporter(IIndicatorReporter reporter) : IIndicatorReporter
{
    // A scenario's edits alternate between a few versions, and the baseline's report is one of them.
    private const int KeptReports = 4;

    private readonly List<Kept<IReadOnlyList<AreaValue>>> _areas = [];
    private readonly List<Kept<IReadOnlyList<GridLayer>>> _grids = [];

    /// <summary>The reporter whose reports are kept.</summary>
    public IIndicatorReporter Reporter => reporter;

    /// <inheritdoc />
    public IReadOnlyList<ResultIndicator> Indicators => reporter.Indicators;

    /// <inheritdoc />
    public IReadOnlyList<AreaValue> Areas(GraphRun run, string municipalityCode) =>
        Report(_areas, run, municipalityCode, r => reporter.Areas(r, municipalityCode));

    /// <inheritdoc />
    public IReadOnlyList<GridLayer> Grids(GraphRun run) => Report(_grids, run, string.Empty, reporter.Grids);

    private static T Report<T>(List<Kept<T>> kept, GraphRun run, string municipalityCode, Func<GraphRun, T> report)
    {
        ArgumentNullException.ThrowIfNull(run);
        lock (kept)
        {
            var hit = kept.FindIndex(k => k.Answers(run, municipalityCode));
            if (hit >= 0)
            {
                return kept[hit].Report;
            }
        }

        var reading = new Reading(run.Values);
        var made = report(run with { Values = reading });
        var entry = new Kept<T>(municipalityCode, reading.Read.ToDictionary(name => name, name => run.Hashes[name], StringComparer.Ordinal), made);
        lock (kept)
        {
            if (kept.Count == KeptReports)
            {
                kept.RemoveAt(0);
            }

            kept.Add(entry);
        }

        return made;
    }

    /// <summary>A report with the municipality code and the hash of every port it read.</summary>
    private sealed record Kept<T>(string MunicipalityCode, Dictionary<string, string> Hashes, T Report)
    {
        public bool Answers(GraphRun run, string municipalityCode) =>
            MunicipalityCode == municipalityCode
            && Hashes.All(h => run.Hashes.TryGetValue(h.Key, out var now) && string.Equals(now, h.Value, StringComparison.Ordinal));
    }

    /// <summary>A run's values that remember which were read.</summary>
    private sealed class Reading(IReadOnlyDictionary<string, object> values) : IReadOnlyDictionary<string, object>
    {
        public HashSet<string> Read { get; } = new(StringComparer.Ordinal);

        public IEnumerable<string> Keys => values.Keys;

        public IEnumerable<object> Values
        {
            get
            {
                Read.UnionWith(values.Keys);
                return values.Values;
            }
        }

        public int Count => values.Count;

        public object this[string key]
        {
            get
            {
                var value = values[key];
                Read.Add(key);
                return value;
            }
        }

        public bool ContainsKey(string key) => values.ContainsKey(key);

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out object value)
        {
            if (!values.TryGetValue(key, out value))
            {
                return false;
            }

            Read.Add(key);
            return true;
        }

        // Whoever lists every value reads every value.
        public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
        {
            Read.UnionWith(values.Keys);
            return values.GetEnumerator();
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
