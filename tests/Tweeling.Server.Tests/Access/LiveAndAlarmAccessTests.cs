using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tweeling.Domain.Alerts;
using Tweeling.Governance.Access;
using Tweeling.Server.Hosting;

namespace Tweeling.Server.Tests.Access;

/// <summary>
/// <c>/api/v1/live</c>, <c>/api/v1/drempels</c> and <c>/api/v1/alarmen</c> pass the access seam: <c>publiek</c>
/// gets the observations, thresholds and alerts of open Datastreams only, and paging counts only those.
/// Each test has a server of its own (<see cref="SensorAccessWorld"/>), since alerts change what the others see.
/// </summary>
public sealed class LiveAndAlarmAccessTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Live_events_carry_only_the_observations_and_alarms_of_readable_datastreams()
    {
        await using var world = new SensorAccessWorld();
        await world.InitializeAsync();
        var server = world.Server;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/live");
        using var live = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Cancel);
        using var reader = new StreamReader(await live.Content.ReadAsStreamAsync(Cancel));
        Assert.Equal("event: verbonden", await reader.ReadLineAsync(Cancel));

        // Published first, so that a leak would arrive before the open events the test waits for.
        await PostAsync(server, world.Internal.Datastream, 50, "2025-03-01T11:10:00Z");
        await PostAsync(server, world.Unlabelled.Datastream, 50, "2025-03-01T11:10:00Z");
        await PostAsync(server, world.Open.Datastream, 35, "2025-03-01T11:20:00Z");

        var events = new List<(string Type, JsonElement Data)>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        var type = "verbonden";
        while (!(events.Any(e => e.Type == "observatie") && events.Any(e => e.Type == "alarm")) && await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && type != "verbonden")
            {
                events.Add((type, JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone()));
            }
        }

        Assert.Equal(["observatie", "alarm"], events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal(world.Open.Datastream, e.Data.GetProperty("datastream").GetInt64()));
    }

    [Fact]
    public async Task Thresholds_and_alarms_of_hidden_datastreams_do_not_exist_for_publiek_and_paging_counts_only_readable_ones()
    {
        await using var world = new SensorAccessWorld();
        await world.InitializeAsync();
        var server = world.Server;
        await PostAsync(server, world.Open.Datastream, 35, "2025-03-01T11:00:00Z");
        await PostAsync(server, world.Internal.Datastream, 50, "2025-03-01T11:30:00Z");
        var alerts = await server.Store.Alerts.ListAlertsAsync(new AlertQuery(10), Cancel);
        var hiddenAlert = alerts.Single(a => a.DatastreamId == world.Internal.Datastream).Id;
        var openAlert = alerts.Single(a => a.DatastreamId == world.Open.Datastream).Id;

        var thresholds = await server.GetJsonAsync("/api/v1/drempels");
        var ofHidden = await server.GetJsonAsync($"/api/v1/drempels?datastream={world.Internal.Datastream}");
        using var firstPage = await server.Client.GetAsync("/api/v1/alarmen?limit=1", Cancel);
        var first = JsonDocument.Parse(await firstPage.Content.ReadAsStringAsync(Cancel)).RootElement;

        Assert.Equal([world.Open.Threshold], thresholds.EnumerateArray().Select(t => t.GetProperty("id").GetInt64()));
        Assert.Empty(ofHidden.EnumerateArray());
        Assert.Equal([openAlert], first.EnumerateArray().Select(a => a.GetProperty("id").GetInt64()));
        Assert.Empty((await server.GetJsonAsync("/api/v1/alarmen?limit=1&offset=1")).EnumerateArray());
        await Problems.AssertProblemAsync(server.Client, $"/api/v1/drempels/{world.Internal.Threshold}", 404);
        await Problems.AssertProblemAsync(server.Client, $"/api/v1/alarmen/{hiddenAlert}", 404);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync($"/api/v1/alarmen/{openAlert}", Cancel)).StatusCode);

        // A signed-in role reads them: the same seam, asked with a medewerker.
        var staff = await server.Services.GetRequiredService<ReadAccess>().SensorVisibilityAsync(new Caller(Role.Medewerker), Cancel);
        var readable = await server.Services.GetRequiredService<SensorAccess>().VisibleDatastreamsAsync(staff, Cancel);
        Assert.Equal(2, (await server.Store.Alerts.ListAlertsAsync(new AlertQuery(10, Datastreams: readable), Cancel)).Count);
    }

    private static async Task PostAsync(TwinServer server, long datastream, double result, string time)
    {
        using var body = new StringContent($$"""{"result": {{result}}, "phenomenonTime": "{{time}}"}""", Encoding.UTF8, "application/json");
        using var posted = await server.Writer.PostAsync($"/sta/v1.1/Datastreams({datastream})/Observations", body, Cancel);
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
    }
}
