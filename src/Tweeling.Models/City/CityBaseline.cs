using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Features;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Scenarios;
using Tweeling.Models.AirQuality;
using Tweeling.Models.Graph;
using Tweeling.Models.Green;
using Tweeling.Models.Heat;
using Tweeling.Models.Noise;

namespace Tweeling.Models.City;

/// <summary>One building (a <c>panden</c> feature) as the scenario engine needs it.</summary>
/// <param name="Id">The <c>panden</c> id.</param>
/// <param name="Footprint">The footprint in RD New, metres.</param>
/// <param name="Buurtcode">The buurt it lies in.</param>
/// <param name="Function">Its main use (<c>functie</c>: wonen, winkel, kantoor, …).</param>
/// <param name="Storeys">Its storeys (<c>bouwlagen</c>), at least 1.</param>
/// <param name="Dwellings">Its dwellings (<c>woningen</c>), 0 for none.</param>
/// <param name="Jobs">The jobs it holds by <see cref="CityBaseline.FloorAreaPerJob"/> (0 for dwellings).</param>
public sealed record CityBuilding(string Id, Geometry Footprint, string Buurtcode, string Function, int Storeys, int Dwellings, double Jobs);

/// <summary>
/// The baseline city as of one reference date, read once through the store ports (<see cref="IFeatureStore"/>,
/// <see cref="IIndicatorStore"/>): buurten, buildings and dwellings, roads, facilities, land cover, trees and the buurt
/// figures, with every baseline port value derived from them. <see cref="Inputs"/> applies a scenario's interventions
/// and returns the values of every baseline port of the model graph; ports no intervention touches keep the very
/// instances of the baseline, so their content hashes are computed once.
/// </summary>
public sealed partial class CityBaseline
{
    /// <summary>The collections the baseline reads; a write to any of them makes the next run read the city again.</summary>
    public static IReadOnlyList<string> Collections { get; } =
        [TwinCollections.Gemeenten, TwinCollections.Buurten, TwinCollections.Panden, TwinCollections.Wegvakken, TwinCollections.Voorzieningen, TwinCollections.Groenvlakken, TwinCollections.Bomen];

    /// <summary>The side of a heat-grid cell in metres: the heat model's 100 m (docs/models/hitte.md).</summary>
    public const double HeatCellSizeM = 100;

    /// <summary>
    /// Gross floor area per job by building function, m² [A]: order-of-magnitude workplace densities (offices dense,
    /// halls and sports sparse), so the attraction of trips follows the non-residential floor area. Not calibrated on
    /// employment figures (LISA); a municipality with jobs per buurt should read those instead.
    /// </summary>
    public static IReadOnlyDictionary<string, double> FloorAreaPerJob { get; } = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["kantoor"] = 25,
        ["winkel"] = 40,
        ["zorg"] = 45,
        ["onderwijs"] = 60,
        ["bijeenkomst"] = 80,
        ["industrie"] = 100,
        ["sport"] = 150,
        ["overig"] = 150,
    };

    /// <summary>
    /// The urban background of Zuid-Holland (µg/m³), the middle of the ranges in shared/reference/models.md §1 (NO2 15–20,
    /// PM10 15–17, PM2.5 8–10) [M], and the ozone of its worked example (45): one value for the city until the RIVM GCN
    /// grid is read per receptor.
    /// </summary>
    public static AirBackground Background { get; } = new(17.5, 16, 9, 45);

    private readonly Lazy<string> _identity;

    private CityBaseline(
        DateOnly referenceDate,
        string municipalityCode,
        Envelope extent,
        IReadOnlyList<BuurtArea> buurten,
        IReadOnlyList<CityBuilding> buildings,
        IReadOnlyList<RoadLink> roads,
        IReadOnlyList<Facility> facilities,
        IReadOnlyList<(string Id, Geometry Area, Heat.LandCover Cover)> cover,
        IReadOnlyList<TreeLocation> trees,
        IReadOnlyList<BuurtStatistics> statistics,
        IReadOnlyList<BuurtLowIncome> lowIncome,
        IReadOnlyList<DwellingStock> dwellings,
        ConcurrentDictionary<string, TimeSpan> readTimings)
    {
        ReadTimings = readTimings;
        ReferenceDate = referenceDate;
        MunicipalityCode = municipalityCode;
        Extent = extent;
        Buurten = buurten;
        Buildings = buildings;
        Roads = roads;
        Facilities = facilities;
        Trees = trees;
        Statistics = statistics;
        LowIncome = lowIncome;
        Dwellings = dwellings;
        var locator = new BuurtLocator(buurten);
        Locator = locator;
        Cover = cover;
        // The three slow derivations (the green merged per buurt, 80,000 crown polygons, a façade point per dwelling
        // building) are independent: side by side, each into its own list, so the result is the same on any core count.
        List<GreenSpace> publicGreen = [];
        List<LandCoverArea> treeCover = [];
        IReadOnlyList<NoiseReceptor> noiseReceptors = [];
        Parallel.Invoke(
            () => publicGreen = Timed(readTimings, "green merged per buurt", () => MergedGreen(cover, locator)),
            () => treeCover = Timed(readTimings, "crown polygons", () => trees.Select(TreeCanopy).ToList()),
            () => noiseReceptors = Timed(readTimings, "façade points", () => FacadePoints.NearestToRoad(buildings.Where(b => b.Dwellings > 0).Select(b => (b.Id, b.Footprint)), roads)));
        var started = Stopwatch.GetTimestamp();
        PublicGreen = publicGreen;
        TreeCover = treeCover;
        BuildingCover = [.. buildings.Select(b => new LandCoverArea(b.Footprint, LandCover.Building))];
        BaselineLandCover = [.. cover.Select(c => new LandCoverArea(c.Area, c.Cover)), .. BuildingCover, .. TreeCover];
        NoiseReceptors = noiseReceptors;
        AirReceptors = [.. NoiseReceptors.Select(r => new AirReceptor(r.Id, r.Location))];
        Zones = [.. buurten.Select(b => new Traffic.TrafficZone(b.Code, b.Area.InteriorPoint))];
        ZoneJobs = buildings.GroupBy(b => b.Buurtcode, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(b => b.Jobs), StringComparer.Ordinal);
        HeatGrid = new HeatGrid(
            extent.MinX, extent.MinY, Math.Max(1, (int)Math.Ceiling(extent.Width / HeatCellSizeM)), Math.Max(1, (int)Math.Ceiling(extent.Height / HeatCellSizeM)), HeatCellSizeM);
        Baseline = Inputs([]);
        readTimings["baseline ports"] = Stopwatch.GetElapsedTime(started);
        _identity = new Lazy<string>(() => ContentHash.Combine(
            [.. Baseline.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + ContentHash.Of(p.Value)), "buildings=" + ContentHash.Of(Buildings)]));
    }

    /// <summary>
    /// The content hash of the city: of every baseline port and of the buildings (whose use and storeys give the jobs
    /// an intervention moves, and which no port holds whole). What a scenario port derived from this city is hashed by
    /// (<see cref="InputHashes"/>); computed once, on first use.
    /// </summary>
    public string Identity => _identity.Value;

    /// <summary>The reference date the city was read as of.</summary>
    public DateOnly ReferenceDate { get; }

    /// <summary>The CBS code of the municipality (<c>GM…</c>).</summary>
    public string MunicipalityCode { get; }

    /// <summary>The municipality's bounding box, RD New.</summary>
    public Envelope Extent { get; }

    /// <summary>The buurten of the municipality, by code.</summary>
    public IReadOnlyList<BuurtArea> Buurten { get; }

    /// <summary>The buildings.</summary>
    public IReadOnlyList<CityBuilding> Buildings { get; }

    /// <summary>The road network.</summary>
    public IReadOnlyList<RoadLink> Roads { get; }

    /// <summary>The facilities.</summary>
    public IReadOnlyList<Facility> Facilities { get; }

    /// <summary>The trees.</summary>
    public IReadOnlyList<TreeLocation> Trees { get; }

    /// <summary>The buurt figures (<c>inwoners</c>, <c>huishoudens</c>, <c>leeftijd_*</c>) at the reference date.</summary>
    public IReadOnlyList<BuurtStatistics> Statistics { get; }

    /// <summary>The observed share of low-income households per buurt (<c>huishoudens_laag_inkomen_pct</c>) at the reference date.</summary>
    public IReadOnlyList<BuurtLowIncome> LowIncome { get; }

    /// <summary>The dwelling stock: one entry per building with dwellings.</summary>
    public IReadOnlyList<DwellingStock> Dwellings { get; }

    /// <summary>
    /// The wall time of each phase of the read that built this city (store reads per collection, the buildings with
    /// their buurten, the derived ports): what the <c>scenario</c> benchmark reports per phase. The store reads and
    /// the three derivations run side by side, so their times overlap.
    /// </summary>
    public IReadOnlyDictionary<string, TimeSpan> ReadTimings { get; }

    /// <summary>The values of every baseline port without interventions.</summary>
    public IReadOnlyDictionary<string, object> Baseline { get; }

    /// <summary>Finds the buurt of a point.</summary>
    internal BuurtLocator Locator { get; }

    private IReadOnlyList<(string Id, Geometry Area, Heat.LandCover Cover)> Cover { get; }

    private IReadOnlyList<GreenSpace> PublicGreen { get; }

    private IReadOnlyList<LandCoverArea> TreeCover { get; }

    private IReadOnlyList<LandCoverArea> BuildingCover { get; }

    private IReadOnlyList<LandCoverArea> BaselineLandCover { get; }

    private IReadOnlyList<NoiseReceptor> NoiseReceptors { get; }

    private IReadOnlyList<AirReceptor> AirReceptors { get; }

    private IReadOnlyList<Traffic.TrafficZone> Zones { get; }

    private Dictionary<string, double> ZoneJobs { get; }

    private HeatGrid HeatGrid { get; }

    /// <summary>
    /// Reads the city valid at the start (00:00 UTC) of <paramref name="referenceDate"/>: the municipality (the first
    /// <c>gemeenten</c> feature by code), its buurten, panden, wegvakken, voorzieningen, groenvlakken and bomen, and the
    /// buurt figures with the latest reference date on or before it.
    /// </summary>
    /// <exception cref="ScenarioInputException">The store holds no municipality or no buurten at that date.</exception>
    public static async Task<CityBaseline> ReadAsync(IFeatureStore features, IIndicatorStore indicators, DateOnly referenceDate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(indicators);
        var at = TemporalFilter.At(new DateTimeOffset(referenceDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        var timings = new ConcurrentDictionary<string, TimeSpan>(StringComparer.Ordinal);
        // One query a collection, not pages: the store lists every match of the collection for each page, so n features
        // in pages of p cost n²/p (at scale 10, 800,000 bomen in pages of 50,000 listed 16 × 800,000 ids, several times
        // the cost of reading the rows). The whole collection is held in memory by the city anyway.
        async Task<IReadOnlyList<Feature>> Read(string collection)
        {
            var started = Stopwatch.GetTimestamp();
            var all = await features.QueryAsync(new FeatureQuery(collection, at, Limit: int.MaxValue), cancellationToken).ConfigureAwait(false);
            timings["store " + collection] = Stopwatch.GetElapsedTime(started);
            return all.Items;
        }

        // Every collection at once, each on its own thread and store connection: the store's reads are synchronous under
        // their async face (SQLite), and decoding tens of thousands of geometries and property sets is most of the read.
        var read = Collections.ToDictionary(c => c, c => Task.Run(() => Read(c), cancellationToken), StringComparer.Ordinal);
        await Task.WhenAll(read.Values).ConfigureAwait(false);
        Task<IReadOnlyList<Feature>> All(string collection) => read[collection];

        var municipality = (await All(TwinCollections.Gemeenten).ConfigureAwait(false)).OrderBy(f => Text(f, "code") ?? f.Id, StringComparer.Ordinal).FirstOrDefault()
            ?? throw new ScenarioInputException($"The store holds no municipality (gemeenten) valid on {referenceDate:yyyy-MM-dd}.");
        var municipalityCode = Text(municipality, "code") ?? municipality.Id;
        var buurten = (await All(TwinCollections.Buurten).ConfigureAwait(false))
            .Where(f => Text(f, "gemeentecode") is null || Text(f, "gemeentecode") == municipalityCode)
            .Select(f => new BuurtArea(Text(f, "code") ?? f.Id, f.Geometry))
            .OrderBy(b => b.Code, StringComparer.Ordinal)
            .ToList();
        if (buurten.Count == 0)
        {
            throw new ScenarioInputException($"The store holds no buurten of {municipalityCode} valid on {referenceDate:yyyy-MM-dd}.");
        }

        var buildingsStarted = Stopwatch.GetTimestamp();
        var locator = new BuurtLocator(buurten);
        string BuurtOf(Feature f) => Text(f, "buurtcode") is { } code && locator.Has(code) ? code : locator.Find(f.Geometry.InteriorPoint);

        var buildings = new List<CityBuilding>();
        var dwellings = new List<DwellingStock>();
        foreach (var f in await All(TwinCollections.Panden).ConfigureAwait(false))
        {
            var function = Text(f, "functie") ?? "overig";
            var storeys = (int)Math.Max(1, Number(f, "bouwlagen") ?? 1);
            var count = (int)Math.Max(0, Number(f, "woningen") ?? 0);
            var buurt = BuurtOf(f);
            // Jobs from the floor area of non-residential buildings; a shop with flats above counts as a shop.
            var jobs = function != "wonen" && FloorAreaPerJob.TryGetValue(function, out var perJob) ? f.Geometry.Area * storeys / perJob : 0;
            buildings.Add(new CityBuilding(f.Id, f.Geometry, buurt, function, storeys, count, jobs));
            if (count > 0)
            {
                dwellings.Add(new DwellingStock(
                    f.Id,
                    buurt,
                    f.Geometry.InteriorPoint,
                    count,
                    ScenarioContent.ParseDwellingType(Text(f, "woningtype")) ?? DwellingType.Appartement,
                    ScenarioContent.ParseTenure(Text(f, "eigendom")) ?? Tenure.Koop));
            }
        }

        timings["buildings and their buurten"] = Stopwatch.GetElapsedTime(buildingsStarted);
        var rest = Stopwatch.GetTimestamp();
        var roads = new List<RoadLink>();
        foreach (var f in await All(TwinCollections.Wegvakken).ConfigureAwait(false))
        {
            if (f.Geometry is not LineString line)
            {
                continue;
            }

            var (cls, speed) = (Text(f, "wegklasse"), Number(f, "maximumsnelheid"));
            var roadClass = cls switch
            {
                "stroomweg" => RoadClass.Stroomweg,
                "gebiedsontsluitingsweg" => RoadClass.Gebiedsontsluitingsweg,
                "fietspad" => RoadClass.Fietspad,
                _ => RoadClass.Erftoegangsweg,
            };
            // 'terug' (against the digitising direction) is stored reversed, so every one-way link runs first to last point.
            var direction = Text(f, "richting");
            var geometry = direction == "terug" ? (LineString)line.Reverse() : line;
            roads.Add(new RoadLink(f.Id, geometry, roadClass, roadClass == RoadClass.Fietspad ? null : speed, direction is "heen" or "terug"));
        }

        var facilities = (await All(TwinCollections.Voorzieningen).ConfigureAwait(false))
            .Where(f => f.Geometry is Point && Number(f, "capaciteit") is > 0)
            .Select(f => new Facility(f.Id, Text(f, "type") ?? "overig", (Point)f.Geometry, Number(f, "capaciteit")!.Value, Text(f, "capaciteitseenheid") ?? "-"))
            .ToList();

        var cover = new List<(string, Geometry, Heat.LandCover)>();
        foreach (var f in await All(TwinCollections.Groenvlakken).ConfigureAwait(false))
        {
            // 'bebouwd' is a built plot: its buildings come from panden, the rest of the plot is of unknown surface.
            Heat.LandCover? kind = Text(f, "bodemgebruik") switch
            {
                "groen" => Heat.LandCover.LowVegetation,
                "verhard" => Heat.LandCover.Paved,
                "water" => Heat.LandCover.Water,
                _ => null,
            };
            if (kind is { } k)
            {
                cover.Add((f.Id, f.Geometry, k));
            }
        }

        var trees = (await All(TwinCollections.Bomen).ConfigureAwait(false))
            .Where(f => f.Geometry is Point)
            .Select(f => new TreeLocation(f.Id, (Point)f.Geometry, Number(f, "kroondiameter") ?? DefaultCrownDiameterM))
            .ToList();

        timings["roads, facilities, cover, trees"] = Stopwatch.GetElapsedTime(rest);
        var indicatorsStarted = Stopwatch.GetTimestamp();
        var values = await indicators.ValuesAsOfAsync([.. buurten.Select(b => b.Code)], referenceDate, cancellationToken).ConfigureAwait(false);
        var statistics = ReadStatistics(buurten, values);
        var lowIncome = ReadLowIncome(buurten, values);
        timings["buurt figures"] = Stopwatch.GetElapsedTime(indicatorsStarted);
        return new CityBaseline(referenceDate, municipalityCode, municipality.Geometry.EnvelopeInternal, buurten, buildings, roads, facilities, cover, trees, statistics, lowIncome, dwellings, timings);
    }

    /// <summary>The crown diameter of a tree without one in the register, m [A]: a young street tree.</summary>
    public const double DefaultCrownDiameterM = 5;

    private static readonly string[] s_ageCodes = ["leeftijd_0_15", "leeftijd_15_25", "leeftijd_25_45", "leeftijd_45_65", "leeftijd_65_plus"];

    /// <summary>Every buurt's observed low-income share; <c>null</c> where the store has none (the social model then predicts it).</summary>
    private static List<BuurtLowIncome> ReadLowIncome(IReadOnlyList<BuurtArea> buurten, IReadOnlyList<Domain.Indicators.IndicatorValue> values)
    {
        var observed = values.Where(v => v.IndicatorCode == "huishoudens_laag_inkomen_pct")
            .ToDictionary(v => v.AreaCode, v => v.Value, StringComparer.Ordinal);
        return [.. buurten.Select(b => new BuurtLowIncome(b.Code, observed.GetValueOrDefault(b.Code)))];
    }

    private static List<BuurtStatistics> ReadStatistics(IReadOnlyList<BuurtArea> buurten, IReadOnlyList<Domain.Indicators.IndicatorValue> values)
    {
        var byArea = values.GroupBy(v => v.AreaCode, StringComparer.Ordinal).ToDictionary(
            g => g.Key, g => g.ToDictionary(v => v.IndicatorCode, v => v.Value, StringComparer.Ordinal), StringComparer.Ordinal);
        var result = new List<BuurtStatistics>();
        foreach (var buurt in buurten)
        {
            if (!byArea.TryGetValue(buurt.Code, out var own))
            {
                continue;
            }

            var ages = s_ageCodes.Select(c => own.GetValueOrDefault(c)).ToList();
            result.Add(new BuurtStatistics(
                buurt.Code,
                own.GetValueOrDefault("inwoners"),
                own.GetValueOrDefault("huishoudens"),
                ages.All(a => a is not null) ? [.. ages.Select(a => a!.Value)] : null));
        }

        return result;
    }

    /// <summary>
    /// The public green as whole green spaces: the green land-cover polygons (the demo city has one per 40 m block)
    /// merged per buurt, one space per connected part. Merged once here rather than by the green model on every run.
    /// </summary>
    private static List<GreenSpace> MergedGreen(IReadOnlyList<(string Id, Geometry Area, Heat.LandCover Cover)> cover, BuurtLocator locator) =>
        [.. cover.Where(c => c.Cover == Heat.LandCover.LowVegetation)
            .GroupBy(c => locator.Find(c.Area.InteriorPoint), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .SelectMany(g =>
            {
                var merged = NetTopologySuite.Operation.OverlayNG.OverlayNGRobust.Union(g.Select(c => c.Area).ToList());
                return Enumerable.Range(0, merged.NumGeometries).Select(k => new GreenSpace($"groen:{g.Key}:{k}", merged.GetGeometryN(k)));
            })];

    private static T Timed<T>(ConcurrentDictionary<string, TimeSpan> timings, string phase, Func<T> work)
    {
        var started = Stopwatch.GetTimestamp();
        var result = work();
        timings[phase] = Stopwatch.GetElapsedTime(started);
        return result;
    }

    private static LandCoverArea TreeCanopy(TreeLocation tree) =>
        // A 16-gon (4 segments a quadrant): 97 % of the disc's area, a quarter of the default buffer's vertices.
        new(tree.Location.Buffer(tree.CrownDiameterM / 2, 4), Heat.LandCover.TreeCanopy);

    private static string? Text(Feature f, string name) => f.Properties.TryGetValue(name, out var v) ? v as string : null;

    private static double? Number(Feature f, string name) => f.Properties.TryGetValue(name, out var v)
        ? v switch
        {
            long l => l,
            double d => d,
            string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        }
        : null;
}
