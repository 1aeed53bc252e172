using Tweeling.Models.Graph;

namespace Tweeling.Models.Tests.Graph;

public sealed class ModelRunTests
{
    private static readonly Port<double> s_input = new("ingang", "-", "A number in.");
    private static readonly Port<double> s_output = new("uitgang", "-", "The number doubled.");
    private static readonly Port<double> s_undeclared = new("elders", "-", "A port the model does not declare.");

    [Fact]
    public void A_run_hands_the_declared_inputs_and_returns_the_declared_outputs()
    {
        var outputs = Execute(new Doubling(), new Dictionary<string, object> { ["ingang"] = 21.0 });

        Assert.Equal(42.0, outputs["uitgang"]);
    }

    [Fact]
    public void A_missing_or_mistyped_input_is_named()
    {
        var missing = Assert.Throws<ArgumentException>(() => Execute(new Doubling(), new Dictionary<string, object>()));
        var mistyped = Assert.Throws<ArgumentException>(() => Execute(new Doubling(), new Dictionary<string, object> { ["ingang"] = "21" }));

        Assert.Contains("'ingang'", missing.Message, StringComparison.Ordinal);
        Assert.Contains("Double", mistyped.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_may_not_read_or_write_a_port_it_does_not_declare_nor_skip_an_output()
    {
        var inputs = new Dictionary<string, object> { ["ingang"] = 1.0, ["elders"] = 2.0 };

        Assert.Throws<InvalidOperationException>(() => Execute(new Doubling(run => run.Input(s_undeclared)), inputs));
        Assert.Throws<InvalidOperationException>(() => Execute(new Doubling(run => run.Output(s_undeclared, 1.0)), inputs));
        var skipped = Assert.Throws<InvalidOperationException>(() => Execute(new Silent(), inputs));
        Assert.Contains("uitgang", skipped.Message, StringComparison.Ordinal);
    }

    private static IReadOnlyDictionary<string, object> Execute(IImpactModel model, Dictionary<string, object> inputs) =>
        ModelRun.Execute(model, inputs, seed: 0, TestContext.Current.CancellationToken);

    private sealed class Doubling(Action<ModelRun>? extra = null) : IImpactModel
    {
        public ModelDescriptor Descriptor { get; } = new("verdubbelaar", "1", "Doubles a number", [s_input], [s_output]);

        public void Run(ModelRun run, CancellationToken cancellationToken)
        {
            extra?.Invoke(run);
            run.Output(s_output, run.Input(s_input) * 2);
        }
    }

    private sealed class Silent : IImpactModel
    {
        public ModelDescriptor Descriptor { get; } = new("stil", "1", "Writes nothing", [s_input], [s_output]);

        public void Run(ModelRun run, CancellationToken cancellationToken) => _ = run.Input(s_input);
    }
}
