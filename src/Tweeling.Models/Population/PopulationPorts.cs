using Tweeling.Models.Graph;

namespace Tweeling.Models.Population;

/// <summary>
/// Residents and households of one buurt as the population model estimates them.
/// </summary>
/// <param name="Buurtcode">The CBS buurt code.</param>
/// <param name="Dwellings">Dwellings in the buurt.</param>
/// <param name="Households">Private households (not rounded).</param>
/// <param name="Residents">Residents (not rounded).</param>
/// <param name="AgeGroups">Residents aged 0–15, 15–25, 25–45, 45–65 and 65+ (the CBS groups); they sum to <paramref name="Residents"/>.</param>
public sealed record BuurtResidents(string Buurtcode, int Dwellings, double Households, double Residents, IReadOnlyList<double> AgeGroups);

/// <summary>The ports of the population model (<c>bevolking</c>).</summary>
public static class PopulationPorts
{
    /// <summary>Residents, households and age groups per buurt, by buurt code.</summary>
    public static readonly Port<IReadOnlyList<BuurtResidents>> Population = new(
        "population", "persons, households", "Residents, households and residents per CBS age group (0–15, 15–25, 25–45, 45–65, 65+) per buurt.");
}
