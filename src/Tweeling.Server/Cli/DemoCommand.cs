using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Tweeling.Domain.Ports;
using Tweeling.Ingestion.DemoCity;
using Tweeling.Server.Hosting;

namespace Tweeling.Server.Cli;

/// <summary><c>tweeling demo</c>: generates the synthetic demo city into a store.</summary>
internal static class DemoCommand
{
    /// <summary>
    /// The demo city's reference date: fixed, so a seed always yields the same city, and equal to the
    /// date of the CBS 2024 figures the real-data importers load beside it.
    /// </summary>
    public static readonly DateOnly ReferenceDate = new(2024, 1, 1);

    public static DemoCityOptions DefaultOptions { get; } = new(Scale: 1, Seed: 1, ReferenceDate: ReferenceDate);

    private static readonly Option<int> s_scale = new("--scale")
    {
        Description = "Size factor: 1 is a city of Dordrecht's size (about 120,000 inhabitants), 10 one of Rotterdam's.",
        DefaultValueFactory = _ => 1,
    };

    private static readonly Option<int> s_seed = new("--seed")
    {
        Description = "Random seed: the same seed and scale always give the same city.",
        DefaultValueFactory = _ => 1,
    };

    public static Command Create()
    {
        var command = new Command("demo", "Generate the synthetic demo city (clearly labelled as synthetic) into the store.")
        {
            s_scale,
            s_seed,
        };
        command.SetAction((result, cancellationToken) => RunAsync(result.GetValue(TweelingCli.Store)!, result.GetValue(s_scale), result.GetValue(s_seed), cancellationToken));
        return command;
    }

    /// <summary>Generates the demo city and writes it into <paramref name="writer"/> in one transaction, with a progress bar.</summary>
    public static async Task<DemoCity> SeedAsync(ITwinWriter writer, DemoCityOptions options, CancellationToken cancellationToken)
    {
        DemoCity? city = null;
        await TweelingCli.Terminal.Progress().AutoClear(true).StartAsync(async progress =>
        {
            var generating = progress.AddTask("Generating the demo city", maxValue: 1);
            city = DemoCityGenerator.Generate(options, TwinHost.GeometryServices, new Progress<DemoProgress>(p =>
            {
                generating.Description = "Generating: " + p.Stage;
                generating.Value = p.Fraction;
            }));
            generating.Value = 1;

            var writing = progress.AddTask("Writing to the store", maxValue: 1);
            await using var transaction = await writer.BeginAsync(cancellationToken);
            await DemoCityWriter.WriteAsync(city, transaction, new Progress<DemoProgress>(p =>
            {
                writing.Description = "Writing: " + p.Stage;
                writing.Value = p.Fraction;
            }), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            writing.Value = 1;
        });
        return city!;
    }

    private static async Task<int> RunAsync(string storePath, int scale, int seed, CancellationToken cancellationToken)
    {
        if (scale is < 1 or > 1000)
        {
            TweelingCli.Error($"--scale must be between 1 and 1000; got {scale}.");
            return TweelingCli.UserError;
        }

        if (await TweelingCli.OpenStoreAsync(storePath, cancellationToken) is not { } store)
        {
            return TweelingCli.EnvironmentError;
        }

        await using (store)
        {
            var clock = Stopwatch.StartNew();
            var city = await SeedAsync(store, DefaultOptions with { Scale = scale, Seed = seed }, cancellationToken);
            TweelingCli.Terminal.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                $"Demo city (scale {scale}, seed {seed}) written to {store.Path}: {city.Features.Count:N0} features, {city.IndicatorValues.Count:N0} indicator values in {clock.Elapsed.TotalSeconds:F1} s.");
        }

        return 0;
    }
}
