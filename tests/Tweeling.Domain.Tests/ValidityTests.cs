using Tweeling.Domain.Features;

namespace Tweeling.Domain.Tests;

public sealed class ValidityTests
{
    private static readonly DateTimeOffset s_a = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_b = new(2023, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_interval_holds_its_start_and_not_its_end()
    {
        var validity = new ValidityInterval(s_a, s_b);

        Assert.True(validity.Contains(s_a));
        Assert.False(validity.Contains(s_b));
        Assert.False(validity.Contains(s_a.AddTicks(-1)));
        Assert.True(new ValidityInterval(s_a).Contains(DateTimeOffset.MaxValue));
    }

    [Fact]
    public void An_interval_must_end_after_it_begins()
    {
        Assert.Throws<ArgumentException>(() => new ValidityInterval(s_b, s_a));
        Assert.Throws<ArgumentException>(() => new ValidityInterval(s_a, s_a));
    }

    [Fact]
    public void Temporal_filters_select_by_instant_or_overlap()
    {
        var validity = new ValidityInterval(s_a, s_b);

        Assert.True(TemporalFilter.At(s_a.AddDays(1)).Matches(validity));
        Assert.False(TemporalFilter.At(s_b).Matches(validity));
        Assert.True(TemporalFilter.Between(null, s_a).Matches(validity));
        Assert.False(TemporalFilter.Between(s_b, null).Matches(validity));
        Assert.True(TemporalFilter.Between(s_b.AddDays(-1), s_b.AddDays(1)).Matches(validity));
        Assert.Throws<ArgumentException>(() => TemporalFilter.Between(s_b, s_a));
    }
}
