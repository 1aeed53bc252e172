using Tweeling.Models.City;
using Tweeling.Models.Graph;

namespace Tweeling.Models.Facilities;

/// <summary>The ports of <see cref="FacilitiesModel"/>; <see cref="Facilities"/> is also read by the accessibility model.</summary>
public static class FacilitiesPorts
{
    /// <summary>Inhabitants per buurt by age group, as the population model writes them.</summary>
    public static readonly Port<IReadOnlyList<BuurtPopulation>> Population = new(
        "buurt-population", "inhabitants", "Inhabitants per buurt by age group (0–3, 4–11, 12–17, 18–64, 65–74, 75+), with the residents' centre.");

    /// <summary>The facilities (<c>voorzieningen</c>) with their kind, location and capacity.</summary>
    public static readonly Port<IReadOnlyList<Facility>> Facilities = new(
        "facilities", "-", "Facilities (voorzieningen): kind, visiting address (RD New) and capacity in the kind's unit.");

    /// <summary>Per buurt and normed kind: demand, capacity in reach, the 2SFCA ratio and the shortage.</summary>
    public static readonly Port<IReadOnlyList<BuurtFacilitySupply>> Supply = new(
        "facility-supply", "capacity unit of the kind", "Per buurt and facility kind: demand, capacity within the catchment, 2SFCA share and ratio, shortage.");

    /// <summary>Per facility of a normed kind: the demand in its catchment against its capacity.</summary>
    public static readonly Port<IReadOnlyList<FacilityLoad>> Load = new(
        "facility-load", "capacity unit of the kind", "Per facility: the demand of the buurten in its catchment against its capacity (2SFCA step 1).");
}

/// <summary>How well one buurt is supplied with one kind of facility.</summary>
/// <param name="Buurtcode">The buurt.</param>
/// <param name="Kind">The facility kind.</param>
/// <param name="Unit">The unit of every amount below (the norm's capacity unit).</param>
/// <param name="Demand">What the buurt's inhabitants need by the norm.</param>
/// <param name="CapacityInCatchment">The summed capacity of the facilities within the catchment, unshared (what a resident sees nearby).</param>
/// <param name="AccessibleCapacity">The capacity that falls to this buurt when every facility shares its capacity over all demand in its catchment (2SFCA: A_i × Demand).</param>
/// <param name="Ratio">The 2SFCA accessibility A_i = Σ_j R_j: capacity per unit of demand; 1 means the norm is met, below 1 a shortage. For GPs, A_i ÷ 2,095 is FTE per inhabitant.</param>
/// <param name="Shortage">Demand not covered: max(0, Demand − AccessibleCapacity).</param>
/// <param name="FacilitiesInCatchment">How many facilities of the kind are within the catchment.</param>
public sealed record BuurtFacilitySupply(
    string Buurtcode,
    string Kind,
    string Unit,
    double Demand,
    double CapacityInCatchment,
    double AccessibleCapacity,
    double Ratio,
    double Shortage,
    int FacilitiesInCatchment);

/// <summary>How heavily one facility is asked for.</summary>
/// <param name="FacilityId">The facility.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Capacity">Its capacity in the norm's unit.</param>
/// <param name="DemandInCatchment">The summed demand of the buurten within its catchment (2SFCA: Σ_k P_k).</param>
/// <param name="Load">DemandInCatchment ÷ Capacity: above 1 the facility is asked for more than it can give.</param>
public sealed record FacilityLoad(string FacilityId, string Kind, double Capacity, double DemandInCatchment, double Load);
