using Tweeling.Models.Graph;

namespace Tweeling.Models.Green;

/// <summary>
/// The green model brought up to date after an edit (<see cref="IIncrementalModel"/>, docs/scenarios.md "Incremental
/// runs"): what costs time — the public green and canopy inside each buurt, the parks, the trees near each dwelling —
/// depends on the buurt polygons, the green, the trees and the dwelling points, not on the inhabitants. So a change of
/// inhabitants only redoes the per-inhabitant division, and a change of some dwellings (an intervention's new
/// buildings) recomputes those dwellings alone; every other figure is copied from the earlier run.
/// </summary>
public sealed partial class GreenModel : IIncrementalModel
{
    /// <summary>More changed dwellings than this share of all of them and a full run is as cheap.</summary>
    private const double MaximumChangedDwellingShare = 0.25;

    /// <inheritdoc />
    public bool TryRunIncremental(ModelRun run, PreviousRun previous, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(previous);
        // Green and trees change the areas, the canopy and the parks of every dwelling near them: a full run.
        if (previous.HasChanged(GreenPorts.PublicGreen) || previous.HasChanged(GreenPorts.Trees))
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

        var perNeighbourhood = new List<NeighbourhoodGreen>(neighbourhoods.Count);
        for (var i = 0; i < neighbourhoods.Count; i++)
        {
            var (now, then) = (neighbourhoods[i], before[i]);
            // A negative count is refused by the full run, with its message.
            if (now.Code != then.Code || now.Inhabitants < 0 || !(ReferenceEquals(now.Area, then.Area) || now.Area.EqualsExact(then.Area)))
            {
                return false;
            }

            var green = perNeighbourhoodBefore[i];
            // The full run's division, so the figure is the same double.
            perNeighbourhood.Add(now.Inhabitants == green.Inhabitants
                ? green
                : green with { Inhabitants = now.Inhabitants, GreenM2PerInhabitant = now.Inhabitants > 0 ? green.PublicGreenM2 / now.Inhabitants : null });
        }

        var perDwelling = previous.HasChanged(GreenPorts.Dwellings)
            ? UpdatedDwellings(run, previous, neighbourhoods, cancellationToken)
            : previous.Output(GreenPorts.PerDwelling);
        if (perDwelling is null)
        {
            return false;
        }

        run.Output(GreenPorts.PerNeighbourhood, perNeighbourhood);
        run.Output(GreenPorts.PerDwelling, perDwelling);
        run.Output(GreenPorts.Summary, Summary(perNeighbourhood, perDwelling));
        return true;
    }

    /// <summary>
    /// Every current dwelling's 3-30-300: the earlier figure of a dwelling whose id, point and buurt are unchanged, and
    /// for the others a run of the model on just those dwellings and their buurten (a dwelling's figures depend only on
    /// the trees, the parks and its buurt's canopy); <c>null</c> when too many changed.
    /// </summary>
    private List<DwellingGreen>? UpdatedDwellings(ModelRun run, PreviousRun previous, IReadOnlyList<Neighbourhood> neighbourhoods, CancellationToken cancellationToken)
    {
        var dwellings = run.Input(GreenPorts.Dwellings);
        var earlier = new Dictionary<string, (Dwelling Dwelling, DwellingGreen Green)>(StringComparer.Ordinal);
        var (dwellingsBefore, greenBefore) = (previous.Input(GreenPorts.Dwellings), previous.Output(GreenPorts.PerDwelling));
        for (var i = 0; i < dwellingsBefore.Count; i++)
        {
            if (!earlier.TryAdd(dwellingsBefore[i].Id, (dwellingsBefore[i], greenBefore[i])))
            {
                return null;
            }
        }

        var changed = dwellings.Where(d => !(earlier.TryGetValue(d.Id, out var e) && e.Dwelling == d)).ToList();
        if (changed.Count > MaximumChangedDwellingShare * dwellings.Count)
        {
            return null;
        }

        var computed = new Dictionary<string, DwellingGreen>(StringComparer.Ordinal);
        if (changed.Count > 0)
        {
            var codes = changed.Select(d => d.NeighbourhoodCode).ToHashSet(StringComparer.Ordinal);
            var part = ModelRun.Execute(
                this,
                new Dictionary<string, object>(StringComparer.Ordinal)
                {
                    [GreenPorts.Neighbourhoods.Name] = (IReadOnlyList<Neighbourhood>)[.. neighbourhoods.Where(n => codes.Contains(n.Code))],
                    [GreenPorts.PublicGreen.Name] = run.Input(GreenPorts.PublicGreen),
                    [GreenPorts.Trees.Name] = run.Input(GreenPorts.Trees),
                    [GreenPorts.Dwellings.Name] = (IReadOnlyList<Dwelling>)changed,
                },
                run.Seed,
                cancellationToken);
            foreach (var green in (IReadOnlyList<DwellingGreen>)part[GreenPorts.PerDwelling.Name])
            {
                if (!computed.TryAdd(green.DwellingId, green))
                {
                    return null;
                }
            }
        }

        return [.. dwellings.Select(d => computed.TryGetValue(d.Id, out var green) ? green : earlier[d.Id].Green)];
    }
}
