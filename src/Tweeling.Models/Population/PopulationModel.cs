using System.Runtime.CompilerServices;
using Tweeling.Domain.Scenarios;
using NetTopologySuite.Geometries;
using Tweeling.Models.City;
using Tweeling.Models.Facilities;
using Tweeling.Models.Graph;
using Tweeling.Models.Green;

namespace Tweeling.Models.Population;

/// <summary>
/// Population and households per buurt from the dwelling stock (issue 6 item 2a; docs/models/bevolking.md):
/// dwellings × occupancy by type and tenure, calibrated per buurt on the baseline's statistics, spread over the
/// buurt's age profile, and aged by N years with a cohort shift.
/// </summary>
public sealed class PopulationModel : IImpactModel
{
    /// <summary>The model's id, also its algorithm-register id.</summary>
    public const string ModelId = "bevolking";

    /// <summary>
    /// Persons per owner-occupied dwelling by <see cref="DwellingType"/>: chosen so that Dordrecht's mix (about 40%
    /// flats) gives its 2.13 persons per dwelling (CBS Kerncijfers wijken en buurten 2024, 85984NED: 122,070
    /// inhabitants in 57,276 dwellings); the same figures as the demo city's <c>inwoners</c>.
    /// </summary>
    public static readonly IReadOnlyList<double> OccupancyByType = [1.65, 2.45, 2.45, 2.65, 2.75];

    /// <summary>Occupancy factor by <see cref="Tenure"/>: rented dwellings hold smaller households than owned ones of the same type.</summary>
    public static readonly IReadOnlyList<double> OccupancyFactorByTenure = [1.0, 0.95, 0.85];

    /// <summary>Households per dwelling: 3.5% of dwellings are vacant or second homes.</summary>
    public const double HouseholdsPerDwelling = 0.965;

    /// <summary>The width in years of the CBS age groups 0–15, 15–25, 25–45 and 45–65 (65+ is open).</summary>
    public static readonly IReadOnlyList<int> AgeGroupWidths = [15, 10, 20, 20];

    /// <summary>
    /// The age profile used where neither the buurt nor the city has one: the Netherlands on 1 January 2024, rounded
    /// (CBS StatLine 03759ned, Bevolking op 1 januari; 0–15 15.6%, 15–25 12.4%, 25–45 25.4%, 45–65 26.4%, 65+ 20.2%).
    /// </summary>
    public static readonly IReadOnlyList<double> NationalAgeProfile = [0.156, 0.124, 0.254, 0.264, 0.202];

    /// <summary>
    /// The share of 65–74-year-olds among the 65+: the Netherlands on 1 January 2024, rounded (CBS StatLine 03759ned,
    /// Bevolking op 1 januari; about 1.9 of 3.6 million 65+ are 65–74) [M]. CBS buurt figures stop at 65+, so this
    /// national share splits the open band for the facility norms (intramural care counts the 75+).
    /// </summary>
    public const double Aged65To74ShareOf65Plus = 0.54;

    // The sums per buurt of baseline stocks seen, by list (read only once made, so shared between runs and threads).
    private static readonly ConditionalWeakTable<IReadOnlyList<DwellingStock>, Dictionary<string, (int Count, double Residents, double Households)>> s_baselineSums = [];

    // The residents' centre sums per buurt of baseline stocks seen, by list (as above).
    private static readonly ConditionalWeakTable<IReadOnlyList<DwellingStock>, Dictionary<string, (double X, double Y, double Weight)>> s_baselineCentres = [];

    /// <inheritdoc />
    public ModelDescriptor Descriptor { get; } = new(
        ModelId,
        "1.1.0",
        "Population and households per buurt from dwellings (occupancy by type and tenure), with ageing",
        [CityPorts.Dwellings, CityPorts.BaselineDwellings, CityPorts.BuurtStatistics, CityPorts.AgeingYears, CityPorts.BuurtAreas],
        [PopulationPorts.Population, FacilitiesPorts.Population, GreenPorts.Neighbourhoods]);

    /// <inheritdoc />
    public void Run(ModelRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var stock = run.Input(CityPorts.Dwellings);
        var baselineStock = run.Input(CityPorts.BaselineDwellings);
        // The baseline's stock is the same list in every edit of every scenario on that city: summed once; a scenario's
        // sums are the baseline's but in the buurten whose dwellings it changed.
        var baseline = s_baselineSums.GetValue(baselineStock, Sum);
        var dwellings = DwellingChanges.PerBuurt(stock, baselineStock, baseline, Sum);
        var statistics = run.Input(CityPorts.BuurtStatistics).ToDictionary(s => s.Buurtcode, StringComparer.Ordinal);
        var years = run.Input(CityPorts.AgeingYears);
        var cityProfile = Profile(statistics.Values.Where(s => s.AgeGroups is { Count: 5 }).Select(s => s.AgeGroups!)) ?? NationalAgeProfile;

        var result = new List<BuurtResidents>();
        // Every buurt with dwellings before or after: a buurt whose dwellings are all demolished shows as 0, not as missing.
        foreach (var code in dwellings.Keys.Union(baseline.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var now = dwellings.GetValueOrDefault(code);
            statistics.TryGetValue(code, out var observed);
            baseline.TryGetValue(code, out var before);

            // Calibration: the factor that makes the baseline stock reproduce the buurt's own figure; 1 where the buurt
            // has no figure or no baseline dwellings (a new neighbourhood).
            var residentFactor = observed?.Residents is > 0 && before.Residents > 0 ? observed.Residents.Value / before.Residents : 1.0;
            var householdFactor = observed?.Households is > 0 && before.Households > 0 ? observed.Households.Value / before.Households : 1.0;
            var residents = now.Residents * residentFactor;
            var profile = observed?.AgeGroups is { Count: 5 } own ? Profile([own]) ?? cityProfile : cityProfile;
            var ages = Age([.. profile.Select(share => share * residents)], years);
            result.Add(new BuurtResidents(code, now.Count, now.Households * householdFactor, residents, ages));
        }

        run.Output(PopulationPorts.Population, result);
        var centres = DwellingChanges.PerBuurt(stock, baselineStock, s_baselineCentres.GetValue(baselineStock, Centres), Centres);
        run.Output(FacilitiesPorts.Population, FacilityBands(result, centres, run.Input(CityPorts.BuurtAreas)));
        var inhabitants = result.ToDictionary(r => r.Buurtcode, r => r.Residents, StringComparer.Ordinal);
        // Every buurt, so every dwelling's buurt is there; whole persons, as the green model counts inhabitants.
        run.Output(GreenPorts.Neighbourhoods, [.. run.Input(CityPorts.BuurtAreas).Select(b =>
            new Neighbourhood(b.Code, b.Area, (int)Math.Round(inhabitants.GetValueOrDefault(b.Code), MidpointRounding.AwayFromZero)))]);
    }

    /// <summary>
    /// Splits the CBS age groups into the facility norms' bands, assuming ages spread evenly within a CBS group (as
    /// <see cref="Age"/> does): 0–3 is 4/15 of 0–15, 4–11 is 8/15, 12–17 is 3/15 of 0–15 plus 3/10 of 15–25, 18–64 is
    /// the other 7/10 of 15–25 plus 25–45 and 45–65, and the open 65+ splits by <see cref="Aged65To74ShareOf65Plus"/>.
    /// </summary>
    public static BuurtPopulation Bands(string buurtcode, Point centre, IReadOnlyList<double> ageGroups)
    {
        ArgumentNullException.ThrowIfNull(ageGroups);
        var (g0, g1, g2, g3, g4) = (ageGroups[0], ageGroups[1], ageGroups[2], ageGroups[3], ageGroups[4]);
        return new BuurtPopulation(
            buurtcode,
            centre,
            g0 * 4 / 15,
            g0 * 8 / 15,
            (g0 * 3 / 15) + (g1 * 3 / 10),
            (g1 * 7 / 10) + g2 + g3,
            g4 * Aged65To74ShareOf65Plus,
            g4 * (1 - Aged65To74ShareOf65Plus));
    }

    // Per buurt, the residents' centre sums: Σ x × weight, Σ y × weight and Σ weight over its dwellings, weighted by occupancy.
    private static Dictionary<string, (double X, double Y, double Weight)> Centres(IReadOnlyList<DwellingStock> stock)
    {
        var sums = new Dictionary<string, (double X, double Y, double Weight)>(StringComparer.Ordinal);
        foreach (var d in stock)
        {
            var weight = d.Count * OccupancyByType[(int)d.Type] * OccupancyFactorByTenure[(int)d.Tenure];
            var (x, y, w) = sums.GetValueOrDefault(d.Buurtcode);
            sums[d.Buurtcode] = (x + (d.Location.X * weight), y + (d.Location.Y * weight), w + weight);
        }

        return sums;
    }

    private static List<BuurtPopulation> FacilityBands(List<BuurtResidents> residents, Dictionary<string, (double X, double Y, double Weight)> sums, IReadOnlyList<BuurtArea> areas)
    {
        // The residents' centre: the centroid of the buurt's dwellings weighted by their occupancy; a buurt without
        // dwellings (all demolished) falls back on its polygon's interior point.
        var polygons = areas.ToDictionary(a => a.Code, a => a.Area, StringComparer.Ordinal);
        var bands = new List<BuurtPopulation>(residents.Count);
        foreach (var r in residents)
        {
            if (!polygons.TryGetValue(r.Buurtcode, out var polygon))
            {
                throw new ArgumentException($"Buurt '{r.Buurtcode}' has dwellings but no polygon in '{CityPorts.BuurtAreas.Name}'.");
            }

            var centre = sums.TryGetValue(r.Buurtcode, out var s) && s.Weight > 0
                ? polygon.Factory.CreatePoint(new Coordinate(s.X / s.Weight, s.Y / s.Weight))
                : polygon.InteriorPoint;
            bands.Add(Bands(r.Buurtcode, centre, r.AgeGroups));
        }

        return bands;
    }

    /// <summary>
    /// Shifts residents per age group by <paramref name="years"/> years, assuming ages spread evenly within a group:
    /// each year 1/width of a group moves up one group, and 65+ keeps everyone who reaches it. A cohort shift without
    /// births, deaths or migration: it keeps the total, and says where the same people will be.
    /// </summary>
    public static IReadOnlyList<double> Age(IReadOnlyList<double> groups, int years)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentOutOfRangeException.ThrowIfNegative(years);
        var current = groups.ToArray();
        for (var year = 0; year < years; year++)
        {
            var next = (double[])current.Clone();
            for (var k = 0; k < AgeGroupWidths.Count; k++)
            {
                var moving = current[k] / AgeGroupWidths[k];
                next[k] -= moving;
                next[k + 1] += moving;
            }

            current = next;
        }

        return current;
    }

    private static double[]? Profile(IEnumerable<IReadOnlyList<double>> groups)
    {
        var sums = new double[5];
        foreach (var g in groups)
        {
            for (var k = 0; k < 5; k++)
            {
                sums[k] += Math.Max(0, g[k]);
            }
        }

        var total = sums.Sum();
        return total > 0 ? [.. sums.Select(s => s / total)] : null;
    }

    private static Dictionary<string, (int Count, double Residents, double Households)> Sum(IReadOnlyList<DwellingStock> stock)
    {
        var sums = new Dictionary<string, (int Count, double Residents, double Households)>(StringComparer.Ordinal);
        foreach (var d in stock)
        {
            var (count, residents, households) = sums.GetValueOrDefault(d.Buurtcode);
            sums[d.Buurtcode] = (
                count + d.Count,
                residents + (d.Count * OccupancyByType[(int)d.Type] * OccupancyFactorByTenure[(int)d.Tenure]),
                households + (d.Count * HouseholdsPerDwelling));
        }

        return sums;
    }
}
