using NetTopologySuite.Geometries;

namespace Tweeling.Models.Green;

/// <summary>A neighbourhood (CBS buurt) with its population.</summary>
/// <param name="Code">The CBS buurtcode, e.g. <c>BU05050101</c>.</param>
/// <param name="Area">The buurt polygon in RD New metres.</param>
/// <param name="Inhabitants">Registered inhabitants (BRP or the scenario's population), ≥ 0.</param>
public sealed record Neighbourhood(string Code, Geometry Area, int Inhabitants);

/// <summary>A public green space: park, plantsoen, public lawn or woodland (BGT begroeid terreindeel in public ownership).</summary>
/// <param name="Id">The feature id.</param>
/// <param name="Area">The polygon in RD New metres.</param>
public sealed record GreenSpace(string Id, Geometry Area);

/// <summary>A tree (municipal tree register or canopy detection).</summary>
/// <param name="Id">The feature id.</param>
/// <param name="Location">The trunk in RD New metres.</param>
/// <param name="CrownDiameterM">The crown diameter, m; its disc is the tree's canopy.</param>
public sealed record TreeLocation(string Id, Point Location, double CrownDiameterM);

/// <summary>A dwelling (BAG verblijfsobject with a residential function).</summary>
/// <param name="Id">The feature id.</param>
/// <param name="Location">The dwelling's point in RD New metres.</param>
/// <param name="NeighbourhoodCode">The buurtcode of the buurt it is in.</param>
public sealed record Dwelling(string Id, Point Location, string NeighbourhoodCode);

/// <summary>Green per neighbourhood.</summary>
/// <param name="Code">The buurtcode.</param>
/// <param name="Inhabitants">Inhabitants.</param>
/// <param name="PublicGreenM2">Public green inside the buurt, m² (overlapping green spaces count once).</param>
/// <param name="GreenM2PerInhabitant">Public green per inhabitant, m²/inhabitant; <c>null</c> for a buurt without inhabitants.</param>
/// <param name="CanopyShare">Tree canopy cover of the buurt, 0–1.</param>
/// <param name="MeetsCanopyTarget">Whether the canopy share reaches the 3-30-300 target (30 %).</param>
public sealed record NeighbourhoodGreen(string Code, int Inhabitants, double PublicGreenM2, double? GreenM2PerInhabitant, double CanopyShare, bool MeetsCanopyTarget);

/// <summary>The 3-30-300 rule for one dwelling.</summary>
/// <param name="DwellingId">The <see cref="Dwelling.Id"/>.</param>
/// <param name="TreesNearby">Trees within the visibility radius (the proxy for "sees from home").</param>
/// <param name="MeetsTrees">At least 3 trees nearby.</param>
/// <param name="MeetsCanopy">Its buurt has at least 30 % canopy cover.</param>
/// <param name="DistanceToParkM">Straight-line distance to the nearest park of the minimum size, m; <c>null</c> when there is none.</param>
/// <param name="MeetsPark">That park is within 300 m.</param>
public sealed record DwellingGreen(string DwellingId, int TreesNearby, bool MeetsTrees, bool MeetsCanopy, double? DistanceToParkM, bool MeetsPark)
{
    /// <summary>All three parts of 3-30-300.</summary>
    public bool MeetsAll => MeetsTrees && MeetsCanopy && MeetsPark;
}

/// <summary>The headline green figures.</summary>
/// <param name="GreenM2PerInhabitant">Public green per inhabitant over all buurten, m²/inhabitant (0 without inhabitants).</param>
/// <param name="Dwellings">Dwellings assessed.</param>
/// <param name="MeetsTreesShare">Share of dwellings with 3 trees nearby, 0–1.</param>
/// <param name="MeetsCanopyShare">Share of dwellings in a buurt with 30 % canopy, 0–1.</param>
/// <param name="MeetsParkShare">Share of dwellings within 300 m of a park, 0–1.</param>
/// <param name="MeetsAllShare">Share of dwellings meeting all of 3-30-300, 0–1.</param>
public sealed record GreenSummary(double GreenM2PerInhabitant, int Dwellings, double MeetsTreesShare, double MeetsCanopyShare, double MeetsParkShare, double MeetsAllShare);

/// <summary>The parameters of the green model (docs/models/groen.md).</summary>
/// <param name="TreeVisibilityRadiusM">Trees within this distance of a dwelling count as seen from it, m: the proxy for "3 trees in view".</param>
/// <param name="MinimumTrees">Trees needed nearby (3).</param>
/// <param name="CanopyTarget">Canopy share a buurt needs (0.30).</param>
/// <param name="ParkDistanceM">The furthest a park may be, m (300).</param>
/// <param name="MinimumParkAreaM2">The smallest green space that counts as a park, m² (1 ha: the upper end of WHO Europe's 0.5–1 ha).</param>
public sealed record GreenSettings(double TreeVisibilityRadiusM, int MinimumTrees, double CanopyTarget, double ParkDistanceM, double MinimumParkAreaM2)
{
    /// <summary>3 trees within 30 m, 30 % canopy, a park of 1 ha within 300 m.</summary>
    public static GreenSettings Default { get; } = new(30, 3, 0.30, 300, 10_000);
}
