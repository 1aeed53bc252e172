using System.Globalization;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;
using Tweeling.Models.Graph;
using Tweeling.Models.Spatial;

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
        var merged = MergedGreen(green, out _);
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

        var assessor = new DwellingAssessor(_settings, trees, merged, ByCode(perNeighbourhood));
        var perDwelling = new List<DwellingGreen>(dwellings.Count);
        for (var i = 0; i < dwellings.Count; i++)
        {
            if ((i & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            perDwelling.Add(assessor.Assess(dwellings[i]));
        }

        run.Output(GreenPorts.PerNeighbourhood, perNeighbourhood);
        run.Output(GreenPorts.PerDwelling, perDwelling);
        run.Output(GreenPorts.Summary, Summary(perNeighbourhood, perDwelling));
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

    /// <summary>The 3-30-300 of one dwelling from the trees, the parks and its buurt's canopy: the same for full and incremental runs.</summary>
    private sealed class DwellingAssessor(GreenSettings settings, IReadOnlyList<TreeLocation> trees, IReadOnlyList<Geometry> merged, Dictionary<string, NeighbourhoodGreen> byCode)
    {
        private readonly BucketGrid<int> _trees = new([.. trees.Select(t => (t.Location.X, t.Location.Y, t.Location.X, t.Location.Y, 0))], settings.TreeVisibilityRadiusM);
        private readonly List<int> _near = [];
        private readonly ParkDistances _parks = new([.. merged.Where(p => p.Area >= settings.MinimumParkAreaM2)], settings.ParkDistanceM);

        public DwellingGreen Assess(Dwelling dwelling)
        {
            if (!byCode.TryGetValue(dwelling.NeighbourhoodCode, out var neighbourhood))
            {
                throw new ArgumentException($"Dwelling '{dwelling.Id}' is in buurt '{dwelling.NeighbourhoodCode}', which is not in '{GreenPorts.Neighbourhoods.Name}'.");
            }

            var nearby = TreesWithin(dwelling.Location.X, dwelling.Location.Y, settings.TreeVisibilityRadiusM);
            var parkDistance = _parks.Nearest(dwelling.Location.X, dwelling.Location.Y);
            return new DwellingGreen(
                dwelling.Id,
                nearby,
                nearby >= settings.MinimumTrees,
                neighbourhood.MeetsCanopyTarget,
                parkDistance,
                parkDistance <= settings.ParkDistanceM);
        }

        /// <summary>The trees whose trunk is within <paramref name="radius"/> of (<paramref name="x"/>, <paramref name="y"/>), boundary included.</summary>
        private int TreesWithin(double x, double y, double radius)
        {
            _trees.Near(x, y, radius, _near);
            var count = 0;
            foreach (var t in _near)
            {
                // The same arithmetic as NetTopologySuite's point distance, so the boundary case counts as it did with it.
                var (dx, dy) = (_trees.Segments[t].X1 - x, _trees.Segments[t].Y1 - y);
                if (Math.Sqrt((dx * dx) + (dy * dy)) <= radius)
                {
                    count++;
                }
            }

            return count;
        }
    }

    /// <summary>
    /// The green spaces merged where they overlap or touch, as polygons that are apart (at most touching in a point): the
    /// polygons of their union. The union is taken per group of green spaces that intersect one another (found with an
    /// R-tree and prepared geometries), not over the whole city at once: a green space that meets no other is kept as it
    /// is, and a city's tens of thousands of green polygons cost one small union per group instead of one huge one.
    /// </summary>
    /// <param name="green">The green spaces.</param>
    /// <param name="groupOf">Per green space, the index of the lowest green space of its group.</param>
    private static List<Geometry> MergedGreen(IReadOnlyList<GreenSpace> green, out int[] groupOf)
    {
        var index = new STRtree<int>();
        for (var i = 0; i < green.Count; i++)
        {
            index.Insert(green[i].Area.EnvelopeInternal, i);
        }

        index.Build();
        var group = Enumerable.Range(0, green.Count).ToArray();
        int Root(int i)
        {
            while (group[i] != i)
            {
                i = group[i] = group[group[i]];
            }

            return i;
        }

        for (var i = 0; i < green.Count; i++)
        {
            var prepared = PreparedGeometryFactory.Prepare(green[i].Area);
            foreach (var j in index.Query(green[i].Area.EnvelopeInternal))
            {
                var (a, b) = (Root(i), Root(j));
                if (j > i && a != b && prepared.Intersects(green[j].Area))
                {
                    // The lower root wins, so the groups do not depend on the order of the index's answers.
                    group[Math.Max(a, b)] = Math.Min(a, b);
                }
            }
        }

        int[] roots = [.. Enumerable.Range(0, green.Count).Select(Root)];
        groupOf = roots;
        var merged = new List<Geometry>();
        foreach (var members in Enumerable.Range(0, green.Count).GroupBy(i => roots[i]).OrderBy(g => g.Key))
        {
            // OverlayNG with its robust fallbacks: the classic overlay throws on the near-coincident edges of real land
            // cover ("found non-noded intersection"). A lone polygon needs no union.
            var union = members.Count() == 1 && green[members.Key].Area is Polygon lone
                ? lone
                : OverlayNGRobust.Union(members.Select(m => green[m].Area).ToList());
            merged.AddRange(Enumerable.Range(0, union.NumGeometries).Select(union.GetGeometryN).Where(p => p is Polygon && p.Area > 0));
        }

        return merged;
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
