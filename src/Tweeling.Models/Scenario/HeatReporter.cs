using Tweeling.Models.Graph;
using Tweeling.Models.Heat;
using Tweeling.Models.Results;

namespace Tweeling.Models.Scenario;

/// <summary>Urban heat from <see cref="HeatModel"/>: per buurt the mean UHI_max and PET of the cells whose centre lies in it, and both grids.</summary>
public sealed class HeatReporter : IIndicatorReporter
{
    private const string Reason = "Regressie van Theeuwes met een benaderde hemelzichtfactor; fout per cel niet gevalideerd, orde 1 K (docs/models/hitte.md).";

    /// <inheritdoc />
    public IReadOnlyList<ResultIndicator> Indicators { get; } =
    [
        new("hitte-eiland", "Stedelijk hitte-eiland (maximaal temperatuurverschil met het buitengebied)", ImpactDomain.Fysiek, "K", Desirability.LowerIsBetter, HeatModel.ModelId, Certainty.Laag, Reason),
        new("gevoelstemperatuur", "Gevoelstemperatuur (PET) op een hete middag", ImpactDomain.Fysiek, "°C", Desirability.LowerIsBetter, HeatModel.ModelId, Certainty.Laag, Reason),
    ];

    /// <inheritdoc />
    public IReadOnlyList<AreaValue> Areas(GraphRun run, string municipalityCode)
    {
        ArgumentNullException.ThrowIfNull(run);
        var buurten = BuurtValues.Of(run);
        var cells = run.Value(HeatPorts.Cells);
        var buurtOfCell = s_cellBuurten.GetValue(run.Value(HeatPorts.Grid), grid => Locate(grid, cells, BuurtValues.Locator(run), buurten));
        var (uhi, pet) = (new BuurtValues(), new BuurtValues());
        foreach (var cell in cells)
        {
            if (buurtOfCell[(cell.Row * run.Value(HeatPorts.Grid).Columns) + cell.Column] is { } code)
            {
                uhi.Add(code, cell.UhiMaxK);
                if (cell.Pet is { } p)
                {
                    pet.Add(code, p.MeanC);
                }
            }
        }

        return [.. uhi.Means("hitte-eiland", buurten, municipalityCode), .. pet.Means("gevoelstemperatuur", buurten, municipalityCode)];
    }

    /// <inheritdoc />
    public IReadOnlyList<GridLayer> Grids(GraphRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var grid = run.Value(HeatPorts.Grid);
        var cells = run.Value(HeatPorts.Cells);
        GridLayer Layer(string indicator, Func<HeatCell, double> value)
        {
            var values = new double[grid.Columns * grid.Rows];
            Array.Fill(values, double.NaN);
            foreach (var cell in cells)
            {
                values[(cell.Row * grid.Columns) + cell.Column] = value(cell);
            }

            return new GridLayer(indicator, grid.MinX, grid.MinY, grid.CellSizeM, grid.Columns, grid.Rows, values);
        }

        return [Layer("hitte-eiland", c => c.UhiMaxK), Layer("gevoelstemperatuur", c => c.Pet?.MeanC ?? double.NaN)];
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<HeatGrid, string?[]> s_cellBuurten = [];

    // A cell belongs to the buurt containing its centre; cells outside every buurt (the river) to none. Located once per grid.
    private static string?[] Locate(HeatGrid grid, IReadOnlyList<HeatCell> cells, City.BuurtLocator locator, IReadOnlyList<City.BuurtArea> buurten)
    {
        var inside = buurten.Count > 0 ? buurten[0].Area.Factory.BuildGeometry(buurten.Select(b => b.Area)).EnvelopeInternal : new NetTopologySuite.Geometries.Envelope();
        var result = new string?[grid.Columns * grid.Rows];
        foreach (var cell in cells)
        {
            var centre = new NetTopologySuite.Geometries.Coordinate(cell.CenterX, cell.CenterY);
            if (inside.Contains(centre))
            {
                result[(cell.Row * grid.Columns) + cell.Column] = locator.FindInside(centre);
            }
        }

        return result;
    }
}
