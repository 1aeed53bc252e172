using Tweeling.Models.City;
using Tweeling.Models.Graph;

namespace Tweeling.Models.Facilities;

/// <summary>
/// The facilities model brought up to date after an edit (<see cref="IIncrementalModel"/>, docs/models/voorzieningen.md
/// "Incremental runs"). A buurt's row reads its own demand and the R_j of the facilities in its catchment; a facility's R_j
/// reads the demand of the buurten in its catchment. So a buurt whose inhabitants or residents' centre changed changes the
/// R_j of the facilities whose catchment held it before or holds it now, and those change the rows of every buurt in their
/// catchment. Only those are computed again, with the full run's sums in the full run's order, so they are bit-equal to a
/// full run's; every other row and load is the earlier run's record itself, which lets the models and reporters
/// downstream pass it by reference.
/// </summary>
public sealed partial class FacilitiesModel
{
    // The state of the last few runs, found by the supply list each wrote. Each holds per kind the catchment matrix
    // (facilities × buurten, 129 × 30 for the demo city's GPs) with the demand and R_j it was summed from. The baseline,
    // and the last run of each of the runner's kept scenarios (ScenarioRunner.KeptScenarioRuns, 4) fit.
    private readonly KeptRunStates<RunState> _states = new(capacity: 8);

    /// <inheritdoc />
    /// <remarks>
    /// Declines (a full run follows) when the earlier run's state is no longer kept, when the buurten both runs list are not
    /// in the same order (a buurt may appear or go), when a code occurs twice, or when a changed buurt or a facility is
    /// invalid (the full run refuses it with its message). A kind whose facilities cannot be paired with the earlier run's
    /// in order (a duplicate id, the kept ones reordered) is computed in full, the other kinds incrementally.
    /// </remarks>
    public bool TryRunIncremental(ModelRun run, PreviousRun previous, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(previous);
        if (_states.Find(previous.Output(FacilitiesPorts.Supply)) is not { } before)
        {
            return false;
        }

        var population = run.Input(FacilitiesPorts.Population);
        var facilities = run.Input(FacilitiesPorts.Facilities);
        if (ChangedBuurten(population, before.Population) is not { } changed)
        {
            return false;
        }

        var kinds = new KindRun[_norms.Count];
        for (var n = 0; n < _norms.Count; n++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var norm = _norms[n];
            var ofKind = OfKind(facilities, norm);
            if (ofKind.Any(f => Problem(norm, f) is not null))
            {
                return false;
            }

            kinds[n] = Update(before.Kinds[n], norm, population, changed, ofKind) ?? Share(norm, population, ofKind);
        }

        Write(run, population, kinds);
        return true;
    }

    /// <summary>
    /// Per buurt, the kept run's buurt with its code, whether its inhabitants or its residents' centre may differ from
    /// that one's (a buurt the kept run did not list has both), and per kept buurt whether it is gone; <c>null</c> when the
    /// buurten both runs list are not in the same order (every sum over the buurten would add in another order), a code
    /// occurs twice, or a changed one is invalid. A buurt is unchanged when it is the same record, or has the same counts
    /// and centre to the bit (the population model writes every buurt's record anew in each run).
    /// </summary>
    /// <remarks>
    /// The population model lists the buurten with dwellings in the baseline or the scenario in code order, so an edit
    /// that gives a buurt its first dwellings inserts it, and one that takes them back out removes it; the others keep
    /// their order.
    /// </remarks>
    private static ChangedPopulation? ChangedBuurten(IReadOnlyList<BuurtPopulation> now, IReadOnlyList<BuurtPopulation> before)
    {
        if (Earlier(now, before) is not { } earlier)
        {
            return null;
        }

        var gone = new bool[before.Count];
        Array.Fill(gone, true);
        var counts = new bool[now.Count];
        var moved = new bool[now.Count];
        var any = now.Count != before.Count;
        for (var i = 0; i < now.Count; i++)
        {
            var b = now[i];
            if (earlier[i] < 0)
            {
                (counts[i], moved[i], any) = (true, true, true);
                if (Problem(b) is not null)
                {
                    return null;
                }

                continue;
            }

            var a = before[earlier[i]];
            gone[earlier[i]] = false;
            if (ReferenceEquals(b, a))
            {
                continue;
            }

            if (Problem(b) is not null)
            {
                return null;
            }

            counts[i] = !(Same(b.Aged0To3, a.Aged0To3) && Same(b.Aged4To11, a.Aged4To11) && Same(b.Aged12To17, a.Aged12To17)
                && Same(b.Aged18To64, a.Aged18To64) && Same(b.Aged65To74, a.Aged65To74) && Same(b.Aged75Plus, a.Aged75Plus));
            moved[i] = !(ReferenceEquals(b.Centre, a.Centre) || (Same(b.Centre.X, a.Centre.X) && Same(b.Centre.Y, a.Centre.Y)));
            any |= counts[i] || moved[i];
        }

        return new ChangedPopulation(earlier, gone, counts, moved, any);
    }

    /// <summary>
    /// Per buurt of <paramref name="now"/>, the index of the buurt with its code in <paramref name="before"/> (−1: none);
    /// <c>null</c> when a code occurs twice in <paramref name="now"/> or the buurten both list are in another order.
    /// </summary>
    private static int[]? Earlier(IReadOnlyList<BuurtPopulation> now, IReadOnlyList<BuurtPopulation> before)
    {
        var earlier = new int[now.Count];
        var sameCodes = now.Count == before.Count;
        for (var i = 0; i < now.Count && sameCodes; i++)
        {
            sameCodes = string.Equals(now[i].Buurtcode, before[i].Buurtcode, StringComparison.Ordinal);
            earlier[i] = i;
        }

        if (sameCodes)
        {
            return earlier;
        }

        // The kept run's codes are distinct: its own run validated them.
        var index = new Dictionary<string, int>(before.Count, StringComparer.Ordinal);
        for (var e = 0; e < before.Count; e++)
        {
            index[before[e].Buurtcode] = e;
        }

        var codes = new HashSet<string>(now.Count, StringComparer.Ordinal);
        var last = -1;
        for (var i = 0; i < now.Count; i++)
        {
            if (!codes.Add(now[i].Buurtcode))
            {
                return null;
            }

            earlier[i] = index.GetValueOrDefault(now[i].Buurtcode, -1);
            if (earlier[i] >= 0)
            {
                if (earlier[i] < last)
                {
                    return null;
                }

                last = earlier[i];
            }
        }

        return earlier;
    }

    /// <summary>
    /// One kind brought up to date from <paramref name="before"/>, or <c>null</c> when its facilities cannot be paired with
    /// the earlier run's (the caller then computes the kind in full).
    /// </summary>
    private KindRun? Update(KindRun before, FacilityNorm norm, IReadOnlyList<BuurtPopulation> population, ChangedPopulation changed, Facility[] ofKind)
    {
        if (Pair(before.Facilities, ofKind) is not { } earlierIndex)
        {
            return null;
        }

        var buurten = population.Count;
        var earlier = changed.Earlier;
        var facilitiesChanged = ofKind.Length != before.Facilities.Length || earlierIndex.Any(e => e < 0);
        if (!changed.Any && !facilitiesChanged)
        {
            return before;
        }

        // Demand: computed again where the counts changed; a buurt whose demand differs in its bits changed for this kind,
        // and so did a buurt the kept run did not list.
        var demand = before.Demand;
        var changedForKind = new bool[buurten];
        if (changed.Any)
        {
            demand = new double[buurten];
            for (var i = 0; i < buurten; i++)
            {
                var e = earlier[i];
                demand[i] = changed.Counts[i] ? Demand(population[i], norm) : before.Demand[e];
                changedForKind[i] = e < 0 || !Same(demand[i], before.Demand[e]);
            }
        }

        // The catchments: a kept facility keeps its row (on this run's buurten) but for the buurten whose centre moved or
        // that are new (a copy where one of them changes or the buurten changed, as the earlier row belongs to the earlier
        // run); a new or changed facility measures every buurt.
        var inReach = new bool[ofKind.Length][];
        for (var j = 0; j < ofKind.Length; j++)
        {
            if (earlierIndex[j] < 0)
            {
                inReach[j] = [.. population.Select(b => InReach(ofKind[j], b, norm))];
                continue;
            }

            var rowBefore = before.InReach[earlierIndex[j]];
            var row = changed.SameBuurten ? rowBefore : [.. earlier.Select(e => e >= 0 && rowBefore[e])];
            for (var i = 0; i < buurten; i++)
            {
                if (changed.Moved[i] && InReach(ofKind[j], population[i], norm) != row[i])
                {
                    row = ReferenceEquals(row, rowBefore) ? (bool[])row.Clone() : row;
                    row[i] = !row[i];
                    changedForKind[i] = true;
                }
            }

            inReach[j] = row;
        }

        // Step 1 again for a new facility and for a kept one whose catchment held or holds a changed buurt: the whole sum,
        // in buurt order, as the full run sums it. R_j "changed" only when its bits differ.
        var demandInCatchment = new double[ofKind.Length];
        var ratio = new double[ofKind.Length];
        var ratioChanged = new bool[ofKind.Length];
        var load = new FacilityLoad[ofKind.Length];
        for (var j = 0; j < ofKind.Length; j++)
        {
            var e = earlierIndex[j];
            if (e >= 0 && !Touches(changed, changedForKind, before.InReach[e], inReach[j]))
            {
                (demandInCatchment[j], ratio[j], load[j]) = (before.DemandInCatchment[e], before.Ratio[e], before.Load[e]);
                continue;
            }

            demandInCatchment[j] = DemandInCatchment(inReach[j], demand);
            ratio[j] = Ratio(ofKind[j], demandInCatchment[j]);
            ratioChanged[j] = e < 0 || !Same(ratio[j], before.Ratio[e]);
            load[j] = e >= 0 && Same(demandInCatchment[j], before.DemandInCatchment[e])
                ? before.Load[e]
                : Load(ofKind[j], norm, demandInCatchment[j]);
        }

        // Step 2 again for a changed buurt and every buurt in the catchment of a facility whose R_j changed, that is new, or
        // that is gone: any other buurt sums the same R_j and capacities of the same facilities in the same order.
        var stale = (bool[])changedForKind.Clone();
        for (var j = 0; j < ofKind.Length; j++)
        {
            if (ratioChanged[j])
            {
                Mark(stale, inReach[j]);
            }
        }

        var kept = new bool[before.Facilities.Length];
        foreach (var e in earlierIndex.Where(e => e >= 0))
        {
            kept[e] = true;
        }

        for (var e = 0; e < kept.Length; e++)
        {
            if (!kept[e])
            {
                for (var i = 0; i < buurten; i++)
                {
                    stale[i] |= earlier[i] >= 0 && before.InReach[e][earlier[i]];
                }
            }
        }

        var supply = new BuurtFacilitySupply[buurten];
        for (var i = 0; i < buurten; i++)
        {
            supply[i] = stale[i] ? Supply(norm, population[i].Buurtcode, i, demand[i], ofKind, inReach, ratio) : before.Supply[earlier[i]];
        }

        return new KindRun(ofKind, inReach, demand, demandInCatchment, ratio, supply, load);
    }

    /// <summary>
    /// Per facility of <paramref name="now"/>, the index of the same facility in <paramref name="before"/> (same id, kind,
    /// place, capacity and unit), or -1 for a new or changed one; <c>null</c> when an id occurs twice or the kept facilities
    /// are not in their earlier order (a buurt's Σ_j R_j would then add in another order).
    /// </summary>
    private static int[]? Pair(Facility[] before, Facility[] now)
    {
        var earlierIndex = new int[now.Length];
        var inOrder = now.Length == before.Length;
        for (var j = 0; j < now.Length && inOrder; j++)
        {
            inOrder = SameFacility(now[j], before[j]);
            earlierIndex[j] = j;
        }

        if (inOrder)
        {
            return earlierIndex;
        }

        var byId = new Dictionary<string, int>(before.Length, StringComparer.Ordinal);
        for (var e = 0; e < before.Length; e++)
        {
            if (!byId.TryAdd(before[e].Id, e))
            {
                return null;
            }
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var last = -1;
        for (var j = 0; j < now.Length; j++)
        {
            if (!ids.Add(now[j].Id))
            {
                return null;
            }

            earlierIndex[j] = byId.TryGetValue(now[j].Id, out var e) && SameFacility(now[j], before[e]) ? e : -1;
            if (earlierIndex[j] >= 0)
            {
                if (earlierIndex[j] < last)
                {
                    return null;
                }

                last = earlierIndex[j];
            }
        }

        return earlierIndex;
    }

    /// <summary>Whether two facilities give the same catchment and R_j: the same id, kind and unit, and place and capacity to the bit.</summary>
    private static bool SameFacility(Facility a, Facility b) =>
        ReferenceEquals(a, b)
        || (string.Equals(a.Id, b.Id, StringComparison.Ordinal) && string.Equals(a.Kind, b.Kind, StringComparison.Ordinal)
            && string.Equals(a.CapacityUnit, b.CapacityUnit, StringComparison.Ordinal) && Same(a.Capacity, b.Capacity)
            && (ReferenceEquals(a.Location, b.Location) || (Same(a.Location.X, b.Location.X) && Same(a.Location.Y, b.Location.Y))));

    /// <summary>
    /// Whether a facility's Σ_k D_k may differ from the kept run's: a buurt changed for the kind (<paramref name="changedForKind"/>)
    /// is in its catchment now (<paramref name="now"/>, on this run's buurten) or was before (<paramref name="before"/>, on
    /// the kept run's), or a buurt that is gone was. Otherwise the sum adds the same demands in the same order; the buurten
    /// that came or went outside the catchment add 0, which leaves a sum of demands ≥ 0 the same to the bit.
    /// </summary>
    private static bool Touches(ChangedPopulation changed, bool[] changedForKind, bool[] before, bool[] now)
    {
        for (var i = 0; i < changedForKind.Length; i++)
        {
            var e = changed.Earlier[i];
            if (changedForKind[i] && (now[i] || (e >= 0 && before[e])))
            {
                return true;
            }
        }

        for (var e = 0; e < changed.Gone.Length; e++)
        {
            if (changed.Gone[e] && before[e])
            {
                return true;
            }
        }

        return false;
    }

    private static void Mark(bool[] stale, bool[] inReach)
    {
        for (var i = 0; i < stale.Length; i++)
        {
            stale[i] |= inReach[i];
        }
    }

    /// <summary>Equal to the bit: 0 and −0 differ (a row would print them differently), a NaN equals itself.</summary>
    private static bool Same(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);

    /// <summary>What a run keeps for the next edit to start from: its buurten and, per norm in order, its kind's state.</summary>
    private sealed record RunState(IReadOnlyList<BuurtPopulation> Population, KindRun[] Kinds);

    /// <summary>
    /// How this run's buurten relate to the kept run's: per buurt the kept run's index of its code (<paramref name="Earlier"/>,
    /// −1 for a new one) and whether its counts (<paramref name="Counts"/>) or its residents' centre (<paramref name="Moved"/>)
    /// changed (both for a new one); per kept buurt whether it is gone (<paramref name="Gone"/>).
    /// </summary>
    private sealed record ChangedPopulation(int[] Earlier, bool[] Gone, bool[] Counts, bool[] Moved, bool Any)
    {
        /// <summary>Whether the buurten are the kept run's codes in the same order.</summary>
        public bool SameBuurten { get; } = Earlier.Length == Gone.Length && !Gone.Contains(true);
    }

    /// <summary>
    /// One kind of one run, every array read-only once made (a later run that keeps a part shares it): its facilities in
    /// input order, the catchments <c>InReach[j][i]</c> (facility j reaches buurt i), demand per buurt, Σ_k P_k and R_j per
    /// facility, and the rows it wrote.
    /// </summary>
    private sealed record KindRun(
        Facility[] Facilities, bool[][] InReach, double[] Demand, double[] DemandInCatchment, double[] Ratio, BuurtFacilitySupply[] Supply, FacilityLoad[] Load);
}
