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

        // The green merged once for the whole city: its pieces are apart, so a buurt's green is the sum of its parts of them.
        var merged = MergedGreen(green);
        var greenIndex = Index(merged);
        var crownIndex = new STRtree<TreeLocation>();
        foreach (var tree in trees.Where(t => t.CrownDiameterM > 0))
        {
            var radius = tree.CrownDiameterM / 2;
            crownIndex.Insert(new Envelope(tree.Location.X - radius, tree.Location.X + radius, tree.Location.Y - radius, tree.Location.Y + radius), tree);
        }

        crownIndex.Build();
        foreach (var neighbourhood in neighbourhoods)
        {
            if (neighbourhood.Inhabitants < 0)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Buurt '{neighbourhood.Code}' has {neighbourhood.Inhabitants} inhabitants; at least 0."));
            }
        }

        // Each buurt on its own, in parallel: a buurt's figures depend on nothing another buurt computes, and each is
        // summed in the index's fixed order, so the results are the same bit for bit whatever the thread schedule.
        var perNeighbourhood = new NeighbourhoodGreen[neighbourhoods.Count];
        Parallel.For(0, neighbourhoods.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var neighbourhood = neighbourhoods[i];
            var area = neighbourhood.Area.Area;
            var publicGreen = CoveredArea(greenIndex, neighbourhood.Area);
            var crowns = crownIndex.Query(neighbourhood.Area.EnvelopeInternal).Select(t => (t.Location.X, t.Location.Y, t.CrownDiameterM / 2));
            var canopy = area > 0 ? Math.Min(1, CanopyRaster.CoveredArea(neighbourhood.Area, crowns) / area) : 0;
            perNeighbourhood[i] = new NeighbourhoodGreen(
                neighbourhood.Code,
                neighbourhood.Inhabitants,
                publicGreen,
                neighbourhood.Inhabitants > 0 ? publicGreen / neighbourhood.Inhabitants : null,
                canopy,
                canopy >= _settings.CanopyTarget);
        });

        var byCode = new Dictionary<string, NeighbourhoodGreen>(StringComparer.Ordinal);
        foreach (var n in perNeighbourhood)
        {
            if (!byCode.TryAdd(n.Code, n))
            {
                throw new ArgumentException($"Buurt '{n.Code}' occurs twice in '{GreenPorts.Neighbourhoods.Name}'.");
            }
        }

        var perDwelling = Dwellings(dwellings, trees, merged, byCode, cancellationToken);
        run.Output(GreenPorts.PerNeighbourhood, perNeighbourhood);
        run.Output(GreenPorts.PerDwelling, perDwelling);
        run.Output(GreenPorts.Summary, Summary(perNeighbourhood, perDwelling));
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

    private List<DwellingGreen> Dwellings(
        IReadOnlyList<Dwelling> dwellings,
        IReadOnlyList<TreeLocation> trees,
        IReadOnlyList<Geometry> merged,
        Dictionary<string, NeighbourhoodGreen> byCode,
        CancellationToken cancellationToken)
    {
        var radius = _settings.TreeVisibilityRadiusM;
        var treeBuckets = new BucketGrid<int>([.. trees.Select(t => (t.Location.X, t.Location.Y, t.Location.X, t.Location.Y, 0))], radius);
        var near = new List<int>();
        var parks = new ParkDistances([.. merged.Where(p => p.Area >= _settings.MinimumParkAreaM2)], _settings.ParkDistanceM);
        var results = new List<DwellingGreen>(dwellings.Count);
        for (var i = 0; i < dwellings.Count; i++)
        {
            if ((i & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var dwelling = dwellings[i];
            if (!byCode.TryGetValue(dwelling.NeighbourhoodCode, out var neighbourhood))
            {
                throw new ArgumentException($"Dwelling '{dwelling.Id}' is in buurt '{dwelling.NeighbourhoodCode}', which is not in '{GreenPorts.Neighbourhoods.Name}'.");
            }

            var nearby = TreesWithin(treeBuckets, near, dwelling.Location.X, dwelling.Location.Y, radius);
            var parkDistance = parks.Nearest(dwelling.Location.X, dwelling.Location.Y);
            results.Add(new DwellingGreen(
                dwelling.Id,
                nearby,
                nearby >= _settings.MinimumTrees,
                neighbourhood.MeetsCanopyTarget,
                parkDistance,
                parkDistance <= _settings.ParkDistanceM));
        }

        return results;
    }

    /// <summary>The trees whose trunk is within <paramref name="radius"/> of (<paramref name="x"/>, <paramref name="y"/>), boundary included.</summary>
    private static int TreesWithin(BucketGrid<int> trees, List<int> near, double x, double y, double radius)
    {
        trees.Near(x, y, radius, near);
        var count = 0;
        foreach (var t in near)
        {
            // The same arithmetic as NetTopologySuite's point distance, so the boundary case counts as it did with it.
            var (dx, dy) = (trees.Segments[t].X1 - x, trees.Segments[t].Y1 - y);
            if (Math.Sqrt((dx * dx) + (dy * dy)) <= radius)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// The green spaces merged where they overlap or touch, as polygons that are apart (at most touching in a point): the
    /// polygons of their union. The union is taken per group of green spaces that intersect one another (found with an
    /// R-tree and prepared geometries), not over the whole city at once: a green space that meets no other is kept as it
    /// is, and a city's tens of thousands of green polygons cost one small union per group instead of one huge one.
    /// </summary>
    private static List<Geometry> MergedGreen(IReadOnlyList<GreenSpace> green)
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

        var merged = new List<Geometry>();
        foreach (var members in Enumerable.Range(0, green.Count).GroupBy(Root).OrderBy(g => g.Key))
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
    /// </summary>
    private static double CoveredArea(STRtree<Geometry> index, Geometry area)
    {
        var prepared = PreparedGeometryFactory.Prepare(area);
        var covered = 0.0;
        foreach (var piece in index.Query(area.EnvelopeInternal))
        {
            if (prepared.Covers(piece))
            {
                covered += piece.Area;
            }
            else if (prepared.Intersects(piece))
            {
                covered += OverlayNGRobust.Overlay(piece, area, SpatialFunction.Intersection).Area;
            }
        }

        return covered;
    }
}
