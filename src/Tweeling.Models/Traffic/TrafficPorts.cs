using NetTopologySuite.Geometries;
using Tweeling.Models.City;
using Tweeling.Models.Graph;

namespace Tweeling.Models.Traffic;

/// <summary>The ports of the traffic model (<see cref="TrafficModel"/>): what the scenario maps the baseline onto, and what it produces.</summary>
public static class TrafficPorts
{
    /// <summary>The traffic zones (one per buurt) with their centroids and scenario traffic factors.</summary>
    public static readonly Port<IReadOnlyList<TrafficZone>> Zones = new(
        "traffic-zones", "-", "Traffic zones (one per buurt): code, centroid in RD New and the scenario traffic factor.");

    /// <summary>The dwellings per zone by dwelling type and tenure: what generates the trips.</summary>
    public static readonly Port<IReadOnlyList<ZoneDwellings>> Dwellings = new(
        "zone-dwellings", "dwellings", "Dwellings per traffic zone by dwelling type and tenure.");

    /// <summary>The jobs and facilities per zone: what attracts the trips.</summary>
    public static readonly Port<IReadOnlyList<ZoneActivity>> Activity = new(
        "zone-activity", "jobs", "Jobs and facilities (schools, shops, care, sports) per traffic zone.");

    /// <summary>The road network: the links the trips are assigned to.</summary>
    public static readonly Port<IReadOnlyList<RoadLink>> RoadLinks = CityPorts.Roads;

    /// <summary>The ids of links closed to motor traffic in the scenario.</summary>
    public static readonly Port<IReadOnlyList<string>> ClosedLinks = new(
        "closed-links", "-", "Ids of road links closed to motor traffic; they carry nothing.");

    /// <summary>
    /// The scenario's factors on the motor traffic of single links, applied to the assigned traffic (links not listed keep
    /// factor 1). Applying them after assignment, not to the trips, keeps routes and speeds as assigned, so a factor ≥ 1
    /// never moves traffic away from a street (docs/scenarios.md, <c>verkeer-factor</c>).
    /// </summary>
    public static readonly Port<IReadOnlyList<LinkTrafficFactor>> LinkFactors = new(
        "link-traffic-factors", "-", "Scenario factors on the assigned motor traffic of road links (1 for links not listed).");

    /// <summary>The assigned traffic per link: what the air quality and noise models read.</summary>
    public static readonly Port<IReadOnlyList<LinkTraffic>> LinkTraffic = new(
        "link-traffic", "vehicles/24h", "Motor vehicles per average working day per road link, with vehicle mix, congestion share and mean speed.");

    /// <summary>The trip totals of a run: generated, assigned and unassigned trips and the vehicle kilometres.</summary>
    public static readonly Port<TripTotals> Trips = new(
        "trip-totals", "trips/24h", "Car trips per average working day: generated, assigned to the network, unassigned; and vehicle kilometres.");
}

/// <summary>A traffic zone (a buurt).</summary>
/// <param name="Code">The zone's code (the CBS buurtcode).</param>
/// <param name="Centroid">Where the zone's trips enter the network: the nearest network node to this point (RD New, metres).</param>
/// <param name="TrafficFactor">
/// The scenario's factor on the trips starting or ending in the zone (1 = unchanged, 0.8 = 20% fewer car trips,
/// e.g. after a mode shift); a trip between two zones gets both zones' factors.
/// </param>
public sealed record TrafficZone(string Code, Point Centroid, double TrafficFactor = 1.0);

/// <summary>A scenario's factor on the assigned motor traffic of one road link.</summary>
/// <param name="LinkId">The <see cref="RoadLink.Id"/>.</param>
/// <param name="Factor">The multiplier on the link's vehicles per day (1 = unchanged), finite and ≥ 0.</param>
public sealed record LinkTrafficFactor(string LinkId, double Factor);

/// <summary>The dwelling type of the CROW trip-rate typology.</summary>
public enum DwellingType
{
    /// <summary>A detached house (vrijstaand).</summary>
    Detached,

    /// <summary>A semi-detached house (twee-onder-een-kap).</summary>
    SemiDetached,

    /// <summary>A terraced or corner house (tussen- of hoekwoning).</summary>
    Terraced,

    /// <summary>A flat or apartment (meergezinswoning).</summary>
    Flat,
}

/// <summary>The tenure of a dwelling (eigendom) in the CROW trip-rate typology.</summary>
public enum Tenure
{
    /// <summary>Owner-occupied (koop).</summary>
    OwnerOccupied,

    /// <summary>Social rent (sociale huur).</summary>
    SocialRent,

    /// <summary>Private rent (vrije-sectorhuur).</summary>
    PrivateRent,
}

/// <summary>The number of dwellings of one type and tenure in a zone.</summary>
/// <param name="ZoneCode">The <see cref="TrafficZone.Code"/>.</param>
/// <param name="Type">The dwelling type.</param>
/// <param name="Tenure">The tenure.</param>
/// <param name="Count">The number of dwellings, ≥ 0.</param>
public sealed record ZoneDwellings(string ZoneCode, DwellingType Type, Tenure Tenure, int Count);

/// <summary>What attracts trips to a zone.</summary>
/// <param name="ZoneCode">The <see cref="TrafficZone.Code"/>.</param>
/// <param name="Jobs">The jobs (werkzame personen) in the zone, ≥ 0.</param>
/// <param name="Facilities">The facilities (schools, shops, care, sports) in the zone, ≥ 0.</param>
public sealed record ZoneActivity(string ZoneCode, int Jobs, int Facilities);

/// <summary>The car trips of one run, per average working day.</summary>
/// <param name="Generated">Every trip the dwellings generate, after the calibration, working-day and zone factors.</param>
/// <param name="Assigned">The trips that reached a destination over the network and were assigned to it.</param>
/// <param name="Unassigned">The trips of zones from which no attracting zone can be reached by road (<c>Generated − Assigned</c>).</param>
/// <param name="VehicleKilometres">The car kilometres driven on the network (flow × link length summed over links).</param>
public sealed record TripTotals(double Generated, double Assigned, double Unassigned, double VehicleKilometres);
