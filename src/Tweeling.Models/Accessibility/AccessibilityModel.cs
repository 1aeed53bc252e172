using System.Globalization;
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
public sealed class AccessibilityModel : IImpactModel
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
    internal static PathNetwork ActiveModeNetwork(IReadOnlyList<RoadLink> links) => new(links, link => Allows(TravelMode.Walk, link));

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
        // The dwellings of one building often share its point: each distinct point joins the network once. Snapping and
        // the searches per kind are pure functions of the network, each written to its own slot, so running them side
        // by side gives the same distances on any core count.
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
        var dwellingSnaps = pointOf.Select(p => pointSnaps[p]).ToArray();

        var kinds = KindsOf(facilities);
        var metres = new double[kinds.Count][];
        Parallel.For(0, kinds.Count, parallel, k =>
            metres[k] = NearestDistances(network, facilities.Where(f => string.Equals(f.Kind, kinds[k], StringComparison.Ordinal)), dwellingSnaps));

        var perDwelling = new List<DwellingFacilityDistance>(dwellings.Count * kinds.Count);
        for (var d = 0; d < dwellings.Count; d++)
        {
            for (var k = 0; k < kinds.Count; k++)
            {
                var m = metres[k][d];
                perDwelling.Add(double.IsFinite(m)
                    ? new(dwellings[d].Id, kinds[k], m, m / _walkMetresPerMinute, m, m / _cycleMetresPerMinute)
                    : new(dwellings[d].Id, kinds[k], null, null, null, null));
            }
        }

        run.Output(AccessibilityPorts.DwellingDistances, perDwelling);
        run.Output(AccessibilityPorts.BuurtDistances, PerBuurt(dwellings, kinds, metres));
        run.Output(AccessibilityPorts.Isochrones, requests.Select(r => Draw(network, r, cancellationToken)).ToList());
    }

    private static double[] NearestDistances(PathNetwork network, IEnumerable<Facility> ofKind, Snap?[] dwellingSnaps)
    {
        var sources = ofKind.Select(f => network.SnapTo(f.Location)).OfType<Snap>().ToList();
        var onLink = sources.GroupBy(s => s.Link).ToDictionary(g => g.Key, g => (IReadOnlyList<Snap>)[.. g]);
        var nodeDistance = network.Distances(sources);
        var result = new double[dwellingSnaps.Length];
        for (var d = 0; d < dwellingSnaps.Length; d++)
        {
            result[d] = dwellingSnaps[d] is { } at ? network.DistanceAt(nodeDistance, at, onLink.GetValueOrDefault(at.Link)) : double.PositiveInfinity;
        }

        return result;
    }

    private List<BuurtFacilityDistance> PerBuurt(IReadOnlyList<Dwelling> dwellings, List<string> kinds, double[][] metres)
    {
        var codes = dwellings.Select(d => d.Buurtcode).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var indexOf = codes.Select((code, i) => (code, i)).ToDictionary(p => p.code, p => p.i, StringComparer.Ordinal);
        var buurtOf = dwellings.Select(d => indexOf[d.Buurtcode]).ToArray();
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
            for (var d = 0; d < dwellings.Count; d++)
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
