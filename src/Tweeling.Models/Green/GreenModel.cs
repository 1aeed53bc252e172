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

    // The caches below are process-wide and sit beside the values they were computed from (weak: an entry lives as long
    // as its key). Port values are immutable (docs/scenarios.md "Incremental runs"), and each cached figure depends on its
    // key alone, not on the settings or the model instance: every full run of the same baseline lists — a fresh graph, a
    // new scenario runner, the baseline run of each scenario — finds them instead of merging and rasterising again.

    /// <summary>The merge of each list of green spaces a run saw, beside the list, for a later run (full, or incremental to patch it).</summary>
    private static readonly ConditionalWeakTable<IReadOnlyList<GreenSpace>, GreenMerge> s_merges = [];

    /// <summary>The trunk index of each list of trees a run saw, beside the list: an edit that plants no trees keeps the list, and its index.</summary>
    private static readonly ConditionalWeakTable<IReadOnlyList<TreeLocation>, TreeCounts> s_treeCounts = [];

    /// <summary>The canopy share of each buurt polygon under the crowns of a list of trees, beside the list and then the polygon.</summary>
    private static readonly ConditionalWeakTable<IReadOnlyList<TreeLocation>, ConditionalWeakTable<Geometry, StrongBox<double>>> s_canopies = [];

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
        var merge = s_merges.GetValue(green, GreenMerge.Of);
        var merged = merge.Merged;
        var greenIndex = new Lazy<STRtree<Geometry>>(() => Index(merged));
        var canopies = s_canopies.GetValue(trees, _ => new ConditionalWeakTable<Geometry, StrongBox<double>>());
        var crownIndex = new Lazy<STRtree<TreeLocation>>(() => CrownIndex(trees));

        // Each buurt on its own, in parallel: a buurt's figures depend on nothing another buurt computes, and each is
        // summed in a fixed order, so the results are the same bit for bit whatever the thread schedule. A buurt polygon
        // seen before with the same trees, or with the same merged green, takes its canopy share or its public green from
        // then: the same double, computed from the same values.
        var perNeighbourhood = new NeighbourhoodGreen[neighbourhoods.Count];
        Parallel.For(0, neighbourhoods.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var neighbourhood = neighbourhoods[i];
            var canopy = canopies.GetValue(neighbourhood.Area, area => new StrongBox<double>(CanopyShare(crownIndex.Value, area))).Value;
            var publicGreen = merge.PublicGreenOf(neighbourhood.Area, area => CoveredArea(area, greenIndex.Value.Query(area.EnvelopeInternal)));
            perNeighbourhood[i] = Figures(neighbourhood, publicGreen, canopy);
        });

        var assessor = new DwellingAssessor(_settings, TrunksOf(trees), merge, ByCode(perNeighbourhood));
        assessor.Check(dwellings);
        var perDwelling = new DwellingGreen[dwellings.Count];
        Parallel.For(0, dwellings.Count, new ParallelOptions { CancellationToken = cancellationToken }, i => perDwelling[i] = assessor.Assess(dwellings[i]));

        run.Output(GreenPorts.PerNeighbourhood, perNeighbourhood);
        run.Output(GreenPorts.PerDwelling, perDwelling);
        run.Output(GreenPorts.Summary, Summary(perNeighbourhood, perDwelling));
    }

    /// <summary>The crowns indexed by their envelope; a tree without a crown diameter adds no canopy and is left out.</summary>
    private static STRtree<TreeLocation> CrownIndex(IReadOnlyList<TreeLocation> trees)
    {
        var crownIndex = new STRtree<TreeLocation>();
        foreach (var tree in trees.Where(t => t.CrownDiameterM > 0))
        {
            var radius = tree.CrownDiameterM / 2;
            crownIndex.Insert(new Envelope(tree.Location.X - radius, tree.Location.X + radius, tree.Location.Y - radius, tree.Location.Y + radius), tree);
        }

        crownIndex.Build();
        return crownIndex;
    }

    /// <summary>The share of <paramref name="area"/> under the indexed crowns, 0–1.</summary>
    private static double CanopyShare(STRtree<TreeLocation> crownIndex, Geometry area)
    {
        var size = area.Area;
        var crowns = crownIndex.Query(area.EnvelopeInternal).Select(t => (t.Location.X, t.Location.Y, t.CrownDiameterM / 2));
        return size > 0 ? Math.Min(1, CanopyRaster.CoveredArea(area, crowns) / size) : 0;
    }

    /// <summary>The trunk index of <paramref name="trees"/>: the one an earlier run built for the same list, else a new one.</summary>
    /// <remarks>The index is kept for one radius per list: a model with another radius builds its own and does not keep it.</remarks>
    private TreeCounts TrunksOf(IReadOnlyList<TreeLocation> trees)
    {
        TreeCounts Build(IReadOnlyList<TreeLocation> t) => new([.. t.Select(tree => (tree.Location.X, tree.Location.Y))], _settings.TreeVisibilityRadiusM);
        var kept = s_treeCounts.GetValue(trees, Build);
        return kept.Radius == _settings.TreeVisibilityRadiusM ? kept : Build(trees);
    }

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
        private readonly Lazy<ParkDistances> _parks;

        /// <param name="settings">The radius, targets and park size.</param>
        /// <param name="trunks">The trees' trunks, indexed with the visibility radius.</param>
        /// <param name="merge">The merged green (<see cref="GreenMerge"/>): its pieces of at least the park size are the parks, indexed on the first dwelling assessed.</param>
        /// <param name="byCode">The buurt figures by buurtcode.</param>
        public DwellingAssessor(GreenSettings settings, TreeCounts trunks, GreenMerge merge, Dictionary<string, NeighbourhoodGreen> byCode)
        {
            (_settings, _byCode, _trees) = (settings, byCode, trunks);
            _parks = new(() => merge.Parks(settings.MinimumParkAreaM2, settings.ParkDistanceM));
        }

        /// <summary>Checks the dwellings, in order, so a bad one is named before any work in parallel.</summary>
        public void Check(IEnumerable<Dwelling> dwellings)
        {
            foreach (var dwelling in dwellings)
            {
                if (!_byCode.ContainsKey(dwelling.NeighbourhoodCode))
                {
                    throw new ArgumentException($"Dwelling '{dwelling.Id}' is in buurt '{dwelling.NeighbourhoodCode}', which is not in '{GreenPorts.Neighbourhoods.Name}'.");
                }
            }
        }

        public DwellingGreen Assess(Dwelling dwelling)
        {
            var nearby = _trees.Within(dwelling.Location.X, dwelling.Location.Y);
            var parkDistance = _parks.Value.Nearest(dwelling.Location.X, dwelling.Location.Y);
            return new DwellingGreen(
                dwelling.Id,
                nearby,
                nearby >= _settings.MinimumTrees,
                _byCode[dwelling.NeighbourhoodCode].MeetsCanopyTarget,
                parkDistance,
                parkDistance <= _settings.ParkDistanceM);
        }
    }

    /// <summary>The polygons indexed by their envelope.</summary>
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
    /// The area of <paramref name="area"/> covered by <paramref name="candidates"/>, the polygons whose envelopes meet its
    /// envelope (they are apart), m²: the sum of each one's part
    /// inside the area — the whole polygon when the area covers it, an intersection only for those across its border.
    /// The parts are summed from small to large, an order that depends on the parts alone and not on the candidates' order: an
    /// incremental run that keeps a buurt's sum from an earlier run, whose index held other pieces elsewhere, has the
    /// same double a full run computes.
    /// </summary>
    private static double CoveredArea(Geometry area, IEnumerable<Geometry> candidates)
    {
        var prepared = PreparedGeometryFactory.Prepare(area);
        var parts = new List<double>();
        foreach (var piece in candidates)
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
