using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Tweeling.Domain.Sensors.Query;
using Tweeling.Server.Features.SensorThings;
using Tweeling.Server.Hosting;
using Tweeling.Server.Tests.Access;
using Tweeling.Storage.Sqlite;

namespace Tweeling.Server.Tests.SensorThings.Api;

/// <summary>
/// Time windows of one Datastream's Observations are answered from memory (<c>RecentObservations</c>) exactly as the
/// store answers them: after an HTTP create, an append by another process into the store file, an update, a delete,
/// retention and a restart; and only for callers who may see the Datastream. The store's answer is the same window
/// with a filter term that is always true (<c>id ge 0</c>), which the in-memory series does not take, so it is read by SQL.
/// </summary>
public sealed partial class RecentObservationsTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Windows of every kind the series answers, with their paging, counts, selections, formats and expansions.</summary>
    private static readonly string[] s_windows =
    [
        "phenomenonTime ge 2025-03-01T05:00:00Z and phenomenonTime lt 2025-03-01T11:00:00Z",
        "phenomenonTime gt 2025-03-01T05:00:00Z and phenomenonTime le 2025-03-01T07:30:00Z|$count=true",
        "phenomenonTime ge 2025-02-28T00:00:00Z|$orderby=phenomenonTime asc&$top=50&$skip=20&$count=true",
        "phenomenonTime ge 2025-02-28T00:00:00Z and phenomenonTime lt 2025-03-01T13:00:00Z|$orderby=phenomenonTime desc&$top=1000",
        "phenomenonTime ge 2025-03-01T09:00:00Z and phenomenonTime lt 2025-03-01T10:02:30Z|$select=result,phenomenonTime,resultQuality",
        "phenomenonTime ge 2025-03-01T09:00:00Z and phenomenonTime lt 2025-03-01T11:00:00Z|$resultFormat=dataArray",
        "phenomenonTime ge 2025-03-01T09:00:00Z and phenomenonTime lt 2025-03-01T10:00:00Z|$expand=FeatureOfInterest",
        "phenomenonTime ge 2025-01-15T00:00:00Z and phenomenonTime lt 2025-01-25T00:00:00Z|$count=true",
    ];

    [Fact]
    public async Task Windows_from_memory_equal_the_stores_answer_after_ingest_update_delete_and_retention()
    {
        long datastream = 0;
        await using var server = await TwinServer.StartAsync(async store => datastream = await SeedAsync(store));
        var recent = server.Services.GetRequiredService<RecentObservations>();

        await AssertWindowsEqualTheStoreAsync(server, datastream);
        Assert.InRange(recent.Rows, 400, 1000);
        Assert.NotNull(await recent.TryQueryAsync(WindowQuery(datastream), server.Services.GetRequiredService<SqliteCommitCounter>().Current, Cancel));

        // Created over HTTP (a late Observation inside a window), then appended by another process into the store file.
        using (var posted = await server.Writer.PostAsync(
            $"/sta/v1.1/Datastreams({datastream})/Observations",
            Json("""{"phenomenonTime": "2025-03-01T06:01:00.000Z", "result": 1234}"""),
            Cancel))
        {
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        }

        await AssertWindowsEqualTheStoreAsync(server, datastream, contains: 1234);
        long appended;
        await using (var other = await SqliteTwinStore.OpenAsync(server.Store.Path, TwinHost.GeometryServices, Cancel))
        {
            appended = (await other.Sensors.AppendAsync([new NewObservation(datastream, new SensorTime(TwinServer.Now.AddHours(-3), TwinServer.Now.AddHours(-2)), 4321)], Cancel))[0];
        }

        await AssertWindowsEqualTheStoreAsync(server, datastream, contains: 4321);

        using (var updated = await server.Writer.PatchAsync($"/sta/v1.1/Observations({appended})", Json("""{"result": 5678, "phenomenonTime": "2025-03-01T09:30:00.000Z"}"""), Cancel))
        {
            Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        }

        await AssertWindowsEqualTheStoreAsync(server, datastream, contains: 5678);
        using (var deleted = await server.Writer.DeleteAsync($"/sta/v1.1/Observations({appended})", Cancel))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        await AssertWindowsEqualTheStoreAsync(server, datastream, lacks: 5678);

        // Retention: everything before 2025-03-01T08:00 goes, and the windows follow.
        Assert.True(await server.Store.Sensors.PruneAsync(TwinServer.Now.AddHours(-4), Cancel) > 0);
        await AssertWindowsEqualTheStoreAsync(server, datastream, lacks: 1234);
        Assert.InRange(recent.Rows, 1, 100);
    }

    [Fact]
    public async Task A_server_started_on_a_store_another_server_writes_reads_its_windows_from_the_file()
    {
        long datastream = 0;
        await using var first = await TwinServer.StartAsync(async store => datastream = await SeedAsync(store));
        await AssertWindowsEqualTheStoreAsync(first, datastream);

        // A second server on the same file, as after a restart: its series start empty and are read from the file.
        await using var store = await SqliteTwinStore.OpenAsync(first.Store.Path, TwinHost.GeometryServices, Cancel);
        await using var second = TwinHost.Build(store, "http://127.0.0.1:0", new FakeTimeProvider(TwinServer.Now), demoFeed: false, settings: TwinServer.OpenUnlabelledSensors);
        await second.StartAsync(Cancel);
        using var client = new HttpClient { BaseAddress = new Uri(second.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()) };
        var recent = second.Services.GetRequiredService<RecentObservations>();
        Assert.Equal(0, recent.Rows);
        await AssertWindowsEqualTheStoreAsync(client, datastream);
        Assert.True(recent.Rows > 0);

        using (var posted = await first.Writer.PostAsync(
            $"/sta/v1.1/Datastreams({datastream})/Observations", Json("""{"phenomenonTime": "2025-03-01T10:59:00.000Z", "result": 777}"""), Cancel))
        {
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        }

        await AssertWindowsEqualTheStoreAsync(client, datastream, contains: 777);
        await second.StopAsync(Cancel);
    }

    [Fact]
    public async Task A_window_from_memory_is_only_given_to_callers_who_may_see_its_datastream()
    {
        await using var world = new SensorAccessWorld();
        await world.InitializeAsync();
        var server = world.Server;
        var window = $"/sta/v1.1/Datastreams({world.Internal.Datastream})/Observations?$filter=phenomenonTime%20ge%202025-03-01T11:00:00Z%20and%20phenomenonTime%20lt%202025-03-01T12:00:00Z";
        using var medewerker = await server.ClientAsAsync("medewerker");

        // Asked by each twice, each order: the second reads come from the series the first read in.
        foreach (var _ in Enumerable.Range(0, 2))
        {
            using var forPubliek = await server.Client.GetAsync(window, Cancel);
            Assert.Equal(HttpStatusCode.NotFound, forPubliek.StatusCode);
            using var forMedewerker = await medewerker.GetAsync(window, Cancel);
            Assert.Equal(HttpStatusCode.OK, forMedewerker.StatusCode);
            Assert.Equal(2, JsonDocument.Parse(await forMedewerker.Content.ReadAsStringAsync(Cancel)).RootElement.GetProperty("value").GetArrayLength());
        }

        Assert.True(server.Services.GetRequiredService<RecentObservations>().Rows > 0);
    }

    /// <summary>Every window of <see cref="s_windows"/> from the series (the plain URL) and from SQL (with <c>id ge 0</c>), compared byte for byte but for next links.</summary>
    private static Task AssertWindowsEqualTheStoreAsync(TwinServer server, long datastream, double? contains = null, double? lacks = null) =>
        AssertWindowsEqualTheStoreAsync(server.Client, datastream, contains, lacks);

    private static async Task AssertWindowsEqualTheStoreAsync(HttpClient client, long datastream, double? contains = null, double? lacks = null)
    {
        var all = new StringBuilder();
        foreach (var window in s_windows)
        {
            var (filter, rest) = window.Split('|') is [var f, var r] ? (f, "&" + r) : (window, "");
            var path = $"/sta/v1.1/Datastreams({datastream})/Observations?$filter=";
            var fromMemory = await client.GetStringAsync(path + Uri.EscapeDataString(filter) + rest, Cancel);
            var fromStore = await client.GetStringAsync(path + Uri.EscapeDataString($"({filter}) and id ge 0") + rest, Cancel);
            Assert.Equal(Body(fromStore), Body(fromMemory));
            all.Append(fromMemory);
        }

        if (contains is { } present)
        {
            Assert.Contains($":{present}", all.ToString(), StringComparison.Ordinal);
        }

        if (lacks is { } absent)
        {
            Assert.DoesNotContain($":{absent}", all.ToString(), StringComparison.Ordinal);
        }
    }

    private static SensorQuery WindowQuery(long datastream) => new(
        SensorEntitySet.Observations,
        new SensorScope(SensorEntitySet.Datastreams, datastream, "Observations"),
        FilterParser.Parse(s_windows[0]),
        [new OrderByItem(new PropertyPath("phenomenonTime"), SortDirection.Descending)],
        101,
        0,
        false,
        TwinServer.Now,
        new SensorVisibility(new HashSet<string>(), Unlabelled: true));

    /// <summary>The answer without its next link, which repeats the request's own query.</summary>
    private static string Body(string json) => NextLink().Replace(json, string.Empty);

    [GeneratedRegex("\"@iot\\.nextLink\":\"[^\"]*\",?")]
    private static partial Regex NextLink();

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>
    /// A Datastream with 600 Observations every 5 minutes up to <see cref="TwinServer.Now"/>, then some in the hour after:
    /// every 7th an interval of 5 minutes, every 11th with a JSON result, every 13th with a resultQuality and parameters,
    /// every 17th with a resultTime, some pairs at the same time (the store breaks the tie by id), and 20 from 40 days
    /// before (outside the series' horizon, so windows there are read by SQL).
    /// </summary>
    private static async Task<long> SeedAsync(SqliteTwinStore store)
    {
        var thing = await SensorSeed.WeatherStationAsync(store);
        var datastream = thing.DatastreamIds[0];
        var feature = await store.Sensors.CreateAsync(
            new FeatureOfInterest(0, "Dam", "The square", "application/geo+json", TwinHost.GeometryServices.CreateGeometryFactory(Tweeling.Domain.Geo.Crs.Crs84Srid).CreatePoint(new NetTopologySuite.Geometries.Coordinate(4.9, 52.37))), Cancel);
        var quality = JsonDocument.Parse("""{"flag": "checked"}""").RootElement.Clone();
        var parameters = JsonDocument.Parse("""{"height": 2.5}""").RootElement.Clone();
        var observations = new List<NewObservation>();
        for (var i = 0; i < 620; i++)
        {
            var start = TwinServer.Now.AddMinutes(-5 * (600 - i) + (i % 9 == 0 ? 5 : 0));
            observations.Add(new NewObservation(
                datastream,
                i % 7 == 0 ? new SensorTime(start, start.AddMinutes(5)) : SensorTime.At(start),
                i % 11 == 0 ? null : i * 0.5,
                i % 11 == 0 ? JsonDocument.Parse($$"""{"state": "s{{i}}"}""").RootElement.Clone() : null,
                i % 17 == 0 ? start.AddSeconds(30) : null,
                i % 3 == 0 ? feature.Id : null,
                i % 13 == 0 ? quality : null,
                null,
                i % 13 == 0 ? parameters : null));
        }

        observations.AddRange(Enumerable.Range(0, 20).Select(i => new NewObservation(datastream, SensorTime.At(TwinServer.Now.AddDays(-40).AddHours(i)), i)));
        await store.Sensors.AppendAsync(observations, Cancel);
        return datastream;
    }
}
