using System.Text.Json;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;

namespace Tweeling.Server.Tests.SensorThings.Api;

/// <summary><c>$expand</c> with nested options and the slash form over HTTP, on the ids <see cref="QueryServer"/> seeds.</summary>
public sealed class ExpandTests(QueryServer fixture) : IClassFixture<QueryServer>
{
    [Fact]
    public async Task An_expanded_collection_is_written_inline_beside_its_navigation_link()
    {
        var thing = await fixture.Server.GetJsonAsync("/sta/v1.1/Things(1)?$expand=Datastreams");

        Assert.Equal([1L, 2L], Ids(thing.GetProperty("Datastreams")));
        Assert.Equal("Temperature Dam", thing.GetProperty("Datastreams")[0].GetProperty("name").GetString());
        Assert.True(thing.TryGetProperty("Datastreams@iot.navigationLink", out _));
        Assert.False(thing.TryGetProperty("Locations", out _));
    }

    [Fact]
    public async Task Nested_filter_select_and_count_apply_to_each_expanded_collection()
    {
        var page = await fixture.Server.GetJsonAsync("/sta/v1.1/Things?$filter=id le 2&$expand=" + Uri.EscapeDataString("Datastreams($filter=startswith(name,'Status');$select=id,name;$count=true)"));

        var things = page.GetProperty("value").EnumerateArray().ToList();
        Assert.Equal(1, things[0].GetProperty("Datastreams@iot.count").GetInt64());
        var datastream = Assert.Single(things[0].GetProperty("Datastreams").EnumerateArray());
        Assert.Equal(["@iot.id", "name"], datastream.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0, things[1].GetProperty("Datastreams@iot.count").GetInt64());
        Assert.Empty(things[1].GetProperty("Datastreams").EnumerateArray());
    }

    [Fact]
    public async Task An_expanded_page_has_a_next_link_that_continues_it()
    {
        var datastream = await fixture.Server.GetJsonAsync("/sta/v1.1/Datastreams(1)?$expand=" + Uri.EscapeDataString("Observations($top=2;$orderby=result asc)"));

        var first = datastream.GetProperty("Observations").EnumerateArray().Select(o => o.GetProperty("result").GetDouble());
        Assert.Equal([10.0, 11.0], first);
        var next = await fixture.Server.GetJsonAsync(datastream.GetProperty("Observations@iot.nextLink").GetString()!);
        Assert.Equal([12.0, 13.0], next.GetProperty("value").EnumerateArray().Select(o => o.GetProperty("result").GetDouble()));
    }

    [Fact]
    public async Task Nested_top_orderby_and_count_apply_per_parent_when_every_parent_is_expanded_at_once()
    {
        var expand = "Datastreams($orderby=name desc;$top=1;$count=true;$expand=Observations($orderby=result desc;$top=2))";
        var things = (await fixture.Server.GetJsonAsync("/sta/v1.1/Things?$orderby=id&$expand=" + Uri.EscapeDataString(expand)))
            .GetProperty("value").EnumerateArray().ToList();

        // Thing 1 has "Temperature Dam" (1) and "Status Dam" (2): by name descending the page of one is Datastream 1,
        // with a next link to Datastream 2; Thing 2 has only Datastream 3; Thing 3 has none.
        Assert.Equal([1L, 2L, 3L], things.Select(t => t.GetProperty("@iot.id").GetInt64()));
        Assert.Equal([[1L], [3L], []], things.Select(t => Ids(t.GetProperty("Datastreams"))));
        Assert.Equal([2L, 1L, 0L], things.Select(t => t.GetProperty("Datastreams@iot.count").GetInt64()));
        var next = await fixture.Server.GetJsonAsync(things[0].GetProperty("Datastreams@iot.nextLink").GetString()!);
        Assert.Equal([2L], Ids(next.GetProperty("value")));
        Assert.False(things[1].TryGetProperty("Datastreams@iot.nextLink", out _));

        // The nested Observations are the two largest results of each Datastream, not of all of them together.
        Assert.Equal([15.0, 14.0], Results(things[0].GetProperty("Datastreams")[0]));
        Assert.Equal([22.0, 21.0], Results(things[1].GetProperty("Datastreams")[0]));
    }

    [Fact]
    public async Task Nested_skip_applies_per_parent_and_a_to_one_expansion_shared_by_parents_is_given_to_each()
    {
        var skipped = (await fixture.Server.GetJsonAsync("/sta/v1.1/Things?$orderby=id&$expand=" + Uri.EscapeDataString("Datastreams($orderby=id;$skip=1)")))
            .GetProperty("value").EnumerateArray().Select(t => Ids(t.GetProperty("Datastreams")));
        var datastreams = (await fixture.Server.GetJsonAsync("/sta/v1.1/Datastreams?$orderby=id&$expand=" + Uri.EscapeDataString("Thing($select=name)")))
            .GetProperty("value").EnumerateArray().Select(d => d.GetProperty("Thing").GetProperty("name").GetString());

        Assert.Equal([[2L], [], []], skipped);
        Assert.Equal(["Station Dam", "Station Dam", "Station Domplein"], datastreams);
    }

    private static double[] Results(JsonElement datastream) =>
        [.. datastream.GetProperty("Observations").EnumerateArray().Select(o => o.GetProperty("result").GetDouble())];

    [Fact]
    public async Task Nested_skip_and_orderby_page_an_expanded_collection()
    {
        var datastream = await fixture.Server.GetJsonAsync("/sta/v1.1/Datastreams(1)?$expand=" + Uri.EscapeDataString("Observations($skip=4;$orderby=result)"));

        Assert.Equal([14.0, 15.0], datastream.GetProperty("Observations").EnumerateArray().Select(o => o.GetProperty("result").GetDouble()));
        Assert.False(datastream.TryGetProperty("Observations@iot.nextLink", out _));
    }

    [Fact]
    public async Task The_slash_form_expands_each_level()
    {
        var thing = await fixture.Server.GetJsonAsync("/sta/v1.1/Things(1)?$expand=Datastreams/ObservedProperty,Datastreams/Sensor");

        var datastreams = thing.GetProperty("Datastreams").EnumerateArray().ToList();
        Assert.Equal(["Air temperature", "Status"], datastreams.Select(d => d.GetProperty("ObservedProperty").GetProperty("name").GetString()));
        Assert.Equal(["PT100", "Logger"], datastreams.Select(d => d.GetProperty("Sensor").GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Expansions_nest_with_their_own_options()
    {
        var thing = await fixture.Server.GetJsonAsync("/sta/v1.1/Things(2)?$select=name&$expand=" + Uri.EscapeDataString("Datastreams($select=name;$expand=Observations($filter=result ge 21;$orderby=result desc;$select=result;$top=1)),Locations($select=name)"));

        Assert.Equal("Station Domplein", thing.GetProperty("name").GetString());
        var datastream = Assert.Single(thing.GetProperty("Datastreams").EnumerateArray());
        var observation = Assert.Single(datastream.GetProperty("Observations").EnumerateArray());
        Assert.Equal(22.0, observation.GetProperty("result").GetDouble());
        Assert.Equal(["result"], observation.EnumerateObject().Select(p => p.Name));
        Assert.Contains("Observations@iot.nextLink", datastream.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Domplein", Assert.Single(thing.GetProperty("Locations").EnumerateArray()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_to_one_expansion_is_an_object_and_chains()
    {
        var observation = await fixture.Server.GetJsonAsync("/sta/v1.1/Observations(7)?$expand=Datastream/Thing,FeatureOfInterest");

        Assert.Equal("Station Domplein", observation.GetProperty("Datastream").GetProperty("Thing").GetProperty("name").GetString());
        Assert.Equal("Domplein square", observation.GetProperty("FeatureOfInterest").GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_request_that_would_expand_more_than_ten_thousand_navigations_is_a_400_problem()
    {
        ThingInserted station = null!;
        await using var server = await TwinServer.StartAsync(async store =>
        {
            station = await SensorSeed.WeatherStationAsync(store);
            await store.Sensors.AppendAsync(
                [.. Enumerable.Range(0, 5_001).Select(i => new NewObservation(station.DatastreamIds[0], SensorTime.At(QueryServer.T0.AddSeconds(i)), i))],
                CancellationToken.None);
        });

        var within = await server.GetJsonAsync("/sta/v1.1/Observations?$top=5000&$expand=Datastream,FeatureOfInterest");
        var detail = await Problems.AssertProblemAsync(server.Client, "/sta/v1.1/Observations?$top=5001&$expand=Datastream,FeatureOfInterest", 400);

        Assert.Equal(5_000, within.GetProperty("value").GetArrayLength());
        Assert.Contains("10000", detail, StringComparison.Ordinal);
    }

    private static long[] Ids(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetProperty("@iot.id").GetInt64())];
}
