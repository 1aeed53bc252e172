using System.Globalization;
using Tweeling.Models.City;
using Tweeling.Models.Graph;

namespace Tweeling.Models.Facilities;

/// <summary>
/// Facility demand against capacity per buurt (model <c>voorzieningen</c>, docs/models/voorzieningen.md):
/// demand from inhabitants by age group and the Dutch planning norms (models.md §5), capacity shared over
/// the demand in reach by the two-step floating catchment area method (2SFCA, Luo &amp; Wang 2003; models.md §6).
/// </summary>
/// <remarks>
/// Travel distance is the straight-line distance from a buurt's residents' centre to the facility times a
/// detour factor (models.md §6: 1.2–1.4 when only straight-line distance is available [M]); the catchment
/// is a step (full weight inside, none outside), as in the original 2SFCA. Facilities of kinds without a
/// norm (supermarkets, parks, …) are left out.
/// </remarks>
public sealed class FacilitiesModel : IImpactModel
{
    /// <summary>The model's id, also its algorithm-register id.</summary>
    public const string ModelId = "voorzieningen";

    /// <summary>The default detour factor: the middle of the 1.2–1.4 range of models.md §6 [M].</summary>
    public const double DefaultDetourFactor = 1.3;

    private readonly IReadOnlyList<FacilityNorm> _norms;
    private readonly double _detourFactor;

    /// <summary>A model with the given norms (default <see cref="FacilityNorm.Dutch"/>) and detour factor.</summary>
    /// <exception cref="ArgumentException">A norm has no kind, an invalid rate or catchment, or a kind twice; or the detour factor is below 1.</exception>
    public FacilitiesModel(IReadOnlyList<FacilityNorm>? norms = null, double detourFactor = DefaultDetourFactor)
    {
        _norms = norms ?? FacilityNorm.Dutch;
        if (!double.IsFinite(detourFactor) || detourFactor < 1)
        {
            throw new ArgumentException($"The detour factor must be at least 1; got {detourFactor}.", nameof(detourFactor));
        }

        foreach (var norm in _norms)
        {
            var d = norm.Demand;
            if (string.IsNullOrWhiteSpace(norm.Kind) || !double.IsFinite(norm.CatchmentMetres) || norm.CatchmentMetres <= 0
                || new[] { d.Aged0To3, d.Aged4To11, d.Aged12To17, d.Aged18To64, d.Aged65To74, d.Aged75Plus }.Any(r => !double.IsFinite(r) || r < 0))
            {
                throw new ArgumentException($"The norm of '{norm.Kind}' needs a kind, rates ≥ 0 and a positive catchment.", nameof(norms));
            }
        }

        if (_norms.GroupBy(n => n.Kind, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"The kind '{twice.Key}' has more than one norm.", nameof(norms));
        }

        _detourFactor = detourFactor;
    }

    /// <inheritdoc />
    public ModelDescriptor Descriptor { get; } = new(
        ModelId,
        "1",
        "Facility demand against capacity per buurt (norms, 2SFCA)",
        [FacilitiesPorts.Population, FacilitiesPorts.Facilities],
        [FacilitiesPorts.Supply, FacilitiesPorts.Load]);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A buurt appears twice or has a negative or non-finite count; a facility of a normed kind has another unit or a capacity that is not positive.</exception>
    public void Run(ModelRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var population = run.Input(FacilitiesPorts.Population);
        var facilities = run.Input(FacilitiesPorts.Facilities);
        Validate(population);

        var supply = new List<BuurtFacilitySupply>(population.Count * _norms.Count);
        var load = new List<FacilityLoad>();
        foreach (var norm in _norms)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var ofKind = facilities.Where(f => string.Equals(f.Kind, norm.Kind, StringComparison.Ordinal)).ToList();
            Validate(norm, ofKind);
            Share(norm, population, ofKind, supply, load);
        }

        run.Output(FacilitiesPorts.Supply, supply);
        run.Output(FacilitiesPorts.Load, load);
    }

    /// <summary>Demand of one buurt for one kind: Σ_age inhabitants_age × rate_age (models.md §5).</summary>
    public static double Demand(BuurtPopulation buurt, FacilityNorm norm)
    {
        ArgumentNullException.ThrowIfNull(buurt);
        ArgumentNullException.ThrowIfNull(norm);
        var r = norm.Demand;
        return (buurt.Aged0To3 * r.Aged0To3) + (buurt.Aged4To11 * r.Aged4To11) + (buurt.Aged12To17 * r.Aged12To17)
            + (buurt.Aged18To64 * r.Aged18To64) + (buurt.Aged65To74 * r.Aged65To74) + (buurt.Aged75Plus * r.Aged75Plus);
    }

    private void Share(
        FacilityNorm norm, IReadOnlyList<BuurtPopulation> population, List<Facility> ofKind, List<BuurtFacilitySupply> supply, List<FacilityLoad> load)
    {
        var demand = population.Select(b => Demand(b, norm)).ToArray();

        // inReach[j][k]: whether buurt k is within facility j's catchment; travel is symmetric, so the same
        // test defines the facility's catchment (step 1) and the buurt's (step 2).
        var inReach = ofKind.Select(f => population.Select(b => f.Location.Distance(b.Centre) * _detourFactor <= norm.CatchmentMetres).ToArray()).ToArray();

        // Step 1: each facility's capacity per unit of demand in its catchment, R_j = S_j / Σ_k P_k.
        // A facility with no demand in reach has nothing to share: R_j = 0.
        var ratioPerFacility = new double[ofKind.Count];
        for (var j = 0; j < ofKind.Count; j++)
        {
            var demandInCatchment = 0.0;
            for (var k = 0; k < population.Count; k++)
            {
                demandInCatchment += inReach[j][k] ? demand[k] : 0;
            }

            ratioPerFacility[j] = demandInCatchment > 0 ? ofKind[j].Capacity / demandInCatchment : 0;
            load.Add(new(ofKind[j].Id, norm.Kind, ofKind[j].Capacity, demandInCatchment, demandInCatchment / ofKind[j].Capacity));
        }

        // Step 2: each buurt's accessibility, A_i = Σ_j R_j over the facilities in its catchment.
        for (var i = 0; i < population.Count; i++)
        {
            double ratio = 0, capacityInCatchment = 0;
            var count = 0;
            for (var j = 0; j < ofKind.Count; j++)
            {
                if (inReach[j][i])
                {
                    ratio += ratioPerFacility[j];
                    capacityInCatchment += ofKind[j].Capacity;
                    count++;
                }
            }

            var accessible = ratio * demand[i];
            supply.Add(new(population[i].Buurtcode, norm.Kind, norm.CapacityUnit, demand[i], capacityInCatchment, accessible, ratio, Math.Max(0, demand[i] - accessible), count));
        }
    }

    private static void Validate(IReadOnlyList<BuurtPopulation> population)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var buurt in population)
        {
            if (!seen.Add(buurt.Buurtcode))
            {
                throw new ArgumentException($"Buurt '{buurt.Buurtcode}' appears more than once in the population.");
            }

            if (buurt.Centre is null || buurt.Centre.IsEmpty)
            {
                throw new ArgumentException($"Buurt '{buurt.Buurtcode}' has no residents' centre.");
            }

            double[] counts = [buurt.Aged0To3, buurt.Aged4To11, buurt.Aged12To17, buurt.Aged18To64, buurt.Aged65To74, buurt.Aged75Plus];
            if (counts.Any(c => !double.IsFinite(c) || c < 0))
            {
                throw new ArgumentException($"Buurt '{buurt.Buurtcode}' has a negative or non-finite number of inhabitants in an age group.");
            }
        }
    }

    private static void Validate(FacilityNorm norm, List<Facility> ofKind)
    {
        foreach (var facility in ofKind)
        {
            if (!string.Equals(facility.CapacityUnit, norm.CapacityUnit, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"Facility '{facility.Id}' ({norm.Kind}) has its capacity in '{facility.CapacityUnit}'; the norm counts in '{norm.CapacityUnit}'.");
            }

            if (!double.IsFinite(facility.Capacity) || facility.Capacity <= 0)
            {
                throw new ArgumentException(string.Create(
                    CultureInfo.InvariantCulture, $"Facility '{facility.Id}' ({norm.Kind}) has capacity {facility.Capacity}; it must be positive."));
            }

            if (facility.Location is null || facility.Location.IsEmpty)
            {
                throw new ArgumentException($"Facility '{facility.Id}' ({norm.Kind}) has no location.");
            }
        }
    }
}
