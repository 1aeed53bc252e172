using NetTopologySuite.Geometries;
using Tweeling.Models.City;
using Tweeling.Models.Graph;
using Tweeling.Models.Spatial;

namespace Tweeling.Models.Noise;

/// <summary>
/// The noise model brought up to date after an edit (<see cref="IIncrementalModel"/>, docs/scenarios.md "Incremental
/// runs"): a receptor's levels depend only on the links with traffic within the search radius, so only the receptors
/// within that radius of a link whose traffic or centre line changed (as it was or as it is), and receptors that are
/// new or moved, are computed again; the others keep their earlier levels.
/// </summary>
/// <remarks>
/// Bit-equal to a full run because a receptor's energy sum visits the same segments in the same order: the segment grid
/// lists segments by cell and then by index, its cells depend only on the segments' extent, and the sources keep the
/// order of the traffic list. So the model declines (a full run) when the traffic list names other links or the same
/// links in another order, or when the extent of the links with traffic changed.
/// </remarks>
public sealed partial class RoadNoiseModel : IIncrementalModel
{
    /// <inheritdoc />
    public bool TryRunIncremental(ModelRun run, PreviousRun previous, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(previous);
        var (links, traffic, receptors) = (run.Input(NoisePorts.RoadLinks), run.Input(NoisePorts.LinkTraffic), run.Input(NoisePorts.Receptors));
        var (linksBefore, trafficBefore) = (previous.Input(NoisePorts.RoadLinks), previous.Input(NoisePorts.LinkTraffic));
        var sources = Sources(links, traffic, earlier: previous.Input(NoisePorts.LinkTraffic));
        if (traffic.Count != trafficBefore.Count || LineById(linksBefore) is not { } lineBefore)
        {
            return false;
        }

        var lineNow = LineById(links)!;
        var changed = new List<LineString>();
        var (extentNow, extentBefore) = (new Envelope(), new Envelope());
        for (var i = 0; i < traffic.Count; i++)
        {
            var (now, then) = (traffic[i], trafficBefore[i]);
            if (now.LinkId != then.LinkId || !lineBefore.TryGetValue(then.LinkId, out var before))
            {
                return false;
            }

            var after = lineNow[now.LinkId];
            // A link without traffic is no source, whatever else its record says.
            var (isSource, wasSource) = (now.VehiclesPerDay > 0, then.VehiclesPerDay > 0);
            if (isSource)
            {
                extentNow.ExpandToInclude(after.EnvelopeInternal);
            }

            if (wasSource)
            {
                extentBefore.ExpandToInclude(before.EnvelopeInternal);
            }

            if ((isSource || wasSource) && !(now.Equals(then) && SameLine(after, before)))
            {
                if (wasSource)
                {
                    changed.Add(before);
                }

                if (isSource)
                {
                    changed.Add(after);
                }
            }
        }

        if (!extentNow.Equals(extentBefore) || EarlierLevels(previous) is not { } earlier)
        {
            return false;
        }

        var near = ChangedPlaces.OfLines(changed, _settings.SearchRadiusM);
        var levels = new FacadeNoise?[receptors.Count];
        var again = new List<int>();
        for (var r = 0; r < receptors.Count; r++)
        {
            var at = receptors[r].Location;
            if (earlier.TryGetValue(receptors[r].Id, out var was) && was.Location.X == at.X && was.Location.Y == at.Y && !near.Touches(at.X, at.Y))
            {
                levels[r] = was.Level;
            }
            else
            {
                again.Add(r);
            }
        }

        ComputeLevels(Segments(sources), receptors, again, levels, cancellationToken);
        Write(run, levels);
        return true;
    }

    private static Dictionary<string, LineString>? LineById(IReadOnlyList<RoadLink> links)
    {
        var byId = new Dictionary<string, LineString>(links.Count, StringComparer.Ordinal);
        foreach (var link in links)
        {
            if (!byId.TryAdd(link.Id, link.Geometry))
            {
                return null;
            }
        }

        return byId;
    }

    private static bool SameLine(LineString a, LineString b) => ReferenceEquals(a, b) || a.EqualsExact(b);

    /// <summary>
    /// The earlier run's receptors by id, with their location and levels (<c>null</c> where no road was in reach); <c>null</c>
    /// when an id occurs twice, as the levels, listed by id, then do not say which receptor they belong to.
    /// </summary>
    private static Dictionary<string, (Point Location, FacadeNoise? Level)>? EarlierLevels(PreviousRun previous)
    {
        var (receptors, levels) = (previous.Input(NoisePorts.Receptors), previous.Output(NoisePorts.FacadeLevels));
        var earlier = new Dictionary<string, (Point, FacadeNoise?)>(receptors.Count, StringComparer.Ordinal);
        var next = 0;
        foreach (var receptor in receptors)
        {
            // The levels follow the receptors' order, leaving out those without a road in reach.
            var level = next < levels.Count && levels[next].ReceptorId == receptor.Id ? levels[next++] : null;
            if (!earlier.TryAdd(receptor.Id, (receptor.Location, level)))
            {
                return null;
            }
        }

        return next == levels.Count ? earlier : null;
    }
}
