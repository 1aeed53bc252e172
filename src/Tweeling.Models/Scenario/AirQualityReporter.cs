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
        var buurten = BuurtValues.Of(run);
        var weights = BuurtValues.DwellingWeights(run);
        var (no2, pm10, pm25) = (new BuurtValues(), new BuurtValues(), new BuurtValues());
        foreach (var c in run.Value(AirQualityPorts.ReceptorConcentrations))
        {
            if (weights.TryGetValue(c.Id, out var w))
            {
                no2.Add(w.Buurtcode, c.No2, w.Dwellings);
                pm10.Add(w.Buurtcode, c.Pm10, w.Dwellings);
                pm25.Add(w.Buurtcode, c.Pm25, w.Dwellings);
            }
        }

        return
        [
            .. no2.Means("no2", buurten, municipalityCode),
            .. pm10.Means("pm10", buurten, municipalityCode),
            .. pm25.Means("pm25", buurten, municipalityCode),
        ];
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

        // The model names a cell "column-row" from the south-west and gives its centre; the layout follows from them.
        // Parsed in place (166k cells in the demo city; splitting every id took 30–70 ms of an edit).
        var indices = cells.Select(c => CellIndex(c.Id)).ToArray();
        var columns = indices.Max(i => i.Column) + 1;
        var rows = indices.Max(i => i.Row) + 1;
        var size = columns > 1 ? cells.First(c => c.Id == "1-0").X - cells[0].X : new AirQualityParameters().CellSize;
        var (originX, originY) = (cells[0].X - (size / 2), cells[0].Y - (size / 2));
        GridLayer Layer(string indicator, Func<AirConcentration, double> value)
        {
            var values = new double[columns * rows];
            Array.Fill(values, double.NaN);
            for (var i = 0; i < cells.Count; i++)
            {
                values[(indices[i].Row * columns) + indices[i].Column] = value(cells[i]);
            }

            return new GridLayer(indicator, originX, originY, size, columns, rows, values);
        }

        return [Layer("no2", c => c.No2), Layer("pm10", c => c.Pm10), Layer("pm25", c => c.Pm25)];
    }

    private static (int Column, int Row) CellIndex(string id)
    {
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        return (int.Parse(id.AsSpan(0, dash), CultureInfo.InvariantCulture), int.Parse(id.AsSpan(dash + 1), CultureInfo.InvariantCulture));
    }
}
