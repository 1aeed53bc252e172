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
/// <para>
/// Bit-equal to a full run: a point takes the largest contribution, ties going to the source listed first, and the
/// sources keep the order of the traffic list. So the model declines (a full run) when the traffic list names other links
/// or the same links in another order, when the street profiles or the background changed, or when the grid moved (the
/// extent of the road network changed).
/// </para>
/// <para>
/// Proportional to the edit, not the city: it starts from the state the earlier run left beside its values (sources,
/// segment index, grid layout, receptors by place). When the road links are the same list and every link that carried
/// traffic still does, only the changed traffic records are checked and get new sources, and the segment index is
/// shared; the receptors near a change are found through the receptor index and the cells near it from the grid's
/// layout. An earlier run that this instance did not make has no state here: the model then declines.
/// </para>
/// </remarks>
public sealed partial class AirQualityModel : IIncrementalModel
{
    /// <inheritdoc />
    public bool TryRunIncremental(ModelRun run, PreviousRun previous, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(previous);
        var (links, traffic, background) = (run.Input(TrafficPorts.RoadLinks), run.Input(TrafficPorts.LinkTraffic), run.Input(AirQualityPorts.Background));
        var (linksBefore, trafficBefore, profiles) = (previous.Input(TrafficPorts.RoadLinks), previous.Input(TrafficPorts.LinkTraffic), run.Input(AirQualityPorts.StreetProfiles));
        if (!_states.TryGetValue(previous.Output(AirQualityPorts.ReceptorConcentrations), out var earlier)
            || !ReferenceEquals(earlier.Links, linksBefore) || !ReferenceEquals(earlier.Traffic, trafficBefore)
            || !ReferenceEquals(earlier.Receptors, previous.Input(AirQualityPorts.Receptors))
            || !background.Equals(previous.Input(AirQualityPorts.Background))
            || !(ReferenceEquals(profiles, earlier.Profiles) || profiles.SequenceEqual(earlier.Profiles))
            || traffic.Count != trafficBefore.Count)
        {
            return false;
        }

        var changed = new List<LineString>();
        var sources = ReferenceEquals(links, linksBefore) ? SameSources(traffic, earlier, changed) : null;
        var grid = earlier.Grid;
        if (sources is null)
        {
            // The full run's checks and messages come first: a bad input fails here as it would there.
            changed.Clear();
            sources = Sources(links, traffic, profiles);
            grid = GridLayout.Over(links, _parameters);
            var derived = sources;
            if (grid != earlier.Grid || !earlier.Sourced.ChangedLines(sources.Of(traffic), (a, b) => SameSource(derived.Sources[a].Link, earlier.Sources.Sources[b].Link), changed))
            {
                return false;
            }
        }

        var near = ChangedPlaces.OfLines(changed, BucketSize);
        var receptors = run.Input(AirQualityPorts.Receptors);
        var kept = KeptReceptors.Match(receptors, earlier.Receptors, r => r.Id, r => r.Location, near, earlier.Index(), BucketSize);
        var atReceptors = new AirConcentration[receptors.Count];
        Array.Copy(earlier.AtReceptors, atReceptors, kept.Shared);
        foreach (var (now, before) in kept.KeptInTail)
        {
            atReceptors[now] = earlier.AtReceptors[before];
        }

        var cells = (AirConcentration[])earlier.Cells.Clone();
        Compute(sources, background, receptors, kept.Again, atReceptors, grid, CellsNear(grid, near), cells, cancellationToken);
        Write(run, new RunState(links, traffic, profiles, receptors, sources, grid, atReceptors, cells, kept.Index));
        return true;
    }

    /// <summary>
    /// The sources of <paramref name="traffic"/> on the earlier run's road links when the same links carry traffic in the
    /// same order: the earlier sources and segment index, new sources for the changed records only (checked as a full run
    /// checks them), and their centre lines added to <paramref name="changed"/>; <c>null</c> otherwise.
    /// </summary>
    private SourceSet? SameSources(IReadOnlyList<LinkTraffic> traffic, RunState earlier, List<LineString> changed) =>
        earlier.Sourced.Updated(traffic, earlier.Sources.Sources, CheckTraffic, (flow, s) => SourceFor(earlier.Sources.Sources[s].Link, flow, earlier.Sources.ProfileById), changed) is not { } sources ? null
        : ReferenceEquals(sources, earlier.Sources.Sources) ? earlier.Sources
        : earlier.Sources with { Sources = sources };

    /// <summary>The cells of <paramref name="grid"/> whose centre is within reach of what changed, ascending.</summary>
    private static List<int> CellsNear(GridLayout grid, ChangedPlaces near)
    {
        var cells = new SortedSet<int>();
        foreach (var (minX, minY, maxX, maxY) in near.Reached)
        {
            // The columns and rows whose centres may lie in the box, one more on each side against rounding; Touches decides.
            var (firstColumn, lastColumn) = (Math.Max(0, (int)Math.Floor((minX - grid.MinX) / grid.Size) - 1), Math.Min(grid.Columns - 1, (int)Math.Floor((maxX - grid.MinX) / grid.Size) + 1));
            var (firstRow, lastRow) = (Math.Max(0, (int)Math.Floor((minY - grid.MinY) / grid.Size) - 1), Math.Min(grid.Rows - 1, (int)Math.Floor((maxY - grid.MinY) / grid.Size) + 1));
            for (var row = firstRow; row <= lastRow; row++)
            {
                for (var column = firstColumn; column <= lastColumn; column++)
                {
                    var k = (row * grid.Columns) + column;
                    if (near.Touches(grid.X(k), grid.Y(k)))
                    {
                        cells.Add(k);
                    }
                }
            }
        }

        return [.. cells];
    }

    // What a source takes from its link: the centre line, and the class and speed limit that set its speed class.
    private static bool SameSource(RoadLink a, RoadLink b) =>
        ReferenceEquals(a, b) || (a.Class == b.Class && a.SpeedLimitKmh.Equals(b.SpeedLimitKmh) && (ReferenceEquals(a.Geometry, b.Geometry) || a.Geometry.EqualsExact(b.Geometry)));
}
