using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Tweeling.Models.Traffic;

/// <summary>
/// A binary min-heap of graph nodes keyed by their tentative route cost, with decrease-key: each node is in it at most
/// once, so a Dijkstra search moves fewer entries than with <see cref="PriorityQueue{TElement, TPriority}"/>, which
/// keeps a stale copy of a node for every cost improvement. Reused between searches: nothing is allocated per search.
/// </summary>
/// <remarks>
/// A path search on the demo city pops every one of its 16,849 nodes, so the heap's moves are a third of a full run's
/// processor time (docs/models/verkeer.md "Performance"). Each entry keeps its key beside its node, so a move reads and
/// writes one 16-byte slot instead of two arrays, and the arrays are indexed without the runtime's bounds checks: every
/// index is a heap slot below the count or a node below the node count, both checked where they enter
/// (<see cref="InsertOrDecrease"/>).
/// </remarks>
internal sealed class NodeHeap
{
    private readonly Entry[] _entries;

    // Each node's index in the heap, −1 when it is not in the heap.
    private readonly int[] _position;
    private int _count;

    /// <summary>An empty heap for nodes 0 … <paramref name="nodeCount"/> − 1.</summary>
    public NodeHeap(int nodeCount)
    {
        _entries = new Entry[nodeCount];
        _position = new int[nodeCount];
        Array.Fill(_position, -1);
    }

    /// <summary>The number of nodes the heap can hold: nodes 0 … <c>NodeCount</c> − 1.</summary>
    public int NodeCount => _position.Length;

    /// <summary>Empties the heap.</summary>
    public void Clear()
    {
        for (var i = 0; i < _count; i++)
        {
            _position[_entries[i].Node] = -1;
        }

        _count = 0;
    }

    /// <summary>Adds <paramref name="node"/> with <paramref name="key"/>, or lowers its key when it is in the heap (the key must not rise).</summary>
    public void InsertOrDecrease(int node, double key)
    {
        // The one check of a node from outside; the slots below are < _count ≤ the node count by construction.
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)node, (uint)_position.Length, nameof(node));
        ref var entries = ref MemoryMarshal.GetArrayDataReference(_entries);
        ref var position = ref MemoryMarshal.GetArrayDataReference(_position);
        var at = Unsafe.Add(ref position, node);
        if (at < 0)
        {
            at = _count++;
        }

        // Sift up: move larger parents down until the node's place is found.
        while (at > 0)
        {
            var parent = (at - 1) >> 1;
            var above = Unsafe.Add(ref entries, parent);
            if (above.Key <= key)
            {
                break;
            }

            Place(ref entries, ref position, at, above);
            at = parent;
        }

        Place(ref entries, ref position, at, new Entry(key, node));
    }

    /// <summary>Removes the node with the least key; false when the heap is empty.</summary>
    public bool TryPop(out int node, out double key)
    {
        if (_count == 0)
        {
            (node, key) = (-1, 0);
            return false;
        }

        ref var entries = ref MemoryMarshal.GetArrayDataReference(_entries);
        ref var position = ref MemoryMarshal.GetArrayDataReference(_position);
        (node, key) = (entries.Node, entries.Key);
        Unsafe.Add(ref position, node) = -1;
        var count = --_count;
        if (count == 0)
        {
            return true;
        }

        // Sift the last entry down from the root.
        var last = Unsafe.Add(ref entries, count);
        var at = 0;
        while (true)
        {
            var child = (2 * at) + 1;
            if (child >= count)
            {
                break;
            }

            if (child + 1 < count && Unsafe.Add(ref entries, child + 1).Key < Unsafe.Add(ref entries, child).Key)
            {
                child++;
            }

            var below = Unsafe.Add(ref entries, child);
            if (below.Key >= last.Key)
            {
                break;
            }

            Place(ref entries, ref position, at, below);
            at = child;
        }

        Place(ref entries, ref position, at, last);
        return true;
    }

    private static void Place(ref Entry entries, ref int position, int at, Entry entry)
    {
        Unsafe.Add(ref entries, at) = entry;
        Unsafe.Add(ref position, entry.Node) = at;
    }

    /// <summary>A node in the heap and its key (seconds of route cost).</summary>
    private readonly record struct Entry(double Key, int Node);
}
