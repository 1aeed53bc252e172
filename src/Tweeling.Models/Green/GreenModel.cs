using System.Globalization;
using System.Runtime.CompilerServices;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;
using Tweeling.Models.Graph;

namespace Tweeling.Models.Green;

/// <summary>
/// Green norms (issue 6, model 2f; docs/models/groen.md): public green per inhabitant per buurt and the 3-30-300 rule
/// per dwelling (models.md §4.3) — trees within a visibility radius as the proxy for trees in view, tree canopy share
/// of the buurt, straight-line distance to a park of a minimum size.
/// </summary>
/// <param name="settings">The radius, targets and park size; <see cref="GreenSettings.Default"/> when <c>null</c>.</param>
public sealed partial class GreenModel(GreenSettings? settings = null) : IImpactModel
{
    /// <summary>The model's id: also its register id and the name of its documentation (docs/models/groen.md).</summary>
    public const string ModelId = "groen";

    private readonly GreenSettings _settings = settings ?? GreenSettings.Default;

    /// <summary>The merge of each list of green spaces a run of this instance saw, beside the list (weak: it lives as long as the list), for the next incremental run to patch.</summary>
    private readonly ConditionalWeakTable<IReadOnlyList<GreenSpace>, GreenMerge> _merges = [];

    /// <summary>The trunk index of each list of trees a run of this instance saw, beside the list: an edit that plants no trees keeps the list, and its index.</summary>
    private readonly ConditionalWeakTable<IReadOnlyList<TreeLocation>, TreeCounts> _treeCounts = [];

    /// <inheritdoc />
    public ModelDescriptor Descriptor { get; } = new(
        ModelId,
        "1.0",
        "Public green per inhabitant and the 3-30-300 rule per dwelling",
        [GreenPorts.Neighbourhoods, GreenPorts.PublicGreen, GreenPorts.Trees, GreenPorts.Dwellings],
        [GreenPorts.PerNeighbourhood, GreenPorts.PerDwelling, GreenPorts.Summary]);

    /// <inheritdoc />
    public void Run(ModelRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var neighbourhoods = run.Input(GreenPorts.Neighbourhoods);
        var green = run.Input(GreenPorts.PublicGreen);
        var trees = run.Input(GreenPorts.Trees);
        var dwellings = run.Input(GreenPorts.Dwellings);
        CheckInhabitants(neighbourhoods);

        // The green merged once for the whole city: its pieces are apart, so a buurt's green is the sum of its parts of them.
        var merge = GreenMerge.Of(green);
        _merges.AddOrUpdate(green, merge);
        var merged = merge.Merged;
        var greenIndex = Index(merged);
        var crownIndex = new STRtree<TreeLocation>();
        foreach (var tree in trees.Where(t => t.CrownDiameterM > 0))
        {
            var radius = tree.CrownDiameterM / 2;
            crownIndex.Insert(new Envelope(tree.Location.X - radius, tree.Location.X + radius, tree.Location.Y - radius, tree.Location.Y + radius), tree);
        }

        crownIndex.Build();

        // Each buurt on its own, in parallel: a buurt's figures depend on nothing another buurt computes, and each is
        // summed in a fixed order, so the results are the same bit for bit whatever the thread schedule.
        var perNeighbourhood = new NeighbourhoodGreen[neighbourhoods.Count];
        Parallel.For(0, neighbourhoods.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var neighbourhood = neighbourhoods[i];
            var area = neighbourhood.Area.Area;
            var crowns = crownIndex.Query(neighbourhood.Area.EnvelopeInternal).Select(t => (t.Location.X, t.Location.Y, t.CrownDiameterM / 2));
            var canopy = area > 0 ? Math.Min(1, CanopyRaster.CoveredArea(neighbourhood.Area, crowns) / area) : 0;
            perNeighbourhood[i] = Figures(neighbourhood, CoveredArea(greenIndex, neighbourhood.Area), canopy);
        });

        var assessor = new DwellingAssessor(_settings, TrunksOf(trees), merged, ByCode(perNeighbourhood), dwellings);
        var perDwelling = new DwellingGreen[dwellings.Count];
        Parallel.For(0, dwellings.Count, new ParallelOptions { CancellationToken = cancellationToken }, i => perDwelling[i] = assessor.Assess(dwellings[i]));

        run.Output(GreenPorts.PerNeighbourhood, perNeighbourhood);
        run.Output(GreenPorts.PerDwelling, perDwelling);
        run.Output(GreenPorts.Summary, Summary(perNeighbourhood, perDwelling));
    }

    /// <summary>The trunk index of <paramref name="trees"/>: the one an earlier run built for the same list, else a new one.</summary>
    private TreeCounts TrunksOf(IReadOnlyList<TreeLocation> trees) =>
        _treeCounts.GetValue(trees, t => new TreeCounts([.. t.Select(tree => (tree.Location.X, tree.Location.Y))], _settings.TreeVisibilityRadiusM));

    /// <summary>A buurt's figures from its public green (m²) and canopy share: one formula for full and incremental runs.</summary>
    private NeighbourhoodGreen Figures(Neighbourhood neighbourhood, double publicGreenM2, double canopyShare) => new(
        neighbourhood.Code,
        neighbourhood.Inhabitants,
        publicGreenM2,
        neighbourhood.Inhabitants > 0 ? publicGreenM2 / neighbourhood.Inhabitants : null,
        canopyShare,
        canopyShare >= _settings.CanopyTarget);

    private static void CheckInhabitants(IReadOnlyList<Neighbourhood> neighbourhoods)
    {
        foreach (var neighbourhood in neighbourhoods)
        {
            if (neighbourhood.Inhabitants < 0)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Buurt '{neighbourhood.Code}' has {neighbourhood.Inhabitants} inhabitants; at least 0."));
            }
        }
    }

    private static Dictionary<string, NeighbourhoodGreen> ByCode(IReadOnlyList<NeighbourhoodGreen> perNeighbourhood)
    {
        var byCode = new Dictionary<string, NeighbourhoodGreen>(StringComparer.Ordinal);
        foreach (var n in perNeighbourhood)
        {
            if (!byCode.TryAdd(n.Code, n))
            {
                throw new ArgumentException($"Buurt '{n.Code}' occurs twice in '{GreenPorts.Neighbourhoods.Name}'.");
            }
        }

        return byCode;
    }

    /// <summary>The headline figures of the per-buurt and per-dwelling results (also what an incremental run writes).</summary>
    private static GreenSummary Summary(IReadOnlyList<NeighbourhoodGreen> perNeighbourhood, IReadOnlyList<DwellingGreen> perDwelling)
    {
        var inhabitants = perNeighbourhood.Sum(n => (long)n.Inhabitants);
        double Share(Func<DwellingGreen, bool> meets) => perDwelling.Count == 0 ? 0 : (double)perDwelling.Count(meets) / perDwelling.Count;
        return new GreenSummary(
            inhabitants == 0 ? 0 : perNeighbourhood.Sum(n => n.PublicGreenM2) / inhabitants,
            perDwelling.Count,
            Share(d => d.MeetsTrees),
            Share(d => d.MeetsCanopy),
            Share(d => d.MeetsPark),
            Share(d => d.MeetsAll));
    }

    /// <summary>
    /// The 3-30-300 of one dwelling from the trees, the parks and its buurt's canopy: the same for full and incremental
    /// runs. Each dwelling is assessed on its own over read-only indexes, so dwellings may be assessed in parallel.
    /// </summary>
    private sealed class DwellingAssessor
    {
        private readonly GreenSettings _settings;
        private readonly Dictionary<string, NeighbourhoodGreen> _byCode;
        private readonly TreeCounts _trees;
        private readonly ParkDistances _parks;

        /// <param name="settings">The radius, targets and park size.</param>
        /// <param name="trunks">The trees' trunks, indexed with the visibility radius.</param>
        /// <param name="merged">The merged green (<see cref="GreenMerge"/>): its pieces of at least the park size are the parks.</param>
        /// <param name="byCode">The buurt figures by buurtcode.</param>
        /// <param name="dwellings">The dwellings to assess: checked here, in order, so a bad one is named before any work in parallel.</param>
        public DwellingAssessor(GreenSettings settings, TreeCounts trunks, IReadOnlyList<Geometry> merged, Dictionary<string, NeighbourhoodGreen> byCode, IReadOnlyList<Dwelling> dwellings)
        {
            foreach (var dwelling in dwellings)
            {
                if (!byCode.ContainsKey(dwelling.NeighbourhoodCode))
                {
                    throw new ArgumentException($"Dwelling '{dwelling.Id}' is in buurt '{dwelling.NeighbourhoodCode}', which is not in '{GreenPorts.Neighbourhoods.Name}'.");
                }
            }

            (_settings, _byCode) = (settings, byCode);
            _trees = trunks;
            _parks = new ParkDistances([.. merged.Where(p => p.Area >= settings.MinimumParkAreaM2)], settings.ParkDistanceM);
        }

        public DwellingGreen Assess(Dwelling dwelling)
        {
            var nearby = _trees.Within(dwelling.Location.X, dwelling.Location.Y);
            var parkDistance = _parks.Nearest(dwelling.Location.X, dwelling.Location.Y);
            return new DwellingGreen(
                dwelling.Id,
                nearby,
                nearby >= _settings.MinimumTrees,
                _byCode[dwelling.NeighbourhoodCode].MeetsCanopyTarget,
                parkDistance,
                parkDistance <= _settings.ParkDistanceM);
        }
    }

    private static STRtree<Geometry> Index(IReadOnlyList<Geometry> geometries)
    {
        var index = new STRtree<Geometry>();
        foreach (var geometry in geometries)
        {
            index.Insert(geometry.EnvelopeInternal, geometry);
        }

        index.Build();
        return index;
    }

    /// <summary>
    /// The area of <paramref name="area"/> covered by the indexed polygons, which are apart, m²: the sum of each one's part
    /// inside the area — the whole polygon when the area covers it, an intersection only for those across its border.
    /// The parts are summed from small to large, an order that depends on the parts alone and not on the index: an
    /// incremental run that keeps a buurt's sum from an earlier run, whose index held other pieces elsewhere, has the
    /// same double a full run computes.
    /// </summary>
    private static double CoveredArea(STRtree<Geometry> index, Geometry area)
    {
        var prepared = PreparedGeometryFactory.Prepare(area);
        var parts = new List<double>();
        foreach (var piece in index.Query(area.EnvelopeInternal))
        {
            if (prepared.Covers(piece))
            {
                parts.Add(piece.Area);
            }
            else if (prepared.Intersects(piece))
            {
                parts.Add(OverlayNGRobust.Overlay(piece, area, SpatialFunction.Intersection).Area);
            }
        }

        parts.Sort();
        var covered = 0.0;
        foreach (var part in parts)
        {
            covered += part;
        }

        return covered;
    }
}
