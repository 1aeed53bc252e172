using System.Diagnostics;
using System.Globalization;
using NetTopologySuite.Geometries;
using Tweeling.Models.City;
using Tweeling.Models.Graph;
using Tweeling.Models.Green;
using Tweeling.Models.Heat;
using Tweeling.Models.Noise;
using Tweeling.Models.Tests.Traffic;
using Tweeling.Models.Traffic;

namespace Tweeling.Benchmarks;

/// <summary>
/// CPU per impact model at scale 1 (issue 6 item 7: every model for the demo city in under 2 s): the green, noise, heat
/// and traffic models each on its own, on Dordrecht-size synthetic input of the sizes the models' scale tests use.
/// Each model runs once to compile, then <c>runs</c> times; the median process CPU time and wall time are reported,
/// with a fingerprint of the outputs (SHA-256 over every output record's text) that shows whether a change to a
/// model's internals changed its results.
/// </summary>
internal static class ModelCpuBenchmark
{
    /// <summary>The budget of a full run of every model for the demo city, s (issue 6 item 7): the limit each model is compared with.</summary>
    private const double BudgetSeconds = 2;

    private static readonly GeometryFactory s_factory = new(new PrecisionModel(), 28992);

    public static Task<int> RunAsync(int runs, string? only, CancellationToken cancellationToken)
    {
        Console.WriteLine("# Impact models: CPU per model at scale 1");
        Console.WriteLine(Machine.Describe());
        Console.WriteLine();
        Console.WriteLine("| model | input | median CPU (ms) | median wall (ms) | share of the 2 s budget | output fingerprint |");
        Console.WriteLine("|---|---|---:|---:|---:|---|");
        var models = new (string Name, string Input, Func<(IImpactModel Model, Dictionary<string, object> Inputs)> Build)[]
        {
            ("groen", "100 buurten of 1 km², 600 green spaces, 40,000 trees, 60,000 dwellings", GreenInput),
            ("geluid", "10,000 links, 50,000 façade receptors over 10 × 10 km", NoiseInput),
            ("hitte", "10,000 cells of 100 m, 120,000 land-cover polygons", HeatInput),
            ("verkeer", "9,940 links (71 × 71 grid), 100 zones, 7 Frank–Wolfe iterations", TrafficInput),
        };
        var total = 0.0;
        foreach (var (name, input, build) in models.Where(m => only is null || m.Name == only))
        {
            var (model, inputs) = build();
            var outputs = ModelRun.Execute(model, inputs, 0, cancellationToken);
            var fingerprint = RunFigures.Fingerprint(outputs);
            var cpu = new List<double>();
            var wall = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var before = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                var again = ModelRun.Execute(model, inputs, 0, cancellationToken);
                wall.Add(clock.Elapsed.TotalMilliseconds);
                cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - before).TotalMilliseconds);
                if (RunFigures.Fingerprint(again) != fingerprint)
                {
                    throw new InvalidOperationException($"Model '{name}' gave different outputs on the same input.");
                }
            }

            var median = RunFigures.Median(cpu);
            total += median;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {input} | {median:F0} | {RunFigures.Median(wall):F0} | {median / (BudgetSeconds * 1000):P0} | {fingerprint} |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| sum | | {total:F0} | | {total / (BudgetSeconds * 1000):P0} | |"));
        Console.WriteLine($"load after: {Machine.LoadAverage()}");
        return Task.FromResult(0);
    }

    private static Polygon Box(double minX, double minY, double maxX, double maxY) =>
        s_factory.CreatePolygon([new(minX, minY), new(maxX, minY), new(maxX, maxY), new(minX, maxY), new(minX, minY)]);

    private static Point At(double x, double y) => s_factory.CreatePoint(new Coordinate(x, y));

    /// <summary>10 × 10 km in 1 km² buurten; green rectangles of 20–200 m, crowns of 3–12 m, dwellings anywhere.</summary>
    private static (IImpactModel, Dictionary<string, object>) GreenInput()
    {
        var random = new Random(21);
        const int side = 10;
        const double size = side * 1_000;
        var buurten = new List<Neighbourhood>();
        for (var i = 0; i < side; i++)
        {
            for (var j = 0; j < side; j++)
            {
                buurten.Add(new Neighbourhood($"BU{i:D2}{j:D2}", Box(i * 1_000, j * 1_000, (i + 1) * 1_000, (j + 1) * 1_000), random.Next(0, 3_000)));
            }
        }

        var green = new List<GreenSpace>();
        for (var k = 0; k < side * side * 6; k++)
        {
            var (x, y) = (random.NextDouble() * size, random.NextDouble() * size);
            green.Add(new GreenSpace($"g{k}", Box(x, y, x + 20 + (random.NextDouble() * 180), y + 20 + (random.NextDouble() * 180))));
        }

        var trees = new List<TreeLocation>();
        for (var k = 0; k < 40_000; k++)
        {
            trees.Add(new TreeLocation($"t{k}", At(random.NextDouble() * size, random.NextDouble() * size), 3 + (random.NextDouble() * 9)));
        }

        var dwellings = new List<Dwelling>();
        for (var k = 0; k < 60_000; k++)
        {
            var (x, y) = (random.NextDouble() * size, random.NextDouble() * size);
            dwellings.Add(new Dwelling($"d{k}", At(x, y), $"BU{(int)(x / 1_000):D2}{(int)(y / 1_000):D2}"));
        }

        return (new GreenModel(), new Dictionary<string, object>
        {
            [GreenPorts.Neighbourhoods.Name] = buurten,
            [GreenPorts.PublicGreen.Name] = green,
            [GreenPorts.Trees.Name] = trees,
            [GreenPorts.Dwellings.Name] = dwellings,
        });
    }

    /// <summary>Two-point links of 60–160 m (half east–west, half north–south) with random traffic; receptors 5–40 m beside a link.</summary>
    private static (IImpactModel, Dictionary<string, object>) NoiseInput()
    {
        var random = new Random(11);
        const double size = 10_000;
        var links = new List<RoadLink>();
        var traffic = new List<LinkTraffic>();
        for (var i = 0; i < 10_000; i++)
        {
            var (x, y) = (random.NextDouble() * size, random.NextDouble() * size);
            var length = 60 + (random.NextDouble() * 100);
            var (ex, ey) = i % 2 == 0 ? (x + length, y) : (x, y + length);
            links.Add(new RoadLink($"w{i}", s_factory.CreateLineString([new Coordinate(x, y), new Coordinate(ex, ey)]), RoadClass.Gebiedsontsluitingsweg, 50, false));
            traffic.Add(new LinkTraffic($"w{i}", 500 + (random.NextDouble() * 15_000), random.NextDouble() * 0.06, random.NextDouble() * 0.04, random.NextDouble() * 0.01, 0, 30 + (random.NextDouble() * 40)));
        }

        var receptors = new List<NoiseReceptor>();
        for (var i = 0; i < 50_000; i++)
        {
            var road = links[random.Next(links.Count)].Geometry;
            var along = random.NextDouble();
            var offset = (5 + (random.NextDouble() * 35)) * (random.Next(2) == 0 ? -1 : 1);
            var (sx, sy, ex, ey) = (road.StartPoint.X, road.StartPoint.Y, road.EndPoint.X, road.EndPoint.Y);
            var (x, y) = (sx + ((ex - sx) * along), sy + ((ey - sy) * along));
            receptors.Add(new NoiseReceptor($"p{i}", sy == ey ? At(x, y + offset) : At(x + offset, y)));
        }

        return (new RoadNoiseModel(), new Dictionary<string, object>
        {
            [NoisePorts.RoadLinks.Name] = links,
            [NoisePorts.LinkTraffic.Name] = traffic,
            [NoisePorts.Receptors.Name] = receptors,
        });
    }

    /// <summary>Rectangles of 5–60 m of every land-cover class over 10 × 10 km, twelve per 100 m cell; the illustrative hot day.</summary>
    private static (IImpactModel, Dictionary<string, object>) HeatInput()
    {
        var random = new Random(13);
        const double size = 10_000;
        const int cells = 100;
        var covers = Enum.GetValues<LandCover>();
        var areas = new List<LandCoverArea>();
        for (var i = 0; i < cells * cells * 12; i++)
        {
            var (x, y) = (random.NextDouble() * size, random.NextDouble() * size);
            var (w, h) = (5 + (random.NextDouble() * 55), 5 + (random.NextDouble() * 55));
            areas.Add(new LandCoverArea(Box(x, y, Math.Min(size, x + w), Math.Min(size, y + h)), covers[random.Next(covers.Length)]));
        }

        return (new HeatModel(), new Dictionary<string, object>
        {
            [HeatPorts.LandCover.Name] = areas,
            [HeatPorts.Grid.Name] = new HeatGrid(0, 0, cells, cells, size / cells),
            [HeatPorts.Weather.Name] = HeatWeather.IllustrativeHotDay,
        });
    }

    /// <summary>The traffic scale test's city (<c>TestNetworks.SyntheticCity</c>): a 71 × 71 grid of 9,940 links, 100 zones, 54,000 dwellings.</summary>
    private static (IImpactModel, Dictionary<string, object>) TrafficInput()
    {
        var (links, zones, dwellings, activity) = TestNetworks.SyntheticCity();
        return (new TrafficModel(), new Dictionary<string, object>
        {
            [TrafficPorts.Zones.Name] = zones,
            [TrafficPorts.Dwellings.Name] = dwellings,
            [TrafficPorts.Activity.Name] = activity,
            [TrafficPorts.RoadLinks.Name] = links,
            [TrafficPorts.ClosedLinks.Name] = Array.Empty<string>(),
            [TrafficPorts.LinkFactors.Name] = Array.Empty<LinkTrafficFactor>(),
        });
    }
}
