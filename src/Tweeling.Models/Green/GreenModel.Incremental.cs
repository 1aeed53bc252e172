using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using Tweeling.Models.Graph;

namespace Tweeling.Models.Green;

/// <summary>
/// The green model brought up to date after an edit (<see cref="IIncrementalModel"/>, docs/scenarios.md "Incremental
/// runs"). What costs time is the canopy per buurt (a raster of every buurt at 0.5 m), the public green per buurt (an
/// overlay of the merged green with each buurt) and the 3-30-300 per dwelling. The canopy depends on the trees and the
/// buurt polygons alone; a buurt's public green changes only where the merged green changed; a dwelling's 3-30-300
/// changes only when it is new or moved, or a park that changed could be its nearest. So an edit that adds dwellings
/// (which cover their plots, public green included) or green in a few places recomputes those buurten and dwellings and
/// copies every other figure from the earlier run.
/// </summary>
public sealed partial class GreenModel : IIncrementalModel
{
    /// <summary>More changed dwellings or green spaces than this share of all of them and a full run is as cheap.</summary>
    private const double MaximumChangedShare = 0.25;

    /// <inheritdoc />
    public bool TryRunIncremental(ModelRun run, PreviousRun previous, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(previous);

        // Trees change the canopy of every buurt under their crowns and the trees near every dwelling: a full run.
        if (previous.HasChanged(GreenPorts.Trees) && !ReferenceEquals(run.Input(GreenPorts.Trees), previous.Input(GreenPorts.Trees)))
        {
            return false;
        }

        var neighbourhoods = run.Input(GreenPorts.Neighbourhoods);
        var before = previous.Input(GreenPorts.Neighbourhoods);
        var perNeighbourhoodBefore = previous.Output(GreenPorts.PerNeighbourhood);
        if (neighbourhoods.Count != before.Count || perNeighbourhoodBefore.Count != before.Count)
        {
            return false;
        }

        for (var i = 0; i < neighbourhoods.Count; i++)
        {
            var (now, then) = (neighbourhoods[i], before[i]);
            // A negative count is refused by the full run, with its message.
            if (now.Code != then.Code || now.Inhabitants < 0 || !(ReferenceEquals(now.Area, then.Area) || now.Area.EqualsExact(then.Area)))
            {
                return false;
            }
        }

        var greenChanged = previous.HasChanged(GreenPorts.PublicGreen);
        var dwellingsChanged = previous.HasChanged(GreenPorts.Dwellings);
        if (!greenChanged && !dwellingsChanged)
        {
            // Only inhabitants: the full run's division, so the figure is the same double.
            var divided = perNeighbourhoodBefore.Select((green, i) => Figures(neighbourhoods[i], green.PublicGreenM2, green.CanopyShare)).ToList();
            var unchanged = previous.Output(GreenPorts.PerDwelling);
            Write(run, divided, unchanged);
            return true;
        }

        // The merged green of the current run, as a full run merges it: the parks and the buurten near a change need it.
        var green = run.Input(GreenPorts.PublicGreen);
        var merged = MergedGreen(green, out var groupOf);
        var changedRegion = greenChanged ? ChangedGreenRegion(previous.Input(GreenPorts.PublicGreen), green, groupOf) : [];
        if (changedRegion is null)
        {
            return false;
        }

        var dwellings = run.Input(GreenPorts.Dwellings);
        var earlier = EarlierDwellings(previous);
        if (earlier is null)
        {
            return false;
        }

        var changedDwellings = dwellings.Count(d => !(earlier.TryGetValue(d.Id, out var e) && e.Dwelling == d));
        if (changedDwellings > MaximumChangedShare * dwellings.Count)
        {
            return false;
        }

        var region = new STRtree<Envelope>();
        foreach (var envelope in changedRegion)
        {
            region.Insert(envelope, envelope);
        }

        region.Build();
        var greenIndex = Index(merged);
        var perNeighbourhood = new NeighbourhoodGreen[neighbourhoods.Count];
        Parallel.For(0, neighbourhoods.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            // A buurt no changed piece of green reaches sums the same parts (in an order of their own) as before.
            var neighbourhood = neighbourhoods[i];
            var then = perNeighbourhoodBefore[i];
            var publicGreen = Touches(region, neighbourhood.Area.EnvelopeInternal) ? CoveredArea(greenIndex, neighbourhood.Area) : then.PublicGreenM2;
            perNeighbourhood[i] = Figures(neighbourhood, publicGreen, then.CanopyShare);
        });

        var assessor = new DwellingAssessor(_settings, run.Input(GreenPorts.Trees), merged, ByCode(perNeighbourhood));
        var perDwelling = new List<DwellingGreen>(dwellings.Count);
        for (var i = 0; i < dwellings.Count; i++)
        {
            if ((i & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var dwelling = dwellings[i];
            var kept = earlier.TryGetValue(dwelling.Id, out var e) && e.Dwelling == dwelling
                && !(e.Green.DistanceToParkM is not { } distance ? region.Count > 0 : Within(region, dwelling.Location.Coordinate, distance));
            perDwelling.Add(kept ? e.Green : assessor.Assess(dwelling));
        }

        Write(run, perNeighbourhood, perDwelling);
        return true;
    }

    private static void Write(ModelRun run, IReadOnlyList<NeighbourhoodGreen> perNeighbourhood, IReadOnlyList<DwellingGreen> perDwelling)
    {
        run.Output(GreenPorts.PerNeighbourhood, perNeighbourhood);
        run.Output(GreenPorts.PerDwelling, perDwelling);
        run.Output(GreenPorts.Summary, Summary(perNeighbourhood, perDwelling));
    }

    /// <summary>The earlier run's dwellings with their figures, by id; <c>null</c> when an id occurs twice.</summary>
    private static Dictionary<string, (Dwelling Dwelling, DwellingGreen Green)>? EarlierDwellings(PreviousRun previous)
    {
        var (dwellings, green) = (previous.Input(GreenPorts.Dwellings), previous.Output(GreenPorts.PerDwelling));
        var earlier = new Dictionary<string, (Dwelling Dwelling, DwellingGreen Green)>(dwellings.Count, StringComparer.Ordinal);
        for (var i = 0; i < dwellings.Count; i++)
        {
            if (!earlier.TryAdd(dwellings[i].Id, (dwellings[i], green[i])))
            {
                return null;
            }
        }

        return earlier;
    }

    /// <summary>
    /// The envelopes that hold every piece of merged green that differs between the <paramref name="before"/> and
    /// <paramref name="now"/> green spaces; <c>null</c> when too much changed. A green space is kept when the same
    /// geometry instance is in both lists and the kept ones keep their order (one out of order counts as changed). A
    /// group of green spaces (<see cref="MergedGreen"/>) merges to the same pieces as before when none of its members
    /// changed or meets a changed one; the others are "dirty": the region is the envelopes of the changed green spaces
    /// (before and after) and of every member of a dirty group, which cover the dirty groups' pieces before and after.
    /// </summary>
    /// <param name="before">The earlier run's green spaces.</param>
    /// <param name="now">The current green spaces.</param>
    /// <param name="groupOf">The group of each current green space, as <see cref="MergedGreen"/> found them.</param>
    private static List<Envelope>? ChangedGreenRegion(IReadOnlyList<GreenSpace> before, IReadOnlyList<GreenSpace> now, int[] groupOf)
    {
        var earlierIndex = new Dictionary<Geometry, int>(before.Count, ReferenceEqualityComparer.Instance);
        for (var i = 0; i < before.Count; i++)
        {
            if (!earlierIndex.TryAdd(before[i].Area, i))
            {
                return null;
            }
        }

        var kept = new bool[before.Count];
        var changedNow = new List<int>();
        var last = -1;
        for (var i = 0; i < now.Count; i++)
        {
            if (earlierIndex.TryGetValue(now[i].Area, out var j) && j > last)
            {
                kept[j] = true;
                last = j;
            }
            else
            {
                changedNow.Add(i);
            }
        }

        var changedBefore = Enumerable.Range(0, before.Count).Where(j => !kept[j]).Select(j => before[j].Area.EnvelopeInternal).ToList();
        if (changedNow.Count + changedBefore.Count > MaximumChangedShare * Math.Max(1, now.Count))
        {
            return null;
        }

        // A kept green space whose envelope meets a changed one's earlier envelope may have been merged with it: dirty too.
        var removed = new STRtree<Envelope>();
        foreach (var envelope in changedBefore)
        {
            removed.Insert(envelope, envelope);
        }

        removed.Build();
        var dirty = new HashSet<int>(changedNow);
        for (var i = 0; i < now.Count; i++)
        {
            if (Touches(removed, now[i].Area.EnvelopeInternal))
            {
                dirty.Add(i);
            }
        }

        var dirtyGroups = dirty.Select(i => groupOf[i]).ToHashSet();
        var region = new List<Envelope>(changedBefore);
        for (var i = 0; i < now.Count; i++)
        {
            if (dirtyGroups.Contains(groupOf[i]))
            {
                region.Add(now[i].Area.EnvelopeInternal);
            }
        }

        return region;
    }

    /// <summary>Whether an envelope of <paramref name="region"/> meets <paramref name="envelope"/>.</summary>
    private static bool Touches(STRtree<Envelope> region, Envelope envelope) =>
        region.Count > 0 && region.Query(envelope).Any(e => e.Intersects(envelope));

    /// <summary>Whether an envelope of <paramref name="region"/> is at most <paramref name="distance"/> from <paramref name="point"/>.</summary>
    private static bool Within(STRtree<Envelope> region, Coordinate point, double distance)
    {
        if (region.Count == 0)
        {
            return false;
        }

        var at = new Envelope(point);
        var window = new Envelope(point.X - distance, point.X + distance, point.Y - distance, point.Y + distance);
        return region.Query(window).Any(e => e.Distance(at) <= distance);
    }
}
