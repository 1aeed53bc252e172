using NetTopologySuite.Geometries;

namespace Tweeling.Models.Heat;

/// <summary>Land-cover polygons to per-cell area fractions.</summary>
public static class LandCoverRaster
{
    /// <summary>The fewest rows a band of <see cref="Fill"/> holds: fewer do not pay for a pass over every polygon.</summary>
    private const int MinimumBandRows = 8;

    /// <summary>The fewest polygons a part of <see cref="Reaches"/> holds: fewer do not pay for a thread.</summary>
    private const int MinimumReachPart = 4096;

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
        Fill(grid, areas, Reaches(grid, areas), null, fractions, cancellationToken);
        return fractions;
    }

    /// <summary>
    /// The cells each polygon's envelope reaches, as <see cref="Fill"/> reads them: per polygon four numbers, its first and
    /// last row and its first and last column (cell indices, which may lie outside the grid). Kept in one array beside a
    /// land-cover list, they let an update find the polygons near a few cells by reading 16 bytes a polygon in order instead
    /// of following three references a polygon through the heap (the polygon, its geometry, its envelope), which is what
    /// passing over 160,000 polygons costs.
    /// </summary>
    internal static int[] Reaches(HeatGrid grid, IReadOnlyList<LandCoverArea> areas)
    {
        var reaches = new int[4 * areas.Count];

        // Over the cores, in consecutive parts: a polygon's reach is its own four numbers, so the parts write apart and the
        // array is the same. Following three references to each of 180,000 envelopes was 40 % of a demo-city full run.
        var parts = Math.Max(1, Math.Min(Environment.ProcessorCount, areas.Count / MinimumReachPart));
        Parallel.For(0, parts, part =>
        {
            var (from, to) = ((int)((long)areas.Count * part / parts), (int)((long)areas.Count * (part + 1) / parts));
            for (var i = from; i < to; i++)
            {
                Reach(grid, areas[i].Geometry, reaches.AsSpan(4 * i, 4));
            }
        });

        return reaches;
    }

    /// <summary>Writes the first and last row and the first and last column that <paramref name="geometry"/>'s envelope reaches to <paramref name="reach"/>.</summary>
    internal static void Reach(HeatGrid grid, Geometry geometry, Span<int> reach)
    {
        var envelope = geometry.EnvelopeInternal;
        reach[0] = CellIndex(envelope.MinY, grid.MinY, grid);
        reach[1] = CellIndex(envelope.MaxY, grid.MinY, grid);
        reach[2] = CellIndex(envelope.MinX, grid.MinX, grid);
        reach[3] = CellIndex(envelope.MaxX, grid.MinX, grid);
    }

    /// <summary>
    /// Writes the fractions of the cells in <paramref name="only"/> (all cells when <c>null</c>) to
    /// <paramref name="fractions"/> and leaves the others as they are. A cell's sum runs over the polygons in list order
    /// whichever cells are asked for, so a cell's fractions are the same doubles as in a run over all cells. The rows
    /// with a cell asked for are cut into bands, one per core, each band summing its own cells over the polygons in list
    /// order: the same sums as one pass over all rows. <paramref name="reaches"/> are the polygons' <see cref="Reaches"/>.
    /// </summary>
    internal static void Fill(HeatGrid grid, IReadOnlyList<LandCoverArea> areas, int[] reaches, bool[]? only, CoverFractions[] fractions, CancellationToken cancellationToken)
    {
        var classes = Enum.GetValues<LandCover>().Length;
        var cells = grid.Columns * grid.Rows;
        var area = new double[cells * classes];
        var asked = only is null ? new CellRange(0, grid.Rows - 1, 0, grid.Columns - 1) : CellRange.Of(grid, only);
        var rows = asked.LastRow - asked.FirstRow + 1;
        var bands = Math.Max(1, Math.Min(Environment.ProcessorCount, rows / MinimumBandRows));
        Parallel.For(0, rows > 0 ? bands : 0, new ParallelOptions { CancellationToken = cancellationToken }, band =>
            AddAreas(grid, areas, reaches, only, asked with { FirstRow = asked.FirstRow + ((rows * band) / bands), LastRow = asked.FirstRow + ((rows * (band + 1)) / bands) - 1 }, area, classes, cancellationToken));

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

    /// <summary>
    /// Adds each polygon's area per class to the cells of <paramref name="range"/> it covers (only those in
    /// <paramref name="only"/> when given), in list order. A polygon whose envelope misses the range, and a column of a
    /// polygon with no cell asked for, cost no clipping: after an edit the cells asked for are a few near the edit, and
    /// clipping every large polygon of the city for them made the update cost as much as a full run.
    /// </summary>
    private static void AddAreas(HeatGrid grid, IReadOnlyList<LandCoverArea> areas, int[] reaches, bool[]? only, CellRange range, double[] area, int classes, CancellationToken cancellationToken)
    {
        var (fromRow, toRow) = (range.FirstRow, range.LastRow);
        for (var i = 0; i < areas.Count; i++)
        {
            if ((i & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var (firstRow, lastRow) = (reaches[4 * i], reaches[(4 * i) + 1]);
            if (lastRow < fromRow || firstRow > toRow)
            {
                continue;
            }

            var (firstColumn, lastColumn) = (reaches[(4 * i) + 2], reaches[(4 * i) + 3]);
            if (lastColumn < range.FirstColumn || firstColumn > range.LastColumn)
            {
                continue;
            }

            var (geometry, cover) = (areas[i].Geometry, (int)areas[i].Cover);

            if (firstColumn == lastColumn && firstRow == lastRow)
            {
                var cell = (firstRow * grid.Columns) + firstColumn;
                if (only is null || only[cell])
                {
                    area[(cell * classes) + cover] += geometry.Area;
                }

                continue;
            }

            // Column by column: the polygon's rings are clipped to the column's west and east edges once, and that strip
            // to each cell's south and north edges, the same four steps in the same order as ClippedArea on each cell,
            // so the same doubles. Clipping the whole ring again for every cell made a polygon across many cells (a river,
            // a large plot) cost its vertices times its cells, which grows with the square of its size.
            var (rowFrom, rowTo) = (Math.Max(fromRow, firstRow), Math.Min(toRow, lastRow));
            ColumnStrip? strip = null;
            for (var column = Math.Max(range.FirstColumn, firstColumn); column <= Math.Min(range.LastColumn, lastColumn); column++)
            {
                if (only is not null && !AnyAsked(only, grid.Columns, column, rowFrom, rowTo))
                {
                    continue;
                }

                var minX = grid.MinX + (column * grid.CellSizeM);
                strip ??= new ColumnStrip(geometry);
                strip.Cut(minX, minX + grid.CellSizeM);
                for (var row = rowFrom; row <= rowTo; row++)
                {
                    if (only is not null && !only[(row * grid.Columns) + column])
                    {
                        continue;
                    }

                    var minY = grid.MinY + (row * grid.CellSizeM);
                    area[(((row * grid.Columns) + column) * classes) + cover] += strip.Area(minY, minY + grid.CellSizeM);
                }
            }
        }
    }

    private static bool AnyAsked(bool[] only, int columns, int column, int fromRow, int toRow)
    {
        for (var row = fromRow; row <= toRow; row++)
        {
            if (only[(row * columns) + column])
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Marks in <paramref name="cells"/> every cell a polygon of reach <paramref name="reach"/> (<see cref="Reach"/>) can add
    /// area to: its envelope's cells in the grid, as <see cref="Fill"/> finds them.
    /// </summary>
    internal static void MarkCells(HeatGrid grid, ReadOnlySpan<int> reach, bool[] cells)
    {
        var (firstRow, lastRow, firstColumn, lastColumn) = (reach[0], reach[1], reach[2], reach[3]);
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
        var count = Strip(ring, points, clipped, clip.MinX, clip.MaxX);
        return RowArea(points, count, clipped, clip.MinY, clip.MaxY);
    }

    /// <summary>
    /// Clips <paramref name="ring"/> to the inside of the west edge <paramref name="minX"/> and the east edge
    /// <paramref name="maxX"/>, the first two of the four clipping steps: the strip is left in <paramref name="points"/>,
    /// its vertex count returned. Both buffers need room for 6 times the ring (see <see cref="RingArea"/>).
    /// </summary>
    private static int Strip(Coordinate[] ring, (double X, double Y)[] points, (double X, double Y)[] clipped, double minX, double maxX)
    {
        var count = ring.Length - 1;
        for (var i = 0; i < count; i++)
        {
            points[i] = (ring[i].X, ring[i].Y);
        }

        count = ClipEdge(points, count, clipped, Side.Left, minX);
        return ClipEdge(clipped, count, points, Side.Right, maxX);
    }

    /// <summary>
    /// The area of the strip <paramref name="strip"/>[..<paramref name="count"/>] between the south edge
    /// <paramref name="minY"/> and the north edge <paramref name="maxY"/>: the last two clipping steps and the shoelace.
    /// <paramref name="work"/> and <paramref name="clipped"/> are scratch buffers of the strip's capacity; the strip is kept.
    /// </summary>
    private static double RowArea((double X, double Y)[] strip, int count, (double X, double Y)[] clipped, double minY, double maxY, (double X, double Y)[]? work = null)
    {
        // Without a separate buffer the last step writes over the strip, which RingArea no longer needs.
        var points = work ?? strip;
        count = ClipEdge(strip, count, clipped, Side.Bottom, minY);
        count = ClipEdge(clipped, count, points, Side.Top, maxY);
        var twice = 0.0;
        for (var i = 0; i < count; i++)
        {
            var (a, b) = (points[i], points[(i + 1) % count]);
            twice += (a.X * b.Y) - (b.X * a.Y);
        }

        return Math.Abs(twice) / 2;
    }

    /// <summary>
    /// A polygon's rings clipped to one grid column (west and east edges), from which the area of each cell of the column
    /// follows with the south and north edges: what <see cref="ClippedArea"/> gives for the cell, step for step. One per
    /// polygon, cut again for each of its columns into the same buffers: a river or a large plot crosses dozens of
    /// columns, and making the strip anew per column (its buffers and ring list included) was a quarter of the clipping's time.
    /// </summary>
    private sealed class ColumnStrip
    {
        // Per polygon part, the shell's ring then its holes'; each with its strip in the current column and a scratch buffer.
        private readonly List<(bool Shell, Coordinate[] Ring, (double X, double Y)[] Points, (double X, double Y)[] Scratch)> _rings = [];
        private readonly int[] _counts;
        private readonly (double X, double Y)[] _clipped;
        private readonly (double X, double Y)[] _work;

        public ColumnStrip(Geometry geometry)
        {
            var capacity = 8;
            for (var i = 0; i < geometry.NumGeometries; i++)
            {
                if (geometry.GetGeometryN(i) is Polygon polygon)
                {
                    Add(polygon.Shell, shell: true);
                    foreach (var hole in polygon.Holes)
                    {
                        Add(hole, shell: false);
                    }
                }
            }

            _counts = new int[_rings.Count];
            (_clipped, _work) = (new (double X, double Y)[capacity], new (double X, double Y)[capacity]);

            void Add(LineString ring, bool shell)
            {
                var size = (6 * ring.NumPoints) + 8;
                _rings.Add((shell, ring.Coordinates, new (double X, double Y)[size], new (double X, double Y)[size]));
                capacity = Math.Max(capacity, size);
            }
        }

        /// <summary>Clips the rings to the column between <paramref name="minX"/> and <paramref name="maxX"/>.</summary>
        public void Cut(double minX, double maxX)
        {
            for (var i = 0; i < _rings.Count; i++)
            {
                var (_, ring, points, scratch) = _rings[i];
                _counts[i] = Strip(ring, points, scratch, minX, maxX);
            }
        }

        /// <summary>The polygon's area in the cell of the current column between <paramref name="minY"/> and <paramref name="maxY"/>, m², as <see cref="ClippedArea"/> sums it.</summary>
        public double Area(double minY, double maxY)
        {
            var area = 0.0;
            for (var i = 0; i < _rings.Count; i++)
            {
                var ring = RowArea(_rings[i].Points, _counts[i], _clipped, minY, maxY, _work);
                area = _rings[i].Shell ? area + ring : area - ring;
            }

            return Math.Max(0, area);
        }
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

    /// <summary>A rectangle of cells, rows and columns inclusive; empty when the last row is before the first.</summary>
    private readonly record struct CellRange(int FirstRow, int LastRow, int FirstColumn, int LastColumn)
    {
        /// <summary>The smallest range holding every cell of <paramref name="cells"/>.</summary>
        public static CellRange Of(HeatGrid grid, bool[] cells)
        {
            var (firstRow, lastRow, firstColumn, lastColumn) = (grid.Rows, -1, grid.Columns, -1);
            for (var c = 0; c < cells.Length; c++)
            {
                if (cells[c])
                {
                    var (row, column) = Math.DivRem(c, grid.Columns);
                    (firstRow, lastRow) = (Math.Min(firstRow, row), Math.Max(lastRow, row));
                    (firstColumn, lastColumn) = (Math.Min(firstColumn, column), Math.Max(lastColumn, column));
                }
            }

            return new(firstRow, lastRow, firstColumn, lastColumn);
        }
    }

    /// <summary>The cell index of coordinate <paramref name="value"/> along an axis starting at <paramref name="origin"/>; may be outside the grid.</summary>
    private static int CellIndex(double value, double origin, HeatGrid grid) => (int)Math.Floor((value - origin) / grid.CellSizeM);
}
