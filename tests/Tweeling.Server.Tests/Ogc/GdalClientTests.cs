using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Tweeling.Domain.Features;

namespace Tweeling.Server.Tests.Ogc;

/// <summary>
/// GDAL's OGC API – Features driver (Debian gdal-bin, <c>OAPIF:</c>) as a real third-party client:
/// it reads every collection, follows next links, and pushes filters to the server.
/// The test command installs gdal-bin; without it these tests fail rather than skip.
/// </summary>
[Collection(DemoCityCollection.Name)]
public sealed partial class GdalClientTests(DemoCityServer fixture)
{
    private TwinServer Server => fixture.Server;

    public static TheoryData<string> CollectionIds => [.. TwinCollections.All.Select(c => c.Id)];

    /// <summary>
    /// GDAL pages through every feature (PAGE_SIZE sets the limit it asks for) and must end with exactly
    /// numberMatched. Large collections are narrowed to one buurt with a queryable, which GDAL sends to
    /// the server, so the test reads a few pages rather than the whole city.
    /// </summary>
    [Theory]
    [MemberData(nameof(CollectionIds))]
    public async Task Gdal_reads_every_feature_of_a_collection_through_the_next_links(string collectionId)
    {
        string? buurt = null;
        if (TwinCollections.Find(collectionId)!.FindQueryable("buurtcode") is not null)
        {
            buurt = (await Server.GetJsonAsync("/ogc/collections/panden/items?limit=1")).GetProperty("features")[0].GetProperty("properties").GetProperty("buurtcode").GetString();
        }

        var matched = (await Server.GetJsonAsync($"/ogc/collections/{collectionId}/items?limit=1{(buurt is null ? "" : "&buurtcode=" + buurt)}"))
            .GetProperty("numberMatched").GetInt64();
        using var output = new TestSupport.TempDirectory();
        var gpkg = output.File("out.gpkg");
        string[] command = ["ogr2ogr", "-f", "GPKG", gpkg, $"OAPIF:{Server.Address}ogc", collectionId, "-oo", "PAGE_SIZE=1000"];
        if (buurt is not null)
        {
            command = [.. command, "-where", $"buurtcode = '{buurt}'"];
        }

        var (code, _, error) = await RunAsync(command);
        Assert.True(code == 0, $"ogr2ogr failed ({code}): {error}");
        var (_, info, _) = await RunAsync("ogrinfo", "-ro", "-so", gpkg, collectionId);

        Assert.True(matched > 0, $"the demo city should hold {collectionId}");
        Assert.Equal(matched, long.Parse(FeatureCount().Match(info).Groups[1].Value, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Gdal_lists_every_collection()
    {
        var (code, output, error) = await RunAsync("ogrinfo", "-ro", "-q", $"OAPIF:{Server.Address}ogc");

        Assert.True(code == 0, $"ogrinfo failed ({code}): {error}");
        Assert.All(TwinCollections.All, c => Assert.Contains(c.Id, output, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Gdal_sends_attribute_filters_on_queryables_to_the_server()
    {
        var matched = (await Server.GetJsonAsync("/ogc/collections/voorzieningen/items?type=huisarts&limit=1")).GetProperty("numberMatched").GetInt64();

        var (code, output, error) = await RunAsync(
            ["ogrinfo", "-ro", "-al", "-so", $"OAPIF:{Server.Address}ogc", "voorzieningen", "-where", "type = 'huisarts'", "--config", "CPL_CURL_VERBOSE", "YES"]);

        Assert.True(code == 0, $"ogrinfo failed ({code}): {error}");
        Assert.Contains("type=huisarts", error, StringComparison.Ordinal);
        Assert.Equal(matched, long.Parse(FeatureCount().Match(output).Groups[1].Value, CultureInfo.InvariantCulture));
    }

    private static Task<(int Code, string Output, string Error)> RunAsync(params string[] command) => RunAsync((IReadOnlyList<string>)command);

    private static async Task<(int Code, string Output, string Error)> RunAsync(IReadOnlyList<string> command)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GDAL_HTTP_TIMEOUT"] = "60";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command[0]} did not start; is gdal-bin installed?");
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output, await error);
    }

    [GeneratedRegex(@"Feature Count: (\d+)")]
    private static partial Regex FeatureCount();
}
