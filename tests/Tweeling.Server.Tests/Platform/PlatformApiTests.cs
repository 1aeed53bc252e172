using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Tweeling.Server.Features.Platform;

namespace Tweeling.Server.Tests.Platform;

/// <summary>The platform API /api/v1 over the demo city: catalog, areas with indicators, NL API Design Rules.</summary>
[Collection(DemoCityCollection.Name)]
public sealed class PlatformApiTests(DemoCityServer fixture)
{
    private TwinServer Server => fixture.Server;

    [Fact]
    public async Task Datasets_list_the_demo_city_labelled_synthetic_with_governance_metadata()
    {
        using var response = await Server.Client.GetAsync("/api/v1/datasets", TestContext.Current.CancellationToken);
        Assert.Equal("1.0.0", response.Headers.GetValues("API-Version").Single());
        var datasets = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.EnumerateArray().ToList();

        Assert.NotEmpty(datasets);
        Assert.All(datasets, d =>
        {
            Assert.True(d.GetProperty("synthetisch").GetBoolean());
            Assert.Equal("open", d.GetProperty("classificatie").GetString());
            Assert.False(string.IsNullOrEmpty(d.GetProperty("wettelijkeGrondslag").GetString()));
            Assert.NotEqual(0, d.GetProperty("doelen").GetArrayLength());
        });
        var id = datasets[0].GetProperty("id").GetString();
        var single = await Server.GetJsonAsync($"/api/v1/datasets/{id}");
        Assert.Equal(id, single.GetProperty("id").GetString());
    }

    [Fact]
    public async Task The_catalog_exports_dcat_ap_nl_with_every_mandatory_dataset_property()
    {
        using var response = await Server.Client.GetAsync("/api/v1/catalogus", TestContext.Current.CancellationToken);
        Assert.Equal("application/ld+json", response.Content.Headers.ContentType?.MediaType);
        var catalog = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;

        Assert.Equal("dcat:Catalog", catalog.GetProperty("@type").GetString());
        Assert.Equal("http://www.w3.org/ns/dcat#", catalog.GetProperty("@context").GetProperty("dcat").GetString());
        foreach (var dataset in catalog.GetProperty("dcat:dataset").EnumerateArray())
        {
            foreach (var property in new[] { "dct:identifier", "dct:title", "dct:description", "dct:publisher", "dct:creator", "dcat:contactPoint", "dcat:theme", "dct:accessRights" })
            {
                Assert.True(dataset.TryGetProperty(property, out _), $"{property} is mandatory in DCAT-AP-NL 3.0");
            }

            Assert.Equal("http://publications.europa.eu/resource/authority/access-right/PUBLIC", dataset.GetProperty("dct:accessRights").GetProperty("@id").GetString());
        }
    }

    [Fact]
    public async Task Areas_carry_their_indicators_as_of_a_date_and_wijken_add_up_to_the_gemeente()
    {
        var wijken = (await Server.GetJsonAsync("/api/v1/gebieden?niveau=wijk&peildatum=2024-06-01")).EnumerateArray().ToList();
        var gemeente = (await Server.GetJsonAsync("/api/v1/gebieden?niveau=gemeente&peildatum=2024-06-01")).EnumerateArray().Single();
        var before = (await Server.GetJsonAsync("/api/v1/gebieden?niveau=wijk&peildatum=2023-06-01")).EnumerateArray().ToList();

        Assert.Equal(13, wijken.Count);
        Assert.Empty(before);
        double Inhabitants(JsonElement area) => area.GetProperty("indicatoren").EnumerateArray().Single(i => i.GetProperty("code").GetString() == "inwoners").GetProperty("waarde").GetDouble();
        Assert.Equal(Inhabitants(gemeente), wijken.Sum(Inhabitants));
        Assert.InRange(Inhabitants(gemeente), 110_000, 130_000);
        Assert.All(wijken, w => Assert.Equal(gemeente.GetProperty("code").GetString(), w.GetProperty("bovenliggendGebied").GetString()));

        var code = wijken[0].GetProperty("code").GetString();
        var one = await Server.GetJsonAsync($"/api/v1/gebieden/{code}?peildatum=2024-06-01");
        Assert.Equal(Inhabitants(wijken[0]), Inhabitants(one));
        Assert.EndsWith($"/ogc/collections/wijken/items/{code}", one.GetProperty("links").GetProperty("geometrie").GetProperty("href").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Indicator_definitions_name_unit_source_and_method()
    {
        var indicators = (await Server.GetJsonAsync("/api/v1/indicatoren")).EnumerateArray().ToList();

        Assert.Contains(indicators, i => i.GetProperty("code").GetString() == "inwoners");
        Assert.All(indicators, i =>
        {
            Assert.False(string.IsNullOrEmpty(i.GetProperty("eenheid").GetString()));
            Assert.False(string.IsNullOrEmpty(i.GetProperty("bronDataset").GetString()));
            Assert.False(string.IsNullOrEmpty(i.GetProperty("methode").GetString()));
        });
        Assert.Equal("inwoners", (await Server.GetJsonAsync("/api/v1/indicatoren/inwoners")).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("/api/v1/datasets/bestaat-niet", 404)]
    [InlineData("/api/v1/gebieden/BU00000000", 404)]
    [InlineData("/api/v1/indicatoren/bestaat-niet", 404)]
    [InlineData("/api/v1/bestaat-niet", 404)]
    [InlineData("/api/v1/gebieden?peildatum=gisteren", 400)]
    [InlineData("/api/v1/gebieden?niveau=provincie", 400)]
    [InlineData("/api/v1/gebieden?pagina=2", 400)]
    [InlineData("/api/v1/datasets?sorteer=naam", 400)]
    public async Task Errors_are_problem_details_with_the_version_header(string path, int status)
    {
        await Problems.AssertProblemAsync(Server.Client, path, status);
        using var response = await Server.Client.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal("1.0.0", response.Headers.GetValues("API-Version").Single());
    }

    [Fact]
    public async Task Public_documents_are_readable_cross_origin()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/openapi.json");
        request.Headers.Add("Origin", "https://example.org");
        using var response = await Server.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task Health_reports_a_store_that_answers()
    {
        using var response = await Server.Client.GetAsync("/healthz", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
