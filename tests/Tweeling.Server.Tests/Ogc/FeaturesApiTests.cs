using System.Net;
using System.Text.Json;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Features;
using Tweeling.Domain.Geo;
using Tweeling.Server.Hosting;

namespace Tweeling.Server.Tests.Ogc;

/// <summary>OGC API – Features Part 1 and 2 against the demo city, after the abstract tests of ets-ogcapi-features10.</summary>
[Collection(DemoCityCollection.Name)]
public sealed class FeaturesApiTests(DemoCityServer fixture)
{
    private const string Crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
    private const string RdNew = "http://www.opengis.net/def/crs/EPSG/0/28992";

    private TwinServer Server => fixture.Server;

    [Fact]
    public async Task The_landing_page_links_the_api_definition_conformance_and_collections()
    {
        var landing = await Server.GetJsonAsync("/ogc");
        var rels = landing.GetProperty("links").EnumerateArray().Select(l => l.GetProperty("rel").GetString()).ToList();

        Assert.Contains("service-desc", rels);
        Assert.Contains("conformance", rels);
        Assert.Contains("data", rels);
        Assert.Contains("self", rels);
    }

    [Fact]
    public async Task Conformance_declares_core_geojson_oas30_and_crs()
    {
        var classes = (await Server.GetJsonAsync("/ogc/conformance")).GetProperty("conformsTo").EnumerateArray().Select(c => c.GetString()).ToList();

        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core", classes);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson", classes);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30", classes);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs", classes);
    }

    [Fact]
    public async Task Every_collection_is_listed_as_features_with_a_crs84_extent_in_the_netherlands_and_both_crs()
    {
        var collections = (await Server.GetJsonAsync("/ogc/collections")).GetProperty("collections").EnumerateArray().ToList();

        Assert.Equal(TwinCollections.All.Select(c => c.Id), collections.Select(c => c.GetProperty("id").GetString()));
        foreach (var collection in collections)
        {
            Assert.Equal("feature", collection.GetProperty("itemType").GetString());
            var extent = collection.GetProperty("extent").GetProperty("spatial");
            Assert.Equal(Crs84, extent.GetProperty("crs").GetString());
            var bbox = extent.GetProperty("bbox")[0].EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Assert.Equal(4, bbox.Length);
            Assert.InRange(bbox[0], 3.2, 7.3);
            Assert.InRange(bbox[1], 50.7, 53.6);
            Assert.True(bbox[0] < bbox[2] && bbox[1] < bbox[3]);
            Assert.Equal([Crs84, RdNew], collection.GetProperty("crs").EnumerateArray().Select(c => c.GetString()));
            // The feature store keeps RD New; the sensor store keeps its Locations in CRS84.
            Assert.Equal(collection.GetProperty("id").GetString() == TwinCollections.Sensoren ? Crs84 : RdNew, collection.GetProperty("storageCrs").GetString());
            Assert.True(collection.GetProperty("synthetisch").GetBoolean(), "the demo city is labelled synthetic");
        }
    }

    [Fact]
    public async Task Items_default_to_ten_in_crs84_with_counts_timestamp_and_a_next_link()
    {
        using var response = await Server.Client.GetAsync("/ogc/collections/panden/items", TestContext.Current.CancellationToken);
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"<{Crs84}>", response.Headers.GetValues("Content-Crs").Single());
        var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;

        Assert.Equal("FeatureCollection", page.GetProperty("type").GetString());
        Assert.Equal(10, page.GetProperty("numberReturned").GetInt32());
        Assert.Equal(10, page.GetProperty("features").GetArrayLength());
        Assert.True(page.GetProperty("numberMatched").GetInt64() >= 45_000);
        Assert.Equal("2025-03-01T12:00:00Z", page.GetProperty("timeStamp").GetString());
        Assert.Contains(page.GetProperty("links").EnumerateArray(), l => l.GetProperty("rel").GetString() == "next");
        var first = page.GetProperty("features")[0];
        var lon = first.GetProperty("geometry").GetProperty("coordinates")[0][0][0].GetDouble();
        Assert.InRange(lon, 4.5, 4.9);
    }

    [Fact]
    public async Task Links_and_names_are_written_as_plain_utf8_json()
    {
        var body = await Server.Client.GetStringAsync("/ogc/collections/panden/items?limit=2&functie=wonen", TestContext.Current.CancellationToken);
        var sta = await Server.Client.GetStringAsync("/sta/v1.1/Things?$top=1", TestContext.Current.CancellationToken);

        Assert.Contains("&offset=2", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0026", body, StringComparison.Ordinal);
        Assert.Contains("&$skip=1", sta, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Following_next_links_returns_every_feature_exactly_once()
    {
        var ids = new List<string>();
        long matched = -1;
        string? next = "/ogc/collections/buurten/items?limit=25";
        while (next is not null)
        {
            var page = await Server.GetJsonAsync(next);
            matched = page.GetProperty("numberMatched").GetInt64();
            ids.AddRange(page.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetString()!));
            next = page.GetProperty("links").EnumerateArray().Where(l => l.GetProperty("rel").GetString() == "next")
                .Select(l => new Uri(l.GetProperty("href").GetString()!).PathAndQuery).FirstOrDefault();
        }

        Assert.Equal(matched, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.InRange(ids.Count, 120, 140);
    }

    [Fact]
    public async Task A_bbox_returns_only_features_that_reach_into_it_and_fewer_than_all()
    {
        const double minLon = 4.66, minLat = 51.81, maxLon = 4.67, maxLat = 51.815;
        var all = (await Server.GetJsonAsync("/ogc/collections/panden/items?limit=1")).GetProperty("numberMatched").GetInt64();
        var page = await Server.GetJsonAsync(FormattableString.Invariant($"/ogc/collections/panden/items?limit=10000&bbox={minLon},{minLat},{maxLon},{maxLat}"));

        var features = page.GetProperty("features").EnumerateArray().ToList();
        Assert.NotEmpty(features);
        Assert.True(features.Count < all);
        foreach (var feature in features)
        {
            var ring = feature.GetProperty("geometry").GetProperty("coordinates")[0].EnumerateArray().Select(p => (X: p[0].GetDouble(), Y: p[1].GetDouble())).ToList();
            // 1e-5 degree (about 1 m) of slack: the bbox is projected to RD New for the index.
            Assert.True(ring.Max(p => p.X) >= minLon - 1e-5 && ring.Min(p => p.X) <= maxLon + 1e-5 && ring.Max(p => p.Y) >= minLat - 1e-5 && ring.Min(p => p.Y) <= maxLat + 1e-5,
                $"{feature.GetProperty("id")} lies outside the bbox");
        }
    }

    [Fact]
    public async Task Rd_new_is_served_on_request_and_accepted_for_the_bbox()
    {
        using var response = await Server.Client.GetAsync($"/ogc/collections/panden/items?limit=5&crs={RdNew}&bbox=104000,424000,106000,426000&bbox-crs={RdNew}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"<{RdNew}>", response.Headers.GetValues("Content-Crs").Single());
        var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;

        Assert.Equal(5, page.GetProperty("numberReturned").GetInt32());
        foreach (var feature in page.GetProperty("features").EnumerateArray())
        {
            var corner = feature.GetProperty("geometry").GetProperty("coordinates")[0][0];
            Assert.InRange(corner[0].GetDouble(), 103_900, 106_100);
            Assert.InRange(corner[1].GetDouble(), 423_900, 426_100);
        }
    }

    [Fact]
    public async Task The_same_feature_in_both_crs_agrees_after_transformation()
    {
        var crs84 = await Server.GetJsonAsync("/ogc/collections/buurten/items?limit=1");
        var id = crs84.GetProperty("features")[0].GetProperty("id").GetString();
        var rd = await Server.GetJsonAsync($"/ogc/collections/buurten/items/{id}?crs={RdNew}");
        var lonLat = crs84.GetProperty("features")[0].GetProperty("geometry").GetProperty("coordinates")[0][0];
        var xy = rd.GetProperty("geometry").GetProperty("coordinates")[0][0];

        var transformer = new CrsTransformer(TwinHost.GeometryServices);
        var point = TwinHost.GeometryServices.CreateGeometryFactory(Crs.RdNewSrid).CreatePoint(new Coordinate(xy[0].GetDouble(), xy[1].GetDouble()));
        var expected = (Point)transformer.Transform(point, Crs.Crs84Srid);

        // Both responses are rounded (1 mm in RD, 1e-7° in CRS84): they must agree to 1e-6° (about 10 cm).
        Assert.Equal(expected.X, lonLat[0].GetDouble(), 1e-6);
        Assert.Equal(expected.Y, lonLat[1].GetDouble(), 1e-6);
        Assert.Equal(id, rd.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Datetime_reads_the_twin_as_of_a_date_and_intervals_select_overlapping_versions()
    {
        var before = await Server.GetJsonAsync("/ogc/collections/wijken/items?datetime=2023-06-01T00:00:00Z");
        var after = await Server.GetJsonAsync("/ogc/collections/wijken/items?datetime=2024-06-01");
        var interval = await Server.GetJsonAsync("/ogc/collections/wijken/items?datetime=../2024-01-01T00:00:00Z");

        Assert.Equal(0, before.GetProperty("numberMatched").GetInt64());
        Assert.Equal(13, after.GetProperty("numberMatched").GetInt64());
        Assert.Equal(13, interval.GetProperty("numberMatched").GetInt64());
        Assert.Equal("2024-01-01T00:00:00+00:00", after.GetProperty("features")[0].GetProperty("properties").GetProperty("geldigVanaf").GetString());
    }

    [Fact]
    public async Task Queryables_filter_the_items_and_are_declared_as_json_schema()
    {
        var houses = await Server.GetJsonAsync("/ogc/collections/panden/items?functie=wonen&limit=200");
        var queryables = await Server.GetJsonAsync("/ogc/collections/panden/queryables");

        Assert.All(houses.GetProperty("features").EnumerateArray(), f => Assert.Equal("wonen", f.GetProperty("properties").GetProperty("functie").GetString()));
        Assert.True(houses.GetProperty("numberMatched").GetInt64() > 1000);
        Assert.Equal("integer", queryables.GetProperty("properties").GetProperty("bouwjaar").GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("/ogc/collections/panden/items?limit=0")]
    [InlineData("/ogc/collections/panden/items?limit=-1")]
    [InlineData("/ogc/collections/panden/items?limit=10001")]
    [InlineData("/ogc/collections/panden/items?limit=ten")]
    [InlineData("/ogc/collections/panden/items?offset=-5")]
    [InlineData("/ogc/collections/panden/items?unknownQueryParameter=1")]
    [InlineData("/ogc/collections/panden/items?bbox=4.6,51.8,4.7")]
    [InlineData("/ogc/collections/panden/items?bbox=4.7,51.8,4.6,51.9")]
    [InlineData("/ogc/collections/panden/items?bbox=a,b,c,d")]
    [InlineData("/ogc/collections/panden/items?bbox=-200,51,4,52")]
    [InlineData("/ogc/collections/panden/items?crs=http://www.opengis.net/def/crs/EPSG/0/3857")]
    [InlineData("/ogc/collections/panden/items?bbox-crs=http://www.opengis.net/def/crs/EPSG/0/28992")]
    [InlineData("/ogc/collections/panden/items?datetime=yesterday")]
    [InlineData("/ogc/collections/panden/items?datetime=2024-01-01T00:00:00Z/2023-01-01T00:00:00Z")]
    [InlineData("/ogc/collections/panden/items?datetime=../..")]
    [InlineData("/ogc/collections/panden/items?bouwjaar=old")]
    [InlineData("/ogc/collections/panden/items?f=xml")]
    [InlineData("/ogc/collections/panden/items?limit=5&limit=6")]
    [InlineData("/ogc/collections?foo=bar")]
    [InlineData("/ogc/collections/panden/items/x?bbox=1,2,3,4")]
    public async Task Invalid_or_unknown_parameters_are_400_problems(string path) =>
        await Problems.AssertProblemAsync(Server.Client, path, 400);

    [Theory]
    [InlineData("/ogc/collections/onbekend")]
    [InlineData("/ogc/collections/onbekend/items")]
    [InlineData("/ogc/collections/panden/items/bestaat-niet")]
    public async Task Missing_collections_and_features_are_404_problems(string path) =>
        await Problems.AssertProblemAsync(Server.Client, path, 404);

    [Fact]
    public async Task F_json_is_accepted_everywhere()
    {
        foreach (var path in new[] { "/ogc?f=json", "/ogc/conformance?f=json", "/ogc/collections?f=json", "/ogc/collections/bomen?f=json", "/ogc/collections/bomen/items?f=json" })
        {
            using var response = await Server.Client.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_single_feature_is_the_one_from_the_list()
    {
        var listed = (await Server.GetJsonAsync("/ogc/collections/voorzieningen/items?limit=1")).GetProperty("features")[0];
        var id = listed.GetProperty("id").GetString();
        var single = await Server.GetJsonAsync($"/ogc/collections/voorzieningen/items/{Uri.EscapeDataString(id!)}");

        Assert.Equal("Feature", single.GetProperty("type").GetString());
        Assert.Equal(listed.GetProperty("geometry").GetRawText(), single.GetProperty("geometry").GetRawText());
        Assert.Equal(listed.GetProperty("properties").GetRawText(), single.GetProperty("properties").GetRawText());
    }

    [Fact]
    public async Task The_api_definition_declares_each_collections_queryables_as_parameters()
    {
        using var response = await Server.Client.GetAsync("/ogc/api", TestContext.Current.CancellationToken);
        Assert.Equal("application/vnd.oai.openapi+json", response.Content.Headers.ContentType?.MediaType);
        var api = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;

        Assert.StartsWith("3.0", api.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        foreach (var collection in TwinCollections.All)
        {
            var parameters = api.GetProperty("paths").GetProperty($"/collections/{collection.Id}/items").GetProperty("get").GetProperty("parameters")
                .EnumerateArray().Select(p => p.TryGetProperty("name", out var n) ? n.GetString() : p.GetProperty("$ref").GetString()!.Split('/')[^1]).ToList();
            Assert.All(collection.Queryables, q => Assert.Contains(q.Name, parameters));
            Assert.Contains("bbox", parameters);
            Assert.Contains("limit", parameters);
        }
    }
}
