using System.Runtime.CompilerServices;
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
    /// <summary>The earlier run's dwellings by id, beside its per-dwelling figures (<see cref="EarlierDwellings"/>).</summary>
    private readonly ConditionalWeakTable<IReadOnlyList<DwellingGreen>, EarlierDwellingGreen> _earlierDwellings = [];

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
        List<Geometry> changedPieces = [];
        if (greenChanged)
        {
            var greenBefore = previous.Input(GreenPorts.PublicGreen);
            if ((_merges.TryGetValue(greenBefore, out var earlierMerge) ? earlierMerge : GreenMerge.Of(greenBefore)).Patch(greenBefore, green, MaximumChangedShare) is not { } patched)
            {
                return false;
            }

            (merge, changedPieces) = patched;
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
        var region = Region(changedPieces);

        // A dwelling's park distance reads only the pieces of at least the park size: a changed smaller piece cannot change it.
        var changedParks = changedPieces.Where(p => p.Area >= _settings.MinimumParkAreaM2).ToList();
        var parkRegion = Region(changedParks);
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

        var assessor = new DwellingAssessor(_settings, TrunksOf(run.Input(GreenPorts.Trees)), merged, ByCode(perNeighbourhood), dwellings);
        var parkBounds = new Envelope();
        changedParks.ForEach(p => parkBounds.ExpandToInclude(p.EnvelopeInternal));
        var perDwelling = new DwellingGreen[dwellings.Count];
        Parallel.For(0, dwellings.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var dwelling = dwellings[i];
            var kept = earlier.TryGetValue(dwelling.Id, out var e) && e.Dwelling == dwelling
                && !(e.Green.DistanceToParkM is not { } distance ? parkRegion.Count > 0 : Within(parkRegion, parkBounds, dwelling.Location.Coordinate, distance));
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

    /// <summary>
    /// The earlier run's dwellings with their figures, by id; <c>null</c> when an id occurs twice. Kept beside the earlier
    /// run's figures with the dwelling list they were read with: every edit of a scenario starts from the same baseline run.
    /// </summary>
    private Dictionary<string, (Dwelling Dwelling, DwellingGreen Green)>? EarlierDwellings(PreviousRun previous)
    {
        var (dwellings, green) = (previous.Input(GreenPorts.Dwellings), previous.Output(GreenPorts.PerDwelling));
        if (_earlierDwellings.TryGetValue(green, out var kept) && ReferenceEquals(kept.Dwellings, dwellings))
        {
            return kept.ById;
        }

        var earlier = new Dictionary<string, (Dwelling Dwelling, DwellingGreen Green)>(dwellings.Count, StringComparer.Ordinal);
        for (var i = 0; i < dwellings.Count; i++)
        {
            if (!earlier.TryAdd(dwellings[i].Id, (dwellings[i], green[i])))
            {
                earlier = null;
                break;
            }
        }

        _earlierDwellings.AddOrUpdate(green, new(dwellings, earlier));
        return earlier;
    }

    private sealed record EarlierDwellingGreen(IReadOnlyList<Dwelling> Dwellings, Dictionary<string, (Dwelling Dwelling, DwellingGreen Green)>? ById);

    /// <summary>The envelopes of <paramref name="pieces"/>, indexed.</summary>
    private static STRtree<Envelope> Region(List<Geometry> pieces)
    {
        var region = new STRtree<Envelope>();
        foreach (var piece in pieces)
        {
            region.Insert(piece.EnvelopeInternal, piece.EnvelopeInternal);
        }

        region.Build();
        return region;
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
