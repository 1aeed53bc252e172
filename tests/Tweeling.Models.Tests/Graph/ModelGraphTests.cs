using Tweeling.Models.Graph;

namespace Tweeling.Models.Tests.Graph;

public sealed class ModelGraphTests
{
    private static readonly Port<double> s_a = new("a", "-", "Baseline number a.");
    private static readonly Port<double> s_b = new("b", "-", "Baseline number b.");
    private static readonly Port<double> s_doubled = new("a-doubled", "-", "a × 2.");
    private static readonly Port<double> s_sum = new("sum", "-", "a × 2 + b.");
    private static readonly Port<double> s_squared = new("b-squared", "-", "b².");
    private static readonly Port<double> s_total = new("total", "-", "a + b.");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Models_run_in_topological_order_whatever_order_they_are_given_in()
    {
        var graph = new ModelGraph([Sum(), Doubling(), Squaring()], [s_a, s_b]);

        var run = graph.Run(Inputs(3, 4), seed: 0, Ct);

        Assert.Equal(["doubling", "sum", "squaring"], graph.Models.Select(m => m.Descriptor.Id));
        Assert.Equal(10.0, run.Value(s_sum));
        Assert.Equal(16.0, run.Value(s_squared));
        Assert.Equal(["sum"], graph.Downstream["doubling"]);
    }

    [Fact]
    public void An_edit_reruns_only_the_models_downstream_of_the_changed_input()
    {
        var graph = new ModelGraph([Doubling(), Sum(), Squaring()], [s_a, s_b]);
        var first = graph.Run(Inputs(3, 4), seed: 0, Ct);

        var same = graph.Run(Inputs(3, 4), seed: 0, Ct);
        var editB = graph.Run(Inputs(3, 5), seed: 0, Ct);
        var editA = graph.Run(Inputs(1, 5), seed: 0, Ct);
        var otherSeed = graph.Run(Inputs(1, 5), seed: 1, Ct);

        Assert.Equal(["doubling", "sum", "squaring"], first.Ran);
        Assert.Empty(same.Ran);
        Assert.Equal(first.Hashes["sum"], same.Hashes["sum"]);
        Assert.Equal(["sum", "squaring"], editB.Ran);
        Assert.Equal(11.0, editB.Value(s_sum));
        Assert.Equal(["doubling", "sum"], editA.Ran);
        Assert.Equal(7.0, editA.Value(s_sum));
        Assert.Equal(3, otherSeed.Ran.Count);
    }

    [Fact]
    public void A_second_producer_a_missing_input_a_type_mismatch_or_a_cycle_is_refused_with_the_reason()
    {
        var twice = Assert.Throws<ArgumentException>(() => new ModelGraph([Doubling(), new Fn("other", [s_a], s_doubled, (x, _) => x)], [s_a]));
        var missing = Assert.Throws<ArgumentException>(() => new ModelGraph([Sum()], [s_b]));
        var wrongType = Assert.Throws<ArgumentException>(() => new ModelGraph([Doubling()], [new Port<int>("a", "-", "An int.")]));
        var loopX = new Port<double>("x", "-", "x");
        var loopY = new Port<double>("y", "-", "y");
        var cycle = Assert.Throws<ArgumentException>(() => new ModelGraph([new Fn("fx", [loopY], loopX, (y, _) => y), new Fn("fy", [loopX], loopY, (x, _) => x)], []));
        var overwrite = Assert.Throws<ArgumentException>(() => new ModelGraph([new Fn("writes-a", [s_b], s_a, (b, _) => b)], [s_a, s_b]));

        Assert.Contains("exactly one producer", twice.Message, StringComparison.Ordinal);
        Assert.Contains("reads 'a-doubled', which is neither a baseline input nor written by a model", missing.Message, StringComparison.Ordinal);
        Assert.Contains("Double", wrongType.Message, StringComparison.Ordinal);
        Assert.Contains("cycle: fx → fy → fx", cycle.Message, StringComparison.Ordinal);
        Assert.Contains("baseline input", overwrite.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_refuses_missing_unknown_or_mistyped_baseline_inputs()
    {
        var graph = new ModelGraph([Doubling()], [s_a]);

        Assert.Contains("'a' is missing", Assert.Throws<ArgumentException>(() => graph.Run(new Dictionary<string, object>(), 0, Ct)).Message, StringComparison.Ordinal);
        Assert.Contains("'b' is not a baseline input", Assert.Throws<ArgumentException>(() => graph.Run(Inputs(1, 2), 0, Ct)).Message, StringComparison.Ordinal);
        Assert.Contains("Double", Assert.Throws<ArgumentException>(() => graph.Run(new Dictionary<string, object> { ["a"] = "1" }, 0, Ct)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_from_an_earlier_one_takes_its_unchanged_outputs_and_brings_an_incremental_model_up_to_date()
    {
        var incremental = new SumOfParts();
        var graph = new ModelGraph([Doubling(), incremental], [s_a, s_b]);
        var baseline = graph.Run(Inputs(3, 4), seed: 0, Ct);

        var editB = graph.Run(Inputs(3, 5), seed: 0, Ct, from: baseline);
        var editA = graph.Run(Inputs(1, 5), seed: 0, Ct, from: baseline);
        var editAAgain = graph.Run(Inputs(1, 5), seed: 0, Ct, from: baseline);
        var editAFromNothing = graph.Run(Inputs(1, 5), seed: 0, Ct);
        incremental.Decline = true;
        var declined = graph.Run(Inputs(1, 6), seed: 0, Ct, from: baseline);

        // Nothing to start from on the first run; the doubling's input is the baseline's, so it takes the baseline's
        // output and hash, and the sum is offered the baseline run with only b changed.
        Assert.Empty(baseline.Incremental);
        Assert.Equal(["sum-of-parts"], editB.Ran);
        Assert.Equal(["sum-of-parts"], editB.Incremental);
        Assert.Equal(baseline.Hashes["a-doubled"], editB.Hashes["a-doubled"]);
        Assert.Equal(["b"], incremental.Offers[0]);
        Assert.Equal(11.0, editB.Value(s_sum));
        // Always from the baseline: an edit of a and b names both.
        Assert.Equal(["a-doubled", "b"], incremental.Offers[1]);
        Assert.Equal(["doubling", "sum-of-parts"], editA.Ran);
        Assert.Equal(7.0, editA.Value(s_sum));
        // An exact incremental result equals a full run's, so it answers the same inputs from anywhere, or from nowhere.
        Assert.Empty(editAAgain.Ran);
        Assert.Equal(editA.Hashes["sum"], editAAgain.Hashes["sum"]);
        Assert.Empty(editAFromNothing.Ran);
        Assert.Equal(editA.Hashes["sum"], editAFromNothing.Hashes["sum"]);
        Assert.Equal(7.0, editAFromNothing.Value(s_sum));
        // Declined: the full run answers.
        Assert.Empty(declined.Incremental);
        Assert.Equal(["sum-of-parts"], declined.Ran);
        Assert.Equal(8.0, declined.Value(s_sum));
        Assert.Equal(3, incremental.Offers.Count);
        Assert.Contains("seed", Assert.Throws<ArgumentException>(() => graph.Run(Inputs(1, 6), seed: 1, Ct, from: baseline)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_exact_model_starts_from_the_nearer_run_and_a_warm_started_one_only_from_the_baseline()
    {
        var (exact, warm) = (new SumOfParts(), new WarmSum());
        var graph = new ModelGraph([Doubling(), exact, warm], [s_a, s_b]);
        var baseline = graph.Run(Inputs(3, 4), seed: 0, Ct);
        var previous = graph.Run(Inputs(1, 5), seed: 0, Ct, from: baseline);

        var edit = graph.Run(Inputs(1, 6), seed: 0, Ct, from: baseline, nearer: previous);
        var fromNothing = graph.Run(Inputs(1, 6), seed: 0, Ct);
        var reverted = graph.Run(Inputs(1, 5), seed: 0, Ct, from: baseline, nearer: edit);

        // The exact model was offered the previous edit (only b differs from it), the warm-started one the baseline.
        Assert.Equal(["b"], exact.Offers[^1]);
        Assert.Equal(["a", "b"], warm.Offers[^1]);
        Assert.Equal(["sum-of-parts"], edit.FromNearer);
        Assert.Equal(8.0, edit.Value(s_sum));
        Assert.Equal(7.0, edit.Value(s_total));
        // The exact result is cached as a full run's; the warm-started one answers only runs from the same baseline.
        Assert.Equal(["warm-sum"], fromNothing.Ran);
        Assert.Equal(edit.Hashes["sum"], fromNothing.Hashes["sum"]);
        Assert.NotEqual(edit.Hashes["total"], fromNothing.Hashes["total"]);
        // Back to the previous edit's inputs: every output from the cache, with the previous edit's hashes.
        Assert.Empty(reverted.Ran);
        Assert.Equal(previous.Hashes["sum"], reverted.Hashes["sum"]);
        Assert.Equal(previous.Hashes["total"], reverted.Hashes["total"]);
        Assert.Contains("seed", Assert.Throws<ArgumentException>(() => graph.Run(Inputs(1, 6), seed: 1, Ct, nearer: edit)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Content_hashes_depend_on_content_only()
    {
        Assert.Equal(ContentHash.Of(new Pair("x", [1.0, 2.0])), ContentHash.Of(new Pair("x", [1.0, 2.0])));
        Assert.NotEqual(ContentHash.Of(new Pair("x", [1.0, 2.0])), ContentHash.Of(new Pair("x", [1.0, 2.5])));
        Assert.Equal(64, ContentHash.Of(3.0).Length);
    }

    private static Dictionary<string, object> Inputs(double a, double b) => new() { ["a"] = a, ["b"] = b };

    private static Fn Doubling() => new("doubling", [s_a], s_doubled, (a, _) => a * 2);

    private static Fn Sum() => new("sum", [s_doubled, s_b], s_sum, (d, b) => d + b);

    private static Fn Squaring() => new("squaring", [s_b], s_squared, (b, _) => b * b);

    private sealed record Pair(string Name, IReadOnlyList<double> Values);

    /// <summary>
    /// a × 2 + b, brought up to date from an earlier run by adding the changes of its inputs (exact for these whole
    /// numbers); it records which inputs every offer named as changed.
    /// </summary>
    private sealed class SumOfParts : IIncrementalModel
    {
        public ModelDescriptor Descriptor { get; } = new("sum-of-parts", "1", "sum of parts", [s_doubled, s_b], [s_sum]);

        public List<string[]> Offers { get; } = [];

        public bool Decline { get; set; }

        public void Run(ModelRun run, CancellationToken cancellationToken) => run.Output(s_sum, run.Input(s_doubled) + run.Input(s_b));

        public bool TryRunIncremental(ModelRun run, PreviousRun previous, CancellationToken cancellationToken)
        {
            Offers.Add([.. previous.Changed.Order(StringComparer.Ordinal)]);
            if (Decline)
            {
                return false;
            }

            var change = (run.Input(s_doubled) - previous.Input(s_doubled)) + (run.Input(s_b) - previous.Input(s_b));
            run.Output(s_sum, previous.Output(s_sum) + change);
            return true;
        }
    }

    /// <summary>a + b, warm-started: brought up to date from an earlier run by adding the changes (it records every offer's changed inputs).</summary>
    private sealed class WarmSum : IWarmStartedModel
    {
        public ModelDescriptor Descriptor { get; } = new("warm-sum", "1", "warm sum", [s_a, s_b], [s_total]);

        public List<string[]> Offers { get; } = [];

        public void Run(ModelRun run, CancellationToken cancellationToken) => run.Output(s_total, run.Input(s_a) + run.Input(s_b));

        public bool TryRunIncremental(ModelRun run, PreviousRun previous, CancellationToken cancellationToken)
        {
            Offers.Add([.. previous.Changed.Order(StringComparer.Ordinal)]);
            run.Output(s_total, previous.Output(s_total) + (run.Input(s_a) - previous.Input(s_a)) + (run.Input(s_b) - previous.Input(s_b)));
            return true;
        }
    }

    /// <summary>A model of one or two numbers.</summary>
    private sealed class Fn(string id, Port<double>[] inputs, Port<double> output, Func<double, double, double> f) : IImpactModel
    {
        public ModelDescriptor Descriptor { get; } = new(id, "1", id, inputs, [output]);

        public void Run(ModelRun run, CancellationToken cancellationToken) =>
            run.Output(output, f(run.Input(inputs[0]), inputs.Length > 1 ? run.Input(inputs[1]) : 0));
    }
}
