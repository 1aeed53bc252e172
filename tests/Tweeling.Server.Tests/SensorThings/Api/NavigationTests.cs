using System.Net;

namespace Tweeling.Server.Tests.SensorThings.Api;

/// <summary>Navigation paths, GET /Observations and association links over HTTP, on the ids <see cref="QueryServer"/> seeds.</summary>
public sealed class NavigationTests(QueryServer fixture) : IClassFixture<QueryServer>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("Things(1)/Datastreams", new long[] { 1, 2 })]
    [InlineData("Things(1)/Locations", new long[] { 1 })]
    [InlineData("Things(3)/Locations", new long[] { 1 })]
    [InlineData("Things(1)/HistoricalLocations", new long[] { 1 })]
    [InlineData("Locations(1)/Things", new long[] { 1, 3 })]
    [InlineData("Locations(1)/HistoricalLocations", new long[] { 1, 3 })]
    [InlineData("HistoricalLocations(3)/Locations", new long[] { 1 })]
    [InlineData("Sensors(1)/Datastreams", new long[] { 1, 3 })]
    [InlineData("ObservedProperties(1)/Datastreams", new long[] { 1, 3 })]
    [InlineData("ObservedProperties(2)/Datastreams", new long[] { 2 })]
    [InlineData("FeaturesOfInterest(2)/Observations", new long[] { 7, 8, 9 })]
    [InlineData("Datastreams(1)/Observations", new long[] { 6, 5, 4, 3, 2, 1 })]
    [InlineData("Datastreams(1)/Observations?$orderby=phenomenonTime asc&$filter=result gt 13", new long[] { 5, 6 })]
    [InlineData("Things(1)/Datastreams?$filter=name eq 'Status Dam'", new long[] { 2 })]
    [InlineData("Things(3)/Datastreams", new long[] { })]
    [InlineData("Datastreams(3)/Thing/Locations", new long[] { 2 })]
    [InlineData("Things(1)/Datastreams(2)/Observations", new long[] { 12, 11, 10 })]
    [InlineData("Observations(7)/Datastream/Thing/Datastreams", new long[] { 3 })]
    [InlineData("Observations?$orderby=id", new long[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 })]
    public async Task Every_to_many_navigation_and_nested_path_lists_exactly_its_members(string path, long[] expected) =>
        Assert.Equal(expected, await fixture.IdsAsync("/sta/v1.1/" + path));

    [Theory]
    [InlineData("HistoricalLocations(3)/Thing", 3)]
    [InlineData("Observations(7)/FeatureOfInterest", 2)]
    [InlineData("Observations(7)/Datastream", 3)]
    [InlineData("Datastreams(1)/Thing/Datastreams(2)/Sensor", 2)]
    [InlineData("Things(2)/Datastreams(3)/ObservedProperty", 1)]
    [InlineData("Locations(1)/Things(3)", 3)]
    public async Task A_to_one_navigation_or_a_member_by_id_is_the_entity(string path, long expected) =>
        Assert.Equal(expected, (await fixture.Server.GetJsonAsync("/sta/v1.1/" + path)).GetProperty("@iot.id").GetInt64());

    [Fact]
    public async Task A_property_at_the_end_of_a_path_reads_as_on_the_entity()
    {
        var name = await fixture.Server.GetJsonAsync("/sta/v1.1/Observations(1)/Datastream/Thing/name");
        using var raw = await fixture.Server.Client.GetAsync("/sta/v1.1/Things(1)/Datastreams(2)/name/$value", Cancel);

        Assert.Equal("Station Dam", name.GetProperty("name").GetString());
        Assert.Equal("Status Dam", await raw.Content.ReadAsStringAsync(Cancel));
    }

    [Theory]
    [InlineData("Things(1)/Datastreams(3)/Observations")]
    [InlineData("Things(1)/Datastreams(3)")]
    [InlineData("Datastreams(1)/Thing(1)")]
    [InlineData("Things(1)/Datastreams/name")]
    [InlineData("Things(1)/$ref")]
    [InlineData("Things/$ref")]
    [InlineData("Things(1)/Datastreams/$ref/more")]
    [InlineData("Things(1)/Colours")]
    public async Task A_path_through_a_non_member_or_a_wrong_segment_is_a_404_problem(string path) =>
        await Problems.AssertProblemAsync(fixture.Server.Client, "/sta/v1.1/" + path, 404);

    [Fact]
    public async Task Ref_on_a_collection_lists_self_links_with_the_collection_options()
    {
        var root = new Uri(fixture.Server.Address, "/sta/v1.1/").ToString();

        var refs = await fixture.Server.GetJsonAsync("/sta/v1.1/Things(1)/Datastreams/$ref?$count=true&$orderby=id desc");

        Assert.Equal(2, refs.GetProperty("@iot.count").GetInt64());
        var value = refs.GetProperty("value").EnumerateArray().ToList();
        Assert.Equal([root + "Datastreams(2)", root + "Datastreams(1)"], value.Select(v => v.GetProperty("@iot.selfLink").GetString()));
        Assert.All(value, v => Assert.Single(v.EnumerateObject()));
    }

    [Fact]
    public async Task Ref_on_a_single_navigation_is_its_self_link()
    {
        var link = await fixture.Server.GetJsonAsync("/sta/v1.1/Datastreams(3)/Thing/$ref");

        Assert.Equal(new Uri(fixture.Server.Address, "/sta/v1.1/Things(2)").ToString(), link.GetProperty("@iot.selfLink").GetString());
        Assert.Single(link.EnumerateObject());
    }

    [Fact]
    public async Task All_observations_are_listed_and_counted()
    {
        var page = await fixture.Server.GetJsonAsync("/sta/v1.1/Observations?$count=true&$top=5");

        Assert.Equal(12, page.GetProperty("@iot.count").GetInt64());
        Assert.Equal(5, page.GetProperty("value").GetArrayLength());
        Assert.EndsWith("$top=5&$skip=5", page.GetProperty("@iot.nextLink").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_select_with_a_navigation_name_writes_only_its_link()
    {
        var page = await fixture.Server.GetJsonAsync("/sta/v1.1/Things?$select=name,Datastreams&$filter=name eq 'Kade'");

        var thing = Assert.Single(page.GetProperty("value").EnumerateArray());
        Assert.Equal(["name", "Datastreams@iot.navigationLink"], thing.EnumerateObject().Select(p => p.Name));
        Assert.Equal(HttpStatusCode.OK, await fixture.StatusAsync(thing.GetProperty("Datastreams@iot.navigationLink").GetString()!));
    }
}
