using System.Globalization;
using System.Runtime.CompilerServices;
using NetTopologySuite.Geometries;
using Tweeling.Models.City;
using Tweeling.Models.Facilities;
using Tweeling.Models.Graph;

namespace Tweeling.Models.Accessibility;

/// <summary>
/// Network accessibility of facilities (model <c>bereikbaarheid</c>, docs/models/bereikbaarheid.md): the
/// walking and cycling distance and time from every dwelling to the nearest facility of each kind, by one
/// multi-source Dijkstra run per kind and mode (models.md §6, after CBS's Nabijheidsstatistiek), and
/// isochrones: the network reachable from a point within a time budget, buffered into an area.
/// </summary>
/// <remarks>
/// Walking and cycling use every link except stroomwegen (motorways and through roads, closed to both in
/// Dutch practice; their crossings and parallel paths are separate links), both ways. Dwellings, facilities
/// and isochrone origins join the network at the nearest point of the nearest link of the mode, by a
/// straight access line whose length counts in the distance.
/// </remarks>
public sealed partial class AccessibilityModel : IIncrementalModel
{
    /// <summary>The model's id, also its algorithm-register id.</summary>
    public const string ModelId = "bereikbaarheid";

    /// <summary>Walking speed: 5 km/h (models.md §6).</summary>
    public const double DefaultWalkKmh = 5;

    /// <summary>Cycling speed: 15 km/h (models.md §6).</summary>
    public const double DefaultCycleKmh = 15;

    /// <summary>
    /// How far an isochrone reaches to either side of a reachable street: 30 m, about the depth of a
    /// front garden and a house, so that the addresses along the street fall inside.
    /// </summary>
    public const double DefaultBufferMetres = 30;

    /// <summary>
    /// The network of each list of road links a run saw, beside the list (weak: it lives as long as the list). Building it
    /// (nodes, segments and their grid for 32,000 links in the demo city) was a tenth of a full run.
    /// </summary>
    private static readonly ConditionalWeakTable<IReadOnlyList<RoadLink>, PathNetwork> s_networks = [];

    /// <summary>
    /// Per network, where each list of dwellings a run saw joins it, beside the list: the join points of the baseline's
    /// dwellings are found once, not in every full run of the baseline. Never written once made: runs only read them.
    /// </summary>
    private static readonly ConditionalWeakTable<PathNetwork, ConditionalWeakTable<IReadOnlyList<Dwelling>, Snap?[]>> s_joins = [];

    /// <summary>The road classes walking and cycling may use: all but stroomwegen.</summary>
    private static readonly HashSet<RoadClass> s_activeModeClasses = [RoadClass.Gebiedsontsluitingsweg, RoadClass.Erftoegangsweg, RoadClass.Fietspad];

    private readonly double _walkMetresPerMinute;
    private readonly double _cycleMetresPerMinute;
    private readonly double _bufferMetres;

    /// <summary>A model with the given speeds (km/h) and isochrone buffer distance (m).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A speed or the buffer is not positive.</exception>
    public AccessibilityModel(double walkKmh = DefaultWalkKmh, double cycleKmh = DefaultCycleKmh, double bufferMetres = DefaultBufferMetres)
    {
        foreach (var (value, name) in new[] { (walkKmh, nameof(walkKmh)), (cycleKmh, nameof(cycleKmh)), (bufferMetres, nameof(bufferMetres)) })
        {
            if (!double.IsFinite(value) || value <= 0)
            {
                throw new ArgumentOutOfRangeException(name, value, "Speeds and the buffer distance must be positive.");
            }
        }

        _walkMetresPerMinute = walkKmh * 1_000 / 60;
        _cycleMetresPerMinute = cycleKmh * 1_000 / 60;
        _bufferMetres = bufferMetres;
    }

    /// <inheritdoc />
    public ModelDescriptor Descriptor { get; } = new(
        ModelId,
        "1",
        "Walking and cycling distance to the nearest facility, and isochrones",
        [AccessibilityPorts.RoadLinks, AccessibilityPorts.Dwellings, FacilitiesPorts.Facilities, AccessibilityPorts.IsochroneRequests],
        [AccessibilityPorts.DwellingDistances, AccessibilityPorts.BuurtDistances, AccessibilityPorts.Isochrones]);

    /// <summary>Whether <paramref name="mode"/> may use <paramref name="link"/>.</summary>
    public static bool Allows(TravelMode mode, RoadLink link)
    {
        ArgumentNullException.ThrowIfNull(link);

        // Both modes use the same links, which is why Run builds one network for both; a mode with its own
        // links needs its own network there.
        return mode switch
        {
            TravelMode.Walk or TravelMode.Cycle => s_activeModeClasses.Contains(link.Class),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown travel mode."),
        };
    }

    /// <summary>
    /// The network walking and cycling use: one for both modes as long as they use the same links. The
    /// model and <see cref="AccessibilityGraph"/> build it here, so an exported graph is the model's own.
    /// </summary>
    /// <remarks>
    /// Built once per list of links and kept beside it (<see cref="s_networks"/>): port values are immutable
    /// (docs/scenarios.md "Incremental runs") and the network is read-only once built, so every run on the same roads —
    /// each full run of the baseline, a scenario that leaves the roads alone — shares it, from any thread.
    /// </remarks>
    internal static PathNetwork ActiveModeNetwork(IReadOnlyList<RoadLink> links) =>
        s_networks.GetValue(links, static l => new PathNetwork(l, link => Allows(TravelMode.Walk, link)));

    /// <summary>The facility kinds of <paramref name="facilities"/> in the order the model reports them (ordinal).</summary>
    internal static List<string> KindsOf(IEnumerable<Facility> facilities) =>
        facilities.Select(f => f.Kind).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A link, dwelling, facility or request is invalid (no geometry, a duplicate id, a budget that is not positive).</exception>
    public void Run(ModelRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var links = run.Input(AccessibilityPorts.RoadLinks);
        var dwellings = run.Input(AccessibilityPorts.Dwellings);
        var facilities = run.Input(FacilitiesPorts.Facilities);
        var requests = run.Input(AccessibilityPorts.IsochroneRequests);
        Validate(dwellings, facilities, requests);

        var network = ActiveModeNetwork(links);
        var parallel = new ParallelOptions { CancellationToken = cancellationToken };
        // Snapping and the searches per kind are pure functions of the network, each written to its own slot, so running
        // them side by side gives the same distances on any core count.
        var dwellingSnaps = s_joins.GetOrCreateValue(network).GetValue(dwellings, d => Join(network, d, parallel));
        var kinds = KindsOf(facilities);
        var fields = new KindField[kinds.Count];
        var metres = new double[kinds.Count][];
        Parallel.For(0, kinds.Count, parallel, k =>
        {
            fields[k] = KindField.Of(network, OfKind(facilities, kinds[k]));
            metres[k] = [.. dwellingSnaps.Select(at => fields[k].MetresTo(network, at))];
        });

        var perDwelling = Table(dwellings, kinds, metres);
        var (codes, buurtOf) = BuurtIndex(dwellings);
        run.Output(AccessibilityPorts.DwellingDistances, perDwelling);
        run.Output(AccessibilityPorts.BuurtDistances, PerBuurt(codes, buurtOf, kinds, metres));
        run.Output(AccessibilityPorts.Isochrones, requests.Select(r => Draw(network, r, cancellationToken)).ToList());
        _states.Keep(perDwelling, new DistanceState(network, kinds, fields, dwellings, dwellingSnaps, metres, codes, buurtOf));
    }

    /// <inheritdoc />
    /// <remarks>
    /// Distances from the facilities over the network do not depend on the dwellings: with the same roads, the distance
    /// field of every facility kind (its node distances and the facilities on each link) is the earlier run's, and a kind
    /// whose facilities changed gets a new field. A dwelling the earlier run also had (same id, point and buurt) keeps its
    /// distances where its kind's field is unchanged; only new dwellings join the network and read the fields.
    /// The per-buurt means are summed again over every dwelling in list order, as the full run sums them, so they are
    /// bit-equal to a full run's. Declines (a full run follows) when the roads or the set of facility kinds changed, or
    /// when the earlier run's distance fields are no longer kept.
    /// </remarks>
    public bool TryRunIncremental(ModelRun run, PreviousRun previous, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(previous);
        if (previous.HasChanged(AccessibilityPorts.RoadLinks) || _states.Find(previous.Output(AccessibilityPorts.DwellingDistances)) is not { } before)
        {
            return false;
        }

        var dwellings = run.Input(AccessibilityPorts.Dwellings);
        var facilities = run.Input(FacilitiesPorts.Facilities);
        var requests = run.Input(AccessibilityPorts.IsochroneRequests);
        var kinds = KindsOf(facilities);
        if (!kinds.SequenceEqual(before.Kinds, StringComparer.Ordinal))
        {
            return false;
        }

        Validate(dwellings, facilities, requests);
        var network = before.Network;
        var fields = (KindField[])before.Fields.Clone();
        var refreshed = new bool[kinds.Count];
        if (previous.HasChanged(FacilitiesPorts.Facilities))
        {
            Parallel.For(0, kinds.Count, new ParallelOptions { CancellationToken = cancellationToken }, k =>
            {
                var ofKind = OfKind(facilities, kinds[k]);
                if (!fields[k].SameFacilities(ofKind))
                {
                    (fields[k], refreshed[k]) = (KindField.Of(network, ofKind), true);
                }
            });
        }

        // Per dwelling, the earlier run's dwelling it repeats, or -1: first the common prefix (the baseline's dwellings
        // a scenario keeps come first, the same instances), then the rest looked up by id, point and buurt.
        var earlier = before.Dwellings;
        var repeats = new int[dwellings.Count];
        var prefix = 0;
        while (prefix < dwellings.Count && prefix < earlier.Count && Same(dwellings[prefix], earlier[prefix]))
        {
            repeats[prefix] = prefix;
            prefix++;
        }

        var rest = new Dictionary<(string Id, double X, double Y, string Buurtcode), int>();
        for (var j = prefix; j < earlier.Count; j++)
        {
            rest.TryAdd(Key(earlier[j]), j);
        }

        for (var d = prefix; d < dwellings.Count; d++)
        {
            repeats[d] = rest.Count > 0 && rest.TryGetValue(Key(dwellings[d]), out var j) ? j : -1;
        }

        var snaps = new Snap?[dwellings.Count];
        var metres = kinds.Select(_ => new double[dwellings.Count]).ToArray();
        for (var d = 0; d < dwellings.Count; d++)
        {
            var j = repeats[d];
            snaps[d] = j >= 0 ? before.Snaps[j] : network.SnapTo(dwellings[d].Location);
            for (var k = 0; k < kinds.Count; k++)
            {
                metres[k][d] = j >= 0 && !refreshed[k] ? before.Metres[k][j] : fields[k].MetresTo(network, snaps[d]);
            }
        }

        var perDwelling = Table(dwellings, kinds, metres);
        var (codes, buurtOf) = BuurtIndex(dwellings, repeats, before);
        run.Output(AccessibilityPorts.DwellingDistances, perDwelling);
        run.Output(AccessibilityPorts.BuurtDistances, PerBuurt(codes, buurtOf, kinds, metres));
        run.Output(AccessibilityPorts.Isochrones, previous.HasChanged(AccessibilityPorts.IsochroneRequests)
            ? requests.Select(r => Draw(network, r, cancellationToken)).ToList()
            : previous.Output(AccessibilityPorts.Isochrones));
        _states.Keep(perDwelling, new DistanceState(network, kinds, fields, dwellings, snaps, metres, codes, buurtOf));
        return true;

        static bool Same(Dwelling a, Dwelling b) => ReferenceEquals(a, b) || Key(a) == Key(b);
        static (string, double, double, string) Key(Dwelling d) => (d.Id, d.Location.X, d.Location.Y, d.Buurtcode);
    }

    /// <summary>Where each of <paramref name="dwellings"/> joins <paramref name="network"/>, in input order.</summary>
    private static Snap?[] Join(PathNetwork network, IReadOnlyList<Dwelling> dwellings, ParallelOptions parallel)
    {
        // The dwellings of one building often share its point: each distinct point joins the network once.
        var pointIndex = new Dictionary<(double X, double Y), int>();
        var points = new List<Point>();
        var pointOf = new int[dwellings.Count];
        for (var d = 0; d < dwellings.Count; d++)
        {
            var at = (dwellings[d].Location.X, dwellings[d].Location.Y);
            if (!pointIndex.TryGetValue(at, out var point))
            {
                pointIndex.Add(at, point = points.Count);
                points.Add(dwellings[d].Location);
            }

            pointOf[d] = point;
        }

        var pointSnaps = new Snap?[points.Count];
        Parallel.For(0, points.Count, parallel, p => pointSnaps[p] = network.SnapTo(points[p]));
        return [.. pointOf.Select(p => pointSnaps[p])];
    }

    private static List<Facility> OfKind(IReadOnlyList<Facility> facilities, string kind) =>
        [.. facilities.Where(f => string.Equals(f.Kind, kind, StringComparison.Ordinal))];

    /// <summary>
    /// The output table over the searches' distances per kind and dwelling, as they are: walking and cycling use the same
    /// network (<see cref="Allows"/>), so both modes read the same columns and differ only in speed.
    /// </summary>
    private DwellingDistanceTable Table(IReadOnlyList<Dwelling> dwellings, List<string> kinds, double[][] metres) =>
        new(dwellings, kinds, metres, metres, _walkMetresPerMinute, _cycleMetresPerMinute);

    /// <summary>The buurt codes of the dwellings (distinct, ordinal order) and each dwelling's index among them.</summary>
    private static (List<string> Codes, int[] BuurtOf) BuurtIndex(IReadOnlyList<Dwelling> dwellings)
    {
        var codes = dwellings.Select(d => d.Buurtcode).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var indexOf = codes.Select((code, i) => (code, i)).ToDictionary(p => p.code, p => p.i, StringComparer.Ordinal);
        return (codes, [.. dwellings.Select(d => indexOf[d.Buurtcode])]);
    }

    /// <summary>
    /// <see cref="BuurtIndex(IReadOnlyList{Dwelling})"/> from an earlier run's: a repeated dwelling's buurt is its
    /// earlier one, renumbered only when the set of codes changed; only the other dwellings' codes are looked up.
    /// </summary>
    private static (List<string> Codes, int[] BuurtOf) BuurtIndex(IReadOnlyList<Dwelling> dwellings, int[] repeats, DistanceState before)
    {
        var used = new bool[before.Codes.Count];
        var added = new SortedSet<string>(StringComparer.Ordinal);
        for (var d = 0; d < dwellings.Count; d++)
        {
            if (repeats[d] >= 0)
            {
                used[before.BuurtOf[repeats[d]]] = true;
            }
            else
            {
                added.Add(dwellings[d].Buurtcode);
            }
        }

        var codes = before.Codes.Where((_, i) => used[i]).Union(added, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var indexOf = codes.Select((code, i) => (code, i)).ToDictionary(p => p.code, p => p.i, StringComparer.Ordinal);
        var renumbered = before.Codes.Select(code => indexOf.GetValueOrDefault(code, -1)).ToArray();
        var buurtOf = new int[dwellings.Count];
        for (var d = 0; d < dwellings.Count; d++)
        {
            buurtOf[d] = repeats[d] >= 0 ? renumbered[before.BuurtOf[repeats[d]]] : indexOf[dwellings[d].Buurtcode];
        }

        return (codes, buurtOf);
    }

    private List<BuurtFacilityDistance> PerBuurt(List<string> codes, int[] buurtOf, List<string> kinds, double[][] metres)
    {
        var dwellingCount = new int[codes.Count];
        foreach (var b in buurtOf)
        {
            dwellingCount[b]++;
        }

        var result = new List<BuurtFacilityDistance>(codes.Count * kinds.Count);
        var sums = new double[kinds.Count, codes.Count];
        var reached = new int[kinds.Count, codes.Count];
        for (var k = 0; k < kinds.Count; k++)
        {
            for (var d = 0; d < buurtOf.Length; d++)
            {
                if (double.IsFinite(metres[k][d]))
                {
                    sums[k, buurtOf[d]] += metres[k][d];
                    reached[k, buurtOf[d]]++;
                }
            }
        }

        for (var b = 0; b < codes.Count; b++)
        {
            for (var k = 0; k < kinds.Count; k++)
            {
                double? mean = reached[k, b] > 0 ? sums[k, b] / reached[k, b] : null;
                result.Add(new(codes[b], kinds[k], dwellingCount[b], dwellingCount[b] - reached[k, b], mean, mean / _walkMetresPerMinute, mean, mean / _cycleMetresPerMinute));
            }
        }

        return result;
    }

    private Isochrone Draw(PathNetwork network, IsochroneRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var factory = request.Origin.Factory;
        var budget = request.Minutes * (request.Mode == TravelMode.Walk ? _walkMetresPerMinute : _cycleMetresPerMinute);
        if (network.SnapTo(request.Origin) is not { } origin || origin.Access > budget)
        {
            return new(request.Id, request.Mode, request.Minutes, factory.CreatePolygon(), 0);
        }

        var distance = network.Distances([origin], budget);
        var parts = network.ReachedParts(distance, origin, budget).ToList();
        var reachedMetres = parts.Sum(p => p.Length);
        parts.Add(network.AccessLine(request.Origin, origin));

        // A buffer of the reached lines (models.md §6), not a hull: a hull would cover water, rail yards
        // and the far side of a motorway that the network does not reach.
        var area = factory.CreateMultiLineString([.. parts]).Buffer(_bufferMetres, quadrantSegments: 4);
        return new(request.Id, request.Mode, request.Minutes, area, reachedMetres);
    }

    private static void Validate(IReadOnlyList<Dwelling> dwellings, IReadOnlyList<Facility> facilities, IReadOnlyList<IsochroneRequest> requests)
    {
        if (dwellings.FirstOrDefault(d => d.Location is null || d.Location.IsEmpty) is { } unplaced)
        {
            throw new ArgumentException($"Dwelling '{unplaced.Id}' has no location.");
        }

        if (facilities.FirstOrDefault(f => f.Location is null || f.Location.IsEmpty) is { } nowhere)
        {
            throw new ArgumentException($"Facility '{nowhere.Id}' has no location.");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var request in requests)
        {
            if (!ids.Add(request.Id))
            {
                throw new ArgumentException($"Isochrone request '{request.Id}' appears more than once.");
            }

            if (request.Origin is null || request.Origin.IsEmpty || !double.IsFinite(request.Minutes) || request.Minutes <= 0)
            {
                throw new ArgumentException(string.Create(
                    CultureInfo.InvariantCulture, $"Isochrone request '{request.Id}' needs an origin and a positive time budget; got {request.Minutes} min."));
            }

            if (!Enum.IsDefined(request.Mode))
            {
                throw new ArgumentException($"Isochrone request '{request.Id}' has an unknown travel mode '{request.Mode}'.");
            }
        }
    }
}
