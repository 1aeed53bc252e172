using NetTopologySuite.Geometries;

namespace Tweeling.Models.Heat;

/// <summary>The land-cover classes the heat model distinguishes (BGT and BAG map onto them).</summary>
public enum LandCover
{
    /// <summary>Building footprint (BAG pand, BGT pand).</summary>
    Building,

    /// <summary>Paved surface: roads, pavements, squares, car parks (BGT wegdeel, verharde ondersteunend wegdeel).</summary>
    Paved,

    /// <summary>Low vegetation: grass, shrubs, planted beds (BGT begroeid terreindeel, onverhard).</summary>
    LowVegetation,

    /// <summary>Tree canopy (crown projection); may overlap paved or low vegetation.</summary>
    TreeCanopy,

    /// <summary>Open water (BGT waterdeel).</summary>
    Water,
}

/// <summary>One land-cover polygon.</summary>
/// <param name="Geometry">The polygon in RD New metres.</param>
/// <param name="Cover">Its land-cover class.</param>
public sealed record LandCoverArea(Geometry Geometry, LandCover Cover);

/// <summary>A regular grid of square cells in RD New, cell (0, 0) at the south-west corner.</summary>
/// <param name="MinX">The grid's west edge, m.</param>
/// <param name="MinY">The grid's south edge, m.</param>
/// <param name="Columns">Cells west to east.</param>
/// <param name="Rows">Cells south to north.</param>
/// <param name="CellSizeM">The side of a cell, m (100 m suits the UHI regression, which works on 500 m averages).</param>
public sealed record HeatGrid(double MinX, double MinY, int Columns, int Rows, double CellSizeM);

/// <summary>
/// The weather of the day the heat model assesses. The UHI regression needs the day's radiation, temperature range
/// and wind; PET needs the conditions of one hour as well.
/// </summary>
/// <param name="MeanGlobalRadiationWm2">The day's mean global radiation at the rural station, W/m² (24-h mean).</param>
/// <param name="DiurnalTemperatureRangeK">The rural daily maximum minus minimum temperature, K.</param>
/// <param name="WindSpeed10mMs">The daily mean 10 m wind speed at the rural station, m/s.</param>
/// <param name="Hour">The conditions of the hour for which PET is computed, or <c>null</c> for UHI only.</param>
public sealed record HeatWeather(double MeanGlobalRadiationWm2, double DiurnalTemperatureRangeK, double WindSpeed10mMs, PetConditions? Hour = null)
{
    /// <summary>
    /// An illustrative hot, clear Dutch summer day at 15:00 (33 °C, 35 % humidity, 750 W/m², light wind; 24-h mean
    /// radiation 300 W/m², 15 K range) [M]: for examples and tests, not the station data of the DPRA benchmark day.
    /// </summary>
    public static HeatWeather IllustrativeHotDay { get; } = new(300, 15, 2.5, new PetConditions(33, 35, 750, 120, 2.5, 47, 0.5));
}

/// <summary>The conditions of one hour at the rural station, for PET.</summary>
/// <param name="StationTemperatureC">Air temperature at the rural station, °C.</param>
/// <param name="RelativeHumidityPercent">Relative humidity, %.</param>
/// <param name="GlobalRadiationWm2">Global radiation Q_gl, W/m².</param>
/// <param name="DiffuseRadiationWm2">Diffuse radiation Q_d, W/m².</param>
/// <param name="WindSpeed10mMs">10 m wind speed, m/s.</param>
/// <param name="SolarAltitudeDeg">Solar altitude φ, degrees above the horizon (≤ 0 at night).</param>
/// <param name="UhiFactor">f_sun(t): the share of UHI_max present at this hour, 0–1 (near 0 at midday, near 1 late at night).</param>
public sealed record PetConditions(
    double StationTemperatureC,
    double RelativeHumidityPercent,
    double GlobalRadiationWm2,
    double DiffuseRadiationWm2,
    double WindSpeed10mMs,
    double SolarAltitudeDeg,
    double UhiFactor);

/// <summary>Heat stress classes of PET (Matzarakis, as the DPRA maps use them; models.md §4.1).</summary>
public enum PetStress
{
    /// <summary>PET below 23 °C.</summary>
    None,

    /// <summary>23–29 °C.</summary>
    Slight,

    /// <summary>29–35 °C.</summary>
    Moderate,

    /// <summary>35–41 °C.</summary>
    Strong,

    /// <summary>Above 41 °C.</summary>
    Extreme,
}

/// <summary>The heat results of one grid cell.</summary>
/// <param name="Column">The cell's column (west to east).</param>
/// <param name="Row">The cell's row (south to north).</param>
/// <param name="CenterX">The cell centre's x in RD New, m.</param>
/// <param name="CenterY">The cell centre's y in RD New, m.</param>
/// <param name="Cover">The cell's land-cover fractions.</param>
/// <param name="SkyViewFactor">The sky-view-factor proxy of the cell, 0–1.</param>
/// <param name="UhiMaxK">UHI_max: the day's maximum urban–rural air temperature difference, K.</param>
/// <param name="Pet">PET for the hour, or <c>null</c> when the weather gives no hour.</param>
public sealed record HeatCell(int Column, int Row, double CenterX, double CenterY, CoverFractions Cover, double SkyViewFactor, double UhiMaxK, CellPet? Pet);

/// <summary>The share of a cell's area per land-cover class (tree canopy may overlap the others).</summary>
/// <param name="Building">Building footprint share.</param>
/// <param name="Paved">Paved share.</param>
/// <param name="LowVegetation">Low vegetation share.</param>
/// <param name="TreeCanopy">Tree canopy share.</param>
/// <param name="Water">Water share.</param>
public sealed record CoverFractions(double Building, double Paved, double LowVegetation, double TreeCanopy, double Water)
{
    /// <summary>The vegetation fraction f_veg of the UHI regression: low vegetation plus tree canopy, at most 1.</summary>
    public double Vegetation => Math.Min(1, LowVegetation + TreeCanopy);
}

/// <summary>PET in one cell for one hour.</summary>
/// <param name="AirTemperatureC">T_a = T_station + UHI_max·f_sun(t), °C.</param>
/// <param name="SunC">PET in the sun, °C.</param>
/// <param name="ShadeC">PET in the shade, °C (never above <paramref name="SunC"/>).</param>
/// <param name="MeanC">The cell's PET: shade over the tree-canopy share, sun elsewhere, °C.</param>
/// <param name="Stress">The heat stress class of <paramref name="MeanC"/>.</param>
public sealed record CellPet(double AirTemperatureC, double SunC, double ShadeC, double MeanC, PetStress Stress);

/// <summary>The headline heat figures of the grid.</summary>
/// <param name="MeanUhiMaxK">UHI_max averaged over the cells, K.</param>
/// <param name="HighestUhiMaxK">The highest cell UHI_max, K.</param>
/// <param name="MeanPetC">PET averaged over the cells, °C, or <c>null</c> without an hour.</param>
/// <param name="CellsStrongOrExtreme">Cells with strong or extreme heat stress (PET above 35 °C); 0 without an hour.</param>
public sealed record HeatSummary(double MeanUhiMaxK, double HighestUhiMaxK, double? MeanPetC, int CellsStrongOrExtreme);
