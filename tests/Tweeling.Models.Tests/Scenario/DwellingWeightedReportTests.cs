using Tweeling.Domain.Scenarios;
using Tweeling.Models.AirQuality;
using Tweeling.Models.City;
using Tweeling.Models.Graph;
using Tweeling.Models.Noise;
using Tweeling.Models.Results;
using Tweeling.Models.Scenario;
using Tweeling.Models.Tests.Support;

namespace Tweeling.Models.Tests.Scenario;

/// <summary>
/// The air quality and noise reports (<see cref="DwellingWeightedSums"/>) against the way they were made before: a
/// <see cref="BuurtValues"/> per indicator and a lookup of every record's building in a dictionary of the dwelling list.
/// Bit for bit, on records that skip buildings, name a building without dwellings or none in the list, carry values that
/// are not finite, and lie in a buurt the run does not list; and the air grid's layout follows its cells.
/// </summary>
public sealed class DwellingWeightedReportTests
{
    [Fact]
    public void Air_and_noise_means_per_buurt_and_for_the_city_are_bit_for_bit_those_of_a_dictionary_lookup_per_record()
    {
        var random = new Random(5);
        // BU99 has no dwellings: its means are null.
        var buurten = Enumerable.Range(0, 12).Select(i => new BuurtArea($"BU{i:D2}", Geo.Box(i, 0, i + 1, 1))).Append(new BuurtArea("BU99", Geo.Box(0, 1, 1, 2))).ToList();
        for (var trial = 0; trial < 20; trial++)
        {
            // Buildings buurt by buurt, as the dwelling list comes; BU12 is no buurt of the run, and some buildings have no dwellings.
            var dwellings = Enumerable.Range(0, 3_000)
                .Select(i => new DwellingStock($"P{i:D6}", $"BU{Math.Min(12, i / 240):D2}", Geo.Point(i, 0), random.Next(8) == 0 ? 0 : 1 + random.Next(60), DwellingType.Tussenwoning, Tenure.Koop))
                .ToList();
            // The records skip some buildings (runs of up to 20, past the positions the lookup tries ahead) and name a few unknown ones.
            var ids = new List<string>();
            for (var i = 0; i < dwellings.Count; i += random.Next(10) == 0 ? 2 + random.Next(20) : 1)
            {
                ids.Add(random.Next(200) == 0 ? $"elsewhere-{i}" : dwellings[i].BuildingId);
            }

            double Value() => random.Next(50) == 0 ? double.NaN : random.Next(100) == 0 ? double.PositiveInfinity : 20 + (random.NextDouble() * 50);
            var air = ids.Select(id => new AirConcentration(id, 0, 0, Value(), Value(), Value(), 0, 0, 0, 0, null, null)).ToList();
            var noise = ids.Select(id => new FacadeNoise(id, 0, 0, 0, Value(), Value())).ToList();
            var run = Run(buurten, dwellings, air, noise, []);

            AssertBitEqual(AirByLookup(dwellings, buurten, air), new AirQualityReporter().Areas(run, "GM1"));
            AssertBitEqual(NoiseByLookup(dwellings, buurten, noise), new NoiseReporter().Areas(run, "GM1"));
        }
    }

    [Fact]
    public void Reports_of_edits_that_keep_most_records_are_bit_for_bit_those_of_a_dictionary_lookup_per_record()
    {
        // One reporter of each over a chain of edits, as a scenario session makes them: the records an edit keeps are the
        // earlier instances, and the reporters add those from what they kept of the reports before.
        var random = new Random(11);
        var buurten = Enumerable.Range(0, 12).Select(i => new BuurtArea($"BU{i:D2}", Geo.Box(i, 0, i + 1, 1))).Append(new BuurtArea("BU99", Geo.Box(0, 1, 1, 2))).ToList();
        var baseline = Enumerable.Range(0, 3_000)
            .Select(i => new DwellingStock($"P{i:D6}", $"BU{Math.Min(12, i / 240):D2}", Geo.Point(i, 0), random.Next(8) == 0 ? 0 : 1 + random.Next(60), DwellingType.Tussenwoning, Tenure.Koop))
            .ToList();
        double Value() => random.Next(50) == 0 ? double.NaN : 20 + (random.NextDouble() * 50);
        AirConcentration Air(string id) => new(id, 0, 0, Value(), Value(), Value(), 0, 0, 0, 0, null, null);
        FacadeNoise Noise(string id) => new(id, 0, 0, 0, Value(), Value());

        // Records for most buildings, with gaps of one as the models' lists have.
        var ids = baseline.Where((_, i) => i % 17 != 3).Select(d => d.BuildingId).ToList();
        var air = ids.Select(Air).ToList();
        var noise = ids.Select(Noise).ToList();
        var (airReporter, noiseReporter) = (new AirQualityReporter(), new NoiseReporter());
        List<DwellingStock> dwellings = baseline;
        for (var edit = 0; edit < 12; edit++)
        {
            var run = Run(buurten, dwellings, air, noise, [], baseline);
            AssertBitEqual(AirByLookup(dwellings, buurten, air), airReporter.Areas(run, "GM1"));
            AssertBitEqual(NoiseByLookup(dwellings, buurten, noise), noiseReporter.Areas(run, "GM1"));

            // The next edit, from the baseline: a block of buildings demolished (a gap longer than the places looked
            // ahead), the dwellings of one buurt changed, new buildings at the end (one in a buurt the run does not
            // list); the records of the demolished buildings gone, some recomputed near the change, the new ones added.
            var demolishedFrom = random.Next(2_900);
            var changedBuurt = $"BU{random.Next(12):D2}";
            var added = Enumerable.Range(0, 5).Select(k => new DwellingStock($"N{edit:D2}{k}", k == 4 ? "BU77" : changedBuurt, Geo.Point(k, 0), 1 + k, DwellingType.Tussenwoning, Tenure.Koop)).ToList();
            dwellings =
            [
                .. baseline
                    .Where((_, i) => i < demolishedFrom || i >= demolishedFrom + 40)
                    .Select(d => d.Buurtcode == changedBuurt && random.Next(4) == 0 ? d with { Count = d.Count + 1 } : d),
                .. added,
            ];
            var standing = dwellings.Select(d => d.BuildingId).ToHashSet(StringComparer.Ordinal);
            var recomputed = random.Next(50);
            air = [.. air.Where(c => standing.Contains(c.Id)).Select((c, i) => i % 50 == recomputed ? Air(c.Id) : c), .. added.Select(d => Air(d.BuildingId))];
            noise = [.. noise.Where(f => standing.Contains(f.ReceptorId)).Select((f, i) => i % 50 == recomputed ? Noise(f.ReceptorId) : f), .. added.Select(d => Noise(d.BuildingId))];

            // Now and then the run's buurten are another list, in another order: the buurten's indices differ.
            if (edit % 5 == 4)
            {
                buurten = [.. Enumerable.Reverse(buurten)];
            }
        }
    }

    [Fact]
    public void The_air_grid_of_an_edit_has_the_values_of_its_own_cells_kept_or_recomputed()
    {
        var reporter = new AirQualityReporter();
        var buurten = new List<BuurtArea> { new("BU00", Geo.Box(0, 0, 1, 1)) };
        var random = new Random(3);
        AirConcentration Cell(int k, int columns) => new($"{k % columns}-{k / columns}", 1_000 + (25 * (k % columns)) + 12.5, 2_000 + (25 * (k / columns)) + 12.5, random.NextDouble(), random.NextDouble(), random.NextDouble(), 0, 0, 0, 0, null, null);

        // A grid without its last cell (a place without a cell), then edits that recompute some cells and keep the others.
        var cells = Enumerable.Range(0, 20 * 10 - 1).Select(k => Cell(k, 20)).ToList();
        for (var edit = 0; edit < 5; edit++)
        {
            var layers = reporter.Grids(Run(buurten, [], [], [], cells));
            var fresh = new AirQualityReporter().Grids(Run(buurten, [], [], [], cells));
            Assert.Equal(fresh.Select(l => (l.Indicator, l.OriginX, l.OriginY, l.CellSize, l.Columns, l.Rows)), layers.Select(l => (l.Indicator, l.OriginX, l.OriginY, l.CellSize, l.Columns, l.Rows)));
            Assert.Equal(fresh.Select(l => l.Values.Select(BitConverter.DoubleToInt64Bits)), layers.Select(l => l.Values.Select(BitConverter.DoubleToInt64Bits)));
            Assert.True(double.IsNaN(layers[0].Values[^1]));
            cells = [.. cells.Select((c, k) => random.Next(10) == 0 ? Cell(k, 20) : c)];
        }

        // The same number of cells and the same centres they are checked on, but two ids swapped: the layout of the new ids.
        var swapped = cells.Select((c, k) => c with { Id = k == 5 ? "6-0" : k == 6 ? "5-0" : c.Id }).ToList();
        var moved = reporter.Grids(Run(buurten, [], [], [], swapped))[0].Values;
        Assert.Equal((cells[5].No2, cells[6].No2), (moved[6], moved[5]));
        Assert.Equal(new AirQualityReporter().Grids(Run(buurten, [], [], [], swapped))[0].Values, moved);
    }

    [Fact]
    public void The_air_grid_takes_its_layout_from_its_own_cells_when_they_move_or_change_shape()
    {
        var reporter = new AirQualityReporter();
        var buurten = new List<BuurtArea> { new("BU00", Geo.Box(0, 0, 1, 1)) };
        GraphRun Grid(int columns, int rows, double minX, double minY, double no2)
        {
            var cells = Enumerable.Range(0, columns * rows)
                .Select(k => new AirConcentration($"{k % columns}-{k / columns}", minX + (25 * (k % columns)) + 12.5, minY + (25 * (k / columns)) + 12.5, no2 + k, 0, 0, 0, 0, 0, 0, null, null))
                .ToList();
            return Run(buurten, [], [], [], cells);
        }

        var first = reporter.Grids(Grid(3, 2, 1_000, 2_000, 10))[0];
        Assert.Equal((1_000.0, 2_000.0, 25.0, 3, 2), (first.OriginX, first.OriginY, first.CellSize, first.Columns, first.Rows));
        Assert.Equal(new double[] { 10, 11, 12, 13, 14, 15 }, first.Values);

        // The same cells with other values: the same layout, the new values.
        Assert.Equal(new double[] { 20, 21, 22, 23, 24, 25 }, reporter.Grids(Grid(3, 2, 1_000, 2_000, 20))[0].Values);

        // The same ids moved (the road network's extent changed): the new origin.
        var moved = reporter.Grids(Grid(3, 2, 1_050, 1_975, 10))[0];
        Assert.Equal((1_050.0, 1_975.0), (moved.OriginX, moved.OriginY));

        // Another shape.
        var wider = reporter.Grids(Grid(2, 3, 1_000, 2_000, 0))[0];
        Assert.Equal((2, 3), (wider.Columns, wider.Rows));
        Assert.Equal(new double[] { 0, 1, 2, 3, 4, 5 }, wider.Values);
    }

    // The reports as they were made before: a BuurtValues per indicator and a dictionary of the dwelling list.
    private static List<AreaValue> AirByLookup(List<DwellingStock> dwellings, List<BuurtArea> buurten, List<AirConcentration> air)
    {
        var weights = dwellings.Where(d => d.Count > 0).ToDictionary(d => d.BuildingId, d => (d.Buurtcode, d.Count), StringComparer.Ordinal);
        var (no2, pm10, pm25) = (new BuurtValues(), new BuurtValues(), new BuurtValues());
        foreach (var c in air.Where(c => weights.ContainsKey(c.Id)))
        {
            var (code, count) = weights[c.Id];
            no2.Add(code, c.No2, count);
            pm10.Add(code, c.Pm10, count);
            pm25.Add(code, c.Pm25, count);
        }

        return [.. no2.Means("no2", buurten, "GM1"), .. pm10.Means("pm10", buurten, "GM1"), .. pm25.Means("pm25", buurten, "GM1")];
    }

    private static List<AreaValue> NoiseByLookup(List<DwellingStock> dwellings, List<BuurtArea> buurten, List<FacadeNoise> noise)
    {
        var weights = dwellings.Where(d => d.Count > 0).ToDictionary(d => d.BuildingId, d => (d.Buurtcode, d.Count), StringComparer.Ordinal);
        var (lden, annoyed, above) = (new BuurtValues(), new BuurtValues(), new BuurtValues());
        foreach (var f in noise.Where(f => weights.ContainsKey(f.ReceptorId)))
        {
            var (code, count) = weights[f.ReceptorId];
            lden.Add(code, f.LdenDb, count);
            annoyed.Add(code, f.HighlyAnnoyedPercent, count);
            above.Add(code, f.LdenDb > NoiseReporter.StandardValueDb ? 100 : 0, count);
        }

        return [.. lden.Means("lden-gevel", buurten, "GM1"), .. annoyed.Means("ernstig-gehinderd", buurten, "GM1"), .. above.Means("woningen-boven-53-db", buurten, "GM1")];
    }

    private static GraphRun Run(
        List<BuurtArea> buurten,
        List<DwellingStock> dwellings,
        List<AirConcentration> air,
        List<FacadeNoise> noise,
        List<AirConcentration> cells,
        List<DwellingStock>? baseline = null) => new(
        new Dictionary<string, object>
        {
            [CityPorts.BuurtAreas.Name] = buurten,
            [CityPorts.Dwellings.Name] = dwellings,
            [CityPorts.BaselineDwellings.Name] = baseline ?? dwellings,
            [AirQualityPorts.ReceptorConcentrations.Name] = air,
            [AirQualityPorts.GridConcentrations.Name] = cells,
            [NoisePorts.FacadeLevels.Name] = noise,
        },
        new Dictionary<string, string>(),
        [],
        new Dictionary<string, TimeSpan>(),
        [],
        1);

    private static void AssertBitEqual(IReadOnlyList<AreaValue> expected, IReadOnlyList<AreaValue> actual)
    {
        Assert.Equal(expected.Select(v => (v.Indicator, v.AreaCode)), actual.Select(v => (v.Indicator, v.AreaCode)));
        Assert.Equal(expected.Select(v => v.Value is { } x ? BitConverter.DoubleToInt64Bits(x) : (long?)null), actual.Select(v => v.Value is { } x ? BitConverter.DoubleToInt64Bits(x) : (long?)null));
        Assert.Contains(actual, v => v.Value is null);
    }
}
