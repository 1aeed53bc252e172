using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;
using Tweeling.Domain.Scenarios;
using Tweeling.Models.Accessibility;
using Tweeling.Models.AirQuality;
using Tweeling.Models.Facilities;
using Tweeling.Models.Graph;
using Tweeling.Models.Green;
using Tweeling.Models.Heat;
using Tweeling.Models.Noise;
using Tweeling.Models.Traffic;
using TrafficDwellingType = Tweeling.Models.Traffic.DwellingType;
using TrafficTenure = Tweeling.Models.Traffic.Tenure;

namespace Tweeling.Models.City;

/// <summary>How the interventions of a scenario change the baseline ports (documented rule by rule in docs/scenarios.md).</summary>
public sealed partial class CityBaseline
{
    /// <summary>Dwellings per added building when the added type is <see cref="Domain.Scenarios.DwellingType.Appartement"/> [A]: a mid-rise block.</summary>
    public const int FlatsPerBuilding = 40;

    /// <summary>The spacing of the trees a <c>groen-toevoegen</c> of kind <c>bomen</c> plants, m [A]: street-tree spacing.</summary>
    public const double PlantedTreeSpacingM = 10;

    /// <summary>
    /// The share of the layout grid's pitch that a full added building's plot spans, per side [A]: the rest is a strip
    /// between neighbouring plots (4.2 m between blocks of 40 flats, about 1 m between houses), so plots do not share
    /// edges and each stays a component of its own in the union of the plots (what <see cref="KeptCuts{T}"/> keys on).
    /// </summary>
    public const double PlotShareOfPitch = 0.9;

    /// <summary>
    /// The most cells a layout grid may have (2^26, some 67 million): past it the pitch stops shrinking. Only a sliver
    /// asked to take a large plan gets there; 100,000 houses, the most an intervention may add, need some 0.1 million.
    /// </summary>
    private const long MostPlotCells = 1L << 26;

    /// <summary>The crown diameter of a planted tree, m [A]: a tree some ten years after planting.</summary>
    public const double PlantedCrownDiameterM = 8;

    /// <summary>
    /// The ground a new dwelling covers, by type: building footprint and private plus street paving, m² per dwelling [A].
    /// Footprints: a 5.4 × 10 m terraced plan of two storeys and an attic (≈ 120 m² gross floor area), a wider
    /// semi-detached plan, a detached plan, and a flat as a quarter of a ≈ 80 m² gross flat in a four-storey block.
    /// Paving: one parking bay (2.5 × 5 m = 12.5 m²) plus the dwelling's share of pavement and residential street,
    /// more for wider plots; flats share street and a car park. Our assumptions, of the order of Dutch new-build
    /// plans; to be checked against the RVO reference dwellings (Referentiewoningen nieuwbouw) before release.
    /// </summary>
    public static IReadOnlyDictionary<Domain.Scenarios.DwellingType, (double FootprintM2, double PavedM2)> GroundPerDwelling { get; } =
        new Dictionary<Domain.Scenarios.DwellingType, (double, double)>
        {
            [Domain.Scenarios.DwellingType.Appartement] = (20, 15),
            [Domain.Scenarios.DwellingType.Tussenwoning] = (55, 30),
            [Domain.Scenarios.DwellingType.Hoekwoning] = (60, 35),
            [Domain.Scenarios.DwellingType.TweeOnderEenKap] = (70, 40),
            [Domain.Scenarios.DwellingType.Vrijstaand] = (100, 50),
        };

    private static readonly IReadOnlyList<IsochroneRequest> s_noIsochrones = [];
    private static readonly IReadOnlyList<StreetProfile> s_openStreets = [];

    /// <summary>
    /// Ports hashed by their content even when an intervention made them anew: the accessibility model's dwellings are
    /// buildings and locations without counts, so an edit of a flat count that fills the same buildings (2,001 and 2,002
    /// flats both take 51 buildings of <see cref="FlatsPerBuilding"/>) leaves them equal, and the graph's cache then
    /// answers the non-incremental accessibility model (0.2–0.35 s of an edit, idle) instead of running it again.
    /// </summary>
    private static readonly FrozenSet<string> s_hashedByContent = FrozenSet.Create(StringComparer.Ordinal, AccessibilityPorts.Dwellings.Name);

    /// <summary>
    /// The accessibility dwellings a scenario made by appending to the baseline's (no demolition), with what it appended:
    /// their content hash extends the baseline list's (<see cref="ContentHash.OfAppended"/>) instead of hashing 50,000
    /// dwellings again (60–100 ms of an edit).
    /// </summary>
    private static readonly ConditionalWeakTable<object, IReadOnlyList<Accessibility.Dwelling>> s_appendedAccessibility = [];

    private readonly Lock _applying = new();
    private ScenarioIndex? _index;
    private Application? _lastApplication;
    private Dictionary<(string Buurtcode, TrafficDwellingType Type, TrafficTenure Tenure), (int Buildings, int Dwellings)>? _zoneDwellingCounts;

    /// <summary>
    /// The values of every baseline port of the model graph with <paramref name="interventions"/> applied in order.
    /// Ports no intervention touches are the baseline's own instances.
    /// </summary>
    /// <remarks>
    /// Patched, not rebuilt: an intervention changes only the entries it touches (found through spatial indexes of the
    /// baseline, <see cref="ScenarioIndex"/>), and the ports share every untouched entry with the baseline. The state after
    /// each intervention of the last application is kept, so an edit starts from the state after the interventions it
    /// left unchanged at the front (an unchanged list answers with the same port instances). Applying from a kept state
    /// gives what applying from the baseline gives: the state is the same value either way.
    /// </remarks>
    /// <exception cref="ScenarioInputException">An intervention names a facility or road link that does not exist at the reference date.</exception>
    public IReadOnlyDictionary<string, object> Inputs(IReadOnlyList<Intervention> interventions)
    {
        ArgumentNullException.ThrowIfNull(interventions);
        if (Baseline is null)
        {
            // Only the constructor gets here: the baseline ports themselves.
            return new ScenarioState(this).Ports();
        }

        if (interventions.Count == 0)
        {
            return Baseline;
        }

        // The content hash of every leading run of interventions (the canonical hash a scenario version carries), so an
        // edit finds the longest front it shares with the last application.
        var fronts = new string[interventions.Count];
        for (var n = 1; n <= interventions.Count; n++)
        {
            fronts[n - 1] = ScenarioContent.Hash(ReferenceDate, [.. interventions.Take(n)]);
        }

        Application? last;
        lock (_applying)
        {
            last = _lastApplication;
        }

        if (last is not null && last.Fronts.Count == fronts.Length && last.Fronts[^1] == fronts[^1])
        {
            return last.Ports;
        }

        var kept = 0;
        while (last is not null && kept < fronts.Length && kept < last.Fronts.Count && last.Fronts[kept] == fronts[kept])
        {
            kept++;
        }

        var states = new List<ScenarioState>(fronts.Length);
        states.AddRange(last is null ? [] : last.States.Take(kept));
        var state = kept == 0 ? new ScenarioState(this) : last!.States[kept - 1].Clone();
        for (var i = kept; i < interventions.Count; i++)
        {
            state.Apply(i, interventions[i]);
            states.Add(state.Clone());
        }

        var ports = state.Ports();
        lock (_applying)
        {
            _lastApplication = new Application(fronts, states, ports);
        }

        return ports;
    }

    /// <summary>
    /// The hash of every port of <paramref name="inputs"/> (<see cref="Inputs"/> of <paramref name="interventions"/>) for
    /// <see cref="ModelGraph.Run"/>: a port that is the baseline's instance has the baseline's content hash; a port the
    /// interventions made anew has a hash derived from the city (<see cref="Identity"/>), the port and the interventions
    /// (<see cref="ScenarioContent.Hash"/>), not from its content. <see cref="Inputs"/> is a function of the city and the
    /// interventions alone, so equal derived hashes mean equal values; hashing the content of a new land cover or dwelling
    /// list (tens of thousands of geometries) would cost an edit a second.
    /// </summary>
    public IReadOnlyDictionary<string, string> InputHashes(IReadOnlyDictionary<string, object> inputs, IReadOnlyList<Intervention> interventions)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(interventions);
        var scenario = ScenarioContent.Hash(ReferenceDate, interventions);
        return inputs.ToDictionary(
            p => p.Key,
            p => Baseline.TryGetValue(p.Key, out var own) && ReferenceEquals(own, p.Value)
                ? ContentHash.Of(own)
                : s_hashedByContent.Contains(p.Key)
                    ? ContentOf(p.Value)
                    : ContentHash.Combine(["derived", Identity, p.Key, scenario]),
            StringComparer.Ordinal);
    }

    /// <summary>
    /// Builds the indexes that applying interventions uses (spatial indexes of the land cover, green and buildings, the
    /// hash state of the accessibility dwellings), so the first edit does not wait for them (the runner's warm-up calls it).
    /// </summary>
    public void PrepareForScenarios() => _ = Index.AccessibilityPrefix;

    private ScenarioIndex Index => LazyInitializer.EnsureInitialized(ref _index, () => new ScenarioIndex(this));

    private string ContentOf(object value) =>
        s_appendedAccessibility.TryGetValue(value, out var appended)
            ? ContentHash.OfAppended(Index.AccessibilityPrefix, appended)
            : ContentHash.Of(value);

    /// <summary>The baseline's dwelling buildings and dwellings per zone, traffic dwelling type and tenure.</summary>
    private Dictionary<(string Buurtcode, TrafficDwellingType Type, TrafficTenure Tenure), (int Buildings, int Dwellings)> ZoneDwellingCounts =>
        LazyInitializer.EnsureInitialized(ref _zoneDwellingCounts, () =>
        {
            var counts = new Dictionary<(string, TrafficDwellingType, TrafficTenure), (int Buildings, int Dwellings)>();
            foreach (var d in Dwellings)
            {
                var key = (d.Buurtcode, TrafficType(d.Type), TrafficTenure(d.Tenure));
                var (buildings, dwellings) = counts.GetValueOrDefault(key);
                counts[key] = (buildings + 1, dwellings + d.Count);
            }

            return counts;
        });

    /// <summary>
    /// The grid pitch at which <see cref="AddDwellings"/> lays out buildings of <paramref name="type"/>, m: the side of
    /// a full building's plot (footprint and paving of <see cref="FlatsPerBuilding"/> flats, or of one house) divided by
    /// <see cref="PlotShareOfPitch"/>. A function of the type alone, so the layout does not depend on the count.
    /// </summary>
    internal static double PlotPitch(Domain.Scenarios.DwellingType type)
    {
        var (footprint, paved) = GroundPerDwelling[type];
        return Math.Sqrt(DwellingsPerBuilding(type) * (footprint + paved)) / PlotShareOfPitch;
    }

    /// <summary>The dwellings a full added building holds: <see cref="FlatsPerBuilding"/> flats, or one house.</summary>
    internal static int DwellingsPerBuilding(Domain.Scenarios.DwellingType type) =>
        type == Domain.Scenarios.DwellingType.Appartement ? FlatsPerBuilding : 1;

    /// <summary>
    /// The points at which <see cref="AddDwellings"/> places <paramref name="wanted"/> buildings: the first
    /// <paramref name="wanted"/> cell centres inside <paramref name="area"/> of a square grid over its envelope, in
    /// <see cref="SpreadOrder"/> (so they spread over the area, and the first N of N + 1 are the points of N). The grid has
    /// pitch <paramref name="pitch"/>; when fewer cell centres fall inside, the pitch shrinks by tenths until enough do
    /// (a small area or a sliver), which re-lays every building. Fewer than wanted only when even a fine grid has too few
    /// centres inside (then all it has, or the area's interior point when it has none).
    /// </summary>
    internal static List<Point> PlotPoints(Polygon area, int wanted, double pitch, out double spacing)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(wanted);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pitch);
        var locator = new IndexedPointInAreaLocator(area);
        var envelope = area.EnvelopeInternal;
        var points = new List<Point>(wanted);
        spacing = pitch;
        for (var attempt = 0; attempt < 60; attempt++, spacing *= 0.9)
        {
            // Cell centres at half a pitch from the envelope's south-west corner, those short of its north-east edges.
            var columns = Math.Max(1, (long)Math.Ceiling((envelope.Width / spacing) - 0.5));
            var rows = Math.Max(1, (long)Math.Ceiling((envelope.Height / spacing) - 0.5));
            if (columns * rows > MostPlotCells)
            {
                break;
            }

            points.Clear();
            foreach (var (column, row) in SpreadOrder.Cells((int)columns, (int)rows))
            {
                var (x, y) = (envelope.MinX + ((column + 0.5) * spacing), envelope.MinY + ((row + 0.5) * spacing));
                if (locator.Locate(new Coordinate(x, y)) == Location.Interior)
                {
                    points.Add(area.Factory.CreatePoint(new Coordinate(Math.Round(x, 3), Math.Round(y, 3))));
                    if (points.Count == wanted)
                    {
                        return points;
                    }
                }
            }
        }

        if (points.Count == 0)
        {
            points.Add(area.InteriorPoint);
        }

        return points;
    }

    /// <summary>
    /// The dwellings at each of <paramref name="points"/> points for <paramref name="count"/> dwellings in buildings of
    /// at most <paramref name="perBuilding"/>: whole buildings in point order, the remainder in the last; so a count one
    /// higher or lower changes the last building only, or adds or removes one. With fewer points than buildings (an
    /// area too small for the plan) the dwellings spread evenly over the points, the first taking the remainder.
    /// </summary>
    internal static int[] DwellingsPerPoint(int count, int perBuilding, int points)
    {
        var buildings = (count + perBuilding - 1) / perBuilding;
        var counts = new int[points];
        if (points >= buildings)
        {
            for (var k = 0; k < buildings; k++)
            {
                counts[k] = Math.Min(perBuilding, count - (k * perBuilding));
            }
        }
        else
        {
            var (each, rest) = (count / points, count % points);
            for (var k = 0; k < points; k++)
            {
                counts[k] = each + (k < rest ? 1 : 0);
            }
        }

        return counts;
    }

    private static TrafficDwellingType TrafficType(Domain.Scenarios.DwellingType type) => type switch
    {
        Domain.Scenarios.DwellingType.Appartement => TrafficDwellingType.Flat,
        Domain.Scenarios.DwellingType.Tussenwoning or Domain.Scenarios.DwellingType.Hoekwoning => TrafficDwellingType.Terraced,
        Domain.Scenarios.DwellingType.TweeOnderEenKap => TrafficDwellingType.SemiDetached,
        _ => TrafficDwellingType.Detached,
    };

    private static TrafficTenure TrafficTenure(Domain.Scenarios.Tenure tenure) => tenure switch
    {
        Domain.Scenarios.Tenure.Koop => Traffic.Tenure.OwnerOccupied,
        Domain.Scenarios.Tenure.SocialeHuur => Traffic.Tenure.SocialRent,
        _ => Traffic.Tenure.PrivateRent,
    };

    /// <summary>The last application: the hash of each leading run of its interventions, the state after each, and its ports.</summary>
    private sealed record Application(IReadOnlyList<string> Fronts, IReadOnlyList<ScenarioState> States, IReadOnlyDictionary<string, object> Ports);

    /// <summary>One land-cover surface of the scenario, with the port entry made for it once (so later edits share it).</summary>
    private sealed record CoverEntry(string Id, Geometry Area, LandCover Cover, LandCoverArea Entry)
    {
        public CoverEntry(string id, Geometry area, LandCover cover)
            : this(id, area, cover, new LandCoverArea(area, cover))
        {
        }
    }

    /// <summary>The building or paving of an added dwelling's plot.</summary>
    private sealed record BuiltCover(string BuildingId, Geometry Area, LandCover Cover, LandCoverArea Entry);

    /// <summary>
    /// What applying interventions looks up in the baseline, built once per baseline: spatial indexes over the land
    /// cover, the public green, the building footprints and the buildings' centroids (an intervention visits the few
    /// entries its area meets instead of every entry of the city), the road links by id, the dwellings per zone, type and
    /// tenure, and the hash state of the accessibility dwellings.
    /// </summary>
    private sealed class ScenarioIndex
    {
        private readonly CityBaseline _city;
        private readonly Lazy<ContentHash.ListPrefix> _accessibilityPrefix;

        public ScenarioIndex(CityBaseline city)
        {
            _city = city;
            Cover = Tree(city.Cover.Count, i => city.Cover[i].Area.EnvelopeInternal);
            PublicGreen = Tree(city.PublicGreen.Count, i => city.PublicGreen[i].Area.EnvelopeInternal);
            Footprints = Tree(city.Buildings.Count, i => city.Buildings[i].Footprint.EnvelopeInternal);
            BuildingCentroids = [.. city.Buildings.Select(b => b.Footprint.Centroid.Coordinate)];
            Centroids = Tree(BuildingCentroids.Length, i => new Envelope(BuildingCentroids[i]));
            var roads = new Dictionary<string, int>(city.Roads.Count, StringComparer.Ordinal);
            for (var i = 0; i < city.Roads.Count; i++)
            {
                roads.TryAdd(city.Roads[i].Id, i);
            }

            Roads = roads;
            var nonEmpty = new List<LandCoverArea>(city.Cover.Count);
            NonEmptyBefore = new int[city.Cover.Count + 1];
            for (var i = 0; i < city.Cover.Count; i++)
            {
                NonEmptyBefore[i] = nonEmpty.Count;
                if (!city.BaselineLandCover[i].Geometry.IsEmpty)
                {
                    nonEmpty.Add(city.BaselineLandCover[i]);
                }
            }

            NonEmptyBefore[city.Cover.Count] = nonEmpty.Count;
            NonEmptyCover = [.. nonEmpty];
            _accessibilityPrefix = new(() => ContentHash.PrefixOf((IReadOnlyList<Accessibility.Dwelling>)city.Baseline[AccessibilityPorts.Dwellings.Name]));
        }

        /// <summary>The baseline land cover (<see cref="CityBaseline.Cover"/>) by envelope.</summary>
        public STRtree<int> Cover { get; }

        /// <summary>The baseline public green by envelope.</summary>
        public STRtree<int> PublicGreen { get; }

        /// <summary>The buildings by footprint envelope.</summary>
        public STRtree<int> Footprints { get; }

        /// <summary>The centroid of every building's footprint, in <see cref="CityBaseline.Buildings"/> order.</summary>
        public Coordinate[] BuildingCentroids { get; }

        /// <summary>The buildings by centroid.</summary>
        public STRtree<int> Centroids { get; }

        /// <summary>The index of every road link by id (the first, should an id repeat).</summary>
        public IReadOnlyDictionary<string, int> Roads { get; }

        /// <summary>The port entries of the baseline's land-cover surfaces (<see cref="CityBaseline.Cover"/>) that are not empty, in list order.</summary>
        public LandCoverArea[] NonEmptyCover { get; }

        /// <summary>Per index of <see cref="CityBaseline.Cover"/> (and one past the last), how many of <see cref="NonEmptyCover"/> come before it.</summary>
        public int[] NonEmptyBefore { get; }

        /// <summary>The plots of added dwellings made in recent edits.</summary>
        public KeptPlots Plots { get; } = new();

        /// <summary>The land-cover surfaces new plots cut, by the surface they were cut from.</summary>
        public KeptCuts<CoverEntry> CutCover { get; } = new();

        /// <summary>The public green new plots cut, by the green space they were cut from.</summary>
        public KeptCuts<GreenSpace> CutGreen { get; } = new();

        /// <summary>The content hash state of the baseline's accessibility dwellings, to extend with appended ones.</summary>
        public ContentHash.ListPrefix AccessibilityPrefix => _accessibilityPrefix.Value;

        /// <summary>The indexes of the entries of <paramref name="tree"/> whose envelope meets <paramref name="area"/>, in list order.</summary>
        public static List<int> Meeting(STRtree<int> tree, Envelope area)
        {
            var found = tree.Query(area).ToList();
            found.Sort();
            return found;
        }

        private static STRtree<int> Tree(int count, Func<int, Envelope> envelope)
        {
            var tree = new STRtree<int>();
            for (var i = 0; i < count; i++)
            {
                tree.Insert(envelope(i), i);
            }

            tree.Build();
            return tree;
        }
    }

    /// <summary>The footprint, paving and whole plot of one added dwelling building, with their land-cover entries.</summary>
    private sealed record Plot(Geometry Footprint, Geometry Paving, Geometry Ground, LandCoverArea FootprintEntry, LandCoverArea PavingEntry);

    /// <summary>
    /// The plots of added dwelling buildings, kept by what makes them (the area, the point, the dwellings, their type and
    /// the grid spacing): an edit of a dwelling count changes, adds or removes the last building only (the layout's
    /// points and spacing do not depend on the count), so the other plots are the last edit's, without their three
    /// overlays each (50 buildings for the benchmark's 2,000 flats), and the same instances, which the heat model's
    /// update recognises as unchanged. A plot is a function of those inputs alone.
    /// </summary>
    private sealed class KeptPlots
    {
        // Some 60 plots an edit; a scenario alternates between a few versions. Forgotten all at once past this.
        private const int MostPlots = 1_024;
        private readonly Dictionary<(double X, double Y, int Count, Domain.Scenarios.DwellingType Type, double Spacing), List<(Geometry Area, Plot Plot)>> _kept = [];
        private int _count;

        /// <summary>The plot <paramref name="make"/> makes for these inputs, the kept one when it was made before.</summary>
        public Plot Get(Geometry area, Point point, int count, Domain.Scenarios.DwellingType type, double spacing, Func<Plot> make)
        {
            var key = (point.X, point.Y, count, type, spacing);
            lock (_kept)
            {
                if (_kept.TryGetValue(key, out var kept))
                {
                    foreach (var (keptArea, plot) in kept)
                    {
                        if (SameGeometry(keptArea, area))
                        {
                            return plot;
                        }
                    }
                }
            }

            var made = make();
            lock (_kept)
            {
                if (_count >= MostPlots)
                {
                    _kept.Clear();
                    _count = 0;
                }

                if (!_kept.TryGetValue(key, out var kept))
                {
                    _kept[key] = kept = [];
                }

                kept.Add((area, made));
                _count++;
            }

            return made;
        }

        // The same coordinates in the same order, on the same reference system and precision: the same overlay results.
        private static bool SameGeometry(Geometry a, Geometry b) =>
            a.SRID == b.SRID && a.PrecisionModel.Equals(b.PrecisionModel) && a.EqualsExact(b);
    }

    /// <summary>
    /// Surfaces cut by new plots, kept per surface with the plots that cut them: an edit of a dwelling count changes
    /// the plot of one point only (the last building's), so most surfaces meet exactly the plots they met in the last
    /// edit and take the cut made then (the same value, and the same instance, which the heat model's update
    /// recognises as unchanged).
    /// </summary>
    /// <remarks>
    /// A surface is cut by the components of the union of all plots whose envelopes meet its own, in the union's order,
    /// not by the whole union: the classic overlay (NTS's default) builds the result from both operands' edges in their
    /// order, and a component whose envelope misses the surface's adds no edge, node or label inside it, so the cut is
    /// the cut by the whole union vertex for vertex (PatchedApplicationTests pin every port's content) at a tenth of the
    /// time. Unioning only the nearby plots is not the same: a union of fewer plots can start its rings elsewhere.
    /// </remarks>
    /// <typeparam name="T">The port entry made from a cut.</typeparam>
    private sealed class KeptCuts<T>
        where T : class
    {
        // Cuts per surface: the last few edits' (a scenario alternates between a few versions), each with the components
        // it was cut by. Keyed by the surface's entry instance, so a surface cut by an earlier intervention is its own key.
        private const int CutsPerSurface = 4;
        private readonly ConditionalWeakTable<object, List<(Geometry[] Near, T Entry)>> _kept = [];

        /// <summary>The entry <paramref name="make"/> makes of <paramref name="area"/> (of <paramref name="surface"/>) less the plots' <paramref name="union"/>.</summary>
        public T Cut(object surface, Geometry area, Geometry union, Func<Geometry, T> make)
        {
            var envelope = area.EnvelopeInternal;
            var near = Enumerable.Range(0, union.NumGeometries).Select(union.GetGeometryN).Where(c => c.EnvelopeInternal.Intersects(envelope)).ToArray();
            var kept = _kept.GetValue(surface, _ => []);
            lock (kept)
            {
                foreach (var (cutBy, entry) in kept)
                {
                    if (cutBy.Length == near.Length && cutBy.Zip(near).All(p => p.First.EqualsExact(p.Second)))
                    {
                        return entry;
                    }
                }
            }

            var made = make(area.Difference(near.Length == 1 ? near[0] : union.Factory.BuildGeometry(near)));
            lock (kept)
            {
                if (kept.Count == CutsPerSurface)
                {
                    kept.RemoveAt(0);
                }

                kept.Add((near, made));
            }

            return made;
        }
    }

    /// <summary>
    /// The working state while interventions apply: what they changed, as patches on the baseline (cut surfaces by
    /// index, added entries, demolished ids); untouched entries stay the baseline's instances. <see cref="Clone"/> copies
    /// the patches only, so keeping the state after each intervention costs what the interventions changed.
    /// </summary>
    private sealed class ScenarioState
    {
        private readonly CityBaseline _city;
        private readonly HashSet<string> _demolished;
        private readonly List<DwellingStock> _added;
        private readonly HashSet<string> _closed;
        private readonly Dictionary<string, double> _linkFactors;
        private readonly List<TreeLocation> _plantedTrees;
        private readonly List<LandCoverArea> _plantedCanopy;
        private readonly List<GreenSpace> _addedGreen;
        private readonly List<BuiltCover> _builtCover;
        private readonly Dictionary<int, GreenSpace> _cutGreen;
        private readonly Dictionary<int, RoadLink> _roads;
        private readonly Dictionary<int, CoverEntry> _cutCover;
        private readonly List<CoverEntry> _newCover;
        private List<Facility>? _facilities;
        private Dictionary<string, double>? _jobs;
        private bool _coverChanged;
        private int _ageing;

        public ScenarioState(CityBaseline city)
        {
            _city = city;
            _demolished = new(StringComparer.Ordinal);
            _added = [];
            _closed = new(StringComparer.Ordinal);
            _linkFactors = new(StringComparer.Ordinal);
            _plantedTrees = [];
            _plantedCanopy = [];
            _addedGreen = [];
            _builtCover = [];
            _cutGreen = [];
            _roads = [];
            _cutCover = [];
            _newCover = [];
        }

        private ScenarioState(ScenarioState other)
        {
            _city = other._city;
            _demolished = new(other._demolished, StringComparer.Ordinal);
            _added = [.. other._added];
            _closed = new(other._closed, StringComparer.Ordinal);
            _linkFactors = new(other._linkFactors, StringComparer.Ordinal);
            _plantedTrees = [.. other._plantedTrees];
            _plantedCanopy = [.. other._plantedCanopy];
            _addedGreen = [.. other._addedGreen];
            _builtCover = [.. other._builtCover];
            _cutGreen = new(other._cutGreen);
            _roads = new(other._roads);
            _cutCover = new(other._cutCover);
            _newCover = [.. other._newCover];
            _facilities = other._facilities is null ? null : [.. other._facilities];
            _jobs = other._jobs is null ? null : new(other._jobs, StringComparer.Ordinal);
            _coverChanged = other._coverChanged;
            _ageing = other._ageing;
        }

        private ScenarioIndex Index => _city.Index;

        /// <summary>A copy whose patches can change without changing this one's (entries are immutable and shared).</summary>
        public ScenarioState Clone() => new(this);

        public void Apply(int index, Intervention intervention)
        {
            switch (intervention)
            {
                case AddDwellings add:
                    AddDwellings(index, add);
                    break;
                case DemolishDwellings demolish:
                    Demolish(demolish);
                    break;
                case AddFacility facility:
                    _facilities ??= [.. _city.Facilities];
                    _facilities.Add(new Facility(
                        $"scenario:{index}", facility.Kind, facility.Location, facility.Capacity, UnitOf(facility.Kind)));
                    break;
                case RemoveFacility remove:
                    _facilities ??= [.. _city.Facilities];
                    _facilities.RemoveAt(FacilityIndex(remove.FacilityId, index));
                    break;
                case ResizeFacility resize:
                    _facilities ??= [.. _city.Facilities];
                    var at = FacilityIndex(resize.FacilityId, index);
                    _facilities[at] = _facilities[at] with { Capacity = resize.Capacity };
                    break;
                case CloseRoads close:
                    foreach (var id in close.LinkIds)
                    {
                        RoadIndex(id, index);
                        _closed.Add(id);
                    }

                    break;
                case SetRoadSpeed speed:
                    foreach (var id in speed.LinkIds)
                    {
                        var link = RoadIndex(id, index);
                        _roads[link] = Road(link) with { SpeedLimitKmh = speed.SpeedLimitKmh };
                    }

                    break;
                case TrafficFactor factor:
                    MultiplyTraffic(factor);
                    break;
                case AddGreen green:
                    AddGreen(index, green);
                    break;
                case AgePopulation age:
                    _ageing += age.Years;
                    break;
                case MoveJobs jobs:
                    MoveJobs(jobs);
                    break;
                default:
                    throw new ArgumentException($"Unknown intervention {intervention.GetType().Name}.", nameof(intervention));
            }
        }

        public Dictionary<string, object> Ports()
        {
            var city = _city;
            var baseline = city.Baseline;
            var dwellingsChanged = _demolished.Count > 0 || _added.Count > 0;
            IReadOnlyList<DwellingStock> dwellings = dwellingsChanged ? Kept(city.Dwellings, d => d.BuildingId, _added) : city.Dwellings;
            IReadOnlyList<Facility> facilities = _facilities ?? city.Facilities;
            var landCoverChanged = _coverChanged || _plantedTrees.Count > 0 || _demolished.Count > 0 || _builtCover.Count > 0;

            object Reuse(Port port, bool changed, Func<object> make) =>
                !changed && baseline is not null ? baseline[port.Name] : make();

            // Per dwelling building, projected once for the baseline and shared by every scenario that keeps the building.
            IReadOnlyList<T> PerDwelling<T>(Port port, Func<DwellingStock, T> project) =>
                baseline is null
                    ? [.. city.Dwellings.Select(project)]
                    : Kept((IReadOnlyList<T>)baseline[port.Name], i => city.Dwellings[i].BuildingId, _added.Select(project));

            return new Dictionary<string, object>(StringComparer.Ordinal)
            {
                [CityPorts.Dwellings.Name] = dwellings,
                [CityPorts.BaselineDwellings.Name] = city.Dwellings,
                [CityPorts.BuurtStatistics.Name] = city.Statistics,
                [CityPorts.BuurtLowIncome.Name] = city.LowIncome,
                [CityPorts.AgeingYears.Name] = _ageing,
                [CityPorts.Roads.Name] = _roads.Count == 0 ? city.Roads : (IReadOnlyList<RoadLink>)[.. city.Roads.Select((l, i) => _roads.GetValueOrDefault(i, l))],
                [CityPorts.BuurtAreas.Name] = city.Buurten,
                [TrafficPorts.ClosedLinks.Name] = Reuse(TrafficPorts.ClosedLinks, _closed.Count > 0, () => (IReadOnlyList<string>)[.. _closed.Order(StringComparer.Ordinal)]),
                [TrafficPorts.Zones.Name] = city.Zones,
                [TrafficPorts.LinkFactors.Name] = Reuse(TrafficPorts.LinkFactors, _linkFactors.Count > 0, () =>
                    (IReadOnlyList<LinkTrafficFactor>)[.. _linkFactors.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => new LinkTrafficFactor(f.Key, f.Value))]),
                [TrafficPorts.Dwellings.Name] = Reuse(TrafficPorts.Dwellings, dwellingsChanged, ZoneDwellings),
                [TrafficPorts.Activity.Name] = Reuse(TrafficPorts.Activity, _facilities is not null || _jobs is not null, () => Activity(facilities)),
                [FacilitiesPorts.Facilities.Name] = facilities,
                [AccessibilityPorts.Dwellings.Name] = Reuse(AccessibilityPorts.Dwellings, dwellingsChanged, () => AccessibilityDwellings(PerDwelling(AccessibilityPorts.Dwellings, d => new Accessibility.Dwelling(d.BuildingId, d.Location, d.Buurtcode)))),
                [AccessibilityPorts.IsochroneRequests.Name] = s_noIsochrones,
                [AirQualityPorts.StreetProfiles.Name] = s_openStreets,
                [AirQualityPorts.Receptors.Name] = Reuse(AirQualityPorts.Receptors, dwellingsChanged, () =>
                    Kept(city.AirReceptors, r => r.Id, _added.Select(d => new AirReceptor(d.BuildingId, d.Location)))),
                [AirQualityPorts.Background.Name] = Background,
                [NoisePorts.Receptors.Name] = Reuse(NoisePorts.Receptors, dwellingsChanged, () =>
                    Kept(city.NoiseReceptors, r => r.Id, _added.Select(d => new NoiseReceptor(d.BuildingId, d.Location)))),
                [HeatPorts.LandCover.Name] = landCoverChanged ? ScenarioLandCover() : city.BaselineLandCover,
                [HeatPorts.Grid.Name] = city.HeatGrid,
                [HeatPorts.Weather.Name] = HeatWeather.IllustrativeHotDay,
                [GreenPorts.PublicGreen.Name] = _addedGreen.Count == 0 && _cutGreen.Count == 0
                    ? city.PublicGreen
                    : (IReadOnlyList<GreenSpace>)[.. city.PublicGreen.Select((g, i) => _cutGreen.GetValueOrDefault(i, g)).Where(g => !g.Area.IsEmpty), .. _addedGreen],
                [GreenPorts.Trees.Name] = _plantedTrees.Count == 0 ? city.Trees : (IReadOnlyList<TreeLocation>)[.. city.Trees, .. _plantedTrees],
                [GreenPorts.Dwellings.Name] = Reuse(GreenPorts.Dwellings, dwellingsChanged, () =>
                    PerDwelling(GreenPorts.Dwellings, d => new Green.Dwelling(d.BuildingId, d.Location, d.Buurtcode))),
            };
        }

        // The accessibility dwellings, remembered with what they append to the baseline's when nothing was demolished.
        private IReadOnlyList<Accessibility.Dwelling> AccessibilityDwellings(IReadOnlyList<Accessibility.Dwelling> dwellings)
        {
            if (_city.Baseline is { } baseline && _demolished.Count == 0)
            {
                var own = (IReadOnlyList<Accessibility.Dwelling>)baseline[AccessibilityPorts.Dwellings.Name];
                s_appendedAccessibility.AddOrUpdate(dwellings, [.. dwellings.Skip(own.Count)]);
            }

            return dwellings;
        }

        /// <summary>The entries of <paramref name="all"/> whose building was not demolished, in order, then <paramref name="added"/>.</summary>
        private List<T> Kept<T>(IReadOnlyList<T> all, Func<T, string> buildingOf, IEnumerable<T> added) =>
            Kept(all, i => buildingOf(all[i]), added);

        private List<T> Kept<T>(IReadOnlyList<T> all, Func<int, string> buildingAt, IEnumerable<T> added)
        {
            var kept = new List<T>(all.Count + _added.Count);
            if (_demolished.Count == 0)
            {
                kept.AddRange(all);
            }
            else
            {
                for (var i = 0; i < all.Count; i++)
                {
                    if (!_demolished.Contains(buildingAt(i)))
                    {
                        kept.Add(all[i]);
                    }
                }
            }

            kept.AddRange(added);
            return kept;
        }

        private RoadLink Road(int index) => _roads.TryGetValue(index, out var changed) ? changed : _city.Roads[index];

        private CoverEntry CoverAt(int index) => _cutCover.TryGetValue(index, out var cut) ? cut : BaselineCover(index);

        private CoverEntry BaselineCover(int index)
        {
            var (id, area, cover) = _city.Cover[index];
            return new CoverEntry(id, area, cover, _city.BaselineLandCover[index]);
        }

        /// <summary>
        /// Every current land-cover surface whose envelope meets <paramref name="envelope"/>, in list order (the
        /// baseline's, cut or not, then the surfaces interventions added), with where it sits (a baseline index, or
        /// <c>-1 - k</c> for the k-th added one).
        /// </summary>
        private IEnumerable<(int At, CoverEntry Entry)> CoverMeeting(Envelope envelope)
        {
            // A cut surface lies within its baseline surface, so the baseline's envelope finds it.
            foreach (var i in ScenarioIndex.Meeting(Index.Cover, envelope))
            {
                var entry = CoverAt(i);
                if (entry.Area.EnvelopeInternal.Intersects(envelope))
                {
                    yield return (i, entry);
                }
            }

            for (var k = 0; k < _newCover.Count; k++)
            {
                if (_newCover[k].Area.EnvelopeInternal.Intersects(envelope))
                {
                    yield return (-1 - k, _newCover[k]);
                }
            }
        }

        private void SetCover(int at, CoverEntry entry)
        {
            if (at >= 0)
            {
                _cutCover[at] = entry;
            }
            else
            {
                _newCover[-1 - at] = entry;
            }
        }

        private void Demolish(DemolishDwellings demolish)
        {
            var locator = new IndexedPointInAreaLocator(demolish.Area);
            foreach (var i in ScenarioIndex.Meeting(Index.Centroids, demolish.Area.EnvelopeInternal))
            {
                var b = _city.Buildings[i];
                if (b.Dwellings > 0 && locator.Locate(Index.BuildingCentroids[i]) != Location.Exterior)
                {
                    _demolished.Add(b.Id);
                }
            }

            // Dwellings an earlier intervention added there go too, with their footprints (their paving stays, like streets).
            var gone = _added.Where(d => locator.Locate(d.Location.Coordinate) != Location.Exterior).Select(d => d.BuildingId).ToHashSet(StringComparer.Ordinal);
            _added.RemoveAll(d => gone.Contains(d.BuildingId));
            _builtCover.RemoveAll(c => c.Cover == LandCover.Building && gone.Contains(c.BuildingId));
        }

        private void AddDwellings(int index, AddDwellings add)
        {
            _coverChanged = true;
            var perBuilding = DwellingsPerBuilding(add.Type);
            var points = PlotPoints(add.Area, (add.Count + perBuilding - 1) / perBuilding, PlotPitch(add.Type), out var spacing);
            var counts = DwellingsPerPoint(add.Count, perBuilding, points.Count);
            var (footprintPerDwelling, pavedPerDwelling) = GroundPerDwelling[add.Type];
            var ground = new List<Geometry>();
            // Whole buildings at the points in spread order, the remainder in the last (DwellingsPerPoint), so an edit of
            // the count changes, adds or removes the last building and leaves the others, their ids and plots, as they were.
            for (var k = 0; k < points.Count; k++)
            {
                var count = counts[k];
                if (count > 0)
                {
                    var id = $"scenario:{index}:{k}";
                    var point = points[k];
                    _added.Add(new DwellingStock(id, _city.Locator.Find(point), point, count, add.Type, add.Tenure));
                    var plot = Index.Plots.Get(add.Area, point, count, add.Type, spacing, () =>
                    {
                        // A square building in a square of paving around it, both centred on the point; a plan denser than
                        // the grid allows shrinks both so that neighbouring plots do not overlap.
                        var scale = Math.Min(1, spacing / Math.Sqrt(count * (footprintPerDwelling + pavedPerDwelling)));
                        var footprint = Square(point, Math.Sqrt(count * footprintPerDwelling) * scale).Intersection(add.Area);
                        var whole = Square(point, Math.Sqrt(count * (footprintPerDwelling + pavedPerDwelling)) * scale).Intersection(add.Area);
                        var paving = whole.Difference(footprint);
                        return new Plot(footprint, paving, whole, new LandCoverArea(footprint, LandCover.Building), new LandCoverArea(paving, LandCover.Paved));
                    });
                    _builtCover.Add(new BuiltCover(id, plot.Footprint, LandCover.Building, plot.FootprintEntry));
                    _builtCover.Add(new BuiltCover(id, plot.Paving, LandCover.Paved, plot.PavingEntry));
                    ground.Add(plot.Ground);
                }
            }

            // What was there (paving, green, water; not buildings) gives way to the new plots, public green included.
            // Tested against the prepared union of the plots (a hundredth of the plain test's time), and cut by the
            // union's components near the surface (KeptCuts: the cut by the whole union, vertex for vertex).
            var union = add.Area.Factory.BuildGeometry(ground).Union();
            var built = PreparedGeometryFactory.Prepare(union);
            var envelope = union.EnvelopeInternal;
            foreach (var (at, entry) in CoverMeeting(envelope).ToList())
            {
                if (built.Intersects(entry.Area))
                {
                    SetCover(at, Index.CutCover.Cut(entry.Entry, entry.Area, union, cut => new CoverEntry(entry.Id, cut, entry.Cover)));
                }
            }

            // Only the baseline's green spaces give way: green an earlier intervention laid out stays whole, as its land
            // cover does not (the rule the green model's inputs have always followed).
            foreach (var i in ScenarioIndex.Meeting(Index.PublicGreen, envelope))
            {
                var green = _cutGreen.GetValueOrDefault(i, _city.PublicGreen[i]);
                if (green.Area.EnvelopeInternal.Intersects(envelope) && built.Intersects(green.Area))
                {
                    _cutGreen[i] = Index.CutGreen.Cut(green, green.Area, union, cut => green with { Area = cut });
                }
            }
        }

        private static Polygon Square(Point centre, double side)
        {
            var (x, y, h) = (centre.X, centre.Y, side / 2);
            return centre.Factory.CreatePolygon([new(x - h, y - h), new(x + h, y - h), new(x + h, y + h), new(x - h, y + h), new(x - h, y - h)]);
        }

        // Every motor link with any part in the zone gets the factor (factors of overlapping zones multiply). Scaling the
        // links, not the zone's trips, is what keeps "more traffic never lowers NO2 or noise" true: no trip re-routes.
        private void MultiplyTraffic(TrafficFactor factor)
        {
            var zone = PreparedGeometryFactory.Prepare(factor.Zone);
            var envelope = factor.Zone.EnvelopeInternal;
            foreach (var link in _city.Roads)
            {
                if (link.Class != RoadClass.Fietspad && link.Geometry.EnvelopeInternal.Intersects(envelope) && zone.Intersects(link.Geometry))
                {
                    _linkFactors[link.Id] = _linkFactors.GetValueOrDefault(link.Id, 1) * factor.Factor;
                }
            }
        }

        private void AddGreen(int index, AddGreen green)
        {
            _coverChanged = true;
            var area = green.Area;
            var envelope = area.EnvelopeInternal;
            // What the new surface replaces: paving always, low vegetation when the area becomes another kind of green or water.
            var replaced = green.Kind == GreenKind.Onthard ? [LandCover.Paved] : new[] { LandCover.Paved, LandCover.LowVegetation };
            var prepared = PreparedGeometryFactory.Prepare(area);
            foreach (var (at, entry) in CoverMeeting(envelope).ToList())
            {
                if (replaced.Contains(entry.Cover) && prepared.Intersects(entry.Area))
                {
                    SetCover(at, new CoverEntry(entry.Id, entry.Area.Difference(area), entry.Cover));
                }
            }

            if (green.Kind == GreenKind.Onthard)
            {
                return;
            }

            // Green or water is laid out around buildings and existing water, not on them (buildings in list order,
            // demolished ones included, then added buildings, then water).
            var kept = ScenarioIndex.Meeting(Index.Footprints, envelope).Select(i => _city.Buildings[i].Footprint)
                .Concat(_builtCover.Where(c => c.Cover == LandCover.Building && c.Area.EnvelopeInternal.Intersects(envelope)).Select(c => c.Area))
                .Concat(CoverMeeting(envelope).Where(c => c.Entry.Cover == LandCover.Water).Select(c => c.Entry.Area))
                .Where(prepared.Intersects)
                .ToList();
            var laid = kept.Count == 0 ? area : area.Difference(area.Factory.BuildGeometry(kept).Union());
            var id2 = $"scenario:{index}";
            if (green.Kind == GreenKind.Water)
            {
                _newCover.Add(new CoverEntry(id2, laid, LandCover.Water));
                return;
            }

            _newCover.Add(new CoverEntry(id2, laid, LandCover.LowVegetation));
            _addedGreen.Add(new GreenSpace(id2, laid));
            if (green.Kind == GreenKind.Bomen)
            {
                var locator = new IndexedPointInAreaLocator(laid);
                var k = 0;
                for (var y = envelope.MinY + (PlantedTreeSpacingM / 2); y < envelope.MaxY; y += PlantedTreeSpacingM)
                {
                    for (var x = envelope.MinX + (PlantedTreeSpacingM / 2); x < envelope.MaxX; x += PlantedTreeSpacingM)
                    {
                        if (locator.Locate(new Coordinate(x, y)) == Location.Interior)
                        {
                            var tree = new TreeLocation($"{id2}:{k++}", area.Factory.CreatePoint(new Coordinate(x, y)), PlantedCrownDiameterM);
                            _plantedTrees.Add(tree);
                            _plantedCanopy.Add(TreeCanopy(tree));
                        }
                    }
                }
            }
        }

        private void MoveJobs(MoveJobs move)
        {
            _jobs ??= new Dictionary<string, double>(_city.ZoneJobs, StringComparer.Ordinal);
            var from = new IndexedPointInAreaLocator(move.From);
            // In building order, so the jobs sum and leave in the same order whatever the index returns.
            var leaving = ScenarioIndex.Meeting(Index.Centroids, move.From.EnvelopeInternal)
                .Where(i => _city.Buildings[i].Jobs > 0 && from.Locate(Index.BuildingCentroids[i]) != Location.Exterior)
                .Select(i => _city.Buildings[i])
                .ToList();
            var available = leaving.Sum(b => b.Jobs);
            if (available <= 0)
            {
                return;
            }

            // Jobs leave the buildings in the area in proportion to their jobs, at most all of them, and arrive in the buurt of the target's interior point.
            var moved = Math.Min(move.Count, available);
            foreach (var b in leaving)
            {
                _jobs[b.Buurtcode] = Math.Max(0, _jobs.GetValueOrDefault(b.Buurtcode) - (moved * b.Jobs / available));
            }

            var to = _city.Locator.Find(move.To.InteriorPoint);
            _jobs[to] = _jobs.GetValueOrDefault(to) + moved;
        }

        private List<ZoneActivity> Activity(IReadOnlyList<Facility> facilities)
        {
            var jobs = _jobs ?? _city.ZoneJobs;
            var perZone = facilities.GroupBy(f => _city.Locator.Find(f.Location), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            return [.. _city.Zones.Select(z => new ZoneActivity(
                z.Code, (int)Math.Round(jobs.GetValueOrDefault(z.Code), MidpointRounding.AwayFromZero), perZone.GetValueOrDefault(z.Code)))];
        }

        // The dwellings per zone, type and tenure: the baseline's counts (kept once per city) less the demolished
        // buildings' plus the added ones', instead of grouping every dwelling building again. Integer sums, so the same.
        private List<ZoneDwellings> ZoneDwellings()
        {
            var counts = new Dictionary<(string Buurtcode, TrafficDwellingType Type, TrafficTenure Tenure), (int Buildings, int Dwellings)>(_city.ZoneDwellingCounts);
            void Count(DwellingStock d, int sign)
            {
                var key = (d.Buurtcode, TrafficType(d.Type), TrafficTenure(d.Tenure));
                var (buildings, dwellings) = counts.GetValueOrDefault(key);
                counts[key] = (buildings + sign, dwellings + (sign * d.Count));
            }

            if (_demolished.Count > 0)
            {
                foreach (var d in _city.Dwellings.Where(d => _demolished.Contains(d.BuildingId)))
                {
                    Count(d, -1);
                }
            }

            foreach (var d in _added)
            {
                Count(d, +1);
            }

            return [.. counts.Where(c => c.Value.Buildings > 0)
                .OrderBy(c => c.Key.Buurtcode, StringComparer.Ordinal).ThenBy(c => c.Key.Type).ThenBy(c => c.Key.Tenure)
                .Select(c => new ZoneDwellings(c.Key.Buurtcode, c.Key.Type, c.Key.Tenure, c.Value.Dwellings))];
        }

        // The baseline's own land-cover entries where the surface is unchanged, the entries made once for the surfaces
        // an intervention cut or added: the same values, without re-creating a hundred thousand, and the same instances
        // from one edit to the next where the edit left a surface alone (what the heat model's update recognises).
        private List<LandCoverArea> ScenarioLandCover()
        {
            var city = _city;
            var cover = new List<LandCoverArea>(city.BaselineLandCover.Count + _newCover.Count + _builtCover.Count + _plantedCanopy.Count);
            // The baseline's non-empty surfaces copied run by run between the cut ones (found once per city, not by
            // testing 40,000 geometries an edit), each cut surface in its place when it is not empty.
            var (nonEmpty, before) = (Index.NonEmptyCover, Index.NonEmptyBefore);
            var from = 0;
            foreach (var at in _cutCover.Keys.Order())
            {
                cover.AddRange(nonEmpty.AsSpan(before[from], before[at] - before[from]));
                if (!_cutCover[at].Entry.Geometry.IsEmpty)
                {
                    cover.Add(_cutCover[at].Entry);
                }

                from = at + 1;
            }

            cover.AddRange(nonEmpty.AsSpan(before[from], before[city.Cover.Count] - before[from]));

            cover.AddRange(_newCover.Where(c => !c.Area.IsEmpty).Select(c => c.Entry));
            if (_demolished.Count == 0)
            {
                cover.AddRange(city.BuildingCover);
            }
            else
            {
                cover.AddRange(city.Buildings.Zip(city.BuildingCover).Where(b => !_demolished.Contains(b.First.Id)).Select(b => b.Second));
            }

            cover.AddRange(_builtCover.Where(c => !c.Area.IsEmpty).Select(c => c.Entry));
            cover.AddRange(city.TreeCover);
            cover.AddRange(_plantedCanopy);
            return cover;
        }

        private string UnitOf(string kind) =>
            _city.Facilities.FirstOrDefault(f => f.Kind == kind)?.CapacityUnit
            ?? FacilityNorm.Dutch.FirstOrDefault(n => n.Kind == kind)?.CapacityUnit
            ?? "-";

        private int FacilityIndex(string id, int index)
        {
            var at = _facilities!.FindIndex(f => f.Id == id);
            return at >= 0 ? at : throw new ScenarioInputException(
                $"Intervention {index} names facility '{id}', which does not exist on {_city.ReferenceDate:yyyy-MM-dd} (or an earlier intervention removed it).");
        }

        private int RoadIndex(string id, int index) =>
            Index.Roads.TryGetValue(id, out var at)
                ? at
                : throw new ScenarioInputException($"Intervention {index} names road link '{id}', which does not exist on {_city.ReferenceDate:yyyy-MM-dd}.");
    }
}
