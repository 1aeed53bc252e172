using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;
using Tweeling.Domain.Alerts;
using Tweeling.Domain.Geo;
using Tweeling.Governance.Access;
using Tweeling.Governance.Audit;
using Tweeling.Ingestion.DemoCity;
using Tweeling.Ingestion.DemoCity.Feeds;
using Tweeling.Server.Features.Live;
using Tweeling.Server.Features.SensorThings;
using Tweeling.Server.Hosting;
using Tweeling.Storage.Sqlite;

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

    /// <summary>Days of sensor history generated with the demo city unless asked otherwise.</summary>
    public const int DefaultHistoryDays = 7;

    private static readonly Option<int> s_historyDays = new("--history-days")
    {
        Description = "Days of simulated sensor readings to backfill, up to now.",
        DefaultValueFactory = _ => DefaultHistoryDays,
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
            s_historyDays,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            result.GetValue(TweelingCli.Store)!, result.GetValue(s_scale), result.GetValue(s_seed), result.GetValue(s_historyDays), cancellationToken));
        return command;
    }

    /// <summary>
    /// Generates the demo city and writes it into <paramref name="store"/> in one transaction, with the
    /// catalog dataset of its sensors, then its simulated sensors with <paramref name="historyDays"/> days
    /// of readings up to now. The three phases (city, store, sensors) report to <paramref name="progress"/>
    /// when one is given.
    /// </summary>
    public static async Task<DemoSeed> SeedAsync(
        SqliteTwinStore store, DemoCityOptions options, int historyDays, TimeProvider time, CancellationToken cancellationToken,
        SeedProgress? progress = null)
    {
        var city = DemoCityGenerator.Generate(options, TwinHost.GeometryServices, progress?.City);
        var audited = new AuditedTwinWriter(store, written => AuditEntries.For(
            new Caller(Role.Beheerder, Subject: AuditEntries.CommandLineSubject), time.GetUtcNow(), "create",
            $"tweeling demo: synthetic demo city (seed {options.Seed}), datasets {string.Join(", ", written.DatasetIds)}", written.Features, "features"));
        await using (var transaction = await audited.BeginAsync(cancellationToken))
        {
            await DemoCityWriter.WriteAsync(city, transaction, progress?.Store, cancellationToken);
            // The sensors created below name this dataset; registered with the city, so no Thing ever names a missing one.
            await transaction.PutDatasetAsync(DemoSensorCatalog.Create(options), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var now = time.GetUtcNow();
        var streams = await DemoSensorWriter.CreateAsync(
            SensorPlacement.Place(city, options.Seed), options.Seed, store.Sensors, new CrsTransformer(TwinHost.GeometryServices), now.AddDays(-historyDays), cancellationToken);
        foreach (var threshold in DemoThresholds.For(streams))
        {
            await store.Alerts.AddThresholdAsync(threshold, cancellationToken);
        }

        // The history is judged as the server judges live readings, so the alert history starts with it.
        // Nobody listens while seeding: the bus only satisfies the decorator.
        // Like the live feed's readings, each one gets the FeatureOfInterest derived from its sensor's Location.
        var judged = new FeatureDerivingObservationStore(
            new PublishingObservationStore(store.Sensors, new ObservationBus(), new AlertMonitor(store.Alerts, time), NullLogger<PublishingObservationStore>.Instance),
            new DerivedFeatureCache(store.Sensors, new SensorModelRevision()));
        var readings = await DemoSensorWriter.BackfillAsync(
            streams, new SignalModel(options.Seed), now.AddDays(-historyDays), now, judged, progress?.Sensors, cancellationToken);
        return new DemoSeed(city, streams.Count, readings);
    }

    /// <summary><see cref="SeedAsync"/> with a progress bar per phase on the terminal, for the command line.</summary>
    public static async Task<DemoSeed> SeedWithProgressBarsAsync(
        SqliteTwinStore store, DemoCityOptions options, int historyDays, TimeProvider time, CancellationToken cancellationToken)
    {
        DemoSeed? seed = null;
        await TweelingCli.Terminal.Progress().AutoClear(true).StartAsync(async bars =>
        {
            var progress = new SeedProgress(
                Reporter(bars.AddTask("Generating the demo city", maxValue: 1), "Generating"),
                Reporter(bars.AddTask("Writing to the store", maxValue: 1), "Writing"),
                Reporter(bars.AddTask("Simulated sensors", maxValue: 1), "Sensors"));
            seed = await SeedAsync(store, options, historyDays, time, cancellationToken, progress);
        });
        return seed!;
    }

    private static Progress<DemoProgress> Reporter(ProgressTask task, string verb) => new(p =>
    {
        task.Description = $"{verb}: {p.Stage}";
        task.Value = p.Fraction;
    });

    private static async Task<int> RunAsync(string storePath, int scale, int seed, int historyDays, CancellationToken cancellationToken)
    {
        if (scale is < 1 or > 1000)
        {
            TweelingCli.Error($"--scale must be between 1 and 1000; got {scale}.");
            return TweelingCli.UserError;
        }

        if (historyDays is < 0 or > 3660)
        {
            TweelingCli.Error($"--history-days must be between 0 and 3660; got {historyDays}.");
            return TweelingCli.UserError;
        }

        if (await TweelingCli.OpenStoreAsync(storePath, cancellationToken) is not { } store)
        {
            return TweelingCli.EnvironmentError;
        }

        await using (store)
        {
            var clock = Stopwatch.StartNew();
            var written = await SeedWithProgressBarsAsync(store, DefaultOptions with { Scale = scale, Seed = seed }, historyDays, TimeProvider.System, cancellationToken);
            TweelingCli.Terminal.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                $"Demo city (scale {scale}, seed {seed}) written to {store.Path}: {written.City.Features.Count:N0} features, {written.City.IndicatorValues.Count:N0} indicator values, {written.Sensors} simulated sensors with {written.Readings:N0} readings over {historyDays} days, in {clock.Elapsed.TotalSeconds:F1} s.");
        }

        return 0;
    }
}

/// <summary>What <see cref="DemoCommand.SeedAsync"/> wrote.</summary>
/// <param name="City">The generated city.</param>
/// <param name="Sensors">How many simulated sensors.</param>
/// <param name="Readings">How many readings were backfilled.</param>
internal sealed record DemoSeed(DemoCity City, int Sensors, long Readings);

/// <summary>Where <see cref="DemoCommand.SeedAsync"/> reports each phase's progress.</summary>
/// <param name="City">Generating the city.</param>
/// <param name="Store">Writing it to the store.</param>
/// <param name="Sensors">Creating the sensors and backfilling their readings.</param>
internal sealed record SeedProgress(IProgress<DemoProgress> City, IProgress<DemoProgress> Store, IProgress<DemoProgress> Sensors);
