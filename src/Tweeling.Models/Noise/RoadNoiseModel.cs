using System.Globalization;
using System.Runtime.Intrinsics;
using NetTopologySuite.Geometries;
using Tweeling.Models.City;
using Tweeling.Models.Graph;
using Tweeling.Models.Spatial;

namespace Tweeling.Models.Noise;

/// <summary>
/// Road-traffic noise at façades (issue 6, model 2d; docs/models/geluid.md): CNOSSOS-EU emission with the Dutch
/// coefficients per link and period, screening propagation from each link as an incoherent line source over hard
/// ground (geometric divergence and air absorption, no screening or ground effect), energetic sum over the links
/// within the search radius, L_den and % highly annoyed.
/// </summary>
/// <param name="settings">The traffic profile, heights and search radius; <see cref="RoadNoiseSettings.Default"/> when <c>null</c>.</param>
public sealed partial class RoadNoiseModel(RoadNoiseSettings? settings = null) : IImpactModel
{
    /// <summary>The model's id: also its register id and the name of its documentation (docs/models/geluid.md).</summary>
    public const string ModelId = "geluid";

    /// <summary>Air absorption per octave band in dB/km at 10 °C and 70 % relative humidity (ISO 9613-1, as tabulated in ISO 9613-2 table 2) [M].</summary>
    private static readonly double[] s_airAbsorptionDbPerKm = [0.1, 0.4, 1.0, 1.9, 3.7, 9.7, 32.8, 117];

    // The same as attenuation coefficients κ per metre (dB/km ÷ 1000 · ln 10 / 10), bands 63–500 Hz and 1–8 kHz.
    private static readonly Vector256<double> s_lowBandsAbsorption = Vector256.Create(s_airAbsorptionDbPerKm[..4]) / 1000 * Math.Log(10) / 10;
    private static readonly Vector256<double> s_highBandsAbsorption = Vector256.Create(s_airAbsorptionDbPerKm[4..]) / 1000 * Math.Log(10) / 10;

    // Four-point Gauss–Legendre nodes and weights on [−1, 1], for the integral over the angle a road segment subtends.
    private static readonly double[] s_gaussNodes = [-0.8611363115940526, -0.3399810435848563, 0.3399810435848563, 0.8611363115940526];
    private static readonly double[] s_gaussWeights = [0.3478548451374538, 0.6521451548625461, 0.6521451548625461, 0.3478548451374538];

    /// <summary>The widest angle one quadrature panel covers, rad: keeps the air-absorption integrand smooth within a panel.</summary>
    private const double PanelAngle = Math.PI / 4;

    /// <summary>The closest a receptor is taken to be to a road, m: keeps a receptor placed on a centre line finite.</summary>
    private const double MinimumDistanceM = 1;

    private const int Periods = 3;

    /// <summary>The periods padded to a vector of four doubles: a source's energies of one band are one vector (the fourth lane 0).</summary>
    private const int PeriodLanes = 4;

    private readonly RoadNoiseSettings _settings = Validate(settings ?? RoadNoiseSettings.Default);

    // What each run of this instance derived from its inputs, beside its levels: the next edit starts from it (Incremental).
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<IReadOnlyList<FacadeNoise>, RunState> _states = [];

    /// <inheritdoc />
    public ModelDescriptor Descriptor { get; } = new(
        ModelId,
        "1.0",
        "Road-traffic noise at façades (CNOSSOS-EU, Dutch coefficients, screening propagation)",
        [NoisePorts.RoadLinks, NoisePorts.LinkTraffic, NoisePorts.Receptors],
        [NoisePorts.FacadeLevels, NoisePorts.Exposure]);

    /// <summary>
    /// The share of highly annoyed residents at <paramref name="ldenDb"/> (Miedema &amp; Oudshoorn 2001, as RIVM uses it;
    /// models.md §2.3): <c>%HA = 9.868e−4·(L−42)³ − 1.436e−2·(L−42)² + 0.5118·(L−42)</c>; 0 at or below 42 dB, at most 100 %.
    /// </summary>
    public static double HighlyAnnoyedPercent(double ldenDb)
    {
        if (!(ldenDb > 42))
        {
            return 0;
        }

        var x = ldenDb - 42;
        return Math.Min(100, (9.868e-4 * x * x * x) - (1.436e-2 * x * x) + (0.5118 * x));
    }

    /// <summary>
    /// L_den from the three period levels (models.md §2.2):
    /// <c>10·lg[(12·10^(Ld/10) + 4·10^((Le+5)/10) + 8·10^((Ln+10)/10))/24]</c>.
    /// </summary>
    public static double Lden(double ldayDb, double leveningDb, double lnightDb) =>
        Decibel.FromEnergy(((12 * Decibel.ToEnergy(ldayDb)) + (4 * Decibel.ToEnergy(leveningDb + 5)) + (8 * Decibel.ToEnergy(lnightDb + 10))) / 24);

    /// <inheritdoc />
    public void Run(ModelRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var (links, traffic, receptors) = (run.Input(NoisePorts.RoadLinks), run.Input(NoisePorts.LinkTraffic), run.Input(NoisePorts.Receptors));
        var sources = Sources(links, traffic);
        var levels = new FacadeNoise?[receptors.Count];
        ComputeLevels(sources, receptors, Enumerable.Range(0, receptors.Count).ToArray(), levels, cancellationToken);
        Write(run, new RunState(links, traffic, receptors, sources, levels, index: null));
    }

    /// <summary>
    /// Fills <paramref name="levels"/> at the receptor indexes <paramref name="which"/> (the others are left alone): the
    /// receptor's levels, or <c>null</c> where no road is within the search radius. Each part of the receptors searches its
    /// own segment grid; a receptor's sum is the same in every part, as the grid's cells and the order it lists segments
    /// depend only on the segments.
    /// </summary>
    private void ComputeLevels(
        SourceSet sources,
        IReadOnlyList<NoiseReceptor> receptors,
        IReadOnlyList<int> which,
        FacadeNoise?[] levels,
        CancellationToken cancellationToken) =>
        PointBatches.Run(
            which,
            () => (Index: sources.Grid.Searcher(), Near: new List<int>(), BandIntegral: new double[RoadNoiseEmission.BandsHz.Count]),
            (r, scratch) => levels[r] = Level(receptors[r], sources.Energies, sources.Segments, scratch.Index, scratch.Near, scratch.BandIntegral),
            cancellationToken);

    /// <summary>The levels at <paramref name="receptor"/>, or <c>null</c> when no road with traffic is within the search radius.</summary>
    private FacadeNoise? Level(NoiseReceptor receptor, double[][] bandEnergies, Segment[] segments, BucketGrid<int> index, List<int> near, double[] bandIntegral)
    {
        var radius = _settings.SearchRadiusM;
        var heightDifference = _settings.ReceptorHeightM - _settings.SourceHeightM;
        var (x, y) = (receptor.Location.X, receptor.Location.Y);

        // Day, evening and night in the first three lanes: each lane takes the products band by band in the order a sum per
        // period took them, a vector multiply and add being the same rounding per lane, so the same bits in a third of the steps.
        var energy = Vector256<double>.Zero;
        var contributes = false;
        index.Near(x, y, radius, near);
        foreach (var s in near)
        {
            ref readonly var segment = ref segments[s];
            if (Integrate(in segment, x, y, heightDifference, radius, bandIntegral) is not { } distance)
            {
                continue;
            }

            contributes = true;
            var bandEnergy = bandEnergies[segment.Source];

            // A point source over hard ground gives L_p = L_W − 10·lg(2π·r²); summed over the line's elements that is
            // L_W' − 10·lg(2π·d) + 10·lg(∫ e^(−κr) dθ), the integral over the angle the segment subtends (π for an infinite road).
            var sum = Vector256<double>.Zero;
            for (var band = 0; band < bandIntegral.Length; band++)
            {
                sum += Vector256.Create(bandEnergy, band * PeriodLanes) * Vector256.Create(bandIntegral[band]);
            }

            energy += sum / Vector256.Create(2 * Math.PI * distance);
        }

        if (!contributes)
        {
            return null;
        }

        var day = Decibel.FromEnergy(energy[0]);
        var evening = Decibel.FromEnergy(energy[1]);
        var night = Decibel.FromEnergy(energy[2]);
        var lden = Lden(day, evening, night);
        return new FacadeNoise(receptor.Id, day, evening, night, lden, HighlyAnnoyedPercent(lden));
    }

    /// <summary>Writes the levels of the receptors that have one, in receptor order, and their exposure summary; keeps the run's state beside the levels.</summary>
    private void Write(ModelRun run, RunState state)
    {
        var levels = new List<FacadeNoise>(state.Levels.Length);
        foreach (var level in state.Levels)
        {
            if (level is not null)
            {
                levels.Add(level);
            }
        }

        _states.AddOrUpdate(levels, state);
        run.Output(NoisePorts.FacadeLevels, levels);
        run.Output(NoisePorts.Exposure, new NoiseExposureSummary(
            levels.Count,
            levels.Count(l => l.LdenDb > 53),
            levels.Count(l => l.LdenDb > 70),
            levels.Count(l => l.LnightDb > 45),
            levels.Count == 0 ? 0 : levels.Average(l => l.HighlyAnnoyedPercent)));
    }

    /// <summary>
    /// Fills <paramref name="bandIntegral"/> with <c>∫ e^(−κ_band·r(θ)) dθ</c> over the part of the segment within
    /// <paramref name="radius"/> of the receptor, where θ is the angle from the perpendicular and r = d/cos θ, and
    /// returns the perpendicular 3-D distance d; <c>null</c> when no part of the segment is within the radius.
    /// </summary>
    private static double? Integrate(in Segment segment, double x, double y, double heightDifference, double radius, double[] bandIntegral)
    {
        var length = segment.Length;
        if (length == 0)
        {
            return null;
        }

        var (ux, uy) = (segment.Ux, segment.Uy);
        var (ax, ay) = (segment.X1 - x, segment.Y1 - y);

        // Along-road coordinates of the segment's ends, measured from the foot of the perpendicular from the receptor.
        var start = (ax * ux) + (ay * uy);
        var end = start + length;
        var across = (ax * uy) - (ay * ux);
        var distance = Math.Max(MinimumDistanceM, Math.Sqrt((across * across) + (heightDifference * heightDifference)));
        if (distance >= radius)
        {
            return null;
        }

        var reach = Math.Sqrt((radius * radius) - (distance * distance));
        start = Math.Max(start, -reach);
        end = Math.Min(end, reach);
        if (start >= end)
        {
            return null;
        }

        var from = Math.Atan(start / distance);
        var to = Math.Atan(end / distance);
        var panels = (int)Math.Ceiling((to - from) / PanelAngle);
        var width = (to - from) / panels;
        // The eight octave bands as two vectors of four: one vector exponential does four bands at once.
        var (low, high) = (Vector256<double>.Zero, Vector256<double>.Zero);
        for (var panel = 0; panel < panels; panel++)
        {
            var middle = from + ((panel + 0.5) * width);
            for (var k = 0; k < s_gaussNodes.Length; k++)
            {
                var theta = middle + (s_gaussNodes[k] * width / 2);
                var weight = Vector256.Create(s_gaussWeights[k] * width / 2);
                var path = Vector256.Create(-distance / Math.Cos(theta));
                low += weight * Vector256.Exp(s_lowBandsAbsorption * path);
                high += weight * Vector256.Exp(s_highBandsAbsorption * path);
            }
        }

        low.CopyTo(bandIntegral);
        high.CopyTo(bandIntegral.AsSpan(4));
        return distance;
    }

    /// <summary>The links with traffic as noise sources, in the traffic list's order, after checking the traffic list against the links.</summary>
    /// <param name="links">The road links.</param>
    /// <param name="traffic">The traffic per link.</param>
    /// <param name="earlier">
    /// An earlier run's state: a link whose record equals its record at the same place there takes the band energies kept
    /// for it (the energies are a function of the record alone, so they are the same bits).
    /// </param>
    private SourceSet Sources(IReadOnlyList<RoadLink> links, IReadOnlyList<LinkTraffic> traffic, RunState? earlier = null)
    {
        // Sized up front: a city has tens of thousands of links, and growing these costs the full run more than the energies.
        // A link's place in the list, not the link: whether traffic named it before is then a mark in an array, not a
        // second hash set of the ids.
        var byId = new Dictionary<string, int>(links.Count, StringComparer.Ordinal);
        for (var l = 0; l < links.Count; l++)
        {
            if (!byId.TryAdd(links[l].Id, l))
            {
                throw new ArgumentException($"Road link '{links[l].Id}' occurs twice in '{NoisePorts.RoadLinks.Name}'.", nameof(links));
            }
        }

        var seen = new bool[links.Count];
        var sourceOf = new int[traffic.Count];
        var (lines, energies) = (new List<LineString>(traffic.Count), new List<double[]>(traffic.Count));
        var kept = earlier is not null && earlier.Traffic.Count == traffic.Count ? earlier : null;
        for (var i = 0; i < traffic.Count; i++)
        {
            var flow = traffic[i];
            if (!byId.TryGetValue(flow.LinkId, out var at))
            {
                throw new ArgumentException($"'{NoisePorts.LinkTraffic.Name}' has traffic for link '{flow.LinkId}', which is not in '{NoisePorts.RoadLinks.Name}'.", nameof(traffic));
            }

            if (seen[at])
            {
                throw new ArgumentException($"'{NoisePorts.LinkTraffic.Name}' has traffic for link '{flow.LinkId}' twice.", nameof(traffic));
            }

            seen[at] = true;
            var link = links[at];

            CheckTraffic(flow);
            sourceOf[i] = -1;
            if (flow.VehiclesPerDay > 0)
            {
                sourceOf[i] = lines.Count;
                lines.Add(link.Geometry);
                energies.Add(kept is not null && kept.Sources.SourceOf[i] is >= 0 and var was && kept.Traffic[i].Equals(flow) ? kept.Sources.Energies[was] : BandEnergy(flow));
            }
        }

        return SourceSet.Of(sourceOf, [.. lines], [.. energies], _settings.SearchRadiusM / 2);
    }

    /// <summary>
    /// The A-weighted power per metre of the link per period and octave band, as energies (10^(L_W'/10), pW/m), at
    /// index <c>band·4 + period</c> (the fourth of each four 0): a band's three periods are one vector for
    /// <see cref="Level"/>. Buses count as CNOSSOS category 2 (city buses have two axles).
    /// </summary>
    private double[] BandEnergy(LinkTraffic flow)
    {
        var bands = RoadNoiseEmission.BandsHz.Count;
        var energies = new double[PeriodLanes * bands];
        Span<double> ofPeriod = stackalloc double[bands];
        Span<double> perHour = [_settings.Periods.DayPerHour, _settings.Periods.EveningPerHour, _settings.Periods.NightPerHour];
        Span<double> vehiclePowers = stackalloc double[3 * bands];
        RoadNoiseEmission.VehicleSoundPowers(flow.MeanSpeedKmh, vehiclePowers);
        var medium = flow.MediumShare + flow.BusShare;
        var light = Math.Max(0, 1 - medium - flow.HeavyShare);
        for (var p = 0; p < Periods; p++)
        {
            var vehiclesPerHour = flow.VehiclesPerDay * perHour[p];
            RoadNoiseEmission.BandEnergies(
                vehiclePowers, vehiclesPerHour * light, vehiclesPerHour * medium, vehiclesPerHour * flow.HeavyShare, flow.MeanSpeedKmh, ofPeriod);
            for (var band = 0; band < bands; band++)
            {
                energies[(band * PeriodLanes) + p] = ofPeriod[band];
            }
        }

        return energies;
    }

    private static void CheckTraffic(LinkTraffic flow)
    {
        if (!double.IsFinite(flow.VehiclesPerDay) || flow.VehiclesPerDay < 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Link '{flow.LinkId}' has {flow.VehiclesPerDay} vehicles/24h; it must be a finite number ≥ 0."));
        }

        // A link without traffic (closed, or a cycle path) has no driven speed: the traffic model writes 0 for it.
        if ((flow.VehiclesPerDay > 0 && !(flow.MeanSpeedKmh > 0)) || flow.MeanSpeedKmh < 0 || !double.IsFinite(flow.MeanSpeedKmh))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Link '{flow.LinkId}' has mean speed {flow.MeanSpeedKmh} km/h with {flow.VehiclesPerDay} vehicles/24h; it must be finite, ≥ 0, and > 0 when the link carries traffic."));
        }

        foreach (var (name, share) in new[] { ("medium", flow.MediumShare), ("heavy", flow.HeavyShare), ("bus", flow.BusShare) })
        {
            if (!(share >= 0 && share <= 1))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Link '{flow.LinkId}' has {name} share {share}; shares are between 0 and 1."));
            }
        }

        if (flow.MediumShare + flow.HeavyShare + flow.BusShare > 1 + 1e-9)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Link '{flow.LinkId}' has medium, heavy and bus shares that add up to {flow.MediumShare + flow.HeavyShare + flow.BusShare}; at most 1."));
        }
    }

    private static RoadNoiseSettings Validate(RoadNoiseSettings settings)
    {
        var periods = settings.Periods;
        var total = (12 * periods.DayPerHour) + (4 * periods.EveningPerHour) + (8 * periods.NightPerHour);
        if (periods.DayPerHour < 0 || periods.EveningPerHour < 0 || periods.NightPerHour < 0 || Math.Abs(total - 1) > 0.01)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The hourly traffic shares must be ≥ 0 and cover the day: 12·day + 4·evening + 8·night = {total}, not 1."), nameof(settings));
        }

        if (!(settings.SearchRadiusM > 0) || !(settings.ReceptorHeightM >= 0) || !(settings.SourceHeightM >= 0))
        {
            throw new ArgumentException("The search radius must be > 0 and the heights ≥ 0.", nameof(settings));
        }

        return settings;
    }

    /// <summary>
    /// The noise sources of one traffic list: per traffic record the index of its source (−1 for a link without traffic),
    /// per source its centre line and its power per metre per period and band, and the grid of the sources' segments, whose
    /// payload is the segment's source. The grid depends only on the centre lines, so an edit that changes only how much
    /// traffic the sources carry shares it.
    /// </summary>
    private sealed record SourceSet(int[] SourceOf, LineString[] Lines, double[][] Energies, BucketGrid<int> Grid, Segment[] Segments, Envelope Extent)
    {
        public static SourceSet Of(int[] sourceOf, LineString[] lines, double[][] energies, double cellSize)
        {
            var segments = new List<(double X1, double Y1, double X2, double Y2, int Source)>(lines.Sum(l => Math.Max(0, l.NumPoints - 1)));
            var extent = new Envelope();
            for (var source = 0; source < lines.Length; source++)
            {
                var points = lines[source].Coordinates;
                extent.ExpandToInclude(lines[source].EnvelopeInternal);
                for (var i = 1; i < points.Length; i++)
                {
                    segments.Add((points[i - 1].X, points[i - 1].Y, points[i].X, points[i].Y, source));
                }
            }

            return new(sourceOf, lines, energies, new BucketGrid<int>(segments, cellSize), [.. segments.Select(s => Segment.Of(s.X1, s.Y1, s.X2, s.Y2, s.Source))], extent);
        }

        /// <summary>These sources as those of <paramref name="traffic"/>, the list they were derived from.</summary>
        public TrafficSources Of(IReadOnlyList<LinkTraffic> traffic) => new(traffic, SourceOf, s => Lines[s]);
    }

    /// <summary>
    /// One straight piece of a source's centre line, with what every receptor's integral over it needs of it alone: its
    /// start, its direction as a unit vector and its length, m. Taken once per run rather than once per receptor near it,
    /// with the same expressions, so the integral has the same bits.
    /// </summary>
    private readonly record struct Segment(double X1, double Y1, double Ux, double Uy, double Length, int Source)
    {
        public static Segment Of(double x1, double y1, double x2, double y2, int source)
        {
            var dx = x2 - x1;
            var dy = y2 - y1;
            var length = Math.Sqrt((dx * dx) + (dy * dy));
            return new(x1, y1, dx / length, dy / length, length, source);
        }
    }

    /// <summary>What a run derived from its inputs (by reference) and its level per receptor (<c>null</c> where no road is in reach).</summary>
    private sealed class RunState(IReadOnlyList<RoadLink> links, IReadOnlyList<LinkTraffic> traffic, IReadOnlyList<NoiseReceptor> receptors, SourceSet sources, FacadeNoise?[] levels, ReceptorIndex? index)
    {
        private ReceptorIndex? _index = index;

        public IReadOnlyList<RoadLink> Links { get; } = links;

        public IReadOnlyList<LinkTraffic> Traffic { get; } = traffic;

        public IReadOnlyList<NoiseReceptor> Receptors { get; } = receptors;

        public SourceSet Sources { get; } = sources;

        public FacadeNoise?[] Levels { get; } = levels;

        /// <summary>The sources as those of the run's traffic list.</summary>
        public TrafficSources Sourced => Sources.Of(Traffic);

        /// <summary>The receptors bucketed by place: made when an edit first starts from a full run, handed on by edits.</summary>
        public ReceptorIndex Index(double cellSize) =>
            LazyInitializer.EnsureInitialized(ref _index, () => ReceptorIndex.Over(Receptors.Count, i => Receptors[i].Location, cellSize));

        /// <summary>Whether this is the state of a run on these very inputs.</summary>
        public bool IsFor(IReadOnlyList<RoadLink> links, IReadOnlyList<LinkTraffic> traffic, IReadOnlyList<NoiseReceptor> receptors) =>
            ReferenceEquals(Links, links) && ReferenceEquals(Traffic, traffic) && ReferenceEquals(Receptors, receptors);
    }
}
