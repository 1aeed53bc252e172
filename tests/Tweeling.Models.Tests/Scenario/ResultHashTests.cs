using Tweeling.Models.Results;

namespace Tweeling.Models.Tests.Scenario;

/// <summary>
/// The result hash (<see cref="ResultHash"/>): equal results give equal hashes whatever instances hold them, and any
/// change of a value, an area, an indicator or a grid's place or shape gives another hash, also when the grid's own
/// hash was kept from an earlier report.
/// </summary>
public sealed class ResultHashTests
{
    [Fact]
    public void Equal_results_in_other_instances_give_the_same_hash()
    {
        var (areas, grids) = Result();
        var (sameAreas, sameGrids) = Result();

        Assert.Equal(ResultHash.Of(areas, grids), ResultHash.Of(sameAreas, sameGrids));
        Assert.Equal(64, ResultHash.Of(areas, grids).Length);

        // −0 equals 0 and a NaN with another payload is still NaN: the same results.
        var negativeZero = sameGrids[0] with { Values = [.. sameGrids[0].Values.Select((v, i) => i == 3 ? -0.0 : v)] };
        var otherNaN = sameGrids[1] with { Values = [.. sameGrids[1].Values.Select(v => double.IsNaN(v) ? BitConverter.Int64BitsToDouble(0x7FF8_0000_0000_0001) : v)] };
        Assert.Equal(0.0, grids[0].Values[3]);
        Assert.Equal(ResultHash.Of(areas, grids), ResultHash.Of(sameAreas, [negativeZero, otherNaN]));
    }

    [Fact]
    public void Any_changed_value_area_or_grid_changes_the_hash()
    {
        var (areas, grids) = Result();
        var hash = ResultHash.Of(areas, grids);
        var random = new Random(6);

        // Every grid value, one at a time, by the smallest step a double can take (the grids' hashes of the unchanged
        // grid are kept from the first call, so this also shows a kept grid hash is not reused for a changed grid).
        for (var g = 0; g < grids.Length; g++)
        {
            for (var i = 0; i < grids[g].Values.Count; i++)
            {
                var values = grids[g].Values.ToArray();
                values[i] = double.IsNaN(values[i]) ? 0 : Math.BitIncrement(values[i]);
                var changed = (GridLayer[])grids.Clone();
                changed[g] = grids[g] with { Values = values };
                Assert.NotEqual(hash, ResultHash.Of(areas, changed));
            }
        }

        // Every area value: nudged, and made missing.
        for (var i = 0; i < areas.Length; i++)
        {
            var nudged = (AreaValue[])areas.Clone();
            nudged[i] = areas[i] with { Value = areas[i].Value is { } v ? Math.BitIncrement(v) : 0 };
            Assert.NotEqual(hash, ResultHash.Of(nudged, grids));
            var missing = (AreaValue[])areas.Clone();
            missing[i] = areas[i] with { Value = areas[i].Value is null ? random.NextDouble() : null };
            Assert.NotEqual(hash, ResultHash.Of(missing, grids));
        }

        // Names, order, place and shape.
        Assert.NotEqual(hash, ResultHash.Of([areas[0] with { AreaCode = "BU00000009" }, .. areas[1..]], grids));
        Assert.NotEqual(hash, ResultHash.Of([areas[0] with { Indicator = "pm10" }, .. areas[1..]], grids));
        Assert.NotEqual(hash, ResultHash.Of([areas[1], areas[0], .. areas[2..]], grids));
        Assert.NotEqual(hash, ResultHash.Of(areas[..^1], grids));
        Assert.NotEqual(hash, ResultHash.Of(areas, [grids[1], grids[0]]));
        Assert.NotEqual(hash, ResultHash.Of(areas, grids[..1]));
        Assert.NotEqual(hash, ResultHash.Of(areas, [grids[0] with { OriginX = grids[0].OriginX + 1 }, grids[1]]));
        Assert.NotEqual(hash, ResultHash.Of(areas, [grids[0] with { OriginY = grids[0].OriginY + 1 }, grids[1]]));
        Assert.NotEqual(hash, ResultHash.Of(areas, [grids[0] with { CellSize = 26 }, grids[1]]));
        Assert.NotEqual(hash, ResultHash.Of(areas, [grids[0] with { Columns = 3, Rows = 4 }, grids[1]]));
        Assert.NotEqual(hash, ResultHash.Of(areas, [grids[0] with { Indicator = "pm25" }, grids[1]]));

        // And back: the first results give the first hash.
        Assert.Equal(hash, ResultHash.Of(areas, grids));
    }

    /// <summary>Two indicators over two buurten and the municipality, with a missing value, and two 4 × 3 grids with a NaN.</summary>
    private static (AreaValue[] Areas, GridLayer[] Grids) Result()
    {
        AreaValue[] areas =
        [
            new("no2", "BU00000001", 21.5), new("no2", "BU00000002", null), new("no2", "GM0000", 21.5),
            new("hitte-eiland", "BU00000001", 1.25), new("hitte-eiland", "BU00000002", 0.75), new("hitte-eiland", "GM0000", 1),
        ];
        GridLayer[] grids =
        [
            new("no2", 100_000, 400_000, 25, 4, 3, [.. Enumerable.Range(0, 12).Select(i => 18 + (i * 0.37))]),
            new("hitte-eiland", 100_000, 400_000, 100, 4, 3, [.. Enumerable.Range(0, 12).Select(i => i == 7 ? double.NaN : i * 0.11)]),
        ];
        // One grid as an array, as the reporters make them, the other as another list.
        grids[0] = grids[0] with { Values = grids[0].Values.Select((v, i) => i == 3 ? 0.0 : v).ToArray() };
        return (areas, grids);
    }
}
