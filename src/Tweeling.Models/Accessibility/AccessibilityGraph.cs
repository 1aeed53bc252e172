using Tweeling.Models.City;

namespace Tweeling.Models.Accessibility;

/// <summary>
/// The graph <see cref="AccessibilityModel"/> computes its distances on, as a plain undirected edge list for another
/// shortest-path engine (pgRouting, in the <c>bereikbaarheid</c> benchmark): the model's walking and cycling
/// network with every link cut where a dwelling or facility joins it, and every dwelling and facility a vertex
/// of its own, joined by an edge as long as its access line.
/// </summary>
/// <remarks>
/// <para>
/// The shortest distance in this graph from a facility's vertex to a dwelling's vertex is the model's distance
/// between them, exactly: the model's dwelling distance <c>min(d(from) + along, d(to) + (length − along))
/// + access</c> and its shortcut along a link shared with a facility are paths of this graph, and the graph has no
/// other paths (dwelling and facility vertices are leaves). The nearest facility of a kind is therefore one
/// single-source run from a vertex joined to that kind's facility vertices by zero-length edges, as
/// models.md §6 describes it.
/// </para>
/// <para>
/// Vertices are numbered 0 … <see cref="VertexCount"/> − 1: first the network's nodes, then the dwellings
/// (in input order, those that join the network), then the facilities (by kind, in the model's kind order),
/// then the points where they join a link between its ends. Every edge may be used both ways.
/// </para>
/// </remarks>
public sealed class AccessibilityGraph
{
    private AccessibilityGraph(int vertexCount, IReadOnlyList<Edge> edges, IReadOnlyList<int?> dwellingVertices, IReadOnlyList<string> kinds, IReadOnlyList<IReadOnlyList<int>> facilityVertices)
    {
        VertexCount = vertexCount;
        Edges = edges;
        DwellingVertices = dwellingVertices;
        Kinds = kinds;
        FacilityVertices = facilityVertices;
    }

    /// <summary>The number of vertices.</summary>
    public int VertexCount { get; }

    /// <summary>The edges, each usable both ways.</summary>
    public IReadOnlyList<Edge> Edges { get; }

    /// <summary>Per dwelling, in input order: its vertex, or <c>null</c> when the network has no link to join.</summary>
    public IReadOnlyList<int?> DwellingVertices { get; }

    /// <summary>The facility kinds, in the order the model reports them (ordinal).</summary>
    public IReadOnlyList<string> Kinds { get; }

    /// <summary>Per kind (same order as <see cref="Kinds"/>): the vertices of its facilities that join the network.</summary>
    public IReadOnlyList<IReadOnlyList<int>> FacilityVertices { get; }

    /// <summary>An undirected edge between two vertices.</summary>
    /// <param name="Source">One end.</param>
    /// <param name="Target">The other end.</param>
    /// <param name="Metres">Its length, metres (0 where two points join the network at the same place).</param>
    public readonly record struct Edge(int Source, int Target, double Metres);

    /// <summary>The graph the model builds for <paramref name="links"/>, <paramref name="dwellings"/> and <paramref name="facilities"/>.</summary>
    /// <exception cref="ArgumentException">A link has no geometry or fewer than two points.</exception>
    public static AccessibilityGraph Build(IReadOnlyList<RoadLink> links, IReadOnlyList<Dwelling> dwellings, IReadOnlyList<Facility> facilities)
    {
        ArgumentNullException.ThrowIfNull(links);
        ArgumentNullException.ThrowIfNull(dwellings);
        ArgumentNullException.ThrowIfNull(facilities);
        var network = AccessibilityModel.ActiveModeNetwork(links);
        var next = network.NodeCount;
        var joins = new Dictionary<int, List<(double Along, int Vertex, double Access)>>();
        int? Join(NetTopologySuite.Geometries.Point location)
        {
            if (network.SnapTo(location) is not { } snap)
            {
                return null;
            }

            if (!joins.TryGetValue(snap.Link, out var onLink))
            {
                joins.Add(snap.Link, onLink = []);
            }

            onLink.Add((snap.Along, next, snap.Access));
            return next++;
        }

        var dwellingVertices = dwellings.Select(d => Join(d.Location)).ToArray();
        var kinds = AccessibilityModel.KindsOf(facilities);
        var facilityVertices = kinds
            .Select(kind => (IReadOnlyList<int>)[.. facilities.Where(f => string.Equals(f.Kind, kind, StringComparison.Ordinal)).Select(f => Join(f.Location)).OfType<int>()])
            .ToList();

        var edges = new List<Edge>(network.LinkCount + (2 * (next - network.NodeCount)));
        for (var l = 0; l < network.LinkCount; l++)
        {
            var (from, to, length) = (network.From(l), network.To(l), network.Length(l));
            if (!joins.TryGetValue(l, out var onLink))
            {
                edges.Add(new(from, to, length));
                continue;
            }

            // Walk the link from its first node, cutting it at each distinct join position; points that join at
            // an end join that end's node (a snap's position is clamped to the link).
            onLink.Sort();
            var (at, atAlong) = (from, 0.0);
            foreach (var (along, vertex, access) in onLink)
            {
                int position;
                if (along <= 0)
                {
                    position = from;
                }
                else if (along >= length)
                {
                    position = to;
                }
                else if (along == atAlong)
                {
                    position = at;
                }
                else
                {
                    position = next++;
                    edges.Add(new(at, position, along - atAlong));
                    (at, atAlong) = (position, along);
                }

                edges.Add(new(vertex, position, access));
            }

            edges.Add(new(at, to, length - atAlong));
        }

        return new AccessibilityGraph(next, edges, dwellingVertices, kinds, facilityVertices);
    }
}
