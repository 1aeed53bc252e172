using NetTopologySuite;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Scenarios;
using Tweeling.Ingestion.DemoCity;
using Tweeling.Models.City;
using Tweeling.Models.Scenario;
using Tweeling.Storage.Sqlite;
using Tweeling.TestSupport;

namespace Tweeling.Models.Tests.Scenario;

/// <summary>
/// A real SQLite store filled with the demo city (scale 1, seed 1, reference date 2024-01-01), the baseline read from
/// it once, and one runner over the full model graph: shared by the scenario engine's test classes.
/// </summary>
public sealed class DemoCityStore : IAsyncLifetime
{
    public static readonly DateOnly ReferenceDate = new(2024, 1, 1);

    /// <summary>
    /// The demo's station area: 400 × 300 m south of the Binnenstad, between 1.1 and 1.4 km south of the corner where the
    /// old town meets the rivers (docs/scenarios.md), the area of the end-to-end case.
    /// </summary>
    public static Polygon StationArea => Box(104_900, 424_250, 105_300, 424_550);

    private readonly TempDirectory _directory = new();

    public static GeometryFactory Factory { get; } = new NtsGeometryServices(new PrecisionModel(), 28992).CreateGeometryFactory(28992);

    public SqliteTwinStore Store { get; private set; } = null!;

    public CityBaseline City { get; private set; } = null!;

    public ScenarioRunner Runner { get; private set; } = null!;

    public static Polygon Box(double minX, double minY, double maxX, double maxY) =>
        Factory.CreatePolygon([new(minX, minY), new(maxX, minY), new(maxX, maxY), new(minX, maxY), new(minX, minY)]);

    /// <summary>A scenario version with <paramref name="interventions"/> at the demo's reference date.</summary>
    public static ScenarioVersion Version(params Intervention[] interventions) => new(
        1, 1, "test", null, ReferenceDate, interventions, ScenarioContent.Hash(ReferenceDate, interventions), DateTimeOffset.UnixEpoch);

    public async ValueTask InitializeAsync()
    {
        var services = new NtsGeometryServices(new PrecisionModel(), 28992);
        Store = await SqliteTwinStore.OpenAsync(_directory.File("demo.sqlite"), services, CancellationToken.None);
        var city = DemoCityGenerator.Generate(new DemoCityOptions(1, 1, ReferenceDate), services);
        await using (var transaction = await Store.BeginAsync(CancellationToken.None))
        {
            await DemoCityWriter.WriteAsync(city, transaction, null, CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        }

        City = await CityBaseline.ReadAsync(Store, Store, ReferenceDate, CancellationToken.None);
        Runner = new ScenarioRunner(ScenarioModels.Graph(ScenarioModels.Create()), Store, Store, ScenarioModels.Reporters());
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        _directory.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class DemoCityStoreCollection : ICollectionFixture<DemoCityStore>
{
    public const string Name = "demo city store";
}
