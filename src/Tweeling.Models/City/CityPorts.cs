using NetTopologySuite.Geometries;
using Tweeling.Domain.Scenarios;
using Tweeling.Models.Graph;

namespace Tweeling.Models.City;

/// <summary>
/// Dwellings in one building (a <c>panden</c> feature), or added by a scenario's <c>woningen-toevoegen</c>.
/// </summary>
/// <param name="BuildingId">The <c>panden</c> id, or the scenario's id for them (<c>scenario:&lt;n&gt;</c>).</param>
/// <param name="Buurtcode">The CBS buurt code (BU…) the building lies in.</param>
/// <param name="Location">A point in the building, RD New (EPSG:28992).</param>
/// <param name="Count">How many dwellings, at least 1.</param>
/// <param name="Type">Their dwelling type.</param>
/// <param name="Tenure">Their tenure.</param>
public sealed record DwellingStock(string BuildingId, string Buurtcode, Point Location, int Count, DwellingType Type, Tenure Tenure);

/// <summary>
/// The CBS-like figures of one buurt at the reference date (Kerncijfers wijken en buurten: <c>inwoners</c>,
/// <c>huishoudens</c>, the five age groups), where the baseline has them; what the population model calibrates on.
/// </summary>
/// <param name="Buurtcode">The CBS buurt code.</param>
/// <param name="Residents">Residents, or <c>null</c> when unknown (or suppressed by disclosure control).</param>
/// <param name="Households">Private households, or <c>null</c>.</param>
/// <param name="AgeGroups">Residents aged 0–15, 15–25, 25–45, 45–65 and 65+, or <c>null</c>.</param>
public sealed record BuurtStatistics(string Buurtcode, double? Residents, double? Households, IReadOnlyList<double>? AgeGroups);

/// <summary>One CBS buurt's polygon: what places dwellings, receptors and cells in a buurt.</summary>
/// <param name="Code">The CBS buurt code (BU…).</param>
/// <param name="Area">The buurt polygon in RD New (EPSG:28992), metres.</param>
public sealed record BuurtArea(string Code, Geometry Area);

/// <summary>
/// The observed share of low-income households of one buurt at the reference date (the indicator
/// <c>huishoudens_laag_inkomen_pct</c>, CBS Kerncijfers wijken en buurten), where the baseline has it; what the social
/// model calibrates on.
/// </summary>
/// <param name="Buurtcode">The CBS buurt code.</param>
/// <param name="Percent">Low-income households as a percentage of private households (0–100), or <c>null</c> when unknown or suppressed.</param>
public sealed record BuurtLowIncome(string Buurtcode, double? Percent);

/// <summary>
/// The baseline city as model inputs: what the scenario engine reads from the store as of a scenario's reference
/// date, with the scenario's interventions applied. Every model that needs the city reads these ports.
/// </summary>
public static class CityPorts
{
    /// <summary>The dwelling stock with the scenario's interventions applied.</summary>
    public static readonly Port<IReadOnlyList<DwellingStock>> Dwellings = new(
        "dwellings", "dwellings", "Dwellings per building (panden) with type, tenure and buurt, after the scenario's interventions; RD New.");

    /// <summary>The dwelling stock of the baseline, without interventions: what calibration compares the statistics with.</summary>
    public static readonly Port<IReadOnlyList<DwellingStock>> BaselineDwellings = new(
        "baseline-dwellings", "dwellings", "Dwellings per building (panden) at the reference date, without the scenario's interventions; RD New.");

    /// <summary>The buurt statistics at the reference date.</summary>
    public static readonly Port<IReadOnlyList<BuurtStatistics>> BuurtStatistics = new(
        "buurt-statistics", "persons, households", "CBS-like residents, households and age groups per buurt at the reference date (buurtcijfers), where known.");

    /// <summary>The observed share of low-income households per buurt at the reference date.</summary>
    public static readonly Port<IReadOnlyList<BuurtLowIncome>> BuurtLowIncome = new(
        "buurt-low-income", "%", "Observed low-income households as % of private households per buurt at the reference date (huishoudens_laag_inkomen_pct), where known.");

    /// <summary>Years the population ages (the sum of the scenario's <c>bevolking-vergrijzen</c> interventions), 0 for none.</summary>
    public static readonly Port<int> AgeingYears = new(
        "ageing-years", "years", "Years by which the scenario ages the population (0 for none).");

    /// <summary>
    /// The road network with the scenario's new speed limits set. Closed links stay in it (walkers and cyclists still
    /// use them); the traffic model's <c>closed-links</c> keeps motor traffic off them.
    /// </summary>
    public static readonly Port<IReadOnlyList<RoadLink>> Roads = new(
        "road-links", "-", "The road network (wegvakken) with the scenario's speed limits; RD New.");

    /// <summary>The buurten of the municipality with their polygons.</summary>
    public static readonly Port<IReadOnlyList<BuurtArea>> BuurtAreas = new(
        "buurt-areas", "-", "CBS buurten of the municipality: code and polygon in RD New at the reference date.");
}
