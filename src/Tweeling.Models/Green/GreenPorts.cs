using Tweeling.Models.Graph;

namespace Tweeling.Models.Green;

/// <summary>The ports of the green model (<see cref="GreenModel"/>).</summary>
public static class GreenPorts
{
    /// <summary>The buurten with their population.</summary>
    public static readonly Port<IReadOnlyList<Neighbourhood>> Neighbourhoods = new(
        "neighbourhoods", "inhabitants", "CBS buurten: code, polygon in RD New metres, inhabitants.");

    /// <summary>The public green spaces.</summary>
    public static readonly Port<IReadOnlyList<GreenSpace>> PublicGreen = new(
        "public-green", "m²", "Public green polygons in RD New metres: parks, plantsoenen, public lawns and woodland.");

    /// <summary>The trees.</summary>
    public static readonly Port<IReadOnlyList<TreeLocation>> Trees = new("trees", "m", "Trees: trunk point in RD New metres and crown diameter in metres.");

    /// <summary>The dwellings.</summary>
    public static readonly Port<IReadOnlyList<Dwelling>> Dwellings = new("green-dwellings", "-", "Dwellings: point in RD New metres and buurtcode.");

    /// <summary>Green per buurt.</summary>
    public static readonly Port<IReadOnlyList<NeighbourhoodGreen>> PerNeighbourhood = new(
        "green-per-neighbourhood", "m²/inhabitant", "Per buurt: public green in m² and m²/inhabitant, canopy share and whether it reaches 30 %.");

    /// <summary>3-30-300 per dwelling.</summary>
    public static readonly Port<IReadOnlyList<DwellingGreen>> PerDwelling = new(
        "green-3-30-300", "-", "Per dwelling: trees nearby, canopy of its buurt, distance to a park in metres, and which parts of 3-30-300 it meets.");

    /// <summary>The headline figures.</summary>
    public static readonly Port<GreenSummary> Summary = new(
        "green-summary", "-", "Public green per inhabitant (m²) and the shares of dwellings meeting 3, 30, 300 and all three.");
}
