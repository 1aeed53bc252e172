using System.Globalization;
using Tweeling.Models.Graph;

namespace Tweeling.Models.Heat;

/// <summary>
/// Heat on a grid (issue 6, model 2e; docs/models/hitte.md): the urban heat island UHI_max from the vegetation
/// fraction and a sky-view factor (Theeuwes et al. 2017, models.md §4.2) and, when the weather gives an hour, the
/// physiological equivalent temperature in sun and shade with the DPRA regressions (models.md §4.1).
/// </summary>
/// <param name="settings">The averaging radius and Bowen ratios; <see cref="HeatSettings.Default"/> when <c>null</c>.</param>
public sealed partial class HeatModel(HeatSettings? settings = null) : IImpactModel
{
    /// <summary>The model's id: also its register id and the name of its documentation (docs/models/hitte.md).</summary>
    public const string ModelId = "hitte";

    /// <summary>Air density ρ at about 20 °C near sea level, kg/m³ [M].</summary>
    private const double AirDensity = 1.2;

    /// <summary>Specific heat of air at constant pressure c_p, J/(kg·K) [M].</summary>
    private const double AirSpecificHeat = 1005;

    /// <summary>The Stefan–Boltzmann constant σ, W/(m²·K⁴).</summary>
    private const double StefanBoltzmann = 5.670374419e-8;

    /// <summary>The lowest wind speed the PET regressions are fed, m/s: their ln(u) terms diverge towards calm.</summary>
    private const double MinimumWindMs = 0.5;

    /// <summary>Roughness length of the open station terrain, m, for the 10 m → 1.2 m wind (WMO short grass) [M].</summary>
    private const double StationRoughnessM = 0.03;

    private readonly HeatSettings _settings = settings ?? HeatSettings.Default;

    /// <inheritdoc />
    public ModelDescriptor Descriptor { get; } = new(
        ModelId,
        "1.0",
        "Urban heat island (Theeuwes et al. 2017) and PET in sun and shade (DPRA regressions) on a grid",
        [HeatPorts.LandCover, HeatPorts.Grid, HeatPorts.Weather],
        [HeatPorts.Cells, HeatPorts.Summary]);

    /// <summary>
    /// UHI_max (Theeuwes et al. 2017; models.md §4.2): <c>(2 − SVF − f_veg)·(S·DTR³/U)^(1/4)</c> with
    /// <c>S = Q̄_gl/(ρ·c_p)</c> in K·m/s, K.
    /// </summary>
    /// <param name="skyViewFactor">SVF, 0–1.</param>
    /// <param name="vegetationFraction">f_veg, 0–1, averaged over ~500 m.</param>
    /// <param name="meanGlobalRadiationWm2">The day's mean global radiation, W/m².</param>
    /// <param name="diurnalTemperatureRangeK">The rural DTR, K.</param>
    /// <param name="windSpeed10mMs">The 10 m wind speed, m/s.</param>
    public static double UhiMax(double skyViewFactor, double vegetationFraction, double meanGlobalRadiationWm2, double diurnalTemperatureRangeK, double windSpeed10mMs) =>
        (2 - skyViewFactor - vegetationFraction) * Meteorology(meanGlobalRadiationWm2, diurnalTemperatureRangeK, windSpeed10mMs);

    /// <summary>The wet-bulb temperature from air temperature and relative humidity (Stull 2011), °C; valid for 5–99 % RH and −20–50 °C.</summary>
    public static double WetBulb(double temperatureC, double relativeHumidityPercent)
    {
        var (t, rh) = (temperatureC, relativeHumidityPercent);
        return (t * Math.Atan(0.151977 * Math.Sqrt(rh + 8.313659))) + Math.Atan(t + rh) - Math.Atan(rh - 1.676331)
            + (0.00391838 * Math.Pow(rh, 1.5) * Math.Atan(0.023101 * rh)) - 4.686035;
    }

    /// <summary>
    /// PET in the sun (DPRA; models.md §4.1), °C: <c>−13.26 + 1.25·Ta + 0.011·Q_gl − 3.37·ln(u) + 0.078·Tw + 0.0055·Q_gl·ln(u)
    /// + 5.56·sin(φ) − 0.0103·Q_gl·ln(u)·sin(φ) + 0.546·B_b + 1.94·S_vf</c>.
    /// </summary>
    public static double PetSun(double airTemperatureC, double wetBulbC, double globalRadiationWm2, double windMs, double solarAltitudeDeg, double bowenRatio, double skyViewFactor)
    {
        var lnU = Math.Log(windMs);
        var sinPhi = Math.Sin(solarAltitudeDeg * Math.PI / 180);
        var q = globalRadiationWm2;
        return -13.26 + (1.25 * airTemperatureC) + (0.011 * q) - (3.37 * lnU) + (0.078 * wetBulbC) + (0.0055 * q * lnU)
            + (5.56 * sinPhi) - (0.0103 * q * lnU * sinPhi) + (0.546 * bowenRatio) + (1.94 * skyViewFactor);
    }

    /// <summary>
    /// PET in the shade or at night (DPRA; models.md §4.1), °C: <c>−12.14 + 1.25·Ta − 1.47·ln(u) + 0.060·Tw + 0.015·S_vf·Q_d
    /// + 0.0060·(1 − S_vf)·σ·(Ta + 273.15)⁴</c>.
    /// </summary>
    public static double PetShade(double airTemperatureC, double wetBulbC, double diffuseRadiationWm2, double windMs, double skyViewFactor)
    {
        var kelvin = airTemperatureC + 273.15;
        return -12.14 + (1.25 * airTemperatureC) - (1.47 * Math.Log(windMs)) + (0.060 * wetBulbC) + (0.015 * skyViewFactor * diffuseRadiationWm2)
            + (0.0060 * (1 - skyViewFactor) * StefanBoltzmann * kelvin * kelvin * kelvin * kelvin);
    }

    /// <summary>The heat stress class of a PET (models.md §4.1).</summary>
    public static PetStress Stress(double petC) => petC switch
    {
        > 41 => PetStress.Extreme,
        > 35 => PetStress.Strong,
        > 29 => PetStress.Moderate,
        > 23 => PetStress.Slight,
        _ => PetStress.None,
    };

    /// <inheritdoc />
    public void Run(ModelRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var grid = Check(run.Input(HeatPorts.Grid));
        var weather = Check(run.Input(HeatPorts.Weather));
        var landCover = run.Input(HeatPorts.LandCover);
        var fractions = new CoverFractions[grid.Columns * grid.Rows];
        LandCoverRaster.Fill(grid, landCover, ReachesOf(grid, landCover), null, fractions, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        Write(run, Cells(grid, weather, fractions, null, null), weather);
    }

    /// <summary>
    /// The cells from their land-cover fractions: every cell, or (incremental) only those in <paramref name="affected"/>,
    /// the others taken from <paramref name="earlier"/>.
    /// </summary>
    private List<HeatCell> Cells(HeatGrid grid, HeatWeather weather, CoverFractions[] fractions, bool[]? affected, IReadOnlyList<HeatCell>? earlier)
    {
        // The sky-view factor proxy: the unbuilt share of the cell (no building heights; docs/models/hitte.md).
        var skyView = fractions.Select(f => Math.Clamp(1 - f.Building, 0, 1)).ToArray();
        var vegetation = fractions.Select(f => f.Vegetation).ToArray();
        var meanSkyView = AverageWithinRadius(grid, skyView, affected);
        var meanVegetation = AverageWithinRadius(grid, vegetation, affected);
        var meteorology = Meteorology(weather.MeanGlobalRadiationWm2, weather.DiurnalTemperatureRangeK, weather.WindSpeed10mMs);
        var cells = new List<HeatCell>(fractions.Length);
        for (var row = 0; row < grid.Rows; row++)
        {
            for (var column = 0; column < grid.Columns; column++)
            {
                var c = (row * grid.Columns) + column;
                if (affected is not null && !affected[c])
                {
                    cells.Add(earlier![c]);
                    continue;
                }

                var uhi = (2 - meanSkyView[c] - meanVegetation[c]) * meteorology;
                var pet = weather.Hour is { } hour ? Pet(hour, uhi, fractions[c], skyView[c]) : null;
                cells.Add(new HeatCell(
                    column, row, grid.MinX + ((column + 0.5) * grid.CellSizeM), grid.MinY + ((row + 0.5) * grid.CellSizeM), fractions[c], skyView[c], uhi, pet));
            }
        }

        return cells;
    }

    private static void Write(ModelRun run, List<HeatCell> cells, HeatWeather weather)
    {
        run.Output(HeatPorts.Cells, cells);
        run.Output(HeatPorts.Summary, new HeatSummary(
            cells.Average(c => c.UhiMaxK),
            cells.Max(c => c.UhiMaxK),
            weather.Hour is null ? null : cells.Average(c => c.Pet!.MeanC),
            cells.Count(c => c.Pet is { Stress: PetStress.Strong or PetStress.Extreme })));
    }

    /// <summary>The meteorological factor of the UHI regression, <c>(S·DTR³/U)^(1/4)</c>, K.</summary>
    private static double Meteorology(double meanGlobalRadiationWm2, double diurnalTemperatureRangeK, double windSpeed10mMs)
    {
        var s = meanGlobalRadiationWm2 / (AirDensity * AirSpecificHeat);
        return Math.Pow(s * Math.Pow(diurnalTemperatureRangeK, 3) / windSpeed10mMs, 0.25);
    }

    private CellPet Pet(PetConditions hour, double uhiMaxK, CoverFractions cover, double skyViewFactor)
    {
        var airTemperature = hour.StationTemperatureC + (uhiMaxK * hour.UhiFactor);
        var wetBulb = WetBulb(airTemperature, hour.RelativeHumidityPercent);

        // The 10 m station wind brought down to the 1.2 m of the PET regressions with a logarithmic profile over open terrain.
        var wind = Math.Max(MinimumWindMs, hour.WindSpeed10mMs * Math.Log(1.2 / StationRoughnessM) / Math.Log(10 / StationRoughnessM));
        var shade = PetShade(airTemperature, wetBulb, hour.DiffuseRadiationWm2, wind, skyViewFactor);
        if (hour.SolarAltitudeDeg <= 0)
        {
            return new CellPet(airTemperature, shade, shade, shade, Stress(shade));
        }

        // Shade takes the direct sun away; where the regressions put shade above sun (weak sun), the sun value holds.
        var sun = PetSun(airTemperature, wetBulb, hour.GlobalRadiationWm2, wind, hour.SolarAltitudeDeg, BowenRatio(cover), skyViewFactor);
        shade = Math.Min(shade, sun);
        var shaded = Math.Min(1, cover.TreeCanopy);
        var mean = (shaded * shade) + ((1 - shaded) * sun);
        return new CellPet(airTemperature, sun, shade, mean, Stress(mean));
    }

    /// <summary>
    /// The cell's Bowen ratio B_b: the area-weighted mean of the class values, tree canopy replacing what it covers and
    /// the uncovered rest counted as bare ground.
    /// </summary>
    private double BowenRatio(CoverFractions cover)
    {
        var b = _settings.Bowen;
        var trees = Math.Min(1, cover.TreeCanopy);
        var underTrees = cover.Building + cover.Paved + cover.LowVegetation + cover.Water;
        var (building, paved, low, water) = underTrees <= 1 - trees
            ? (cover.Building, cover.Paved, cover.LowVegetation, cover.Water)
            : Scaled(cover, (1 - trees) / underTrees);
        var bare = Math.Max(0, 1 - trees - building - paved - low - water);
        return (trees * b.TreeCanopy) + (building * b.Building) + (paved * b.Paved) + (low * b.LowVegetation) + (water * b.Water) + (bare * b.Bare);

        static (double, double, double, double) Scaled(CoverFractions f, double k) => (f.Building * k, f.Paved * k, f.LowVegetation * k, f.Water * k);
    }

    /// <summary>
    /// The mean of <paramref name="values"/> over the cells whose centres are within the averaging radius, per cell (cells
    /// outside the grid do not count); only for the cells in <paramref name="only"/> when it is given (the rest stay 0).
    /// </summary>
    private double[] AverageWithinRadius(HeatGrid grid, double[] values, bool[]? only)
    {
        var offsets = Neighbourhood(grid);
        var means = new double[values.Length];
        for (var row = 0; row < grid.Rows; row++)
        {
            for (var column = 0; column < grid.Columns; column++)
            {
                if (only is not null && !only[(row * grid.Columns) + column])
                {
                    continue;
                }

                var (sum, count) = (0.0, 0);
                foreach (var (dx, dy) in offsets)
                {
                    var (x, y) = (column + dx, row + dy);
                    if (x >= 0 && y >= 0 && x < grid.Columns && y < grid.Rows)
                    {
                        sum += values[(y * grid.Columns) + x];
                        count++;
                    }
                }

                means[(row * grid.Columns) + column] = sum / count;
            }
        }

        return means;
    }

    /// <summary>The cell offsets within the averaging radius, in the order the mean sums them.</summary>
    private List<(int Dx, int Dy)> Neighbourhood(HeatGrid grid)
    {
        var reach = (int)Math.Floor(_settings.AveragingRadiusM / grid.CellSizeM);
        var offsets = new List<(int Dx, int Dy)>();
        for (var dy = -reach; dy <= reach; dy++)
        {
            for (var dx = -reach; dx <= reach; dx++)
            {
                if (((dx * dx) + (dy * dy)) * grid.CellSizeM * grid.CellSizeM <= _settings.AveragingRadiusM * _settings.AveragingRadiusM)
                {
                    offsets.Add((dx, dy));
                }
            }
        }

        return offsets;
    }

    private static HeatGrid Check(HeatGrid grid)
    {
        if (grid.Columns <= 0 || grid.Rows <= 0 || !(grid.CellSizeM > 0) || (long)grid.Columns * grid.Rows > 4_000_000)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The heat grid needs at least one cell, at most 4,000,000, and a cell size > 0 m; got {grid.Columns} × {grid.Rows} cells of {grid.CellSizeM} m."));
        }

        return grid;
    }

    private static HeatWeather Check(HeatWeather weather)
    {
        if (!(weather.MeanGlobalRadiationWm2 >= 0) || !(weather.DiurnalTemperatureRangeK >= 0) || !(weather.WindSpeed10mMs > 0))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The heat weather needs radiation ≥ 0 W/m², a temperature range ≥ 0 K and wind > 0 m/s; got {weather.MeanGlobalRadiationWm2}, {weather.DiurnalTemperatureRangeK} and {weather.WindSpeed10mMs}."));
        }

        if (weather.Hour is { } hour && (!(hour.RelativeHumidityPercent is >= 0 and <= 100) || !(hour.UhiFactor is >= 0 and <= 1)
            || !(hour.GlobalRadiationWm2 >= 0) || !(hour.DiffuseRadiationWm2 >= 0) || !(hour.WindSpeed10mMs >= 0)))
        {
            throw new ArgumentException("The hour for PET needs humidity 0–100 %, a UHI factor 0–1, radiation ≥ 0 W/m² and wind ≥ 0 m/s.");
        }

        return weather;
    }
}

/// <summary>The parameters of the heat model.</summary>
/// <param name="AveragingRadiusM">The radius over which SVF and f_veg are averaged for UHI_max, m (~500 m in Theeuwes et al. 2017).</param>
/// <param name="Bowen">The Bowen ratio per land-cover class.</param>
public sealed record HeatSettings(double AveragingRadiusM, BowenRatios Bowen)
{
    /// <summary>500 m averaging and <see cref="BowenRatios.Typical"/>.</summary>
    public static HeatSettings Default { get; } = new(500, BowenRatios.Typical);
}

/// <summary>The Bowen ratio (sensible over latent heat flux) of each land-cover class on a sunny summer day.</summary>
/// <param name="Building">Roofs.</param>
/// <param name="Paved">Asphalt and pavers.</param>
/// <param name="LowVegetation">Watered grass and shrubs.</param>
/// <param name="TreeCanopy">Trees.</param>
/// <param name="Water">Open water.</param>
/// <param name="Bare">Bare ground and whatever the land cover leaves unclassified.</param>
public sealed record BowenRatios(double Building, double Paved, double LowVegetation, double TreeCanopy, double Water, double Bare)
{
    /// <summary>Typical midday summer values from textbook micrometeorology (Oke, Boundary Layer Climates) [M]; Tygron's own table is not in models.md.</summary>
    public static BowenRatios Typical { get; } = new(Building: 4, Paved: 4, LowVegetation: 0.7, TreeCanopy: 0.5, Water: 0.1, Bare: 1.5);
}
