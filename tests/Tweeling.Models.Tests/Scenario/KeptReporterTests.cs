using Tweeling.Models.Graph;
using Tweeling.Models.Results;
using Tweeling.Models.Scenario;

namespace Tweeling.Models.Tests.Scenario;

/// <summary>
/// Guards for <see cref="KeptReporter"/>: a kept report answers only a run whose ports it read have the hashes they had,
/// and only for the same municipality; any other change reports anew.
/// </summary>
public sealed class KeptReporterTests
{
    private static readonly Port<int> s_a = new("a", "-", "Test.");
    private static readonly Port<int> s_b = new("b", "-", "Test.");

    [Fact]
    public void A_kept_report_answers_only_the_hashes_of_the_ports_it_read()
    {
        var inner = new Counting();
        var kept = new KeptReporter(inner);
        var first = Run((1, "a1"), (2, "b1"), (3, "c1"));

        var report = kept.Areas(first, "GM1");
        Assert.Equal(3, report.Single().Value);
        Assert.Equal(1, inner.Calls);

        // Another run with the same hashes, and one where only a port the report did not read changed: kept.
        Assert.Same(report, kept.Areas(Run((1, "a1"), (2, "b1"), (3, "c1")), "GM1"));
        Assert.Same(report, kept.Areas(Run((1, "a1"), (2, "b1"), (30, "c2")), "GM1"));
        Assert.Equal(1, inner.Calls);

        // A read port changed (b is read because a is positive): reported anew, with the new value.
        Assert.Equal(6, kept.Areas(Run((1, "a1"), (5, "b2"), (3, "c1")), "GM1").Single().Value);
        Assert.Equal(2, inner.Calls);

        // A changed to zero: b is no longer read, so a later run with another b but the same a takes that report.
        Assert.Equal(0, kept.Areas(Run((0, "a0"), (5, "b2"), (3, "c1")), "GM1").Single().Value);
        Assert.Equal(0, kept.Areas(Run((0, "a0"), (7, "b3"), (3, "c1")), "GM1").Single().Value);
        Assert.Equal(3, inner.Calls);

        // Back to the first run: its report is still kept. Another municipality is reported anew.
        Assert.Same(report, kept.Areas(first, "GM1"));
        Assert.Equal(3, inner.Calls);
        Assert.Equal("GM2", kept.Areas(first, "GM2").Single().AreaCode);
        Assert.Equal(4, inner.Calls);
    }

    [Fact]
    public void Only_the_last_reports_are_kept()
    {
        var inner = new Counting();
        var kept = new KeptReporter(inner);
        for (var i = 1; i <= 5; i++)
        {
            kept.Areas(Run((1, "a1"), (i, $"b{i}"), (0, "c")), "GM1");
        }

        // Five reports made, four kept: the first is made again, the last is answered.
        kept.Areas(Run((1, "a1"), (5, "b5"), (0, "c")), "GM1");
        Assert.Equal(5, inner.Calls);
        kept.Areas(Run((1, "a1"), (1, "b1"), (0, "c")), "GM1");
        Assert.Equal(6, inner.Calls);
    }

    private static GraphRun Run((int Value, string Hash) a, (int Value, string Hash) b, (int Value, string Hash) c) => new(
        new Dictionary<string, object> { ["a"] = a.Value, ["b"] = b.Value, ["c"] = c.Value },
        new Dictionary<string, string> { ["a"] = a.Hash, ["b"] = b.Hash, ["c"] = c.Hash },
        [],
        new Dictionary<string, TimeSpan>(),
        [],
        1);

    /// <summary>Reports a + b when a is positive, else a alone (so it reads b only for some values of a), and counts its reports.</summary>
    private sealed class Counting : IIndicatorReporter
    {
        public int Calls { get; private set; }

        public IReadOnlyList<ResultIndicator> Indicators { get; } =
            [new("som", "Som", ImpactDomain.Beheer, "-", Desirability.Neutral, "test", Certainty.Laag, "Test.")];

        public IReadOnlyList<AreaValue> Areas(GraphRun run, string municipalityCode)
        {
            Calls++;
            var a = run.Value(s_a);
            return [new AreaValue("som", municipalityCode, a > 0 ? a + run.Value(s_b) : a)];
        }

        public IReadOnlyList<GridLayer> Grids(GraphRun run) => [];
    }
}
