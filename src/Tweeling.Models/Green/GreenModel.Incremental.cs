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

    /// <summary>The margin, m, by which a changed region may lie beyond a dwelling's park distance and still have it assessed again.</summary>
    private const double RoundingMarginM = 1e-3;

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

        // The merged green of the current run, equal to a full run's: the parks and the buurten near a change need it. When
        // the green changed, the earlier run's merge (kept by this instance, else merged again) is patched where it changed.
        var green = run.Input(GreenPorts.PublicGreen);
        GreenMerge merge;
        List<Envelope> changedRegion = [];
        if (greenChanged)
        {
            var greenBefore = previous.Input(GreenPorts.PublicGreen);
            if ((_merges.TryGetValue(greenBefore, out var earlierMerge) ? earlierMerge : GreenMerge.Of(greenBefore)).Patch(greenBefore, green, MaximumChangedShare) is not { } patched)
            {
                return false;
            }

            (merge, changedRegion) = patched;
        }
        else
        {
            merge = _merges.TryGetValue(green, out var same) ? same : GreenMerge.Of(green);
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

        _merges.AddOrUpdate(green, merge);
        var merged = merge.Merged;
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

        var assessor = new DwellingAssessor(_settings, run.Input(GreenPorts.Trees), merged, ByCode(perNeighbourhood), dwellings);
        var bounds = new Envelope();
        changedRegion.ForEach(bounds.ExpandToInclude);
        var perDwelling = new DwellingGreen[dwellings.Count];
        Parallel.For(0, dwellings.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var dwelling = dwellings[i];
            var kept = earlier.TryGetValue(dwelling.Id, out var e) && e.Dwelling == dwelling
                && !(e.Green.DistanceToParkM is not { } distance ? region.Count > 0 : Within(region, bounds, dwelling.Location.Coordinate, distance));
            perDwelling[i] = kept ? e.Green : assessor.Assess(dwelling);
        });

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

    /// <summary>Whether an envelope of <paramref name="region"/> meets <paramref name="envelope"/>.</summary>
    private static bool Touches(STRtree<Envelope> region, Envelope envelope) =>
        region.Count > 0 && region.Query(envelope).Any(e => e.Intersects(envelope));

    /// <summary>
    /// Whether an envelope of <paramref name="region"/> is at most <paramref name="distance"/> from <paramref name="point"/>;
    /// <paramref name="bounds"/>, the envelope of them all, answers "no" at once for the many points far from every one.
    /// </summary>
    private static bool Within(STRtree<Envelope> region, Envelope bounds, Coordinate point, double distance)
    {
        // The distance to a park's envelope can come out a rounding error above the distance to the park itself (a
        // straight park edge on its envelope): a margin of 1 mm keeps such a park in; one too many is only assessed again.
        var reach = distance + RoundingMarginM;
        var at = new Envelope(point);
        if (region.Count == 0 || bounds.Distance(at) > reach)
        {
            return false;
        }

        var window = new Envelope(point.X - reach, point.X + reach, point.Y - reach, point.Y + reach);
        return region.Query(window).Any(e => e.Distance(at) <= reach);
    }
}
