using NetTopologySuite.Geometries;

namespace Tweeling.Models.Spatial;

/// <summary>
/// Which receptors of an edit's list keep their value from the earlier run (docs/scenarios.md "Incremental runs"): a
/// receptor's value depends only on its id, its place and what lies within the model's reach, so one with the same id and
/// place as in the earlier list, out of reach of what changed, keeps its earlier value. Found in time proportional to the
/// change: the shared prefix of the two lists (the baseline's receptors) is compared by reference, and only the
/// receptors the index finds near a changed box are measured.
/// </summary>
/// <param name="Shared">Receptors [0, Shared) are the earlier list's at the same indexes: they keep the earlier value unless in <paramref name="Again"/>.</param>
/// <param name="KeptInTail">Receptors after the prefix that keep the value of the earlier receptor at <c>Before</c>.</param>
/// <param name="Again">The receptors to compute again, ascending.</param>
/// <param name="Index">The index of the edit's list, handed on from the earlier list's.</param>
internal sealed record KeptReceptors(int Shared, IReadOnlyList<(int Now, int Before)> KeptInTail, IReadOnlyList<int> Again, ReceptorIndex Index)
{
    /// <summary>Matches <paramref name="now"/> against <paramref name="before"/>, whose receptors <paramref name="beforeIndex"/> indexes.</summary>
    /// <param name="now">The edit's receptors.</param>
    /// <param name="before">The earlier run's receptors.</param>
    /// <param name="id">A receptor's id.</param>
    /// <param name="at">A receptor's place.</param>
    /// <param name="near">Where the edit changed the model's input, and the model's reach.</param>
    /// <param name="beforeIndex">The index of <paramref name="before"/>.</param>
    /// <param name="cellSize">The cell side of a new index, m.</param>
    public static KeptReceptors Match<T>(
        IReadOnlyList<T> now, IReadOnlyList<T> before, Func<T, string> id, Func<T, Point> at, ChangedPlaces near, ReceptorIndex beforeIndex, double cellSize)
        where T : class
    {
        bool Same(T a, T b) => ReferenceEquals(a, b) || (id(a) == id(b) && at(a).X == at(b).X && at(a).Y == at(b).Y);
        var shared = 0;
        while (shared < now.Count && shared < before.Count && Same(now[shared], before[shared]))
        {
            shared++;
        }

        // A receptor of the prefix is within reach of what changed when it stands in a changed box widened by the reach
        // (ChangedPlaces.Touches). The index finds every receptor in each widened box, so the box it was found for decides,
        // and a receptor found again for an overlapping box is not measured again: a long changed road lists each receptor
        // near it for many of its segments, and asking all boxes for each of those made the match cost the square of the change.
        var again = new HashSet<int>();
        var candidates = new List<int>();
        foreach (var (minX, minY, maxX, maxY) in near.Reached)
        {
            candidates.Clear();
            beforeIndex.Within(minX, minY, maxX, maxY, candidates);
            foreach (var r in candidates)
            {
                if (r < shared && !again.Contains(r))
                {
                    var place = at(now[r]);
                    if (place.X >= minX && place.X <= maxX && place.Y >= minY && place.Y <= maxY)
                    {
                        again.Add(r);
                    }
                }
            }
        }

        // After the prefix (new buildings, or the rest of a list a demolition shifted), receptors are matched by id.
        var earlier = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var b = shared; b < before.Count; b++)
        {
            // An id twice in the earlier list does not say which value is its: both are computed again.
            if (!earlier.TryAdd(id(before[b]), b))
            {
                earlier[id(before[b])] = -1;
            }
        }

        var kept = new List<(int, int)>();
        for (var r = shared; r < now.Count; r++)
        {
            var place = at(now[r]);
            if (earlier.TryGetValue(id(now[r]), out var b) && b >= 0 && at(before[b]).X == place.X && at(before[b]).Y == place.Y && !near.Touches(place.X, place.Y))
            {
                kept.Add((r, b));
            }
            else
            {
                again.Add(r);
            }
        }

        var recomputed = new List<int>(again);
        recomputed.Sort();
        return new(shared, kept, recomputed, beforeIndex.HandedOn(shared, now.Count, i => at(now[i]), cellSize));
    }
}
