using Tweeling.Models.Graph;

namespace Tweeling.Models.Tests.Graph;

/// <summary>
/// <see cref="KeptRunStates{TState}"/>, the states the accessibility and traffic models keep for the next edit: found by
/// the very output a run wrote, at most so many, the least recently used going first (or, with keepFound, the least
/// recently used of those never found again).
/// </summary>
public sealed class KeptRunStatesTests
{
    [Fact]
    public void A_state_is_found_by_its_output_instance_and_the_least_recently_used_goes_first()
    {
        var states = new KeptRunStates<string>(capacity: 2);
        var (a, b, c) = (new List<int> { 1 }, new List<int> { 1 }, new List<int> { 1 });
        states.Keep(a, "a");
        states.Keep(b, "b");

        Assert.Equal("a", states.Find(a));
        Assert.Null(states.Find(new List<int> { 1 }));

        // a was used after b: b goes.
        states.Keep(c, "c");
        Assert.Null(states.Find(b));
        Assert.Equal("a", states.Find(a));
        Assert.Equal("c", states.Find(c));

        GC.KeepAlive((a, b, c));
    }

    [Fact]
    public void With_keep_found_a_state_found_again_outlives_the_ones_never_found()
    {
        var states = new KeptRunStates<string>(capacity: 2, keepFound: true);
        var (baseline, first, second, third) = (new object(), new object(), new object(), new object());
        states.Keep(baseline, "baseline");
        Assert.Equal("baseline", states.Find(baseline));
        states.Keep(first, "first");

        // The baseline is the least recently used, but it was found again; first never was.
        states.Keep(second, "second");
        Assert.Equal("baseline", states.Find(baseline));
        Assert.Null(states.Find(first));

        // Once every state was found, the least recently used goes.
        Assert.Equal("second", states.Find(second));
        states.Keep(third, "third");
        Assert.Null(states.Find(baseline));
        Assert.Equal("second", states.Find(second));
        Assert.Equal("third", states.Find(third));

        GC.KeepAlive((baseline, first, second, third));
    }

    [Fact]
    public void A_state_whose_output_is_gone_makes_room_before_a_live_one_goes()
    {
        var states = new KeptRunStates<string>(capacity: 2);
        KeepWithOutputNobodyHolds(states);
        var (live, next) = (new object(), new object());
        states.Keep(live, "live");
        GC.Collect();
        GC.WaitForPendingFinalizers();

        // Two states at capacity two, but the first one's output is collected: it goes, not the live one.
        states.Keep(next, "next");
        Assert.Equal("live", states.Find(live));
        Assert.Equal("next", states.Find(next));
        GC.KeepAlive((live, next));

        // Not inlined, so nothing of the test's frame holds the output when the collector runs.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        static void KeepWithOutputNobodyHolds(KeptRunStates<string> states) => states.Keep(new object(), "gone");
    }
}
