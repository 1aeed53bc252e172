using Tweeling.Models.Accessibility;
using Tweeling.Models.AirQuality;
using Tweeling.Models.City;
using Tweeling.Models.Facilities;
using Tweeling.Models.Graph;
using Tweeling.Models.Green;
using Tweeling.Models.Heat;
using Tweeling.Models.Liveability;
using Tweeling.Models.Noise;
using Tweeling.Models.Population;
using Tweeling.Models.Social;
using Tweeling.Models.Tests.Support;
using Tweeling.Models.Tests.Traffic;
using Tweeling.Models.Traffic;
using DwellingType = Tweeling.Domain.Scenarios.DwellingType;
using Tenure = Tweeling.Domain.Scenarios.Tenure;

namespace Tweeling.Models.Tests.Liveability;

/// <summary>
/// The social and liveability models join the graph: the real population, traffic, air quality, noise and heat models
/// feed them through their existing ports; green, facilities and accessibility (whose <c>dwellings</c> and
/// <c>buurt-population</c> inputs the scenario engine adapts) come in as their output ports, filled with plausible values.
/// </summary>
public sealed class SocialGraphWiringTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void The_models_join_through_their_ports_and_every_buurt_gets_every_input()
    {
        var graph = Graph();

        var run = graph.Run(Inputs(Stock()), 11, Ct);

        var order = graph.Models.Select(m => m.Descriptor.Id).ToList();
        Assert.True(order.IndexOf(SocialModel.ModelId) > order.IndexOf(PopulationModel.ModelId));
        Assert.Equal(LiveabilityModel.ModelId, order[^1]);
        var liveability = run.Value(LiveabilityPorts.Liveability);
        Assert.Equal(["BU0000", "BU0001", "BU0100", "BU0101"], liveability.Select(b => b.Buurtcode));
        Assert.All(liveability, b =>
        {
            // Noise and NO2 from the real models through the receptors placed on the buildings, heat from the real grid,
            // traffic from real assignment, the low-income share from the real social model behind the real population model.
            Assert.InRange(b.Inputs.LdenDb!.Value, 40, 80);
            Assert.InRange(b.Inputs.No2!.Value, 18.01, 60);
            Assert.NotNull(b.Inputs.UhiMaxK);
            Assert.NotNull(b.Inputs.VehiclesPerDay);
            Assert.NotNull(b.Inputs.LowIncomePercent);
            Assert.NotNull(b.Bewoners);
            Assert.InRange(b.Composite!.Value, 0, 100);
        });
        Assert.Contains(liveability, b => b.Inputs.VehiclesPerDay > 0);
    }

    [Fact]
    public void Adding_2000_social_rent_dwellings_reruns_only_population_social_and_liveability()
    {
        var graph = Graph();
        var before = graph.Run(Inputs(Stock()), 11, Ct);
        var added = Stock().Append(new DwellingStock("scenario:1", "BU0000", TestNetworks.Point(260, 260), 2_000, DwellingType.Appartement, Tenure.SocialeHuur)).ToList();

        var after = graph.Run(Inputs(added), 11, Ct);

        Assert.Equal([PopulationModel.ModelId, SocialModel.ModelId, LiveabilityModel.ModelId], after.Ran);
        var share = (IReadOnlyList<BuurtLowIncomeEstimate> all) => all.Single(b => b.Buurtcode == "BU0000").Percent;
        Assert.True(share(after.Value(SocialPorts.LowIncome)) > share(before.Value(SocialPorts.LowIncome)));
        var bewoners = (GraphRun r) => r.Value(LiveabilityPorts.Liveability).Single(b => b.Buurtcode == "BU0000").Bewoners;
        Assert.True(bewoners(after) < bewoners(before));
        Assert.Equal(
            before.Value(LiveabilityPorts.Liveability).Single(b => b.Buurtcode == "BU0101").Composite,
            after.Value(LiveabilityPorts.Liveability).Single(b => b.Buurtcode == "BU0101").Composite);
    }

    private static ModelGraph Graph() => new(
        [new LiveabilityModel(), new SocialModel(), new PopulationModel(), new TrafficModel(), new AirQualityModel(), new RoadNoiseModel(), new HeatModel()],
        [
            CityPorts.Dwellings, CityPorts.BaselineDwellings, CityPorts.BuurtStatistics, CityPorts.AgeingYears, CityPorts.BuurtLowIncome, CityPorts.BuurtAreas, CityPorts.Roads,
            TrafficPorts.Zones, TrafficPorts.Dwellings, TrafficPorts.Activity, TrafficPorts.ClosedLinks, TrafficPorts.LinkFactors,
            AirQualityPorts.StreetProfiles, AirQualityPorts.Receptors, AirQualityPorts.Background, NoisePorts.Receptors,
            HeatPorts.LandCover, HeatPorts.Grid, HeatPorts.Weather,
            GreenPorts.PerNeighbourhood, FacilitiesPorts.Supply, AccessibilityPorts.BuurtDistances,
        ]);

    // Four 500 m buurten on a 1 × 1 km grid of roads 100 m apart; in each, five buildings of 30 dwellings in the 100 m
    // block around the zone's centroid, so within 50 m of the links its trips enter the network by.
    private static List<DwellingStock> Stock()
    {
        var stock = new List<DwellingStock>();
        var types = Enum.GetValues<DwellingType>();
        for (var zx = 0; zx < 2; zx++)
        {
            for (var zy = 0; zy < 2; zy++)
            {
                (double X, double Y)[] inBlock = [(205, 250), (295, 250), (250, 205), (250, 295), (250, 250)];
                for (var k = 0; k < inBlock.Length; k++)
                {
                    var at = TestNetworks.Point((zx * 500) + inBlock[k].X, (zy * 500) + inBlock[k].Y);
                    stock.Add(new($"P{zx}{zy}{k}", $"BU{zx:D2}{zy:D2}", at, 30, types[k], (Tenure)((k + zx + zy) % 3)));
                }
            }
        }

        return stock;
    }

    private static Dictionary<string, object> Inputs(List<DwellingStock> stock)
    {
        var (links, zones, _, activity) = TestNetworks.SyntheticCity(side: 11, zonesPerSide: 2);
        var baseline = Stock();
        var codes = zones.Select(z => z.Code).ToList();
        var buildings = baseline.Select(d => (d.BuildingId, d.Location)).ToList();
        return new()
        {
            [CityPorts.Dwellings.Name] = stock,
            [CityPorts.BaselineDwellings.Name] = baseline,
            [CityPorts.BuurtStatistics.Name] = new List<BuurtStatistics>(),
            [CityPorts.AgeingYears.Name] = 0,
            [CityPorts.BuurtLowIncome.Name] = codes.Select((c, i) => new BuurtLowIncome(c, 8 + (4 * i))).ToList(),
            [CityPorts.BuurtAreas.Name] = zones.Select(z => new BuurtArea(z.Code, z.Centroid.Buffer(500))).ToList(),
            [CityPorts.Roads.Name] = links,
            [TrafficPorts.Zones.Name] = zones,
            // The trip generators follow the baseline stock (Flat for appartement, Terraced for the houses), as the scenario engine's adapter maps them.
            [TrafficPorts.Dwellings.Name] = baseline.Select(d => new ZoneDwellings(
                d.Buurtcode, d.Type == DwellingType.Appartement ? Models.Traffic.DwellingType.Flat : Models.Traffic.DwellingType.Terraced, (Models.Traffic.Tenure)(int)d.Tenure, d.Count)).ToList(),
            [TrafficPorts.Activity.Name] = activity,
            [TrafficPorts.ClosedLinks.Name] = new List<string>(),
            [TrafficPorts.LinkFactors.Name] = new List<LinkTrafficFactor>(),
            [AirQualityPorts.StreetProfiles.Name] = new List<StreetProfile>(),
            [AirQualityPorts.Receptors.Name] = buildings.Select(b => new AirReceptor(b.BuildingId, b.Location)).ToList(),
            [AirQualityPorts.Background.Name] = new AirBackground(18, 17, 10, 45),
            [NoisePorts.Receptors.Name] = buildings.Select(b => new NoiseReceptor(b.BuildingId, b.Location)).ToList(),
            [HeatPorts.LandCover.Name] = new List<LandCoverArea>
            {
                new(Geo.Box(TestNetworks.OriginX, TestNetworks.OriginY, TestNetworks.OriginX + 1_000, TestNetworks.OriginY + 500), LandCover.Paved),
                new(Geo.Box(TestNetworks.OriginX, TestNetworks.OriginY + 500, TestNetworks.OriginX + 1_000, TestNetworks.OriginY + 1_000), LandCover.LowVegetation),
            },
            [HeatPorts.Grid.Name] = new HeatGrid(TestNetworks.OriginX, TestNetworks.OriginY, 10, 10, 100),
            [HeatPorts.Weather.Name] = HeatWeather.IllustrativeHotDay,
            [GreenPorts.PerNeighbourhood.Name] = codes.Select((c, i) => new NeighbourhoodGreen(c, 300, 300 * 10.0 * (i + 1), 10.0 * (i + 1), 0.1 * (i + 1), i >= 2)).ToList(),
            [FacilitiesPorts.Supply.Name] = codes.Select(c => new BuurtFacilitySupply(c, "huisarts", "fte", 0.15, 0.3, 0.12, 0.8, 0.03, 1)).ToList(),
            [AccessibilityPorts.BuurtDistances.Name] = codes.Select((c, i) => new BuurtFacilityDistance(c, "huisarts", 5, 0, 600 + (200 * i), 7 + (2.4 * i), 600 + (200 * i), 2.4 + i)).ToList(),
        };
    }
}
