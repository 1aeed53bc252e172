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
    private static readonly ConditionalWeakTable<IReadOnlyList<DwellingGreen>, EarlierDwellingGreen> s_earlierDwellings = [];

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
        // the green changed, the earlier run's merge (kept beside its list, else merged again) is patched where it changed;
        // a merge kept for the current list already (an edit seen before) is used for its kept sums and parks.
        var green = run.Input(GreenPorts.PublicGreen);
        GreenMerge merge;
        List<Geometry> changedPieces = [];
        if (greenChanged)
        {
            var greenBefore = previous.Input(GreenPorts.PublicGreen);
            if (s_merges.GetValue(greenBefore, GreenMerge.Of).Patch(greenBefore, green, MaximumChangedShare) is not { } patched)
            {
                return false;
            }

            changedPieces = patched.Changed;
            merge = s_merges.GetValue(green, _ => patched.Merge);
        }
        else
        {
            merge = s_merges.GetValue(green, GreenMerge.Of);
        }

        var dwellings = run.Input(GreenPorts.Dwellings);
        if (KeptDwellings(previous, dwellings) is not { } kept)
        {
            return false;
        }

        var changedDwellings = kept.Count(k => k is null);
        if (changedDwellings > MaximumChangedShare * dwellings.Count)
        {
            return false;
        }

        // A buurt no changed piece of green reaches sums the same parts (in an order of their own) as before; one it
        // reaches sums its parts of the merged pieces whose envelopes meet it, the ones a full run's index query gives.
        var merged = merge.Merged;
        var region = Region(changedPieces);
        var perNeighbourhood = perNeighbourhoodBefore.Select((then, i) => Figures(neighbourhoods[i], then.PublicGreenM2, then.CanopyShare)).ToArray();
        var reached = Enumerable.Range(0, neighbourhoods.Count).Where(i => Touches(region, neighbourhoods[i].Area.EnvelopeInternal)).ToArray();
        Parallel.ForEach(reached, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var area = neighbourhoods[i].Area;
            var publicGreen = merge.PublicGreenOf(area, a => CoveredArea(a, merged.Where(p => p.EnvelopeInternal.Intersects(a.EnvelopeInternal))));
            perNeighbourhood[i] = Figures(neighbourhoods[i], publicGreen, perNeighbourhoodBefore[i].CanopyShare);
        });

        // A dwelling's park distance reads only the pieces of at least the park size: a changed smaller piece cannot change it.
        var changedParks = changedPieces.Where(p => p.Area >= _settings.MinimumParkAreaM2).ToList();
        var parkRegion = Region(changedParks);
        var parkBounds = new Envelope();
        changedParks.ForEach(p => parkBounds.ExpandToInclude(p.EnvelopeInternal));
        var assessor = new DwellingAssessor(_settings, TrunksOf(run.Input(GreenPorts.Trees)), merge, ByCode(perNeighbourhood));
        assessor.Check(Enumerable.Range(0, dwellings.Count).Where(i => kept[i] is null).Select(i => dwellings[i]));
        var perDwelling = new DwellingGreen[dwellings.Count];
        Parallel.For(0, dwellings.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var dwelling = dwellings[i];
            var stays = kept[i] is { } e
                && (changedParks.Count == 0 || !(e.DistanceToParkM is not { } distance || Within(parkRegion, parkBounds, dwelling.Location.Coordinate, distance)));
            perDwelling[i] = stays ? kept[i]! : assessor.Assess(dwelling);
        });

        Write(run, perNeighbourhood, perDwelling);
        return true;
    }

    /// <summary>
    /// Per dwelling of <paramref name="dwellings"/>, the earlier run's figures of an equal dwelling, or <c>null</c> for a new
    /// or moved one; <c>null</c> altogether when the earlier dwellings cannot be looked up (an id twice). An edit keeps the
    /// dwellings it does not touch, in order, mostly at the same index as the earlier run: those are matched there, and
    /// only the rest by id.
    /// </summary>
    private DwellingGreen?[]? KeptDwellings(PreviousRun previous, IReadOnlyList<Dwelling> dwellings)
    {
        var (before, green) = (previous.Input(GreenPorts.Dwellings), previous.Output(GreenPorts.PerDwelling));
        var kept = new DwellingGreen?[dwellings.Count];
        Dictionary<string, (Dwelling Dwelling, DwellingGreen Green)>? byId = null;
        for (var i = 0; i < dwellings.Count; i++)
        {
            var dwelling = dwellings[i];
            if (i < before.Count && i < green.Count && (ReferenceEquals(before[i], dwelling) || before[i] == dwelling))
            {
                kept[i] = green[i];
                continue;
            }

            byId ??= EarlierDwellings(previous);
            if (byId is null)
            {
                return null;
            }

            kept[i] = byId.TryGetValue(dwelling.Id, out var e) && e.Dwelling == dwelling ? e.Green : null;
        }

        return kept;
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
    private static Dictionary<string, (Dwelling Dwelling, DwellingGreen Green)>? EarlierDwellings(PreviousRun previous)
    {
        var (dwellings, green) = (previous.Input(GreenPorts.Dwellings), previous.Output(GreenPorts.PerDwelling));
        if (s_earlierDwellings.TryGetValue(green, out var kept) && ReferenceEquals(kept.Dwellings, dwellings))
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

        s_earlierDwellings.AddOrUpdate(green, new(dwellings, earlier));
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
