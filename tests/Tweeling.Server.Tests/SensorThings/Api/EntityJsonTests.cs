using System.Globalization;
using Tweeling.Domain.Sensors;
using Tweeling.Server.Features.SensorThings;

namespace Tweeling.Server.Tests.SensorThings.Api;

/// <summary>
/// The entity writer formats times by hand (no format string parsed per value); it must write exactly what the
/// custom format <c>yyyy-MM-dd'T'HH:mm:ss.fff'Z'</c> of the UTC time writes, milliseconds cut rather than rounded.
/// </summary>
public sealed class EntityJsonTests
{
    [Theory]
    [InlineData("2025-03-01T12:00:00.0000000+00:00")]
    [InlineData("2025-03-01T12:00:00.9999999+00:00")]
    [InlineData("2024-02-29T23:59:59.1234567+02:00")]
    [InlineData("0001-01-01T00:00:00.0010000+00:00")]
    [InlineData("0987-07-04T05:06:07.0890000-05:30")]
    [InlineData("9999-12-31T23:59:59.9990000+00:00")]
    public void An_instant_reads_as_the_custom_format_writes_it(string text)
    {
        var instant = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

        Assert.Equal(Expected(instant), EntityJson.Format(SensorTime.At(instant)));
    }

    [Fact]
    public void An_interval_is_its_start_and_end_with_a_slash()
    {
        var start = new DateTimeOffset(2025, 3, 1, 12, 0, 0, 250, TimeSpan.Zero);
        var end = start.AddHours(6).AddTicks(9_999);

        Assert.Equal($"{Expected(start)}/{Expected(end)}", EntityJson.Format(new SensorTime(start, end)));
        Assert.Equal("2025-03-01T12:00:00.250Z/2025-03-01T18:00:00.250Z", EntityJson.Format(new SensorTime(start, end)));
    }

    private static string Expected(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
