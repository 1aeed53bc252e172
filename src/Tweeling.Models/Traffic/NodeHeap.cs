namespace Tweeling.Models.Traffic;

/// <summary>
/// A binary min-heap of graph nodes keyed by their tentative route cost, with decrease-key: each node is in it at most
/// once, so a Dijkstra search moves fewer entries than with <see cref="PriorityQueue{TElement, TPriority}"/>, which
/// keeps a stale copy of a node for every cost improvement. Reused between searches: nothing is allocated per search.
/// </summary>
internal sealed class NodeHeap
{
    private readonly int[] _nodes;
    private readonly double[] _keys;

    // Each node's index in the heap arrays, −1 when it is not in the heap.
    private readonly int[] _position;
    private int _count;

    /// <summary>An empty heap for nodes 0 … <paramref name="nodeCount"/> − 1.</summary>
    public NodeHeap(int nodeCount)
    {
        _nodes = new int[nodeCount];
        _keys = new double[nodeCount];
        _position = new int[nodeCount];
        Array.Fill(_position, -1);
    }

    /// <summary>Empties the heap.</summary>
    public void Clear()
    {
        for (var i = 0; i < _count; i++)
        {
            _position[_nodes[i]] = -1;
        }

        _count = 0;
    }

    /// <summary>Adds <paramref name="node"/> with <paramref name="key"/>, or lowers its key when it is in the heap (the key must not rise).</summary>
    public void InsertOrDecrease(int node, double key)
    {
        var at = _position[node];
        if (at < 0)
        {
            at = _count++;
        }

        // Sift up: move larger parents down until the node's place is found.
        while (at > 0)
        {
            var parent = (at - 1) >> 1;
            if (_keys[parent] <= key)
            {
                break;
            }

            Place(at, _nodes[parent], _keys[parent]);
            at = parent;
        }

        Place(at, node, key);
    }

    /// <summary>Removes the node with the least key; false when the heap is empty.</summary>
    public bool TryPop(out int node, out double key)
    {
        if (_count == 0)
        {
            (node, key) = (-1, 0);
            return false;
        }

        (node, key) = (_nodes[0], _keys[0]);
        _position[node] = -1;
        var count = --_count;
        if (count == 0)
        {
            return true;
        }

        // Sift the last entry down from the root.
        var (lastNode, lastKey) = (_nodes[count], _keys[count]);
        var at = 0;
        while (true)
        {
            var child = (2 * at) + 1;
            if (child >= count)
            {
                break;
            }

            if (child + 1 < count && _keys[child + 1] < _keys[child])
            {
                child++;
            }

            if (_keys[child] >= lastKey)
            {
                break;
            }

            Place(at, _nodes[child], _keys[child]);
            at = child;
        }

        Place(at, lastNode, lastKey);
        return true;
    }

    private void Place(int at, int node, double key)
    {
        _nodes[at] = node;
        _keys[at] = key;
        _position[node] = at;
    }
}
