using Tweeling.Domain.Alerts;

namespace Tweeling.Domain.Tests.Alerts;

/// <summary>A threshold's invariants and what raises and clears its alert.</summary>
public sealed class ThresholdTests
{
    [Fact]
    public void Above_raises_past_the_value_and_clears_only_at_the_clear_value()
    {
        var threshold = new Threshold(0, 1, "Drukte", ThresholdCondition.Above, 100, AlertSeverity.Warning, clearValue: 90);

        Assert.Equal([false, false, true], new[] { 99.0, 100.0, 100.5 }.Select(threshold.IsCrossedBy));
        Assert.Equal([false, false, true, true], new[] { 100.5, 90.1, 90.0, 10.0 }.Select(threshold.IsClearedBy));
    }

    [Fact]
    public void Below_mirrors_above()
    {
        var threshold = new Threshold(0, 1, "Waterpeil", ThresholdCondition.Below, -0.4, AlertSeverity.Critical, clearValue: -0.3);

        Assert.Equal([false, false, true], new[] { -0.3, -0.4, -0.41 }.Select(threshold.IsCrossedBy));
        Assert.Equal([false, true, true], new[] { -0.35, -0.3, 0.0 }.Select(threshold.IsClearedBy));
    }

    [Fact]
    public void Equal_raises_on_the_status_and_clears_on_any_other_and_without_a_clear_value_the_limit_clears()
    {
        var status = new Threshold(0, 1, "Storing", ThresholdCondition.Equal, 2, AlertSeverity.Critical);
        var plain = new Threshold(0, 1, "NO2", ThresholdCondition.Above, 200, AlertSeverity.Warning);

        Assert.Equal([false, false, true], new[] { 0.0, 1.0, 2.0 }.Select(status.IsCrossedBy));
        Assert.Equal([true, true, false], new[] { 0.0, 1.0, 2.0 }.Select(status.IsClearedBy));
        Assert.Equal(200, plain.ClearValue);
        Assert.True(plain.IsClearedBy(200));
    }

    [Theory]
    [InlineData(ThresholdCondition.Above, 10.0, 11.0, "clearValue")]
    [InlineData(ThresholdCondition.Below, 10.0, 9.0, "clearValue")]
    [InlineData(ThresholdCondition.Equal, 2.0, 1.0, "clearValue")]
    [InlineData(ThresholdCondition.Above, double.NaN, null, "value")]
    [InlineData(ThresholdCondition.Above, 10.0, double.PositiveInfinity, "clearValue")]
    [InlineData((ThresholdCondition)7, 10.0, null, "condition")]
    public void An_inconsistent_threshold_is_refused_naming_the_parameter(ThresholdCondition condition, double value, double? clearValue, string parameter)
    {
        var error = Assert.Throws<ArgumentException>(() => new Threshold(0, 1, "x", condition, value, AlertSeverity.Info, clearValue));

        Assert.Equal(parameter, error.ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void A_threshold_needs_a_name(string name) =>
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => new Threshold(0, 1, name, ThresholdCondition.Above, 1, AlertSeverity.Info)).ParamName);
}
