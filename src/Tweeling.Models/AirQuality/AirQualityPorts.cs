using NetTopologySuite.Geometries;
using Tweeling.Models.Graph;
using Tweeling.Models.Traffic;

namespace Tweeling.Models.AirQuality;

/// <summary>
/// The ports of the air quality model (<see cref="AirQualityModel"/>). It reads the traffic model's
/// <see cref="TrafficPorts.LinkTraffic"/> and <see cref="TrafficPorts.RoadLinks"/> as they are.
/// </summary>
public static class AirQualityPorts
{
    /// <summary>The SRM1 street profile per link; a link without one is a type-4 street (open, general urban) with few trees.</summary>
    public static readonly Port<IReadOnlyList<StreetProfile>> StreetProfiles = new(
        "street-profiles", "-", "SRM1 road type (1–4) and tree factor per road link.");

    /// <summary>The points to compute the concentrations at (e.g. façades, schools, monitoring stations).</summary>
    public static readonly Port<IReadOnlyList<AirReceptor>> Receptors = new(
        "air-receptors", "m", "Receptor points in RD New where the concentrations are computed.");

    /// <summary>The background concentrations (GCN) and ozone.</summary>
    public static readonly Port<AirBackground> Background = new(
        "air-background", "µg/m³", "Annual-mean background concentrations (RIVM GCN) of NO2, PM10, PM2.5 and ozone.");

    /// <summary>The annual-mean concentrations at the receptors.</summary>
    public static readonly Port<IReadOnlyList<AirConcentration>> ReceptorConcentrations = new(
        "air-receptor-concentrations", "µg/m³", "Annual-mean NO2, PM10 and PM2.5 at each receptor: background plus the SRM1 street contribution.");

    /// <summary>The annual-mean concentrations on a regular grid over the road network.</summary>
    public static readonly Port<IReadOnlyList<AirConcentration>> GridConcentrations = new(
        "air-grid-concentrations", "µg/m³", "Annual-mean NO2, PM10 and PM2.5 at the centre of each grid cell over the road network.");
}

/// <summary>The SRM1 road type: how the buildings along the street hold the exhaust (Rbl 2007 bijlage 1 / CAR II).</summary>
public enum StreetType
{
    /// <summary>Type 1: wide street canyon or wide profile; valid to 60 m from the axis.</summary>
    WideCanyon = 1,

    /// <summary>Type 2: narrow street canyon (buildings on both sides, close to the road); valid to 30 m.</summary>
    NarrowCanyon = 2,

    /// <summary>Type 3: buildings on one side; valid to 30 m.</summary>
    OneSided = 3,

    /// <summary>Type 4: general urban, open on both sides; valid to 60 m.</summary>
    Open = 4,
}

/// <summary>How much the tree crowns over a street hold the exhaust (the SRM1 tree factor F_b).</summary>
public enum TreeCover
{
    /// <summary>Few or no trees: F_b = 1.0.</summary>
    FewOrNone,

    /// <summary>Some trees, gaps in the crowns: F_b = 1.25.</summary>
    Some,

    /// <summary>Crowns that close over the street: F_b = 1.5.</summary>
    Dense,
}

/// <summary>The SRM1 street profile of one link.</summary>
/// <param name="LinkId">The <c>RoadLink.Id</c>.</param>
/// <param name="Type">The SRM1 road type.</param>
/// <param name="Trees">The tree cover.</param>
public sealed record StreetProfile(string LinkId, StreetType Type, TreeCover Trees);

/// <summary>A point to compute the concentrations at.</summary>
/// <param name="Id">The receptor's id (e.g. a BAG pand id or a station code).</param>
/// <param name="Location">The point in RD New, metres.</param>
public sealed record AirReceptor(string Id, Point Location);

/// <summary>Annual-mean background concentrations, µg/m³: the RIVM GCN grid value at the area (one value for the area).</summary>
/// <param name="No2">NO2 background.</param>
/// <param name="Pm10">PM10 background (after the sea-salt correction if the municipality applies it).</param>
/// <param name="Pm25">PM2.5 background.</param>
/// <param name="O3">Ozone background: what turns emitted NO into NO2.</param>
public sealed record AirBackground(double No2, double Pm10, double Pm25, double O3);

/// <summary>The annual-mean concentrations at one point, µg/m³.</summary>
/// <param name="Id">The receptor's id, or the grid cell's <c>column-row</c> from the south-west corner.</param>
/// <param name="X">RD New X of the point, metres.</param>
/// <param name="Y">RD New Y of the point, metres.</param>
/// <param name="No2">NO2: background plus street contribution.</param>
/// <param name="Pm10">PM10: background plus street contribution.</param>
/// <param name="Pm25">PM2.5: background plus street contribution.</param>
/// <param name="No2Street">The street's NO2 contribution (after the ozone chemistry).</param>
/// <param name="NoxStreet">The street's NOx contribution.</param>
/// <param name="Pm10Street">The street's PM10 contribution.</param>
/// <param name="Pm25Street">The street's PM2.5 contribution.</param>
/// <param name="StreetLinkId">
/// The link that gives the largest NOx contribution (the point's street), or <c>null</c> when no link has the
/// point inside its SRM1 domain: then the values are background only.
/// </param>
/// <param name="DistanceToAxis">The distance from the point to that link's axis in metres, or <c>null</c>.</param>
public sealed record AirConcentration(
    string Id,
    double X,
    double Y,
    double No2,
    double Pm10,
    double Pm25,
    double No2Street,
    double NoxStreet,
    double Pm10Street,
    double Pm25Street,
    string? StreetLinkId,
    double? DistanceToAxis);
