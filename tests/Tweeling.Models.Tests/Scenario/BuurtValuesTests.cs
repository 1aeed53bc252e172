using Tweeling.Models.City;
using Tweeling.Models.Scenario;
using Tweeling.Models.Tests.Support;

namespace Tweeling.Models.Tests.Scenario;

/// <summary>
/// <see cref="BuurtValues"/> sums per buurt in the order the values come, whether they come buurt by buurt or mixed:
/// every mean and sum is the double the plain per-value sum gives, bit for bit.
/// </summary>
public sealed class BuurtValuesTests
{
    [Fact]
    public void Means_and_sums_are_the_plain_sums_in_order_whatever_the_order_of_the_buurten()
    {
        BuurtArea[] buurten = [new("BU01", Geo.Box(0, 0, 1, 1)), new("BU02", Geo.Box(1, 0, 2, 1)), new("BU03", Geo.Box(2, 0, 3, 1)), new("BU04", Geo.Box(3, 0, 4, 1))];
        var random = new Random(8);
        // Runs of one buurt and single values mixed, with values that do not add exactly, some not finite or weightless.
        var values = Enumerable.Range(0, 5_000)
            .Select(i => (Code: buurten[(i / (1 + (i % 7))) % 3].Code, Value: i % 97 == 0 ? double.NaN : random.NextDouble() * 1e3, Weight: i % 89 == 0 ? 0 : 1 + random.Next(40)))
            .ToList();

        var collected = new BuurtValues();
        var plain = new Dictionary<string, (double Sum, double Weight)>(StringComparer.Ordinal);
        var (citySum, cityWeight) = (0.0, 0.0);
        foreach (var (code, value, weight) in values)
        {
            // The code as a new string each time, as records read from a store carry their own instances.
            collected.Add(new string(code.AsSpan()), value, weight);
            if (double.IsFinite(value) && weight > 0)
            {
                var (sum, w) = plain.GetValueOrDefault(code);
                plain[code] = (sum + (value * weight), w + weight);
                (citySum, cityWeight) = (citySum + (value * weight), cityWeight + weight);
            }
        }

        var means = collected.Means("x", buurten, "GM01").ToList();
        var sums = collected.Sums("x", buurten, "GM01").ToList();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(plain[buurten[i].Code].Sum / plain[buurten[i].Code].Weight, means[i].Value);
            Assert.Equal(plain[buurten[i].Code].Sum, sums[i].Value);
        }

        // A buurt without values: no mean, a zero sum; the city: every value.
        Assert.Null(means[3].Value);
        Assert.Equal(0.0, sums[3].Value);
        Assert.Equal(citySum / cityWeight, means[4].Value);
        Assert.Equal(citySum, sums[4].Value);

        // Values added after reading count as well.
        collected.Add("BU04", 2, 1);
        Assert.Equal(2.0, collected.Means("x", buurten, "GM01").ElementAt(3).Value);
    }
}
