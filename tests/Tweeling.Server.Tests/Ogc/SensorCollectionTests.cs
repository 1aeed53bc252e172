using System.Net;
using System.Text;
using System.Text.Json;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Catalog;
using Tweeling.Domain.Features;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Tweeling.Ingestion.DemoCity.Feeds;
using Tweeling.Server.Hosting;
using Tweeling.Storage.Sqlite;
using StaLocation = Tweeling.Domain.Sensors.Location;

namespace Tweeling.Server.Tests.Ogc;

/// <summary>
/// The collection <c>sensoren</c> of OGC API – Features over a real server: SensorThings Things with a
/// Location as point features with their latest values, through the access policy.
/// </summary>
public sealed class SensorCollectionTests(SensorCollectionServer fixture) : IClassFixture<SensorCollectionServer>
{
    private const string Crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
    private const string RdNew = "http://www.opengis.net/def/crs/EPSG/0/28992";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private TwinServer Server => fixture.Server;

    private SensorWorld World => fixture.World;

    [Fact]
    public async Task The_collection_is_listed_with_the_crs84_extent_of_the_readable_sensors_only()
    {
        var listed = (await Server.GetJsonAsync("/ogc/collections")).GetProperty("collections").EnumerateArray()
            .Single(c => c.GetProperty("id").GetString() == TwinCollections.Sensoren);
        var collection = await Server.GetJsonAsync("/ogc/collections/sensoren");

        Assert.Equal(listed.GetRawText(), collection.GetRawText());
        Assert.Equal("feature", collection.GetProperty("itemType").GetString());
        // Dam (4.9, 52.37), Kade (4.67, 51.81) and Brug (5.1, 52.09); the hidden Things at (6.5, 53.2) and (3.5, 51.4) would widen it.
        Assert.Equal([4.67, 51.81, 5.1, 52.37], collection.GetProperty("extent").GetProperty("spatial").GetProperty("bbox")[0].EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(Crs84, collection.GetProperty("extent").GetProperty("spatial").GetProperty("crs").GetString());
        Assert.Equal(Crs84, collection.GetProperty("storageCrs").GetString());
        Assert.Equal([Crs84, RdNew], collection.GetProperty("crs").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal([SensorWorld.OpenDataset], collection.GetProperty("datasets").EnumerateArray().Select(d => d.GetString()));
        Assert.False(collection.GetProperty("synthetisch").GetBoolean());
        Assert.Contains(collection.GetProperty("links").EnumerateArray(), l => l.GetProperty("rel").GetString() == "items");
    }

    [Fact]
    public async Task Items_are_the_located_readable_things_with_their_point_and_the_latest_value_of_each_datastream()
    {
        using var response = await Server.Client.GetAsync("/ogc/collections/sensoren/items", Cancel);
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"<{Crs84}>", response.Headers.GetValues("Content-Crs").Single());
        var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement;

        Assert.Equal(3, page.GetProperty("numberMatched").GetInt64());
        Assert.Equal(3, page.GetProperty("numberReturned").GetInt32());
        var features = page.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal([World.Dam, World.Kade, World.Brug], features.Select(f => f.GetProperty("id").GetString()));

        var dam = features[0];
        Assert.Equal("Point", dam.GetProperty("geometry").GetProperty("type").GetString());
        Assert.Equal([4.9, 52.37], dam.GetProperty("geometry").GetProperty("coordinates").EnumerateArray().Select(c => c.GetDouble()));
        var properties = dam.GetProperty("properties");
        Assert.Equal("Meetpunt Dam", properties.GetProperty("naam").GetString());
        Assert.Equal("Luchtmeetpunt op het plein", properties.GetProperty("omschrijving").GetString());
        Assert.Equal("Luchtkwaliteit", properties.GetProperty("soort").GetString());
        Assert.Equal(SensorWorld.OpenDataset, properties.GetProperty("dataset").GetString());
        Assert.Equal("2025-03-01T11:00:00.000Z", properties.GetProperty("laatsteWaarneming").GetString());
        Assert.Equal(new Uri(Server.Address, $"/sta/v1.1/Things({World.Dam})").ToString(), properties.GetProperty("staUrl").GetString());
        var streams = properties.GetProperty("datastreams").EnumerateArray().ToList();
        Assert.Equal(2, streams.Count);
        Assert.Equal(World.DamNo2, streams[0].GetProperty("id").GetInt64());
        Assert.Equal("NO2", streams[0].GetProperty("naam").GetString());
        Assert.Equal("NO2-concentratie", streams[0].GetProperty("waargenomenGrootheid").GetString());
        Assert.Equal("µg/m³", streams[0].GetProperty("eenheid").GetString());
        Assert.Equal(22.0, streams[0].GetProperty("laatsteWaarde").GetDouble());
        Assert.Equal("2025-03-01T11:00:00.000Z", streams[0].GetProperty("laatsteTijd").GetString());
        Assert.Equal(new Uri(Server.Address, $"/sta/v1.1/Datastreams({World.DamNo2})").ToString(), streams[0].GetProperty("staUrl").GetString());
        Assert.Equal(15.0, streams[1].GetProperty("laatsteWaarde").GetDouble());
        Assert.Equal("2025-03-01T09:00:00.000Z", streams[1].GetProperty("laatsteTijd").GetString());

        // Kade's first Location is a polygon and its third another point: the feature takes the first point.
        var kade = features[1];
        Assert.Equal([4.67, 51.81], kade.GetProperty("geometry").GetProperty("coordinates").EnumerateArray().Select(c => c.GetDouble()));
        Assert.Equal(JsonValueKind.Null, kade.GetProperty("properties").GetProperty("laatsteWaarneming").ValueKind);
        var tilt = Assert.Single(kade.GetProperty("properties").GetProperty("datastreams").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, tilt.GetProperty("laatsteWaarde").ValueKind);
        Assert.Equal(JsonValueKind.Null, tilt.GetProperty("laatsteTijd").ValueKind);
    }

    [Fact]
    public async Task A_posted_observation_becomes_the_latest_value_at_once()
    {
        var world = new SensorWorld();
        await using var server = await TwinServer.StartAsync(world.SeedAsync);
        var before = await server.GetJsonAsync($"/ogc/collections/sensoren/items/{world.Dam}");

        using var posted = await server.Writer.PostAsync(
            $"/sta/v1.1/Datastreams({world.DamNo2})/Observations",
            new StringContent("""{"phenomenonTime":"2025-03-01T11:45:00Z","result":30.25}""", Encoding.UTF8, "application/json"),
            Cancel);
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var after = await server.GetJsonAsync($"/ogc/collections/sensoren/items/{world.Dam}");
        var listed = (await server.GetJsonAsync("/ogc/collections/sensoren/items")).GetProperty("features")[0];

        Assert.Equal(22.0, before.GetProperty("properties").GetProperty("datastreams")[0].GetProperty("laatsteWaarde").GetDouble());
        Assert.Equal(30.25, after.GetProperty("properties").GetProperty("datastreams")[0].GetProperty("laatsteWaarde").GetDouble());
        Assert.Equal("2025-03-01T11:45:00.000Z", after.GetProperty("properties").GetProperty("datastreams")[0].GetProperty("laatsteTijd").GetString());
        Assert.Equal("2025-03-01T11:45:00.000Z", after.GetProperty("properties").GetProperty("laatsteWaarneming").GetString());
        Assert.Equal(after.GetProperty("properties").GetRawText(), listed.GetProperty("properties").GetRawText());
    }

    [Fact]
    public async Task A_bbox_in_crs84_or_rd_new_selects_the_sensors_inside_it()
    {
        var amsterdam = await Server.GetJsonAsync("/ogc/collections/sensoren/items?bbox=4.8,52.3,5.0,52.4");
        // Around Dordrecht in RD New: Kade lies at about (105 000, 425 000).
        var dordrecht = await Server.GetJsonAsync($"/ogc/collections/sensoren/items?bbox=100000,420000,110000,430000&bbox-crs={RdNew}");
        var nowhere = await Server.GetJsonAsync("/ogc/collections/sensoren/items?bbox=-10,-10,-9,-9");

        Assert.Equal([World.Dam], Ids(amsterdam));
        Assert.Equal(1, amsterdam.GetProperty("numberMatched").GetInt64());
        Assert.Equal([World.Kade], Ids(dordrecht));
        Assert.Equal(0, nowhere.GetProperty("numberMatched").GetInt64());
        Assert.Empty(Ids(nowhere));
    }

    [Fact]
    public async Task Rd_new_is_served_on_request_transformed_from_the_crs84_location()
    {
        using var response = await Server.Client.GetAsync($"/ogc/collections/sensoren/items/{World.Kade}?crs={RdNew}", Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"<{RdNew}>", response.Headers.GetValues("Content-Crs").Single());
        var coordinates = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement.GetProperty("geometry").GetProperty("coordinates");

        var expected = (Point)new CrsTransformer(TwinHost.GeometryServices).Transform(
            TwinHost.GeometryServices.CreateGeometryFactory(Crs.Crs84Srid).CreatePoint(new Coordinate(4.67, 51.81)), Crs.RdNewSrid);
        Assert.Equal(expected.X, coordinates[0].GetDouble(), 0.001);
        Assert.Equal(expected.Y, coordinates[1].GetDouble(), 0.001);
        Assert.InRange(expected.X, 100_000, 110_000);
    }

    [Fact]
    public async Task Next_and_prev_links_page_through_every_sensor_exactly_once()
    {
        var first = await Server.GetJsonAsync("/ogc/collections/sensoren/items?limit=2");
        var next = Link(first, "next")!;
        var second = await Server.GetJsonAsync(next);

        Assert.Equal(2, first.GetProperty("numberReturned").GetInt32());
        Assert.Equal(3, first.GetProperty("numberMatched").GetInt64());
        Assert.Null(Link(first, "prev"));
        Assert.Contains("offset=2", next, StringComparison.Ordinal);
        Assert.Equal(1, second.GetProperty("numberReturned").GetInt32());
        Assert.Null(Link(second, "next"));
        Assert.NotNull(Link(second, "prev"));
        Assert.Equal([World.Dam, World.Kade, World.Brug], Ids(first).Concat(Ids(second)));
    }

    [Fact]
    public async Task A_single_sensor_is_the_one_from_the_list_with_links()
    {
        var listed = (await Server.GetJsonAsync("/ogc/collections/sensoren/items")).GetProperty("features")[2];
        var single = await Server.GetJsonAsync($"/ogc/collections/sensoren/items/{World.Brug}");

        Assert.Equal("Feature", single.GetProperty("type").GetString());
        Assert.Equal(World.Brug, single.GetProperty("id").GetString());
        Assert.Equal(listed.GetProperty("geometry").GetRawText(), single.GetProperty("geometry").GetRawText());
        Assert.Equal(listed.GetProperty("properties").GetRawText(), single.GetProperty("properties").GetRawText());
        Assert.EndsWith($"/ogc/collections/sensoren/items/{World.Brug}", Link(single, "self"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_sensors_and_things_without_a_point_are_404_problems()
    {
        await Problems.AssertProblemAsync(Server.Client, "/ogc/collections/sensoren/items/999999", 404);
        await Problems.AssertProblemAsync(Server.Client, "/ogc/collections/sensoren/items/meetpunt", 404);
        await Problems.AssertProblemAsync(Server.Client, $"/ogc/collections/sensoren/items/0{World.Dam}", 404);
        await Problems.AssertProblemAsync(Server.Client, $"/ogc/collections/sensoren/items/{World.Zwerver}", 404);
    }

    [Fact]
    public async Task Things_without_a_dataset_or_of_a_dataset_the_public_may_not_read_are_hidden()
    {
        var all = await Server.GetJsonAsync("/ogc/collections/sensoren/items?limit=100");
        var byName = await Server.GetJsonAsync("/ogc/collections/sensoren/items?naam=Meetpunt%20Zonder");

        Assert.DoesNotContain(World.Zonder, Ids(all));
        Assert.DoesNotContain(World.Geheim, Ids(all));
        Assert.Equal(0, byName.GetProperty("numberMatched").GetInt64());
        await Problems.AssertProblemAsync(Server.Client, $"/ogc/collections/sensoren/items/{World.Zonder}", 404);
        await Problems.AssertProblemAsync(Server.Client, $"/ogc/collections/sensoren/items/{World.Geheim}", 404);
        // The same access seam hides them from SensorThings.
        await Problems.AssertProblemAsync(Server.Client, $"/sta/v1.1/Things({World.Zonder})", 404);
        await Problems.AssertProblemAsync(Server.Client, $"/sta/v1.1/Things({World.Geheim})", 404);
    }

    [Fact]
    public async Task Queryables_declare_naam_and_soort_and_filter_the_items()
    {
        var queryables = await Server.GetJsonAsync("/ogc/collections/sensoren/queryables");
        var air = await Server.GetJsonAsync("/ogc/collections/sensoren/items?soort=Luchtkwaliteit");
        var kade = await Server.GetJsonAsync("/ogc/collections/sensoren/items?naam=Meetpunt%20Kade");
        var both = await Server.GetJsonAsync("/ogc/collections/sensoren/items?soort=Luchtkwaliteit&naam=Meetpunt%20Brug");

        Assert.Equal("string", queryables.GetProperty("properties").GetProperty("naam").GetProperty("type").GetString());
        Assert.Equal("string", queryables.GetProperty("properties").GetProperty("soort").GetProperty("type").GetString());
        Assert.Equal([World.Dam, World.Brug], Ids(air));
        Assert.Equal(2, air.GetProperty("numberMatched").GetInt64());
        Assert.Equal([World.Kade], Ids(kade));
        Assert.Equal([World.Brug], Ids(both));
    }

    [Fact]
    public async Task Datetime_selects_sensors_by_the_time_of_their_latest_observation()
    {
        var recent = await Server.GetJsonAsync("/ogc/collections/sensoren/items?datetime=2025-03-01T10:30:00Z/..");
        var early = await Server.GetJsonAsync("/ogc/collections/sensoren/items?datetime=../2025-03-01T09:00:00Z");
        var instant = await Server.GetJsonAsync("/ogc/collections/sensoren/items?datetime=2025-03-01T11:00:00Z");
        var day = await Server.GetJsonAsync("/ogc/collections/sensoren/items?datetime=2025-03-01");

        Assert.Equal([World.Dam], Ids(recent));
        Assert.Equal([World.Brug], Ids(early));
        Assert.Equal([World.Dam], Ids(instant));
        Assert.Equal([World.Dam, World.Brug], Ids(day));
        Assert.Equal(2, day.GetProperty("numberMatched").GetInt64());
    }

    [Fact]
    public async Task The_api_definition_says_what_datetime_means_for_sensors_and_leaves_it_off_a_single_sensor()
    {
        var paths = (await Server.GetJsonAsync("/ogc/api")).GetProperty("paths");
        var items = paths.GetProperty("/collections/sensoren/items").GetProperty("get").GetProperty("parameters").EnumerateArray().ToList();
        var single = paths.GetProperty("/collections/sensoren/items/{featureId}").GetProperty("get").GetProperty("parameters").EnumerateArray().ToList();
        var building = paths.GetProperty("/collections/panden/items/{featureId}").GetProperty("get").GetProperty("parameters").EnumerateArray().ToList();

        var datetime = items.Single(p => p.TryGetProperty("name", out var n) && n.GetString() == "datetime");
        Assert.Contains("latest observation", datetime.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains(items, p => p.TryGetProperty("name", out var n) && n.GetString() == "soort");
        Assert.DoesNotContain(single, p => p.TryGetProperty("$ref", out var r) && r.GetString()!.EndsWith("/datetime", StringComparison.Ordinal));
        Assert.Contains(building, p => p.TryGetProperty("$ref", out var r) && r.GetString()!.EndsWith("/datetime", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/ogc/collections/sensoren/items?limit=0")]
    [InlineData("/ogc/collections/sensoren/items?bbox=5,52,4,53")]
    [InlineData("/ogc/collections/sensoren/items?crs=http://www.opengis.net/def/crs/EPSG/0/3857")]
    [InlineData("/ogc/collections/sensoren/items?datetime=gisteren")]
    [InlineData("/ogc/collections/sensoren/items?eenheid=%C2%B0C")]
    [InlineData("/ogc/collections/sensoren/items?f=xml")]
    [InlineData("/ogc/collections/sensoren/items/1?datetime=2025-03-01T11:00:00Z")]
    [InlineData("/ogc/collections/sensoren/queryables?naam=x")]
    public async Task Invalid_or_unknown_parameters_are_400_problems(string path) =>
        await Problems.AssertProblemAsync(Server.Client, path, 400);

    [Fact]
    public async Task F_json_is_accepted_on_every_resource_of_the_collection()
    {
        foreach (var path in new[] { "/ogc/collections/sensoren?f=json", "/ogc/collections/sensoren/items?f=json", $"/ogc/collections/sensoren/items/{World.Dam}?f=json", "/ogc/collections/sensoren/queryables?f=json" })
        {
            using var response = await Server.Client.GetAsync(path, Cancel);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private static List<string> Ids(JsonElement page) => [.. page.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetString()!)];

    private static string? Link(JsonElement body, string rel) => body.GetProperty("links").EnumerateArray()
        .Where(l => l.GetProperty("rel").GetString() == rel).Select(l => l.GetProperty("href").GetString()).FirstOrDefault();
}

/// <summary>The demo city's sensors in the collection: the dataset they name is registered, open and synthetic.</summary>
[Collection(DemoCityCollection.Name)]
public sealed class DemoSensorCollectionTests(DemoCityServer fixture)
{
    [Fact]
    public async Task Every_demo_sensor_is_an_open_synthetic_feature_with_a_latest_value_for_its_datastream()
    {
        var page = await fixture.Server.GetJsonAsync("/ogc/collections/sensoren/items?limit=100");
        var collection = await fixture.Server.GetJsonAsync("/ogc/collections/sensoren");
        var dataset = await fixture.Server.GetJsonAsync($"/api/v1/datasets/{DemoSensorCatalog.DatasetId}");

        Assert.Equal(SensorPlacement.Counts.Values.Sum(), page.GetProperty("numberMatched").GetInt64());
        Assert.All(page.GetProperty("features").EnumerateArray(), f =>
        {
            Assert.Equal(DemoSensorCatalog.DatasetId, f.GetProperty("properties").GetProperty("dataset").GetString());
            var stream = Assert.Single(f.GetProperty("properties").GetProperty("datastreams").EnumerateArray());
            Assert.Equal(JsonValueKind.Number, stream.GetProperty("laatsteWaarde").ValueKind);
        });
        Assert.Equal(SensorPlacement.Counts.Count, page.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("soort").GetString()).Distinct().Count());
        Assert.True(collection.GetProperty("synthetisch").GetBoolean());
        Assert.Equal("open", dataset.GetProperty("classificatie").GetString());
    }
}

/// <summary>A server over <see cref="SensorWorld"/>, shared by the read-only tests of <see cref="SensorCollectionTests"/>.</summary>
public sealed class SensorCollectionServer : IAsyncLifetime
{
    private TwinServer? _server;

    public SensorWorld World { get; } = new();

    public TwinServer Server => _server ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync() => _server = await TwinServer.StartAsync(World.SeedAsync, TwinServer.ProductionAccess);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>
/// Six Things: three located in the open dataset (Dam, Kade, Brug), one in an internal dataset (Geheim),
/// one without a dataset (Zonder), one without a Location (Zwerver). Feature ids are the Things' ids.
/// </summary>
public sealed class SensorWorld
{
    public const string OpenDataset = "meetnet-open";
    public const string InternalDataset = "meetnet-intern";

    private const string Measurement = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement";
    private static readonly GeometryFactory s_crs84 = TwinHost.GeometryServices.CreateGeometryFactory(Crs.Crs84Srid);

    public string Dam { get; private set; } = "";

    public long DamNo2 { get; private set; }

    public string Kade { get; private set; } = "";

    public string Brug { get; private set; } = "";

    public string Geheim { get; private set; } = "";

    public string Zonder { get; private set; } = "";

    public string Zwerver { get; private set; } = "";

    public async Task SeedAsync(SqliteTwinStore store)
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var transaction = await store.BeginAsync(ct))
        {
            await transaction.PutDatasetAsync(Dataset(OpenDataset, Classification.Open), ct);
            await transaction.PutDatasetAsync(Dataset(InternalDataset, Classification.Internal), ct);
            await transaction.CommitAsync(ct);
        }

        var no2 = new ObservedProperty(0, "NO2-concentratie", "urn:tweeling:grootheid:no2", "Stikstofdioxide");
        var dam = await ThingAsync(store, "Meetpunt Dam", "Luchtmeetpunt op het plein", OpenDataset, "Luchtkwaliteit", [Point(4.9, 52.37)],
            [("NO2", "µg/m³", no2), ("PM10", "µg/m³", new ObservedProperty(0, "PM10-concentratie", "urn:tweeling:grootheid:pm10", "Fijnstof"))]);
        var square = s_crs84.CreatePolygon([new(4.6, 51.8), new(4.61, 51.8), new(4.61, 51.81), new(4.6, 51.81), new(4.6, 51.8)]);
        var kade = await ThingAsync(store, "Meetpunt Kade", "Hellingmeter", OpenDataset, "Kademuur", [square, Point(4.67, 51.81), Point(5.0, 52.0)],
            [("Scheefstand", "mm/m", new ObservedProperty(0, "Scheefstand kademuur", "urn:tweeling:grootheid:scheefstand-kademuur", "Helling"))]);
        var brug = await ThingAsync(store, "Meetpunt Brug", "Luchtmeetpunt bij de brug", OpenDataset, "Luchtkwaliteit", [Point(5.1, 52.09)],
            [("NO2", "µg/m³", no2)]);
        var geheim = await ThingAsync(store, "Meetpunt Geheim", "Intern meetpunt", InternalDataset, "Luchtkwaliteit", [Point(6.5, 53.2)], [("NO2", "µg/m³", no2)]);
        var zonder = await ThingAsync(store, "Meetpunt Zonder", "Meetpunt zonder dataset", null, "Luchtkwaliteit", [Point(3.5, 51.4)], [("NO2", "µg/m³", no2)]);
        var zwerver = await ThingAsync(store, "Zwerver", "Sensor zonder standplaats", OpenDataset, "Luchtkwaliteit", [], [("NO2", "µg/m³", no2)]);

        await store.Sensors.AppendAsync(
            [
                new NewObservation(dam.DatastreamIds[0], SensorTime.At(At(10)), 20.5),
                new NewObservation(dam.DatastreamIds[0], SensorTime.At(At(11)), 22.0),
                new NewObservation(dam.DatastreamIds[1], SensorTime.At(At(9)), 15.0),
                new NewObservation(brug.DatastreamIds[0], SensorTime.At(At(8)), 31.0),
                new NewObservation(geheim.DatastreamIds[0], SensorTime.At(At(11)), 40.0),
                new NewObservation(zonder.DatastreamIds[0], SensorTime.At(At(11)), 41.0),
            ],
            ct);
        (Dam, DamNo2, Kade, Brug, Geheim, Zonder, Zwerver) =
            (Id(dam), dam.DatastreamIds[0], Id(kade), Id(brug), Id(geheim), Id(zonder), Id(zwerver));
    }

    private static DateTimeOffset At(int hour) => new(2025, 3, 1, hour, 0, 0, TimeSpan.Zero);

    private static string Id(ThingInserted inserted) => inserted.ThingId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static Point Point(double lon, double lat) => s_crs84.CreatePoint(new Coordinate(lon, lat));

    private static Task<ThingInserted> ThingAsync(
        SqliteTwinStore store, string name, string description, string? dataset, string kind, Geometry[] locations,
        (string Name, string Unit, ObservedProperty Property)[] datastreams)
    {
        var properties = new Dictionary<string, object> { ["soort"] = kind };
        if (dataset is not null)
        {
            properties["dataset"] = dataset;
        }

        return store.Sensors.CreateThingAsync(
            new ThingInsert(
                new Thing(0, name, description, JsonSerializer.SerializeToElement(properties)),
                [.. locations.Select((g, i) => Link<StaLocation>.Create(new StaLocation(0, $"{name} {i + 1}", "Standplaats", "application/geo+json", g)))],
                [.. datastreams.Select(d => new DatastreamInsert(
                    new Datastream(0, d.Name, $"{d.Name} van {name}", new UnitOfMeasurement(d.Unit, d.Unit, "urn:example:unit"), Measurement, 0, 0, 0),
                    Link<Sensor>.Create(new Sensor(0, "Meter", "Een meter", "text/plain", "Een meter")),
                    Link<ObservedProperty>.Create(d.Property)))],
                TwinServer.Now),
            TestContext.Current.CancellationToken);
    }

    private static Dataset Dataset(string id, Classification classification) => new(
        id, $"Meetnet {id}", "Meetpunten voor de test", new Agent("Test", "https://example.org"), new Agent("Test", "https://example.org"),
        new ContactPoint("Test", "test@example.org"), [CatalogVocabulary.ThemeEnvironment], classification, "Test", ["test"],
        CatalogVocabulary.LicenseCc0, TwinServer.Now, CatalogVocabulary.FrequencyIrregular, null, "Test", IsSynthetic: false);
}
