using NetTopologySuite.Geometries;

namespace Tweeling.Models.Heat;

/// <summary>Land-cover polygons to per-cell area fractions.</summary>
public static class LandCoverRaster
{
    /// <summary>The fewest rows a band of <see cref="Fill"/> holds: fewer do not pay for a pass over every polygon.</summary>
    private const int MinimumBandRows = 8;

    /// <summary>
    /// The share of each cell's area per class, index <c>row·columns + column</c>. A polygon inside one cell adds its
    /// area; one that crosses cell edges adds its intersection with each cell. Shares are capped at 1 per class
    /// (overlapping polygons of one class would otherwise count twice).
    /// </summary>
    public static CoverFractions[] Fractions(HeatGrid grid, IReadOnlyList<LandCoverArea> areas, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(areas);
        var fractions = new CoverFractions[grid.Columns * grid.Rows];
        Fill(grid, areas, null, fractions, cancellationToken);
        return fractions;
    }

    /// <summary>
    /// Writes the fractions of the cells in <paramref name="only"/> (all cells when <c>null</c>) to
    /// <paramref name="fractions"/> and leaves the others as they are. A cell's sum runs over the polygons in list order
    /// whichever cells are asked for, so a cell's fractions are the same doubles as in a run over all cells. The rows
    /// are cut into bands, one per core, each band summing its own cells over the polygons in list order: the same sums
    /// as one pass over all rows.
    /// </summary>
    internal static void Fill(HeatGrid grid, IReadOnlyList<LandCoverArea> areas, bool[]? only, CoverFractions[] fractions, CancellationToken cancellationToken)
    {
        var classes = Enum.GetValues<LandCover>().Length;
        var cells = grid.Columns * grid.Rows;
        var area = new double[cells * classes];
        var bands = Math.Max(1, Math.Min(Environment.ProcessorCount, grid.Rows / MinimumBandRows));
        Parallel.For(0, bands, new ParallelOptions { CancellationToken = cancellationToken }, band =>
            AddAreas(grid, areas, only, area, classes, (grid.Rows * band) / bands, ((grid.Rows * (band + 1)) / bands) - 1, cancellationToken));

        var cellArea = grid.CellSizeM * grid.CellSizeM;
        for (var c = 0; c < cells; c++)
        {
            if (only is not null && !only[c])
            {
                continue;
            }

            double Share(LandCover cover) => Math.Min(1, area[(c * classes) + (int)cover] / cellArea);
            fractions[c] = new CoverFractions(Share(LandCover.Building), Share(LandCover.Paved), Share(LandCover.LowVegetation), Share(LandCover.TreeCanopy), Share(LandCover.Water));
        }
    }

    /// <summary>Adds each polygon's area per class to the cells of rows <paramref name="fromRow"/>–<paramref name="toRow"/> it covers, in list order.</summary>
    private static void AddAreas(HeatGrid grid, IReadOnlyList<LandCoverArea> areas, bool[]? only, double[] area, int classes, int fromRow, int toRow, CancellationToken cancellationToken)
    {
        for (var i = 0; i < areas.Count; i++)
        {
            if ((i & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var (geometry, cover) = (areas[i].Geometry, (int)areas[i].Cover);
            var envelope = geometry.EnvelopeInternal;
            var (firstRow, lastRow) = (CellIndex(envelope.MinY, grid.MinY, grid), CellIndex(envelope.MaxY, grid.MinY, grid));
            if (lastRow < fromRow || firstRow > toRow)
            {
                continue;
            }

            var (firstColumn, lastColumn) = (CellIndex(envelope.MinX, grid.MinX, grid), CellIndex(envelope.MaxX, grid.MinX, grid));
            if (lastColumn < 0 || firstColumn >= grid.Columns)
            {
                continue;
            }

            if (firstColumn == lastColumn && firstRow == lastRow)
            {
                var cell = (firstRow * grid.Columns) + firstColumn;
                if (only is null || only[cell])
                {
                    area[(cell * classes) + cover] += geometry.Area;
                }

                continue;
            }

            for (var row = Math.Max(fromRow, firstRow); row <= Math.Min(toRow, lastRow); row++)
            {
                for (var column = Math.Max(0, firstColumn); column <= Math.Min(grid.Columns - 1, lastColumn); column++)
                {
                    if (only is not null && !only[(row * grid.Columns) + column])
                    {
                        continue;
                    }

                    var minX = grid.MinX + (column * grid.CellSizeM);
                    var minY = grid.MinY + (row * grid.CellSizeM);
                    area[(((row * grid.Columns) + column) * classes) + cover] += ClippedArea(geometry, new Envelope(minX, minX + grid.CellSizeM, minY, minY + grid.CellSizeM));
                }
            }
        }
    }

    /// <summary>
    /// Marks in <paramref name="cells"/> every cell <paramref name="geometry"/> can add area to (its envelope's cells in the
    /// grid, as <see cref="Fill"/> finds them).
    /// </summary>
    internal static void MarkCells(HeatGrid grid, Geometry geometry, bool[] cells)
    {
        var envelope = geometry.EnvelopeInternal;
        var (firstColumn, lastColumn) = (CellIndex(envelope.MinX, grid.MinX, grid), CellIndex(envelope.MaxX, grid.MinX, grid));
        var (firstRow, lastRow) = (CellIndex(envelope.MinY, grid.MinY, grid), CellIndex(envelope.MaxY, grid.MinY, grid));
        for (var row = Math.Max(0, firstRow); row <= Math.Min(grid.Rows - 1, lastRow); row++)
        {
            for (var column = Math.Max(0, firstColumn); column <= Math.Min(grid.Columns - 1, lastColumn); column++)
            {
                cells[(row * grid.Columns) + column] = true;
            }
        }
    }

    /// <summary>
    /// The area of <paramref name="geometry"/> inside the rectangle <paramref name="clip"/>: each ring clipped with
    /// Sutherland–Hodgman (exact for the area even of concave rings, whose clipped outline may fold onto itself),
    /// shells minus holes. Far cheaper than a general overlay, which matters with 100,000 polygons on a grid.
    /// </summary>
    public static double ClippedArea(Geometry geometry, Envelope clip)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(clip);
        var area = 0.0;
        for (var i = 0; i < geometry.NumGeometries; i++)
        {
            if (geometry.GetGeometryN(i) is Polygon polygon)
            {
                area += RingArea(polygon.Shell.Coordinates, clip);
                foreach (var hole in polygon.Holes)
                {
                    area -= RingArea(hole.Coordinates, clip);
                }
            }
        }

        return Math.Max(0, area);
    }

    private static double RingArea(Coordinate[] ring, Envelope clip)
    {
        // Two buffers the clipping alternates between. One step keeps the I inside vertices and adds at most 2·min(I, O)
        // crossings (O outside): at most 3/2 of its input, so four steps at most (3/2)⁴ < 6 times the ring.
        var capacity = (6 * ring.Length) + 8;
        var points = new (double X, double Y)[capacity];
        var clipped = new (double X, double Y)[capacity];
        var count = ring.Length - 1;
        for (var i = 0; i < count; i++)
        {
            points[i] = (ring[i].X, ring[i].Y);
        }

        count = ClipEdge(points, count, clipped, Side.Left, clip.MinX);
        count = ClipEdge(clipped, count, points, Side.Right, clip.MaxX);
        count = ClipEdge(points, count, clipped, Side.Bottom, clip.MinY);
        count = ClipEdge(clipped, count, points, Side.Top, clip.MaxY);
        var twice = 0.0;
        for (var i = 0; i < count; i++)
        {
            var (a, b) = (points[i], points[(i + 1) % count]);
            twice += (a.X * b.Y) - (b.X * a.Y);
        }

        return Math.Abs(twice) / 2;
    }

    /// <summary>The rectangle edge one clipping step keeps the inside of.</summary>
    private enum Side
    {
        Left,
        Right,
        Bottom,
        Top,
    }

    /// <summary>
    /// One Sutherland–Hodgman step: writes the part of the ring <paramref name="ring"/>[..<paramref name="count"/>] on
    /// the inside of one rectangle edge to <paramref name="clipped"/> and returns its vertex count.
    /// </summary>
    private static int ClipEdge((double X, double Y)[] ring, int count, (double X, double Y)[] clipped, Side side, double edge)
    {
        var written = 0;
        for (var i = 0; i < count; i++)
        {
            var (current, previous) = (ring[i], ring[(i + count - 1) % count]);
            if (Inside(current, side, edge))
            {
                if (!Inside(previous, side, edge))
                {
                    clipped[written++] = Crossing(previous, current, side, edge);
                }

                clipped[written++] = current;
            }
            else if (Inside(previous, side, edge))
            {
                clipped[written++] = Crossing(previous, current, side, edge);
            }
        }

        return written;

        static bool Inside((double X, double Y) p, Side side, double edge) => side switch
        {
            Side.Left => p.X >= edge,
            Side.Right => p.X <= edge,
            Side.Bottom => p.Y >= edge,
            _ => p.Y <= edge,
        };

        static (double X, double Y) Crossing((double X, double Y) a, (double X, double Y) b, Side side, double edge) => side is Side.Left or Side.Right
            ? (edge, a.Y + ((b.Y - a.Y) * (edge - a.X) / (b.X - a.X)))
            : (a.X + ((b.X - a.X) * (edge - a.Y) / (b.Y - a.Y)), edge);
    }

    /// <summary>The cell index of coordinate <paramref name="value"/> along an axis starting at <paramref name="origin"/>; may be outside the grid.</summary>
    private static int CellIndex(double value, double origin, HeatGrid grid) => (int)Math.Floor((value - origin) / grid.CellSizeM);
}
