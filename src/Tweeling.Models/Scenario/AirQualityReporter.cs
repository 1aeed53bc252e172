using System.Globalization;
using Tweeling.Models.AirQuality;
using Tweeling.Models.Graph;
using Tweeling.Models.Results;

namespace Tweeling.Models.Scenario;

/// <summary>
/// NO2, PM10 and PM2.5 from <see cref="AirQualityModel"/>: per buurt the mean at the façades of its dwellings, each
/// receptor weighted by its building's dwellings (a proxy for population weighting); and the model's grid.
/// </summary>
public sealed class AirQualityReporter : IIndicatorReporter
{
    private const string Reason = "Werkvoorbeeld SRM1 exact gereproduceerd; de straatbijdrage erft de fout van het verkeersmodel, ca. 1–2 µg/m³ NO2 op het totaal, en de achtergrond is één waarde voor de stad (docs/models/luchtkwaliteit.md).";

    // The concentrations at the receptors of the last reports by building, for the reports of edits that keep most of them.
    private readonly DwellingRecordTable<AirConcentration> _receptors = new(3, c => c.Id, (c, values) =>
    {
        values[0] = c.No2;
        values[1] = c.Pm10;
        values[2] = c.Pm25;
    });

    /// <inheritdoc />
    public IReadOnlyList<ResultIndicator> Indicators { get; } =
    [
        new("no2", "NO2-jaargemiddelde bij woningen", ImpactDomain.Milieu, "µg/m³", Desirability.LowerIsBetter, AirQualityModel.ModelId, Certainty.Middel, Reason),
        new("pm10", "PM10-jaargemiddelde bij woningen", ImpactDomain.Milieu, "µg/m³", Desirability.LowerIsBetter, AirQualityModel.ModelId, Certainty.Middel, Reason),
        new("pm25", "PM2,5-jaargemiddelde bij woningen", ImpactDomain.Milieu, "µg/m³", Desirability.LowerIsBetter, AirQualityModel.ModelId, Certainty.Middel, Reason),
    ];

    /// <inheritdoc />
    public IReadOnlyList<AreaValue> Areas(GraphRun run, string municipalityCode)
    {
        ArgumentNullException.ThrowIfNull(run);
        var sums = DwellingWeightedSums.Of(run, indicators: 3);
        sums.AddAll(run.Value(AirQualityPorts.ReceptorConcentrations), _receptors);

        return [.. sums.Means(0, "no2", municipalityCode), .. sums.Means(1, "pm10", municipalityCode), .. sums.Means(2, "pm25", municipalityCode)];
    }

    /// <inheritdoc />
    public IReadOnlyList<GridLayer> Grids(GraphRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var cells = run.Value(AirQualityPorts.GridConcentrations);
        if (cells.Count == 0)
        {
            return [];
        }

        var grid = (Volatile.Read(ref _lastGrid) is { } last && last.Layout.HasExtentOf(cells) ? last.Patched(cells) : null) ?? Grid.Of(cells, CellLayout.Of(cells));
        Volatile.Write(ref _lastGrid, grid);
        var layout = grid.Layout;
        GridLayer Layer(string indicator, double[] values) => new(indicator, layout.OriginX, layout.OriginY, layout.Size, layout.Columns, layout.Rows, values);
        return [Layer("no2", grid.No2), Layer("pm10", grid.Pm10), Layer("pm25", grid.Pm25)];
    }

    // The last grid reported, its layout and its layers: the next grid with the same cells takes its layout and the values
    // of every cell it keeps (an edit's grid is the earlier one with the cells near the change computed again: the same
    // ids in the same order, most of them the same records).
    private Grid? _lastGrid;

    /// <summary>A grid's cells, their layout and the three layers made from them (read-only once made).</summary>
    private sealed record Grid(IReadOnlyList<AirConcentration> Cells, CellLayout Layout, double[] No2, double[] Pm10, double[] Pm25)
    {
        /// <summary>The layers of <paramref name="cells"/> in <paramref name="layout"/>, each cell read once.</summary>
        public static Grid Of(IReadOnlyList<AirConcentration> cells, CellLayout layout)
        {
            var places = layout.Columns * layout.Rows;
            var (no2, pm10, pm25) = (new double[places], new double[places], new double[places]);
            if (!layout.Complete)
            {
                // A place no cell goes to has no value; when every place has a cell, filling them first is 4 MB written for nothing.
                Array.Fill(no2, double.NaN);
                Array.Fill(pm10, double.NaN);
                Array.Fill(pm25, double.NaN);
            }

            // The three layers in one pass: each of the 166,000 cell records, spread over the heap, is read once rather than once a layer.
            for (var i = 0; i < cells.Count; i++)
            {
                var (cell, at) = (cells[i], layout.Place[i]);
                no2[at] = cell.No2;
                pm10[at] = cell.Pm10;
                pm25[at] = cell.Pm25;
            }

            return new Grid(cells, layout, no2, pm10, pm25);
        }

        /// <summary>
        /// The layers of <paramref name="cells"/> (as many as this grid's, with its extent) when they are this grid's cells
        /// by id: copies of these layers with the values of every cell that is not this grid's record at its place, whose
        /// id is checked too (records are immutable, so a kept one has its id and values); <c>null</c> when an id differs.
        /// Only the list of references is walked for the kept cells, not the 166,000 records (reading each record and its
        /// id took most of an edit's air report).
        /// </summary>
        public Grid? Patched(IReadOnlyList<AirConcentration> cells)
        {
            var (no2, pm10, pm25) = ((double[])No2.Clone(), (double[])Pm10.Clone(), (double[])Pm25.Clone());
            for (var i = 0; i < cells.Count; i++)
            {
                var cell = cells[i];
                if (!ReferenceEquals(cell, Cells[i]))
                {
                    if (!string.Equals(cell.Id, Layout.Ids[i], StringComparison.Ordinal))
                    {
                        return null;
                    }

                    var at = Layout.Place[i];
                    no2[at] = cell.No2;
                    pm10[at] = cell.Pm10;
                    pm25[at] = cell.Pm25;
                }
            }

            return new Grid(cells, Layout, no2, pm10, pm25);
        }
    }

    /// <summary>
    /// Where each cell of a grid goes in a layer (row by row from the south-west), and the layer's extent: from the cell
    /// ids ("column-row" from the south-west, parsed in place: splitting 166,000 ids took 30–70 ms of an edit) and the
    /// centres of the first cell and of cell "1-0".
    /// </summary>
    /// <param name="Ids">The cell ids, in the grid's order.</param>
    /// <param name="Place">Per cell in the grid's order, its index in a layer's values.</param>
    /// <param name="Columns">The layer's columns.</param>
    /// <param name="Rows">The layer's rows.</param>
    /// <param name="First">The centre of the first cell, m (RD New).</param>
    /// <param name="Second">The index and centre x of cell "1-0" (−1 and 0 for a grid of one column), m.</param>
    /// <param name="Size">The cell size, m.</param>
    /// <param name="Complete">Whether every place of a layer has a cell (the model's grid has every cell of its rectangle).</param>
    private sealed record CellLayout(string[] Ids, int[] Place, int Columns, int Rows, (double X, double Y) First, (int At, double X) Second, double Size, bool Complete)
    {
        public double OriginX => First.X - (Size / 2);

        public double OriginY => First.Y - (Size / 2);

        public static CellLayout Of(IReadOnlyList<AirConcentration> cells)
        {
            var indices = cells.Select(c => CellIndex(c.Id)).ToArray();
            var columns = indices.Max(i => i.Column) + 1;
            var rows = indices.Max(i => i.Row) + 1;
            var second = columns > 1 ? FindIndex(cells, "1-0") : -1;
            var size = columns > 1 ? cells[second].X - cells[0].X : new AirQualityParameters().CellSize;
            int[] place = [.. indices.Select(i => (i.Row * columns) + i.Column)];
            var covered = new bool[columns * rows];
            foreach (var at in place)
            {
                covered[at] = true;
            }

            return new CellLayout(
                [.. cells.Select(c => c.Id)],
                place,
                columns,
                rows,
                (cells[0].X, cells[0].Y),
                (second, second >= 0 ? cells[second].X : 0),
                size,
                Array.TrueForAll(covered, c => c));
        }

        /// <summary>
        /// Whether <paramref name="cells"/> are as many as this layout's, with the centres its extent came from: the layout
        /// is theirs when their ids are also its <see cref="Ids"/> in order.
        /// </summary>
        public bool HasExtentOf(IReadOnlyList<AirConcentration> cells) =>
            cells.Count == Ids.Length && cells[0].X == First.X && cells[0].Y == First.Y && (Second.At < 0 || cells[Second.At].X == Second.X);

        private static int FindIndex(IReadOnlyList<AirConcentration> cells, string id)
        {
            for (var i = 0; i < cells.Count; i++)
            {
                if (cells[i].Id == id)
                {
                    return i;
                }
            }

            throw new InvalidOperationException($"The air quality grid has more than one column but no cell '{id}'.");
        }

        private static (int Column, int Row) CellIndex(string id)
        {
            var dash = id.IndexOf('-', StringComparison.Ordinal);
            return (int.Parse(id.AsSpan(0, dash), CultureInfo.InvariantCulture), int.Parse(id.AsSpan(dash + 1), CultureInfo.InvariantCulture));
        }
    }
}
