using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.OverlayNG;

namespace Tweeling.Models.Green;

/// <summary>
/// The green spaces merged where they overlap or touch, as polygons that are apart (at most touching in a point): the
/// polygons of their union. The union is taken per group of green spaces that intersect one another (found with an
/// R-tree and prepared geometries), not over the whole city at once: a green space that meets no other is kept as it
/// is, and a city's tens of thousands of green polygons cost one small union per group instead of one huge one.
/// </summary>
/// <remarks>
/// A merge can be patched for an edited list of green spaces (<see cref="Patch"/>): only the groups an edit touches are
/// found and united again, the others keep their pieces, and the result is the merge <see cref="Of"/> computes on the
/// edited list, piece for piece.
/// </remarks>
internal sealed class GreenMerge
{
    private readonly Dictionary<int, Geometry[]> _piecesOfGroup;

    /// <summary>The public green of each buurt polygon a run summed on this merge, m²: a figure of the polygon and these pieces alone.</summary>
    private readonly ConditionalWeakTable<Geometry, StrongBox<double>> _publicGreen = [];

    /// <summary>The park index of this merge for each (minimum park area, first search half width) a run asked for.</summary>
    private readonly ConcurrentDictionary<(double MinimumAreaM2, double FirstHalfWidthM), ParkDistances> _parks = new();

    private GreenMerge(int[] groupOf, Dictionary<int, Geometry[]> piecesOfGroup)
    {
        GroupOf = groupOf;
        _piecesOfGroup = piecesOfGroup;
        Merged = [.. piecesOfGroup.OrderBy(g => g.Key).SelectMany(g => g.Value)];
    }

    /// <summary>Per green space, the index of the lowest green space of its group.</summary>
    public int[] GroupOf { get; }

    /// <summary>The pieces of merged green, group by group in the order of their lowest member.</summary>
    public List<Geometry> Merged { get; }

    /// <summary>
    /// The public green inside <paramref name="area"/>, m²: the one summed for the same polygon on this merge before, else
    /// <paramref name="sum"/> of it, kept for the next run.
    /// </summary>
    public double PublicGreenOf(Geometry area, Func<Geometry, double> sum) =>
        _publicGreen.GetValue(area, a => new StrongBox<double>(sum(a))).Value;

    /// <summary>
    /// The distances to the pieces of at least <paramref name="minimumAreaM2"/> (the parks), indexed once per merge; the
    /// pieces a patched merge kept bring the park built for them (<see cref="ParkDistances.Park.Of"/>).
    /// </summary>
    public ParkDistances Parks(double minimumAreaM2, double firstHalfWidthM) =>
        _parks.GetOrAdd((minimumAreaM2, firstHalfWidthM), key => new ParkDistances([.. Merged.Where(p => p.Area >= key.MinimumAreaM2)], key.FirstHalfWidthM));

    /// <summary>The merge of <paramref name="green"/> from scratch.</summary>
    public static GreenMerge Of(IReadOnlyList<GreenSpace> green)
    {
        var groupOf = Enumerable.Range(0, green.Count).ToArray();
        Group(green, groupOf, [.. Enumerable.Range(0, green.Count)]);
        return new GreenMerge(groupOf, Unite(green, groupOf, Enumerable.Range(0, green.Count), new Dictionary<int, Geometry[]>()));
    }

    /// <summary>
    /// The merge of <paramref name="now"/>, patched from this merge of <paramref name="before"/>, and the pieces in which it
    /// differs from this merge (the pieces of the groups united again that are not among their earlier pieces, and the
    /// earlier pieces that are not among the new); <c>null</c> when more than <paramref name="maximumChangedShare"/> of the green spaces changed.
    /// </summary>
    /// <remarks>
    /// A green space is kept when the same geometry instance is in both lists and the kept ones keep their order (one out
    /// of order counts as changed). A group of the earlier merge is "clean" when it lost no member and none of its members
    /// meets a new green space: it is then a group of the edited list too (a kept member that met a member of another
    /// group would have put both in one group before), with the same members in the same order, so its pieces are kept.
    /// Every other green space — the new ones and the members of the other groups — is grouped and united again, as
    /// <see cref="Of"/> would: no edge of the intersection graph leads from them to a clean group.
    /// </remarks>
    public (GreenMerge Merge, List<Geometry> Changed)? Patch(IReadOnlyList<GreenSpace> before, IReadOnlyList<GreenSpace> now, double maximumChangedShare)
    {
        var earlierIndex = new Dictionary<Geometry, int>(before.Count, ReferenceEqualityComparer.Instance);
        for (var j = 0; j < before.Count; j++)
        {
            if (!earlierIndex.TryAdd(before[j].Area, j))
            {
                return null;
            }
        }

        var nowOf = new int[before.Count];
        Array.Fill(nowOf, -1);
        var added = new List<int>();
        var last = -1;
        for (var i = 0; i < now.Count; i++)
        {
            if (earlierIndex.TryGetValue(now[i].Area, out var j) && j > last)
            {
                nowOf[j] = i;
                last = j;
            }
            else
            {
                added.Add(i);
            }
        }

        var removed = Enumerable.Range(0, before.Count).Where(j => nowOf[j] < 0).ToList();
        if (added.Count + removed.Count > maximumChangedShare * Math.Max(1, now.Count))
        {
            return null;
        }

        // The groups to unite again: those that lost a member, and those with a kept member whose envelope meets a new
        // green space's. Envelopes, not geometries: a clean group then has no pair with a new green space that a run
        // from scratch would even test, so no test done the other way round could decide otherwise.
        var dirty = removed.Select(j => GroupOf[j]).ToHashSet();
        if (added.Count > 0)
        {
            var addedIndex = new STRtree<int>();
            added.ForEach(i => addedIndex.Insert(now[i].Area.EnvelopeInternal, i));
            addedIndex.Build();
            for (var j = 0; j < before.Count; j++)
            {
                var envelope = before[j].Area.EnvelopeInternal;
                if (nowOf[j] >= 0 && !dirty.Contains(GroupOf[j]) && addedIndex.Query(envelope).Any(i => now[i].Area.EnvelopeInternal.Intersects(envelope)))
                {
                    dirty.Add(GroupOf[j]);
                }
            }
        }

        var groupOf = new int[now.Count];
        var again = new List<int>(added);
        for (var j = 0; j < before.Count; j++)
        {
            if (nowOf[j] >= 0)
            {
                if (dirty.Contains(GroupOf[j]))
                {
                    again.Add(nowOf[j]);
                    groupOf[nowOf[j]] = nowOf[j];
                }
                else
                {
                    // A clean group's lowest member is kept, and the kept ones keep their order: it is still the lowest.
                    groupOf[nowOf[j]] = nowOf[GroupOf[j]];
                }
            }
        }

        added.ForEach(i => groupOf[i] = i);
        again.Sort();
        Group(now, groupOf, again);
        var kept = new Dictionary<int, Geometry[]>();
        foreach (var (root, pieces) in _piecesOfGroup)
        {
            if (!dirty.Contains(root))
            {
                kept[nowOf[root]] = pieces;
            }
        }

        var united = Unite(now, groupOf, again, new Dictionary<int, Geometry[]>());
        var changed = ChangedPieces(dirty.SelectMany(root => _piecesOfGroup[root]), united.Values.SelectMany(pieces => pieces));
        foreach (var (root, pieces) in united)
        {
            kept[root] = pieces;
        }

        return (new GreenMerge(groupOf, kept), changed);
    }

    /// <summary>
    /// The pieces in one list and not the other: a group united again from the same members (a new green space only came
    /// near it) gives the same pieces, coordinate for coordinate, and changes nothing beyond them.
    /// </summary>
    private static List<Geometry> ChangedPieces(IEnumerable<Geometry> before, IEnumerable<Geometry> now)
    {
        var unmatched = new Dictionary<(double, double, double, double), List<Geometry>>();
        foreach (var piece in before)
        {
            var e = piece.EnvelopeInternal;
            (CollectionsMarshal.GetValueRefOrAddDefault(unmatched, (e.MinX, e.MinY, e.MaxX, e.MaxY), out _) ??= []).Add(piece);
        }

        var changed = new List<Geometry>();
        foreach (var piece in now)
        {
            var e = piece.EnvelopeInternal;
            var same = unmatched.TryGetValue((e.MinX, e.MinY, e.MaxX, e.MaxY), out var candidates) ? candidates.FindIndex(p => p.EqualsExact(piece)) : -1;
            if (same >= 0)
            {
                candidates!.RemoveAt(same);
            }
            else
            {
                changed.Add(piece);
            }
        }

        changed.AddRange(unmatched.Values.SelectMany(pieces => pieces));
        return changed;
    }

    /// <summary>
    /// Puts the green spaces <paramref name="which"/> (ascending) that intersect one another, directly or through others
    /// of them, in one group: <paramref name="groupOf"/> of each ends as the lowest index of its group. Each must start
    /// as its own index.
    /// </summary>
    private static void Group(IReadOnlyList<GreenSpace> green, int[] groupOf, IReadOnlyList<int> which)
    {
        var index = new STRtree<int>();
        foreach (var i in which)
        {
            index.Insert(green[i].Area.EnvelopeInternal, i);
        }

        index.Build();
        int Root(int i)
        {
            while (groupOf[i] != i)
            {
                i = groupOf[i] = groupOf[groupOf[i]];
            }

            return i;
        }

        foreach (var i in which)
        {
            var prepared = PreparedGeometryFactory.Prepare(green[i].Area);
            foreach (var j in index.Query(green[i].Area.EnvelopeInternal))
            {
                var (a, b) = (Root(i), Root(j));
                if (j > i && a != b && prepared.Intersects(green[j].Area))
                {
                    // The lower root wins, so the groups do not depend on the order of the index's answers.
                    groupOf[Math.Max(a, b)] = Math.Min(a, b);
                }
            }
        }

        foreach (var i in which)
        {
            groupOf[i] = Root(i);
        }
    }

    /// <summary>
    /// <paramref name="pieces"/> with the pieces of the groups of <paramref name="which"/> added: the polygons of the union
    /// of each group's members, in ascending order.
    /// </summary>
    private static Dictionary<int, Geometry[]> Unite(IReadOnlyList<GreenSpace> green, int[] groupOf, IEnumerable<int> which, Dictionary<int, Geometry[]> pieces)
    {
        // Each group is united on its own, in parallel: a union depends on its members alone, so the pieces are the same
        // whatever the thread schedule, and they are filed by group after.
        var groups = which.GroupBy(i => groupOf[i]).Select(g => (Root: g.Key, Members: g.Order().ToArray())).ToArray();
        var united = new Geometry[groups.Length][];
        Parallel.For(0, groups.Length, g =>
        {
            var (root, members) = groups[g];

            // OverlayNG with its robust fallbacks: the classic overlay throws on the near-coincident edges of real land
            // cover ("found non-noded intersection"). A lone polygon needs no union.
            var union = members.Length == 1 && green[root].Area is Polygon lone
                ? lone
                : OverlayNGRobust.Union(members.Select(m => green[m].Area).ToList());
            united[g] = [.. Enumerable.Range(0, union.NumGeometries).Select(union.GetGeometryN).Where(p => p is Polygon && p.Area > 0)];
        });

        for (var g = 0; g < groups.Length; g++)
        {
            pieces[groups[g].Root] = united[g];
        }

        return pieces;
    }
}
