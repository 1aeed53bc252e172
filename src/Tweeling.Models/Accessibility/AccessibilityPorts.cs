using NetTopologySuite.Geometries;
using Tweeling.Models.City;
using Tweeling.Models.Facilities;
using Tweeling.Models.Graph;

namespace Tweeling.Models.Accessibility;

/// <summary>The ports of <see cref="AccessibilityModel"/>; the facilities are <see cref="FacilitiesPorts.Facilities"/>.</summary>
public static class AccessibilityPorts
{
    /// <summary>The road network (<c>wegvakken</c>), fietspaden included.</summary>
    public static readonly Port<IReadOnlyList<RoadLink>> RoadLinks = CityPorts.Roads;

    /// <summary>The dwellings whose distance to facilities is measured.</summary>
    public static readonly Port<IReadOnlyList<Dwelling>> Dwellings = new(
        "accessibility-dwellings", "-", "Dwellings (occupied addresses) as points in RD New, with their buurt.");

    /// <summary>The isochrones to draw: origin, mode and time budget.</summary>
    public static readonly Port<IReadOnlyList<IsochroneRequest>> IsochroneRequests = new(
        "isochrone-requests", "min", "Points to draw an isochrone around, each with a travel mode and a time budget in minutes.");

    /// <summary>Per dwelling and facility kind: the network distance and time to the nearest facility, as a table of columns.</summary>
    public static readonly Port<DwellingDistanceTable> DwellingDistances = new(
        "dwelling-facility-distance", "m", "Per dwelling and facility kind: walking and cycling network distance (m) and time (min) to the nearest facility.");

    /// <summary>Per buurt and facility kind: the mean over its dwellings, as CBS's Nabijheidsstatistiek publishes it.</summary>
    public static readonly Port<IReadOnlyList<BuurtFacilityDistance>> BuurtDistances = new(
        "buurt-facility-distance", "m", "Per buurt and facility kind: mean walking and cycling network distance (m) and time (min) over its dwellings.");

    /// <summary>The isochrones, one per request.</summary>
    public static readonly Port<IReadOnlyList<Isochrone>> Isochrones = new(
        "isochrones", "m²", "Per request: the area within the buffer distance of the network reachable within the time budget.");
}

/// <summary>How someone travels over the network.</summary>
public enum TravelMode
{
    /// <summary>On foot, at 5 km/h (models.md §6).</summary>
    Walk,

    /// <summary>By (non-electric) bicycle, at 15 km/h (models.md §6).</summary>
    Cycle,
}

/// <summary>A dwelling: an occupied address.</summary>
/// <param name="Id">The dwelling's id (e.g. the verblijfsobject or pand id).</param>
/// <param name="Location">Its location in RD New (EPSG:28992), metres.</param>
/// <param name="Buurtcode">The buurt it lies in.</param>
public sealed record Dwelling(string Id, Point Location, string Buurtcode);

/// <summary>
/// One row of a <see cref="DwellingDistanceTable"/>: the nearest facility of one kind from one dwelling, over the network;
/// <c>null</c> when none can be reached. Made when read, from the table's columns.
/// </summary>
/// <param name="DwellingId">The dwelling.</param>
/// <param name="Kind">The facility kind.</param>
/// <param name="WalkMetres">Walking distance in metres.</param>
/// <param name="WalkMinutes">Walking time in minutes.</param>
/// <param name="CycleMetres">Cycling distance in metres.</param>
/// <param name="CycleMinutes">Cycling time in minutes.</param>
public readonly record struct DwellingFacilityDistance(string DwellingId, string Kind, double? WalkMetres, double? WalkMinutes, double? CycleMetres, double? CycleMinutes);

/// <summary>The mean distance of a buurt's dwellings to the nearest facility of one kind; means are over the dwellings that reach one.</summary>
/// <param name="Buurtcode">The buurt.</param>
/// <param name="Kind">The facility kind.</param>
/// <param name="Dwellings">The buurt's dwellings.</param>
/// <param name="Unreached">Dwellings from which no facility of the kind can be reached (walking or cycling).</param>
/// <param name="MeanWalkMetres">Mean walking distance in metres, or <c>null</c> when no dwelling reaches one.</param>
/// <param name="MeanWalkMinutes">Mean walking time in minutes.</param>
/// <param name="MeanCycleMetres">Mean cycling distance in metres.</param>
/// <param name="MeanCycleMinutes">Mean cycling time in minutes.</param>
public sealed record BuurtFacilityDistance(
    string Buurtcode, string Kind, int Dwellings, int Unreached, double? MeanWalkMetres, double? MeanWalkMinutes, double? MeanCycleMetres, double? MeanCycleMinutes);

/// <summary>An isochrone to draw.</summary>
/// <param name="Id">The request's id, repeated in its <see cref="Isochrone"/>.</param>
/// <param name="Origin">Where the trip starts, RD New.</param>
/// <param name="Mode">How one travels.</param>
/// <param name="Minutes">The time budget in minutes.</param>
public sealed record IsochroneRequest(string Id, Point Origin, TravelMode Mode, double Minutes);

/// <summary>The area reachable from a point within a time budget.</summary>
/// <param name="Id">The request's id.</param>
/// <param name="Mode">How one travels.</param>
/// <param name="Minutes">The time budget in minutes.</param>
/// <param name="Area">The reachable network (the access line from the origin included) buffered by the model's buffer distance: a polygon or multipolygon in RD New; empty when nothing is reachable.</param>
/// <param name="ReachedNetworkMetres">The length of network reachable within the budget, in metres.</param>
public sealed record Isochrone(string Id, TravelMode Mode, double Minutes, Geometry Area, double ReachedNetworkMetres);
