using System.Net;
using System.Text.Json;
using Tweeling.Domain.Ports;

namespace Tweeling.Server.Tests.SensorThings.Api;

public sealed class EntityReadTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_deep_inserted_thing_reads_back_with_a_self_link_and_navigation_links_that_resolve()
    {
        ThingInserted inserted = null!;
        await using var server = await TwinServer.StartAsync(async store => inserted = await SensorSeed.WeatherStationAsync(store));
        var selfUrl = new Uri(server.Address, $"/sta/v1.1/Things({inserted.ThingId})").ToString();

        var thing = await server.GetJsonAsync($"/sta/v1.1/Things({inserted.ThingId})");

        Assert.Equal(inserted.ThingId, thing.GetProperty("@iot.id").GetInt64());
        Assert.Equal(selfUrl, thing.GetProperty("@iot.selfLink").GetString());
        Assert.Equal("Station Dam", thing.GetProperty("name").GetString());
        Assert.Equal("gemeente", thing.GetProperty("properties").GetProperty("owner").GetString());
        Assert.Equal(selfUrl + "/Datastreams", thing.GetProperty("Datastreams@iot.navigationLink").GetString());
        Assert.Equal(selfUrl + "/HistoricalLocations", thing.GetProperty("HistoricalLocations@iot.navigationLink").GetString());
        Assert.Equal(inserted.ThingId, (await server.GetJsonAsync(thing.GetProperty("@iot.selfLink").GetString()!)).GetProperty("@iot.id").GetInt64());

        var locations = await server.GetJsonAsync(thing.GetProperty("Locations@iot.navigationLink").GetString()!);
        var location = Assert.Single(locations.GetProperty("value").EnumerateArray());
        Assert.Equal(inserted.LocationIds[0], location.GetProperty("@iot.id").GetInt64());
        Assert.Equal("application/geo+json", location.GetProperty("encodingType").GetString());
        Assert.Equal("Point", location.GetProperty("location").GetProperty("type").GetString());
        Assert.Equal([4.9, 52.37], location.GetProperty("location").GetProperty("coordinates").EnumerateArray().Select(c => c.GetDouble()));

        var datastream = await server.GetJsonAsync($"/sta/v1.1/Datastreams({inserted.DatastreamIds[0]})");
        Assert.Equal("°C", datastream.GetProperty("unitOfMeasurement").GetProperty("symbol").GetString());
        Assert.Equal(SensorSeed.Measurement, datastream.GetProperty("observationType").GetString());
        Assert.Equal(JsonValueKind.Null, datastream.GetProperty("phenomenonTime").ValueKind);
        var owner = await server.GetJsonAsync(datastream.GetProperty("Thing@iot.navigationLink").GetString()!);
        Assert.Equal(inserted.ThingId, owner.GetProperty("@iot.id").GetInt64());
        var sensor = await server.GetJsonAsync(datastream.GetProperty("Sensor@iot.navigationLink").GetString()!);
        Assert.Equal("PT100", sensor.GetProperty("name").GetString());
        Assert.Equal("https://example.org/pt100.pdf", sensor.GetProperty("metadata").GetString());
        var observed = await server.GetJsonAsync(datastream.GetProperty("ObservedProperty@iot.navigationLink").GetString()!);
        Assert.Equal("Air temperature", observed.GetProperty("name").GetString());
        var none = await server.GetJsonAsync(datastream.GetProperty("Observations@iot.navigationLink").GetString()!);
        Assert.Empty(none.GetProperty("value").EnumerateArray());

        var historical = await server.GetJsonAsync($"/sta/v1.1/HistoricalLocations({inserted.HistoricalLocationId})");
        Assert.Equal("2025-03-01T12:00:00.000Z", historical.GetProperty("time").GetString());
        Assert.Equal(inserted.ThingId, (await server.GetJsonAsync(historical.GetProperty("Thing@iot.navigationLink").GetString()!)).GetProperty("@iot.id").GetInt64());
        Assert.Single((await server.GetJsonAsync(historical.GetProperty("Locations@iot.navigationLink").GetString()!)).GetProperty("value").EnumerateArray());
    }

    [Fact]
    public async Task Paging_with_top_skip_and_next_link_visits_every_entity_once()
    {
        await using var server = await TwinServer.StartAsync(async store =>
        {
            for (var i = 0; i < 7; i++)
            {
                await SensorSeed.BareThingAsync(store, $"Thing {i}");
            }
        });

        var seen = new List<long>();
        string? next = "/sta/v1.1/Things?$top=3&$count=true";
        var pages = 0;
        while (next is not null)
        {
            var page = await server.GetJsonAsync(next);
            Assert.Equal(7, page.GetProperty("@iot.count").GetInt64());
            seen.AddRange(page.GetProperty("value").EnumerateArray().Select(t => t.GetProperty("@iot.id").GetInt64()));
            next = page.TryGetProperty("@iot.nextLink", out var link) ? link.GetString() : null;
            pages++;
        }

        Assert.Equal(3, pages);
        Assert.Equal(7, seen.Distinct().Count());
        Assert.Equal(7, seen.Count);

        var skipped = await server.GetJsonAsync("/sta/v1.1/Things?$skip=5");
        Assert.Equal(seen[5..], skipped.GetProperty("value").EnumerateArray().Select(t => t.GetProperty("@iot.id").GetInt64()));
        Assert.False(skipped.TryGetProperty("@iot.nextLink", out _));
        Assert.False(skipped.TryGetProperty("@iot.count", out _));
        Assert.False((await server.GetJsonAsync("/sta/v1.1/Things?$count=false")).TryGetProperty("@iot.count", out _));
        var none = await server.GetJsonAsync("/sta/v1.1/Things?$count=true&$top=0");
        Assert.Equal(7, none.GetProperty("@iot.count").GetInt64());
        Assert.Empty(none.GetProperty("value").EnumerateArray());
        Assert.Equal(7, (await server.GetJsonAsync("/sta/v1.1/Things?$top=20000")).GetProperty("value").GetArrayLength());
    }

    [Fact]
    public async Task Select_writes_only_the_chosen_members()
    {
        await using var server = await TwinServer.StartAsync(async store => await SensorSeed.WeatherStationAsync(store));

        var things = await server.GetJsonAsync("/sta/v1.1/Things?$select=id,name,Datastreams");

        var thing = Assert.Single(things.GetProperty("value").EnumerateArray());
        Assert.Equal(["@iot.id", "name", "Datastreams@iot.navigationLink"], thing.EnumerateObject().Select(p => p.Name));
        await Problems.AssertProblemAsync(server.Client, "/sta/v1.1/Things?$select=colour", 400);
    }

    [Fact]
    public async Task A_property_reads_as_an_object_its_value_as_text_and_a_null_one_as_204()
    {
        ThingInserted station = null!;
        ThingInserted bare = null!;
        await using var server = await TwinServer.StartAsync(async store =>
        {
            station = await SensorSeed.WeatherStationAsync(store);
            bare = await SensorSeed.BareThingAsync(store, "Bare");
        });

        var name = await server.GetJsonAsync($"/sta/v1.1/Things({station.ThingId})/name");
        Assert.Equal(["name"], name.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Station Dam", name.GetProperty("name").GetString());

        using var value = await server.Client.GetAsync($"/sta/v1.1/Things({station.ThingId})/name/$value", Cancel);
        Assert.Equal(HttpStatusCode.OK, value.StatusCode);
        Assert.Equal("text/plain", value.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Station Dam", await value.Content.ReadAsStringAsync(Cancel));

        var unit = await server.GetJsonAsync($"/sta/v1.1/Datastreams({station.DatastreamIds[1]})/unitOfMeasurement");
        Assert.Equal("%", unit.GetProperty("unitOfMeasurement").GetProperty("symbol").GetString());

        foreach (var path in new[] { $"/sta/v1.1/Things({bare.ThingId})/properties", $"/sta/v1.1/Things({bare.ThingId})/properties/$value", $"/sta/v1.1/Datastreams({station.DatastreamIds[0]})/phenomenonTime" })
        {
            using var response = await server.Client.GetAsync(path, Cancel);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("/sta/v1.1/Nothings")]
    [InlineData("/sta/v1.1/Things(999)")]
    [InlineData("/sta/v1.1/Things(abc)")]
    [InlineData("/sta/v1.1/Things(99999999999999999999)")]
    [InlineData("/sta/v1.1/Things(1)/colour")]
    [InlineData("/sta/v1.1/Things(1)/name/$raw")]
    [InlineData("/sta/v1.1/Things(1)/name/$value/more")]
    [InlineData("/sta/v1.1/Things/name")]
    [InlineData("/sta/v1.1/Datastreams(999)/Observations")]
    public async Task An_unknown_set_id_or_property_is_a_404_problem(string path)
    {
        await using var server = await TwinServer.StartAsync(async store => await SensorSeed.WeatherStationAsync(store));

        await Problems.AssertProblemAsync(server.Client, path, 404);
    }

    [Theory]
    [InlineData("/sta/v1.1/Things?$search=x", "$search")]
    [InlineData("/sta/v1.1/Things?$apply=groupby((name))", "$apply")]
    public async Task An_unsupported_query_option_is_a_501_problem_that_names_it(string path, string option)
    {
        await using var server = await TwinServer.StartAsync(async store => await SensorSeed.WeatherStationAsync(store));

        var detail = await Problems.AssertProblemAsync(server.Client, path, 501);

        Assert.Contains(option, detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/sta/v1.1/Things?$count=maybe", "$count")]
    [InlineData("/sta/v1.1/Things?$filter=name eq", "$filter")]
    [InlineData("/sta/v1.1/Things?$top=-1", "$top")]
    [InlineData("/sta/v1.1/Things?$top=1&$top=2", "$top")]
    [InlineData("/sta/v1.1/Datastreams(1)/Observations?$orderby=phenomenonTime sideways", "$orderby")]
    public async Task A_malformed_option_is_a_400_problem_even_when_not_implemented(string path, string option)
    {
        await using var server = await TwinServer.StartAsync(async store => await SensorSeed.WeatherStationAsync(store));

        var detail = await Problems.AssertProblemAsync(server.Client, path, 400);

        Assert.Contains(option, detail, StringComparison.Ordinal);
    }
}
