namespace Tweeling.Server.Tests.SensorThings.Api;

public sealed class ServiceRootTests
{
    [Theory]
    [InlineData("/sta/v1.1")]
    [InlineData("/sta/v1.1/")]
    public async Task The_service_root_lists_the_eight_sets_and_multi_datastreams_and_only_the_implemented_classes(string path)
    {
        await using var server = await TwinServer.StartAsync(_ => Task.CompletedTask);

        var root = await server.GetJsonAsync(path);

        var sets = root.GetProperty("value").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("url").GetString()!);
        Assert.Equal(
            ["Things", "Locations", "HistoricalLocations", "Datastreams", "Sensors", "ObservedProperties", "Observations", "FeaturesOfInterest", "MultiDatastreams"],
            sets.Keys);
        Assert.Equal(new Uri(server.Address, "/sta/v1.1/MultiDatastreams").ToString(), sets["MultiDatastreams"]);
        Assert.Equal(new Uri(server.Address, "/sta/v1.1/Things").ToString(), sets["Things"]);
        var conformance = root.GetProperty("serverSettings").GetProperty("conformance").EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.Contains("http://www.opengis.net/spec/iot_sensing/1.1/conf/datamodel/thing", conformance);
        Assert.Contains("http://www.opengis.net/spec/iot_sensing/1.1/conf/datamodel/entity-control-information", conformance);
        Assert.Contains("http://www.opengis.net/spec/iot_sensing/1.1/conf/request-data", conformance);
        Assert.Contains("http://www.opengis.net/spec/iot_sensing/1.1/conf/resource-path", conformance);
        Assert.Contains("http://www.opengis.net/spec/iot_sensing/1.1/conf/create-update-delete", conformance);
        Assert.Contains("http://www.opengis.net/spec/iot_sensing/1.1/conf/data-array", conformance);
        Assert.Contains("http://www.opengis.net/spec/iot_sensing/1.1/conf/batch-request", conformance);
        Assert.Contains("http://www.opengis.net/spec/iot_sensing/1.1/conf/multi-datastream", conformance);
        Assert.Contains("http://www.opengis.net/spec/iot_sensing/1.1/req/multi-datastream", conformance);

        // This server runs without MQTT: neither MQTT class is claimed, and no endpoint is announced.
        Assert.DoesNotContain(conformance, c => c.Contains("mqtt", StringComparison.Ordinal));
        Assert.Equal(["conformance"], root.GetProperty("serverSettings").EnumerateObject().Select(p => p.Name));
    }
}
