using System.Runtime.CompilerServices;
using NetTopologySuite.Geometries;
using Tweeling.Models.Accessibility;
using Tweeling.Models.AirQuality;
using Tweeling.Models.City;
using Tweeling.Models.Facilities;
using Tweeling.Models.Graph;
using Tweeling.Models.Green;
using Tweeling.Models.Heat;
using Tweeling.Models.Noise;
using Tweeling.Models.Social;
using Tweeling.Models.Spatial;
using Tweeling.Models.Traffic;

namespace Tweeling.Models.Liveability;

/// <summary>
/// The liveability model brought up to date after an edit (<see cref="IIncrementalModel"/>, docs/scenarios.md
/// "Incremental runs"). The scores use fixed anchors, not ranks or a city-wide minimum and maximum, so a buurt's scores
/// depend on its own dwellings and the values at them alone, and exact incrementality is possible: a building's noise and
/// NO2 are looked up again only within 100 m of a receptor or grid point whose value or place changed, its traffic only
/// within 50 m of a link whose traffic or centre line changed, its UHI_max only where its cell's changed, every value
/// of a building whose dwellings changed; and a buurt is scored again only when one of its buildings, their values or
/// its buurt figures changed; the other buurten keep their earlier scores. Every stage works from what changed: the
/// dwelling lists are compared up to their first difference, the point lists side by side, the values copied from the
/// earlier run's and patched, and the changed buurten found from the changed buildings.
/// </summary>
/// <remarks>
/// The output holds only buurt means, so the per-building values behind an output are kept beside it (in a weak table:
/// they live as long as the output does). A run that starts from an output this instance did not compute runs in full.
/// </remarks>
public sealed partial class LiveabilityModel : IIncrementalModel
{
    /// <summary>
    /// How many runs' look-ups (<see cref="EarlierRun"/>) are kept: each holds the buildings, points and links of a whole
    /// city (tens of MB at the demo city's size), so only the last few, enough for the baseline and the scenarios the
    /// runner keeps a last run of.
    /// </summary>
    private const int KeptRuns = 4;

    private readonly ConditionalWeakTable<IReadOnlyList<BuurtLiveability>, BuildingValues> _valuesBehind = [];

    /// <summary>
    /// The look-ups of the last <see cref="KeptRuns"/> runs (their buildings, points, links, buurt figures and scores),
    /// kept by the run that computed them for the next run that starts from its output: an edit starts from the
    /// scenario's previous edit, so each edit would otherwise derive them again from its starting run's inputs. Oldest
    /// first; the output is held weakly, so a dropped output frees its entry on the next <see cref="Keep"/>.
    /// </summary>
    private readonly List<(WeakReference<IReadOnlyList<BuurtLiveability>> Output, EarlierRun Run)> _earlierRuns = [];

    /// <inheritdoc />
    public bool TryRunIncremental(ModelRun run, PreviousRun previous, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(previous);
        cancellationToken.ThrowIfCancellationRequested();
        var scoresBefore = previous.Output(LiveabilityPorts.Liveability);
        if (!_valuesBehind.TryGetValue(scoresBefore, out var valuesBefore))
        {
            return false;
        }

        var earlier = Earlier(scoresBefore, previous, cancellationToken);
        var dwellings = run.Input(CityPorts.Dwellings);
        var (touched, same) = Touched(earlier.Dwellings, dwellings);
        var (buildings, byBuurt) = PatchedBuildings(earlier, dwellings, touched, same);
        var noise = earlier.NoiseLevels.Now(run.Input(NoisePorts.Receptors), run.Input(NoisePorts.FacadeLevels));
        var noisePoints = Compared(noise.Points, earlier.Noise, p => p.Id, p => p);
        var airPoints = Compared(AirRecords(run), earlier.No2, c => c.Id, AirPoint);
        var roads = run.Input(CityPorts.Roads);
        var roadGeometry = ReferenceEquals(roads, earlier.Roads) ? earlier.RoadGeometry : UniqueRoads(roads);
        var busy = roadGeometry is null ? null : UniqueLinks(roadGeometry, run.Input(TrafficPorts.LinkTraffic), cancellationToken);
        if (noisePoints is null || airPoints is null || busy is null || earlier.Busy is null)
        {
            return false;
        }

        // The buildings whose value changed, per value, found as each is brought up to date (every other keeps its earlier one).
        var changedBuildings = new ChangedBuildings(new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal));
        var values = new BuildingValues(
            UpdatedNearest(buildings, touched, valuesBefore.Noise, noisePoints, changedBuildings.Noise, cancellationToken),
            UpdatedNearest(buildings, touched, valuesBefore.No2, airPoints, changedBuildings.No2, cancellationToken),
            UpdatedHeat(buildings, touched, valuesBefore.Uhi, run.Input(HeatPorts.Grid), run.Input(HeatPorts.Cells), earlier, changedBuildings.Uhi, cancellationToken),
            UpdatedTraffic(buildings, touched, valuesBefore.Traffic, busy, earlier.Busy, changedBuildings.Traffic, cancellationToken));
        var buurt = BuurtInputs.Of(
            run.Input(GreenPorts.PerNeighbourhood), run.Input(FacilitiesPorts.Supply), run.Input(AccessibilityPorts.BuurtDistances), run.Input(SocialPorts.LowIncome));
        var changed = ChangedBuurten(buildings, earlier.Buildings, touched, changedBuildings, buurt, earlier.Buurt);
        var result = Scores(
            byBuurt, values, buurt, code => earlier.Scores.TryGetValue(code, out var before) ? (before, changed.GetValueOrDefault(code)) : null, cancellationToken);
        _valuesBehind.AddOrUpdate(result, values);
        Keep(result, new EarlierRun(
            InputInstances(run), dwellings, buildings, byBuurt, noise, noisePoints.Now, airPoints.Now, roads, roadGeometry, busy, buurt,
            run.Input(HeatPorts.Grid), run.Input(HeatPorts.Cells), result.ToDictionary(b => b.Buurtcode, StringComparer.Ordinal)));
        run.Output(LiveabilityPorts.Liveability, result);
        return true;
    }

    /// <summary>The run's inputs by port name, as the <see cref="PreviousRun"/> of a run that starts from this one lists them.</summary>
    private static Dictionary<string, object> InputInstances(ModelRun run)
    {
        var inputs = new Dictionary<string, object>(StringComparer.Ordinal);
        void Add<T>(Port<T> port)
            where T : notnull => inputs[port.Name] = run.Input(port);
        Add(CityPorts.Dwellings);
        Add(NoisePorts.Receptors);
        Add(NoisePorts.FacadeLevels);
        Add(AirQualityPorts.ReceptorConcentrations);
        Add(AirQualityPorts.GridConcentrations);
        Add(HeatPorts.Grid);
        Add(HeatPorts.Cells);
        Add(GreenPorts.PerNeighbourhood);
        Add(FacilitiesPorts.Supply);
        Add(AccessibilityPorts.BuurtDistances);
        Add(SocialPorts.LowIncome);
        Add(CityPorts.Roads);
        Add(TrafficPorts.LinkTraffic);
        return inputs;
    }

    /// <summary>Keeps <paramref name="earlier"/> for a run that starts from <paramref name="output"/>, dropping the oldest beyond <see cref="KeptRuns"/>.</summary>
    private void Keep(IReadOnlyList<BuurtLiveability> output, EarlierRun earlier)
    {
        lock (_earlierRuns)
        {
            _earlierRuns.RemoveAll(e => !e.Output.TryGetTarget(out var o) || ReferenceEquals(o, output));
            if (_earlierRuns.Count >= KeptRuns)
            {
                _earlierRuns.RemoveAt(0);
            }

            _earlierRuns.Add((new WeakReference<IReadOnlyList<BuurtLiveability>>(output), earlier));
        }
    }

    /// <summary>
    /// The look-ups of the earlier run: those kept by the run that computed its output, when derived from the same input
    /// instances (a list the graph offers again with the same output is the same list), else derived now and kept.
    /// </summary>
    private EarlierRun Earlier(IReadOnlyList<BuurtLiveability> scoresBefore, PreviousRun previous, CancellationToken cancellationToken)
    {
        lock (_earlierRuns)
        {
            foreach (var (output, kept) in _earlierRuns)
            {
                if (output.TryGetTarget(out var o) && ReferenceEquals(o, scoresBefore)
                    && kept.Inputs.Count == previous.Inputs.Count && kept.Inputs.All(i => previous.Inputs.TryGetValue(i.Key, out var v) && ReferenceEquals(v, i.Value)))
                {
                    return kept;
                }
            }
        }

        var dwellings = previous.Input(CityPorts.Dwellings);
        var buildings = Buildings(dwellings);
        var roads = previous.Input(CityPorts.Roads);
        var roadGeometry = UniqueRoads(roads);
        var noiseBefore = NoiseLevels.Of(previous.Input(NoisePorts.Receptors), previous.Input(NoisePorts.FacadeLevels));
        var airBefore = new Concatenated<AirConcentration>(previous.Input(AirQualityPorts.ReceptorConcentrations), previous.Input(AirQualityPorts.GridConcentrations));
        var earlier = new EarlierRun(
            previous.Inputs.ToDictionary(i => i.Key, i => i.Value, StringComparer.Ordinal),
            dwellings,
            buildings,
            ByBuurt(buildings),
            noiseBefore,
            PointSet<ValuedPoint>.Of(noiseBefore.Points, noiseBefore.Points),
            PointSet<AirConcentration>.Of(airBefore, airBefore.Select(AirPoint)),
            roads,
            roadGeometry,
            roadGeometry is null ? null : UniqueLinks(roadGeometry, previous.Input(TrafficPorts.LinkTraffic), cancellationToken),
            BuurtInputs.Of(
                previous.Input(GreenPorts.PerNeighbourhood), previous.Input(FacilitiesPorts.Supply), previous.Input(AccessibilityPorts.BuurtDistances), previous.Input(SocialPorts.LowIncome)),
            previous.Input(HeatPorts.Grid),
            previous.Input(HeatPorts.Cells),
            scoresBefore.ToDictionary(b => b.Buurtcode, StringComparer.Ordinal));
        Keep(scoresBefore, earlier);
        return earlier;
    }

    /// <summary>
    /// The ids of the buildings whose dwellings may differ between the two lists: those with a record at or after the
    /// first position where the lists differ (<c>Same</c>, the length of their common start). A building with every
    /// record before it has the same records, in the same order, in both (the scenario's list is the baseline's
    /// followed by what the interventions added).
    /// </summary>
    private static (HashSet<string> Touched, int Same) Touched(IReadOnlyList<DwellingStock> before, IReadOnlyList<DwellingStock> now)
    {
        var touched = new HashSet<string>(StringComparer.Ordinal);
        if (ReferenceEquals(before, now))
        {
            return (touched, now.Count);
        }

        var same = 0;
        var common = Math.Min(before.Count, now.Count);
        while (same < common && (ReferenceEquals(before[same], now[same]) || SameDwellings(before[same], now[same])))
        {
            same++;
        }

        for (var i = same; i < before.Count; i++)
        {
            touched.Add(before[i].BuildingId);
        }

        for (var i = same; i < now.Count; i++)
        {
            touched.Add(now[i].BuildingId);
        }

        return (touched, same);
    }

    /// <summary>
    /// The buildings by id and by buurt as <see cref="Buildings"/> and <see cref="ByBuurt"/> derive them from
    /// <paramref name="dwellings"/>, patched from the earlier run's when no touched building has a record before the
    /// first difference (<paramref name="same"/>; an edit that adds dwellings): every other building then has the same
    /// records in both lists and is kept as it was, and a buurt lists its untouched buildings first, in their earlier
    /// order, and its touched ones after them in the order they first occur, which is the order of first occurrence a
    /// full derivation gives. Else both are derived again from the whole list.
    /// </summary>
    private static (Dictionary<string, Building> Buildings, Dictionary<string, List<Building>> ByBuurt) PatchedBuildings(
        EarlierRun earlier, IReadOnlyList<DwellingStock> dwellings, HashSet<string> touched, int same)
    {
        if (touched.Count == 0)
        {
            return (earlier.Buildings, earlier.ByBuurt);
        }

        if (touched.Any(id => earlier.Buildings.TryGetValue(id, out var was) && was.First < same))
        {
            var all = Buildings(dwellings);
            return (all, ByBuurt(all));
        }

        // A copy: the earlier run's look-ups stay as they were for any other run that starts from it.
        var buildings = new Dictionary<string, Building>(earlier.Buildings, StringComparer.Ordinal);
        var regrouped = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in touched)
        {
            if (buildings.Remove(id, out var was))
            {
                regrouped.Add(was.Buurtcode);
            }
        }

        // Every building with a record from the first difference on is touched, so removed above: those found are new here.
        var added = new List<Building>();
        for (var i = same; i < dwellings.Count; i++)
        {
            var d = dwellings[i];
            if (!buildings.TryGetValue(d.BuildingId, out var b))
            {
                buildings[d.BuildingId] = b = new Building(d.BuildingId, d.Buurtcode, d.Location.Coordinate, [], i);
                added.Add(b);
                regrouped.Add(b.Buurtcode);
            }

            b.Add(d);
        }

        var byBuurt = new Dictionary<string, List<Building>>(earlier.ByBuurt, StringComparer.Ordinal);
        foreach (var code in regrouped)
        {
            List<Building> inBuurt = [.. (earlier.ByBuurt.GetValueOrDefault(code) ?? []).Where(b => !touched.Contains(b.Id)), .. added.Where(b => b.Buurtcode == code)];
            if (inBuurt.Count > 0)
            {
                byBuurt[code] = inBuurt;
            }
            else
            {
                byBuurt.Remove(code);
            }
        }

        return (buildings, byBuurt);
    }

    /// <summary>
    /// The points now against <paramref name="before"/>: by id, and the places (as they were and as they are) and ids of
    /// those that appeared, vanished, moved or changed their value. The lists are walked side by side while they name the
    /// same ids (an edit leaves most points where they were in the list, and an upstream model that keeps a point's
    /// earlier record gives the same record, so most are one reference compare), and by id after; a record is made a
    /// point only where it differs. <c>null</c> when an id occurs twice (the nearest of two points at one distance
    /// would then depend on their order).
    /// </summary>
    private static ComparedPoints<T>? Compared<T>(IReadOnlyList<T> items, PointSet<T>? before, Func<T, string> idOf, Func<T, ValuedPoint> pointOf)
    {
        if (before is null)
        {
            return null;
        }

        var byId = new Dictionary<string, ValuedPoint>(before.ById, StringComparer.Ordinal);
        var moved = new List<(double X1, double Y1, double X2, double Y2)>();
        var movedIds = new HashSet<string>(StringComparer.Ordinal);
        void Moved(ValuedPoint p)
        {
            moved.Add((p.X, p.Y, p.X, p.Y));
            movedIds.Add(p.Id);
        }

        var aligned = 0;
        var common = Math.Min(items.Count, before.Ordered.Count);
        for (; aligned < common; aligned++)
        {
            var (item, was) = (items[aligned], before.Ordered[aligned]);
            // An upstream model passes an unchanged record on as the same instance, which a record's equality meets first
            // (one reference compare); a record or point equal in every field makes the same point.
            if (EqualityComparer<T>.Default.Equals(item, was))
            {
                continue;
            }

            var id = idOf(item);
            if (!string.Equals(id, idOf(was), StringComparison.Ordinal))
            {
                break;
            }

            var (p, q) = (pointOf(item), before.ById[id]);
            if (!SamePoint(p, q))
            {
                Moved(q);
                Moved(p);
                byId[id] = p;
            }
        }

        // The rest by id: the earlier tail's ids leave, the current tail's come in; one already present occurs twice.
        for (var i = aligned; i < before.Ordered.Count; i++)
        {
            byId.Remove(idOf(before.Ordered[i]));
        }

        var tail = new List<ValuedPoint>(items.Count - aligned);
        for (var i = aligned; i < items.Count; i++)
        {
            var p = pointOf(items[i]);
            if (!byId.TryAdd(p.Id, p))
            {
                return null;
            }

            tail.Add(p);
        }

        for (var i = aligned; i < before.Ordered.Count; i++)
        {
            var q = before.ById[idOf(before.Ordered[i])];
            if (!byId.TryGetValue(q.Id, out var p) || !SamePoint(p, q))
            {
                Moved(q);
            }
        }

        foreach (var p in tail)
        {
            if (!before.ById.TryGetValue(p.Id, out var q) || !SamePoint(p, q))
            {
                Moved(p);
            }
        }

        return new(new PointSet<T>(items, byId), moved, movedIds);
    }

    private static bool SamePoint(ValuedPoint p, ValuedPoint q) => p.SamePlaceAndValue(q);

    /// <summary>
    /// Where every per-building update starts: the earlier values without those of the buildings whose dwellings were
    /// touched, and the touched buildings that still stand, to be looked up again.
    /// </summary>
    private static (Dictionary<string, double> Values, Dictionary<string, Building> Again) StartFrom(
        Dictionary<string, double> valuesBefore, HashSet<string> touched, Dictionary<string, Building> buildings)
    {
        var values = new Dictionary<string, double>(valuesBefore, StringComparer.Ordinal);
        var again = new Dictionary<string, Building>(StringComparer.Ordinal);
        foreach (var id in touched)
        {
            values.Remove(id);
            if (buildings.TryGetValue(id, out var b))
            {
                again.TryAdd(id, b);
            }
        }

        return (values, again);
    }

    /// <summary>
    /// The noise or NO2 value at every building, equal to <see cref="AtBuildings"/>: the earlier value of a building whose
    /// dwellings are untouched, whose own point (the one with its id) neither appeared, vanished nor changed, and which,
    /// lacking an own point, has no point within <see cref="MatchRadiusMetres"/> that appeared, vanished, moved or changed
    /// its value; else its own point's value or the nearest again. The buildings whose value changed go to <paramref name="changedBuildings"/>.
    /// </summary>
    private static Dictionary<string, double> UpdatedNearest<T>(
        Dictionary<string, Building> buildings,
        HashSet<string> touched,
        Dictionary<string, double> valuesBefore,
        ComparedPoints<T> points,
        HashSet<string> changedBuildings,
        CancellationToken cancellationToken)
    {
        var (values, again) = StartFrom(valuesBefore, touched, buildings);
        var pointsNow = points.Now.ById;
        foreach (var id in points.MovedIds)
        {
            if (buildings.TryGetValue(id, out var b))
            {
                again.TryAdd(id, b);
            }
        }

        if (points.Moved.Count > 0)
        {
            var near = new ChangedPlaces(points.Moved, MatchRadiusMetres);
            foreach (var b in buildings.Values)
            {
                if (near.Touches(b.At.X, b.At.Y) && !pointsNow.ContainsKey(b.Id))
                {
                    again.TryAdd(b.Id, b);
                }
            }
        }

        var nearest = new List<Building>();
        foreach (var b in again.Values)
        {
            values.Remove(b.Id);
            if (pointsNow.TryGetValue(b.Id, out var own))
            {
                values[b.Id] = own.Value;
            }
            else
            {
                nearest.Add(b);
            }
        }

        foreach (var (id, value) in NearestValues([.. nearest], pointsNow.Values, cancellationToken))
        {
            values[id] = value;
        }

        MarkChanged(again.Keys, values, valuesBefore, changedBuildings);
        return values;
    }

    /// <summary>Adds to <paramref name="changedBuildings"/> those of <paramref name="ids"/> whose value (or lack of one) differs.</summary>
    private static void MarkChanged(IEnumerable<string> ids, Dictionary<string, double> values, Dictionary<string, double> valuesBefore, HashSet<string> changedBuildings)
    {
        foreach (var id in ids)
        {
            var now = values.TryGetValue(id, out var v) ? v : (double?)null;
            var then = valuesBefore.TryGetValue(id, out var w) ? w : (double?)null;
            if (!Equals(now, then))
            {
                changedBuildings.Add(id);
            }
        }
    }

    /// <summary>
    /// UHI_max at every building, equal to <see cref="HeatAtBuildings"/>: on the same grid with the same cells in the same
    /// order, looked up again only for buildings whose dwellings are touched or whose cell's UHI_max changed; else every building.
    /// </summary>
    private static Dictionary<string, double> UpdatedHeat(
        Dictionary<string, Building> buildings, HashSet<string> touched, Dictionary<string, double> valuesBefore, HeatGrid grid, IReadOnlyList<HeatCell> cells,
        EarlierRun earlier, HashSet<string> changedBuildings, CancellationToken cancellationToken)
    {
        var changedCells = new HashSet<(int Column, int Row)>();
        var aligned = grid.Equals(earlier.Grid) && cells.Count == earlier.Cells.Count;
        for (var i = 0; aligned && i < cells.Count; i++)
        {
            var (c, d) = (cells[i], earlier.Cells[i]);
            aligned = c.Column == d.Column && c.Row == d.Row;
            if (aligned && !c.UhiMaxK.Equals(d.UhiMaxK))
            {
                changedCells.Add((c.Column, c.Row));
            }
        }

        if (!aligned)
        {
            var all = HeatAtBuildings(buildings, grid, cells, cancellationToken);
            MarkChanged(buildings.Keys.Concat(valuesBefore.Keys), all, valuesBefore, changedBuildings);
            return all;
        }

        var (values, again) = StartFrom(valuesBefore, touched, buildings);

        if (changedCells.Count > 0)
        {
            foreach (var b in buildings.Values)
            {
                if (changedCells.Contains(CellOf(b, grid)))
                {
                    again.TryAdd(b.Id, b);
                }
            }
        }

        if (again.Count > 0)
        {
            foreach (var id in again.Keys)
            {
                values.Remove(id);
            }

            foreach (var (id, uhi) in HeatAtBuildings(again, grid, cells, cancellationToken))
            {
                values[id] = uhi;
            }
        }

        MarkChanged(again.Keys, values, valuesBefore, changedBuildings);
        return values;
    }

    /// <summary>
    /// The busiest traffic at every building, equal to <see cref="TrafficAtBuildings"/>: the earlier value when the
    /// building's dwellings are untouched and no link within <see cref="TrafficRadiusMetres"/> changed its traffic or
    /// centre line. The buildings whose value changed go to <paramref name="changedBuildings"/>.
    /// </summary>
    private static Dictionary<string, double> UpdatedTraffic(
        Dictionary<string, Building> buildings,
        HashSet<string> touched,
        Dictionary<string, double> valuesBefore,
        Dictionary<string, (LineString Line, double Vehicles)> busy,
        Dictionary<string, (LineString Line, double Vehicles)> busyBefore,
        HashSet<string> changedBuildings,
        CancellationToken cancellationToken)
    {
        var changed = new List<LineString>();
        foreach (var (id, link) in busy)
        {
            if (!busyBefore.TryGetValue(id, out var was) || !was.Vehicles.Equals(link.Vehicles) || !(ReferenceEquals(was.Line, link.Line) || was.Line.EqualsExact(link.Line)))
            {
                changed.Add(link.Line);
            }
        }

        foreach (var (id, was) in busyBefore)
        {
            if (!busy.TryGetValue(id, out var link) || !was.Vehicles.Equals(link.Vehicles) || !(ReferenceEquals(was.Line, link.Line) || was.Line.EqualsExact(link.Line)))
            {
                changed.Add(was.Line);
            }
        }

        var (values, again) = StartFrom(valuesBefore, touched, buildings);

        if (changed.Count > 0)
        {
            var near = ChangedPlaces.OfLines(changed, TrafficRadiusMetres);
            foreach (var b in buildings.Values)
            {
                if (near.Touches(b.At.X, b.At.Y))
                {
                    again.TryAdd(b.Id, b);
                }
            }
        }

        foreach (var (id, value) in TrafficAtBuildings([.. again.Values], busy, cancellationToken, onlyNear: true))
        {
            values[id] = value;
        }

        MarkChanged(again.Keys, values, valuesBefore, changedBuildings);
        return values;
    }

    private static Dictionary<string, ValuedPoint>? UniquePoints(IEnumerable<ValuedPoint> points)
    {
        var byId = new Dictionary<string, ValuedPoint>(points.TryGetNonEnumeratedCount(out var count) ? count : 0, StringComparer.Ordinal);
        foreach (var p in points)
        {
            if (!byId.TryAdd(p.Id, p))
            {
                return null;
            }
        }

        return byId;
    }

    /// <summary>The centre line of each road by id; <c>null</c> when a road is listed twice.</summary>
    private static Dictionary<string, LineString>? UniqueRoads(IReadOnlyList<RoadLink> roads)
    {
        var geometry = new Dictionary<string, LineString>(roads.Count, StringComparer.Ordinal);
        return roads.All(r => geometry.TryAdd(r.Id, r.Geometry)) ? geometry : null;
    }

    /// <summary>The links with traffic as <see cref="TrafficIndex"/> gives them; <c>null</c> when a link's traffic is listed twice.</summary>
    private static Dictionary<string, (LineString Line, double Vehicles)>? UniqueLinks(
        Dictionary<string, LineString> roadGeometry, IReadOnlyList<LinkTraffic> traffic, CancellationToken cancellationToken) =>
        ListedOnce(traffic) ? TrafficIndex(roadGeometry, traffic, cancellationToken) : null;

    /// <summary>Whether every link's traffic is listed once.</summary>
    private static bool ListedOnce(IReadOnlyList<LinkTraffic> traffic)
    {
        var trafficIds = new HashSet<string>(traffic.Count, StringComparer.Ordinal);
        return traffic.All(t => trafficIds.Add(t.LinkId));
    }

    /// <summary>
    /// What changed per buurt (a buurt left out is unchanged): its dwellings, where it holds a touched building (as it
    /// was or as it is; a buurt without one keeps its buildings in the same order); each value, where one of its
    /// buildings has that value changed; and its figures, where its green, facility, walking or low-income figure changed.
    /// </summary>
    private Dictionary<string, BuurtChange> ChangedBuurten(
        Dictionary<string, Building> buildings,
        Dictionary<string, Building> buildingsBefore,
        HashSet<string> touched,
        ChangedBuildings changedBuildings,
        BuurtInputs buurt,
        BuurtInputs buurtBefore)
    {
        var changed = new Dictionary<string, BuurtChange>(StringComparer.Ordinal);
        void Mark(string code, BuurtChange change) => changed[code] = changed.GetValueOrDefault(code) | change;
        void MarkBuildings(HashSet<string> ids, BuurtChange change)
        {
            foreach (var id in ids)
            {
                if (buildingsBefore.TryGetValue(id, out var was))
                {
                    Mark(was.Buurtcode, change);
                }

                if (buildings.TryGetValue(id, out var b))
                {
                    Mark(b.Buurtcode, change);
                }
            }
        }

        MarkBuildings(touched, BuurtChange.Dwellings);
        MarkBuildings(changedBuildings.Noise, BuurtChange.Noise);
        MarkBuildings(changedBuildings.No2, BuurtChange.No2);
        MarkBuildings(changedBuildings.Uhi, BuurtChange.Uhi);
        MarkBuildings(changedBuildings.Traffic, BuurtChange.Traffic);
        foreach (var code in buurt.Codes.Union(buurtBefore.Codes, StringComparer.Ordinal))
        {
            if (!buurt.SameFor(code, buurtBefore, _scoreResidents))
            {
                Mark(code, BuurtChange.Figures);
            }
        }

        return changed;
    }

    private static bool SameDwellings(DwellingStock a, DwellingStock b) =>
        a.BuildingId == b.BuildingId && a.Buurtcode == b.Buurtcode && a.Count == b.Count && a.Type == b.Type && a.Tenure == b.Tenure && a.Location.Coordinate.Equals2D(b.Location.Coordinate);

    /// <summary>What a run derived from its inputs, kept for a run that starts from its output, with the input instances (by port name) it was derived from.</summary>
    private sealed record EarlierRun(
        IReadOnlyDictionary<string, object> Inputs,
        IReadOnlyList<DwellingStock> Dwellings,
        Dictionary<string, Building> Buildings,
        Dictionary<string, List<Building>> ByBuurt,
        NoiseLevels NoiseLevels,
        PointSet<ValuedPoint>? Noise,
        PointSet<AirConcentration>? No2,
        IReadOnlyList<RoadLink> Roads,
        Dictionary<string, LineString>? RoadGeometry,
        Dictionary<string, (LineString Line, double Vehicles)>? Busy,
        BuurtInputs Buurt,
        HeatGrid Grid,
        IReadOnlyList<HeatCell> Cells,
        Dictionary<string, BuurtLiveability> Scores);

    /// <summary>The records noise or NO2 points are made of, in list order, and their points by id (every id once).</summary>
    private sealed record PointSet<T>(IReadOnlyList<T> Ordered, Dictionary<string, ValuedPoint> ById)
    {
        /// <summary>The <paramref name="points"/> made of <paramref name="items"/>, by id; <c>null</c> when an id occurs twice.</summary>
        public static PointSet<T>? Of(IReadOnlyList<T> items, IEnumerable<ValuedPoint> points) => UniquePoints(points) is { } byId ? new(items, byId) : null;
    }

    /// <summary>
    /// The façade levels made points at their receptors' places (<see cref="Points"/>, in level order; the first receptor
    /// of an id stands for it, and a level without a receptor is left out), with the point made of each level (<c>null</c>
    /// where it has no receptor) for the next run: a level that is the same record at the same position as in the earlier
    /// run, and whose receptor id is in neither list's part after the receptor lists' common start, keeps its earlier
    /// point. The noise model passes an unchanged level on as the same record, so most points are not made again and
    /// <see cref="Compared"/> meets them as equal points (an id reference and three doubles compared); before (scenario-liveability2) every level was
    /// made a point again every edit, the largest whole-city pass left in an edit.
    /// </summary>
    private sealed record NoiseLevels(IReadOnlyList<FacadeNoise> Levels, ReceptorPlaces Places, ValuedPoint?[] PointOf, List<ValuedPoint> Points)
    {
        public static NoiseLevels Of(IReadOnlyList<NoiseReceptor> receptors, IReadOnlyList<FacadeNoise> levels) =>
            Made(levels, ReceptorPlaces.Of(receptors), earlier: null, placeMayDiffer: []);

        /// <summary>The levels of a later run, from these.</summary>
        public NoiseLevels Now(IReadOnlyList<NoiseReceptor> receptors, IReadOnlyList<FacadeNoise> levels)
        {
            if (ReferenceEquals(receptors, Places.Receptors) && ReferenceEquals(levels, Levels))
            {
                return this;
            }

            var placeMayDiffer = new HashSet<string>(StringComparer.Ordinal);
            return Made(levels, Places.Now(receptors, placeMayDiffer), this, placeMayDiffer);
        }

        private static NoiseLevels Made(IReadOnlyList<FacadeNoise> levels, ReceptorPlaces places, NoiseLevels? earlier, HashSet<string> placeMayDiffer)
        {
            var pointOf = new ValuedPoint?[levels.Count];
            var points = new List<ValuedPoint>(levels.Count);
            var kept = earlier is null ? 0 : Math.Min(levels.Count, earlier.Levels.Count);
            for (var i = 0; i < levels.Count; i++)
            {
                var level = levels[i];
                var point = i < kept && ReferenceEquals(level, earlier!.Levels[i]) && (placeMayDiffer.Count == 0 || !placeMayDiffer.Contains(level.ReceptorId))
                    ? earlier.PointOf[i]
                    : places.ById.TryGetValue(level.ReceptorId, out var at) ? new ValuedPoint(level.ReceptorId, at.At.X, at.At.Y, level.LdenDb) : null;
                pointOf[i] = point;
                if (point is { } made)
                {
                    points.Add(made);
                }
            }

            return new(levels, places, pointOf, points);
        }
    }

    /// <summary>The place of each noise receptor by id (the first receptor of an id stands for it) and its position in <see cref="Receptors"/>.</summary>
    private sealed record ReceptorPlaces(IReadOnlyList<NoiseReceptor> Receptors, Dictionary<string, (Coordinate At, int First)> ById)
    {
        public static ReceptorPlaces Of(IReadOnlyList<NoiseReceptor> receptors)
        {
            var byId = new Dictionary<string, (Coordinate At, int First)>(receptors.Count, StringComparer.Ordinal);
            for (var i = 0; i < receptors.Count; i++)
            {
                byId.TryAdd(receptors[i].Id, (receptors[i].Location.Coordinate, i));
            }

            return new(receptors, byId);
        }

        /// <summary>
        /// The places of <paramref name="receptors"/>, patched from these: the lists are the same records up to their first
        /// difference (a scenario's receptors are the baseline's followed by those of added buildings), so an id first met
        /// before it keeps its place, and only the ids after it, in either list, are looked up again; those go to
        /// <paramref name="placeMayDiffer"/>.
        /// </summary>
        public ReceptorPlaces Now(IReadOnlyList<NoiseReceptor> receptors, HashSet<string> placeMayDiffer)
        {
            var same = 0;
            var common = Math.Min(receptors.Count, Receptors.Count);
            while (same < common && ReferenceEquals(receptors[same], Receptors[same]))
            {
                same++;
            }

            if (same == receptors.Count && same == Receptors.Count)
            {
                return new(receptors, ById);
            }

            // A copy: the earlier run's places stay as they were for any other run that starts from it.
            var byId = new Dictionary<string, (Coordinate At, int First)>(ById, StringComparer.Ordinal);
            for (var i = same; i < Receptors.Count; i++)
            {
                var id = Receptors[i].Id;
                placeMayDiffer.Add(id);
                if (byId.TryGetValue(id, out var was) && was.First >= same)
                {
                    byId.Remove(id);
                }
            }

            for (var i = same; i < receptors.Count; i++)
            {
                placeMayDiffer.Add(receptors[i].Id);
                byId.TryAdd(receptors[i].Id, (receptors[i].Location.Coordinate, i));
            }

            return new(receptors, byId);
        }
    }

    /// <summary>The points now, and the places (each a point box) and ids of those that differ from the earlier run's.</summary>
    private sealed record ComparedPoints<T>(PointSet<T> Now, List<(double X1, double Y1, double X2, double Y2)> Moved, HashSet<string> MovedIds);

    /// <summary>Two lists read as one, without copying either.</summary>
    private sealed class Concatenated<T>(IReadOnlyList<T> first, IReadOnlyList<T> second) : IReadOnlyList<T>
    {
        public int Count => first.Count + second.Count;

        public T this[int index] => index < first.Count ? first[index] : second[index - first.Count];

        public IEnumerator<T> GetEnumerator() => first.Concat(second).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>The ids of the buildings whose noise, NO2, UHI_max or traffic value changed.</summary>
    private sealed record ChangedBuildings(HashSet<string> Noise, HashSet<string> No2, HashSet<string> Uhi, HashSet<string> Traffic);

    /// <summary>The values at each building (by building id; a building without a value is left out).</summary>
    private sealed record BuildingValues(Dictionary<string, double> Noise, Dictionary<string, double> No2, Dictionary<string, double> Uhi, Dictionary<string, double> Traffic);

    /// <summary>What the other models give per buurt: green, facility capacity, walking distance and low income.</summary>
    private sealed record BuurtInputs(
        Dictionary<string, NeighbourhoodGreen> Green,
        Dictionary<string, double> Capacity,
        Dictionary<string, double> Walking,
        Dictionary<string, BuurtLowIncomeEstimate> LowIncome)
    {
        public IEnumerable<string> Codes => Green.Keys.Concat(Capacity.Keys).Concat(Walking.Keys).Concat(LowIncome.Keys);

        public static BuurtInputs Of(
            IReadOnlyList<NeighbourhoodGreen> green, IReadOnlyList<BuurtFacilitySupply> supply, IReadOnlyList<BuurtFacilityDistance> distances, IReadOnlyList<BuurtLowIncomeEstimate> lowIncome) =>
            new(
                green.ToDictionary(g => g.Code, StringComparer.Ordinal),
                supply.GroupBy(s => s.Buurtcode, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Average(s => Math.Min(1, s.Ratio)), StringComparer.Ordinal),
                distances.Where(d => d.MeanWalkMetres is not null).GroupBy(d => d.Buurtcode, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.Average(d => d.MeanWalkMetres!.Value), StringComparer.Ordinal),
                lowIncome.ToDictionary(s => s.Buurtcode, StringComparer.Ordinal));

        /// <summary>Whether buurt <paramref name="code"/> reads the same figures here as in <paramref name="other"/>.</summary>
        public bool SameFor(string code, BuurtInputs other, bool scoreResidents)
        {
            var (g, h) = (Green.GetValueOrDefault(code), other.Green.GetValueOrDefault(code));
            return Equals(g?.GreenM2PerInhabitant, h?.GreenM2PerInhabitant) && Equals(g?.CanopyShare, h?.CanopyShare)
                && Equals(Value(Capacity, code), Value(other.Capacity, code)) && Equals(Value(Walking, code), Value(other.Walking, code))
                && LowIncome.ContainsKey(code) == other.LowIncome.ContainsKey(code)
                && (!scoreResidents || Equals(LowIncome.GetValueOrDefault(code)?.Percent, other.LowIncome.GetValueOrDefault(code)?.Percent));
        }

        private static double? Value(Dictionary<string, double> values, string code) => values.TryGetValue(code, out var v) ? v : null;
    }
}
