using Tweeling.Models.Graph;

namespace Tweeling.Models.Liveability;

/// <summary>
/// What the liveability model read for one buurt, from the other models' outputs: the values its scores are built on
/// (each <c>null</c> where no model gave one for the buurt).
/// </summary>
/// <param name="TypeMix">Evenness of the dwelling types, 0–1 (normalised Shannon entropy over the five types).</param>
/// <param name="TenureMix">Evenness of the tenures, 0–1 (normalised Shannon entropy over koop, sociale huur, particuliere huur).</param>
/// <param name="LdenDb">Mean road-traffic L_den at the façades of its dwellings, dB, dwelling-weighted.</param>
/// <param name="No2">Mean annual NO2 at its dwellings, µg/m³, dwelling-weighted.</param>
/// <param name="UhiMaxK">Mean UHI_max in the heat cells of its dwellings, K, dwelling-weighted.</param>
/// <param name="GreenM2PerInhabitant">Public green per inhabitant, m².</param>
/// <param name="CanopyShare">Tree canopy share, 0–1.</param>
/// <param name="FacilityRatio">Mean over the normed facility kinds of the 2SFCA ratio capped at 1 (1 = every norm met).</param>
/// <param name="WalkMetres">Mean over the facility kinds of the mean walking distance to the nearest facility, m.</param>
/// <param name="LowIncomePercent">Estimated low-income households, % (null where suppressed below 100 households).</param>
/// <param name="VehiclesPerDay">Mean over its dwellings of the busiest motor road within the traffic radius, vehicles per working day (0 where none).</param>
public sealed record LiveabilityInputs(
    double? TypeMix,
    double? TenureMix,
    double? LdenDb,
    double? No2,
    double? UhiMaxK,
    double? GreenM2PerInhabitant,
    double? CanopyShare,
    double? FacilityRatio,
    double? WalkMetres,
    double? LowIncomePercent,
    double? VehiclesPerDay);

/// <summary>
/// The indicative liveability of one buurt over the Leefbaarometer's five dimensions, each a score from 0 (worst) to
/// 100 (best) on this model's own scale; <c>null</c> where none of a dimension's inputs is known. Not the official
/// Leefbaarometer (docs/models/leefbaarheid.md).
/// </summary>
/// <param name="Buurtcode">The CBS buurt code.</param>
/// <param name="Dwellings">Dwellings in the buurt (the weight of the municipality's mean).</param>
/// <param name="Woningvoorraad">Housing stock: the mix of types and tenures.</param>
/// <param name="FysiekeOmgeving">Physical environment: noise, air, heat, green and canopy.</param>
/// <param name="Voorzieningen">Facilities: capacity against the norms and walking distance.</param>
/// <param name="Bewoners">Residents: the share of low-income households.</param>
/// <param name="Veiligheid">Safety, with traffic exposure as its only proxy.</param>
/// <param name="Composite">The equal-weight mean of the known dimensions, or <c>null</c> when fewer than three are known.</param>
/// <param name="Inputs">The values the scores are built on.</param>
public sealed record BuurtLiveability(
    string Buurtcode,
    int Dwellings,
    double? Woningvoorraad,
    double? FysiekeOmgeving,
    double? Voorzieningen,
    double? Bewoners,
    double? Veiligheid,
    double? Composite,
    LiveabilityInputs Inputs);

/// <summary>The ports of the liveability model (<see cref="LiveabilityModel"/>, <c>leefbaarheid</c>); it reads the other models' existing ports.</summary>
public static class LiveabilityPorts
{
    /// <summary>The indicative liveability per buurt: five dimension scores and the composite.</summary>
    public static readonly Port<IReadOnlyList<BuurtLiveability>> Liveability = new(
        "liveability", "score 0–100", "Per buurt: indicative scores 0–100 for Woningvoorraad, Fysieke omgeving, Voorzieningen, Bewoners and Veiligheid and their equal-weight composite; not the official Leefbaarometer.");
}
