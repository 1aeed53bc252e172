using Tweeling.Domain.Scenarios;
using Tweeling.Models.AirQuality;
using Tweeling.Models.City;
using Tweeling.Models.Graph;
using Tweeling.Models.Green;
using Tweeling.Models.Noise;
using Tweeling.Models.Results;
using Tweeling.Models.Scenario;
using Tweeling.Models.Tests.Support;

namespace Tweeling.Models.Tests.Scenario;

/// <summary>
/// The air quality, noise and 3-30-300 reports (<see cref="DwellingWeightedSums"/>) against the way they were made
/// before: a <see cref="BuurtValues"/> per indicator and a lookup of every record's building in a dictionary of the
/// dwelling list. Bit for bit, on records that skip buildings, name a building without dwellings or none in the list,
/// carry values that are not finite, and lie in a buurt the run does not list, and over chains of edits whose kept
/// records the reporters add from their tables; and the air grid's layout follows its cells.
/// </summary>
public sealed class DwellingWeightedReportTests
{
    // The air, noise and 3-30-300 reports' per-building records: the building of a record, and the indicators with the value a record adds to each.
    private static readonly RecordReport<AirConcentration> s_air = new(c => c.Id, [("no2", c => c.No2), ("pm10", c => c.Pm10), ("pm25", c => c.Pm25)]);

    private static readonly RecordReport<FacadeNoise> s_noise = new(
        f => f.ReceptorId,
        [("lden-gevel", f => f.LdenDb), ("ernstig-gehinderd", f => f.HighlyAnnoyedPercent), ("woningen-boven-53-db", f => f.LdenDb > NoiseReporter.StandardValueDb ? 100 : 0)]);

    private static readonly RecordReport<DwellingGreen> s_green = new(d => d.DwellingId, [("woningen-3-30-300", d => d.MeetsAll ? 100 : 0)]);

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

            AssertBitEqual(ByLookup(dwellings, buurten, air, s_air), new AirQualityReporter().Areas(run, "GM1"));
            AssertBitEqual(ByLookup(dwellings, buurten, noise, s_noise), new NoiseReporter().Areas(run, "GM1"));
        }
    }

    [Fact]
    public void Reports_of_edits_that_keep_most_records_are_bit_for_bit_those_of_a_dictionary_lookup_per_record()
    {
        // One reporter of each over a chain of edits, as a scenario session makes them: the records an edit keeps are the
        // earlier instances, and the reporters add those from what they kept of the reports before.
        var random = new Random(11);
        double Value() => random.Next(50) == 0 ? double.NaN : 20 + (random.NextDouble() * 50);
        AirConcentration Air(string id) => new(id, 0, 0, Value(), Value(), Value(), 0, 0, 0, 0, null, null);
        FacadeNoise Noise(string id) => new(id, 0, 0, 0, Value(), Value());
        var (airReporter, noiseReporter) = (new AirQualityReporter(), new NoiseReporter());
        var (air, noise) = (new List<AirConcentration>(), new List<FacadeNoise>());
        foreach (var edit in ChainOfEdits(random, edits: 11))
        {
            (air, noise) = (edit.Records(air, s_air.BuildingOf, Air), edit.Records(noise, s_noise.BuildingOf, Noise));
            var run = Run(edit.Buurten, edit.Dwellings, air, noise, [], edit.Baseline);
            AssertBitEqual(ByLookup(edit.Dwellings, edit.Buurten, air, s_air), airReporter.Areas(run, "GM1"));
            AssertBitEqual(ByLookup(edit.Dwellings, edit.Buurten, noise, s_noise), noiseReporter.Areas(run, "GM1"));
        }
    }

    [Fact]
    public void Green_reports_of_edits_that_keep_most_records_are_bit_for_bit_a_fresh_report_and_a_dictionary_lookup_per_record()
    {
        // The share of dwellings that meet 3-30-300 adds the per-dwelling records an edit kept from the reporter's table,
        // as the air and noise reports do: over the same chain of edits, each report of the one reporter equals a fresh
        // reporter's (which has nothing kept) and the lookup per record.
        var random = new Random(13);
        DwellingGreen Green(string id) => new(id, random.Next(6), random.Next(3) != 0, random.Next(3) != 0, random.NextDouble() * 600, random.Next(3) != 0);
        var reporter = new GreenReporter();
        var green = new List<DwellingGreen>();
        var kept = 0;
        foreach (var edit in ChainOfEdits(random, edits: 11))
        {
            var before = green.ToHashSet(ReferenceEqualityComparer.Instance);
            green = edit.Records(green, s_green.BuildingOf, Green);
            kept += green.Count(before.Contains);
            var run = GreenRun(edit, green);

            var areas = reporter.Areas(run, "GM1");

            AssertBitEqual(new GreenReporter().Areas(run, "GM1"), areas);
            AssertBitEqual(ByLookup(edit.Dwellings, edit.Buurten, green, s_green), [.. areas.Where(a => a.Indicator == "woningen-3-30-300")]);
        }

        // Not vacuous: the edits kept most records as the same instances, the ones the reporter adds from its table.
        Assert.True(kept > 10 * 2_000, $"Only {kept} records were kept from one edit to the next.");
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
    private static List<AreaValue> ByLookup<T>(List<DwellingStock> dwellings, List<BuurtArea> buurten, List<T> records, RecordReport<T> report)
    {
        var weights = dwellings.Where(d => d.Count > 0).ToDictionary(d => d.BuildingId, d => (d.Buurtcode, d.Count), StringComparer.Ordinal);
        var sums = report.Indicators.Select(_ => new BuurtValues()).ToList();
        foreach (var record in records)
        {
            if (weights.TryGetValue(report.BuildingOf(record), out var weight))
            {
                for (var k = 0; k < sums.Count; k++)
                {
                    sums[k].Add(weight.Buurtcode, report.Indicators[k].Value(record), weight.Count);
                }
            }
        }

        return [.. report.Indicators.SelectMany((indicator, k) => sums[k].Means(indicator.Indicator, buurten, "GM1"))];
    }

    /// <summary>
    /// The baseline (3,000 buildings in 12 buurten and one the runs do not list, some without dwellings), then
    /// <paramref name="edits"/> edits from it as a scenario session makes them, each: a block of 40 buildings demolished
    /// (a gap longer than the places looked ahead), the dwellings of one buurt changed, five new buildings at the end
    /// (one in a buurt the run does not list), and now and then the run's buurten another list in another order.
    /// </summary>
    private static IEnumerable<Edit> ChainOfEdits(Random random, int edits)
    {
        // BU99 has no dwellings: its means are null.
        var buurten = Enumerable.Range(0, 12).Select(i => new BuurtArea($"BU{i:D2}", Geo.Box(i, 0, i + 1, 1))).Append(new BuurtArea("BU99", Geo.Box(0, 1, 1, 2))).ToList();
        var baseline = Enumerable.Range(0, 3_000)
            .Select(i => new DwellingStock($"P{i:D6}", $"BU{Math.Min(12, i / 240):D2}", Geo.Point(i, 0), random.Next(8) == 0 ? 0 : 1 + random.Next(60), DwellingType.Tussenwoning, Tenure.Koop))
            .ToList();

        // The baseline's records: most buildings, with gaps of one as the models' lists have.
        yield return new Edit(buurten, baseline, baseline, [.. baseline.Where((_, i) => i % 17 != 3)], Recomputed: -1);
        for (var edit = 0; edit < edits; edit++)
        {
            if (edit % 5 == 4)
            {
                buurten = [.. Enumerable.Reverse(buurten)];
            }

            var demolishedFrom = random.Next(2_900);
            var changedBuurt = $"BU{random.Next(12):D2}";
            var added = Enumerable.Range(0, 5).Select(k => new DwellingStock($"N{edit:D2}{k}", k == 4 ? "BU77" : changedBuurt, Geo.Point(k, 0), 1 + k, DwellingType.Tussenwoning, Tenure.Koop)).ToList();
            List<DwellingStock> dwellings =
            [
                .. baseline
                    .Where((_, i) => i < demolishedFrom || i >= demolishedFrom + 40)
                    .Select(d => d.Buurtcode == changedBuurt && random.Next(4) == 0 ? d with { Count = d.Count + 1 } : d),
                .. added,
            ];
            yield return new Edit(buurten, dwellings, baseline, added, random.Next(50));
        }
    }

    private static GraphRun GreenRun(Edit edit, List<DwellingGreen> green)
    {
        // Green per buurt as the green model gives it (BU99 without inhabitants); not what this test is about, but part of the report.
        var perBuurt = edit.Buurten.Select((b, i) => new NeighbourhoodGreen(b.Code, b.Code == "BU99" ? 0 : 100 + i, 1_000 * i, b.Code == "BU99" ? null : 10.0 * i / (100 + i), 0.05 * i, i >= 6)).ToList();
        return RunOf(new()
        {
            [CityPorts.BuurtAreas.Name] = edit.Buurten,
            [CityPorts.Dwellings.Name] = edit.Dwellings,
            [CityPorts.BaselineDwellings.Name] = edit.Baseline,
            [GreenPorts.PerNeighbourhood.Name] = perBuurt,
            [GreenPorts.Summary.Name] = new GreenSummary(12.5, green.Count, 0.5, 0.5, 0.5, 0.25),
            [GreenPorts.PerDwelling.Name] = green,
        });
    }

    private static GraphRun Run(
        List<BuurtArea> buurten,
        List<DwellingStock> dwellings,
        List<AirConcentration> air,
        List<FacadeNoise> noise,
        List<AirConcentration> cells,
        List<DwellingStock>? baseline = null) => RunOf(new()
        {
            [CityPorts.BuurtAreas.Name] = buurten,
            [CityPorts.Dwellings.Name] = dwellings,
            [CityPorts.BaselineDwellings.Name] = baseline ?? dwellings,
            [AirQualityPorts.ReceptorConcentrations.Name] = air,
            [AirQualityPorts.GridConcentrations.Name] = cells,
            [NoisePorts.FacadeLevels.Name] = noise,
        });

    // A graph run with these values by port name, as the reporters read it.
    private static GraphRun RunOf(Dictionary<string, object> values) => new(values, new Dictionary<string, string>(), [], new Dictionary<string, TimeSpan>(), [], 1);

    private static void AssertBitEqual(IReadOnlyList<AreaValue> expected, IReadOnlyList<AreaValue> actual)
    {
        Assert.Equal(expected.Select(v => (v.Indicator, v.AreaCode)), actual.Select(v => (v.Indicator, v.AreaCode)));
        Assert.Equal(expected.Select(v => v.Value is { } x ? BitConverter.DoubleToInt64Bits(x) : (long?)null), actual.Select(v => v.Value is { } x ? BitConverter.DoubleToInt64Bits(x) : (long?)null));
        Assert.Contains(actual, v => v.Value is null);
    }

    /// <summary>A report over per-building records: the building of a record, and per indicator the value a record adds.</summary>
    private sealed record RecordReport<T>(Func<T, string> BuildingOf, (string Indicator, Func<T, double> Value)[] Indicators);

    /// <summary>
    /// One run of a chain of edits: its buurten and dwellings, the baseline's dwellings, the buildings whose records are
    /// new in it (for the baseline, every building with a record), and which of the kept records it computes again.
    /// </summary>
    private sealed record Edit(List<BuurtArea> Buurten, List<DwellingStock> Dwellings, List<DwellingStock> Baseline, List<DwellingStock> Added, int Recomputed)
    {
        /// <summary>
        /// The records of this run from those of the run before: a demolished building's gone, every 50th from
        /// <see cref="Recomputed"/> made again (a new instance), the others the same instances, and those of the added
        /// buildings made and put last.
        /// </summary>
        public List<T> Records<T>(List<T> before, Func<T, string> buildingOf, Func<string, T> made)
        {
            var standing = Dwellings.Select(d => d.BuildingId).ToHashSet(StringComparer.Ordinal);
            return [.. before.Where(r => standing.Contains(buildingOf(r))).Select((r, i) => i % 50 == Recomputed ? made(buildingOf(r)) : r), .. Added.Select(d => made(d.BuildingId))];
        }
    }
}
