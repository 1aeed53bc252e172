using NetTopologySuite.Geometries;
using Tweeling.Domain.Features;
using static System.FormattableString;

namespace Tweeling.Ingestion.DemoCity;

/// <summary>
/// Builds one demo city in stages (layout, roads, buildings, facilities, green, assets). Every stage draws
/// from its own seeded <see cref="Random"/>, so a change in one stage does not reshuffle the others.
/// </summary>
internal sealed partial class CityBuilder
{
    /// <summary>Dwellings at scale 1 (Dordrecht has about 57,000).</summary>
    public const int DwellingsPerScale = 57_000;

    private const double RoadMargin = 5;
    private const double PlotMargin = 1.5;

    private readonly DemoCityOptions _options;
    private readonly IProgress<DemoProgress>? _progress;
    private readonly CityLayout _layout;
    private readonly GeometryFactory _factory;
    private readonly ValidityInterval _validity;
    private readonly int _referenceYear;

    private readonly List<Feature> _areas = [];
    private readonly List<Feature> _panden = [];
    private readonly List<Feature> _voorzieningen = [];
    private readonly List<Feature> _wegvakken = [];
    private readonly List<Feature> _groenvlakken = [];
    private readonly List<Feature> _bomen = [];
    private readonly List<Feature> _beheerobjecten = [];

    // Grid edges. Horizontal edge (i, j) joins nodes (i, j) and (i + 1, j); vertical edge (i, j) joins (i, j) and (i, j + 1).
    private readonly RoadClass[] _hRoad;
    private readonly RoadClass[] _vRoad;
    private readonly List<RoadLink> _links = [];

    /// <summary>What each cell holds once the buildings are placed.</summary>
    private readonly CellUse[] _cellUse;

    public CityBuilder(DemoCityOptions options, GeometryFactory factory, IProgress<DemoProgress>? progress)
    {
        _options = options;
        _progress = progress;
        _factory = factory;
        _referenceYear = options.ReferenceDate.Year;
        _validity = new ValidityInterval(new DateTimeOffset(options.ReferenceDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        Report("indeling", 0);
        _layout = new CityLayout(options.Scale, factory, StageRandom(1));
        _hRoad = new RoadClass[_layout.Nx * (_layout.Ny + 1)];
        _vRoad = new RoadClass[(_layout.Nx + 1) * _layout.Ny];
        _cellUse = new CellUse[_layout.Nx * _layout.Ny];
    }

    public CityLayout Layout => _layout;

    /// <summary>All features, grouped by collection in the order the API lists the collections.</summary>
    public List<Feature> CollectFeatures() =>
        [.. _areas, .. _panden, .. _voorzieningen, .. _wegvakken, .. _groenvlakken, .. _bomen, .. _beheerobjecten];

    public void Build()
    {
        AddAreas();
        Report("wegen", 0.05);
        PlanRoads();
        Report("panden", 0.15);
        PlaceBuildings(StageRandom(3));
        Report("voorzieningen", 0.45);
        PlaceFacilities(StageRandom(4));
        Report("wegvakken", 0.5);
        AddRoadLinks(StageRandom(5));
        AddAddresses();
        Report("bomen", 0.55);
        PlantTrees(StageRandom(6));
        Report("groenvlakken", 0.65);
        AddLandCover();
        Report("beheerobjecten", 0.9);
        AddAssets(StageRandom(8));
        RenewBuildings(StageRandom(9));
    }

    public void Report(string stage, double fraction) => _progress?.Report(new DemoProgress(stage, fraction));

    private Random StageRandom(int stage) => new(unchecked((_options.Seed * 1_000_003) + (stage * 7_919)));

    private Feature NewFeature(string collection, string id, Geometry geometry, Dictionary<string, object?> properties) =>
        new(collection, id, geometry, properties, _validity, DemoCatalog.DatasetId);

    private void AddAreas()
    {
        _areas.Add(NewFeature(TwinCollections.Gemeenten, DemoCity.GemeenteCode, _layout.Gemeente, new()
        {
            ["code"] = DemoCity.GemeenteCode,
            ["naam"] = DemoCatalog.GemeenteNaam,
        }));
        foreach (var wijk in _layout.Wijken)
        {
            _areas.Add(NewFeature(TwinCollections.Wijken, wijk.Code, wijk.Geometry, new()
            {
                ["code"] = wijk.Code,
                ["naam"] = wijk.Name,
                ["gemeentecode"] = DemoCity.GemeenteCode,
            }));
        }

        foreach (var buurt in _layout.Buurten)
        {
            _areas.Add(NewFeature(TwinCollections.Buurten, buurt.Code, buurt.Geometry, new()
            {
                ["code"] = buurt.Code,
                ["naam"] = buurt.Name,
                ["wijkcode"] = buurt.Wijk.Code,
                ["gemeentecode"] = DemoCity.GemeenteCode,
            }));
        }
    }

    private static bool IsUrban(Zone zone) => zone is Zone.Centrum or Zone.Naoorlogs or Zone.Buitenwijk;

    private Zone CellZone(int i, int j) => _layout.CellBuurt[_layout.CellIndex(i, j)].Wijk.Zone;

    /// <summary>Whether a side of cell (i, j) carries a road: 0 south, 1 east, 2 north, 3 west.</summary>
    private bool HasRoad(int i, int j, int side) => side switch
    {
        0 => _hRoad[(j * _layout.Nx) + i] != RoadClass.None,
        1 => _vRoad[(j * (_layout.Nx + 1)) + i + 1] != RoadClass.None,
        2 => _hRoad[((j + 1) * _layout.Nx) + i] != RoadClass.None,
        _ => _vRoad[(j * (_layout.Nx + 1)) + i] != RoadClass.None,
    };

    /// <summary>The part of cell (i, j) that buildings and gardens may use: 5 m clear of a road's centre line, 1.5 m of a plot boundary.</summary>
    private Envelope Inner(int i, int j)
    {
        var x0 = _layout.LineX(i);
        var y0 = _layout.LineY(j);
        return new Envelope(
            x0 + (HasRoad(i, j, 3) ? RoadMargin : PlotMargin),
            x0 + CityLayout.CellSize - (HasRoad(i, j, 1) ? RoadMargin : PlotMargin),
            y0 + (HasRoad(i, j, 0) ? RoadMargin : PlotMargin),
            y0 + CityLayout.CellSize - (HasRoad(i, j, 2) ? RoadMargin : PlotMargin));
    }

    private static string Id(string prefix, int number) => Invariant($"{prefix}{number:D7}");

    /// <summary>Condition on the NEN 2767 scale (1 excellent … 6 very bad): worse with age, with scatter.</summary>
    private int Condition(Random random, int builtYear)
    {
        var age = Math.Max(0, _referenceYear - builtYear);
        var score = 1 + (age / 14.0) + ((random.NextDouble() - 0.5) * 2);
        return Math.Clamp((int)Math.Round(score), 1, 6);
    }

    private static double Round1(double value) => Math.Round(value, 1);
}

/// <summary>Road classes of the Dutch Duurzaam Veilig categorisation, plus cycle paths.</summary>
internal enum RoadClass : byte
{
    None,
    Stroomweg,
    Gebiedsontsluitingsweg,
    Erftoegangsweg,
    Fietspad,
}

/// <summary>What a cell holds.</summary>
internal enum CellUse : byte
{
    Free,
    Built,
    Facility,
    Green,
    Water,
}

/// <summary>A planned road link before it becomes a feature; trees and street lights are placed along it.</summary>
internal sealed record RoadLink(LineString Geometry, RoadClass Class, Zone Zone, bool IsBridge, string Name);
