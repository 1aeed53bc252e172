using NetTopologySuite.Geometries;

namespace Tweeling.Models.Traffic;

/// <summary>
/// The origins the assignment searches from (docs/models/verkeer.md "Origin groups"): one per zone, in zone order, while the
/// city has at most <see cref="TrafficParameters.MaximumOrigins"/> zones; otherwise that many groups of neighbouring
/// zones, each searched once from a hub node, so the number of searches stays fixed as the city grows.
/// </summary>
internal sealed class OriginGroups
{
    private OriginGroups(int[] hub, int[][] zones, int zoneCount, bool isGrouped)
    {
        Hub = hub;
        Zones = zones;
        IsGrouped = isGrouped;
        OriginOf = new int[zoneCount];
        DepartureNode = new int[zoneCount];
        Array.Fill(OriginOf, -1);
        Array.Fill(DepartureNode, -1);
        for (var g = 0; g < zones.Length; g++)
        {
            foreach (var zone in zones[g])
            {
                (OriginOf[zone], DepartureNode[zone]) = (g, hub[g]);
            }
        }
    }

    /// <summary>Each origin's hub: the network node its searches start from (−1: a zone without a node).</summary>
    public int[] Hub { get; }

    /// <summary>Each origin's zones, ascending: trips from these zones leave from the origin's hub.</summary>
    public int[][] Zones { get; }

    /// <summary>Each zone's origin (−1: a zone without a node in a grouped city, which is in no group).</summary>
    public int[] OriginOf { get; }

    /// <summary>
    /// Each zone's departure node: the node its trips leave from, its origin's hub (its own node while ungrouped; −1: none).
    /// </summary>
    public int[] DepartureNode { get; }

    /// <summary>Whether any origin has more than one zone: trips then leave from a hub rather than their own zone's node.</summary>
    public bool IsGrouped { get; }

    /// <summary>The number of origins.</summary>
    public int Count => Hub.Length;

    /// <summary>
    /// The origins of zones at <paramref name="centroids"/> on nodes <paramref name="zoneNode"/> (−1: none), at most
    /// <paramref name="maximum"/> of them. More zones than that are split by recursive coordinate bisection: the zones are
    /// halved across the longer side of their extent, in proportion to the groups each half gets, until each part is one
    /// group; compact, of (nearly) equal zone counts, and a function of the zones' positions alone, so an edit of dwellings
    /// never regroups them. A group's hub is the node of its zone nearest to the group's mean centroid.
    /// </summary>
    public static OriginGroups Of(IReadOnlyList<Coordinate> centroids, int[] zoneNode, int maximum)
    {
        if (zoneNode.Length <= maximum)
        {
            return new OriginGroups([.. zoneNode], [.. Enumerable.Range(0, zoneNode.Length).Select(z => new[] { z })], zoneNode.Length, isGrouped: false);
        }

        var groups = new List<int[]>(maximum);
        var located = Enumerable.Range(0, zoneNode.Length).Where(z => zoneNode[z] >= 0).ToArray();
        if (located.Length > 0)
        {
            Split(located, Math.Min(maximum, located.Length));
        }

        return new OriginGroups([.. groups.Select(g => zoneNode[Central(g)])], [.. groups], zoneNode.Length, isGrouped: true);

        void Split(int[] members, int count)
        {
            if (count == 1)
            {
                groups.Add([.. members.Order()]);
                return;
            }

            var (width, height) = (Extent(members, c => c.X), Extent(members, c => c.Y));
            var ordered = members.OrderBy(z => width >= height ? centroids[z].X : centroids[z].Y).ThenBy(z => z).ToArray();
            // Each half gets members in proportion to its groups, and at least one member per group (members ≥ count).
            var lowerGroups = count / 2;
            var lowerMembers = (int)((long)ordered.Length * lowerGroups / count);
            Split(ordered[..lowerMembers], lowerGroups);
            Split(ordered[lowerMembers..], count - lowerGroups);
        }

        double Extent(int[] members, Func<Coordinate, double> axis) => members.Max(z => axis(centroids[z])) - members.Min(z => axis(centroids[z]));

        int Central(int[] members)
        {
            var (x, y) = (members.Average(z => centroids[z].X), members.Average(z => centroids[z].Y));
            // Ties go to the lowest zone index (members are ascending and MinBy keeps the first).
            return members.MinBy(z => Math.Pow(centroids[z].X - x, 2) + Math.Pow(centroids[z].Y - y, 2));
        }
    }
}
