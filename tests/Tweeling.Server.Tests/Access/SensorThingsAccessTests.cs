using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Alerts;
using Tweeling.Domain.Catalog;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Tweeling.Governance.Access;
using Tweeling.Server.Hosting;
using Tweeling.Storage.Sqlite;
using StaLocation = Tweeling.Domain.Sensors.Location;

namespace Tweeling.Server.Tests.Access;

/// <summary>
/// SensorThings reads pass the access seam: a Thing of an internal dataset, and everything that hangs off it, does not
/// exist for <c>publiek</c> on any path — collection, id, navigation, <c>$expand</c>, <c>$filter</c>, <c>$count</c>,
/// <c>dataArray</c>, <c>$batch</c> — while a signed-in role sees it (checked at the query layer with a
/// <see cref="Caller"/>, since sign-in is not part of this server yet). Production settings: unlabelled sensors are internal.
/// </summary>
public sealed class SensorThingsAccessTests(SensorAccessWorld world) : IClassFixture<SensorAccessWorld>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private TwinServer Server => world.Server;

    [Fact]
    public async Task Every_entity_set_lists_and_counts_only_what_publiek_may_see()
    {
        var open = world.Open;
        var expected = new Dictionary<string, long[]>
        {
            ["Things"] = [open.Thing],
            ["Datastreams"] = [open.Datastream],
            ["Locations"] = [open.Location],
            ["HistoricalLocations"] = [open.HistoricalLocation],
            ["Sensors"] = [open.Sensor],
            ["ObservedProperties"] = [world.SharedProperty],
            ["FeaturesOfInterest"] = [open.Feature],
            ["Observations"] = [.. open.Observations.Order()],
        };

        foreach (var (set, ids) in expected)
        {
            var page = await Server.GetJsonAsync($"/sta/v1.1/{set}?$count=true&$orderby=id");
            Assert.Equal(ids, Ids(page));
            Assert.Equal(ids.Length, page.GetProperty("@iot.count").GetInt64());
            Assert.DoesNotContain("Geheim", page.GetRawText(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Every_hidden_entity_is_a_404_by_id_and_through_navigation()
    {
        var hidden = world.Internal;
        string[] paths =
        [
            $"Things({hidden.Thing})", $"Datastreams({hidden.Datastream})", $"Locations({hidden.Location})",
            $"HistoricalLocations({hidden.HistoricalLocation})", $"Sensors({hidden.Sensor})", $"FeaturesOfInterest({hidden.Feature})",
            $"Observations({hidden.Observations[0]})", $"Things({world.Unlabelled.Thing})", $"Datastreams({world.Unlabelled.Datastream})",
            $"Things({hidden.Thing})/Datastreams", $"Datastreams({hidden.Datastream})/Observations", $"Observations({hidden.Observations[0]})/FeatureOfInterest",
            $"ObservedProperties({world.SharedProperty})/Datastreams({hidden.Datastream})", $"Things({hidden.Thing})/name/$value",
        ];

        foreach (var path in paths)
        {
            using var response = await Server.Client.GetAsync($"/sta/v1.1/{path}", Cancel);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path} gave {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Navigation_expand_and_filter_paths_do_not_reach_hidden_entities()
    {
        var shared = world.SharedProperty;
        var navigated = await Server.GetJsonAsync($"/sta/v1.1/ObservedProperties({shared})/Datastreams?$count=true");
        var expanded = await Server.GetJsonAsync($"/sta/v1.1/ObservedProperties({shared})?$expand=Datastreams($expand=Observations,Thing)");
        var byName = await Server.GetJsonAsync("/sta/v1.1/Things?$filter=name eq 'Meetpunt Geheim'&$count=true");
        var throughPath = await Server.GetJsonAsync("/sta/v1.1/ObservedProperties?$filter=Datastreams/Thing/name eq 'Meetpunt Geheim'");
        var observed = await Server.GetJsonAsync("/sta/v1.1/Observations?$filter=result ge 40&$count=true");

        Assert.Equal([world.Open.Datastream], Ids(navigated));
        Assert.Equal(1, navigated.GetProperty("@iot.count").GetInt64());
        Assert.Equal([world.Open.Datastream], expanded.GetProperty("Datastreams").EnumerateArray().Select(d => d.GetProperty("@iot.id").GetInt64()));
        Assert.DoesNotContain("Geheim", expanded.GetRawText(), StringComparison.Ordinal);
        Assert.Empty(Ids(byName));
        Assert.Equal(0, byName.GetProperty("@iot.count").GetInt64());
        Assert.Empty(Ids(throughPath));
        Assert.Equal(0, observed.GetProperty("@iot.count").GetInt64());
    }

    [Fact]
    public async Task Paging_counts_only_visible_things_so_no_next_link_points_at_hidden_ones()
    {
        var page = await Server.GetJsonAsync("/sta/v1.1/Things?$top=1&$count=true");

        Assert.Equal([world.Open.Thing], Ids(page));
        Assert.Equal(1, page.GetProperty("@iot.count").GetInt64());
        Assert.False(page.TryGetProperty("@iot.nextLink", out _));
    }

    [Fact]
    public async Task A_data_array_holds_only_visible_datastreams()
    {
        var array = await Server.GetJsonAsync("/sta/v1.1/Observations?$resultFormat=dataArray&$count=true");

        Assert.Equal(world.Open.Observations.Length, array.GetProperty("@iot.count").GetInt64());
        Assert.All(array.GetProperty("value").EnumerateArray(), v =>
            Assert.EndsWith($"Datastreams({world.Open.Datastream})", v.GetProperty("Datastream@iot.navigationLink").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_get_inside_a_batch_is_answered_as_the_callers_own_get_and_publiek_may_not_batch()
    {
        const string Boundary = "batch_1";
        var body = $"--{Boundary}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nGET Things({world.Internal.Thing}) HTTP/1.1\r\n\r\n\r\n"
            + $"--{Boundary}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nGET Things HTTP/1.1\r\n\r\n\r\n--{Boundary}--\r\n";
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/mixed; boundary={Boundary}");

        // A $batch is a write, so publiek may not send one at all; a medewerker's GET parts answer as the
        // medewerker's own GETs do (the internal Thing is visible to that role).
        using var anonymous = await Server.Client.PostAsync("/sta/v1.1/$batch", content, Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var response = await Server.Writer.PostAsync("/sta/v1.1/$batch", content, Cancel);
        var answer = await response.Content.ReadAsStringAsync(Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(await Server.Writer.GetStringAsync($"/sta/v1.1/Things({world.Internal.Thing})", Cancel), answer, StringComparison.Ordinal);
        Assert.Contains("Meetpunt Open", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_role_that_may_write_but_not_read_a_dataset_gets_the_get_parts_of_a_batch_refused_as_its_own_gets_and_nothing_leaks()
    {
        const string Boundary = "batch_2";
        var hidden = world.Confidential;
        string[] paths = [$"Things({hidden.Thing})", $"Datastreams({hidden.Datastream})/Observations", $"Observations({hidden.Observations[0]})", "Things?$filter=name%20eq%20'Meetpunt%20Vertrouwelijk'"];
        var body = string.Concat(paths.Select(p => $"--{Boundary}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nGET {p} HTTP/1.1\r\n\r\n\r\n")) + $"--{Boundary}--\r\n";
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/mixed; boundary={Boundary}");

        // A medewerker may write sensor data but not read a confidential dataset: each GET part answers as its own GET.
        using var response = await Server.Writer.PostAsync("/sta/v1.1/$batch", content, Cancel);
        var answer = await response.Content.ReadAsStringAsync(Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var own = new List<int>();
        foreach (var path in paths)
        {
            using var get = await Server.Writer.GetAsync($"/sta/v1.1/{path}", Cancel);
            own.Add((int)get.StatusCode);
        }

        Assert.Equal([404, 404, 404, 200], own);
        Assert.Equal(own, System.Text.RegularExpressions.Regex.Matches(answer, @"HTTP/1\.1 (\d{3})").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains("\"value\":[]", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("Vertrouwelijk", answer, StringComparison.Ordinal);
        Assert.DoesNotContain(SensorAccessWorld.ConfidentialDataset, answer, StringComparison.Ordinal);
        Assert.DoesNotContain("\"result\":60", answer, StringComparison.Ordinal);

        // Control: a data steward stating a purpose the dataset lists reads the same Thing, so the 404s above are the policy's.
        using var steward = await TwinServer.SignedInClientAsync(Server.Store, Server.Address, "datasteward");
        steward.DefaultRequestHeaders.Add("X-Tweeling-Doel", "test");
        Assert.Contains("Meetpunt Vertrouwelijk", await steward.GetStringAsync($"/sta/v1.1/Things({hidden.Thing})", Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_confidential_things_data_is_absent_from_every_expand_and_navigation_for_publiek_and_medewerker()
    {
        var hidden = world.Confidential;
        string[] expansions =
        [
            "Things?$expand=Datastreams($expand=Observations,Sensor,ObservedProperty),Locations,HistoricalLocations",
            "Datastreams?$expand=Thing,Observations($top=5;$orderby=result desc)",
            "Sensors?$expand=Datastreams($expand=Thing)",
            "ObservedProperties?$expand=Datastreams($expand=Observations;$count=true)",
            "Locations?$expand=Things($expand=Datastreams),HistoricalLocations($expand=Thing)",
            "FeaturesOfInterest?$expand=Observations($expand=Datastream($expand=Thing))",
            "Observations?$expand=Datastream($expand=Thing),FeatureOfInterest&$top=100",
        ];
        string[] navigations =
        [
            $"Things({hidden.Thing})/Datastreams", $"Datastreams({hidden.Datastream})/Observations", $"Datastreams({hidden.Datastream})/Thing",
            $"Observations({hidden.Observations[0]})/Datastream/Thing", $"Sensors({hidden.Sensor})/Datastreams", $"Locations({hidden.Location})/Things",
            $"FeaturesOfInterest({hidden.Feature})/Observations", $"Things({hidden.Thing})?$expand=Datastreams",
        ];
        using var medewerker = await Server.ClientAsAsync("medewerker");
        foreach (var client in new[] { Server.Client, medewerker })
        {
            foreach (var path in expansions)
            {
                var answer = await client.GetStringAsync($"/sta/v1.1/{path}", Cancel);
                Assert.Contains("Meetpunt Open", answer, StringComparison.Ordinal);
                Assert.DoesNotContain("Vertrouwelijk", answer, StringComparison.Ordinal);
                Assert.DoesNotContain($"Things({hidden.Thing})", answer, StringComparison.Ordinal);
                Assert.DoesNotContain($"Datastreams({hidden.Datastream})", answer, StringComparison.Ordinal);
                Assert.DoesNotContain("\"result\":60", answer, StringComparison.Ordinal);
            }

            foreach (var path in navigations)
            {
                using var response = await client.GetAsync($"/sta/v1.1/{path}", Cancel);
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path} gave {(int)response.StatusCode}");
            }
        }

        // Control: the same expansion shows the confidential Thing to a data steward who states the purpose the dataset lists.
        using var steward = await TwinServer.SignedInClientAsync(Server.Store, Server.Address, "datasteward");
        steward.DefaultRequestHeaders.Add("X-Tweeling-Doel", "test");
        var stewardAnswer = await steward.GetStringAsync($"/sta/v1.1/{expansions[0]}", Cancel);
        Assert.Contains("Meetpunt Vertrouwelijk", stewardAnswer, StringComparison.Ordinal);
        Assert.Contains("\"result\":60", stewardAnswer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_roles_kept_visibility_never_stands_in_for_a_purpose_and_ends_with_the_catalog_it_was_decided_on()
    {
        const string Things = "/sta/v1.1/Things?$orderby=id";
        using var steward = await TwinServer.SignedInClientAsync(Server.Store, Server.Address, "datasteward");
        using var stewardForTest = await TwinServer.SignedInClientAsync(Server.Store, Server.Address, "datasteward");
        stewardForTest.DefaultRequestHeaders.Add("X-Tweeling-Doel", "test");

        // The same role with and without the purpose the confidential dataset lists, in turns: each answer is its own.
        Assert.Contains("Meetpunt Vertrouwelijk", await stewardForTest.GetStringAsync(Things, Cancel), StringComparison.Ordinal);
        Assert.DoesNotContain("Vertrouwelijk", await steward.GetStringAsync(Things, Cancel), StringComparison.Ordinal);
        Assert.Contains("Meetpunt Vertrouwelijk", await stewardForTest.GetStringAsync(Things, Cancel), StringComparison.Ordinal);

        // Publiek's visibility is kept with the catalog: a dataset made open shows at once, and hides again when made internal.
        Assert.DoesNotContain("Geheim", await Server.Client.GetStringAsync(Things, Cancel), StringComparison.Ordinal);
        try
        {
            await ClassifyAsync(SensorAccessWorld.InternalDataset, Classification.Open);
            Assert.Contains("Meetpunt Geheim", await Server.Client.GetStringAsync(Things, Cancel), StringComparison.Ordinal);
        }
        finally
        {
            await ClassifyAsync(SensorAccessWorld.InternalDataset, Classification.Internal);
        }

        Assert.DoesNotContain("Geheim", await Server.Client.GetStringAsync(Things, Cancel), StringComparison.Ordinal);
    }

    private async Task ClassifyAsync(string dataset, Classification classification)
    {
        await using var transaction = await Server.Store.BeginAsync(Cancel);
        await transaction.PutDatasetAsync(SensorAccessWorld.Dataset(dataset, classification), Cancel);
        await transaction.CommitAsync(Cancel);
    }

    [Theory]
    [InlineData(Role.Publiek, false, false)]
    [InlineData(Role.Medewerker, true, true)]
    [InlineData(Role.Analist, true, true)]
    [InlineData(Role.Beheerder, true, true)]
    public async Task At_the_query_layer_a_role_sees_what_the_policy_lets_it_read(Role role, bool seesInternal, bool seesUnlabelled)
    {
        var visibility = await Server.Services.GetRequiredService<ReadAccess>().SensorVisibilityAsync(new Caller(role), Cancel);

        var things = await QueryIdsAsync(SensorEntitySet.Things, visibility);
        var observations = await QueryIdsAsync(SensorEntitySet.Observations, visibility);
        var sensors = await QueryIdsAsync(SensorEntitySet.Sensors, visibility);

        Assert.Contains(world.Open.Thing, things);
        Assert.Equal(seesInternal, things.Contains(world.Internal.Thing));
        Assert.Equal(seesUnlabelled, things.Contains(world.Unlabelled.Thing));
        Assert.Equal(seesInternal, world.Internal.Observations.All(observations.Contains));
        Assert.Equal(seesInternal, sensors.Contains(world.Internal.Sensor));
    }

    [Fact]
    public async Task Without_a_visibility_the_platform_itself_reads_everything()
    {
        var things = (await Server.Store.Sensors.QueryAsync(new SensorQuery(SensorEntitySet.Things, null, null, [], 100, 0, true, TwinServer.Now), Cancel)).Count;

        Assert.Equal(4, things);
    }

    private async Task<List<long>> QueryIdsAsync(SensorEntitySet set, SensorVisibility visibility) =>
        [.. (await Server.Store.Sensors.QueryAsync(new SensorQuery(set, null, null, [], 1000, 0, false, TwinServer.Now, visibility), Cancel)).Entities.Select(e => e.Id)];

    private static long[] Ids(JsonElement page) =>
        [.. page.GetProperty("value").EnumerateArray().Select(e => e.GetProperty("@iot.id").GetInt64())];
}

/// <summary>
/// Four Things with their Location, Datastream, Sensor, FeatureOfInterest and Observations: one in an open dataset,
/// one in an internal dataset (everything named "Geheim…"), one naming no dataset, and one in a confidential dataset
/// (everything named "Vertrouwelijk…"; readable only by an analyst or data steward stating the purpose <c>test</c>). The open and internal Datastreams
/// share one ObservedProperty; each Datastream has a threshold (above 30). Started with production access settings.
/// </summary>
public sealed class SensorAccessWorld : IAsyncLifetime
{
    public const string OpenDataset = "meetnet-open";
    public const string InternalDataset = "meetnet-intern";
    public const string ConfidentialDataset = "meetnet-vertrouwelijk";

    private const string SensorThingsMeasurement = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement";

    private static readonly GeometryFactory s_crs84 = TwinHost.GeometryServices.CreateGeometryFactory(Crs.Crs84Srid);
    private TwinServer? _server;

    public TwinServer Server => _server ?? throw new InvalidOperationException("Not started.");

    public Seeded Open { get; private set; } = null!;

    public Seeded Internal { get; private set; } = null!;

    public Seeded Unlabelled { get; private set; } = null!;

    public Seeded Confidential { get; private set; } = null!;

    public long SharedProperty { get; private set; }

    public async ValueTask InitializeAsync() => _server = await TwinServer.StartAsync(SeedAsync, TwinServer.ProductionAccess);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private async Task SeedAsync(SqliteTwinStore store)
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var transaction = await store.BeginAsync(ct))
        {
            await transaction.PutDatasetAsync(Dataset(OpenDataset, Classification.Open), ct);
            await transaction.PutDatasetAsync(Dataset(InternalDataset, Classification.Internal), ct);
            await transaction.PutDatasetAsync(Dataset(ConfidentialDataset, Classification.Confidential), ct);
            await transaction.CommitAsync(ct);
        }

        var shared = await store.Sensors.CreateAsync(new ObservedProperty(0, "NO2-concentratie", "urn:tweeling:grootheid:no2", "Stikstofdioxide"), ct);
        SharedProperty = shared.Id;
        Open = await ThingAsync(store, "Meetpunt Open", OpenDataset, "Meter", Link<ObservedProperty>.To(shared.Id), 4.9, [11, 12]);
        Internal = await ThingAsync(store, "Meetpunt Geheim", InternalDataset, "Geheime camera", Link<ObservedProperty>.To(shared.Id), 6.5, [40, 41]);
        Unlabelled = await ThingAsync(
            store, "Partnermeetpunt", null, "Partnermeter",
            Link<ObservedProperty>.Create(new ObservedProperty(0, "Geluid", "urn:tweeling:grootheid:geluid", "Geluidsniveau")), 5.5, [55]);
        Confidential = await ThingAsync(
            store, "Meetpunt Vertrouwelijk", ConfidentialDataset, "Vertrouwelijke teller",
            Link<ObservedProperty>.Create(new ObservedProperty(0, "Vertrouwelijke telling", "urn:tweeling:grootheid:vertrouwelijk", "Telling")), 6.0, [60, 61]);
    }

    private static async Task<Seeded> ThingAsync(
        SqliteTwinStore store, string name, string? dataset, string sensor, Link<ObservedProperty> property, double lon, double[] results)
    {
        var ct = TestContext.Current.CancellationToken;
        JsonElement? properties = dataset is null ? null : JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["dataset"] = dataset });
        var inserted = await store.Sensors.CreateThingAsync(
            new ThingInsert(
                new Thing(0, name, $"{name}, voor de test", properties),
                [Link<StaLocation>.Create(new StaLocation(0, $"Plek van {name}", "Standplaats", "application/geo+json", s_crs84.CreatePoint(new Coordinate(lon, 52))))],
                [new DatastreamInsert(
                    new Datastream(0, $"NO2 {name}", "Meetreeks", new UnitOfMeasurement("µg/m³", "µg/m³", "urn:example:unit"), SensorThingsMeasurement, 0, 0, 0),
                    Link<Sensor>.Create(new Sensor(0, sensor, "Een meter", "text/plain", "Een meter")),
                    property)],
                TwinServer.Now),
            ct);
        var feature = await store.Sensors.CreateAsync(
            new FeatureOfInterest(0, $"Gebied van {name}", "Meetgebied", "application/geo+json", s_crs84.CreatePoint(new Coordinate(lon, 52.01))), ct);
        var datastream = inserted.DatastreamIds[0];
        var observations = await store.Sensors.AppendAsync(
            [.. results.Select((r, i) => new NewObservation(datastream, SensorTime.At(TwinServer.Now.AddMinutes(-i - 1)), r, FeatureOfInterestId: feature.Id))], ct);
        var stored = (await store.Sensors.FindAsync<Datastream>(datastream, ct))!;
        var threshold = await store.Alerts.AddThresholdAsync(new Threshold(0, datastream, $"Drempel {name}", ThresholdCondition.Above, 30, AlertSeverity.Warning), ct);
        return new Seeded(
            inserted.ThingId, inserted.LocationIds[0], inserted.HistoricalLocationId!.Value, datastream, stored.SensorId, feature.Id, [.. observations], threshold.Id);
    }

    internal static Dataset Dataset(string id, Classification classification) => new(
        id, $"Meetnet {id}", "Meetpunten voor de test", new Agent("Test", "https://example.org"), new Agent("Test", "https://example.org"),
        new ContactPoint("Test", "test@example.org"), [CatalogVocabulary.ThemeEnvironment], classification, "Test", ["test"],
        CatalogVocabulary.LicenseCc0, TwinServer.Now, CatalogVocabulary.FrequencyIrregular, null, "Test", IsSynthetic: false);

    /// <summary>The ids of one seeded Thing and what hangs off it (its Datastream has a threshold: above 30).</summary>
    public sealed record Seeded(long Thing, long Location, long HistoricalLocation, long Datastream, long Sensor, long Feature, long[] Observations, long Threshold);
}
