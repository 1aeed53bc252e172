using Tweeling.Models.City;
using Tweeling.Models.Graph;
using Tweeling.Models.Noise;
using Tweeling.Models.Tests.Support;

namespace Tweeling.Models.Tests.Noise;

public sealed class RoadNoiseModelTests
{
    /// <summary>The receptor is 4 m up and the source 0.05 m: 3.95 m height difference.</summary>
    private const double HeightDifference = 3.95;

    [Fact]
    public void Vehicle_sound_power_follows_the_Dutch_CNOSSOS_coefficients()
    {
        // models.md §2.1, light vehicle, 1000 Hz (A_R 99.8, B_R 24.9, A_P 86.8, B_P 5.1):
        // at 70 km/h L_WR = 99.8 and L_WP = 86.8, so L_W = 10·lg(10^9.98 + 10^8.68) = 100.012 dB.
        Assert.Equal(100.012, RoadNoiseEmission.VehicleSoundPower(VehicleCategory.Light, 4, 70), 3);

        // At 50 km/h: L_WR = 99.8 + 24.9·lg(50/70) = 96.161; L_WP = 86.8 + 5.1·(−20/70) = 85.343; sum 96.507 dB.
        Assert.Equal(96.507, RoadNoiseEmission.VehicleSoundPower(VehicleCategory.Light, 4, 50), 3);

        // Heavy, 500 Hz, 50 km/h: L_WR = 104.6 + 26.1·lg(5/7) = 100.786; L_WP = 104.9 + 5.6·(−2/7) = 103.300; sum 105.233 dB.
        Assert.Equal(105.233, RoadNoiseEmission.VehicleSoundPower(VehicleCategory.Heavy, 3, 50), 3);

        // Below 20 km/h the formulas are not valid: 10 km/h is computed as 20 km/h.
        Assert.Equal(RoadNoiseEmission.VehicleSoundPower(VehicleCategory.Light, 4, 20), RoadNoiseEmission.VehicleSoundPower(VehicleCategory.Light, 4, 10));
    }

    [Fact]
    public void Line_power_of_the_worked_example_stream()
    {
        // models.md §2.2 worked example: 10,000 vehicles/day at 6.6 %/h by day = 660 vehicles/h, mix 92/5/3, 50 km/h.
        // Summing 10^((L_W + 10·lg(Q_m/(1000·50)) + A_i)/10) over the 3 categories and 8 bands gives 82.005 dB(A)/m.
        Assert.Equal(82.005, RoadNoiseEmission.TotalLinePowerA(660 * 0.92, 660 * 0.05, 660 * 0.03, 50), 3);

        // Twice the vehicles is twice the power per metre: +10·lg 2 = +3.01 dB.
        Assert.Equal(
            RoadNoiseEmission.TotalLinePowerA(660 * 0.92, 660 * 0.05, 660 * 0.03, 50) + (10 * Math.Log10(2)),
            RoadNoiseEmission.TotalLinePowerA(1320 * 0.92, 1320 * 0.05, 1320 * 0.03, 50),
            9);
    }

    [Fact]
    public void Band_energies_of_a_stream_have_the_bits_of_the_summed_line_powers_per_category()
    {
        // The model takes a source's power per band from BandEnergies, which computes the speed's and the flows' terms
        // once: it must give the very bits of summing 10^(L_W'/10) of LinePowerA over the categories, band by band.
        Span<double> powers = stackalloc double[3 * 8];
        Span<double> energies = stackalloc double[8];
        var categories = new[] { VehicleCategory.Light, VehicleCategory.Medium, VehicleCategory.Heavy };
        foreach (var speed in new[] { 5, 20, 33.3, 50, 70, 87.1, 130 })
        {
            RoadNoiseEmission.VehicleSoundPowers(speed, powers);
            for (var c = 0; c < categories.Length; c++)
            {
                for (var band = 0; band < 8; band++)
                {
                    Assert.Equal(BitConverter.DoubleToInt64Bits(RoadNoiseEmission.VehicleSoundPower(categories[c], band, speed)), BitConverter.DoubleToInt64Bits(powers[(c * 8) + band]));
                }
            }

            foreach (var (light, medium, heavy) in new[] { (607.2, 33.0, 19.8), (12.5, 0.0, 3.7), (0.0, 0.0, 0.0), (1e4, 1e3, 1e2), (0.013, 0.0007, 0.0) })
            {
                RoadNoiseEmission.BandEnergies(powers, light, medium, heavy, speed, energies);
                for (var band = 0; band < 8; band++)
                {
                    var summed = Decibel.ToEnergy(RoadNoiseEmission.LinePowerA(VehicleCategory.Light, band, light, speed))
                        + Decibel.ToEnergy(RoadNoiseEmission.LinePowerA(VehicleCategory.Medium, band, medium, speed))
                        + Decibel.ToEnergy(RoadNoiseEmission.LinePowerA(VehicleCategory.Heavy, band, heavy, speed));
                    Assert.Equal(BitConverter.DoubleToInt64Bits(summed), BitConverter.DoubleToInt64Bits(energies[band]));
                }
            }
        }

        // And no traffic is no energy.
        RoadNoiseEmission.BandEnergies(powers, 0, 0, 0, 50, energies);
        Assert.All(energies.ToArray(), e => Assert.Equal(0, e));
    }

    [Fact]
    public void Lden_and_annoyance_follow_the_formulas()
    {
        // models.md §2.2: Ld = Le = Ln = 60 → 10·lg[(12·10^6 + 4·10^6.5 + 8·10^7)/24] = 66.395 dB.
        Assert.Equal(66.395, RoadNoiseModel.Lden(60, 60, 60), 3);

        // models.md §2.3, Miedema & Oudshoorn: at 65 dB, x = 23: 9.868e−4·12167 − 1.436e−2·529 + 0.5118·23 = 16.18 %.
        Assert.Equal(16.18, RoadNoiseModel.HighlyAnnoyedPercent(65), 2);
        Assert.Equal(0, RoadNoiseModel.HighlyAnnoyedPercent(42));
        Assert.Equal(0, RoadNoiseModel.HighlyAnnoyedPercent(30));
        Assert.Equal(100, RoadNoiseModel.HighlyAnnoyedPercent(110));
    }

    [Theory]
    [InlineData(10, 67.80, 0.224)]
    [InlineData(20, 64.78, 0.389)]
    [InlineData(40, 61.77, 0.665)]
    public void A_long_straight_road_matches_the_worked_example_with_the_hard_ground_line_source(double distance, double workedExampleLden, double airAbsorption)
    {
        // models.md §2.2 worked example [D]: 10,000 vehicles/day, 50 km/h, 92/5/3 gives Lden 67.8 / 64.8 / 61.8 dB at
        // 10 / 20 / 40 m with L = L_W' − 10·lg(π·d). Integrating CNOSSOS point sources over hard ground (L_W − 10·lg(2π·r²))
        // along an infinite line gives L_W' − 10·lg(2·d) instead: 10·lg(π/2) = 1.96 dB more (docs/models/geluid.md).
        // Air absorption (ISO 9613-1 per band) along the oblique paths to a 5 km stretch each side takes off 0.224 / 0.389 /
        // 0.665 dB: the band integrals ∫e^(−κ·d/cos θ)dθ evaluated independently with a 200,000-step midpoint rule.
        var horizontal = Math.Sqrt((distance * distance) - (HeightDifference * HeightDifference));
        var wide = RoadNoiseSettings.Default with { SearchRadiusM = 5_000 };
        var level = Single(Run([Road("weg", (-20_000, 0), (20_000, 0))], [Traffic("weg", 10_000)], [Receptor("gevel", 0, horizontal)], wide));

        Assert.Equal(workedExampleLden + 1.96 - airAbsorption, level.LdenDb, 0.02);
    }

    [Fact]
    public void Doubling_the_distance_from_a_long_road_takes_off_about_3_dB()
    {
        var road = Road("weg", (-20_000, 0), (20_000, 0));
        var levels = Run([road], [Traffic("weg", 8_000)], [Receptor("dichtbij", 0, 25), Receptor("verder", 0, 50)]);

        var drop = levels[0].LdenDb - levels[1].LdenDb;
        Assert.InRange(drop, 3.0, 3.6);
    }

    [Fact]
    public void Opposite_the_end_of_a_road_is_half_the_energy_of_opposite_its_middle()
    {
        // By symmetry a receptor opposite the end of a road sees half the road it sees opposite the middle of a road
        // twice as long (the same stretch within the search radius on one side, none on the other): −10·lg 2 = −3.0103 dB.
        var middle = Single(Run([Road("weg", (-1_000, 0), (1_000, 0))], [Traffic("weg", 5_000)], [Receptor("gevel", 0, 30)]));
        var end = Single(Run([Road("weg", (0, 0), (1_000, 0))], [Traffic("weg", 5_000)], [Receptor("gevel", 0, 30)]));

        Assert.Equal(middle.LdenDb - 3.0103, end.LdenDb, 4);
    }

    [Fact]
    public void Two_equal_roads_add_up_energetically()
    {
        var receptor = Receptor("gevel", 0, 0);
        var north = Road("noord", (-20_000, 20), (20_000, 20));
        var south = Road("zuid", (-20_000, -20), (20_000, -20));
        var one = Single(Run([north], [Traffic("noord", 6_000)], [receptor]));
        var both = Single(Run([north, south], [Traffic("noord", 6_000), Traffic("zuid", 6_000)], [receptor]));

        Assert.Equal(one.LdenDb + 3.0103, both.LdenDb, 3);
    }

    [Fact]
    public void More_traffic_or_more_heavy_traffic_never_lowers_any_level()
    {
        var (links, traffic, receptors) = RandomCity(seed: 7, links: 300, receptors: 2_000, sizeM: 2_000);
        var baseline = Run(links, traffic, receptors);
        var busier = Run(links, traffic.Select((t, i) => i % 3 == 0 ? t with { VehiclesPerDay = t.VehiclesPerDay * 1.5 } : t).ToList(), receptors);
        var heavier = Run(links, traffic.Select(t => t with { HeavyShare = t.HeavyShare + 0.05 }).ToList(), receptors);

        Assert.Equal(baseline.Select(l => l.ReceptorId), busier.Select(l => l.ReceptorId));
        Assert.All(baseline.Zip(busier), pair => Assert.True(pair.Second.LdenDb >= pair.First.LdenDb - 1e-9, pair.First.ReceptorId));
        Assert.All(baseline.Zip(heavier), pair => Assert.True(pair.Second.LdenDb >= pair.First.LdenDb - 1e-9, pair.First.ReceptorId));
        Assert.Contains(baseline.Zip(busier), pair => pair.Second.LdenDb > pair.First.LdenDb + 0.5);
    }

    [Fact]
    public void Further_away_is_never_louder_and_beyond_the_search_radius_there_is_no_level()
    {
        var road = Road("weg", (0, 0), (400, 0));
        var receptors = Enumerable.Range(1, 60).Select(i => Receptor($"r{i}", 150, i * 4.0)).ToList();
        var levels = Run([road], [Traffic("weg", 12_000)], receptors);

        // The default search radius is 200 m of 3-D distance: 196 m across is 196.04 m, 200 m across is 200.04 m, out of range.
        Assert.Equal(49, levels.Count);
        Assert.All(levels.Zip(levels.Skip(1)), pair => Assert.True(pair.Second.LdenDb < pair.First.LdenDb, pair.Second.ReceptorId));
    }

    [Fact]
    public void The_exposure_summary_counts_receptors_over_the_norms()
    {
        var road = Road("weg", (-20_000, 0), (20_000, 0));
        var receptors = new[] { 5.0, 30, 120, 190 }.Select((d, i) => Receptor($"r{i}", 0, d)).ToList();
        var outputs = ModelRun.Execute(new RoadNoiseModel(), Inputs([road], [Traffic("weg", 20_000)], receptors), 0, TestContext.Current.CancellationToken);
        var levels = (IReadOnlyList<FacadeNoise>)outputs[NoisePorts.FacadeLevels.Name];
        var summary = (NoiseExposureSummary)outputs[NoisePorts.Exposure.Name];

        Assert.Equal(4, summary.Receptors);
        Assert.Equal(levels.Count(l => l.LdenDb > 53), summary.AboveStandardValue);
        Assert.Equal(levels.Count(l => l.LdenDb > 70), summary.AboveLimitValue);
        Assert.Equal(levels.Count(l => l.LnightDb > 45), summary.NightAboveGuideline);
        Assert.Equal(levels.Average(l => l.HighlyAnnoyedPercent), summary.MeanHighlyAnnoyedPercent, 9);
        Assert.InRange(summary.AboveLimitValue, 1, 3);
    }

    [Fact]
    public void Bad_traffic_input_is_named()
    {
        var road = Road("weg", (0, 0), (100, 0));
        var unknown = Assert.Throws<ArgumentException>(() => Run([road], [Traffic("elders", 1_000)], [Receptor("r", 0, 10)]));
        var shares = Assert.Throws<ArgumentException>(() => Run([road], [Traffic("weg", 1_000) with { HeavyShare = 0.6, MediumShare = 0.5 }], [Receptor("r", 0, 10)]));
        var profile = Assert.Throws<ArgumentException>(() => new RoadNoiseModel(RoadNoiseSettings.Default with { Periods = new(0.1, 0.1, 0.1) }));

        Assert.Contains("'elders'", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("'weg'", shares.Message, StringComparison.Ordinal);
        Assert.Contains("12·day", profile.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_input_gives_the_same_levels()
    {
        var (links, traffic, receptors) = RandomCity(seed: 3, links: 200, receptors: 1_000, sizeM: 1_500);

        Assert.Equal(Run(links, traffic, receptors), Run(links, traffic, receptors));
    }

    [Fact]
    public void The_levels_match_those_before_the_speed_work()
    {
        // Levels of this input from the implementation before the speed work (commit d400bbd): the receptor count, the sum
        // of L_den over all receptors and every 250th receptor's four levels.
        var (links, traffic, receptors) = RandomCity(seed: 19, links: 600, receptors: 3_000, sizeM: 2_500);
        var levels = Run(links, traffic, receptors);

        (string Id, double Day, double Evening, double Night, double Lden)[] expected =
        [
            ("p0", 65.13648185737387, 62.50406750962804, 55.971942371874604, 65.89749591973553),
            ("p250", 69.77204229102254, 67.13962794327674, 60.6075028055233, 70.53305635338421),
            ("p500", 67.2604012979843, 64.62798695023848, 58.095861812485055, 68.02141536034597),
            ("p750", 69.08221302233363, 66.44979867458783, 59.917673536834386, 69.8432270846953),
            ("p1000", 65.28431992990244, 62.65190558215663, 56.1197804444032, 66.0453339922641),
            ("p1250", 72.1975738869514, 69.5651595392056, 63.03303440145215, 72.95858794931307),
            ("p1500", 63.83743564845889, 61.20502130071308, 54.67289616295964, 64.59844971082055),
            ("p1750", 68.14699783837813, 65.5145834906323, 58.98245835287887, 68.90801190073978),
            ("p2000", 74.14491140868975, 71.51249706094393, 64.98037192319049, 74.9059254710514),
            ("p2250", 64.95067308077228, 62.31825873302647, 55.786133595273036, 65.71168714313396),
            ("p2500", 64.99574278055276, 62.36332843280694, 55.8312032950535, 65.75675684291441),
            ("p2750", 65.08459973622323, 62.45218538847741, 55.92006025072397, 65.84561379858488),
        ];

        // The vectorised exponential may differ from Math.Exp in the last bit; 1e-9 dB is far below any meaning.
        Assert.Equal(3_000, levels.Count);
        Assert.Equal(202939.21564023037, levels.Sum(l => l.LdenDb), 1e-9 * 3_000);
        Assert.All(expected, e =>
        {
            var level = levels.Single(l => l.ReceptorId == e.Id);
            Assert.Equal(e.Day, level.LdayDb, 1e-9);
            Assert.Equal(e.Evening, level.LeveningDb, 1e-9);
            Assert.Equal(e.Night, level.LnightDb, 1e-9);
            Assert.Equal(e.Lden, level.LdenDb, 1e-9);
        });
    }

    [Fact]
    public void A_Dordrecht_size_city_runs_in_well_under_the_time_bound()
    {
        // ~10,000 links and 50,000 façade receptors over 10 km × 10 km (Dordrecht: ~80 km² land, ~120,000 inhabitants).
        var (links, traffic, receptors) = RandomCity(seed: 11, links: 10_000, receptors: 50_000, sizeM: 10_000);
        var inputs = Inputs(links, traffic, receptors);
        ModelRun.Execute(new RoadNoiseModel(), Inputs(links.Take(10).ToList(), traffic.Take(10).ToList(), receptors.Take(10).ToList()), 0, TestContext.Current.CancellationToken);

        IReadOnlyDictionary<string, object> outputs = new Dictionary<string, object>();
        var cpu = ThreadCpu.Measure(() => outputs = ModelRun.Execute(new RoadNoiseModel(), inputs, 0, TestContext.Current.CancellationToken));

        Assert.True(((IReadOnlyList<FacadeNoise>)outputs[NoisePorts.FacadeLevels.Name]).Count > 45_000);
        Assert.True(cpu < TimeSpan.FromSeconds(5), $"noise: 10,000 links, 50,000 receptors took {cpu.TotalMilliseconds} ms CPU");
    }

    private static FacadeNoise Single(IReadOnlyList<FacadeNoise> levels) => Assert.Single(levels);

    private static RoadLink Road(string id, params (double X, double Y)[] points) =>
        new(id, Geo.Line(points), RoadClass.Gebiedsontsluitingsweg, 50, OneWay: false);

    /// <summary>The worked-example mix: 92 % light, 5 % medium, 3 % heavy, at 50 km/h.</summary>
    private static LinkTraffic Traffic(string linkId, double vehiclesPerDay) => new(linkId, vehiclesPerDay, 0.05, 0.03, 0, 0, 50);

    private static NoiseReceptor Receptor(string id, double x, double y) => new(id, Geo.Point(x, y));

    private static Dictionary<string, object> Inputs(IReadOnlyList<RoadLink> links, IReadOnlyList<LinkTraffic> traffic, IReadOnlyList<NoiseReceptor> receptors) =>
        new()
        {
            [NoisePorts.RoadLinks.Name] = links,
            [NoisePorts.LinkTraffic.Name] = traffic,
            [NoisePorts.Receptors.Name] = receptors,
        };

    private static IReadOnlyList<FacadeNoise> Run(
        IReadOnlyList<RoadLink> links, IReadOnlyList<LinkTraffic> traffic, IReadOnlyList<NoiseReceptor> receptors, RoadNoiseSettings? settings = null) =>
        (IReadOnlyList<FacadeNoise>)ModelRun.Execute(new RoadNoiseModel(settings), Inputs(links, traffic, receptors), 0, TestContext.Current.CancellationToken)[NoisePorts.FacadeLevels.Name];

    /// <summary>
    /// A street grid of <paramref name="links"/> two-point links (half east–west, half north–south, 60–160 m long) with
    /// random traffic, and façade receptors 5–40 m from a random link, all in a <paramref name="sizeM"/> square.
    /// </summary>
    private static (List<RoadLink> Links, List<LinkTraffic> Traffic, List<NoiseReceptor> Receptors) RandomCity(int seed, int links, int receptors, double sizeM)
    {
        var random = new Random(seed);
        var roads = new List<RoadLink>(links);
        var traffic = new List<LinkTraffic>(links);
        for (var i = 0; i < links; i++)
        {
            var (x, y) = (random.NextDouble() * sizeM, random.NextDouble() * sizeM);
            var length = 60 + (random.NextDouble() * 100);
            var end = i % 2 == 0 ? (x + length, y) : (x, y + length);
            roads.Add(Road($"w{i}", (x, y), end));
            traffic.Add(new LinkTraffic($"w{i}", 500 + (random.NextDouble() * 15_000), random.NextDouble() * 0.06, random.NextDouble() * 0.04, random.NextDouble() * 0.01, 0, 30 + (random.NextDouble() * 40)));
        }

        var points = new List<NoiseReceptor>(receptors);
        for (var i = 0; i < receptors; i++)
        {
            var road = roads[random.Next(roads.Count)].Geometry;
            var along = random.NextDouble();
            var offset = (5 + (random.NextDouble() * 35)) * (random.Next(2) == 0 ? -1 : 1);
            var (sx, sy, ex, ey) = (road.StartPoint.X, road.StartPoint.Y, road.EndPoint.X, road.EndPoint.Y);
            var (x, y) = (sx + ((ex - sx) * along), sy + ((ey - sy) * along));
            points.Add(sy == ey ? Receptor($"p{i}", x, y + offset) : Receptor($"p{i}", x + offset, y));
        }

        return (roads, traffic, points);
    }
}
