using NetTopologySuite.Geometries;
using Tweeling.Domain.Features;

namespace Tweeling.Ingestion.DemoCity.Feeds;

/// <summary>
/// Places the demo city's ~60 simulated sensors where a municipality would put them: traffic counters
/// on main roads, crowd counters and car parks in the old centre, air-quality monitors beside busy roads
/// and in residential neighbourhoods (for the background), inclinometers on quay walls, and status
/// monitors at pumping stations.
/// </summary>
public static class SensorPlacement
{
    /// <summary>How many sensors of each kind the demo city runs (60 in all).</summary>
    public static IReadOnlyDictionary<SensorKind, int> Counts { get; } = new Dictionary<SensorKind, int>
    {
        [SensorKind.TrafficCount] = 12,
        [SensorKind.CrowdCount] = 10,
        [SensorKind.No2] = 8,
        [SensorKind.Pm10] = 6,
        [SensorKind.Pm25] = 6,
        [SensorKind.ParkingOccupancy] = 6,
        [SensorKind.QuayWallTilt] = 6,
        [SensorKind.PumpStatus] = 6,
    };

    /// <summary>Traffic counters stand at least this far apart, metres, so they cover the network.</summary>
    public const double CounterSpacing = 600;

    /// <summary>The sensors of <paramref name="city"/>, deterministic for <paramref name="seed"/>.</summary>
    public static IReadOnlyList<SimulatedSensor> Place(DemoCity city, int seed)
    {
        var random = new Random(seed);
        var sensors = new List<SimulatedSensor>();
        var mainRoads = Shuffle(city.Features.Where(f => f.Collection == TwinCollections.Wegvakken &&
            f.Properties["wegklasse"] is "stroomweg" or "gebiedsontsluitingsweg"), random);
        var counters = Spread(mainRoads, CounterSpacing, Counts[SensorKind.TrafficCount]);
        foreach (var (road, i) in counters.Select((r, i) => (r, i)))
        {
            var level = road.Properties["wegklasse"] is "stroomweg" ? 2.5 : 1.2;
            sensors.Add(new($"verkeer-{i + 1:D2}", SensorKind.TrafficCount, $"Verkeersteller {Name(road)}", Midpoint(road), TimeSpan.FromMinutes(15), level));
        }

        var centre = city.Features.Single(f => f.Collection == TwinCollections.Wijken && ((string)f.Properties["naam"]!).Contains("Binnenstad", StringComparison.Ordinal));
        var centreStreets = Shuffle(city.Features.Where(f => f.Collection == TwinCollections.Wegvakken && centre.Geometry.Covers(f.Geometry)), random);
        foreach (var (street, i) in Spread(centreStreets, 120, Counts[SensorKind.CrowdCount]).Select((s, i) => (s, i)))
        {
            sensors.Add(new($"drukte-{i + 1:D2}", SensorKind.CrowdCount, $"Passantenteller {Name(street)}", Midpoint(street), TimeSpan.FromMinutes(15), 0.6 + random.NextDouble()));
        }

        var centreBuurten = Shuffle(city.Features.Where(f => f.Collection == TwinCollections.Buurten && Equals(f.Properties["wijkcode"], centre.Id)), random);
        foreach (var (buurt, i) in centreBuurten.Take(Counts[SensorKind.ParkingOccupancy]).Select((b, i) => (b, i)))
        {
            sensors.Add(new($"parkeren-{i + 1:D2}", SensorKind.ParkingOccupancy, $"Parkeergarage {Name(buurt)}", buurt.Geometry.InteriorPoint, TimeSpan.FromMinutes(5), 0.9 + (0.25 * random.NextDouble())));
        }

        // Air quality: the first half of each kind beside traffic counters (roadside), the rest at the
        // centre of residential buurten (urban background).
        var residential = Shuffle(city.Features.Where(f => f.Collection == TwinCollections.Buurten && !Equals(f.Properties["wijkcode"], centre.Id)), random);
        var site = 0;
        foreach (var (kind, prefix, name) in new[] { (SensorKind.No2, "no2", "NO2"), (SensorKind.Pm10, "pm10", "PM10"), (SensorKind.Pm25, "pm25", "PM2.5") })
        {
            for (var i = 0; i < Counts[kind]; i++, site++)
            {
                var roadside = i < Counts[kind] / 2;
                var road = counters[site % counters.Count];
                var buurt = residential[site % residential.Count];
                var (location, place, level) = roadside
                    ? (Offset(Midpoint(road), 8), Name(road), road.Properties["wegklasse"] is "stroomweg" ? 1.6 : 1.0)
                    : (buurt.Geometry.InteriorPoint, Name(buurt), 0.25);
                sensors.Add(new($"{prefix}-{i + 1:D2}", kind, $"{name}-meter {place}{(roadside ? " (wegkant)" : "")}", location, TimeSpan.FromMinutes(10), level));
            }
        }

        var quays = Shuffle(city.Features.Where(f => f.Collection == TwinCollections.Beheerobjecten && Equals(f.Properties["type"], "kademuur")), random);
        foreach (var (quay, i) in quays.Take(Counts[SensorKind.QuayWallTilt]).Select((q, i) => (q, i)))
        {
            // One wall in six creeps faster: the case a tilt threshold is for.
            sensors.Add(new($"kademuur-{i + 1:D2}", SensorKind.QuayWallTilt, $"Hellingmeter {Name(quay)}", Midpoint(quay), TimeSpan.FromHours(1), i == 0 ? 3.0 : 0.5 + random.NextDouble()));
        }

        var pumps = Shuffle(city.Features.Where(f => f.Collection == TwinCollections.Beheerobjecten && Equals(f.Properties["type"], "gemaal")), random);
        foreach (var (pump, i) in pumps.Take(Counts[SensorKind.PumpStatus]).Select((p, i) => (p, i)))
        {
            sensors.Add(new($"gemaal-{i + 1:D2}", SensorKind.PumpStatus, $"Status {Name(pump)}", pump.Geometry.Centroid, TimeSpan.FromMinutes(5), 1));
        }

        return sensors;
    }

    private static string Name(Feature feature) => feature.Properties.GetValueOrDefault("naam") as string ?? feature.Id;

    private static Point Midpoint(Feature feature) => feature.Geometry is LineString line
        ? line.Factory.CreatePoint(new NetTopologySuite.LinearReferencing.LengthIndexedLine(line).ExtractPoint(line.Length / 2))
        : feature.Geometry.InteriorPoint;

    private static Point Offset(Point point, double metres) => point.Factory.CreatePoint(new Coordinate(point.X + metres, point.Y + metres));

    /// <summary>Picks features in order whose midpoints lie at least <paramref name="spacing"/> metres from those picked before.</summary>
    private static List<Feature> Spread(IEnumerable<Feature> candidates, double spacing, int count)
    {
        var picked = new List<Feature>();
        foreach (var candidate in candidates)
        {
            var at = Midpoint(candidate);
            if (picked.All(p => Midpoint(p).Distance(at) >= spacing))
            {
                picked.Add(candidate);
                if (picked.Count == count)
                {
                    break;
                }
            }
        }

        return picked;
    }

    private static List<Feature> Shuffle(IEnumerable<Feature> features, Random random)
    {
        var list = features.ToList();
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list));
        return list;
    }
}
