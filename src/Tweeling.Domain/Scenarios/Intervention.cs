using NetTopologySuite.Geometries;

namespace Tweeling.Domain.Scenarios;

/// <summary>The dwelling type of <c>panden.woningtype</c>: what occupancy and trip rates depend on.</summary>
public enum DwellingType
{
    /// <summary>Flat (appartement).</summary>
    Appartement,

    /// <summary>Terraced house (tussenwoning).</summary>
    Tussenwoning,

    /// <summary>End-of-terrace house (hoekwoning).</summary>
    Hoekwoning,

    /// <summary>Semi-detached house (twee-onder-een-kap).</summary>
    TweeOnderEenKap,

    /// <summary>Detached house (vrijstaand).</summary>
    Vrijstaand,
}

/// <summary>The tenure of <c>panden.eigendom</c>.</summary>
public enum Tenure
{
    /// <summary>Owner-occupied (koop).</summary>
    Koop,

    /// <summary>Social rent (sociale-huur), from a housing association.</summary>
    SocialeHuur,

    /// <summary>Private rent (particuliere-huur).</summary>
    ParticuliereHuur,
}

/// <summary>The kind of green (or unpaved ground) an <see cref="AddGreen"/> intervention lays out.</summary>
public enum GreenKind
{
    /// <summary>Grass and lawns.</summary>
    Gras,

    /// <summary>Shrubs and planting beds.</summary>
    Struiken,

    /// <summary>Trees over grass: canopy that shades.</summary>
    Bomen,

    /// <summary>Open water.</summary>
    Water,

    /// <summary>Paving taken out for bare, permeable soil (onthard).</summary>
    Onthard,
}

/// <summary>
/// One change a scenario makes to the baseline city. Geometry is in RD New (EPSG:28992, metres), the storage
/// CRS; the API takes GeoJSON in CRS84 and converts it (<see cref="ScenarioContent"/>).
/// </summary>
public abstract record Intervention;

/// <summary>Adds <paramref name="Count"/> dwellings of one type and tenure in <paramref name="Area"/> (woningen-toevoegen).</summary>
/// <param name="Area">Where they are built.</param>
/// <param name="Count">How many dwellings, 1–100,000.</param>
/// <param name="Type">Their dwelling type.</param>
/// <param name="Tenure">Their tenure.</param>
public sealed record AddDwellings(Polygon Area, int Count, DwellingType Type, Tenure Tenure) : Intervention;

/// <summary>Demolishes every dwelling of the buildings whose centroid lies in <paramref name="Area"/> (woningen-slopen).</summary>
/// <param name="Area">The demolition area.</param>
public sealed record DemolishDwellings(Polygon Area) : Intervention;

/// <summary>Opens a facility (voorziening-toevoegen).</summary>
/// <param name="Kind">Its kind, as <c>voorzieningen.type</c> (e.g. <c>huisarts</c>, <c>basisschool</c>).</param>
/// <param name="Location">Where it is.</param>
/// <param name="Capacity">Its capacity in the kind's unit (FTE, places, m²), greater than 0.</param>
public sealed record AddFacility(string Kind, Point Location, double Capacity) : Intervention;

/// <summary>Closes the facility with <c>voorzieningen</c> id <paramref name="FacilityId"/> (voorziening-opheffen).</summary>
/// <param name="FacilityId">The feature id of the facility.</param>
public sealed record RemoveFacility(string FacilityId) : Intervention;

/// <summary>Sets the capacity of an existing facility (voorziening-wijzigen).</summary>
/// <param name="FacilityId">The feature id of the facility.</param>
/// <param name="Capacity">Its new capacity in its own unit, greater than 0.</param>
public sealed record ResizeFacility(string FacilityId, double Capacity) : Intervention;

/// <summary>Closes road links to motor traffic (wegen-afsluiten).</summary>
/// <param name="LinkIds">The <c>wegvakken</c> ids, at least one, no duplicates.</param>
public sealed record CloseRoads(IReadOnlyList<string> LinkIds) : Intervention;

/// <summary>Sets the speed limit of road links (snelheid-wijzigen).</summary>
/// <param name="LinkIds">The <c>wegvakken</c> ids, at least one, no duplicates.</param>
/// <param name="SpeedLimitKmh">The new limit in km/h, 5–130.</param>
public sealed record SetRoadSpeed(IReadOnlyList<string> LinkIds, double SpeedLimitKmh) : Intervention;

/// <summary>
/// Multiplies the motor traffic on every link inside <paramref name="Zone"/> (verkeer-factor), e.g. 0.6 for a
/// low-traffic inner city.
/// </summary>
/// <param name="Zone">The zone.</param>
/// <param name="Factor">The factor, 0–5.</param>
public sealed record TrafficFactor(Polygon Zone, double Factor) : Intervention;

/// <summary>Lays out green or takes out paving over <paramref name="Area"/> (groen-toevoegen).</summary>
/// <param name="Area">The area.</param>
/// <param name="Kind">What it becomes.</param>
public sealed record AddGreen(Polygon Area, GreenKind Kind) : Intervention;

/// <summary>Ages the whole population by <paramref name="Years"/> years (bevolking-vergrijzen).</summary>
/// <param name="Years">Years, 1–50.</param>
public sealed record AgePopulation(int Years) : Intervention;

/// <summary>Moves <paramref name="Count"/> jobs from one area to another (banen-verplaatsen).</summary>
/// <param name="From">Where the jobs leave.</param>
/// <param name="To">Where they go.</param>
/// <param name="Count">How many jobs, 1–100,000.</param>
public sealed record MoveJobs(Polygon From, Polygon To, int Count) : Intervention;
