using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;

namespace Tweeling.Server.Tests.SensorThings.Api;

/// <summary>
/// GET of the MultiDatastream extension's entity set over the real server and a real SQLite file: entity, collection,
/// property and <c>$value</c>, navigation, <c>$ref</c>, <c>$filter</c>/<c>$orderby</c>/<c>$count</c>/<c>$select</c>/<c>$expand</c>,
/// through the access seam. Writes: <see cref="MultiDatastreamWriteTests"/>; Observations: <see cref="MultiObservationTests"/>.
/// </summary>
public sealed class MultiDatastreamReadTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_multi_datastream_reads_with_its_arrays_and_navigation_that_resolves()
    {
        WeatherMulti seeded = null!;
        await using var server = await TwinServer.StartAsync(async store => seeded = await SensorSeed.WeatherMultiDatastreamAsync(store, "Dam", dataset: null));
        var self = new Uri(server.Address, $"/sta/v1.1/MultiDatastreams({seeded.Multi})").ToString();

        var multi = await server.GetJsonAsync($"/sta/v1.1/MultiDatastreams({seeded.Multi})");

        Assert.Equal(seeded.Multi, multi.GetProperty("@iot.id").GetInt64());
        Assert.Equal(self, multi.GetProperty("@iot.selfLink").GetString());
        Assert.Equal(["°C", "%"], multi.GetProperty("unitOfMeasurements").EnumerateArray().Select(u => u.GetProperty("symbol").GetString()));
        Assert.Equal(MultiDatastream.ComplexObservationType, multi.GetProperty("observationType").GetString());
        Assert.Equal([SensorSeed.Measurement, SensorSeed.Measurement], multi.GetProperty("multiObservationDataTypes").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(JsonValueKind.Null, multi.GetProperty("phenomenonTime").ValueKind);
        Assert.Equal(seeded.Thing, (await server.GetJsonAsync(multi.GetProperty("Thing@iot.navigationLink").GetString()!)).GetProperty("@iot.id").GetInt64());
        Assert.Equal(seeded.Sensor, (await server.GetJsonAsync(multi.GetProperty("Sensor@iot.navigationLink").GetString()!)).GetProperty("@iot.id").GetInt64());
        var properties = await server.GetJsonAsync(multi.GetProperty("ObservedProperties@iot.navigationLink").GetString()!);
        Assert.Equal(seeded.ObservedProperties.Order(), properties.GetProperty("value").EnumerateArray().Select(p => p.GetProperty("@iot.id").GetInt64()));

        using (var value = await server.Client.GetAsync($"/sta/v1.1/MultiDatastreams({seeded.Multi})/name/$value", Cancel))
        {
            Assert.Equal("Weer Dam", await value.Content.ReadAsStringAsync(Cancel));
        }

        var units = await server.GetJsonAsync($"/sta/v1.1/MultiDatastreams({seeded.Multi})/unitOfMeasurements");
        Assert.Equal(2, units.GetProperty("unitOfMeasurements").GetArrayLength());
        var refs = await server.GetJsonAsync($"/sta/v1.1/MultiDatastreams({seeded.Multi})/ObservedProperties/$ref");
        Assert.All(refs.GetProperty("value").EnumerateArray(), r => Assert.StartsWith(new Uri(server.Address, "/sta/v1.1/ObservedProperties(").ToString(), r.GetProperty("@iot.selfLink").GetString(), StringComparison.Ordinal));
        Assert.Equal(seeded.ObservedProperties[1], (await server.GetJsonAsync($"/sta/v1.1/MultiDatastreams({seeded.Multi})/ObservedProperties({seeded.ObservedProperties[1]})")).GetProperty("@iot.id").GetInt64());
        await Problems.AssertProblemAsync(server.Client, $"/sta/v1.1/MultiDatastreams({seeded.Multi + 1})", 404);
    }

    [Fact]
    public async Task The_collection_filters_orders_counts_selects_and_expands()
    {
        (WeatherMulti Dam, WeatherMulti Kade) seeded = (null!, null!);
        await using var server = await TwinServer.StartAsync(async store => seeded = (await SensorSeed.WeatherMultiDatastreamAsync(store, "Dam", null), await SensorSeed.WeatherMultiDatastreamAsync(store, "Kade", null)));

        var page = await server.GetJsonAsync("/sta/v1.1/MultiDatastreams?$filter=startswith(name,'Weer') and Thing/name eq 'Station Kade'&$count=true&$select=id,name");
        Assert.Equal(1, page.GetProperty("@iot.count").GetInt64());
        var only = Assert.Single(page.GetProperty("value").EnumerateArray());
        Assert.Equal(["@iot.id", "name"], only.EnumerateObject().Select(p => p.Name));
        Assert.Equal(seeded.Kade.Multi, only.GetProperty("@iot.id").GetInt64());

        var ordered = await server.GetJsonAsync("/sta/v1.1/MultiDatastreams?$orderby=name desc&$expand=ObservedProperties($select=name;$orderby=name),Thing");
        var both = ordered.GetProperty("value").EnumerateArray().ToArray();
        Assert.Equal([seeded.Kade.Multi, seeded.Dam.Multi], both.Select(m => m.GetProperty("@iot.id").GetInt64()));
        Assert.Equal(["humidity Kade", "temperature Kade"], both[0].GetProperty("ObservedProperties").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Equal(seeded.Kade.Thing, both[0].GetProperty("Thing").GetProperty("@iot.id").GetInt64());

        await Problems.AssertProblemAsync(server.Client, "/sta/v1.1/MultiDatastreams?$filter=unitOfMeasurement/name eq 'x'", 400);
    }

    [Fact]
    public async Task A_multi_datastream_is_visible_only_with_its_thing()
    {
        (WeatherMulti Open, WeatherMulti Internal) seeded = (null!, null!);
        await using var server = await TwinServer.StartAsync(
            async store => seeded = await SensorSeed.InOpenAndInternalDatasetsAsync(store, SensorSeed.WeatherMultiDatastreamAsync),
            TwinServer.ProductionAccess);

        var page = await server.GetJsonAsync("/sta/v1.1/MultiDatastreams?$count=true");
        Assert.Equal([seeded.Open.Multi], page.GetProperty("value").EnumerateArray().Select(m => m.GetProperty("@iot.id").GetInt64()));
        Assert.Equal(1, page.GetProperty("@iot.count").GetInt64());
        await Problems.AssertProblemAsync(server.Client, $"/sta/v1.1/MultiDatastreams({seeded.Internal.Multi})", 404);
        await Problems.AssertProblemAsync(server.Client, $"/sta/v1.1/MultiDatastreams({seeded.Internal.Multi})/ObservedProperties", 404);
        Assert.Empty((await server.GetJsonAsync($"/sta/v1.1/Sensors?$filter=id eq {seeded.Internal.Sensor}")).GetProperty("value").EnumerateArray());

        using var employee = await server.ClientAsAsync("medewerker");
        Assert.Equal(2, (await (await employee.GetAsync("/sta/v1.1/MultiDatastreams?$count=true", Cancel)).Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("@iot.count").GetInt64());
    }

    [Fact]
    public async Task A_kept_answer_about_a_multi_datastream_is_dropped_by_its_update_and_by_its_new_observation()
    {
        WeatherMulti seeded = null!;
        await using var server = await TwinServer.StartAsync(async store => seeded = await SensorSeed.WeatherMultiDatastreamAsync(store, "Dam", null));
        var path = $"/sta/v1.1/MultiDatastreams({seeded.Multi})";

        // Asked twice, so the answer is kept until the next commit (StaAnswerCache keeps what was asked before).
        Assert.Equal("Weer Dam", (await server.GetJsonAsync(path)).GetProperty("name").GetString());
        Assert.Equal("Weer Dam", (await server.GetJsonAsync(path)).GetProperty("name").GetString());

        var sensors = server.Services.GetRequiredService<ISensorStore>();
        await sensors.UpdateAsync<MultiDatastream>(seeded.Multi, m => m with { Name = "Weer Dam (nieuw)" }, Cancel);
        Assert.Equal("Weer Dam (nieuw)", (await server.GetJsonAsync(path)).GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, (await server.GetJsonAsync(path)).GetProperty("phenomenonTime").ValueKind);

        await sensors.WriteAsync(
            (writer, ct) => writer.AppendMultiAsync([new MultiObservation(0, seeded.Multi, null, SensorTime.At(TwinServer.Now), null, JsonSerializer.SerializeToElement(new[] { 11.5, 80 }))], ct),
            Cancel);
        Assert.StartsWith("2025-03-01T12:00:00.000Z", (await server.GetJsonAsync(path)).GetProperty("phenomenonTime").GetString(), StringComparison.Ordinal);
    }

}
