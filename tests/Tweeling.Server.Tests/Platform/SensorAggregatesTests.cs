using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Tweeling.Server.Tests.Access;

namespace Tweeling.Server.Tests.Platform;

/// <summary>
/// <c>/api/v1/sensoren/{sensor}/reeksen/{reeks}/aggregaten</c>: a Datastream's count, lowest, highest and mean per UTC
/// hour or day from the store's rollups, over HTTP, through the access seam (<see cref="SensorAggregatesWorld"/>).
/// </summary>
public sealed class SensorAggregatesTests(SensorAggregatesWorld fixture) : IClassFixture<SensorAggregatesWorld>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SensorAccessWorld World => fixture.World;

    private TwinServer Server => World.Server;

    private string PathOf(SensorAccessWorld.Seeded seeded, string query = "") =>
        $"/api/v1/sensoren/{seeded.Thing}/reeksen/{seeded.Datastream}/aggregaten{query}";

    private static async Task<JsonElement> OkJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} gave {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private static List<(string Begin, long Count, double Min, double Max, double Mean)> Buckets(JsonElement answer) =>
        [.. answer.GetProperty("aggregaten").EnumerateArray().Select(b => (
            b.GetProperty("begin").GetDateTimeOffset().ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
            b.GetProperty("aantal").GetInt64(), b.GetProperty("min").GetDouble(), b.GetProperty("max").GetDouble(), Math.Round(b.GetProperty("gemiddelde").GetDouble(), 9)))];

    [Fact]
    public async Task Hourly_aggregates_give_count_lowest_highest_and_mean_per_utc_hour_oldest_first()
    {
        var answer = await OkJsonAsync(Server.Client, PathOf(World.Open, "?interval=uur&van=2025-03-01T10:00:00Z&tot=2025-03-01T12:00:00Z"));

        Assert.Equal([("2025-03-01T10:00", 3L, 1.0, 6.0, 3.0), ("2025-03-01T11:00", 2L, 11.0, 12.0, 11.5)], Buckets(answer));
        Assert.Equal(("uur", World.Open.Thing, World.Open.Datastream, "µg/m³"),
            (answer.GetProperty("interval").GetString(), answer.GetProperty("sensor").GetInt64(), answer.GetProperty("reeks").GetInt64(), answer.GetProperty("eenheid").GetString()));
        Assert.EndsWith($"/sta/v1.1/Datastreams({World.Open.Datastream})", answer.GetProperty("links").GetProperty("datastream").GetProperty("href").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Daily_aggregates_put_the_day_in_one_bucket_and_the_default_window_is_the_last_24_hours()
    {
        var daily = await OkJsonAsync(Server.Client, PathOf(World.Open, "?interval=dag&van=2025-03-01T00:00:00Z&tot=2025-03-02T00:00:00Z"));
        // No parameters: hours of the 24 hours before the server's clock (2025-03-01 12:00 UTC).
        var byDefault = await OkJsonAsync(Server.Client, PathOf(World.Open));
        // A window starting after the day's start holds no day bucket: a bucket is listed when it begins in the window.
        var lateStart = await OkJsonAsync(Server.Client, PathOf(World.Open, "?interval=dag&van=2025-03-01T06:00:00Z&tot=2025-03-02T00:00:00Z"));

        Assert.Equal([("2025-03-01T00:00", 5L, 1.0, 12.0, 6.4)], Buckets(daily));
        Assert.Equal(["2025-03-01T10:00", "2025-03-01T11:00"], Buckets(byDefault).Select(b => b.Begin));
        Assert.Equal("2025-02-28T12:00:00+00:00", byDefault.GetProperty("van").GetDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
        Assert.Empty(Buckets(lateStart));
    }

    [Fact]
    public async Task The_public_finds_no_internal_sensor_a_medewerker_does_and_a_datastream_of_another_sensor_is_not_found()
    {
        using var publicAnswer = await Server.Client.GetAsync(PathOf(World.Internal), Ct);
        var signedIn = await OkJsonAsync(Server.Writer, PathOf(World.Internal));
        using var crossed = await Server.Writer.GetAsync($"/api/v1/sensoren/{World.Open.Thing}/reeksen/{World.Internal.Datastream}/aggregaten", Ct);
        using var unknown = await Server.Writer.GetAsync("/api/v1/sensoren/999999/reeksen/999999/aggregaten", Ct);
        using var notANumber = await Server.Writer.GetAsync($"/api/v1/sensoren/x/reeksen/{World.Open.Datastream}/aggregaten", Ct);

        Assert.Equal(HttpStatusCode.NotFound, publicAnswer.StatusCode);
        Assert.DoesNotContain("Geheim", await publicAnswer.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal([(2L, 40.0, 41.0, 40.5)], Buckets(signedIn).Select(b => (b.Count, b.Min, b.Max, b.Mean)));
        Assert.Equal(HttpStatusCode.NotFound, crossed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notANumber.StatusCode);
    }

    [Theory]
    [InlineData("?interval=week", "'interval'")]
    [InlineData("?van=2025-03-01T10:00:00", "'van'")]
    [InlineData("?van=2025-03-01T12:00:00Z&tot=2025-03-01T10:00:00Z", "must lie before")]
    [InlineData("?interval=uur&van=2025-01-01T00:00:00Z&tot=2025-03-01T00:00:00Z", "interval=dag")]
    [InlineData("?periode=maand", "Unknown query parameter 'periode'")]
    public async Task Bad_parameters_are_a_problem_response_naming_the_fault(string query, string named)
    {
        using var response = await Server.Client.GetAsync(PathOf(World.Open, query), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(named, body, StringComparison.Ordinal);
    }
}

/// <summary>
/// <see cref="SensorAccessWorld"/> (the open Thing's Datastream has 11 and 12 at 11:58 and 11:59 on 2025-03-01, the
/// internal one 40 and 41) with three more values on the open Datastream in the hour before: 1, 2 and 6 (mean 3),
/// posted once over SensorThings.
/// </summary>
public sealed class SensorAggregatesWorld : IAsyncLifetime
{
    public SensorAccessWorld World { get; } = new();

    public async ValueTask InitializeAsync()
    {
        await World.InitializeAsync();
        var ct = TestContext.Current.CancellationToken;
        foreach (var (result, time) in new[] { (1.0, "10:05"), (2.0, "10:30"), (6.0, "10:55") })
        {
            using var body = new StringContent(
                $$"""{"result": {{result.ToString(CultureInfo.InvariantCulture)}}, "phenomenonTime": "2025-03-01T{{time}}:00Z"}""", Encoding.UTF8, "application/json");
            using var posted = await World.Server.Writer.PostAsync($"/sta/v1.1/Datastreams({World.Open.Datastream})/Observations", body, ct);
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        }
    }

    public ValueTask DisposeAsync() => World.DisposeAsync();
}
