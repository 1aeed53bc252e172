using System.Runtime.CompilerServices;
using Tweeling.Models.Graph;

namespace Tweeling.Models.Heat;

/// <summary>
/// The heat model brought up to date after an edit (<see cref="IIncrementalModel"/>, docs/scenarios.md "Incremental
/// runs"): a land-cover polygon adds area only to the cells its envelope covers, and a cell's UHI reads the cells within
/// the averaging radius. So after an edit that changes a few polygons (new buildings on their plots, a new park), only
/// the cells those polygons (before and after) touch get new fractions, only the cells within the radius of those get a
/// new UHI and PET, and every other cell is the earlier run's.
/// </summary>
public sealed partial class HeatModel : IIncrementalModel
{
    /// <summary>More cells with new fractions than this share of the grid and a full run is as cheap.</summary>
    private const double MaximumChangedCellShare = 0.5;

    /// <summary>
    /// How far ahead <see cref="LinedUp"/> looks for a polygon to pair again, polygons: a run of up to this many polygons
    /// inserted or dropped in one place is walked past; past a longer one the walk pairs nothing more and the lists are
    /// matched by instance.
    /// </summary>
    private const int LineUpWindow = 64;

    /// <summary>The most polygons <see cref="LinedUp"/> leaves unpaired before the lists are matched by instance instead.</summary>
    private const int LineUpLimit = 4_096;

    /// <inheritdoc />
    public bool TryRunIncremental(ModelRun run, PreviousRun previous, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(previous);
        var grid = Check(run.Input(HeatPorts.Grid));
        var weather = Check(run.Input(HeatPorts.Weather));
        var earlier = previous.Output(HeatPorts.Cells);
        if (!grid.Equals(previous.Input(HeatPorts.Grid)) || !weather.Equals(previous.Input(HeatPorts.Weather)) || earlier.Count != grid.Columns * grid.Rows)
        {
            return false;
        }

        var (before, now) = (previous.Input(HeatPorts.LandCover), run.Input(HeatPorts.LandCover));
        var (changed, reaches) = ChangedCells(grid, before, ReachesOf(grid, before), now);
        if (changed is null || changed.Count(c => c) > MaximumChangedCellShare * changed.Length)
        {
            return false;
        }

        // The next edit starts from this run: its polygons' reaches are kept for it.
        _reaches.AddOrUpdate(now, new KeptReaches(grid, reaches!));

        // The changed cells get their fractions anew (summed over the current polygons in order, as a full run sums them);
        // the others have the earlier run's, which a full run would compute from the same polygons in the same order.
        var fractions = earlier.Select(c => c.Cover).ToArray();
        LandCoverRaster.Fill(grid, now, reaches!, changed, fractions, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        Write(run, Cells(grid, weather, fractions, WithinRadius(grid, changed), earlier), weather);
        return true;
    }

    /// <summary>
    /// The cells whose fractions may differ between the <paramref name="before"/> and <paramref name="now"/> land cover:
    /// those touched by a polygon that is in one list and not the other; and the reaches of <paramref name="now"/>'s
    /// polygons (<see cref="LandCoverRaster.Reaches"/>), a kept polygon's taken from <paramref name="beforeReaches"/>. A
    /// polygon counts as kept when the same geometry instance with the same class is in both lists and the kept polygons
    /// keep their relative order (so every other cell sums the same areas in the same order); a kept polygon out of order
    /// counts as changed. <c>null</c> cells when a geometry instance occurs twice in the earlier list and the lists do not
    /// line up (no one-to-one matching).
    /// </summary>
    private (bool[]? Cells, int[]? Reaches) ChangedCells(HeatGrid grid, IReadOnlyList<LandCoverArea> before, int[] beforeReaches, IReadOnlyList<LandCoverArea> now)
    {
        var cells = new bool[grid.Columns * grid.Rows];
        if (ReferenceEquals(before, now))
        {
            return (cells, beforeReaches);
        }

        var reaches = new int[4 * now.Count];
        if (LinedUp(grid, before, beforeReaches, now, reaches, cells))
        {
            return (cells, reaches);
        }

        Array.Clear(cells);
        if (_positions.GetValue(before, Positions).ByGeometry is not { } earlierIndex)
        {
            return (null, null);
        }

        var kept = new bool[before.Count];
        var last = -1;
        for (var j = 0; j < now.Count; j++)
        {
            var area = now[j];
            if (earlierIndex.TryGetValue(area.Geometry, out var i) && i > last && before[i].Cover == area.Cover)
            {
                kept[i] = true;
                last = i;
                beforeReaches.AsSpan(4 * i, 4).CopyTo(reaches.AsSpan(4 * j, 4));
            }
            else
            {
                LandCoverRaster.Reach(grid, area.Geometry, reaches.AsSpan(4 * j, 4));
                LandCoverRaster.MarkCells(grid, reaches.AsSpan(4 * j, 4), cells);
            }
        }

        for (var i = 0; i < before.Count; i++)
        {
            if (!kept[i])
            {
                LandCoverRaster.MarkCells(grid, beforeReaches.AsSpan(4 * i, 4), cells);
            }
        }

        return (cells, reaches);
    }

    /// <summary>
    /// Walks both lists side by side, marking in <paramref name="cells"/> the cells of the polygons it cannot pair and
    /// writing the reaches of <paramref name="now"/>'s polygons to <paramref name="reaches"/> (a paired one's copied from
    /// <paramref name="beforeReaches"/>): where the polygons differ, the nearer of the two within
    /// <see cref="LineUpWindow"/> places that pairs again (polygons inserted in the new list, or dropped from the earlier
    /// one), else both count as replaced. Any in-order pairing of equal polygons gives exact cells (the polygons left
    /// unpaired are all marked), so this only has to be cheap: an edit's list is the earlier one with a few polygons
    /// replaced, inserted or dropped, which this finds in one pass, where indexing 160,000 polygons by instance cost an
    /// edit 10–20 ms. <c>false</c> (cells and reaches partly written) when more than <see cref="LineUpLimit"/> polygons
    /// stay unpaired: the lists are too far apart for a side-by-side walk.
    /// </summary>
    private static bool LinedUp(HeatGrid grid, IReadOnlyList<LandCoverArea> before, int[] beforeReaches, IReadOnlyList<LandCoverArea> now, int[] reaches, bool[] cells)
    {
        var (i, j, unpaired) = (0, 0, 0);
        while (i < before.Count && j < now.Count)
        {
            if (Same(before[i], now[j]))
            {
                beforeReaches.AsSpan(4 * i, 4).CopyTo(reaches.AsSpan(4 * j, 4));
                (i, j) = (i + 1, j + 1);
                continue;
            }

            var (inserted, dropped) = (Distance(now, j, before[i]), Distance(before, i, now[j]));
            var (skipBefore, skipNow) = inserted > 0 && (dropped < 0 || inserted <= dropped) ? (0, inserted)
                : dropped > 0 ? (dropped, 0)
                : (1, 1);
            unpaired += skipBefore + skipNow;
            if (unpaired > LineUpLimit)
            {
                return false;
            }

            for (var k = 0; k < skipBefore; k++, i++)
            {
                LandCoverRaster.MarkCells(grid, beforeReaches.AsSpan(4 * i, 4), cells);
            }

            for (var k = 0; k < skipNow; k++, j++)
            {
                New(j);
            }
        }

        if (unpaired + (before.Count - i) + (now.Count - j) > LineUpLimit)
        {
            return false;
        }

        for (; i < before.Count; i++)
        {
            LandCoverRaster.MarkCells(grid, beforeReaches.AsSpan(4 * i, 4), cells);
        }

        for (; j < now.Count; j++)
        {
            New(j);
        }

        return true;

        void New(int at)
        {
            LandCoverRaster.Reach(grid, now[at].Geometry, reaches.AsSpan(4 * at, 4));
            LandCoverRaster.MarkCells(grid, reaches.AsSpan(4 * at, 4), cells);
        }

        static bool Same(LandCoverArea a, LandCoverArea b) => ReferenceEquals(a.Geometry, b.Geometry) && a.Cover == b.Cover;

        // How far after position `from` of `list` the polygon `wanted` comes (1 the next), within the window; -1 when not.
        static int Distance(IReadOnlyList<LandCoverArea> list, int from, LandCoverArea wanted)
        {
            for (var k = 1; k <= LineUpWindow && from + k < list.Count; k++)
            {
                if (Same(list[from + k], wanted))
                {
                    return k;
                }
            }

            return -1;
        }
    }

    /// <summary>
    /// The reaches of <paramref name="areas"/>' polygons on <paramref name="grid"/> (<see cref="LandCoverRaster.Reaches"/>):
    /// kept beside the list by the run that computed them (a full run, or the update that made the list's run), else
    /// computed now and kept.
    /// </summary>
    private int[] ReachesOf(HeatGrid grid, IReadOnlyList<LandCoverArea> areas)
    {
        if (_reaches.TryGetValue(areas, out var kept) && kept.Grid.Equals(grid))
        {
            return kept.Reaches;
        }

        var reaches = LandCoverRaster.Reaches(grid, areas);
        _reaches.AddOrUpdate(areas, new KeptReaches(grid, reaches));
        return reaches;
    }

    /// <summary>The reaches of a land-cover list's polygons, kept beside the list, with the grid they are on.</summary>
    private readonly ConditionalWeakTable<IReadOnlyList<LandCoverArea>, KeptReaches> _reaches = [];

    private sealed record KeptReaches(HeatGrid Grid, int[] Reaches);

    /// <summary>
    /// The position of each polygon of a land-cover list by geometry instance (<c>null</c> when an instance occurs twice),
    /// kept beside the list: every edit of a scenario starts from the baseline's list, so it is looked up once, not per edit.
    /// </summary>
    private readonly ConditionalWeakTable<IReadOnlyList<LandCoverArea>, GeometryPositions> _positions = [];

    private static GeometryPositions Positions(IReadOnlyList<LandCoverArea> areas)
    {
        var byGeometry = new Dictionary<NetTopologySuite.Geometries.Geometry, int>(areas.Count, ReferenceEqualityComparer.Instance);
        for (var i = 0; i < areas.Count; i++)
        {
            if (!byGeometry.TryAdd(areas[i].Geometry, i))
            {
                return new(null);
            }
        }

        return new(byGeometry);
    }

    private sealed record GeometryPositions(Dictionary<NetTopologySuite.Geometries.Geometry, int>? ByGeometry);

    /// <summary>The cells whose averaging neighbourhood holds a cell of <paramref name="changed"/>: the neighbourhood is symmetric, so those within its offsets of one.</summary>
    private bool[] WithinRadius(HeatGrid grid, bool[] changed)
    {
        var offsets = Neighbourhood(grid);
        var affected = new bool[changed.Length];
        for (var row = 0; row < grid.Rows; row++)
        {
            for (var column = 0; column < grid.Columns; column++)
            {
                if (!changed[(row * grid.Columns) + column])
                {
                    continue;
                }

                foreach (var (dx, dy) in offsets)
                {
                    var (x, y) = (column + dx, row + dy);
                    if (x >= 0 && y >= 0 && x < grid.Columns && y < grid.Rows)
                    {
                        affected[(y * grid.Columns) + x] = true;
                    }
                }
            }
        }

        return affected;
    }
}
