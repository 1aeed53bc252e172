using Tweeling.Models.Graph;

namespace Tweeling.Models.Heat;

/// <summary>The ports of the heat model (<see cref="HeatModel"/>).</summary>
public static class HeatPorts
{
    /// <summary>The land-cover polygons.</summary>
    public static readonly Port<IReadOnlyList<LandCoverArea>> LandCover = new(
        "land-cover", "-", "Land-cover polygons in RD New metres: buildings, paved, low vegetation, tree canopy, water.");

    /// <summary>The grid to compute on.</summary>
    public static readonly Port<HeatGrid> Grid = new("heat-grid", "m", "The grid of square cells (origin, size in cells, cell size in metres).");

    /// <summary>The day's weather.</summary>
    public static readonly Port<HeatWeather> Weather = new(
        "heat-weather", "-", "The day's mean global radiation (W/m²), temperature range (K), 10 m wind (m/s) and optionally one hour's conditions for PET.");

    /// <summary>The results per cell.</summary>
    public static readonly Port<IReadOnlyList<HeatCell>> Cells = new(
        "heat-cells", "K", "Per cell: land-cover fractions, sky-view factor, UHI_max in K and, with an hour, PET in °C and its heat-stress class.");

    /// <summary>The headline figures.</summary>
    public static readonly Port<HeatSummary> Summary = new(
        "heat-summary", "K", "Mean and highest UHI_max (K), mean PET (°C) and the number of cells with strong or extreme heat stress.");
}
