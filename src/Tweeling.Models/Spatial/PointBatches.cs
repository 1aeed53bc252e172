namespace Tweeling.Models.Spatial;

/// <summary>
/// A per-point computation spread over the cores: the points are cut into as many consecutive parts as there are cores
/// (none smaller than <see cref="MinimumPart"/>), and each part gets its own scratch state (a spatial index serves one
/// search at a time). Each point's result is computed on its own, so it does not depend on the part it falls in.
/// </summary>
internal static class PointBatches
{
    /// <summary>The fewest points a part holds: fewer do not pay for their scratch state (often a whole index).</summary>
    public const int MinimumPart = 512;

    /// <summary>Calls <paramref name="compute"/> for every index in <paramref name="which"/>, with the scratch state of its part.</summary>
    /// <param name="which">The point indexes to compute.</param>
    /// <param name="scratch">Makes one part's scratch state.</param>
    /// <param name="compute">Computes (and stores) the result of one point.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public static void Run<TScratch>(IReadOnlyList<int> which, Func<TScratch> scratch, Action<int, TScratch> compute, CancellationToken cancellationToken)
    {
        var parts = Math.Max(1, Math.Min(Environment.ProcessorCount, which.Count / MinimumPart));
        Parallel.For(0, parts, new ParallelOptions { CancellationToken = cancellationToken }, part =>
        {
            var state = scratch();
            var (from, to) = ((int)((long)which.Count * part / parts), (int)((long)which.Count * (part + 1) / parts));
            for (var k = from; k < to; k++)
            {
                if (((k - from) & 1023) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                compute(which[k], state);
            }
        });
    }
}
