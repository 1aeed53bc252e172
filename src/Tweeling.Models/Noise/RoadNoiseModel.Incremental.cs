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
/// <para>
/// Bit-equal to a full run because a receptor's energy sum visits the same segments in the same order: the segment grid
/// lists segments by cell and then by index, its cells depend only on the segments' extent, and the sources keep the
/// order of the traffic list. So the model declines (a full run) when the traffic list names other links or the same
/// links in another order, or when the extent of the links with traffic changed.
/// </para>
/// <para>
/// Proportional to the edit, not the city: it starts from the state the earlier run left beside its levels (sources,
/// segment grid, levels per receptor, receptors by place). When the road links are the same list and every link that
/// carried traffic still does, only the changed traffic records are checked and get new band energies, and the segment
/// grid is shared; the receptors near a change are found through the receptor index. An earlier run that this instance
/// did not make has no state here: the model then declines.
/// </para>
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
        if (!_states.TryGetValue(previous.Output(NoisePorts.FacadeLevels), out var earlier)
            || !earlier.IsFor(linksBefore, trafficBefore, previous.Input(NoisePorts.Receptors)))
        {
            return false;
        }

        var changed = new List<LineString>();
        var sources = ReferenceEquals(links, linksBefore) ? SameSources(traffic, earlier, changed) : null;
        if (sources is null)
        {
            changed.Clear();
            sources = Sources(links, traffic, earlier);
            var derived = sources;
            if (!earlier.Sourced.ChangedLines(sources.Of(traffic), (a, b) => SameLine(derived.Lines[a], earlier.Sources.Lines[b]), changed))
            {
                return false;
            }
        }

        if (!sources.Extent.Equals(earlier.Sources.Extent))
        {
            return false;
        }

        var radius = _settings.SearchRadiusM;
        var kept = KeptReceptors.Match(receptors, earlier.Receptors, r => r.Id, r => r.Location, ChangedPlaces.OfLines(changed, radius), earlier.Index(radius), radius);
        var levels = new FacadeNoise?[receptors.Count];
        Array.Copy(earlier.Levels, levels, kept.Shared);
        foreach (var (now, before) in kept.KeptInTail)
        {
            levels[now] = earlier.Levels[before];
        }

        ComputeLevels(sources, receptors, kept.Again, levels, cancellationToken);
        Write(run, new RunState(links, traffic, receptors, sources, levels, kept.Index));
        return true;
    }

    /// <summary>
    /// The sources of <paramref name="traffic"/> on the earlier run's road links when the same links carry traffic in the
    /// same order: the earlier centre lines and segment grid, new band energies for the changed records only (checked as a
    /// full run checks them), and their centre lines added to <paramref name="changed"/>; <c>null</c> otherwise.
    /// </summary>
    private SourceSet? SameSources(IReadOnlyList<LinkTraffic> traffic, RunState earlier, List<LineString> changed) =>
        earlier.Sourced.Updated(traffic, earlier.Sources.Energies, CheckTraffic, (flow, _) => BandEnergy(flow), changed) is not { } energies ? null
        : ReferenceEquals(energies, earlier.Sources.Energies) ? earlier.Sources
        : earlier.Sources with { Energies = energies };

    private static bool SameLine(LineString a, LineString b) => ReferenceEquals(a, b) || a.EqualsExact(b);
}
