using Tweeling.Models.City;
using Tweeling.Models.Graph;

namespace Tweeling.Models.Accessibility;

/// <summary>What a run of <see cref="AccessibilityModel"/> keeps for the next edit to start from (<see cref="TryRunIncremental"/>).</summary>
public sealed partial class AccessibilityModel
{
    // The kept states of the last few runs, the most recently used last. Each holds per dwelling a join point, a buurt
    // index and one distance per facility kind (a few MB for the demo city's 57,000 dwelling buildings); the network and
    // the distance fields are shared by every state on the same roads and facilities. The baseline and the last run of each
    // of the runner's kept scenarios (ScenarioRunner.KeptScenarioRuns) fit.
    private readonly KeptRunStates<DistanceState> _states = new(capacity: 8);

    /// <summary>
    /// The distance field of one facility kind: the network distance from its nearest facility to every node (one
    /// multi-source Dijkstra) and its facilities per link, which a point on the same link reaches without passing a node.
    /// </summary>
    /// <param name="Facilities">The kind's facilities, in input order: the field is theirs alone.</param>
    /// <param name="NodeDistance">Per network node, metres from the nearest facility (+∞ where none is reached).</param>
    /// <param name="OnLink">Per link index, where the facilities join it.</param>
    private sealed record KindField(IReadOnlyList<Facility> Facilities, double[] NodeDistance, Dictionary<int, IReadOnlyList<Snap>> OnLink)
    {
        public static KindField Of(PathNetwork network, List<Facility> ofKind)
        {
            var sources = ofKind.Select(f => network.SnapTo(f.Location)).OfType<Snap>().ToList();
            var onLink = sources.GroupBy(s => s.Link).ToDictionary(g => g.Key, g => (IReadOnlyList<Snap>)[.. g]);
            return new KindField(ofKind, network.Distances(sources), onLink);
        }

        /// <summary>Metres from the point joined at <paramref name="at"/> to the nearest facility; +∞ when it does not join or none is reached.</summary>
        public double MetresTo(PathNetwork network, Snap? at) =>
            at is { } snap ? network.DistanceAt(NodeDistance, snap, OnLink.GetValueOrDefault(snap.Link)) : double.PositiveInfinity;

        /// <summary>Whether <paramref name="ofKind"/> joins the network where this field's facilities do: the same points in the same order.</summary>
        public bool SameFacilities(List<Facility> ofKind) =>
            ofKind.Count == Facilities.Count
            && ofKind.Zip(Facilities).All(p => ReferenceEquals(p.First.Location, p.Second.Location) || p.First.Location.EqualsExact(p.Second.Location));
    }

    /// <summary>One run's network, fields and per-dwelling results, by dwelling in input order.</summary>
    /// <param name="Network">The walking and cycling network.</param>
    /// <param name="Kinds">The facility kinds, in report order.</param>
    /// <param name="Fields">Per kind, its distance field.</param>
    /// <param name="Dwellings">The run's dwellings.</param>
    /// <param name="Snaps">Per dwelling, where it joins the network.</param>
    /// <param name="Metres">Per kind and dwelling, the distance to the nearest facility (+∞ where none is reached).</param>
    /// <param name="Codes">The dwellings' buurt codes, distinct, in ordinal order.</param>
    /// <param name="BuurtOf">Per dwelling, its buurt's index in <paramref name="Codes"/>.</param>
    private sealed record DistanceState(
        PathNetwork Network,
        List<string> Kinds,
        KindField[] Fields,
        IReadOnlyList<Dwelling> Dwellings,
        Snap?[] Snaps,
        double[][] Metres,
        List<string> Codes,
        int[] BuurtOf);
}
