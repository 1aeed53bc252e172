namespace Tweeling.Server.Tests.SensorThings.Api;

/// <summary><c>$resultFormat=dataArray</c> reads of Observations (OGC 18-088 §14.3) over HTTP, on the ids <see cref="QueryServer"/> seeds.</summary>
public sealed class DataArrayReadTests(QueryServer fixture) : IClassFixture<QueryServer>
{
    [Fact]
    public async Task Observations_are_grouped_per_datastream_with_the_default_components()
    {
        var page = await fixture.Server.GetJsonAsync("/sta/v1.1/Observations?$resultFormat=dataArray&$filter=result ge 14&$orderby=result&$count=true");
        var root = new Uri(fixture.Server.Address, "/sta/v1.1/").ToString();

        Assert.Equal(5, page.GetProperty("@iot.count").GetInt64());
        var groups = page.GetProperty("value").EnumerateArray().ToList();
        Assert.Equal([root + "Datastreams(1)", root + "Datastreams(3)"], groups.Select(g => g.GetProperty("Datastream@iot.navigationLink").GetString()));
        Assert.Equal(["id", "phenomenonTime", "resultTime", "result"], groups[0].GetProperty("components").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(2, groups[0].GetProperty("dataArray@iot.count").GetInt64());
        var row = groups[0].GetProperty("dataArray")[0];
        Assert.Equal(5, row[0].GetInt64());
        Assert.Equal("2025-03-01T04:00:00.000Z", row[1].GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, row[2].ValueKind);
        Assert.Equal(14.0, row[3].GetDouble());
        Assert.Equal([20.0, 21.0, 22.0], groups[1].GetProperty("dataArray").EnumerateArray().Select(r => r[3].GetDouble()));
    }

    [Fact]
    public async Task Select_chooses_the_components_and_paging_continues()
    {
        var page = await fixture.Server.GetJsonAsync("/sta/v1.1/Datastreams(2)/Observations?$resultFormat=dataArray&$select=result,phenomenonTime&$top=2");

        var group = Assert.Single(page.GetProperty("value").EnumerateArray());
        Assert.Equal(["result", "phenomenonTime"], group.GetProperty("components").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("ok", group.GetProperty("dataArray")[0][0].GetString());
        Assert.Equal("2025-03-01T02:00:00.000Z/2025-03-01T04:00:00.000Z", group.GetProperty("dataArray")[0][1].GetString());
        var next = await fixture.Server.GetJsonAsync(page.GetProperty("@iot.nextLink").GetString()!);
        var rest = Assert.Single(next.GetProperty("value").EnumerateArray());
        Assert.Equal(["ok"], rest.GetProperty("dataArray").EnumerateArray().Select(r => r[0].GetString()));
    }
}
