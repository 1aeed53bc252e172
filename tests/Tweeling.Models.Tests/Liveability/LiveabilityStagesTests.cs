using System.Collections;
using Tweeling.Models.City;
using Tweeling.Models.Graph;
using Tweeling.Models.Heat;
using Tweeling.Models.Liveability;
using Tweeling.Models.Noise;

namespace Tweeling.Models.Tests.Liveability;

/// <summary>
/// How a run of <c>leefbaarheid</c>, whose stages go side by side on pool threads, ends when it cannot finish: a
/// cancelled token and bad input surface as themselves (not wrapped in an <see cref="AggregateException"/>), and no
/// stage is still reading its input when the run has thrown.
/// </summary>
public sealed class LiveabilityStagesTests
{
    // How long a held input waits for the failure it is held for, at the most: a bound, not a delay; the run waits only as
    // long as the failing stage takes to fail.
    private static readonly TimeSpan s_holdBound = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void A_cancelled_token_ends_a_full_run_with_an_OperationCanceledException_that_carries_it()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        var error = Assert.Throws<OperationCanceledException>(() => ModelRun.Execute(new LiveabilityModel(), new LiveabilityModelTests.Scene().Inputs(), 0, cancelled.Token));

        Assert.Equal(cancelled.Token, error.CancellationToken);
    }

    [Fact]
    public void A_cancelled_token_ends_an_incremental_run_with_an_OperationCanceledException_that_carries_it()
    {
        var model = new LiveabilityModel();
        var inputs = new LiveabilityModelTests.Scene().Inputs();
        var output = ModelRun.Execute(model, inputs, 0, Ct);
        var edited = new LiveabilityModelTests.Scene { Lden = 70 }.Inputs();
        var previous = new PreviousRun(inputs, output, new HashSet<string>([NoisePorts.FacadeLevels.Name], StringComparer.Ordinal));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        var error = Assert.Throws<OperationCanceledException>(() => ModelRun.ExecuteIncremental(model, edited, 0, previous, cancelled.Token));

        Assert.Equal(cancelled.Token, error.CancellationToken);
        // Not vacuous: with a live token the same edit runs from the earlier run.
        Assert.NotNull(ModelRun.ExecuteIncremental(model, edited, 0, previous, Ct));
    }

    [Fact]
    public void A_road_listed_twice_fails_the_run_with_an_ArgumentException_once_every_stage_has_stopped()
    {
        // The road stage refuses a road id listed twice, while the stage that reads the heat cells is at work (HeldScene);
        // the run must stop that stage and wait for it before it throws, so nothing reads the inputs after it has returned.
        using var scene = new HeldScene(roads => [.. roads, roads[0]]);

        var error = Assert.Throws<ArgumentException>(() => ModelRun.Execute(new LiveabilityModel(), scene.Inputs, 0, Ct));

        Assert.Contains("L1", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, scene.Reading.Now);
    }

    [Fact]
    public void The_same_input_with_each_road_once_runs_to_the_end()
    {
        // The failure above is the repeated road's: with the same holds, the watched lists themselves run through.
        var expected = ContentHash.Of(ModelRun.Execute(new LiveabilityModel(), new LiveabilityModelTests.Scene().Inputs(), 0, Ct)[LiveabilityPorts.Liveability.Name]);
        using var scene = new HeldScene(roads => roads);

        var output = ModelRun.Execute(new LiveabilityModel(), scene.Inputs, 0, Ct);

        Assert.Equal(expected, ContentHash.Of(output[LiveabilityPorts.Liveability.Name]));
        Assert.True(scene.RoadsRead);
        Assert.Equal(0, scene.Reading.Now);
    }

    /// <summary>
    /// The liveability scene with its roads and heat cells watched and held against each other: the road stage reads the
    /// roads only once another stage has begun to read the cells, and that stage reads them only once the roads have been
    /// read, so it is at work when the road stage ends. The cells are the scene's and 200,000 more outside its buildings'
    /// (columns from 1,000 on), which leave that stage a few milliseconds of work after its hold, not microseconds.
    /// </summary>
    private sealed class HeldScene : IDisposable
    {
        private readonly ManualResetEventSlim _cellsStarted = new();
        private readonly ManualResetEventSlim _roadsRead = new();

        /// <param name="roads">The roads the run gets, from the scene's.</param>
        public HeldScene(Func<List<RoadLink>, List<RoadLink>> roads)
        {
            Inputs = new LiveabilityModelTests.Scene().Inputs();
            var cells = (List<HeatCell>)Inputs[HeatPorts.Cells.Name];
            Inputs[CityPorts.Roads.Name] = new WatchedList<RoadLink>(roads((List<RoadLink>)Inputs[CityPorts.Roads.Name]), Reading, holdUntil: _cellsStarted, whenRead: _roadsRead);
            Inputs[HeatPorts.Cells.Name] = new WatchedList<HeatCell>(
                [.. cells, .. Enumerable.Range(0, 200_000).Select(k => cells[0] with { Column = 1_000 + (k % 1_000), Row = k / 1_000 })],
                Reading,
                whenStarted: _cellsStarted,
                holdUntil: _roadsRead);
        }

        public Dictionary<string, object> Inputs { get; }

        public ReadingCount Reading { get; } = new();

        public bool RoadsRead => _roadsRead.IsSet;

        public void Dispose()
        {
            _cellsStarted.Dispose();
            _roadsRead.Dispose();
        }
    }

    /// <summary>How many enumerations of the watched lists are under way.</summary>
    private sealed class ReadingCount
    {
        private int _now;

        public int Now => Volatile.Read(ref _now);

        public void Started() => Interlocked.Increment(ref _now);

        public void Ended() => Interlocked.Decrement(ref _now);
    }

    /// <summary>
    /// A list whose enumerations are counted while they run: one sets <paramref name="whenStarted"/> as it starts, is held
    /// before the first item until <paramref name="holdUntil"/> is set (at most <see cref="s_holdBound"/>), and sets
    /// <paramref name="whenRead"/> when it ends, read through or not.
    /// </summary>
    private sealed class WatchedList<T>(
        IReadOnlyList<T> items, ReadingCount reading, ManualResetEventSlim? whenStarted = null, ManualResetEventSlim? holdUntil = null, ManualResetEventSlim? whenRead = null)
        : IReadOnlyList<T>
    {
        public int Count => items.Count;

        public T this[int index] => items[index];

        public IEnumerator<T> GetEnumerator()
        {
            reading.Started();
            try
            {
                whenStarted?.Set();
                _ = holdUntil?.Wait(s_holdBound, Ct);
                foreach (var item in items)
                {
                    yield return item;
                }
            }
            finally
            {
                whenRead?.Set();
                reading.Ended();
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
