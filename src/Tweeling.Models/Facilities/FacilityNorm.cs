namespace Tweeling.Models.Facilities;

/// <summary>
/// Users of a facility per inhabitant of each age group, in the facility's capacity unit: demand of a buurt
/// is Σ_age (inhabitants_age × rate_age) (<c>shared/reference/models.md</c> §5, "Method for ageing and care scenarios").
/// </summary>
/// <param name="Aged0To3">Capacity units needed per inhabitant aged 0–3.</param>
/// <param name="Aged4To11">Per inhabitant aged 4–11.</param>
/// <param name="Aged12To17">Per inhabitant aged 12–17.</param>
/// <param name="Aged18To64">Per inhabitant aged 18–64.</param>
/// <param name="Aged65To74">Per inhabitant aged 65–74.</param>
/// <param name="Aged75Plus">Per inhabitant aged 75 and over.</param>
public sealed record AgeRates(double Aged0To3, double Aged4To11, double Aged12To17, double Aged18To64, double Aged65To74, double Aged75Plus)
{
    /// <summary>The same rate for every age group.</summary>
    public static AgeRates All(double rate) => new(rate, rate, rate, rate, rate, rate);
}

/// <summary>
/// The planning norm of one facility kind: how much capacity the inhabitants need, in which unit, and how
/// far they may travel to it (the 2SFCA catchment).
/// </summary>
/// <param name="Kind">The facility kind it applies to (<c>voorzieningen.type</c>).</param>
/// <param name="CapacityUnit">The unit of capacity and demand (<c>capaciteitseenheid</c>); a facility of this kind in another unit is an input error.</param>
/// <param name="Demand">Capacity units per inhabitant by age group.</param>
/// <param name="CatchmentMetres">The catchment t₀ of 2SFCA as a travel distance in metres: a facility serves, and is reachable from, every buurt within it.</param>
/// <param name="Source">Where the demand rate comes from, with its confidence tag ([V], [M], [D]).</param>
public sealed record FacilityNorm(string Kind, string CapacityUnit, AgeRates Demand, double CatchmentMetres, string Source)
{
    /// <summary>NZa standard GP practice since 2018: 2,095 registered patients per FTE GP (models.md §5, [V]).</summary>
    public const double PatientsPerGpFte = 2_095;

    /// <summary>
    /// The norms of the five kinds with a Dutch planning norm in models.md §5. The catchments are this
    /// model's choice (about twice the national mean distance CBS reports for GP and pharmacy, 1.1 and 1.3 km;
    /// walking or cycling distance for school and childcare; a wider area for nursing homes), not a norm.
    /// </summary>
    public static IReadOnlyList<FacilityNorm> Dutch { get; } =
    [
        new("huisarts", "fte", AgeRates.All(1 / PatientsPerGpFte), 2_000,
            "NZa normpraktijk: 2,095 ingeschreven patiënten per fte huisarts (sinds 2018) [V]"),
        new("apotheek", "patienten", AgeRates.All(1), 2_500,
            "Iedere inwoner is patiënt van één apotheek; ≈ 1 apotheek per 8.500–9.000 inwoners [M]"),
        new("basisschool", "leerlingplaatsen", new(0, 1, 0, 0, 0, 0), 1_500,
            "Leerlingen = kinderen van 4–11 jaar × deelname; deelname 1 (leerplicht vanaf 5 jaar, bijna alle 4-jarigen gaan) [M]"),
        new("kinderopvang", "kindplaatsen", new(0.5, 0, 0, 0, 0, 0), 1_500,
            "Vraag = kinderen van 0–3 jaar × gebruik; gebruik ≈ de helft [M]"),
        new("verpleeghuis", "bedden", new(0, 0, 0, 0, 0, 0.075), 5_000,
            "≈ 70–80 intramurale plaatsen per 1.000 inwoners van 75+ (afgeleid uit CBS 2010: 14% van de 80-plussers) [D]"),
    ];
}
