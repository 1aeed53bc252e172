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
public sealed partial class FacilitiesModel : IIncrementalModel
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

        var kinds = new KindRun[_norms.Count];
        for (var n = 0; n < _norms.Count; n++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var ofKind = OfKind(facilities, _norms[n]);
            if (ofKind.Select(f => Problem(_norms[n], f)).FirstOrDefault(p => p is not null) is { } problem)
            {
                throw new ArgumentException(problem);
            }

            kinds[n] = Share(_norms[n], population, ofKind);
        }

        Write(run, population, kinds);
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

    /// <summary>The facilities of the norm's kind, in input order.</summary>
    private static Facility[] OfKind(IReadOnlyList<Facility> facilities, FacilityNorm norm) =>
        [.. facilities.Where(f => string.Equals(f.Kind, norm.Kind, StringComparison.Ordinal))];

    /// <summary>Both outputs, every kind's rows in norm order, and the run's state kept for the next edit to start from.</summary>
    private void Write(ModelRun run, IReadOnlyList<BuurtPopulation> population, KindRun[] kinds)
    {
        var supply = new List<BuurtFacilitySupply>(population.Count * kinds.Length);
        var load = new List<FacilityLoad>(kinds.Sum(k => k.Load.Length));
        foreach (var kind in kinds)
        {
            supply.AddRange(kind.Supply);
            load.AddRange(kind.Load);
        }

        run.Output(FacilitiesPorts.Supply, supply);
        run.Output(FacilitiesPorts.Load, load);
        _states.Keep(supply, new RunState(population, kinds));
    }

    /// <summary>One kind computed from scratch: demand per buurt, the catchments, step 1 per facility and step 2 per buurt.</summary>
    private KindRun Share(FacilityNorm norm, IReadOnlyList<BuurtPopulation> population, Facility[] ofKind)
    {
        var demand = population.Select(b => Demand(b, norm)).ToArray();

        // inReach[j][k]: whether buurt k is within facility j's catchment; travel is symmetric, so the same
        // test defines the facility's catchment (step 1) and the buurt's (step 2).
        var inReach = ofKind.Select(f => population.Select(b => InReach(f, b, norm)).ToArray()).ToArray();

        var demandInCatchment = new double[ofKind.Length];
        var ratioPerFacility = new double[ofKind.Length];
        var load = new FacilityLoad[ofKind.Length];
        for (var j = 0; j < ofKind.Length; j++)
        {
            demandInCatchment[j] = DemandInCatchment(inReach[j], demand);
            ratioPerFacility[j] = Ratio(ofKind[j], demandInCatchment[j]);
            load[j] = Load(ofKind[j], norm, demandInCatchment[j]);
        }

        var supply = new BuurtFacilitySupply[population.Count];
        for (var i = 0; i < population.Count; i++)
        {
            supply[i] = Supply(norm, population[i].Buurtcode, i, demand[i], ofKind, inReach, ratioPerFacility);
        }

        return new KindRun(ofKind, inReach, demand, demandInCatchment, ratioPerFacility, supply, load);
    }

    /// <summary>Whether buurt <paramref name="buurt"/> is within facility <paramref name="facility"/>'s catchment (straight line × detour factor).</summary>
    private bool InReach(Facility facility, BuurtPopulation buurt, FacilityNorm norm) =>
        facility.Location.Distance(buurt.Centre) * _detourFactor <= norm.CatchmentMetres;

    /// <summary>Σ_k P_k over the buurten in one facility's catchment, summed in buurt order (the order fixes the bits).</summary>
    private static double DemandInCatchment(bool[] inReach, double[] demand)
    {
        var sum = 0.0;
        for (var k = 0; k < demand.Length; k++)
        {
            sum += inReach[k] ? demand[k] : 0;
        }

        return sum;
    }

    /// <summary>Step 1: the facility's capacity per unit of demand in its catchment, R_j = S_j / Σ_k P_k; 0 with no demand in reach (nothing to share).</summary>
    private static double Ratio(Facility facility, double demandInCatchment) =>
        demandInCatchment > 0 ? facility.Capacity / demandInCatchment : 0;

    private static FacilityLoad Load(Facility facility, FacilityNorm norm, double demandInCatchment) =>
        new(facility.Id, norm.Kind, facility.Capacity, demandInCatchment, demandInCatchment / facility.Capacity);

    /// <summary>Step 2: buurt <paramref name="i"/>'s accessibility A_i = Σ_j R_j over the facilities in its catchment, in facility order.</summary>
    private static BuurtFacilitySupply Supply(
        FacilityNorm norm, string buurtcode, int i, double demand, Facility[] ofKind, bool[][] inReach, double[] ratioPerFacility)
    {
        double ratio = 0, capacityInCatchment = 0;
        var count = 0;
        for (var j = 0; j < ofKind.Length; j++)
        {
            if (inReach[j][i])
            {
                ratio += ratioPerFacility[j];
                capacityInCatchment += ofKind[j].Capacity;
                count++;
            }
        }

        var accessible = ratio * demand;
        return new(buurtcode, norm.Kind, norm.CapacityUnit, demand, capacityInCatchment, accessible, ratio, Math.Max(0, demand - accessible), count);
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

            if (Problem(buurt) is { } problem)
            {
                throw new ArgumentException(problem);
            }
        }
    }

    /// <summary>What is wrong with <paramref name="buurt"/> (no centre, a negative or non-finite count), or <c>null</c>.</summary>
    private static string? Problem(BuurtPopulation buurt)
    {
        if (buurt.Centre is null || buurt.Centre.IsEmpty)
        {
            return $"Buurt '{buurt.Buurtcode}' has no residents' centre.";
        }

        double[] counts = [buurt.Aged0To3, buurt.Aged4To11, buurt.Aged12To17, buurt.Aged18To64, buurt.Aged65To74, buurt.Aged75Plus];
        return counts.Any(c => !double.IsFinite(c) || c < 0)
            ? $"Buurt '{buurt.Buurtcode}' has a negative or non-finite number of inhabitants in an age group."
            : null;
    }

    /// <summary>What is wrong with <paramref name="facility"/> of the norm's kind (another unit, a capacity that is not positive, no location), or <c>null</c>.</summary>
    private static string? Problem(FacilityNorm norm, Facility facility)
    {
        if (!string.Equals(facility.CapacityUnit, norm.CapacityUnit, StringComparison.Ordinal))
        {
            return $"Facility '{facility.Id}' ({norm.Kind}) has its capacity in '{facility.CapacityUnit}'; the norm counts in '{norm.CapacityUnit}'.";
        }

        if (!double.IsFinite(facility.Capacity) || facility.Capacity <= 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"Facility '{facility.Id}' ({norm.Kind}) has capacity {facility.Capacity}; it must be positive.");
        }

        return facility.Location is null || facility.Location.IsEmpty ? $"Facility '{facility.Id}' ({norm.Kind}) has no location." : null;
    }
}
