using NetTopologySuite.Geometries;
using Tweeling.Models.City;
using Tweeling.Models.Graph;
using Tweeling.Models.Spatial;
using Tweeling.Models.Traffic;

namespace Tweeling.Models.AirQuality;

/// <summary>
/// The air quality model brought up to date after an edit (<see cref="IIncrementalModel"/>, docs/scenarios.md
/// "Incremental runs"): a point's concentrations depend only on the sources within the widest SRM1 domain (60 m), so
/// only the receptors and grid cells within 60 m of a link whose traffic, class, speed limit or centre line changed (as it
/// was or as it is), and receptors that are new or moved, are computed again; the others keep their earlier values.
/// </summary>
/// <remarks>
/// Bit-equal to a full run: a point takes the largest contribution, ties going to the source listed first, and the
/// sources keep the order of the traffic list. So the model declines (a full run) when the traffic list names other links
/// or the same links in another order, when the street profiles or the background changed, or when the grid moved (the
/// extent of the road network changed).
/// </remarks>
public sealed partial class AirQualityModel : IIncrementalModel
{
    /// <inheritdoc />
    public bool TryRunIncremental(ModelRun run, PreviousRun previous, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(previous);
        var (links, traffic, background) = (run.Input(TrafficPorts.RoadLinks), run.Input(TrafficPorts.LinkTraffic), run.Input(AirQualityPorts.Background));
        var (linksBefore, trafficBefore) = (previous.Input(TrafficPorts.RoadLinks), previous.Input(TrafficPorts.LinkTraffic));
        if (!background.Equals(previous.Input(AirQualityPorts.Background))
            || !run.Input(AirQualityPorts.StreetProfiles).SequenceEqual(previous.Input(AirQualityPorts.StreetProfiles))
            || traffic.Count != trafficBefore.Count)
        {
            return false;
        }

        // The full run's checks and messages come first: a bad input fails here as it would there.
        var sources = Sources(links, traffic, run.Input(AirQualityPorts.StreetProfiles));
        var grid = GridLayout.Over(links, _parameters);
        if (grid != GridLayout.Over(linksBefore, _parameters) || LinkById(linksBefore) is not { } linkBefore)
        {
            return false;
        }

        var linkNow = LinkById(links)!;
        var changed = new List<LineString>();
        for (var i = 0; i < traffic.Count; i++)
        {
            var (now, then) = (traffic[i], trafficBefore[i]);
            if (now.LinkId != then.LinkId || !linkBefore.TryGetValue(then.LinkId, out var before))
            {
                return false;
            }

            var after = linkNow[now.LinkId];
            // A link without traffic is no source, whatever else its record says.
            var (isSource, wasSource) = (now.VehiclesPerDay != 0, then.VehiclesPerDay != 0);
            if ((isSource || wasSource) && !(now.Equals(then) && SameSource(after, before)))
            {
                if (wasSource)
                {
                    changed.Add(before.Geometry);
                }

                if (isSource)
                {
                    changed.Add(after.Geometry);
                }
            }
        }

        var near = ChangedPlaces.OfLines(changed, BucketSize);
        var receptors = run.Input(AirQualityPorts.Receptors);
        var (receptorsBefore, atReceptorsBefore) = (previous.Input(AirQualityPorts.Receptors), previous.Output(AirQualityPorts.ReceptorConcentrations));
        var cellsBefore = previous.Output(AirQualityPorts.GridConcentrations);
        if (atReceptorsBefore.Count != receptorsBefore.Count || cellsBefore.Count != grid.Count)
        {
            return false;
        }

        // A point's values depend on its id and place alone, so any earlier receptor with the same id and place will do.
        var earlier = new Dictionary<string, AirConcentration>(receptorsBefore.Count, StringComparer.Ordinal);
        foreach (var value in atReceptorsBefore)
        {
            earlier.TryAdd(value.Id, value);
        }

        var atReceptors = new AirConcentration[receptors.Count];
        var receptorsAgain = new List<int>();
        for (var r = 0; r < receptors.Count; r++)
        {
            var c = receptors[r].Location.Coordinate;
            if (earlier.TryGetValue(receptors[r].Id, out var was) && was.X == c.X && was.Y == c.Y && !near.Touches(c.X, c.Y))
            {
                atReceptors[r] = was;
            }
            else
            {
                receptorsAgain.Add(r);
            }
        }

        var cells = new AirConcentration[grid.Count];
        var cellsAgain = new List<int>();
        for (var k = 0; k < grid.Count; k++)
        {
            if (near.Touches(grid.X(k), grid.Y(k)))
            {
                cellsAgain.Add(k);
            }
            else
            {
                cells[k] = cellsBefore[k];
            }
        }

        Compute(sources, background, receptors, receptorsAgain, atReceptors, grid, cellsAgain, cells, cancellationToken);
        run.Output(AirQualityPorts.ReceptorConcentrations, atReceptors);
        run.Output(AirQualityPorts.GridConcentrations, cells);
        return true;
    }

    private static Dictionary<string, RoadLink>? LinkById(IReadOnlyList<RoadLink> links)
    {
        var byId = new Dictionary<string, RoadLink>(links.Count, StringComparer.Ordinal);
        foreach (var link in links)
        {
            if (!byId.TryAdd(link.Id, link))
            {
                return null;
            }
        }

        return byId;
    }

    // What a source takes from its link: the centre line, and the class and speed limit that set its speed class.
    private static bool SameSource(RoadLink a, RoadLink b) =>
        ReferenceEquals(a, b) || (a.Class == b.Class && a.SpeedLimitKmh.Equals(b.SpeedLimitKmh) && (ReferenceEquals(a.Geometry, b.Geometry) || a.Geometry.EqualsExact(b.Geometry)));
}
