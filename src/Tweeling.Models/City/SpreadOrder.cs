namespace Tweeling.Models.City;

/// <summary>
/// An order of the cells of a grid in which every leading run of cells is spread over the whole grid: the south-west
/// cell, then one in each half, then in each quarter, and so on, the longer side halved first (a two-dimensional van der
/// Corput sequence: bit-reversed interleaved cell positions). <see cref="CityBaseline"/> lays out added buildings at
/// the first cells of this order, so a plan of N buildings is spread over its area and the plan of N + 1 is the same N
/// buildings and one more.
/// </summary>
internal static class SpreadOrder
{
    /// <summary>
    /// Every cell of a <paramref name="columns"/> × <paramref name="rows"/> grid exactly once, as (column, row), in
    /// spread order. Lazy: a caller that needs the first few cells of a large grid pays for those only (about four
    /// sequence numbers a cell at most, from rounding each side up to a power of two).
    /// </summary>
    public static IEnumerable<(int Column, int Row)> Cells(int columns, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        // A position table per side and a 64-bit sequence number: at most 2^28 positions a side, 2^62 in all.
        var (columnBits, rowBits) = (BitsFor(columns), BitsFor(rows));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(columnBits, 28, nameof(columns));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rowBits, 28, nameof(rows));
        return Enumerate(columns, rows, columnBits, rowBits);
    }

    private static IEnumerable<(int Column, int Row)> Enumerate(int columns, int rows, int columnBits, int rowBits)
    {
        var columnAt = CellAtPosition(columns, columnBits);
        var rowAt = CellAtPosition(rows, rowBits);
        var halvesColumns = Schedule(columns, rows, columnBits, rowBits);
        var total = 1L << (columnBits + rowBits);
        for (var n = 0L; n < total; n++)
        {
            // Bit t of the sequence number picks the half at level t (coarsest first) of the axis that level splits:
            // the van der Corput rule, each axis's position the bit reversal of its share of n.
            var (column, row) = (0, 0);
            var (columnBit, rowBit) = (columnBits - 1, rowBits - 1);
            for (var t = 0; t < halvesColumns.Length; t++)
            {
                var set = ((n >> t) & 1) != 0;
                if (halvesColumns[t])
                {
                    column |= set ? 1 << columnBit : 0;
                    columnBit--;
                }
                else
                {
                    row |= set ? 1 << rowBit : 0;
                    rowBit--;
                }
            }

            if (columnAt[column] >= 0 && rowAt[row] >= 0)
            {
                yield return (columnAt[column], rowAt[row]);
            }
        }
    }

    /// <summary>The smallest b with 2^b ≥ <paramref name="count"/>.</summary>
    private static int BitsFor(int count) => count <= 1 ? 0 : 32 - int.LeadingZeroCount(count - 1);

    /// <summary>
    /// Per position of [0, 2^bits), the cell there or -1: cell i's centre, at (i + ½) / count of the side, scaled to the
    /// positions, i.e. position floor((2i + 1) · 2^bits / (2 · count)). With 2^bits ≥ count no two cells share a
    /// position, and with 2^bits &lt; 2 · count every dyadic block of two positions or more holds a cell, so each half,
    /// quarter, … of the sequence's positions is the same half, quarter, … of the side and is not empty.
    /// </summary>
    private static int[] CellAtPosition(int count, int bits)
    {
        var size = 1L << bits;
        var cells = new int[size];
        Array.Fill(cells, -1);
        for (var i = 0; i < count; i++)
        {
            cells[((2L * i) + 1) * size / (2L * count)] = i;
        }

        return cells;
    }

    /// <summary>Per level of the sequence, coarsest first, whether it halves the columns (else the rows): the side with more cells left.</summary>
    private static bool[] Schedule(int columns, int rows, int columnBits, int rowBits)
    {
        var schedule = new bool[columnBits + rowBits];
        var (width, height) = ((double)columns, (double)rows);
        var (columnLevels, rowLevels) = (columnBits, rowBits);
        for (var t = 0; t < schedule.Length; t++)
        {
            schedule[t] = rowLevels == 0 || (columnLevels > 0 && width >= height);
            if (schedule[t])
            {
                width /= 2;
                columnLevels--;
            }
            else
            {
                height /= 2;
                rowLevels--;
            }
        }

        return schedule;
    }
}
