using Tweeling.Models.City;
using DwellingType = Tweeling.Domain.Scenarios.DwellingType;

namespace Tweeling.Models.Tests.Scenario;

/// <summary>
/// The layout of added buildings (docs/scenarios.md, <c>woningen-toevoegen</c>): the order of the grid cells spreads
/// every leading run over the area, and the points of N buildings are the first N of the points of N + 1.
/// </summary>
public sealed class SpreadOrderTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 7)]
    [InlineData(7, 1)]
    [InlineData(5, 3)]
    [InlineData(16, 16)]
    [InlineData(37, 11)]
    [InlineData(3, 129)]
    public void Every_cell_comes_exactly_once(int columns, int rows)
    {
        var cells = SpreadOrder.Cells(columns, rows).ToList();

        Assert.Equal(columns * rows, cells.Count);
        Assert.Equal(columns * rows, cells.Distinct().Count());
        Assert.All(cells, c => Assert.True(c.Column >= 0 && c.Column < columns && c.Row >= 0 && c.Row < rows, $"{c} outside {columns} × {rows}"));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(10)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(24)]
    public void Every_leading_run_of_four_or_more_cells_has_a_cell_in_each_quadrant_of_a_square_grid(int side)
    {
        var cells = SpreadOrder.Cells(side, side).ToList();

        // A cell on a middle line (odd sides) counts for the quadrants on both sides of it.
        for (var k = 4; k <= cells.Count; k++)
        {
            var run = cells.Take(k).ToList();
            foreach (var (west, south) in new[] { (true, true), (false, true), (true, false), (false, false) })
            {
                Assert.True(
                    run.Any(c => Half(c.Column, side, west) && Half(c.Row, side, south)),
                    $"the first {k} cells of {side} × {side} leave the {(south ? "south" : "north")}-{(west ? "west" : "east")} quadrant empty");
            }
        }
    }

    [Fact]
    public void A_long_grid_is_halved_along_its_length_first()
    {
        // 64 × 4 cells: the first 16 cells take 16 different sixteenths of the length.
        var first = SpreadOrder.Cells(64, 4).Take(16).Select(c => c.Column / 4).ToList();

        Assert.Equal(16, first.Distinct().Count());
    }

    [Fact]
    public void The_points_of_n_buildings_are_the_first_n_points_of_n_plus_one_and_every_quadrant_of_a_square_area_holds_some_from_eight_on()
    {
        // 500 × 500 m at the flats' pitch (41.6 m): a 12 × 12 grid, every cell centre inside.
        var area = DemoCityStore.Box(100_000, 420_000, 100_500, 420_500);
        var pitch = CityBaseline.PlotPitch(DwellingType.Appartement);
        var all = CityBaseline.PlotPoints(area, 144, pitch, out var spacing);
        Assert.Equal(pitch, spacing);
        Assert.Equal(144, all.Count);

        for (var k = 1; k <= all.Count; k++)
        {
            var points = CityBaseline.PlotPoints(area, k, pitch, out var kSpacing);
            Assert.Equal(pitch, kSpacing);
            Assert.Equal(all.Take(k).Select(p => p.Coordinate), points.Select(p => p.Coordinate));
            if (k >= 8)
            {
                var centre = area.Centroid.Coordinate;
                Assert.Equal(4, points.Select(p => (p.X < centre.X, p.Y < centre.Y)).Distinct().Count());
            }
        }
    }

    [Fact]
    public void An_area_too_small_for_the_plan_takes_it_on_a_finer_grid_and_a_sliver_still_gets_its_dwellings()
    {
        // 60 × 60 m holds 16 cells of the detached houses' pitch (13.6 m), not 40: the grid shrinks until 40 fit.
        var small = DemoCityStore.Box(100_000, 420_000, 100_060, 420_060);
        var points = CityBaseline.PlotPoints(small, 40, CityBaseline.PlotPitch(DwellingType.Vrijstaand), out var spacing);

        Assert.Equal(40, points.Count);
        Assert.True(spacing < CityBaseline.PlotPitch(DwellingType.Vrijstaand), $"spacing {spacing:F2} m");
        Assert.All(points, p => Assert.True(small.Contains(p)));
        Assert.Equal(40, points.Select(p => p.Coordinate).Distinct().Count());

        // A triangle 2 m long and 0.1 m high (0.1 m²): even the finest grid the pitch shrinks to (2 cm) has a few hundred
        // centres inside, not 1,000, so the dwellings go to the points it has, evenly.
        var sliver = DemoCityStore.Factory.CreatePolygon([new(100_000, 420_000), new(100_002, 420_000), new(100_000, 420_000.1), new(100_000, 420_000)]);
        var few = CityBaseline.PlotPoints(sliver, 1_000, CityBaseline.PlotPitch(DwellingType.Tussenwoning), out _);
        Assert.InRange(few.Count, 1, 999);
        var counts = CityBaseline.DwellingsPerPoint(1_000, 1, few.Count);
        Assert.Equal(1_000, counts.Sum());
        Assert.True(counts.Max() - counts.Min() <= 1);
    }

    [Theory]
    [InlineData(2_000, 40, 50, 40)]
    [InlineData(2_001, 40, 51, 1)]
    [InlineData(2_039, 40, 51, 39)]
    [InlineData(7, 1, 7, 1)]
    public void Whole_buildings_come_first_and_the_remainder_goes_to_the_last(int count, int perBuilding, int points, int last)
    {
        var counts = CityBaseline.DwellingsPerPoint(count, perBuilding, points);

        Assert.Equal(points, counts.Length);
        Assert.Equal(count, counts.Sum());
        Assert.All(counts[..^1], c => Assert.Equal(perBuilding, c));
        Assert.Equal(last, counts[^1]);
    }

    [Fact]
    public void With_fewer_points_than_buildings_the_dwellings_spread_evenly_the_first_taking_the_remainder() =>
        Assert.Equal([44, 43, 43], CityBaseline.DwellingsPerPoint(130, 40, 3));

    private static bool Half(int index, int side, bool low) =>
        low ? 2 * index + 1 <= side : 2 * index + 1 >= side;
}
