using System.Globalization;
using NetTopologySuite.Geometries;
using Tweeling.Models.City;
using Tweeling.Models.Graph;
using Tweeling.Models.Spatial;
using Tweeling.Models.Traffic;

namespace Tweeling.Models.AirQuality;

/// <summary>
/// Air quality along urban streets by SRM1 (the Dutch standard calculation method 1): per link the emission of its
/// traffic, diluted with the road type's distance factor, the tree factor and the regional wind factor, NO2 from
/// NOx by the ozone formula, on top of the background. At the given receptors and on a grid. Method, parameters
/// and validity: docs/models/luchtkwaliteit.md.
/// </summary>
/// <remarks>
/// As SRM1 prescribes, a point takes the contribution of one street: the link that gives it the most NOx (PM10
/// and PM2.5 likewise each take their largest link contribution). A point farther from every link than its road
/// type allows (30 or 60 m) is outside SRM1's domain and gets the background only.
/// </remarks>
public sealed partial class AirQualityModel : IImpactModel
{
    /// <summary>The model's id, also its algorithm-register id.</summary>
    public const string ModelId = "luchtkwaliteit";

    // A road with a speed limit of 70 km/h or more lies outside the built-up area (SRM1 speed class b).
    private const double OutsideBuiltUpSpeedLimitKmh = 70;

    // City traffic with a mean speed of 40 km/h or more flows freely (class e); slower, it is normal city traffic (class c). Assumption.
    private const double FreeFlowMeanSpeedKmh = 40;

    // The widest SRM1 domain: every link that can reach a point lies in the point's bucket or a neighbouring one.
    private const double BucketSize = 60;

    private readonly AirQualityParameters _parameters;

    // What each run of this instance derived from its inputs, beside its receptor values: the next edit starts from it (Incremental).
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<IReadOnlyList<AirConcentration>, RunState> _states = [];

    /// <summary>An air quality model with <paramref name="parameters"/> (<see cref="AirQualityParameters.Default"/> when null).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    public AirQualityModel(AirQualityParameters? parameters = null)
    {
        _parameters = parameters ?? AirQualityParameters.Default;
        _parameters.Validate();
    }

    /// <inheritdoc />
    public ModelDescriptor Descriptor { get; } = new(
        ModelId,
        "1",
        "Air quality along urban streets (SRM1): NO2, PM10 and PM2.5",
        [TrafficPorts.LinkTraffic, TrafficPorts.RoadLinks, AirQualityPorts.StreetProfiles, AirQualityPorts.Receptors, AirQualityPorts.Background],
        [AirQualityPorts.ReceptorConcentrations, AirQualityPorts.GridConcentrations]);

    /// <inheritdoc />
    public void Run(ModelRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var links = run.Input(TrafficPorts.RoadLinks);
        var background = run.Input(AirQualityPorts.Background);
        if (!(background.No2 >= 0 && background.Pm10 >= 0 && background.Pm25 >= 0 && background.O3 >= 0))
        {
            throw new ArgumentException($"The background concentrations must be ≥ 0 µg/m³; got {background}.", AirQualityPorts.Background.Name);
        }

        var (traffic, profiles) = (run.Input(TrafficPorts.LinkTraffic), run.Input(AirQualityPorts.StreetProfiles));
        var sources = Sources(links, traffic, profiles);
        var receptors = run.Input(AirQualityPorts.Receptors);
        var grid = GridLayout.Over(links, _parameters);
        var atReceptors = new AirConcentration[receptors.Count];
        var cells = new AirConcentration[grid.Count];
        Compute(sources, background, receptors, Enumerable.Range(0, receptors.Count).ToArray(), atReceptors, grid, Enumerable.Range(0, grid.Count).ToArray(), cells, cancellationToken);
        Write(run, new RunState(links, traffic, profiles, receptors, sources, grid, atReceptors, cells, index: null));
    }

    /// <summary>Writes the concentrations at the receptors and on the grid, and keeps the run's state beside them.</summary>
    private void Write(ModelRun run, RunState state)
    {
        _states.AddOrUpdate(state.AtReceptors, state);
        run.Output(AirQualityPorts.ReceptorConcentrations, state.AtReceptors);
        run.Output(AirQualityPorts.GridConcentrations, state.Cells);
    }

    /// <summary>
    /// Fills <paramref name="atReceptors"/> at the receptor indexes <paramref name="receptorIndexes"/> and <paramref name="cells"/>
    /// at the cell indexes <paramref name="cellIndexes"/>, over the cores; the other entries are left alone.
    /// </summary>
    private void Compute(
        SourceSet sources,
        AirBackground background,
        IReadOnlyList<AirReceptor> receptors,
        IReadOnlyList<int> receptorIndexes,
        AirConcentration[] atReceptors,
        GridLayout grid,
        IReadOnlyList<int> cellIndexes,
        AirConcentration[] cells,
        CancellationToken cancellationToken)
    {
        // Receptors first, then cells, as one list of points: receptor r is point r, cell k is point receptors + k.
        int[] points = [.. receptorIndexes, .. cellIndexes.Select(k => receptors.Count + k)];
        var names = new CellNames(grid);

        PointBatches.Run(points, () => new SegmentIndex.Scratch(sources.Index, sources.Sources.Length), (p, scratch) =>
        {
            if (p < receptors.Count)
            {
                var c = receptors[p].Location.Coordinate;
                atReceptors[p] = At(receptors[p].Id, c.X, c.Y, sources.Sources, sources.Index, scratch, background);
            }
            else
            {
                var k = p - receptors.Count;
                cells[k] = At(names.Of(k), grid.X(k), grid.Y(k), sources.Sources, sources.Index, scratch, background);
            }
        }, cancellationToken);
    }

    private SourceSet Sources(IReadOnlyList<RoadLink> links, IReadOnlyList<LinkTraffic> traffic, IReadOnlyList<StreetProfile> profiles)
    {
        // Sized up front: growing them took a third of the sources' time in a demo-city full run (32,000 links).
        var linkById = new Dictionary<string, RoadLink>(links.Count, StringComparer.Ordinal);
        foreach (var link in links)
        {
            if (!linkById.TryAdd(link.Id, link))
            {
                throw new ArgumentException($"Road link '{link.Id}' occurs twice.", TrafficPorts.RoadLinks.Name);
            }
        }

        var profileById = new Dictionary<string, StreetProfile>(profiles.Count, StringComparer.Ordinal);
        foreach (var profile in profiles)
        {
            if (!linkById.ContainsKey(profile.LinkId) || !profileById.TryAdd(profile.LinkId, profile))
            {
                throw new ArgumentException($"Street profile of link '{profile.LinkId}' names no road link or occurs twice.", AirQualityPorts.StreetProfiles.Name);
            }
        }

        var sourceOf = new int[traffic.Count];
        var sources = new List<Source>(traffic.Count);
        for (var i = 0; i < traffic.Count; i++)
        {
            var flow = traffic[i];
            if (!linkById.TryGetValue(flow.LinkId, out var link))
            {
                throw new ArgumentException($"Link traffic names link '{flow.LinkId}', which is not a road link.", TrafficPorts.LinkTraffic.Name);
            }

            CheckTraffic(flow);
            sourceOf[i] = flow.VehiclesPerDay == 0 ? -1 : sources.Count;
            if (flow.VehiclesPerDay != 0)
            {
                sources.Add(SourceFor(link, flow, profileById));
            }
        }

        return new SourceSet(sourceOf, [.. sources], profileById);
    }

    private static void CheckTraffic(LinkTraffic flow)
    {
        var truckShare = flow.MediumShare + flow.HeavyShare + flow.BusShare;
        if (!(flow.VehiclesPerDay >= 0) || !(truckShare is >= 0 and <= 1) || !(flow.CongestionShare is >= 0 and <= 1))
        {
            throw new ArgumentException(
                $"Link traffic of '{flow.LinkId}' needs vehicles ≥ 0 and shares in [0, 1]; got {flow.VehiclesPerDay} vehicles, truck share {truckShare}, congestion share {flow.CongestionShare}.",
                TrafficPorts.LinkTraffic.Name);
        }
    }

    /// <summary>The source of <paramref name="link"/> carrying <paramref name="flow"/> (more than no vehicles).</summary>
    private Source SourceFor(RoadLink link, LinkTraffic flow, Dictionary<string, StreetProfile> profileById)
    {
        // SRM1 has no separate factors for buses here: medium, heavy and buses all take the truck factors (models.md §1.2).
        var truckShare = flow.MediumShare + flow.HeavyShare + flow.BusShare;
        var normal = _parameters.EmissionFactors[NormalSpeedClass(link, flow)];
        var stagnant = _parameters.EmissionFactors[SpeedClass.CityCongested];
        var nox = Srm1.Emission(flow.VehiclesPerDay, truckShare, flow.CongestionShare, normal.NoxLight, normal.NoxTruck, stagnant.NoxLight, stagnant.NoxTruck);
        var pm10 = Srm1.Emission(flow.VehiclesPerDay, truckShare, flow.CongestionShare, normal.Pm10Light, normal.Pm10Truck, stagnant.Pm10Light, stagnant.Pm10Truck);
        var profile = profileById.GetValueOrDefault(link.Id) ?? new StreetProfile(link.Id, StreetType.Open, TreeCover.FewOrNone);
        return new Source(link, profile.Type, Srm1.TreeFactor(profile.Trees) * Srm1.RegionalFactor(_parameters.WindSpeed), nox, pm10);
    }

    private static SpeedClass NormalSpeedClass(RoadLink link, LinkTraffic flow) =>
        link.Class == RoadClass.Stroomweg || link.SpeedLimitKmh >= OutsideBuiltUpSpeedLimitKmh ? SpeedClass.OutsideBuiltUpArea
        : flow.MeanSpeedKmh >= FreeFlowMeanSpeedKmh ? SpeedClass.CityFreeFlow
        : SpeedClass.CityNormal;

    private AirConcentration At(string id, double x, double y, Source[] sources, SegmentIndex index, SegmentIndex.Scratch scratch, AirBackground background)
    {
        double nox = 0, pm10 = 0;
        var street = -1;
        var streetDistance = 0.0;
        index.Near(x, y, scratch);
        foreach (var source in scratch.Touched)
        {
            // In the order the search met them: the street is the largest contribution, a tie going to the source listed
            // first (the lower index), as a walk in source order finds it; PM10's maximum has no order to keep.
            var distance = scratch.Distance[source];
            var s = Srm1.Dilution(sources[source].Type, distance);
            if (s <= 0)
            {
                continue;
            }

            var linkNox = Srm1.Concentration(sources[source].NoxEmission, s, sources[source].Factor, 1);
            if (linkNox > nox || (linkNox == nox && street >= 0 && source < street))
            {
                nox = linkNox;
                street = source;
                streetDistance = distance;
            }

            pm10 = Math.Max(pm10, Srm1.Concentration(sources[source].Pm10Emission, s, sources[source].Factor, 1));
        }

        var no2 = Srm1.No2(nox, _parameters.DirectNo2Share * nox, background.O3);
        var pm25 = _parameters.Pm25ShareOfPm10 * pm10;
        return new AirConcentration(
            id, x, y, background.No2 + no2, background.Pm10 + pm10, background.Pm25 + pm25, no2, nox, pm10, pm25,
            street < 0 ? null : sources[street].Link.Id, street < 0 ? null : streetDistance);
    }

    /// <summary>The grid over the road network: cells of the cell size over the links' extent widened by the widest SRM1 domain, row by row from the south-west.</summary>
    /// <param name="MinX">The grid's west edge, RD New m.</param>
    /// <param name="MinY">The grid's south edge, RD New m.</param>
    /// <param name="Size">The cell side, m.</param>
    /// <param name="Columns">Cells per row.</param>
    /// <param name="Rows">Rows.</param>
    private readonly record struct GridLayout(double MinX, double MinY, double Size, int Columns, int Rows)
    {
        public int Count => Columns * Rows;

        public static GridLayout Over(IReadOnlyList<RoadLink> links, AirQualityParameters parameters)
        {
            if (links.Count == 0)
            {
                return new(0, 0, parameters.CellSize, 0, 0);
            }

            var extent = new Envelope();
            foreach (var link in links)
            {
                extent.ExpandToInclude(link.Geometry.EnvelopeInternal);
            }

            extent.ExpandBy(BucketSize);
            var size = parameters.CellSize;
            var columns = (int)Math.Ceiling(extent.Width / size);
            var rows = (int)Math.Ceiling(extent.Height / size);
            if ((long)columns * rows > parameters.MaximumCells)
            {
                throw new ArgumentException(
                    $"A grid of {size} m cells over {extent.Width:F0} × {extent.Height:F0} m has {(long)columns * rows} cells; at most {parameters.MaximumCells} are allowed. Take larger cells.",
                    nameof(AirQualityParameters.CellSize));
            }

            return new(extent.MinX, extent.MinY, size, columns, rows);
        }

        public double X(int k) => MinX + (((k % Columns) + 0.5) * Size);

        public double Y(int k) => MinY + (((k / Columns) + 0.5) * Size);
    }

    /// <summary>
    /// The ids of a grid's cells, <c>column-row</c> from the south-west: each the concatenation of its column's "column-"
    /// and its row's number, made once per run (a few hundred strings) rather than formatted per cell, which took a
    /// quarter of the per-point work of a full run (166,000 cells).
    /// </summary>
    private sealed class CellNames(GridLayout grid)
    {
        private readonly string[] _columns = [.. Enumerable.Range(0, grid.Columns).Select(c => c.ToString(CultureInfo.InvariantCulture) + "-")];
        private readonly string[] _rows = [.. Enumerable.Range(0, grid.Rows).Select(r => r.ToString(CultureInfo.InvariantCulture))];

        /// <summary>The id of cell <paramref name="k"/>.</summary>
        public string Of(int k) => string.Concat(_columns[k % grid.Columns], _rows[k / grid.Columns]);
    }

    /// <summary>
    /// The sources of one traffic list: per traffic record the index of its source (−1 for a link without traffic), the
    /// sources in traffic order, their segment index (which depends only on their links' centre lines, so an edit that
    /// changes only how much traffic they carry shares it) and the street profiles by link.
    /// </summary>
    private sealed record SourceSet(int[] SourceOf, Source[] Sources, Dictionary<string, StreetProfile> ProfileById)
    {
        public SegmentIndex Index { get; init; } = new(Sources);

        /// <summary>These sources as those of <paramref name="traffic"/>, the list they were derived from.</summary>
        public TrafficSources Of(IReadOnlyList<LinkTraffic> traffic) => new(traffic, SourceOf, s => Sources[s].Link.Geometry);
    }

    /// <summary>What a run derived from its inputs (by reference), and its values at the receptors and cells.</summary>
    private sealed class RunState(
        IReadOnlyList<RoadLink> links,
        IReadOnlyList<LinkTraffic> traffic,
        IReadOnlyList<StreetProfile> profiles,
        IReadOnlyList<AirReceptor> receptors,
        SourceSet sources,
        GridLayout grid,
        AirConcentration[] atReceptors,
        AirConcentration[] cells,
        ReceptorIndex? index)
    {
        private ReceptorIndex? _index = index;

        public IReadOnlyList<RoadLink> Links { get; } = links;

        public IReadOnlyList<LinkTraffic> Traffic { get; } = traffic;

        public IReadOnlyList<StreetProfile> Profiles { get; } = profiles;

        public IReadOnlyList<AirReceptor> Receptors { get; } = receptors;

        public SourceSet Sources { get; } = sources;

        public GridLayout Grid { get; } = grid;

        public AirConcentration[] AtReceptors { get; } = atReceptors;

        public AirConcentration[] Cells { get; } = cells;

        /// <summary>The sources as those of the run's traffic list.</summary>
        public TrafficSources Sourced => Sources.Of(Traffic);

        /// <summary>The receptors bucketed by place: made when an edit first starts from a full run, handed on by edits.</summary>
        public ReceptorIndex Index() =>
            LazyInitializer.EnsureInitialized(ref _index, () => ReceptorIndex.Over(Receptors.Count, i => Receptors[i].Location, BucketSize));
    }

    /// <summary>One link with traffic: its emissions in µg/(m·s) and its combined tree and regional factor.</summary>
    private sealed record Source(RoadLink Link, StreetType Type, double Factor, double NoxEmission, double Pm10Emission);

    /// <summary>
    /// The segments of the source links on a bucket grid of the widest SRM1 domain (60 m): a point's search lists every
    /// source with a segment within 60 m, with its distance to the nearest segment of it found. That distance is the
    /// source's distance to the point when it is 60 m or less, and more than 60 m (no contribution) otherwise, so which
    /// cells are searched does not change a value.
    /// </summary>
    private sealed class SegmentIndex
    {
        private readonly BucketGrid<(int Source, Coordinate From, Coordinate To)> _grid;

        public SegmentIndex(Source[] sources)
        {
            // Sized up front: growing a list of items that hold references copied them with write barriers, a third of the index's time.
            var segments = new List<(double, double, double, double, (int, Coordinate, Coordinate))>(sources.Sum(s => Math.Max(0, s.Link.Geometry.NumPoints - 1)));
            for (var s = 0; s < sources.Length; s++)
            {
                var points = sources[s].Link.Geometry.Coordinates;
                for (var p = 1; p < points.Length; p++)
                {
                    var (from, to) = (points[p - 1], points[p]);
                    segments.Add((from.X, from.Y, to.X, to.Y, (s, from, to)));
                }
            }

            _grid = new(segments, BucketSize);
        }

        /// <summary>
        /// Every source with a segment within 60 m of (x, y), and some farther, with its distance to the point, in the order
        /// the search met them into <paramref name="scratch"/>'s <see cref="Scratch.Touched"/> and <see cref="Scratch.Distance"/>.
        /// </summary>
        /// <remarks>Read-only on the index: searches on several threads each bring their own <paramref name="scratch"/>.</remarks>
        public void Near(double x, double y, Scratch scratch)
        {
            scratch.Query++;
            var (stamp, distances, touched, found) = (scratch.Stamp, scratch.Distance, scratch.Touched, scratch.Found);
            touched.Clear();
            var point = new Coordinate(x, y);
            scratch.Grid.Near(x, y, BucketSize, found);
            foreach (var f in found)
            {
                var (source, from, to) = _grid.Segments[f].Item;
                var distance = NetTopologySuite.Algorithm.DistanceComputer.PointToSegment(point, from, to);
                if (stamp[source] != scratch.Query)
                {
                    stamp[source] = scratch.Query;
                    distances[source] = distance;
                    touched.Add(source);
                }
                else if (distance < distances[source])
                {
                    distances[source] = distance;
                }
            }
        }

        /// <summary>One searcher's state: its own search marks on the grid, which sources the current search met, and their distances so far.</summary>
        public sealed class Scratch(SegmentIndex index, int sources)
        {
            public BucketGrid<(int Source, Coordinate From, Coordinate To)> Grid { get; } = index._grid.Searcher();

            public int[] Stamp { get; } = new int[sources];

            public double[] Distance { get; } = new double[sources];

            public List<int> Touched { get; } = [];

            public List<int> Found { get; } = [];

            public int Query { get; set; }
        }
    }
}
