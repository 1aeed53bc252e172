using Tweeling.Models.Graph;

namespace Tweeling.Models.Tests.Graph;

/// <summary>
/// <see cref="SideBySideStages"/>: a failure of a stage or of the calling thread stops and waits for every stage before
/// it goes on, and the caller sees the original exception, or its own cancellation with its own token. Every wait here
/// is for a condition, with a bound; none is for a time.
/// </summary>
public sealed class SideBySideStagesTests
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_results_of_stages_that_all_finish_are_taken_as_they_are()
    {
        using var stages = new SideBySideStages(Ct);
        var (a, b) = (stages.Start(_ => 2), stages.Start(_ => "three"));

        Assert.Equal((2, "three"), (await a, await b));
    }

    [Fact]
    public void A_stage_failure_stops_and_waits_for_the_other_stages_and_surfaces_as_itself()
    {
        var other = new UntilStopped();
        var error = Assert.Throws<ArgumentException>(() => Run(
            stages =>
            {
                var running = stages.Start(other.Run);
                var failing = stages.Start<int>(_ =>
                {
                    other.WaitStarted();
                    throw new ArgumentException("A road id is listed twice.");
                });
                _ = ResultOf(failing);
                _ = ResultOf(running);
            },
            Ct));

        Assert.Equal("A road id is listed twice.", error.Message);
        Assert.True(other.Ended, "The other stage was still running when the failure surfaced.");
        Assert.True(other.SawCancellation, "The other stage was not told to stop.");
    }

    [Fact]
    public void A_failure_on_the_calling_thread_stops_and_waits_for_the_stages_and_surfaces_as_itself()
    {
        var stage = new UntilStopped();
        var error = Assert.Throws<InvalidOperationException>(() => Run(
            stages =>
            {
                _ = stages.Start(stage.Run);
                stage.WaitStarted();
                throw new InvalidOperationException("The calling thread's own work failed.");
            },
            Ct));

        Assert.Equal("The calling thread's own work failed.", error.Message);
        Assert.True(stage.Ended && stage.SawCancellation);
    }

    [Fact]
    public void A_stage_failure_the_calling_thread_meets_as_a_cancellation_surfaces_as_the_stage_failure()
    {
        var error = Assert.Throws<ArgumentException>(() => Run(
            stages =>
            {
                _ = stages.Start<int>(_ => throw new ArgumentException("bad input"));
                // The calling thread's own work checks the stages' token, which the failure cancels.
                _ = stages.Token.WaitHandle.WaitOne(s_bound);
                stages.Token.ThrowIfCancellationRequested();
            },
            Ct));

        Assert.Equal("bad input", error.Message);
    }

    [Fact]
    public void The_callers_cancellation_surfaces_as_an_OperationCanceledException_with_the_callers_token()
    {
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var stage = new UntilStopped();
        var error = Assert.Throws<OperationCanceledException>(() => Run(
            stages =>
            {
                var running = stages.Start(stage.Run);
                stage.WaitStarted();
                caller.Cancel();
                _ = ResultOf(running);
            },
            caller.Token));

        Assert.Equal(caller.Token, error.CancellationToken);
        Assert.True(stage.Ended && stage.SawCancellation);
    }

    [Fact]
    public void A_token_cancelled_before_the_start_throws_at_once()
    {
        using var caller = new CancellationTokenSource();
        caller.Cancel();

        var error = Assert.Throws<OperationCanceledException>(() => new SideBySideStages(caller.Token));

        Assert.Equal(caller.Token, error.CancellationToken);
    }

    // The calling thread's part of a run, with its failures handled as a model's Run handles them.
    private static void Run(Action<SideBySideStages> work, CancellationToken cancellationToken)
    {
        using var stages = new SideBySideStages(cancellationToken);
        try
        {
            work(stages);
        }
        catch (Exception caught)
        {
            stages.Rethrow(caught);
        }
    }

    // A stage's result as the model's Run takes it, on the calling thread: a stage's exception is thrown as it is.
    private static T ResultOf<T>(Task<T> stage) => stage.GetAwaiter().GetResult();

    /// <summary>A stage that runs until its token is cancelled (at most <see cref="s_bound"/>), and says when it has started and ended.</summary>
    private sealed class UntilStopped
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile bool _ended;
        private volatile bool _sawCancellation;

        public bool Ended => _ended;

        public bool SawCancellation => _sawCancellation;

        public int Run(CancellationToken token)
        {
            _started.TrySetResult();
            try
            {
                _sawCancellation = token.WaitHandle.WaitOne(s_bound);
                token.ThrowIfCancellationRequested();
                return 1;
            }
            finally
            {
                _ended = true;
            }
        }

        public void WaitStarted() => Assert.True(_started.Task.Wait(s_bound, Ct), "The stage did not start.");
    }
}
